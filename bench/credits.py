"""Benchmark: `troth credits` for one month and `troth uptime --by day` for a year, on generated data.

Data (deterministic seed): 10,000 accounts and 100,000 outages over 2025, measured under the Balto
policy, the heaviest seed (business minutes only, ten exclusions, the 10x excess credit with a
30 % cap, paid-invoice eligibility judged per outage). Each command runs as a user runs it: a
subprocess that reads the files and writes JSON Lines to a file; the best of `--repeat` runs is
reported with the others, as wall-clock seconds, and the CPU seconds it took.

Alongside, the alternative an analyst would write is timed on two plain questions, "downtime
minutes per account in March, overlaps counted once", counting every minute, then only Balto's
business minutes: read the file; per account sort its outages, merge overlaps and add up (business
seconds of each merged span from a business-time function, one call per span). Troth's core
answers the same questions and both answers must agree for every account, which also cross-checks
the engine on a large input.

Run: .venv/bin/python bench/credits.py [--accounts N] [--outages N] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from troth.core.calendars import compile_calendar

if TYPE_CHECKING:
    from troth.core.calendars import CalendarSpec
    from troth.core.uptime.rules import MeasurementRules

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data" / "credits"
TROTH = Path(sys.executable).with_name("troth")
SEED = 20250101
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
AT = "2026-01-01T00:00:00Z"
MARCH = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))
# Mostly the critical service; some of Balto's excluded components and causes.
COMPONENTS = ["core"] * 14 + ["reporting"] * 3 + ["playbook_configuration", "user_management"]
CAUSES = ["internal"] * 16 + ["third_party", "force_majeure", "external_network", "beta"]
PLATFORM_WIDE = 0.002
"""Share of outages that affect every account (200 a year); the rest affect one to three accounts."""


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(accounts: int, outages: int) -> tuple[Path, Path]:
    """Write the accounts and outages files (same arguments, same files) and return their paths."""
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    ids = [f"acct-{n:05d}" for n in range(accounts)]
    accounts_path = DATA / f"accounts-{accounts}.jsonl"
    with accounts_path.open("w", encoding="utf-8") as out:
        for account in ids:
            unpaid = _instant(YEAR_START + timedelta(days=rng.randrange(365))) if rng.random() < 0.02 else None
            fee = f"{rng.randrange(50, 5000)}.00"
            row = {"id": account, "monthly_fee": fee, "trial": rng.random() < 0.03, "unpaid_since": unpaid}
            out.write(json.dumps(row) + "\n")
    outages_path = DATA / f"outages-{accounts}-{outages}.jsonl"
    with outages_path.open("w", encoding="utf-8") as out:
        for n in range(outages):
            out.write(json.dumps(_outage(rng, n, ids)) + "\n")
    return accounts_path, outages_path


def _outage(rng: random.Random, n: int, ids: list[str]) -> dict[str, object]:
    start = YEAR_START + timedelta(seconds=rng.randrange(365 * 86_400))
    minutes = min(math.exp(rng.gauss(math.log(20), 1.0)), 720)  # median 20 minutes, at most 12 hours
    scope: object = "all" if rng.random() < PLATFORM_WIDE else rng.sample(ids, rng.choice((1, 1, 1, 2, 3)))
    kind = rng.choices(["down", "degraded", "maintenance"], weights=[85, 10, 5])[0]
    row: dict[str, object] = {
        "id": f"O-{n}",
        "start": _instant(start),
        "end": _instant(start + timedelta(seconds=int(minutes * 60))),
        "component": rng.choice(COMPONENTS),
        "accounts": scope,
        "kind": kind,
        "cause": rng.choice(CAUSES),
    }
    if kind == "maintenance":
        row["announced_at"] = _instant(start - timedelta(hours=rng.randrange(0, 96)))
    if rng.random() < 0.001:
        del row["end"]  # still open at the evaluation instant
    return row


def timed(command: list[str], output: Path) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run of `troth ...`, its output to `output`; fails loudly.

    CPU time (user + system of the child) is reported too because the machine may be shared:
    it says how much work the run took, whatever else was running.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    with output.open("wb") as out:
        # Our own installed command, with arguments built here: nothing untrusted reaches it.
        subprocess.run([str(TROTH), *command], stdout=out, check=True)  # noqa: S603
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def naive_read(accounts_path: Path, outages_path: Path) -> dict[str, list[tuple[int, int]]]:
    """The analyst's reading: each account's outage spans in March (epoch seconds), no checks."""
    ids = [json.loads(line)["id"] for line in accounts_path.open(encoding="utf-8")]
    lo, hi = (int(moment.timestamp()) for moment in MARCH)
    spans: dict[str, list[tuple[int, int]]] = {account: [] for account in ids}
    for line in outages_path.open(encoding="utf-8"):
        row = json.loads(line)
        start = max(int(datetime.fromisoformat(row["start"]).timestamp()), lo)
        end = min(int(datetime.fromisoformat(row["end"]).timestamp()) if "end" in row else hi, hi)
        if end > start:
            for account in ids if row["accounts"] == "all" else row["accounts"]:
                spans[account].append((start, end))
    return spans


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlaps merged: the analyst's loop."""
    found: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def naive_totals(spans: dict[str, list[tuple[int, int]]], business: Callable[[int, int], int] | None) -> dict[str, int]:
    """Per account: merge, then add up every second (or, with `business`, the business seconds of each span)."""
    if business is None:
        return {account: sum(end - start for start, end in merged(found)) for account, found in spans.items()}
    return {account: sum(business(start, end) for start, end in merged(found)) for account, found in spans.items()}


def troth_totals(accounts_path: Path, outages_path: Path) -> tuple[float, list[tuple[dict[str, int], float]]]:
    """Troth on the same questions (every record down): reading checks every field of every line,
    as the commands do. Returns the reading seconds, then (totals, seconds) for all minutes and for
    Balto's business minutes."""
    from dataclasses import replace

    from troth.batch.accounts import read_accounts
    from troth.batch.outages import OutageCheck, read_outages
    from troth.core.instants import to_epoch
    from troth.core.uptime.measure import Subject, measure_totals, records_by_account
    from troth.core.uptime.records import Cause, OutageKind
    from troth.core.uptime.rules import MeasurementRules
    from troth.core.uptime.table import build_table

    began = time.perf_counter()
    accounts = read_accounts(str(accounts_path))
    outages = read_outages(str(outages_path), OutageCheck(accounts=accounts, accounts_file=""), touching=MARCH)
    plain = [replace(o, kind=OutageKind.DOWN, cause=Cause.INTERNAL) for o in outages]
    read = time.perf_counter() - began
    window = (to_epoch(MARCH[0]), to_epoch(MARCH[1]))
    results = []
    for rules in (MeasurementRules(zone="UTC"), _business_rules()):
        began = time.perf_counter()
        table = build_table(plain, window[1])
        records = records_by_account(table, accounts, window)
        subjects = [Subject(key=a, rules=rules, records=r) for a, r in records.items()]
        figures = measure_totals(table, subjects, window)
        results.append(({str(a): f.down_seconds for a, f in figures.items()}, time.perf_counter() - began))
    return read, results


def _business_rules() -> MeasurementRules:
    from troth.core.uptime.rules import MeasurementRules

    return MeasurementRules(zone="UTC", calendar=_balto_calendar_spec(), calendar_zone="America/Chicago")


def _balto_calendar_spec() -> CalendarSpec:
    from troth.batch.policy_files import read_policy

    return read_policy(str(ROOT / "policies" / "balto.yaml")).calendar("business")


def _runs(times: list[tuple[float, float]]) -> str:
    best = min(times)
    each = ", ".join(f"{wall:.2f}" for wall, _ in times)
    return f"best {best[0]:.2f} s wall ({best[1]:.2f} s CPU) of {len(times)} runs ({each})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--outages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the best is reported")
    args = parser.parse_args()
    accounts_path, outages_path = generate(args.accounts, args.outages)
    files = ["--accounts", str(accounts_path), "--outages", str(outages_path), "--at", AT]
    policy = str(ROOT / "policies" / "balto.yaml")
    credits = ["credits", policy, "--month", "2025-03", *files]
    uptime = ["uptime", policy, "--from", "2025-01-01", "--to", "2025-12-31", "--by", "day", *files]
    startup = min(timed(["--help"], DATA / "help.txt") for _ in range(args.repeat))
    credit_times = [timed(credits, DATA / "credits.jsonl") for _ in range(args.repeat)]
    uptime_times = [timed(uptime, DATA / "uptime.jsonl") for _ in range(args.repeat)]
    with (DATA / "uptime.jsonl").open("rb") as produced:
        rows = sum(1 for _ in produced)
    began = time.perf_counter()
    spans = naive_read(accounts_path, outages_path)
    naive_reading = time.perf_counter() - began
    calendar = compile_calendar(_balto_calendar_spec(), "America/Chicago")
    naive = []
    for business in (None, calendar.elapsed_seconds):
        began = time.perf_counter()
        naive.append((naive_totals(spans, business), time.perf_counter() - began))
    troth_reading, mine = troth_totals(accounts_path, outages_path)
    for (theirs, _), (ours, _) in zip(naive, mine, strict=True):
        if theirs != ours:
            raise SystemExit("Troth and the naive merge disagree on downtime")
    print(f"data: {args.accounts:,} accounts, {args.outages:,} outages over 2025 (seed {SEED}), policy balto")
    print(f"troth --help (the command's start-up, part of every run): {startup[0]:.2f} s wall")
    print(f"troth credits --month 2025-03: {_runs(credit_times)}")
    print(f"troth uptime --by day, all of 2025: {_runs(uptime_times)}; {rows:,} rows")
    print(f"March downtime per account, reading: naive {naive_reading:.2f} s, troth {troth_reading:.2f} s (checked)")
    for label, (_, theirs), (_, ours) in zip(("all minutes", "business minutes"), naive, mine, strict=True):
        print(
            f"  {label}: naive per-account merge {theirs:.3f} s, troth {ours:.3f} s "
            f"(troth {theirs / ours:.1f}x as fast); same answer for all {len(spans):,} accounts"
        )


if __name__ == "__main__":
    main()
