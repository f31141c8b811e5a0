"""Demo data: the five seed policies, their example accounts, a few weeks of tickets and outages.

Everything goes through the same services the API uses, so the demo exercises the real paths.
The data is drawn from a seeded generator: the same seed gives the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from troth.batch.accounts import read_accounts
from troth.core.accounts import Account
from troth.core.clocks import Author, EventKind, known_statuses
from troth.core.policies.model import Policy
from troth.core.uptime.records import Cause, OutageKind
from troth.services import outages, policies, tickets
from troth.services.accounts import AccountChanges, create_account
from troth.services.actors import Actor
from troth.services.clock import utc_now
from troth.services.errors import ConflictError, ServiceError
from troth.services.ticket_events import EventRequest, create_ticket, record_events
from troth.services.tokens import issue_token
from troth.services.users import bootstrap_admin
from troth.storage.database import Database
from troth.storage.models import ComponentRow, Role, UserRow

SEEDS = ("balto", "walt-labs", "bloomneo", "third-spectrum", "eleveo")
DEMO_DAYS = 21


@dataclass
class DemoReport:
    """What the demo loaded, and the tokens to try it with (shown once)."""

    policies: int = 0
    accounts: list[str] = field(default_factory=list)
    tickets: int = 0
    events: int = 0
    outages: int = 0
    maintenance: int = 0
    tokens: dict[str, str] = field(default_factory=dict)
    customer_account: str = ""


def _provider_people(database: Database, report: DemoReport) -> Actor:
    """Ada the admin and Aaron the agent; their tokens go in the report."""
    with database.writing() as session:
        if session.scalars(select(UserRow.id)).first() is not None:
            raise ConflictError("the database already has users; run the demo on an empty database (--reset)")
        admin = bootstrap_admin(session, "Ada (demo admin)")
        report.tokens["admin"] = admin.secret
        report.tokens["agent"] = _user_token(session, "Aaron (demo agent)", Role.AGENT, None)
        return Actor(user_id=admin.token.user_id, role=Role.ADMIN)


def _user_token(session: Session, name: str, role: Role, account_id: str | None) -> str:
    user = UserRow(name=name, role=role, account_id=account_id, created_at=utc_now())
    session.add(user)
    session.flush()
    return issue_token(session, user, "demo").secret


def _customer(database: Database, report: DemoReport) -> None:
    """Carla, a customer user of the first Balto account."""
    with database.writing() as session:
        report.tokens["customer"] = _user_token(
            session, "Carla (demo customer)", Role.CUSTOMER, report.customer_account
        )


def _changes(account: Account, policy_key: str) -> AccountChanges:
    values = {
        "name": account.id.replace("-", " ").title(),
        "policy_key": policy_key,
        "timezone": account.timezone,
        "plan": account.plan,
        "monthly_fee": account.monthly_fee,
        "currency": account.currency,
        "region": account.region,
        "trial": account.trial,
        "unpaid_since": account.unpaid_since,
        "overrides": dict(account.overrides),
    }
    return AccountChanges(**values, given=frozenset(values))  # type: ignore[arg-type]


def _components(database: Database, policy: Policy) -> list[str]:
    keys = [c.key for c in policy.components] or ["core"]
    with database.writing() as session:
        for component in policy.components or ():
            if session.get(ComponentRow, component.key) is None:
                session.add(
                    ComponentRow(
                        id=component.key, name=component.name, description=component.description, created_at=utc_now()
                    )
                )
        if not policy.components and session.get(ComponentRow, "core") is None:
            session.add(ComponentRow(id="core", name="Service", description="", created_at=utc_now()))
    return keys


def _ticket_events(policy: Policy, rng: random.Random, created: datetime, now: datetime) -> list[tickets.NewEvent]:
    """A plausible life for one ticket: replies, a pause, perhaps a level change, a resolution."""
    events: list[tickets.NewEvent] = []
    at = created

    def step(lo: float, hi: float) -> datetime:
        return at + timedelta(minutes=rng.uniform(lo, hi))

    pauses = sorted(known_statuses(policy) - {"open", "resolved", "solved", "closed"})
    if rng.random() < 0.3:
        at = step(5, 60)
        events.append(tickets.NewEvent(kind=EventKind.REPLY, at=at, automated=True, body="We got your request."))
    at = step(10, 600)
    events.append(tickets.NewEvent(kind=EventKind.REPLY, at=at, body="Looking into it."))
    if pauses and rng.random() < 0.4:
        at = step(30, 240)
        events.append(tickets.NewEvent(kind=EventKind.STATUS, at=at, status=pauses[0]))
        at = step(60, 1440)
        events.append(tickets.NewEvent(kind=EventKind.REPLY, at=at, author=Author.CUSTOMER, body="Here are the logs."))
        events.append(tickets.NewEvent(kind=EventKind.STATUS, at=at, status="open"))
    if rng.random() < 0.2:
        at = step(5, 120)
        events.append(tickets.NewEvent(kind=EventKind.REPLY, at=at, public=False, body="Internal: escalating."))
    if rng.random() < 0.7:
        at = step(60, 2880)
        events.append(tickets.NewEvent(kind=EventKind.RESOLVED, at=at))
    return [e for e in events if e.at is not None and e.at <= now]


def _tickets(
    database: Database, admin: Actor, account: Account, policy: Policy, rng: random.Random, report: DemoReport
) -> None:
    now = utc_now()
    for _ in range(rng.randint(3, 8)):
        created = now - timedelta(days=rng.uniform(0.2, DEMO_DAYS))
        level = rng.choice(policy.levels).key
        new = tickets.NewTicket(
            account_id=account.id,
            subject=rng.choice(SUBJECTS),
            level=level,
            platform_level=rng.random() < 0.2,
            channel=rng.choice(("portal", "email", "phone")),
            at=created,
        )
        view = create_ticket(database, admin, new, now=now)
        report.tickets += 1
        report.events += 1
        requests = [EventRequest(admin, view.ticket.id, e) for e in _ticket_events(policy, rng, created, now)]
        for outcome in record_events(database, requests, now):
            if isinstance(outcome, ServiceError):
                raise outcome
            report.events += 1


def _outages(
    database: Database, admin: Actor, components: list[str], accounts: list[str], rng: random.Random, report: DemoReport
) -> None:
    now = utc_now()
    for component in components[:2]:
        start = now - timedelta(days=rng.uniform(1, DEMO_DAYS))
        outages.open_outage(
            database,
            admin,
            outages.NewOutage(
                component_id=component,
                title=f"{component.replace('_', ' ').title()} unavailable",
                kind=rng.choice((OutageKind.DOWN, OutageKind.DOWN, OutageKind.DEGRADED)),
                cause=rng.choice((Cause.INTERNAL, Cause.INTERNAL, Cause.THIRD_PARTY)),
                start_at=start,
                end_at=start + timedelta(minutes=rng.uniform(10, 150)),
                accounts=accounts,
            ),
        )
        report.outages += 1
    start = (now - timedelta(days=rng.uniform(3, 10))).replace(minute=0, second=0)
    window = outages.schedule_maintenance(
        database,
        admin,
        outages.NewMaintenance(
            component_id=components[0],
            title="Database upgrade",
            start_at=start,
            end_at=start + timedelta(hours=1),
            accounts=accounts,
        ),
    )
    outages.announce_maintenance(
        database, admin, window.window.id, "Planned upgrade; short interruptions.", start - timedelta(days=3)
    )
    report.maintenance += 1


SUBJECTS = (
    "Calls drop after a few seconds",
    "Cannot log in to the dashboard",
    "Report export is empty",
    "Question about the API limits",
    "Slow page loads since this morning",
    "Feature request: dark mode",
    "Webhook deliveries failing",
    "Invoice shows the wrong plan",
)


def load_demo(database: Database, policies_dir: Path, examples_dir: Path, seed: int = 7) -> DemoReport:
    """Load the demo into an empty database and return what was loaded, with fresh tokens."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    report = DemoReport()
    seeds = [(name, read_accounts(str(examples_dir / name / "accounts.jsonl"))) for name in SEEDS]
    report.customer_account = next(iter(seeds[0][1]))
    admin = _provider_people(database, report)
    for name, accounts in seeds:
        uploaded = policies.upload_policy(database, admin, (policies_dir / f"{name}.yaml").read_text())
        policy = policies.parsed_policy(uploaded.version)
        report.policies += 1
        components = _components(database, policy)
        for account in accounts.values():
            create_account(database, admin, account.id, _changes(account, policy.id))
            report.accounts.append(account.id)
            _tickets(database, admin, account, policies.effective_for(uploaded.version, account), rng, report)
        _outages(database, admin, components, list(accounts), rng, report)
    _customer(database, report)
    return report
