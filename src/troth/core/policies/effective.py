"""The policy as it applies to one account: its plan's commitment, then its contract's overrides.

"Unless stated otherwise on a customer contract": an account's `overrides` map dotted policy paths
(the paths of the policy file) to values in policy-file syntax, e.g.
`levels.standard.targets.first_response.duration: "15m"`, `uptime.commitment_percent: "99.9"`,
`credits.cap_percent: "40"`. An unknown path is a PolicyError naming it.

Pure: policies are frozen, so the result is a new Policy and the input is untouched. Accounts with
no plan and no overrides get the very same Policy object back; callers evaluating many accounts can
cache results by `(policy.id, policy.version, *terms_key(account))`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from troth.core.accounts import Account
from troth.core.durations import DurationKind, DurationSyntaxError, parse_clock_duration, parse_duration
from troth.core.errors import CalendarError, PolicyError
from troth.core.policies.convert_levels import Lengths, target_length
from troth.core.policies.diagnostics import did_you_mean, one_of
from troth.core.policies.model import (
    Applicability,
    Claims,
    Credits,
    Level,
    Maintenance,
    Measurement,
    Notices,
    Policy,
    Target,
    TargetStop,
    Uptime,
)

OVERRIDE_PATHS = (
    "levels.<level>.targets.<target>.duration",
    "levels.<level>.targets.<target>.calendar",
    "levels.<level>.targets.<target>.pauses_on",
    "levels.<level>.targets.<target>.stops_on",
    "levels.<level>.targets.<target>.applies_to",
    "levels.<level>.targets.<target>.channel",
    "immediate_means",
    "default_level",
    "uptime.commitment_percent",
    "uptime.measurement",
    "uptime.timezone",
    "credits.cap_percent",
    "credits.multiple",
    "credits.claims.automatic",
    "credits.claims.window_days",
    "maintenance.notice",
    "notices.change_notice_days",
)
"""Every path an account's contract may override (<level> and <target> are keys of the policy)."""


def terms_key(account: Account) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """What makes one account's effective policy differ from another's: plan and overrides."""
    return account.plan, tuple(sorted(account.overrides.items()))


def effective_policy(policy: Policy, account: Account) -> Policy:
    """`policy` with `account`'s plan and contract overrides applied (the same object when none)."""
    result = policy if account.plan is None else apply_plan(policy, account.plan, account.id)
    for path, value in sorted(account.overrides.items()):
        result = apply_override(result, path, value, account.id)
    return result


def apply_plan(policy: Policy, plan_key: str, account_id: str) -> Policy:
    """The plan's uptime commitment replaces the policy-wide one."""
    keys = [plan.key for plan in policy.plans]
    if plan_key not in keys:
        known = one_of(keys) if keys else "none"
        raise PolicyError(
            f"account '{account_id}' is on plan '{plan_key}', which policy '{policy.id}' does not define"
            f"{did_you_mean(plan_key, keys)}; plans: {known}"
        )
    commitment = policy.plan(plan_key).uptime_commitment_percent
    if commitment is None or policy.uptime is None:
        return policy
    return replace(policy, uptime=replace(policy.uptime, commitment_percent=commitment))


def apply_override(policy: Policy, path: str, value: str, account_id: str = "") -> Policy:
    """One contract term applied; raises PolicyError naming the path or value when it cannot apply."""
    try:
        updated = _apply(policy, path.split("."), value)
    except (
        PolicyError,
        CalendarError,
        DurationSyntaxError,
        ValueError,
        InvalidOperation,
        ZoneInfoNotFoundError,
    ) as error:
        whose = f"account '{account_id}' " if account_id else ""
        raise PolicyError(f"{whose}override '{path}' = '{value}': {error}") from None
    if updated is None:
        whose = f"account '{account_id}' has " if account_id else ""
        raise PolicyError(f"{whose}unknown override path '{path}'; overridable: {', '.join(OVERRIDE_PATHS)}")
    remaining = tuple(p for p in updated.placeholders if p != path)
    return replace(updated, placeholders=remaining)


def _apply(policy: Policy, parts: list[str], value: str) -> Policy | None:
    match parts:
        case ["levels", level, "targets", target, field]:
            return _override_target(policy, level, target, field, value)
        case ["immediate_means"]:
            return _reresolve(replace(policy, immediate_means=parse_clock_duration(value)))
        case ["default_level"]:
            policy.level(value)
            return replace(policy, default_level=value)
        case ["uptime", field]:
            return _override_uptime(policy, field, value)
        case ["credits", *rest]:
            return _override_credits(policy, rest, value)
        case ["maintenance", "notice"]:
            return replace(policy, maintenance=_with_notice(policy.maintenance, value))
        case ["notices", "change_notice_days"]:
            return replace(policy, notices=_with_change_notice(policy.notices, value))
    return None


def _percent(value: str) -> Decimal:
    number = Decimal(value.strip())
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError("a percentage must be between 0 and 100")
    return number


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    raise ValueError("must be true or false")


def _lengths(policy: Policy) -> Lengths:
    return Lengths(immediate=policy.immediate_means, week=policy.week)


def _resolved(policy: Policy, target: Target) -> Target:
    length = target_length(target.duration, policy.calendar(target.calendar), _lengths(policy))
    return replace(target, length=length)


def _reresolve(policy: Policy) -> Policy:
    """Lengths of `immediate` targets follow a changed `immediate_means`."""
    levels = tuple(
        replace(
            level,
            targets=tuple(
                _resolved(policy, t) if t.duration.kind is DurationKind.IMMEDIATE else t for t in level.targets
            ),
        )
        for level in policy.levels
    )
    return replace(policy, levels=levels)


def _changed_target(policy: Policy, target: Target, field: str, value: str) -> Target | None:
    match field:
        case "duration":
            return _resolved(policy, replace(target, duration=parse_duration(value)))
        case "calendar":
            return _resolved(policy, replace(target, calendar=value))
        case "pauses_on":
            states = frozenset(s.strip() for s in value.split(",") if s.strip())
            return replace(target, pauses_on=states)
        case "stops_on":
            return replace(target, stops_on=TargetStop(value))
        case "applies_to":
            return replace(target, applies_to=Applicability(value))
        case "channel":
            return replace(target, channel=value or None)
    return None


def _override_target(policy: Policy, level_key: str, target_key: str, field: str, value: str) -> Policy | None:
    level = policy.level(level_key)
    target = level.target(target_key)
    if target is None:
        keys = [t.key for t in level.targets]
        raise PolicyError(f"level '{level_key}' has no target '{target_key}'{did_you_mean(target_key, keys)}")
    changed = _changed_target(policy, target, field, value)
    if changed is None:
        return None
    new_level: Level = replace(level, targets=tuple(changed if t.key == target_key else t for t in level.targets))
    return replace(policy, levels=tuple(new_level if lv.key == level_key else lv for lv in policy.levels))


def _override_uptime(policy: Policy, field: str, value: str) -> Policy | None:
    uptime = policy.uptime
    if uptime is None:
        raise PolicyError(f"policy '{policy.id}' has no uptime commitment to override")
    changed: Uptime
    match field:
        case "commitment_percent":
            changed = replace(uptime, commitment_percent=_percent(value))
        case "measurement":
            changed = replace(uptime, measurement=Measurement(value))
        case "timezone":
            ZoneInfo(value)  # raises for an unknown zone, reported with the path
            changed = replace(uptime, timezone=value)
        case _:
            return None
    return replace(policy, uptime=changed)


def _override_credits(policy: Policy, rest: list[str], value: str) -> Policy | None:
    credits = policy.credits
    if credits is None:
        raise PolicyError(f"policy '{policy.id}' has no service credits to override")
    changed: Credits
    match rest:
        case ["cap_percent"]:
            changed = replace(credits, cap_percent=_percent(value))
        case ["multiple"]:
            changed = replace(credits, multiple=Decimal(value.strip()))
        case ["claims", "automatic"]:
            changed = replace(credits, claims=replace(credits.claims, automatic=_flag(value)))
        case ["claims", "window_days"]:
            claims: Claims = replace(credits.claims, window_days=int(value))
            changed = replace(credits, claims=claims)
        case _:
            return None
    return replace(policy, credits=changed)


def _with_notice(maintenance: Maintenance, value: str) -> Maintenance:
    notice: timedelta = parse_clock_duration(value)
    return replace(maintenance, notice=notice)


def _with_change_notice(notices: Notices, value: str) -> Notices:
    return replace(notices, change_notice_days=int(value))
