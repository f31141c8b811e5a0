"""`troth credits` and `troth uptime` as a user runs them: golden outputs per seed, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TROTH = Path(sys.executable).with_name("troth")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run `troth` from the repository root (standard error is not a terminal: no progress)."""
    env = {"COLUMNS": "200", "PATH": str(TROTH.parent), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [str(TROTH), *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False, input=stdin
    )
    return result.returncode, result.stdout, result.stderr


def example(seed: str, name: str) -> str:
    return f"examples/{seed}/{name}"


GOLDEN = [
    (
        "examples/balto/expected-credits.jsonl",
        ["credits", "policies/balto.yaml", "--month", "2026-03", "--accounts", example("balto", "accounts.jsonl"),
         "--outages", example("balto", "outages.jsonl"), "--at", "2026-04-10T00:00:00Z"],
    ),
    (
        "examples/bloomneo/expected-credits.jsonl",
        ["credits", "policies/bloomneo.yaml", "--month", "2026-03", "--accounts", example("bloomneo", "accounts.jsonl"),
         "--outages", example("bloomneo", "outages.jsonl"), "--at", "2026-04-10T00:00:00Z"],
    ),
    (
        "examples/bloomneo/expected-uptime-by-month.jsonl",
        ["uptime", "policies/bloomneo.yaml", "--accounts", example("bloomneo", "accounts.jsonl"),
         "--outages", example("bloomneo", "outages.jsonl"), "--from", "2026-02-01", "--to", "2026-03-31",
         "--by", "month", "--at", "2026-04-10T00:00:00Z"],
    ),
    (
        "examples/eleveo/expected-credits.jsonl",
        ["credits", "policies/eleveo.yaml", "--month", "2026-03", "--accounts", example("eleveo", "accounts.jsonl"),
         "--outages", example("eleveo", "outages.jsonl"), "--claims", example("eleveo", "claims.jsonl"),
         "--at", "2026-04-20T00:00:00Z"],
    ),
    (
        "examples/eleveo/expected-credits-after-claim-window.jsonl",
        ["credits", "policies/eleveo.yaml", "--month", "2026-03", "--accounts", example("eleveo", "accounts.jsonl"),
         "--outages", example("eleveo", "outages.jsonl"), "--claims", example("eleveo", "claims.jsonl"),
         "--at", "2026-05-15T00:00:00Z"],
    ),
    (
        "examples/walt-labs/expected-uptime.jsonl",
        ["uptime", "policies/walt-labs.yaml", "--accounts", example("walt-labs", "accounts.jsonl"),
         "--outages", example("walt-labs", "outages.jsonl"), "--from", "2026-03-01", "--to", "2026-03-07",
         "--at", "2026-03-08T00:30:00Z"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("golden", "args"), GOLDEN, ids=[g for g, _ in GOLDEN])
def test_the_seed_examples_print_their_golden_output(golden: str, args: list[str]) -> None:
    code, out, err = run(*args)
    assert (code, err) == (0, "")
    assert out == (ROOT / golden).read_text(encoding="utf-8")


def test_credits_lines_keep_the_contracts_key_order_and_sort_by_account() -> None:
    code, out, _ = run(*GOLDEN[0][1])
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [list(row) for row in rows] == [
        [
            "account", "month", "commitment_percent", "measured_minutes", "downtime_minutes", "excluded_minutes",
            "uptime_percent", "credit_percent", "credit_amount", "status", "explanation",
        ]
    ] * len(rows)  # fmt: skip
    assert [row["account"] for row in rows] == sorted(row["account"] for row in rows)
    assert {row["status"] for row in rows} == {"applied", "ineligible"}


def test_golden_balto_credits_are_the_hand_computed_ones() -> None:
    """The figures a finance person would get by hand from the explanation (see docs/uptime-and-credits.md)."""
    rows = {r["account"]: r for r in map(json.loads, (ROOT / GOLDEN[0][0]).read_text().splitlines())}
    # acme-dialers: 300 business minutes down; 10 × 4300.00 × (300 − 72.6) ÷ 14520 = 673.43
    assert rows["acme-dialers"]["credit_amount"] == "673.43"
    # evergreen-health: 1560 minutes down, capped at 30 % of 3000.00
    assert rows["evergreen-health"]["credit_amount"] == "900.00"
    # delta-freight: only the outage before its invoice went overdue counts: 10 × 2000 × 107.4 ÷ 14520
    assert rows["delta-freight"]["credit_amount"] == "147.93"


def test_the_table_format_is_for_a_person() -> None:
    code, out, err = run(*GOLDEN[0][1], "--format", "table")
    assert (code, err) == (0, "")
    assert "Service credits" in out
    assert "acme-dialers" in out
    assert "673.43" in out
    assert "Downtime: 300.0 minutes from O-1, O-2, O-6 (overlaps counted once)." in out


def test_the_uptime_table_draws_a_bar_per_day() -> None:
    code, out, err = run(*GOLDEN[-1][1], "--format", "table")
    assert (code, err) == (0, "")
    assert out.count("▇▇▇▇▇▇▇") == 3  # seven days, for each of the three accounts


def test_outages_can_be_read_from_standard_input() -> None:
    args = GOLDEN[0][1]
    piped = [*args[: args.index("--outages") + 1], "-", *args[args.index("--outages") + 2 :]]
    code, out, _ = run(*piped, stdin=(ROOT / example("balto", "outages.jsonl")).read_text())
    assert code == 0
    assert out == (ROOT / GOLDEN[0][0]).read_text(encoding="utf-8")


BASE_OUTAGE = {
    "id": "O-1",
    "start": "2026-03-03T09:00:00-06:00",
    "end": "2026-03-03T12:00:00-06:00",
    "component": "core",
    "accounts": "all",
    "kind": "down",
    "cause": "internal",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end": "2026-03-03T08:00:00-06:00"}, "end", "ends before it starts"),
        ({"kind": "offline"}, "kind", "'offline' is not one of down, degraded, maintenance"),
        ({"cause": "gremlins"}, "cause", "'gremlins' is not one of internal, third_party"),
        ({"accounts": ["acme-dialers", "nobody"]}, "accounts", "account 'nobody' is not in the accounts file"),
        ({"component": "printer"}, "component", "'printer' is not a component of the policy"),
        ({"start": "2026-03-03T09:00:00"}, "start", "is not an RFC 3339 instant with an offset or Z"),
        ({"accounts": []}, "accounts", 'must be "all" or a non-empty list of account ids'),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_a_bad_outage_exits_2_naming_file_line_and_field_and_prints_nothing(
    tmp_path: Path, change: dict[str, object], field: str, message: str
) -> None:
    outages = tmp_path / "outages.jsonl"
    good = json.dumps({**BASE_OUTAGE, "id": "O-0"})
    outages.write_text(good + "\n" + json.dumps({**BASE_OUTAGE, **change}) + "\n", encoding="utf-8")
    code, out, err = run(
        "credits", "policies/balto.yaml", "--month", "2026-03", "--accounts", example("balto", "accounts.jsonl"),
        "--outages", str(outages), "--at", "2026-04-10T00:00:00Z",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"troth: {outages}:2: field '{field}': ")
    assert message in err


def test_a_repeated_outage_id_is_bad_input(tmp_path: Path) -> None:
    outages = tmp_path / "outages.jsonl"
    outages.write_text((json.dumps(BASE_OUTAGE) + "\n") * 2, encoding="utf-8")
    code, out, err = run(
        "credits", "policies/balto.yaml", "--month", "2026-03", "--accounts", example("balto", "accounts.jsonl"),
        "--outages", str(outages),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.strip() == f"troth: {outages}:2: field 'id': id 'O-1' appears twice"


def test_a_bad_line_far_from_the_month_still_stops_the_run(tmp_path: Path) -> None:
    outages = tmp_path / "outages.jsonl"
    outages.write_text(json.dumps({**BASE_OUTAGE, "start": "2024-01-01T00:00:00Z", "kind": "gone"}) + "\n")
    code, out, err = run(
        "credits", "policies/balto.yaml", "--month", "2026-03", "--accounts", example("balto", "accounts.jsonl"),
        "--outages", str(outages),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert f"{outages}:1: field 'kind'" in err


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ({"account": "nobody", "month": "2026-03", "kind": "claim", "submitted_at": "2026-04-01T00:00:00Z"},
         "account", "account 'nobody' is not in the accounts file"),
        ({"account": "praha-contact", "month": "2026-3", "kind": "claim", "submitted_at": "2026-04-01T00:00:00Z"},
         "month", "'2026-3' is not a month written YYYY-MM"),
        ({"account": "praha-contact", "month": "2026-03", "kind": "refund", "submitted_at": "2026-04-01T00:00:00Z"},
         "kind", "'refund' is not one of claim"),
    ],
)  # fmt: skip
def test_a_bad_claim_exits_2_naming_file_line_and_field(
    tmp_path: Path, line: dict[str, str], field: str, message: str
) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, out, err = run(
        "credits", "policies/eleveo.yaml", "--month", "2026-03", "--accounts", example("eleveo", "accounts.jsonl"),
        "--outages", example("eleveo", "outages.jsonl"), "--claims", str(claims),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"troth: {claims}:1: field '{field}': ")
    assert message in err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--month", "2026-13", "'2026-13' is not a month written YYYY-MM"),
        ("--month", "March", "'March' is not a month written YYYY-MM"),
        ("--at", "tomorrow", "'tomorrow' is not an RFC 3339 instant"),
    ],
)
def test_a_bad_option_exits_2_and_prints_nothing(option: str, value: str, message: str) -> None:
    args = {"--month": "2026-03", "--at": "2026-04-10T00:00:00Z", option: value}
    code, out, err = run(
        "credits", "policies/balto.yaml", "--accounts", example("balto", "accounts.jsonl"),
        "--outages", example("balto", "outages.jsonl"), *[part for pair in args.items() for part in pair],
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert option in err
    assert message in err


def test_uptime_refuses_a_range_that_ends_before_it_starts() -> None:
    code, out, err = run(
        "uptime", "policies/walt-labs.yaml", "--accounts", example("walt-labs", "accounts.jsonl"),
        "--outages", example("walt-labs", "outages.jsonl"), "--from", "2026-03-07", "--to", "2026-03-01",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "--to" in err


def test_credits_for_a_policy_without_credits_is_an_error() -> None:
    code, out, err = run(
        "credits", "policies/walt-labs.yaml", "--month", "2026-03",
        "--accounts", example("walt-labs", "accounts.jsonl"), "--outages", example("walt-labs", "outages.jsonl"),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err.strip() == "troth: policy 'walt-labs' has no uptime commitment with service credits"


def test_uptime_rows_are_one_json_object_per_line_whatever_the_account_ids() -> None:
    from troth.cli.credits import json_lines

    tricky = ['a},{"account":"b', "plain", 'x}\n{"account":']
    rows = [{"account": name, "period": "2026-03-01", "components": {"account": {"n": 1}}} for name in tricky]
    lines = json_lines(rows).decode().splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert json_lines([]) == b""
