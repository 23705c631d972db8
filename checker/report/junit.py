"""JUnit XML: one test case per rule; a rule fails when it has findings that count (not suppressed, not unchanged)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from checker.models import Finding, Report
from checker.report.common import state, value_text

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: Any) -> str:
    """Text XML 1.0 can hold (control characters dropped); ElementTree escapes the rest."""
    return _ILLEGAL.sub("", str(text))


def _describe(f: Finding) -> str:
    lines = [f"[{f.severity}] {f.message} (fingerprint {f.fingerprint}{', new' if f.baseline == 'new' else ''})"]
    for c in f.claims:
        lines.append(f"  {c.path}:{c.line} {c.source}: {value_text(c.value)} | {c.text}")
    return "\n".join(lines)


def junit_tree(report: Report) -> ET.Element:
    rules: dict[str, Any] = {r.id: r for r in report.rules}
    for f in report.findings:
        rules.setdefault(f.rule, None)
    suites = ET.Element("testsuites", name="crosscheck")
    suite = ET.SubElement(suites, "testsuite", name="crosscheck")
    failures = skipped = 0
    for rule_id, rule in rules.items():
        kind = getattr(rule, "kind", None) or next((f.kind for f in report.findings if f.rule == rule_id), "rule")
        case = ET.SubElement(suite, "testcase", classname=_x(f"crosscheck.{kind}"), name=_x(rule_id))
        mine = [f for f in report.findings if f.rule == rule_id]
        counted = [f for f in mine if not f.suppressed and f.baseline != "unchanged"]
        quiet = [f for f in mine if f not in counted]
        if rule is not None and not getattr(rule, "enabled", True):
            ET.SubElement(case, "skipped", message="rule disabled")
            skipped += 1
        elif counted:
            worst = max(counted, key=lambda f: {"info": 1, "warning": 2, "error": 3}[f.severity]).severity
            fail = ET.SubElement(case, "failure", message=_x(f"{len(counted)} finding(s)"), type=worst)
            fail.text = _x("\n\n".join(_describe(f) for f in counted))
            failures += 1
        if quiet:
            out = ET.SubElement(case, "system-out")
            out.text = _x("\n".join(f"{state(f)}: {f.subject} [{f.fingerprint}] {f.suppression_reason or ''}".rstrip() for f in quiet))
    for node in (suites, suite):
        node.set("tests", str(len(rules)))
        node.set("failures", str(failures))
        node.set("errors", "0")
        node.set("skipped", str(skipped))
    if report.errors:
        err = ET.SubElement(suite, "system-err")
        err.text = _x("\n".join(f"{e.path}{':' + str(e.line) if e.line else ''}: {e.message}" for e in report.errors))
    return suites


def render(report: Report) -> str:
    tree = junit_tree(report)
    ET.indent(tree)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, encoding="unicode") + "\n"
