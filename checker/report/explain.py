"""`crosscheck explain`: a rule (what it checks, its parameters) or a finding (the rule, why it fired, the evidence)."""

from __future__ import annotations

from typing import Any

from checker.models import Finding, Report
from checker.report.common import state, value_text

_BASE_FIELDS = {"id", "kind", "severity", "message", "description", "link", "enabled"}


def rule_dict(rule: Any) -> dict[str, Any]:
    data = rule.model_dump(mode="json")
    return {
        "id": rule.id,
        "kind": rule.kind,
        "severity": rule.severity,
        "enabled": getattr(rule, "enabled", True),
        "description": rule.description,
        "checks": " ".join((type(rule).__doc__ or "").split()),
        "message": rule.message,
        "link": rule.link,
        "parameters": {k: v for k, v in data.items() if k not in _BASE_FIELDS},
    }


def finding_dict(f: Finding, rule: Any | None) -> dict[str, Any]:
    from checker.report.json_report import finding_dict as plain

    return {"finding": plain(f), "state": state(f), "rule": rule_dict(rule) if rule is not None else None, "why": why(f, rule)}


def why(f: Finding, rule: Any | None) -> str:
    """Why the rule fired, in words: what it looks for and what the sources said."""
    values: dict[str, list[str]] = {}
    for c in f.claims:
        values.setdefault(value_text(c.value), [])
        if c.source not in values[value_text(c.value)]:
            values[value_text(c.value)].append(c.source)
    sides = "; ".join(f"{v!r} according to {', '.join(srcs)}" for v, srcs in values.items())
    looks = " ".join((type(rule).__doc__ or "").split()) if rule is not None else ""
    head = f"Rule {f.rule} ({f.kind}) " + (f"looks for this: {looks} " if looks else "")
    return f"{head}It fired on {f.subject!r} because the sources do not agree: {sides}."


def render_rule_text(rule: Any, findings: list[Finding]) -> str:
    d = rule_dict(rule)
    lines = [
        f"rule {d['id']}  kind {d['kind']}  severity {d['severity']}" + ("" if d["enabled"] else "  (disabled)"),
        "",
        d["description"] or "(no description)",
        "",
        f"what it checks: {d['checks']}" if d["checks"] else "",
        f"message: {d['message']}",
    ]
    if d["link"]:
        lines.append(f"more: {d['link']}")
    if d["parameters"]:
        lines.append("parameters:")
        lines += [f"  {k}: {v}" for k, v in d["parameters"].items()]
    if findings:
        lines += ["", f"{len(findings)} finding(s) in this corpus:"]
        lines += [f"  {f.fingerprint}  {f.severity}  {f.subject}" + (f"  [{state(f)}]" if state(f) != "open" else "") for f in findings]
    return "\n".join(line for line in lines if line is not None) + "\n"


def render_finding_text(f: Finding, rule: Any | None, report: Report) -> str:
    lines = [
        f"finding {f.fingerprint}  [{state(f)}]" + (f"  suppressed: {f.suppression_reason}" if f.suppressed else ""),
        f"{f.severity}: {f.message}",
        "",
        why(f, rule),
        "",
    ]
    if rule is not None:
        lines += [f"rule {rule.id} ({rule.kind}, {rule.severity}): {rule.description}".rstrip(": ")]
        params = rule_dict(rule)["parameters"]
        if params:
            lines += [f"  {k}: {v}" for k, v in params.items()]
        lines.append("")
    lines.append("evidence:")
    for c in f.claims:
        when = c.published or "date unknown"
        lines.append(f"  {c.source} ({c.article}, {when})")
        lines.append(f"    {c.path}:{c.line}  says: {value_text(c.value)}")
        span = f"  [{c.span_text}]" if c.span_text else ""
        lines.append(f"    “{c.text}”{span}")
    lines += ["", f"to accept it, add to .crosscheck-suppressions.yml:  - fingerprint: {f.fingerprint}  with a  reason: ..."]
    return "\n".join(lines) + "\n"
