"""Components, outages (open, update, close) and maintenance windows (schedule, announce)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import Field

from troth.core.uptime.records import Cause, OutageKind
from troth.services import outages as service
from troth.services.outages import MaintenanceView, NewMaintenance, NewOutage, OutageView
from troth.storage.models import ComponentRow
from troth.web.api.schemas import Body, DbId, Instant, Key, Name, Out, Text, UtcOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["outages"], responses=ERROR_RESPONSES)

Affected = Literal["all"] | Annotated[list[Key], Field(min_length=1, max_length=1000)]
Title = Annotated[str, Field(min_length=1, max_length=300)]


class ComponentIn(Body):
    id: Key
    name: Name
    description: Text = ""


class ComponentOut(Out):
    id: str
    name: str
    description: str
    created_at: UtcOut


class OutageIn(Body):
    component_id: Key
    title: Title
    kind: Literal["down", "degraded"] = "down"
    cause: Cause = Cause.INTERNAL
    start_at: Instant | None = Field(default=None, description="Default: now")
    end_at: Instant | None = Field(default=None, description="None: still going on")
    accounts: Affected = "all"


class OutageUpdateIn(Body):
    message: Text = Field(min_length=1)
    kind: Literal["down", "degraded"] | None = None
    cause: Cause | None = None


class OutageCloseIn(Body):
    end_at: Instant | None = Field(default=None, description="Default: now")


class UpdateOut(Out):
    at: UtcOut
    message: str


class OutageOut(Out):
    id: int
    component_id: str
    title: str
    kind: str
    cause: str
    start_at: UtcOut
    end_at: UtcOut | None
    accounts: Literal["all"] | list[str]
    updates: list[UpdateOut]


class MaintenanceIn(Body):
    component_id: Key
    title: Title
    start_at: Instant
    end_at: Instant
    accounts: Affected = "all"


class AnnouncementIn(Body):
    message: Text = Field(min_length=1)
    at: Instant | None = Field(default=None, description="Default: now")


class MaintenanceOut(Out):
    id: int
    component_id: str
    title: str
    start_at: UtcOut
    end_at: UtcOut
    accounts: Literal["all"] | list[str]
    announced_at: UtcOut | None
    announcements: list[UpdateOut]


def _accounts(affected: Affected) -> list[str] | None:
    return None if affected == "all" else list(affected)


def _outage(view: OutageView) -> OutageOut:
    row = view.outage
    return OutageOut(
        id=row.id,
        component_id=row.component_id,
        title=row.title,
        kind=row.kind,
        cause=row.cause,
        start_at=row.start_at,
        end_at=row.end_at,
        accounts="all" if view.accounts is None else view.accounts,
        updates=[UpdateOut.model_validate(u) for u in view.updates],
    )


def _window(view: MaintenanceView) -> MaintenanceOut:
    row = view.window
    return MaintenanceOut(
        id=row.id,
        component_id=row.component_id,
        title=row.title,
        start_at=row.start_at,
        end_at=row.end_at,
        accounts="all" if view.accounts is None else view.accounts,
        announced_at=view.announced_at,
        announcements=[UpdateOut.model_validate(a) for a in view.announcements],
    )


def _component(row: ComponentRow) -> ComponentOut:
    return ComponentOut.model_validate(row)


@router.get("/components", response_model=list[ComponentOut], tags=["components"])
def list_components(database: DatabaseDep, actor: ActorDep) -> list[ComponentOut]:
    return [_component(row) for row in service.list_components(database)]


@router.post("/components", response_model=ComponentOut, status_code=201, tags=["components"])
def create_component(body: ComponentIn, database: DatabaseDep, actor: ActorDep) -> ComponentOut:
    """Add a component outages and maintenance can name (provider)."""
    return _component(service.create_component(database, actor, body.id, body.name, body.description))


@router.get("/components/{component_id}", response_model=ComponentOut, tags=["components"])
def get_component(component_id: str, database: DatabaseDep, actor: ActorDep) -> ComponentOut:
    return _component(service.get_component(database, component_id))


@router.get("/outages", response_model=list[OutageOut])
def list_outages(database: DatabaseDep, actor: ActorDep, account_id: str | None = None) -> list[OutageOut]:
    """Outages (a customer: those affecting their account)."""
    return [_outage(view) for view in service.list_outages(database, actor, account_id)]


@router.post("/outages", response_model=OutageOut, status_code=201)
def open_outage(body: OutageIn, database: DatabaseDep, actor: ActorDep) -> OutageOut:
    """Open an outage (provider); with `end_at` it records one that is already over."""
    new = NewOutage(
        component_id=body.component_id,
        title=body.title,
        kind=OutageKind(body.kind),
        cause=body.cause,
        start_at=body.start_at,
        end_at=body.end_at,
        accounts=_accounts(body.accounts),
    )
    return _outage(service.open_outage(database, actor, new))


@router.get("/outages/{outage_id}", response_model=OutageOut)
def get_outage(outage_id: DbId, database: DatabaseDep, actor: ActorDep) -> OutageOut:
    return _outage(service.get_outage(database, actor, outage_id))


@router.post("/outages/{outage_id}/updates", response_model=OutageOut, status_code=201)
def update_outage(outage_id: DbId, body: OutageUpdateIn, database: DatabaseDep, actor: ActorDep) -> OutageOut:
    """Post an update; it may correct the outage's kind or cause."""
    kind = None if body.kind is None else OutageKind(body.kind)
    view = service.update_outage(database, actor, outage_id, message=body.message, kind=kind, cause=body.cause)
    return _outage(view)


@router.post("/outages/{outage_id}/close", response_model=OutageOut)
def close_outage(outage_id: DbId, body: OutageCloseIn, database: DatabaseDep, actor: ActorDep) -> OutageOut:
    """End an outage, now or at `end_at` (after its start)."""
    return _outage(service.close_outage(database, actor, outage_id, body.end_at))


@router.get("/maintenance", response_model=list[MaintenanceOut], tags=["maintenance"])
def list_maintenance(database: DatabaseDep, actor: ActorDep, account_id: str | None = None) -> list[MaintenanceOut]:
    return [_window(view) for view in service.list_maintenance(database, actor, account_id)]


@router.post("/maintenance", response_model=MaintenanceOut, status_code=201, tags=["maintenance"])
def schedule_maintenance(body: MaintenanceIn, database: DatabaseDep, actor: ActorDep) -> MaintenanceOut:
    """Schedule a maintenance window (provider); announce it to make it count as announced."""
    new = NewMaintenance(
        component_id=body.component_id,
        title=body.title,
        start_at=body.start_at,
        end_at=body.end_at,
        accounts=_accounts(body.accounts),
    )
    return _window(service.schedule_maintenance(database, actor, new))


@router.get("/maintenance/{maintenance_id}", response_model=MaintenanceOut, tags=["maintenance"])
def get_maintenance(maintenance_id: DbId, database: DatabaseDep, actor: ActorDep) -> MaintenanceOut:
    return _window(service.get_maintenance(database, actor, maintenance_id))


@router.post(
    "/maintenance/{maintenance_id}/announcements", response_model=MaintenanceOut, status_code=201, tags=["maintenance"]
)
def announce(maintenance_id: DbId, body: AnnouncementIn, database: DatabaseDep, actor: ActorDep) -> MaintenanceOut:
    """Announce a window; the earliest announcement is what the policy's notice rule is checked against."""
    return _window(service.announce_maintenance(database, actor, maintenance_id, body.message, body.at))
