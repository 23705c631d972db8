"""Runs each enabled rule over the linked facts and collects findings in a stable order."""

from __future__ import annotations

from typing import Any

from checker.models import SEVERITY_RANK, Finding
from checker.rules.base import Context


def compare(rules: list[Any], ctx: Context) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for rule in rules:
        if not rule.enabled:
            continue
        for f in rule.check(ctx):
            ignored = any(f.rule in ctx.articles[c.article].ignored_rules for c in f.claims)
            if ignored:
                f = f.model_copy(update={"suppressed": True, "suppression_reason": "inline crosscheck-ignore"})
            findings.setdefault(f.fingerprint, f)
    return sorted(findings.values(), key=lambda f: (-SEVERITY_RANK[f.severity], f.kind, f.subject, f.fingerprint))
