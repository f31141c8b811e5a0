"""`troth tickets evaluate | explain` as a user runs them: the installed command, in a subprocess.

The golden files were checked by hand, not just captured. The evaluation instant is fixed at
2026-03-20T12:00:00Z (Friday: 07:00 in Chicago, 08:00 in New York, 13:00 in Prague, 23:00 in
Sydney). US clocks went forward on 8 March 2026, Europe's go forward on 29 March, so in these
examples Chicago is UTC-5 (UTC-6 before 8 March), New York UTC-4, Prague UTC+1, Sydney UTC+11.
Why the key due times are what they are:

- balto B-2, severity 3, filed Saturday 7 March 10:00 CST: "2 Business Days" = 2 x 11 business
  hours on Mon–Fri 07:00–18:00 Central. Monday 9 (after the DST change) gives 11 h, Tuesday 11 h:
  due Tuesday 10 March at closing, 18:00 CDT = 23:00Z. Still unanswered at --at: breached, with
  99 business hours elapsed (9 full days of 11 h).
- balto B-4, filed at severity 4 and raised to 1 (retroactive): severity 1's 4 business hours
  from creation (Wed 09:00 CDT) are due 13:00 CDT = 18:00Z; by --at, 9 h + 11 h have elapsed.
- eleveo E-2, severity 3, platform level, Nashville (Chicago time), filed Friday 13 March 16:00:
  first response "4 business hours" on 08:00–17:00 client time = 1 h Friday + 3 h Monday, due
  Monday 11:00 CDT = 16:00Z; the agent's first public reply at 16:30Z (the automated reply and
  the internal note before it do not count) is 30 minutes late: breached. Restoration "5
  business days" = 45 h, paused while waiting on the customer Monday 11:30 to Tuesday 09:00 (6.5
  business hours): due 45 + 6.5 business hours after Friday 16:00 = Monday 23 March 13:30 CDT
  = 18:30Z.
- eleveo E-5, severity 4 by default, resolved after 1 h with no reply at all: first response is
  stopped by the resolution and breached (a resolution is not a response).
- eleveo E-7: resolved, reopened, answered, resolved again; the reply after the final resolution
  is ignored. First response met at 10:30Z, 2.5 business hours after 09:00 Prague.
- third-spectrum S-3, P5 "1 Week" = 5 business days of 9 h = 45 h on 8x5 in New York time, from
  Friday 13 March 16:00 EDT: 1 h + 4 x 9 h + 8 h, due Friday 20 March 16:00 EDT = 20:00Z.
- third-spectrum S-4, P6 "User scheduled": due at the ticket's `scheduled_at`, with no length.
- walt-labs W-2: northwind-retail's contract overrides the 30 minutes with 15: the reply at 20
  minutes is late. Its resolution paused for an hour waiting on the customer, so the 4 hours are
  due at 15:00Z instead of 14:00Z.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TROTH = Path(sys.executable).with_name("troth")
SEEDS = ("balto", "walt-labs", "bloomneo", "third-spectrum", "eleveo")
AT = "2026-03-20T12:00:00Z"
KEYS = [
    "ticket",
    "target",
    "level",
    "status",
    "started_at",
    "due_at",
    "stopped_at",
    "target_seconds",
    "elapsed_seconds",
]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    env = {"COLUMNS": "200", "PATH": str(TROTH.parent), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [str(TROTH), *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False, input=stdin
    )
    return result.returncode, result.stdout, result.stderr


def evaluate(seed: str, *extra: str) -> tuple[int, str, str]:
    return run(
        "tickets",
        "evaluate",
        f"policies/{seed}.yaml",
        f"examples/{seed}/events.jsonl",
        "--accounts",
        f"examples/{seed}/accounts.jsonl",
        *extra,
    )


def rows(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("seed", SEEDS)
def test_evaluate_matches_the_golden_file_of_each_seed(seed: str) -> None:
    code, out, err = evaluate(seed, "--at", AT)
    assert (code, err) == (0, "")
    expected = (ROOT / "examples" / seed / "expected-tickets.jsonl").read_text(encoding="utf-8")
    assert out == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_each_line_has_the_contract_keys_in_order_sorted_by_ticket_then_target(seed: str) -> None:
    _, out, _ = evaluate(seed, "--at", AT)
    lines = rows(out)
    assert all(list(line) == KEYS for line in lines)
    order = [(str(line["ticket"]), str(line["target"])) for line in lines]
    assert order == sorted(order)


def by_ticket(seed: str) -> dict[tuple[str, str], dict[str, object]]:
    _, out, _ = evaluate(seed, "--at", AT)
    return {(str(r["ticket"]), str(r["target"])): r for r in rows(out)}


def test_balto_weekend_ticket_is_due_tuesday_at_closing_across_the_dst_change() -> None:
    row = by_ticket("balto")[("B-2", "first_response")]
    assert row["due_at"] == "2026-03-10T23:00:00Z"
    assert (row["status"], row["elapsed_seconds"]) == ("breached", 99 * 3600)


def test_eleveo_restoration_due_moves_by_exactly_the_paused_business_time() -> None:
    row = by_ticket("eleveo")[("E-2", "restoration")]
    assert (row["status"], row["due_at"], row["elapsed_seconds"]) == ("running", "2026-03-23T18:30:00Z", 109_800)


def test_eleveo_a_ticket_resolved_without_a_response_breaches_first_response() -> None:
    row = by_ticket("eleveo")[("E-5", "first_response")]
    assert (row["status"], row["stopped_at"], row["elapsed_seconds"]) == ("breached", "2026-03-18T15:00:00Z", 3600)


def test_events_after_the_evaluation_instant_have_not_happened_yet() -> None:
    rows_before = by_ticket("walt-labs")
    code, out, _ = evaluate("walt-labs", "--at", "2026-03-19T10:10:00Z")
    assert code == 0
    early = {(r["ticket"], r["target"]): r for r in rows(out)}
    assert rows_before[("W-1", "first_response")]["status"] == "met"
    assert early[("W-1", "first_response")]["status"] == "running"
    assert early[("W-1", "first_response")]["elapsed_seconds"] == 600
    assert ("W-3", "first_response") not in early  # created later: no clocks yet


def test_tickets_created_after_the_evaluation_instant_are_counted_on_stderr() -> None:
    code, _, err = evaluate("walt-labs", "--at", "2026-03-19T10:10:00Z")
    assert code == 0
    assert err.strip() == "troth: 2 ticket(s) created after 2026-03-19T10:10:00Z have no clocks yet"


def test_evaluate_reads_standard_input() -> None:
    text = (ROOT / "examples" / "walt-labs" / "events.jsonl").read_text(encoding="utf-8")
    code, out, _ = run("tickets", "evaluate", "policies/walt-labs.yaml", "-", "--at", AT, stdin=text)
    assert code == 0
    # Without the accounts file, northwind-retail's contract (15 minutes) is unknown: 30 minutes apply.
    assert by_line(out)[("W-2", "first_response")]["due_at"] == "2026-03-19T10:30:00Z"


def by_line(out: str) -> dict[tuple[str, str], dict[str, object]]:
    return {(str(r["ticket"]), str(r["target"])): r for r in rows(out)}


def test_evaluate_defaults_to_now() -> None:
    code, out, _ = evaluate("walt-labs")
    assert code == 0
    assert {r["status"] for r in rows(out) if r["ticket"] == "W-3"} == {"breached"}  # 4 hours are long gone


def test_explain_tells_the_story_of_a_ticket_with_local_times() -> None:
    code, out, err = run(
        "tickets", "explain", "policies/eleveo.yaml", "examples/eleveo/events.jsonl",
        "--accounts", "examples/eleveo/accounts.jsonl", "--at", AT, "--ticket", "E-2",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Policy 'eleveo' version 1.4" in out
    assert "in America/Chicago (the account's own time zone)" in out
    assert (
        "2026-03-13T21:00:00Z (Fri 2026-03-13 16:00:00 America/Chicago)  Clock starts at the ticket's creation" in out
    )
    assert "Paused (waiting_on_customer) until Tue 17 Mar 09:00: 6h30m of business time do not count" in out
    assert "2026-03-23T18:30:00Z (Mon 2026-03-23 13:30:00 America/Chicago)  Due: the 45h00m" in out
    assert "Breached" in out
    assert "Running" in out


def test_explain_says_what_a_level_change_did() -> None:
    code, out, _ = run(
        "tickets", "explain", "policies/eleveo.yaml", "examples/eleveo/events.jsonl",
        "--accounts", "examples/eleveo/accounts.jsonl", "--at", AT, "--ticket", "E-4",
    )  # fmt: skip
    assert code == 0
    assert "Level changed from 4 to 2: the new level's targets and calendars apply from the ticket's creation" in out
    assert "level 4 had '1 business day'; level 2's targets and calendar apply from creation" in out


def test_explain_of_an_unknown_ticket_is_an_error() -> None:
    code, out, err = run(
        "tickets", "explain", "policies/eleveo.yaml", "examples/eleveo/events.jsonl", "--ticket", "X-9"
    )
    assert (code, out) == (2, "")
    assert err.strip() == "troth: examples/eleveo/events.jsonl: field 'ticket': has no events for ticket 'X-9'"


# ----- bad input: exit 2, the file, line and field named, nothing on standard output --------------

GOOD = '{"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "created", "account": "mesa-logistics"}'


def bad(tmp_path: Path, *lines: str, policy: str = "walt-labs", accounts: bool = True) -> tuple[int, str, str, Path]:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extra = ["--accounts", f"examples/{policy}/accounts.jsonl"] if accounts else []
    code, out, err = run("tickets", "evaluate", f"policies/{policy}.yaml", str(path), *extra, "--at", AT)
    return code, out, err, path


def test_a_line_that_is_not_json_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD, '{"ticket": "T-1", "at": ')
    assert (code, out) == (2, "")
    assert err.startswith(f"troth: {path}:2: is not valid JSON")


def test_an_unknown_event_type_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD, '{"ticket": "T-1", "at": "2026-03-19T10:05:00Z", "type": "closed"}')
    assert (code, out) == (2, "")
    assert err.startswith(f"troth: {path}:2: field 'type': 'closed' is not one of created, level, reply,")


def test_an_unknown_level_is_located(tmp_path: Path) -> None:
    line = '{"ticket": "T-1", "at": "2026-03-19T10:05:00Z", "type": "level", "level": "gold"}'
    code, out, err, path = bad(tmp_path, GOOD, line)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:2: field 'level': 'gold' is not one of standard"


def test_a_ticket_without_created_is_located(tmp_path: Path) -> None:
    line = '{"ticket": "T-2", "at": "2026-03-19T10:05:00Z", "type": "resolved"}'
    code, out, err, path = bad(tmp_path, GOOD, line)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:2: field 'type': ticket 'T-2' has no 'created' event"


def test_an_event_before_created_is_located(tmp_path: Path) -> None:
    line = '{"ticket": "T-1", "at": "2026-03-19T09:59:00Z", "type": "reply", "author": "agent"}'
    code, out, err, path = bad(tmp_path, GOOD, line)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:2: field 'at': event of ticket 'T-1' is before its creation"


def test_a_ticket_created_twice_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD, GOOD)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:2: field 'type': ticket 'T-1' is created twice"


def test_an_account_missing_from_the_accounts_file_is_located(tmp_path: Path) -> None:
    line = '{"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "created", "account": "nobody"}'
    code, out, err, path = bad(tmp_path, line)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:1: field 'account': account 'nobody' is not in the accounts file"


def test_a_customer_time_zone_calendar_without_a_known_zone_is_located(tmp_path: Path) -> None:
    line = '{"ticket": "T-1", "at": "2026-03-19T10:00:00Z", "type": "created", "account": "praha-contact"}'
    code, out, err, path = bad(tmp_path, GOOD.replace("mesa-logistics", "x"), line.replace("T-1", "T-2"),
                               policy="eleveo", accounts=False)  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"troth: {path}:1: field 'account': calendar 'business' runs in the customer's time zone")


def test_a_bad_instant_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD.replace("2026-03-19T10:00:00Z", "2026-02-30T10:00:00Z"))
    assert (code, out) == (2, "")
    assert err.strip() == (
        f"troth: {path}:1: field 'at': '2026-02-30T10:00:00Z' is not an RFC 3339 instant with an offset or Z"
    )


def test_an_instant_without_offset_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD.replace("2026-03-19T10:00:00Z", "2026-03-19T10:00:00"))
    assert (code, out) == (2, "")
    assert f"{path}:1: field 'at':" in err


def test_a_scheduled_time_before_creation_is_located(tmp_path: Path) -> None:
    line = GOOD.replace("}", ', "scheduled_at": "2026-03-18T10:00:00Z"}')
    code, out, err, path = bad(tmp_path, line)
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:1: field 'scheduled_at': is before the ticket's creation ('at')"


def test_a_reply_without_author_is_located(tmp_path: Path) -> None:
    code, out, err, path = bad(tmp_path, GOOD, '{"ticket": "T-1", "at": "2026-03-19T10:05:00Z", "type": "reply"}')
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {path}:2: field 'author': is required"


def test_a_bad_evaluation_instant_is_named(tmp_path: Path) -> None:
    code, out, err = run(
        "tickets", "evaluate", "policies/walt-labs.yaml", "examples/walt-labs/events.jsonl", "--at", "tomorrow"
    )
    assert (code, out) == (2, "")
    assert err.strip() == "troth: command line: field '--at': 'tomorrow' is not an RFC 3339 instant with an offset or Z"


def test_a_missing_events_file_is_named(tmp_path: Path) -> None:
    code, out, err = run("tickets", "evaluate", "policies/walt-labs.yaml", str(tmp_path / "none.jsonl"))
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {tmp_path / 'none.jsonl'}: cannot be read: No such file or directory"


def test_no_progress_bar_when_standard_error_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from troth.cli import tickets

    monkeypatch.setattr(tickets, "PROGRESS_BYTES", 0)
    with tickets._progress(str(ROOT / "examples" / "eleveo" / "events.jsonl")) as progress:
        assert progress is None  # pytest captures standard error: not a terminal


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_events_file_gives_no_lines(tmp_path: Path, content: str) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(content, encoding="utf-8")
    assert run("tickets", "evaluate", "policies/walt-labs.yaml", str(path), "--at", AT) == (0, "", "")
