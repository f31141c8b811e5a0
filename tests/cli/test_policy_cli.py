"""`troth policy check | show | schema` as a user runs them: the installed command, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TROTH = Path(sys.executable).with_name("troth")
SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "policies").glob("*.yaml"))


def run(*args: str) -> tuple[int, str, str]:
    """Run `troth` from the repository root, with a wide terminal so tables are not wrapped."""
    env = {"COLUMNS": "200", "PATH": str(TROTH.parent), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([str(TROTH), *args], cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    return result.returncode, result.stdout, result.stderr


def test_check_passes_the_seed_policies_with_only_bloomneo_placeholder_warnings() -> None:
    code, out, err = run("policy", "check", *SEEDS)
    assert code == 0
    assert sorted(out.splitlines()) == sorted(
        f"{path}: ok (9 warnings)" if "bloomneo" in path else f"{path}: ok" for path in SEEDS
    )
    warnings = err.splitlines()
    assert len(warnings) == 9
    assert all(line.startswith("policies/bloomneo.yaml:") and ": warning: " in line for line in warnings)


def test_check_reports_located_errors_and_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (ROOT / "policies" / "balto.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("timezone: America/Chicago\n    hours:", "timezone: America/Chicag\n    hours:"))
    code, out, err = run("policy", "check", str(broken))
    assert code == 2
    assert out == ""
    line = next(n for n, t in enumerate(broken.read_text().splitlines(), 1) if "America/Chicag\n" in t + "\n")
    assert err.strip() == (f"{broken}:{line}:15: unknown time zone 'America/Chicag' (did you mean 'America/Chicago'?)")


def test_check_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    code, out, err = run("policy", "check", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert out == ""
    assert err.strip() == f"{tmp_path / 'nope.yaml'}: cannot be read: No such file or directory"


def test_schema_is_json_schema_of_the_document() -> None:
    code, out, _ = run("policy", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Troth policy"
    assert {"levels", "calendars", "uptime", "credits"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_show_md_contains_each_level_and_target() -> None:
    code, out, _ = run("policy", "show", str(ROOT / "policies" / "eleveo.yaml"), "--format", "md")
    assert code == 0
    for level in ("1", "2", "3", "4"):
        assert f"\n| {level} | {level} – " in out
    for target in ("first_response", "restoration", "resolution"):
        assert target in out


def test_show_draws_tables_for_a_terminal() -> None:
    code, out, _ = run("policy", "show", str(ROOT / "policies" / "third-spectrum.yaml"))
    assert code == 0
    assert "P6 — Scheduled Task" in out
    assert "Mon–Fri 08:00–17:00" in out


def test_show_of_a_broken_policy_prints_located_errors_only(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: X\n", encoding="utf-8")
    code, out, err = run("policy", "show", str(broken))
    assert code == 2
    assert out == ""
    assert f"{broken}:1:1: 'provider' is required" in err.splitlines()
