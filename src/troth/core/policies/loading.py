"""Policy text to `Policy`: YAML with positions, the pydantic schema, then meaning, every error located.

Pure: takes the text and the name to report it under (a path, or "<stdin>"); reading files is the
shell's job (troth.batch.policy_files). One file holds one version of one SLA; several versions of
the same SLA are several files sharing an `id`, gathered by `policy_history`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from troth.core.policies.convert import convert_policy
from troth.core.policies.diagnostics import PolicyFileError, Problem, Severity
from troth.core.policies.document import PolicyDocument
from troth.core.policies.findings import Finding, Findings, dotted
from troth.core.policies.model import Policy, PolicyHistory
from troth.core.policies.schema_errors import schema_findings
from troth.core.policies.yamltree import YamlSyntaxError, YamlTree, read_tree


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyCheck:
    """The result of reading one policy text: the policy when usable, and every problem found."""

    source: str
    policy: Policy | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)


def _locate(tree: YamlTree, source: str, finding: Finding) -> Problem:
    where = tree.position(finding.path, key=finding.at_key)
    return Problem(source=source, message=finding.message, line=where.line, column=where.column)


def _placeholder_warnings(tree: YamlTree, source: str) -> list[Problem]:
    warnings = []
    for path, reason in sorted(tree.placeholders.items(), key=lambda item: tree.position(item[0]).line):
        where = tree.position(path)
        why = f": {reason}" if reason else ""
        message = f"'{dotted(path)}' is a placeholder, not stated by the source; replace it{why}"
        warnings.append(
            Problem(source=source, message=message, line=where.line, column=where.column, severity=Severity.WARNING)
        )
    return warnings


def check_policy_text(text: str, source: str) -> PolicyCheck:
    """Read a policy from `text`, collecting every error (and placeholder warning) with its position."""
    try:
        tree = read_tree(text)
    except YamlSyntaxError as error:
        problem = Problem(source=source, message=str(error), line=error.position.line, column=error.position.column)
        return PolicyCheck(source=source, policy=None, problems=(problem,))
    problems = [Problem(source=source, message=m, line=p.line, column=p.column) for p, m in tree.problems]
    if not isinstance(tree.data, dict):
        problems.append(
            Problem(source=source, message="a policy file is a mapping of keys to values", line=1, column=1)
        )
        return PolicyCheck(source=source, policy=None, problems=tuple(problems))
    policy = None
    try:
        document = PolicyDocument.model_validate(tree.data)
    except ValidationError as error:
        problems.extend(_locate(tree, source, f) for f in schema_findings(error, tree.data))
    else:
        policy, meaning = _convert(document, tree)
        problems.extend(_locate(tree, source, f) for f in meaning)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    problems.extend(_placeholder_warnings(tree, source))
    usable = policy if not any(p.severity is Severity.ERROR for p in problems) else None
    return PolicyCheck(source=source, policy=usable, problems=tuple(problems))


def _convert(document: PolicyDocument, tree: YamlTree) -> tuple[Policy | None, list[Finding]]:
    findings = Findings()
    placeholders = tuple(dotted(path) for path in tree.placeholders)
    policy = convert_policy(document, placeholders, findings)
    return policy, findings.items


def load_policy(text: str, source: str) -> Policy:
    """The policy in `text`; raises PolicyFileError listing every located error. Warnings do not raise."""
    check = check_policy_text(text, source)
    if check.policy is None:
        raise PolicyFileError(check.errors)
    return check.policy


def policy_history(policies: Iterable[Policy], sources: Sequence[str] = ()) -> PolicyHistory:
    """Versions of one SLA (one per file) as a history; they must share an id and differ in date."""
    versions = tuple(policies)
    names = list(sources) or [p.id for p in versions]
    if not versions:
        raise PolicyFileError([Problem(source="policies", message="no policy versions given")])
    problems = []
    seen: dict[object, str] = {}
    for policy, name in zip(versions, names, strict=False):
        if policy.id != versions[0].id:
            problems.append(Problem(source=name, message=f"policy id '{policy.id}' differs from '{versions[0].id}'"))
        if policy.effective_from in seen:
            other = seen[policy.effective_from]
            problems.append(Problem(source=name, message=f"takes effect on the same day as {other}"))
        seen[policy.effective_from] = name
    if problems:
        raise PolicyFileError(problems)
    return PolicyHistory(versions=versions)
