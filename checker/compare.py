"""Runs each enabled rule over the linked facts and collects findings in a stable order."""

from __future__ import annotations

from typing import Any, Iterable

from checker.models import SEVERITY_RANK, Finding
from checker.rules.base import Context


def rule_findings(rule: Any, ctx: Context) -> list[Finding]:
    """One rule's findings, each marked suppressed when an article it cites ignores the rule inline."""
    out = []
    for f in rule.check(ctx):
        ignored = any(f.rule in ctx.articles[c.article].ignored_rules for c in f.claims)
        if ignored:
            f = f.model_copy(update={"suppressed": True, "suppression_reason": "inline crosscheck-ignore"})
        out.append(f)
    return out


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in rule order made into the report's list: the first of one fingerprint kept, sorted."""
    kept: dict[str, Finding] = {}
    for f in findings:
        kept.setdefault(f.fingerprint, f)
    return sorted(kept.values(), key=sort_key)


def sort_key(f: Finding) -> tuple:
    return (-SEVERITY_RANK[f.severity], f.kind, f.subject, f.fingerprint)


def compare(rules: list[Any], ctx: Context) -> list[Finding]:
    return merge(f for rule in rules if rule.enabled for f in rule_findings(rule, ctx))
