"""`troth policy` commands: check policy files, show one as tables or Markdown, print the JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from troth.batch.policy_files import check_policy_file
from troth.core.policies.diagnostics import Problem
from troth.core.policies.document import PolicyDocument
from troth.core.policies.render import Section, policy_sections, to_markdown

EXIT_BAD_INPUT = 2

policy_app = typer.Typer(
    name="policy",
    help="Validate, show and describe SLA policy files.",
    no_args_is_help=True,
)


class ShowFormat(StrEnum):
    TABLE = "table"
    MD = "md"


def _print_problems(problems: Iterable[Problem]) -> None:
    # emoji=False: rich would otherwise turn a location such as ":100:" into an emoji.
    errors = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    for problem in problems:
        errors.print(str(problem), markup=False)


@policy_app.command("check")
def check(files: Annotated[list[str], typer.Argument(help="Policy files to validate.")]) -> None:
    """Validate policy files: errors as file:line:column (exit 2), placeholder warnings, "ok" otherwise."""
    failed = False
    for path in files:
        result = check_policy_file(path)
        _print_problems(result.problems)
        if result.errors:
            failed = True
            continue
        warned = f" ({len(result.warnings)} warnings)" if result.warnings else ""
        typer.echo(f"{path}: ok{warned}")
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _rich_section(console: Console, section: Section, *, first: bool) -> None:
    style = "bold underline" if first else "bold"
    console.rule(f"[{style}]{section.title}", characters="═" if first else "─")
    for paragraph in section.paragraphs:
        console.print(" ".join(paragraph.split()), markup=False)
    for table in section.tables:
        rich_table = RichTable(title=table.title or None, show_lines=True, title_justify="left")
        for header in table.headers:
            rich_table.add_column(header, overflow="fold")
        for row in table.rows:
            rich_table.add_row(*row)
        console.print(rich_table)


@policy_app.command("show")
def show(
    file: Annotated[str, typer.Argument(help="The policy file to show.")],
    output_format: Annotated[
        ShowFormat, typer.Option("--format", help="table: rich tables for a terminal; md: Markdown.")
    ] = ShowFormat.TABLE,
) -> None:
    """Show a policy as a human-readable document: levels, targets, calendars, uptime, credits..."""
    result = check_policy_file(file)
    if result.policy is None:
        _print_problems(result.errors)
        raise typer.Exit(EXIT_BAD_INPUT)
    policy = result.policy
    if output_format is ShowFormat.MD:
        typer.echo(to_markdown(policy), nl=False)
        return
    console = Console(highlight=False, emoji=False)
    for index, section in enumerate(policy_sections(policy)):
        _rich_section(console, section, first=index == 0)


@policy_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of a policy file (for editors and other tools)."""
    typer.echo(json.dumps(PolicyDocument.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `troth` app."""
    app.add_typer(policy_app)
