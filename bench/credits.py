"""Benchmark: `troth credits` for one month and `troth uptime --by day` for a year, on generated data.

Data (deterministic seed): 10,000 accounts and 100,000 outages over 2025, measured under the Balto
policy, the heaviest seed (business minutes only, ten exclusions, the 10x excess credit with a
30 % cap, paid-invoice eligibility judged per outage). Each command runs as a user runs it: a
subprocess that reads the files and writes JSON Lines to a file; the best of `--repeat` runs is
reported, with the others, as wall-clock seconds.

Alongside, the alternative an analyst would write is timed on the plain question "downtime minutes
per account for March, every minute counted, overlaps once": read the file, then per account sort
its outages, merge overlaps and add up. Troth answers the same question (its core, in-process) and
both answers must agree for every account, which also cross-checks the engine on a large input.

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


def naive_downtime(accounts_path: Path, outages_path: Path) -> tuple[dict[str, int], float, float]:
    """The analyst's version: per account, sort its outages, merge overlaps, add up March's seconds.

    Returns the totals, the seconds spent reading and the seconds spent computing."""
    began = time.perf_counter()
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
    read = time.perf_counter()
    totals = {account: _merged_total(found) for account, found in spans.items()}
    return totals, read - began, time.perf_counter() - read


def _merged_total(spans: list[tuple[int, int]]) -> int:
    total, current = 0, None
    for start, end in sorted(spans):
        if current is None or start > current[1]:
            total += 0 if current is None else current[1] - current[0]
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    return total + (0 if current is None else current[1] - current[0])


def troth_downtime(accounts_path: Path, outages_path: Path) -> tuple[dict[str, int], float, float]:
    """Troth on the same question: every record down, all minutes measured. Reading checks every
    field of every line, as the commands do. Returns the totals, reading and computing seconds."""
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
    check = OutageCheck(accounts=accounts, accounts_file=str(accounts_path))
    outages = read_outages(str(outages_path), check, touching=MARCH)
    plain = [replace(o, kind=OutageKind.DOWN, cause=Cause.INTERNAL) for o in outages]
    read = time.perf_counter()
    window = (to_epoch(MARCH[0]), to_epoch(MARCH[1]))
    table = build_table(plain, window[1])
    records = records_by_account(table, accounts, window)
    rules = MeasurementRules(zone="UTC")
    figures = measure_totals(table, [Subject(key=a, rules=rules, records=r) for a, r in records.items()], window)
    return {str(a): f.down_seconds for a, f in figures.items()}, read - began, time.perf_counter() - read


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
    naive, naive_read, naive_compute = naive_downtime(accounts_path, outages_path)
    mine, troth_read, troth_compute = troth_downtime(accounts_path, outages_path)
    if mine != naive:
        raise SystemExit("Troth and the naive merge disagree on downtime")
    print(f"data: {args.accounts:,} accounts, {args.outages:,} outages over 2025 (seed {SEED}), policy balto")
    print(f"troth --help (the command's start-up, part of every run): {startup[0]:.2f} s wall")
    print(f"troth credits --month 2025-03: {_runs(credit_times)}")
    print(f"troth uptime --by day, all of 2025: {_runs(uptime_times)}; {rows:,} rows")
    print(
        f"March downtime per account: naive per-account merge: read {naive_read:.2f} s + compute "
        f"{naive_compute:.3f} s; troth: read and check {troth_read:.2f} s + compute {troth_compute:.3f} s "
        f"(compute ratio {naive_compute / troth_compute:.1f}x); same answer for all {len(mine):,} accounts"
    )


if __name__ == "__main__":
    main()
