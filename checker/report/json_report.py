"""The JSON contract, version 1 (documented in the README and held by tests)."""

from __future__ import annotations

import json
from typing import Any

from checker.models import Finding, Report


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "fingerprint": f.fingerprint,
        "rule": f.rule,
        "kind": f.kind,
        "severity": f.severity,
        "message": f.message,
        "subject": f.subject,
        "event": f.event,
        "suppressed": f.suppressed,
        **({"suppression_reason": f.suppression_reason} if f.suppression_reason else {}),
        **({"baseline": f.baseline} if f.baseline else {}),
        "claims": [
            {
                "article": c.article,
                "source": c.source,
                "published": c.published,
                "path": c.path,
                "value": c.value,
                "span": c.span_text,
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "line": c.line,
            }
            for c in f.claims
        ],
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "version": 1,
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "source": a.source,
                "title": a.title,
                "published": a.published_iso,
                "published_from": a.published_from,
            }
            for a in report.articles
        ],
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [{"path": e.path, "message": e.message, **({"line": e.line} if e.line else {})} for e in report.errors],
        "skipped": list(report.skipped),
        "stories": [{"id": st.id, "name": st.name, "articles": list(st.articles)} for st in report.stories],
        "summary": summary(report),
    }


def summary(report: Report) -> dict[str, Any]:
    by_sev: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for f in report.findings:
        if f.suppressed or f.baseline == "unchanged":
            continue
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    return {
        "articles": len(report.articles),
        "facts": report.facts_count,
        "findings": sum(by_sev.values()),
        "suppressed": sum(1 for f in report.findings if f.suppressed),
        "new": sum(1 for f in report.findings if f.baseline == "new" and not f.suppressed),
        "by_severity": dict(sorted(by_sev.items())),
        "by_kind": dict(sorted(by_kind.items())),
        "errors": len(report.errors),
    }


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
