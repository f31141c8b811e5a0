"""The `troth` command's entry point: one Typer app, with a subcommand module per concept."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from troth.cli import credits, policy, server, tickets
from troth.core.errors import TrothError

app = typer.Typer(
    name="troth",
    help="Keeps the promises written in Service Level Agreements, and proves it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
policy.register(app)
tickets.register(app)
credits.register(app)
server.register(app)

EXIT_BAD_INPUT = 2


def main() -> None:
    """Run the CLI; bad input is reported on standard error with exit status 2, never a traceback."""
    try:
        app()
    except TrothError as error:
        Console(stderr=True, highlight=False, soft_wrap=True, emoji=False).print(f"troth: {error}", markup=False)
        sys.exit(EXIT_BAD_INPUT)
