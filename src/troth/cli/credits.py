"""`troth credits` and `troth uptime`: read the files, call the core, print JSON Lines or tables.

Progress goes to standard error when it is a terminal (silent otherwise); results go to standard
output only once every input line has been read and checked, so bad input prints nothing there.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, TypeVar

import orjson
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from troth.batch.accounts import read_accounts
from troth.batch.jsonl import write_lines
from troth.batch.outages import OutageCheck, iter_outages, read_claims
from troth.batch.policy_files import read_policy
from troth.core.accounts import Account
from troth.core.credits.month import AccountTerms, month_statements
from troth.core.credits.statement import CreditStatement
from troth.core.instants import parse_instant
from troth.core.policies.effective import effective_policy, terms_key
from troth.core.policies.model import Policy
from troth.core.uptime.history import HistoryTerms, PeriodKind, Row, uptime_history
from troth.core.uptime.periods import Month
from troth.core.uptime.records import Outage


class OutputFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="json: JSON Lines (default); table: for a person.")
]
AtOption = Annotated[
    str | None, typer.Option("--at", help="Evaluation instant, RFC 3339 (default: now); open outages run to it.")
]
AccountsOption = Annotated[str, typer.Option("--accounts", help="Accounts file (JSON Lines, - for stdin).")]
OutagesOption = Annotated[str, typer.Option("--outages", help="Outages and maintenance file (JSON Lines).")]


_Item = TypeVar("_Item")


class _Steps:
    """Progress on standard error in a terminal; does nothing otherwise."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress

    def counting(self, description: str, items: Iterable[_Item], every: int = 1000) -> Iterator[_Item]:
        """`items`, unchanged, counted on the progress display every `every` items."""
        if self._progress is None:
            yield from items
            return
        task = self._progress.add_task(description, total=None)
        for count, item in enumerate(items, start=1):
            if count % every == 0:
                self._progress.update(task, completed=count, description=f"{description} ({count:,})")
            yield item
        self._progress.update(task, description=f"{description} (done)", total=1, completed=1)

    def step(self, description: str) -> None:
        if self._progress is not None:
            self._progress.add_task(description, total=None)


@contextmanager
def _steps() -> Iterator[_Steps]:
    # These commands build millions of small acyclic objects (records, rows); the cyclic garbage
    # collector would rescan everything already loaded each time, for nothing. Reference counting
    # still frees them; collection resumes afterwards.
    gc.disable()
    try:
        if not sys.stderr.isatty():
            yield _Steps(None)
            return
        console = Console(stderr=True)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as progress:
            yield _Steps(progress)
    finally:
        gc.enable()


def _instant(text: str | None, option: str) -> datetime:
    if text is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_instant(text)
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not an RFC 3339 instant with an offset or Z", param_hint=option
        ) from None


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date written YYYY-MM-DD", param_hint=option) from None


def _effective(policy: Policy, accounts: dict[str, Account]) -> dict[str, Policy]:
    """Each account's effective policy; accounts on the same plan and terms share one."""
    cache: dict[object, Policy] = {}
    found = {}
    for account in accounts.values():
        key = terms_key(account)
        if key not in cache:
            cache[key] = effective_policy(policy, account)
        found[account.id] = cache[key]
    return found


def _outages(
    steps: _Steps,
    path: str,
    policy: Policy,
    accounts: dict[str, Account],
    accounts_path: str,
    span: tuple[datetime, datetime],
) -> list[Outage]:
    """The records of the outages file that can touch `[lo, hi)`; every line is checked."""
    check = OutageCheck(
        accounts=accounts, accounts_file=accounts_path, components=frozenset(c.key for c in policy.components)
    )
    return list(steps.counting("Reading outages", iter_outages(path, check, touching=span)))


def credits_command(
    policy_file: Annotated[str, typer.Argument(metavar="POLICY", help="The policy file.")],
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM, in the policy's time zone.")],
    accounts_file: AccountsOption,
    outages_file: OutagesOption,
    claims_file: Annotated[str | None, typer.Option("--claims", help="Claims file (JSON Lines).")] = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.JSON,
) -> None:
    """Service credits per account for one month, with the explanation of every minute and cent."""
    try:
        chosen = Month.parse(month)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--month") from None
    instant = _instant(at, "--at")
    with _steps() as steps:
        policy = read_policy(policy_file)
        accounts = read_accounts(accounts_file)
        policies = _effective(policy, accounts)
        # A day either side of the month covers every zone's idea of where the month begins.
        span = (
            datetime.combine(chosen.first_day, datetime.min.time(), UTC) - timedelta(days=2),
            datetime.combine(chosen.next().first_day, datetime.min.time(), UTC) + timedelta(days=2),
        )
        outages = _outages(steps, outages_file, policy, accounts, accounts_file, span)
        claims = read_claims(claims_file, accounts, accounts_file) if claims_file else []
        steps.step("Computing credits")
        terms = [AccountTerms(account=a, policy=policies[a.id]) for a in accounts.values()]
        statements = month_statements(terms, outages, claims, chosen, instant)
    if output is OutputFormat.TABLE:
        _credits_table(statements)
        return
    write_lines(s.as_row() for s in statements)


def uptime_command(
    policy_file: Annotated[str, typer.Argument(metavar="POLICY", help="The policy file.")],
    accounts_file: AccountsOption,
    outages_file: OutagesOption,
    first: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD (policy's time zone).")],
    last: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD, included.")],
    by: Annotated[PeriodKind, typer.Option("--by", help="One row per day or per month.")] = PeriodKind.DAY,
    at: AtOption = None,
    output: FormatOption = OutputFormat.JSON,
) -> None:
    """Uptime per account per day or month (and per component), with the month's error budget left."""
    start, end = _day(first, "--from"), _day(last, "--to")
    if end < start:
        raise typer.BadParameter(f"'{last}' is before --from '{first}'", param_hint="--to")
    instant = _instant(at, "--at")
    with _steps() as steps:
        policy = read_policy(policy_file)
        accounts = read_accounts(accounts_file)
        policies = _effective(policy, accounts)
        span = (
            datetime.combine(Month.of(start).first_day, datetime.min.time(), UTC) - timedelta(days=2),
            datetime.combine(end, datetime.min.time(), UTC) + timedelta(days=33),
        )
        outages = _outages(steps, outages_file, policy, accounts, accounts_file, span)
        terms = [HistoryTerms(account=a, policy=policies[a.id]) for a in accounts.values()]
        batches = uptime_history(terms, outages, start, end, by, instant)
        if output is OutputFormat.TABLE:
            rows = [row for batch in batches for row in batch]
        else:
            _write_batches(steps.counting("Measuring and writing, accounts", batches, every=100))
            return
    _uptime_table(rows, by)


def _write_batches(batches: Iterable[list[Row]]) -> None:
    """JSON Lines, one write per account: a year of days for many accounts is millions of lines."""
    out = sys.stdout.buffer
    for rows in batches:
        out.write(json_lines(rows))
    out.flush()


_BETWEEN_ROWS = b'},{"account":'


def json_lines(rows: list[Row]) -> bytes:
    """Rows whose first key is "account", as JSON Lines.

    One `orjson.dumps` of the whole list is twice as fast as one call per row (millions of rows);
    the list is then cut between rows. `},{"account":` can only be such a boundary: inside a JSON
    string every `"` is escaped, and no value in a row is a list of objects.
    """
    if not rows:
        return b""
    return orjson.dumps(rows)[1:-1].replace(_BETWEEN_ROWS, b'}\n{"account":') + b"\n"


def _console() -> Console:
    """Standard output for a person; wide when it is a file, so that tables are not truncated."""
    console = Console(highlight=False, emoji=False)
    return console if console.is_terminal else Console(highlight=False, emoji=False, width=160)


def _credits_table(statements: list[CreditStatement]) -> None:
    console = _console()
    table = Table(title="Service credits", title_justify="left")
    for header in (
        "Account",
        "Month",
        "Uptime %",
        "Commitment %",
        "Measured min",
        "Downtime min",
        "Excluded min",
        "Credit %",
        "Credit",
        "Status",
    ):
        table.add_column(header, justify="left" if header in ("Account", "Month", "Status") else "right")
    for statement in statements:
        row = statement.as_row()
        style = {"applied": "green", "unclaimed": "yellow", "expired": "red", "ineligible": "magenta"}.get(
            str(row["status"]), ""
        )
        table.add_row(
            *(
                str(row[k])
                for k in (
                    "account",
                    "month",
                    "uptime_percent",
                    "commitment_percent",
                    "measured_minutes",
                    "downtime_minutes",
                    "excluded_minutes",
                    "credit_percent",
                )
            ),
            f"{row['credit_amount']} {statement.currency}",
            Text(str(row["status"]), style=style),
        )
    console.print(table)
    for statement in statements:
        if statement.figures.downtime_seconds or statement.figures.excluded_seconds:
            console.rule(f"[bold]{statement.account}")
            for line in statement.explanation:
                console.print(f"  • {line}", markup=False)


def _bar_style(row: Row) -> str:
    if not row["measured_minutes"]:
        return "grey50"
    uptime = float(row["uptime_percent"])
    commitment = row["commitment_percent"]
    if uptime >= 100:
        return "green"
    if commitment is not None and uptime < float(commitment):
        return "red"
    return "yellow"


def _uptime_table(rows: list[Row], by: PeriodKind) -> None:
    console = _console()
    accounts: dict[str, list[Row]] = {}
    for row in rows:
        accounts.setdefault(str(row["account"]), []).append(row)
    for account, own in accounts.items():
        table = Table(title=account, title_justify="left", show_edge=False)
        table.add_column("Month" if by is PeriodKind.DAY else "Period")
        table.add_column("History" if by is PeriodKind.DAY else "Uptime %")
        table.add_column("Downtime min", justify="right")
        table.add_column("Budget left min", justify="right")
        for label, group in _by_month(own, by):
            bars = Text()
            for row in group:
                bars.append("▇" if by is PeriodKind.DAY else f"{row['uptime_percent']}", style=_bar_style(row))
            downtime = round(sum(float(r["downtime_minutes"]) for r in group), 4)
            budget = group[-1]["budget_left_minutes"]
            table.add_row(label, bars, str(downtime), "—" if budget is None else str(budget))
        console.print(table)
        console.print(
            "  [green]▇[/] 100 %  [yellow]▇[/] below 100 %  [red]▇[/] below the commitment  [grey50]▇[/] not measured\n"
        )


def _by_month(rows: list[Row], by: PeriodKind) -> Iterator[tuple[str, list[Row]]]:
    key: Callable[[Row], str] = (
        (lambda r: str(r["period"])[:7]) if by is PeriodKind.DAY else (lambda r: str(r["period"]))
    )
    current: list[Row] = []
    for row in rows:
        if current and key(current[0]) != key(row):
            yield key(current[0]), current
            current = []
        current.append(row)
    if current:
        yield key(current[0]), current


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `troth` app."""
    app.command("credits")(credits_command)
    app.command("uptime")(uptime_command)
