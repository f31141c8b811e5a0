"""Policies over the API: upload versions, list, read and render them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Personas

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def policy_text(name: str) -> str:
    return (POLICIES / f"{name}.yaml").read_text()


def test_an_uploaded_policy_is_kept_exactly_as_written(world: Personas) -> None:
    version = world.ada.get("/api/policies/balto/versions/1").json()
    assert version["text"] == policy_text("balto")
    assert version["number"] == 1


def test_a_bad_file_is_refused_with_each_error_located(world: Personas) -> None:
    text = policy_text("walt-labs").replace("hours: 24x7", "hours: 25x8")
    text = text.replace("default_level: standard", "default_level: urgent")
    answer = world.ada.post("/api/policies", json={"text": text})
    assert answer.status_code == 422
    problems = answer.json()["detail"]
    assert len(problems) >= 2
    assert all(p["line"] >= 1 and p["column"] >= 1 for p in problems)
    lines = text.splitlines()
    assert any("25x8" in lines[p["line"] - 1] for p in problems)
    assert len(world.ada.get("/api/policies/walt-labs/versions").json()) == 1


def test_a_yaml_syntax_error_is_located(world: Personas) -> None:
    answer = world.ada.post("/api/policies", json={"text": "id: x\nname: [unclosed\n"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["line"] >= 2


def test_a_new_version_needs_its_own_effective_date(world: Personas) -> None:
    again = world.ada.post("/api/policies", json={"text": policy_text("balto")})
    assert again.status_code == 409
    later = policy_text("balto").replace("effective_from:", "effective_from: 2031-01-01\n# was:", 1)
    answer = world.ada.post("/api/policies", json={"text": later})
    assert answer.status_code == 201, answer.text
    assert [v["number"] for v in world.ada.get("/api/policies/balto/versions").json()] == [1, 2]


def test_a_version_renders_as_a_document(world: Personas) -> None:
    answer = world.carla.get("/api/policies/balto/versions/1/document")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/markdown")
    assert "Balto" in answer.text


def test_a_customer_sees_only_their_accounts_policy(world: Personas) -> None:
    assert [p["key"] for p in world.carla.get("/api/policies").json()] == ["balto"]
    assert world.carla.get("/api/policies/walt-labs/versions").status_code == 404


def test_only_an_admin_uploads_policies(world: Personas) -> None:
    assert world.aaron.post("/api/policies", json={"text": policy_text("eleveo")}).status_code == 403
