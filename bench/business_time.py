"""Business-time arithmetic, side by side: Troth against what a user would otherwise pick.

    .venv/bin/python bench/business_time.py            # 1,000,000 operations each (a few minutes)
    .venv/bin/python bench/business_time.py --quick    # a small run (seconds)

The calendar is Balto's: Mon-Fri 07:00-18:00 America/Chicago with US federal holidays. Inputs are
drawn with a fixed seed: starts uniform over the two years 2026-2027 (whole seconds), targets of
0-55 whole business hours (up to five business days; whole hours because pandas' business hours
step in whole hours), and elapsed-time spans of up to seven days.

Engines:
- Troth: `CompiledCalendar.add_array` / `elapsed_array` on int64 epoch seconds.
- bare NumPy: two `searchsorted` calls over the same precomputed working intervals with running
  totals and no checks at all; the floor for this style of computation.
- businesstimedelta: pure Python, aware datetimes (pytz); run on fewer operations, scaled per second.
- pandas CustomBusinessHour: it has no time zones, so it works on naive Chicago wall-clock times
  (which is exact for 07:00-18:00 hours: no clock change falls inside them). It has no
  business-time difference either: elapsed time uses the common recipe of counting business-hour
  marks with `date_range(a, b, freq=CBH)` on inputs floored to whole hours.

Each alternative's answers are compared with Troth's on the operations it ran; mismatches are
counted and sorted by cause. Timings are the best of several runs for the vectorised engines and a
single run for the slow ones; they are wall-clock on whatever machine runs this, so read the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time
from functools import partial
from importlib.metadata import version
from typing import TypeVar

import businesstimedelta as btd
import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytz

from troth.core.calendars import CalendarSpec, CompiledCalendar, DayInterval, HolidaySource

Epochs = npt.NDArray[np.int64]
T = TypeVar("T")

ZONE = "America/Chicago"
HOUR = 3600
DAY = 86_400
SPEC = CalendarSpec(
    name="Balto business hours",
    timezone=ZONE,
    weekly=((DayInterval(start=7 * HOUR, end=18 * HOUR),),) * 5 + ((), ()),
    holiday_sources=(HolidaySource(country="US"),),
)
FIRST = int(datetime(2026, 1, 1, 6, tzinfo=UTC).timestamp())  # 2026-01-01T00:00-06:00
LAST = int(datetime(2028, 1, 1, 6, tzinfo=UTC).timestamp())
HOLIDAY_DATES = sorted(holidays.country_holidays("US", years=range(2025, 2030)))


@dataclass(frozen=True, slots=True)
class Inputs:
    starts: Epochs
    hours: Epochs
    a: Epochs
    b: Epochs

    @property
    def seconds(self) -> Epochs:
        return self.hours * HOUR


@dataclass(frozen=True, slots=True)
class Row:
    operation: str
    engine: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def draw_inputs(count: int, seed: int) -> Inputs:
    rng = np.random.default_rng(seed)
    starts = rng.integers(FIRST, LAST, count, dtype=np.int64)
    hours = rng.integers(0, 56, count, dtype=np.int64)
    a = rng.integers(FIRST, LAST, count, dtype=np.int64)
    b = a + rng.integers(0, 7 * DAY, count, dtype=np.int64)
    return Inputs(starts=starts, hours=hours, a=a, b=b)


def best_of(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), run()
    for _ in range(repeats):
        began = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - began)
    return best, result


def progress(message: str) -> None:
    """Long runs say what they are doing, on standard error so the table stays clean."""
    print(message, file=sys.stderr, flush=True)


def once(run: Callable[[], T]) -> tuple[float, T]:
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


# ----- bare NumPy: the floor ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BareIndex:
    starts: Epochs
    ends: Epochs
    before: Epochs
    after: Epochs

    @classmethod
    def of(cls, calendar: CompiledCalendar, lo: int, hi: int) -> BareIndex:
        intervals = np.array(calendar.working_intervals(lo, hi), dtype=np.int64)
        starts, ends = intervals[:, 0], intervals[:, 1]
        after = np.cumsum(ends - starts)
        return cls(starts=starts, ends=ends, before=after - (ends - starts), after=after)

    def cumulative(self, t: Epochs) -> Epochs:
        i = np.searchsorted(self.starts, t, side="right") - 1
        counted: Epochs = self.before[i] + np.minimum(t, self.ends[i]) - self.starts[i]
        return counted

    def add(self, start: Epochs, seconds: Epochs) -> Epochs:
        targets = self.cumulative(start) + seconds
        j = np.searchsorted(self.after, targets, side="left")
        due: Epochs = np.where(seconds == 0, start, self.ends[j] - (self.after[j] - targets))
        return due

    def elapsed(self, a: Epochs, b: Epochs) -> Epochs:
        counted: Epochs = np.maximum(self.cumulative(b) - self.cumulative(a), 0)
        return counted


@dataclass(frozen=True, slots=True)
class BareBuckets:
    """Troth's method without Troth: 4,096-second buckets give a position at most `steps` short."""

    index: BareIndex
    lo: int
    start_table: Epochs
    start_steps: int
    after_table: Epochs
    after_steps: int

    @classmethod
    def of(cls, index: BareIndex, lo: int) -> BareBuckets:
        starts = index.starts - lo
        start_table = np.searchsorted(starts, np.arange((int(starts[-1]) >> 12) + 2) << 12, side="right")
        after_table = np.searchsorted(index.after, np.arange((int(index.after[-1]) >> 12) + 2) << 12, side="left")
        return cls(
            index, lo, start_table, int(np.diff(start_table).max()), after_table, int(np.diff(after_table).max())
        )

    def cumulative(self, t: Epochs) -> Epochs:
        x = t - self.lo
        i = self.start_table[x >> 12]
        for _ in range(self.start_steps):
            i += self.index.starts[np.minimum(i, len(self.index.starts) - 1)] - self.lo <= x
        i -= 1
        counted: Epochs = self.index.before[i] + np.minimum(t, self.index.ends[i]) - self.index.starts[i]
        return counted

    def add(self, start: Epochs, seconds: Epochs) -> Epochs:
        targets = self.cumulative(start) + seconds
        j = self.after_table[targets >> 12]
        for _ in range(self.after_steps):
            j += self.index.after[j] < targets
        due: Epochs = np.where(seconds == 0, start, self.index.ends[j] - (self.index.after[j] - targets))
        return due

    def elapsed(self, a: Epochs, b: Epochs) -> Epochs:
        counted: Epochs = np.maximum(self.cumulative(b) - self.cumulative(a), 0)
        return counted


# ----- businesstimedelta --------------------------------------------------------------------------


def btd_rule() -> btd.Rules:
    tz = pytz.timezone(ZONE)
    workday = btd.WorkDayRule(start_time=wall_time(7), end_time=wall_time(18), working_days=[0, 1, 2, 3, 4], tz=tz)
    # A set of dates: the fastest holiday lookup businesstimedelta accepts.
    return btd.Rules([workday, btd.HolidayRule(set(HOLIDAY_DATES), tz=tz)])


def aware(epochs: Epochs) -> list[datetime]:
    return [datetime.fromtimestamp(int(e), tz=UTC) for e in epochs]


def btd_add(rule: btd.Rules, starts: list[datetime], seconds: list[int]) -> Epochs:
    due = [start + btd.BusinessTimeDelta(rule, seconds=s) for start, s in zip(starts, seconds, strict=True)]
    return np.array([int(d.timestamp()) for d in due], dtype=np.int64)


def btd_elapsed(rule: btd.Rules, a: list[datetime], b: list[datetime]) -> Epochs:
    spans = [rule.difference(x, y).timedelta for x, y in zip(a, b, strict=True)]
    return np.array([span // timedelta(seconds=1) for span in spans], dtype=np.int64)


# ----- pandas CustomBusinessHour, in naive local time ---------------------------------------------


def pandas_offset() -> pd.offsets.CustomBusinessHour:
    return pd.offsets.CustomBusinessHour(
        start="07:00", end="18:00", weekmask="Mon Tue Wed Thu Fri", holidays=HOLIDAY_DATES
    )


def naive_local(epochs: Epochs) -> pd.DatetimeIndex:
    return pd.to_datetime(epochs, unit="s", utc=True).tz_convert(ZONE).tz_localize(None)


def from_naive_local(stamps: npt.NDArray[np.datetime64]) -> Epochs:
    localized = pd.DatetimeIndex(stamps).tz_localize(ZONE, ambiguous=True, nonexistent="shift_forward")
    return np.asarray(localized.asi8 // 10**9, dtype=np.int64)


def pandas_add(offset: pd.offsets.CustomBusinessHour, starts: pd.DatetimeIndex, hours: Epochs) -> Epochs:
    due = np.empty(len(starts), dtype="datetime64[ns]")
    # One offset per distinct target, applied to all its starts: pandas' fastest form (it still
    # loops inside, and warns that the offset is not vectorised).
    for n in np.unique(hours):
        chosen = hours == n
        due[chosen] = (starts[chosen] + offset * int(n)).to_numpy()
    return from_naive_local(due)


def pandas_elapsed(offset: pd.offsets.CustomBusinessHour, a: pd.DatetimeIndex, b: pd.DatetimeIndex) -> Epochs:
    counts = [len(pd.date_range(x, y, freq=offset, inclusive="left")) for x, y in zip(a, b, strict=True)]
    return np.array(counts, dtype=np.int64) * HOUR


# ----- agreement ----------------------------------------------------------------------------------


def add_mismatches(
    calendar: CompiledCalendar, starts: Epochs, seconds: Epochs, ours: Epochs, theirs: Epochs
) -> Counter[str]:
    causes: Counter[str] = Counter()
    differ = np.flatnonzero(ours != theirs)
    closed_start = ~calendar.is_open_array(starts[differ])
    at_next_opening = theirs[differ] == calendar.next_opening_array(ours[differ])
    for zero, closed, next_opening in zip(seconds[differ] == 0, closed_start, at_next_opening, strict=True):
        if zero and closed and next_opening:
            causes["zero target while closed: due at the next opening, not at the start"] += 1
        elif next_opening and not zero:
            causes["reached exactly at closing: due at the next opening, not at closing"] += 1
        else:
            causes["unexplained"] += 1
    return causes


def elapsed_mismatches(ours: Epochs, theirs: Epochs) -> Counter[str]:
    differ = int(np.count_nonzero(ours != theirs))
    return Counter({"unexplained": differ}) if differ else Counter()


def recipe_mismatches(calendar: CompiledCalendar, a: Epochs, b: Epochs, ours: Epochs, theirs: Epochs) -> Counter[str]:
    """Causes of the date_range recipe's miscounts: it counts a mark at `a` itself when `a` is a closing time."""
    causes: Counter[str] = Counter()
    differ = np.flatnonzero(ours != theirs)
    at_closing = ~calendar.is_open_array(a[differ]) & calendar.is_open_array(a[differ] - 1)
    for empty, closing in zip(a[differ] == b[differ], at_closing, strict=True):
        if empty:
            causes["empty span (a == b): the recipe counts one business hour"] += 1
        elif closing:
            causes["span starting exactly at closing: the recipe counts the closing mark"] += 1
        else:
            causes["unexplained"] += 1
    return causes


# ----- the run ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sizes:
    troth: int
    btd: int
    pandas_add: int
    pandas_elapsed: int
    repeats: int


@dataclass(slots=True)
class Results:
    """The rows of the table, the agreement counts, and Troth's answers the others are checked against."""

    rows: list[Row]
    agreement: list[tuple[str, int, Counter[str]]]
    due: Epochs
    elapsed: Epochs

    def add(self, operation: str, engine: str, count: int, seconds: float) -> None:
        self.rows.append(Row(operation, engine, count, seconds))

    def check(self, name: str, count: int, causes: Counter[str]) -> None:
        self.agreement.append((name, count, causes))


def run(sizes: Sizes, seed: int) -> None:
    inputs = draw_inputs(sizes.troth, seed)
    progress(f"Troth on {sizes.troth:,} operations...")
    build_seconds, calendar = once(lambda: _warm(CompiledCalendar(SPEC, ZONE)))
    add_seconds, due = best_of(sizes.repeats, lambda: calendar.add_array(inputs.starts, inputs.seconds))
    elapsed_seconds, elapsed = best_of(sizes.repeats, lambda: calendar.elapsed_array(inputs.a, inputs.b))
    results = Results(rows=[], agreement=[], due=due, elapsed=elapsed)
    results.add("add", "Troth add_array", sizes.troth, add_seconds)
    results.add("elapsed", "Troth elapsed_array", sizes.troth, elapsed_seconds)
    run_bare(results, calendar, inputs, sizes)
    run_btd(results, calendar, inputs, sizes.btd)
    run_pandas(results, calendar, inputs, sizes)
    report(results, build_seconds, sizes, seed)


def run_bare(results: Results, calendar: CompiledCalendar, inputs: Inputs, sizes: Sizes) -> None:
    progress(f"bare NumPy on {sizes.troth:,} operations...")
    bare = BareIndex.of(calendar, FIRST - 30 * DAY, LAST + 120 * DAY)
    engines: tuple[tuple[str, BareIndex | BareBuckets], ...] = (
        ("searchsorted", bare),
        ("bucket table", BareBuckets.of(bare, int(bare.starts[0]))),
    )
    for name, engine in engines:
        seconds, due = best_of(sizes.repeats, partial(engine.add, inputs.starts, inputs.seconds))
        results.add("add", f"bare NumPy {name}", sizes.troth, seconds)
        results.check(f"bare NumPy {name} add", sizes.troth, elapsed_mismatches(results.due, due))
        seconds, elapsed = best_of(sizes.repeats, partial(engine.elapsed, inputs.a, inputs.b))
        results.add("elapsed", f"bare NumPy {name}", sizes.troth, seconds)
        results.check(f"bare NumPy {name} elapsed", sizes.troth, elapsed_mismatches(results.elapsed, elapsed))


def run_btd(results: Results, calendar: CompiledCalendar, inputs: Inputs, n: int) -> None:
    rule = btd_rule()
    starts, a, b = aware(inputs.starts[:n]), aware(inputs.a[:n]), aware(inputs.b[:n])
    progress(f"businesstimedelta add on {n:,} operations...")
    seconds, due = once(lambda: btd_add(rule, starts, inputs.seconds[:n].tolist()))
    results.add("add", "businesstimedelta", n, seconds)
    causes = add_mismatches(calendar, inputs.starts[:n], inputs.seconds[:n], results.due[:n], due)
    results.check("businesstimedelta add", n, causes)
    progress(f"businesstimedelta elapsed on {n:,} operations...")
    seconds, elapsed = once(lambda: btd_elapsed(rule, a, b))
    results.add("elapsed", "businesstimedelta", n, seconds)
    results.check("businesstimedelta elapsed", n, elapsed_mismatches(results.elapsed[:n], elapsed))


def run_pandas(results: Results, calendar: CompiledCalendar, inputs: Inputs, sizes: Sizes) -> None:
    n, offset = sizes.pandas_add, pandas_offset()
    local_starts = naive_local(inputs.starts[:n])
    progress(f"pandas add on {n:,} operations...")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        seconds, due = once(lambda: pandas_add(offset, local_starts, inputs.hours[:n]))
    results.add("add", "pandas CBH (naive local)", n, seconds)
    causes = add_mismatches(calendar, inputs.starts[:n], inputs.seconds[:n], results.due[:n], due)
    results.check("pandas add", n, causes)

    n = sizes.pandas_elapsed
    # Chicago is a whole number of hours off UTC, so flooring to the UTC hour floors the local hour.
    a, b = inputs.a[:n] - inputs.a[:n] % HOUR, inputs.b[:n] - inputs.b[:n] % HOUR
    local_a, local_b = naive_local(a), naive_local(b)
    progress(f"pandas elapsed on {n:,} operations...")
    seconds, elapsed = once(lambda: pandas_elapsed(offset, local_a, local_b))
    results.add("elapsed", "pandas CBH date_range count", n, seconds)
    causes = recipe_mismatches(calendar, a, b, calendar.elapsed_array(a, b), elapsed)
    results.check("pandas elapsed (hour-aligned)", n, causes)


def _warm(calendar: CompiledCalendar) -> CompiledCalendar:
    # The first question builds the index for the years asked; time it once, apart from the rest.
    calendar.elapsed_array(np.array([FIRST]), np.array([LAST]))
    return calendar


def report(results: Results, build: float, sizes: Sizes, seed: int) -> None:
    print("Business-time arithmetic: Mon-Fri 07:00-18:00 America/Chicago, US federal holidays")
    print(f"seed {seed}; starts uniform over 2026-2027; targets 0-55 whole business hours; elapsed spans 0-7 days")
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, pandas {pd.__version__}, "
        f"businesstimedelta {version('businesstimedelta')}, holidays {version('holidays')}; {platform.machine()}, "
        f"{os.cpu_count()} CPUs; best of {sizes.repeats} for the vectorised engines, one run for the others"
    )
    print(f"Troth index build, cold (2026-2027): {build * 1000:.1f} ms\n")
    print_table(results.rows)
    print_goals(results.rows)
    print_agreement(results.agreement)


def troth_row(rows: list[Row], operation: str) -> Row:
    return next(r for r in rows if r.operation == operation and r.engine.startswith("Troth"))


def print_table(rows: list[Row]) -> None:
    print(f"{'operation':<9} {'engine':<30} {'operations':>11} {'seconds':>9} {'ops/s':>13} {'Troth is':>16}")
    for row in rows:
        troth = troth_row(rows, row.operation)
        if row is troth:
            ratio = ""
        elif troth.rate >= row.rate:
            ratio = f"{troth.rate / row.rate:,.1f}x faster"
        else:
            ratio = f"{row.rate / troth.rate:,.2f}x slower"
        line = f"{row.operation:<9} {row.engine:<30} {row.count:>11,} {row.seconds:>9.3f} {row.rate:>13,.0f}"
        print(f"{line} {ratio:>16}")


def print_goals(rows: list[Row]) -> None:
    print()
    goals = (("businesstimedelta", 1000.0), ("pandas", 500.0), ("bare NumPy searchsorted", 0.5))
    for engine, goal in goals:
        for operation in ("add", "elapsed"):
            other = next(r for r in rows if r.operation == operation and r.engine.startswith(engine))
            ratio = troth_row(rows, operation).rate / other.rate
            verdict = "met" if ratio >= goal else "NOT met"
            print(f"goal: Troth {operation} >= {goal:g}x the rate of {engine}: {verdict} ({ratio:,.2f}x)")


def print_agreement(agreement: list[tuple[str, int, Counter[str]]]) -> None:
    print("\nAgreement with Troth (operations compared, mismatches by cause):")
    for name, count, causes in agreement:
        total = sum(causes.values())
        print(f"  {name:<34} {count:>9,} compared, {total:>7,} differ ({100 * total / count:.2f} %)")
        for cause, n in causes.most_common():
            print(f"      {n:>7,}  {cause}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, for a quick look")
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)
    if args.quick:
        sizes = Sizes(troth=100_000, btd=2_000, pandas_add=2_000, pandas_elapsed=200, repeats=3)
    else:
        sizes = Sizes(troth=1_000_000, btd=100_000, pandas_add=100_000, pandas_elapsed=2_000, repeats=10)
    run(sizes, args.seed)


if __name__ == "__main__":
    main(sys.argv[1:])
