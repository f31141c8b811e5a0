"""`troth init` and `troth db upgrade` on a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from troth.cli.app import app
from troth.services.tokens import authenticate
from troth.storage import migrate
from troth.storage.database import open_database
from troth.storage.models import Role


def test_init_makes_the_database_and_prints_the_first_admin_token_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'troth.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["init", "--database-url", url])
    assert first.exit_code == 0, first.output
    token = first.stdout.strip()
    database = open_database(url)
    actor = authenticate(database, token)
    assert actor is not None
    assert actor.role is Role.ADMIN
    second = runner.invoke(app, ["init", "--database-url", url])
    assert second.exit_code == 0
    assert second.stdout == ""
    assert migrate.current_revision(database.engine) == migrate.head_revision(database.engine)
    database.dispose()


def test_db_upgrade_brings_an_empty_database_to_the_latest_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'troth.db'}"
    answer = CliRunner().invoke(app, ["db", "upgrade", "--database-url", url])
    assert answer.exit_code == 0, answer.output
    database = open_database(url)
    assert migrate.current_revision(database.engine) == migrate.head_revision(database.engine)
    database.dispose()


def test_demo_reset_reloads_a_database_that_already_holds_the_demo(tmp_path: Path) -> None:
    """`make run` resets the demo each time it starts, so the second load must succeed too."""
    root = Path(__file__).resolve().parents[2]
    url = f"sqlite:///{tmp_path / 'troth.db'}"
    arguments = ["demo", "--reset", "--database-url", url]
    arguments += ["--policies", str(root / "policies"), "--examples", str(root / "examples")]
    runner = CliRunner()
    first = runner.invoke(app, arguments)
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, arguments)
    assert second.exit_code == 0, second.output
    assert "admin token:" in second.stdout
    assert first.stdout != second.stdout  # fresh tokens after the reset
