"""`troth init`, `troth serve`, `troth demo` and `troth db upgrade`: the server's commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from troth.settings import Settings

# The server's modules (SQLAlchemy, Alembic, uvicorn, FastAPI) are imported inside each command, so
# that the batch commands, which share this entry point, do not pay a second of imports on every run.

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL; default TROTH_DATABASE_URL, else ./troth.db (SQLite)"),
]


def _settings(database_url: str | None) -> Settings:
    from troth.settings import load_settings

    return load_settings(database_url=database_url) if database_url else load_settings()


def _say(text: str) -> None:
    typer.echo(text, err=True)


def init(database_url: DatabaseOption = None) -> None:
    """Create the database (or bring it up to date) and print the first admin's token, once."""
    from sqlalchemy import select

    from troth.services.users import bootstrap_admin
    from troth.storage import migrate
    from troth.storage.database import open_database
    from troth.storage.models import Role, UserRow

    settings = _settings(database_url)
    database = open_database(settings.database_url)
    migrate.upgrade(database.engine)
    with database.writing() as session:
        if session.scalars(select(UserRow.id).where(UserRow.role == Role.ADMIN)).first() is not None:
            _say("troth: the database is already initialised; no new admin token was made")
            database.dispose()
            return
        issued = bootstrap_admin(session, "Admin")
    database.dispose()
    _say(f"Database ready: {database.engine.url.render_as_string(hide_password=True)}")
    _say("The first admin's API token (shown once; keep it safe):")
    typer.echo(issued.secret)


def serve(
    database_url: DatabaseOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Server processes")] = 1,
) -> None:
    """Run the API server (uvicorn); OpenAPI documentation at /docs."""
    import uvicorn

    settings = _settings(database_url)
    os.environ["TROTH_DATABASE_URL"] = settings.database_url  # the worker processes read their settings here
    uvicorn.run(
        "troth.web.app:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def demo(
    *,
    database_url: DatabaseOption = None,
    reset: Annotated[bool, typer.Option("--reset", help="Wipe the database first")] = False,
    policies_dir: Annotated[Path, typer.Option("--policies", help="Folder of the seed policies")] = Path("policies"),
    examples_dir: Annotated[Path, typer.Option("--examples", help="Folder of the example accounts")] = Path("examples"),
) -> None:
    """Load the five seed policies, demo accounts on each, a few weeks of tickets and outages; print tokens."""
    from troth.services.demo import load_demo
    from troth.storage import migrate
    from troth.storage.database import open_database
    from troth.storage.schema import drop_everything

    settings = _settings(database_url)
    database = open_database(settings.database_url)
    if reset:
        drop_everything(database.engine)
    migrate.upgrade(database.engine)
    report = load_demo(database, policies_dir, examples_dir)
    database.dispose()
    _say(
        f"Demo loaded: {report.policies} policies, {len(report.accounts)} accounts, {report.tickets} tickets "
        f"({report.events} events), {report.outages} outages, {report.maintenance} maintenance windows."
    )
    typer.echo(f"admin token:    {report.tokens['admin']}")
    typer.echo(f"agent token:    {report.tokens['agent']}")
    typer.echo(f"customer token: {report.tokens['customer']}   (account {report.customer_account})")
    _say("Start the server with `troth serve`, then open http://127.0.0.1:8000/docs")


def upgrade(database_url: DatabaseOption = None) -> None:
    """Apply every database migration not yet applied."""
    from troth.storage import migrate
    from troth.storage.database import open_database

    settings = _settings(database_url)
    database = open_database(settings.database_url)
    migrate.upgrade(database.engine)
    _say(f"Database at revision {migrate.current_revision(database.engine)}")
    database.dispose()


def register(app: typer.Typer) -> None:
    """Add the server's commands to the `troth` app."""
    app.command()(init)
    app.command()(serve)
    app.command()(demo)
    db = typer.Typer(help="Database chores.", no_args_is_help=True)
    db.command("upgrade")(upgrade)
    app.add_typer(db, name="db")
