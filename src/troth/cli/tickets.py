"""`troth tickets` commands: evaluate many tickets' clocks, or explain one ticket's."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from troth.batch.accounts import read_accounts
from troth.batch.bulk_threads import evaluate_in_threads
from troth.batch.clock_lines import encode_chunks
from troth.batch.events import Progress as ReadProgress
from troth.batch.events import located, read_event_columns, read_events, vocabulary
from troth.batch.jsonl import display_name
from troth.batch.memory import keep_freed_memory
from troth.batch.policy_files import read_policy_history
from troth.core.accounts import Account
from troth.core.clocks import TicketError, ticket_facts
from troth.core.clocks.assign import assign, policy_for_ticket
from troth.core.clocks.columns import ClockColumns
from troth.core.clocks.explain import Step, explain_ticket
from troth.core.errors import InputError
from troth.core.instants import format_utc, parse_instant, to_epoch
from troth.core.policies.model import PolicyHistory

PROGRESS_BYTES = 50_000_000
"""Inputs from this size on take a few seconds: they get a progress bar (on a terminal)."""

PolicyArg = Annotated[str, typer.Argument(help="Policy file (YAML).", show_default=False)]
EventsArg = Annotated[
    str, typer.Argument(help="Ticket events, JSON Lines ('-' for standard input).", show_default=False)
]
AccountsOpt = Annotated[str | None, typer.Option("--accounts", help="Accounts, JSON Lines.", show_default=False)]
AtOpt = Annotated[
    str | None, typer.Option("--at", help="Evaluation instant, RFC 3339 (default: now).", show_default=False)
]
VersionsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--version-file", help="Another version of the same policy; each ticket uses the one in force at its creation."
    ),
]


def evaluation_instant(text: str | None) -> datetime:
    """`--at`, or the clock's now: the only place the ticket commands read the time."""
    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_instant(text)
    except ValueError:
        raise InputError(
            f"'{text}' is not an RFC 3339 instant with an offset or Z", file="command line", field="--at"
        ) from None


def _history(policy: str, versions: list[str] | None) -> PolicyHistory:
    return read_policy_history([policy, *(versions or [])])


@contextmanager
def _progress(path: str) -> Iterator[ReadProgress | None]:
    """A progress bar on standard error for large inputs, only when it is a terminal."""
    size = 0 if path == "-" else Path(path).stat().st_size if Path(path).is_file() else 0
    console = Console(stderr=True)
    if size < PROGRESS_BYTES or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn  # only on a terminal

    columns = (TextColumn("reading events"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("read", total=size)
        yield lambda done: bar.update(task, completed=done)


def evaluate(
    policy: PolicyArg,
    events: EventsArg,
    accounts: AccountsOpt = None,
    at: AtOpt = None,
    version_file: VersionsOpt = None,
) -> None:
    """Print every target of every ticket's level at --at (CONTRACT.md, `tickets evaluate`)."""
    keep_freed_memory()
    instant = evaluation_instant(at)
    history = _history(policy, version_file)
    known = read_accounts(accounts) if accounts is not None else None
    with _progress(events) as progress:
        columns = read_event_columns(events, vocabulary(history), progress)
    try:
        clocks = evaluate_in_threads(columns, assign(columns, history, known), at=to_epoch(instant))
    except TicketError as error:
        raise located(error, events) from None
    del columns  # the events are no longer needed: free them before the output is built
    _write(clocks)
    if clocks.skipped_tickets:
        Console(stderr=True).print(
            f"troth: {clocks.skipped_tickets} ticket(s) created after {format_utc(instant)} have no clocks yet",
            markup=False,
            highlight=False,
        )


def _write(clocks: ClockColumns) -> None:
    """The output lines on standard output (encoded by both cores, written in order)."""
    out = sys.stdout.buffer
    for chunk in encode_chunks(clocks):
        out.write(chunk)
    out.flush()


def _account(known: dict[str, Account] | None, name: str | None, line: int, path: str) -> Account | None:
    if known is None or name is None:
        return None
    if name not in known:
        raise InputError(
            f"account '{name}' is not in the accounts file", file=display_name(path), line=line, field="account"
        )
    return known[name]


def explain(
    policy: PolicyArg,
    events: EventsArg,
    ticket: Annotated[str, typer.Option("--ticket", help="The ticket to explain.", show_default=False)],
    accounts: AccountsOpt = None,
    at: AtOpt = None,
    version_file: VersionsOpt = None,
) -> None:
    """Explain, target by target, how one ticket's clocks reach their verdict."""
    instant = evaluation_instant(at)
    history = _history(policy, version_file)
    known = read_accounts(accounts) if accounts is not None else None
    mine = [e for e in read_events(events, vocabulary(history)) if e.ticket == ticket]
    if not mine:
        raise InputError(f"has no events for ticket '{ticket}'", file=display_name(events), field="ticket")
    try:
        created = next((e for e in mine if e.kind.value == "created"), mine[0])
        account = _account(known, created.account, created.sequence, events)
        sla = policy_for_ticket(history, account, created.at)
        facts = ticket_facts(mine, at=instant, default_level=sla.default_level)
        if facts is None:
            raise InputError(
                f"ticket '{ticket}' is created after {format_utc(instant)}", file="command line", field="--at"
            )
        steps = explain_ticket(facts, sla, customer_timezone=None if account is None else account.timezone)
    except TicketError as error:
        raise located(error, events) from None
    _print_steps(ticket, instant, steps)


def _when(step: Step) -> str:
    if step.at is None:
        return ""
    utc = format_utc(step.at)
    if step.zone is None or step.zone == "UTC":
        return utc
    local = step.at.astimezone(ZoneInfo(step.zone))
    return f"{utc} ({local.strftime('%a %Y-%m-%d %H:%M:%S')} {step.zone})"


def _print_steps(ticket: str, instant: datetime, steps: list[Step]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"Ticket {ticket}, evaluated at {format_utc(instant)}", markup=False)
    current = None
    for step in steps:
        if step.target != current:
            current = step.target
            if current:
                console.print(f"\n{current}", markup=False, style="bold")
        when = _when(step)
        console.print(f"  {when + '  ' if when else ''}{step.text}", markup=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `troth` app."""
    group = typer.Typer(
        help="Ticket clocks: due times, status and elapsed business time per target.", no_args_is_help=True
    )
    group.command("evaluate")(evaluate)
    group.command("explain")(explain)
    app.add_typer(group, name="tickets")
