"""Benchmark: `troth tickets evaluate` on a generated export, side by side with businesstimedelta.

    .venv/bin/python bench/tickets.py                 # 1,000,000 tickets end to end, 100,000 side by side
    .venv/bin/python bench/tickets.py --tickets 200000 --compare 20000   # a quicker run

Generates deterministic data (seed 20260320) shaped like a helpdesk export for the Eleveo seed
policy (three targets per ticket, a business calendar in each customer's own time zone, 24x7
severity 1, platform-level restoration, pauses while waiting on the customer, level changes),
then runs the installed `troth` command as a subprocess and reports wall time and peak RSS.

The comparison is the same computation written the way a Python user would write it today: read
the JSON lines, group them per ticket, and for each ticket and target add business hours with
`businesstimedelta` (one `WorkDayRule` per time zone), measure elapsed business time with
`rule.difference`, and subtract paused business time afterwards. It is run on the smaller input,
and so is troth, so the ratio compares like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import businesstimedelta
import pytz

ROOT = Path(__file__).resolve().parents[1]
TROTH = Path(sys.executable).with_name("troth")
POLICY = ROOT / "policies" / "eleveo.yaml"
AT = "2026-04-01T00:00:00Z"
SEED = 20260320
ZONES = (
    "Europe/Prague",
    "America/Chicago",
    "Australia/Sydney",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Asia/Tokyo",
)
LEVELS = ("1", "2", "3", "4")
START = int(datetime(2026, 2, 1, tzinfo=UTC).timestamp())
SPAN = 58 * 86_400


def instant(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket_lines(rng: random.Random, number: int, accounts: int) -> list[str]:
    """One ticket's events as JSON lines, in time order."""
    name = f"T-{number:07d}"
    created = START + rng.randrange(SPAN // 60) * 60
    account = f"acct-{rng.randrange(accounts):04d}"
    level = rng.choice(LEVELS)
    platform = rng.random() < 0.3
    lines = [
        f'{{"ticket":"{name}","at":"{instant(created)}","type":"created","account":"{account}",'
        f'"level":"{level}","platform_level":{"true" if platform else "false"},"channel":"web"}}'
    ]
    t = created
    if rng.random() < 0.3:
        lines.append(f'{{"ticket":"{name}","at":"{instant(t + 60)}","type":"reply","author":"agent","automated":true}}')
    if rng.random() < 0.1:
        t += rng.randrange(1, 240) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"level","level":"{rng.choice(LEVELS)}"}}')
    if rng.random() < 0.6:
        t += rng.randrange(1, 600) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"reply","author":"customer"}}')
    if rng.random() < 0.3:
        t += rng.randrange(1, 300) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"reply","author":"agent","public":false}}')
    if rng.random() < 0.9:
        t += rng.randrange(1, 900) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"reply","author":"agent","public":true}}')
    if rng.random() < 0.4:
        t += rng.randrange(1, 600) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"status","status":"waiting_on_customer"}}')
        if rng.random() < 0.85:
            t += rng.randrange(1, 3000) * 60
            lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"status","status":"open"}}')
    if platform and rng.random() < 0.7:
        t += rng.randrange(1, 2000) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"restored"}}')
    if rng.random() < 0.8:
        t += rng.randrange(1, 3000) * 60
        lines.append(f'{{"ticket":"{name}","at":"{instant(t)}","type":"resolved"}}')
    return lines


def generate(directory: Path, tickets: int) -> tuple[Path, Path, int]:
    """Events and accounts files for `tickets` tickets; returns their paths and the event count."""
    rng = random.Random(SEED)
    accounts = max(10, tickets // 1000)
    accounts_path = directory / "accounts.jsonl"
    with accounts_path.open("w") as out:
        for i in range(accounts):
            out.write(json.dumps({"id": f"acct-{i:04d}", "timezone": ZONES[i % len(ZONES)]}) + "\n")
    events_path = directory / "events.jsonl"
    count = 0
    with events_path.open("w") as out:
        batch: list[str] = []
        for number in range(tickets):
            batch += ticket_lines(rng, number, accounts)
            if len(batch) > 100_000:
                out.write("\n".join(batch) + "\n")
                count += len(batch)
                batch = []
        out.write("\n".join(batch) + "\n")
        count += len(batch)
    return events_path, accounts_path, count


def run_troth(events: Path, accounts: Path, output: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `troth tickets evaluate`, run as a user runs it."""
    command = [str(TROTH), "tickets", "evaluate", str(POLICY), str(events), "--accounts", str(accounts), "--at", AT]
    with output.open("wb") as out:
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)  # noqa: S603  (our own command)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"troth failed: {process.stderr.read().decode() if process.stderr else status}")
    return wall, usage.ru_maxrss / 1024


# ----- the comparison: how a Python user writes it today -----------------------------------------

HOURS = {
    "1": ("24x7", 1800, 4 * 3600),
    "2": ("bh", 2 * 3600, 18 * 3600),
    "3": ("bh", 4 * 3600, 45 * 3600),
    "4": ("bh", 9 * 3600, None),
}


def naive(events_path: Path, accounts_path: Path) -> list[dict[str, object]]:
    """Per ticket and target, with businesstimedelta: the straightforward script."""
    zones = {a["id"]: a["timezone"] for a in map(json.loads, accounts_path.read_text().splitlines())}
    rules = {
        zone: businesstimedelta.WorkDayRule(
            start_time=clock_time(8), end_time=clock_time(17), working_days=[0, 1, 2, 3, 4], tz=pytz.timezone(zone)
        )
        for zone in set(zones.values())
    }
    tickets: dict[str, list[dict[str, object]]] = defaultdict(list)
    with events_path.open() as handle:
        for line in handle:
            event = json.loads(line)
            tickets[str(event["ticket"])].append(event)
    at = datetime.fromisoformat(AT)
    out = []
    for name in sorted(tickets):
        out += naive_ticket(name, tickets[name], zones, rules, at)
    return out


def parse(text: object) -> datetime:
    return datetime.fromisoformat(str(text))


def naive_ticket(
    name: str, events: list[dict[str, object]], zones: dict[str, str], rules: dict[str, object], at: datetime
) -> list[dict[str, object]]:
    events.sort(key=lambda e: parse(e["at"]))
    created = next(e for e in events if e["type"] == "created")
    start = parse(created["at"])
    level = str(created.get("level", "4"))
    for e in events:
        if e["type"] == "level":
            level = str(e["level"])
    reply = next(
        (
            parse(e["at"])
            for e in events
            if e["type"] == "reply"
            and e.get("author") == "agent"
            and e.get("public", True)
            and not e.get("automated", False)
        ),
        None,
    )
    resolved = next((parse(e["at"]) for e in events if e["type"] == "resolved"), None)
    restored = next((parse(e["at"]) for e in events if e["type"] == "restored"), resolved)
    pauses, since = [], None
    for e in events:
        if e["type"] == "status":
            if e["status"] == "waiting_on_customer" and since is None:
                since = parse(e["at"])
            elif since is not None:
                pauses.append((since, parse(e["at"])))
                since = None
    if since is not None:
        pauses.append((since, at))
    rule = rules[zones[str(created["account"])]]
    calendar, response, restore = HOURS[level]
    rows = [
        naive_target(
            name, "first_response", calendar, rule, start, response, reply or at, [], stopped=reply is not None
        )
    ]
    if restore is not None and created.get("platform_level"):
        rows.append(
            naive_target(
                name,
                "restoration",
                calendar,
                rule,
                start,
                restore,
                restored or at,
                pauses,
                stopped=restored is not None,
            )
        )
    return rows


def naive_target(
    name: str,
    target: str,
    calendar: str,
    rule: object,
    start: datetime,
    length: int,
    end: datetime,
    pauses: list[tuple[datetime, datetime]],
    *,
    stopped: bool,
) -> dict[str, object]:
    if calendar == "24x7":
        paused = sum(((b - a).total_seconds() for a, b in pauses), 0.0)
        due = start + timedelta(seconds=length + paused)
        elapsed = (end - start).total_seconds() - paused
    else:
        paused = sum((rule.difference(a, b).timedelta.total_seconds() for a, b in pauses), 0.0)  # type: ignore[attr-defined]
        due = start + businesstimedelta.BusinessTimeDelta(rule, seconds=int(length + paused))
        elapsed = rule.difference(start, end).timedelta.total_seconds() - paused  # type: ignore[attr-defined]
    status = ("met" if end <= due else "breached") if stopped else ("breached" if end > due else "running")
    return {"ticket": name, "target": target, "status": status, "due_at": due.isoformat(), "elapsed_seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--compare", type=int, default=100_000, help="tickets in the side-by-side run")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep the files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        base.mkdir(parents=True, exist_ok=True)
        (base / "big").mkdir(exist_ok=True)
        (base / "small").mkdir(exist_ok=True)
        began = time.perf_counter()
        events, accounts, count = generate(base / "big", args.tickets)
        size = events.stat().st_size / 2**20
        took = time.perf_counter() - began
        print(f"generated {args.tickets:,} tickets, {count:,} events ({size:,.0f} MiB) in {took:.1f} s")
        wall, rss = run_troth(events, accounts, base / "big" / "clocks.jsonl")
        lines = sum(1 for _ in (base / "big" / "clocks.jsonl").open("rb"))
        print(
            f"troth tickets evaluate, {args.tickets:,} tickets: {wall:.2f} s wall, peak RSS {rss:,.0f} MiB, "
            f"{lines:,} clock lines, {count / wall:,.0f} events/s"
        )
        small_events, small_accounts, small_count = generate(base / "small", args.compare)
        small_wall, small_rss = run_troth(small_events, small_accounts, base / "small" / "clocks.jsonl")
        began = time.perf_counter()
        naive(small_events, small_accounts)
        naive_wall = time.perf_counter() - began
        print(f"side by side on {args.compare:,} tickets ({small_count:,} events):")
        print(f"  troth tickets evaluate (subprocess, end to end): {small_wall:.2f} s, peak RSS {small_rss:,.0f} MiB")
        print(f"  businesstimedelta per ticket (in process):      {naive_wall:.2f} s")
        print(f"  ratio: troth is {naive_wall / small_wall:.1f}x faster")


if __name__ == "__main__":
    main()
