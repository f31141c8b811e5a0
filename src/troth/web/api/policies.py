"""Policies: upload a YAML version, list versions, read or render one."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import Field

from troth.services import policies as service
from troth.storage.models import PolicyRow, PolicyVersionRow
from troth.web.api.schemas import Body, DbId, Out, UtcOut
from troth.web.deps import ActorDep, DatabaseDep
from troth.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/policies", tags=["policies"], responses=ERROR_RESPONSES)

VersionNumber = DbId


class PolicyUpload(Body):
    text: str = Field(min_length=1, max_length=200_000, description="The policy file, YAML")


class PolicyOut(Out):
    key: str
    name: str
    created_at: UtcOut


class VersionOut(Out):
    policy_key: str
    number: int
    version: str
    effective_from: str
    uploaded_at: UtcOut


class VersionTextOut(VersionOut):
    text: str


class UploadOut(VersionOut):
    warnings: list[str] = Field(description="Placeholders and other things a person should look at")


def _version(row: PolicyVersionRow) -> VersionOut:
    return VersionOut(
        policy_key=row.policy_key,
        number=row.number,
        version=row.version,
        effective_from=row.effective_from.isoformat(),
        uploaded_at=row.uploaded_at,
    )


def _policy(row: PolicyRow) -> PolicyOut:
    return PolicyOut.model_validate(row)


@router.get("", response_model=list[PolicyOut])
def list_policies(database: DatabaseDep, actor: ActorDep) -> list[PolicyOut]:
    """Every SLA (provider), or the one the customer's account is on."""
    return [_policy(row) for row in service.list_policies(database, actor)]


@router.post("", response_model=UploadOut, status_code=201)
def upload_policy(body: PolicyUpload, database: DatabaseDep, actor: ActorDep) -> UploadOut:
    """Upload a version of an SLA (admin); a file with errors is a 422 listing each with line and column."""
    uploaded = service.upload_policy(database, actor, body.text)
    shown = _version(uploaded.version).model_dump()
    return UploadOut(**shown, warnings=[f"{w.line}:{w.column}: {w.message}" for w in uploaded.warnings])


@router.get("/{policy_key}/versions", response_model=list[VersionOut])
def list_versions(policy_key: str, database: DatabaseDep, actor: ActorDep) -> list[VersionOut]:
    return [_version(row) for row in service.list_versions(database, actor, policy_key)]


@router.get("/{policy_key}/versions/{number}", response_model=VersionTextOut)
def get_version(policy_key: str, number: VersionNumber, database: DatabaseDep, actor: ActorDep) -> VersionTextOut:
    """One version with its YAML text exactly as uploaded."""
    row = service.get_version(database, actor, policy_key, number)
    return VersionTextOut(**_version(row).model_dump(), text=row.text)


@router.get(
    "/{policy_key}/versions/{number}/document",
    response_model=None,
    responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}},
)
def render_version(policy_key: str, number: VersionNumber, database: DatabaseDep, actor: ActorDep) -> PlainTextResponse:
    """The version rendered as a human-readable document (Markdown)."""
    text = service.render_version(database, actor, policy_key, number)
    return PlainTextResponse(text, media_type="text/markdown")
