"""SARIF 2.1.0: every loaded rule in tool.driver.rules, the first claim as the location, the other claims as
related locations, a partial fingerprint per finding, suppressed findings kept with their suppression."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.models import Article, Claim, Finding, Report
from checker.report.common import SARIF_LEVEL, articles_by_id, position, repo_path, state, value_text

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "crosscheck/v1"


def _uri(path: str) -> str:
    """A relative path stays a relative URI reference (GitHub resolves it from the repository root)."""
    p = PurePosixPath(repo_path(path).replace("\\", "/"))
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())


def _location(claim: Claim, article: Article | None, index: int | None = None, message: str | None = None) -> dict[str, Any]:
    pos = position(claim, article)
    region: dict[str, Any] = {
        "startLine": pos.line,
        "startColumn": pos.column,
        "endLine": pos.end_line,
        "endColumn": pos.end_column,
        "charOffset": claim.start,
        "charLength": max(0, claim.end - claim.start),
    }
    if claim.span_text:
        region["snippet"] = {"text": claim.span_text}
    loc: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(claim.path or claim.article)},
            "region": region,
            "contextRegion": {"startLine": pos.line, "snippet": {"text": claim.text}} if claim.text else {"startLine": pos.line},
        }
    }
    if index is not None:
        loc["id"] = index
    if message:
        loc["message"] = {"text": message}
    return loc


def _claim_message(c: Claim) -> str:
    when = f", {c.published}" if c.published else ""
    return f"{c.source}{when}: {value_text(c.value)}"


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    desc = getattr(rule, "description", "") or rule.id
    d: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace(".", "-").replace("_", "-").split("-")),
        "shortDescription": {"text": desc},
        "fullDescription": {"text": (type(rule).__doc__ or desc).strip()},
        "messageStrings": {"default": {"text": rule.message}},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity], "enabled": bool(getattr(rule, "enabled", True))},
        "properties": {"kind": rule.kind, "tags": ["crosscheck", rule.kind]},
    }
    if getattr(rule, "link", None):
        d["helpUri"] = rule.link
    return d


def _result(f: Finding, rule_index: dict[str, int], articles: dict[str, Article]) -> dict[str, Any]:
    first, *others = f.claims or (None,)
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "level": SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "kind": f.kind,
            "subject": f.subject,
            "severity": f.severity,
            "state": state(f),
            **({"event": f.event} if f.event else {}),
            "claims": [
                {"article": c.article, "source": c.source, "published": c.published, "value": c.value, "line": c.line, "path": c.path}
                for c in f.claims
            ],
        },
    }
    if f.rule in rule_index:
        res["ruleIndex"] = rule_index[f.rule]
    if first is not None:
        res["locations"] = [_location(first, articles.get(first.article), message=_claim_message(first))]
    if others:
        res["relatedLocations"] = [
            _location(c, articles.get(c.article), index=i, message=_claim_message(c)) for i, c in enumerate(others, start=1)
        ]
    if f.baseline:
        res["baselineState"] = f.baseline
    if f.suppressed:
        inline = (f.suppression_reason or "").startswith("inline")
        res["suppressions"] = [{
            "kind": "inSource" if inline else "external",
            "status": "accepted",
            "justification": f.suppression_reason or "suppressed",
        }]
    return res


def sarif_dict(report: Report) -> dict[str, Any]:
    rules = list(report.rules)
    known = {r.id for r in rules}
    descriptors = [_rule_descriptor(r) for r in rules]
    for f in report.findings:  # a finding whose rule is not listed still gets a descriptor
        if f.rule not in known:
            known.add(f.rule)
            descriptors.append({"id": f.rule, "shortDescription": {"text": f.rule}, "properties": {"kind": f.kind}})
    rule_index = {d["id"]: i for i, d in enumerate(descriptors)}
    articles = articles_by_id(report)
    notifications = [
        {
            "level": "warning" if e.message.startswith("warning: ") else "error",
            "message": {"text": e.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)},
                                                **({"region": {"startLine": e.line}} if e.line else {})}}],
        }
        for e in report.errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "crosscheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index, articles) for f in report.findings],
        "invocations": [{
            "executionSuccessful": not any(n["level"] == "error" for n in notifications),
            **({"toolExecutionNotifications": notifications} if notifications else {}),
        }],
        "properties": {"articles": len(report.articles), "facts": report.facts_count},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(sarif_dict(report), indent=2, ensure_ascii=False) + "\n"
