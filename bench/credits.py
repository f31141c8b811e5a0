"""Benchmark: `troth credits` for one month and `troth uptime --by day` for a year, on generated data.

10,000 accounts and 100,000 outages over 2025 (deterministic seed), measured against the Balto
policy (business minutes only, exclusions, the 10x excess credit with a 30 % cap), the heaviest
of the seeds. Each command runs as a user runs it (a subprocess, reading the files, writing JSON
Lines to a file). Alongside, the measurement itself is compared with the alternative an analyst
would write (per account: sort its outages, merge overlaps, add up), on the plain question
"downtime minutes per account for a month, all minutes counted", and the two must agree.

Run: .venv/bin/python bench/credits.py [--accounts N] [--outages N] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data" / "credits"
TROTH = Path(sys.executable).with_name("troth")
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
COMPONENTS = ["core"] * 14 + ["reporting"] * 3 + ["playbook_configuration", "user_management"]
CAUSES = ["internal"] * 16 + ["third_party", "force_majeure", "external_network", "beta"]


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(accounts: int, outages: int, seed: int = 20250101) -> tuple[Path, Path]:
    """Write accounts.jsonl and outages.jsonl (same seed, same files) and return their paths."""
    DATA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    ids = [f"acct-{n:05d}" for n in range(accounts)]
    accounts_path = DATA / f"accounts-{accounts}.jsonl"
    with accounts_path.open("w", encoding="utf-8") as out:
        for account in ids:
            unpaid = _instant(YEAR_START + timedelta(days=rng.randrange(365))) if rng.random() < 0.02 else None
            row = {
                "id": account,
                "monthly_fee": f"{rng.randrange(50, 5000)}.00",
                "trial": rng.random() < 0.03,
                "unpaid_since": unpaid,
            }
            out.write(json.dumps(row) + "\n")
    outages_path = DATA / f"outages-{accounts}-{outages}.jsonl"
    with outages_path.open("w", encoding="utf-8") as out:
        for n in range(outages):
            out.write(json.dumps(_outage(rng, n, ids)) + "\n")
    return accounts_path, outages_path


def _outage(rng: random.Random, n: int, ids: list[str]) -> dict[str, object]:
    start = YEAR_START + timedelta(seconds=rng.randrange(365 * 86_400))
    minutes = min(math.exp(rng.gauss(math.log(20), 1.0)), 720)
    end = start + timedelta(seconds=int(minutes * 60))
    scope: object = "all" if rng.random() < 0.002 else rng.sample(ids, rng.choice((1, 1, 1, 2, 3)))
    kind = rng.choices(["down", "degraded", "maintenance"], weights=[85, 10, 5])[0]
    row: dict[str, object] = {
        "id": f"O-{n}",
        "start": _instant(start),
        "end": _instant(end),
        "component": rng.choice(COMPONENTS),
        "accounts": scope,
        "kind": kind,
        "cause": rng.choice(CAUSES),
    }
    if kind == "maintenance":
        row["announced_at"] = _instant(start - timedelta(hours=rng.randrange(0, 96)))
    if rng.random() < 0.001:
        del row["end"]
    return row


def timed(command: list[str], output: Path) -> float:
    """Wall-clock seconds of one run of `troth ...`, stdout to `output`; fails loudly on error."""
    began = time.perf_counter()
    with output.open("wb") as out:
        subprocess.run([str(TROTH), *command], stdout=out, check=True)
    return time.perf_counter() - began


def naive_downtime(accounts_path: Path, outages_path: Path, month: tuple[datetime, datetime]) -> dict[str, int]:
    """The alternative: per account, sort its outages, merge overlaps, add up seconds in the month."""
    ids = [json.loads(line)["id"] for line in accounts_path.open(encoding="utf-8")]
    lo, hi = (int(m.timestamp()) for m in month)
    at = hi
    own: dict[str, list[tuple[int, int]]] = {account: [] for account in ids}
    for line in outages_path.open(encoding="utf-8"):
        row = json.loads(line)
        start = int(datetime.fromisoformat(row["start"]).timestamp())
        end = int(datetime.fromisoformat(row["end"]).timestamp()) if "end" in row else at
        start, end = max(start, lo), min(end, hi)
        if end <= start:
            continue
        for account in ids if row["accounts"] == "all" else row["accounts"]:
            own[account].append((start, end))
    totals = {}
    for account, spans in own.items():
        spans.sort()
        total, reach_start, reach_end = 0, None, None
        for start, end in spans:
            if reach_end is None or start > reach_end:
                total += 0 if reach_end is None else reach_end - reach_start
                reach_start, reach_end = start, end
            else:
                reach_end = max(reach_end, end)
        totals[account] = total + (0 if reach_end is None else reach_end - reach_start)
    return totals


def troth_downtime(accounts_path: Path, outages_path: Path, month: tuple[datetime, datetime]) -> dict[str, int]:
    """Troth's core on the same question: every record counted, all minutes measured."""
    from troth.batch.accounts import read_accounts
    from troth.batch.outages import OutageCheck, read_outages
    from troth.core.instants import to_epoch
    from troth.core.uptime.measure import Subject, measure_totals, records_by_account
    from troth.core.uptime.records import Cause, OutageKind
    from troth.core.uptime.rules import MeasurementRules
    from troth.core.uptime.table import build_table

    accounts = read_accounts(str(accounts_path))
    outages = read_outages(str(outages_path), OutageCheck(accounts=accounts, accounts_file=str(accounts_path)))
    plain = [
        o.__class__(
            id=o.id,
            kind=OutageKind.DOWN,
            start_at=o.start_at,
            end_at=o.end_at,
            component="core",
            accounts=o.accounts,
            cause=Cause.INTERNAL,
        )
        for o in outages
    ]
    window = (to_epoch(month[0]), to_epoch(month[1]))
    began = time.perf_counter()
    table = build_table(plain, window[1])
    records = records_by_account(table, accounts, window)
    rules = MeasurementRules(zone="UTC")
    figures = measure_totals(table, [Subject(key=a, rules=rules, records=r) for a, r in records.items()], window)
    troth_downtime.seconds = time.perf_counter() - began  # type: ignore[attr-defined]
    return {str(account): f.down_seconds for account, f in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--outages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the best is reported")
    args = parser.parse_args()
    accounts_path, outages_path = generate(args.accounts, args.outages)
    policy = str(ROOT / "policies" / "balto.yaml")
    common = ["--accounts", str(accounts_path), "--outages", str(outages_path)]
    credits = [policy, "--month", "2025-03", *common, "--at", "2026-01-01T00:00:00Z"]
    uptime = [
        policy,
        *common,
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--by",
        "day",
        "--at",
        "2026-01-01T00:00:00Z",
    ]
    credit_times = [timed(["credits", *credits], DATA / "credits.jsonl") for _ in range(args.repeat)]
    uptime_times = [timed(["uptime", *uptime], DATA / "uptime.jsonl") for _ in range(args.repeat)]
    rows = sum(1 for _ in (DATA / "uptime.jsonl").open(encoding="utf-8"))

    month = (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC))
    began = time.perf_counter()
    naive = naive_downtime(accounts_path, outages_path, month)
    naive_seconds = time.perf_counter() - began
    mine = troth_downtime(accounts_path, outages_path, month)
    if mine != naive:
        raise SystemExit("Troth and the naive merge disagree on downtime")
    print(f"data: {args.accounts:,} accounts, {args.outages:,} outages over 2025 (seed 20250101)")
    print(
        f"troth credits --month 2025-03: best {min(credit_times):.2f} s of {args.repeat} ({', '.join(f'{t:.2f}' for t in credit_times)})"
    )
    print(
        f"troth uptime --by day, 2025: best {min(uptime_times):.2f} s of {args.repeat} ({', '.join(f'{t:.2f}' for t in uptime_times)}), {rows:,} rows"
    )
    core = troth_downtime.seconds  # type: ignore[attr-defined]
    print(
        f"month downtime, naive per-account merge (read + merge): {naive_seconds:.2f} s; troth core (table + lanes): {core:.2f} s;"
        f" agree on all {len(mine):,} accounts"
    )


if __name__ == "__main__":
    main()
