"""Reading YAML as written, and calendar clauses: hours, zones, holidays, dated exceptions."""

from __future__ import annotations

from datetime import date, timedelta

from policy_helpers import policy_text

from troth.core.calendars.spec import DayInterval, HolidaySource
from troth.core.policies.loading import check_policy_text, load_policy
from troth.core.policies.model import Policy
from troth.core.policies.yamltree import Position, read_tree

LEVEL = """\
levels:
  high:
    name: High
    targets:
      first_response: {duration: 1 business day, calendar: office}
"""


def load(calendar: str) -> Policy:
    return load_policy(policy_text("calendars:\n  office:\n" + calendar + LEVEL), "acme.yaml")


def test_scalars_are_kept_as_written_not_as_yaml_1_1_numbers() -> None:
    tree = read_tree("a: 22:00\nb: 1.4\nc: 1\nd: ~\n")
    assert tree.data == {"a": "22:00", "b": "1.4", "c": "1", "d": None}


def test_positions_are_one_based_lines_and_columns() -> None:
    tree = read_tree("top:\n  inner: value\n")
    assert tree.keys[("top", "inner")] == Position(2, 3)
    assert tree.values[("top", "inner")] == Position(2, 10)


def test_a_placeholder_stands_for_its_value_and_records_its_path() -> None:
    tree = read_tree("x:\n  y: {placeholder: true, value: 5}\n")
    assert tree.data == {"x": {"y": "5"}}
    assert tree.placeholders == {("x", "y"): ""}


def test_a_placeholder_without_a_value_is_an_error() -> None:
    check = check_policy_text(policy_text(LEVEL.replace("1 business day", "{placeholder: lost}")), "p.yaml")
    assert any("a placeholder needs a 'value'" in str(p) for p in check.errors)


def test_weekly_hours_allow_several_intervals_a_day() -> None:
    policy = load("    timezone: Europe/Prague\n    hours:\n      mon-fri: 08:00-12:00, 13:00-17:00\n")
    office = policy.calendar("office")
    assert office.weekly[0] == (DayInterval(start=8 * 3600, end=12 * 3600), DayInterval(start=13 * 3600, end=17 * 3600))
    assert office.business_day() == timedelta(hours=8)


def test_an_interval_may_cross_midnight() -> None:
    policy = load("    timezone: Europe/Prague\n    hours:\n      sun-thu: 22:00-06:00\n")
    office = policy.calendar("office")
    assert office.weekly[6] == (DayInterval(start=22 * 3600, end=30 * 3600),)
    assert office.weekly[4] == ()
    assert office.weekly[5] == ()


def test_days_may_be_listed_one_by_one_and_closed() -> None:
    calendar = (
        "    timezone: Europe/Prague\n    hours:\n      monday: [09:00-17:00]\n      tue: 09:00-13:00\n"
        "      sat: closed\n    day_length: 8h\n"
    )
    office = load(calendar).calendar("office")
    assert office.weekly[1] == (DayInterval(start=9 * 3600, end=13 * 3600),)
    assert office.weekly[5] == ()
    assert office.business_day() == timedelta(hours=8)


def test_public_holidays_come_from_the_holidays_package() -> None:
    calendar = (
        "    timezone: America/Chicago\n    hours:\n      mon-fri: 07:00-18:00\n"
        "    holidays:\n      - {country: US, subdivision: TX}\n"
    )
    office = load(calendar).calendar("office")
    assert office.holiday_sources == (HolidaySource(country="US", subdivision="TX"),)


def test_extra_holidays_take_dates_and_date_ranges() -> None:
    calendar = (
        "    timezone: Europe/Prague\n    hours:\n      mon-fri: 09:00-17:00\n"
        "    extra_holidays:\n      - 2026-12-24\n      - {from: 2026-12-28, to: 2026-12-31, name: Year end}\n"
    )
    office = load(calendar).calendar("office")
    assert office.closed_dates == {date(2026, 12, 24), *(date(2026, 12, d) for d in range(28, 32))}


def test_extra_working_days_and_short_days_are_special_days() -> None:
    calendar = (
        "    timezone: Europe/Prague\n    hours:\n      mon-fri: 09:00-17:00\n"
        "    extra_working_days:\n      - {date: 2026-12-19, hours: 09:00-17:00}\n"
        "    short_days:\n      - {date: 2026-12-23, hours: 09:00-12:00}\n"
    )
    office = load(calendar).calendar("office")
    assert office.special_days == (
        (date(2026, 12, 19), (DayInterval(start=9 * 3600, end=17 * 3600),)),
        (date(2026, 12, 23), (DayInterval(start=9 * 3600, end=12 * 3600),)),
    )


def test_customer_zone_and_24x7() -> None:
    policy = load("    timezone: customer\n    hours:\n      mon-fri: 09:00-17:00\n")
    assert policy.calendar("office").uses_customer_timezone
    assert policy.calendar("24x7").always_open


def test_a_24x7_calendar_needs_no_zone() -> None:
    policy = load("    hours: 24x7\n")
    office = policy.calendar("office")
    assert office.always_open
    target = policy.level("high").target("first_response")
    assert target is not None
    assert target.length == timedelta(days=1)


def test_overlapping_intervals_in_a_day_are_an_error() -> None:
    text = policy_text(
        "calendars:\n  office:\n    timezone: UTC\n    hours:\n      mon: 09:00-13:00, 12:00-17:00\n" + LEVEL
    )
    check = check_policy_text(text, "acme.yaml")
    assert [str(p) for p in check.errors] == ["acme.yaml:11:12: intervals of one day overlap"]
