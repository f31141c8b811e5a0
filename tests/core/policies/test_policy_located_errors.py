"""Every mistake in a policy file is reported once, at its file:line:column, in words a person can act on."""

from __future__ import annotations

import pytest
from policy_helpers import policy_text

from troth.core.policies.diagnostics import PolicyFileError, Severity
from troth.core.policies.loading import check_policy_text, load_policy

LEVELS = """\
calendars:
  office:
    timezone: Europe/Prague
    hours:
      mon-fri: 09:00-17:00
levels:
  high:
    name: High
    targets:
      first_response: {duration: 4 business hours, calendar: office}
"""


def only_error(body: str) -> str:
    """The single error line of a policy text; fails when there is not exactly one."""
    check = check_policy_text(policy_text(body), "acme.yaml")
    assert len(check.errors) == 1, [str(p) for p in check.errors]
    assert check.policy is None
    return str(check.errors[0])


def test_the_baseline_policy_is_valid() -> None:
    check = check_policy_text(policy_text(LEVELS), "acme.yaml")
    assert check.problems == ()
    assert check.policy is not None


def test_a_misspelt_key_is_located_with_a_suggestion() -> None:
    body = LEVELS.replace("    name: High\n", "    name: High\n    descripton: urgent\n")
    assert only_error(body) == "acme.yaml:15:5: unknown key 'descripton' (did you mean 'description'?)"


def test_a_misspelt_top_level_key_is_located_with_a_suggestion() -> None:
    body = LEVELS + "uptme:\n  commitment_percent: 99\n"
    assert only_error(body) == "acme.yaml:17:1: unknown key 'uptme' (did you mean 'uptime'?)"


def test_a_negative_duration_is_located_at_the_value() -> None:
    body = LEVELS.replace("duration: 4 business hours", "duration: -4h")
    assert only_error(body) == "acme.yaml:16:34: duration '-4h' is negative; a target must be zero or longer"


def test_an_unknown_time_zone_is_located_with_a_suggestion() -> None:
    body = LEVELS.replace("Europe/Prague", "Europe/Prage")
    assert only_error(body) == "acme.yaml:9:15: unknown time zone 'Europe/Prage' (did you mean 'Europe/Prague'?)"


def test_an_unknown_calendar_name_is_located_with_a_suggestion() -> None:
    body = LEVELS.replace("calendar: office", "calendar: ofice")
    assert only_error(body) == (
        "acme.yaml:16:62: unknown calendar 'ofice' (did you mean 'office'?); known: '24x7', 'office'"
    )


def test_a_tier_table_out_of_order_is_located_at_the_tier() -> None:
    body = LEVELS + (
        "credits:\n"
        "  method: tiers\n"
        "  tiers:\n"
        "    - {below_percent: 97.0, credit_percent: 20}\n"
        "    - {below_percent: 99.0, credit_percent: 10}\n"
    )
    assert only_error(body) == (
        "acme.yaml:21:23: tier table out of order: below 99.0% comes after below 97.0%; "
        "list tiers from the highest threshold down"
    )


def test_a_tier_table_whose_credit_falls_with_uptime_is_out_of_order() -> None:
    body = LEVELS + (
        "credits:\n"
        "  method: tiers\n"
        "  tiers:\n"
        "    - {below_percent: 99.0, credit_percent: 20}\n"
        "    - {below_percent: 97.0, credit_percent: 10}\n"
    )
    assert "acme.yaml:21:" in only_error(body)
    assert "tier table out of order: 10% for uptime below 97.0%" in only_error(body)


def test_an_unknown_default_level_suggests_the_near_miss() -> None:
    check = check_policy_text(policy_text(LEVELS).replace("default_level: high", "default_level: hihg"), "acme.yaml")
    assert [str(p) for p in check.errors] == [
        "acme.yaml:6:16: unknown level 'hihg' (did you mean 'high'?); known: 'high'"
    ]


def test_business_days_on_unequal_days_without_a_day_length_is_an_error() -> None:
    body = LEVELS.replace("mon-fri: 09:00-17:00", "mon-thu: 09:00-17:00\n      fri: 09:00-13:00").replace(
        "4 business hours", "2 business days"
    )
    message = only_error(body)
    assert message.startswith("acme.yaml:17:34: '2 business days' cannot be measured: calendar 'office' has working")
    assert "declare its day_length" in message


def test_a_declared_day_length_makes_business_days_measurable() -> None:
    body = LEVELS.replace(
        "mon-fri: 09:00-17:00", "mon-thu: 09:00-17:00\n      fri: 09:00-13:00\n    day_length: 8h"
    ).replace("4 business hours", "2 business days")
    policy = load_policy(policy_text(body), "acme.yaml")
    target = policy.level("high").target("first_response")
    assert target is not None
    assert target.length is not None
    assert target.length.total_seconds() == 16 * 3600


def test_a_wrong_enum_value_lists_the_choices_and_suggests_one() -> None:
    body = LEVELS + "level_change: restrat\n"
    assert only_error(body) == (
        "acme.yaml:17:15: level_change: 'restrat' is not one of 'retroactive' or 'restart' (did you mean 'restart'?)"
    )


def test_a_missing_required_key_is_located_at_its_mapping() -> None:
    body = LEVELS.replace("{duration: 4 business hours, calendar: office}", "{calendar: office}")
    assert only_error(body) == "acme.yaml:16:23: 'duration' is required"


def test_a_repeated_key_is_an_error_at_the_second_one() -> None:
    body = LEVELS.replace("    name: High\n", "    name: High\n    name: Higher\n")
    assert only_error(body) == "acme.yaml:15:5: key 'name' is repeated; write each key once"


def test_text_that_is_not_yaml_is_located() -> None:
    check = check_policy_text("id: [unclosed\n", "broken.yaml")
    assert len(check.errors) == 1
    assert str(check.errors[0]).startswith("broken.yaml:2:1: not valid YAML")


def test_an_unknown_weekday_is_located_at_the_key() -> None:
    body = LEVELS.replace("mon-fri:", "mon-fry:")
    assert only_error(body) == "acme.yaml:11:7: unknown weekday 'fry' (did you mean 'friday'?)"


def test_an_unknown_holiday_country_is_located() -> None:
    body = LEVELS.replace("      mon-fri: 09:00-17:00\n", "      mon-fri: 09:00-17:00\n    holidays: [{country: XX}]\n")
    assert only_error(body).startswith("acme.yaml:12:26: the holidays package has no country 'XX'")


def test_a_calendar_without_a_zone_must_say_customer_or_name_one() -> None:
    body = LEVELS.replace("    timezone: Europe/Prague\n", "")
    assert only_error(body) == "acme.yaml:9:5: a calendar needs a timezone: an IANA name or 'customer'"


def test_load_policy_raises_one_error_listing_every_problem() -> None:
    body = LEVELS.replace("Europe/Prague", "Mars/Olympus").replace("calendar: office", "calendar: nowhere")
    with pytest.raises(PolicyFileError) as raised:
        load_policy(policy_text(body), "acme.yaml")
    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("acme.yaml:9:15: unknown time zone 'Mars/Olympus'")
    assert lines[1].startswith("acme.yaml:16:62: unknown calendar 'nowhere'")


def test_a_placeholder_is_a_warning_at_its_value() -> None:
    body = LEVELS.replace(
        "{duration: 4 business hours, calendar: office}",
        "{duration: {placeholder: lost in the copy, value: 4h}, calendar: office}",
    )
    check = check_policy_text(policy_text(body), "acme.yaml")
    assert check.errors == ()
    assert [p.severity for p in check.problems] == [Severity.WARNING]
    assert str(check.problems[0]) == (
        "acme.yaml:16:34: warning: 'levels.high.targets.first_response.duration' is a placeholder, "
        "not stated by the source; replace it: lost in the copy"
    )
    assert check.policy is not None
    assert check.policy.placeholders == ("levels.high.targets.first_response.duration",)


def test_an_exclusion_cause_outside_the_outage_vocabulary_is_an_error() -> None:
    body = LEVELS + (
        "uptime:\n"
        "  commitment_percent: 99.5\n"
        "  timezone: UTC\n"
        "  exclusions:\n"
        "    - {cause: thrid_party, clause: External apps}\n"
    )
    message = only_error(body)
    assert message.startswith("acme.yaml:21:15: unknown cause 'thrid_party' (did you mean 'third_party'?); known: ")
