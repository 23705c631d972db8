"""A Markdown summary for a pull-request comment: counts, one table row per finding, evidence folded away."""

from __future__ import annotations

import html
import re

from checker.models import Finding, Report
from checker.report.common import state, value_text

_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def md(text: str) -> str:
    """Article text as inert Markdown: HTML escaped, Markdown punctuation backslashed, one line."""
    one_line = " ".join(str(text).split())
    escaped = _SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))
    return escaped.replace("@", "@\u200b")  # no @mentions from article text


def _where(f: Finding) -> str:
    return "<br>".join(f"{md(c.source)}: `{md_code(c.path)}:{c.line}`" for c in f.claims)


def md_code(text: str) -> str:
    """Text inside a code span: backticks and pipes cannot be escaped there, so they are replaced."""
    return " ".join(str(text).split()).replace("`", "'").replace("|", "¦")


def _evidence(f: Finding) -> list[str]:
    out = [f"**{md(f.rule)}** · {md(f.subject)} · fingerprint `{f.fingerprint}`", ""]
    for c in f.claims:
        when = f", {md(c.published)}" if c.published else ""
        out.append(f"- **{md(c.source)}**{when} (`{md_code(c.path)}:{c.line}`) says *{md(value_text(c.value))}*: {md(c.text)}")
    out.append("")
    return out


MAX_CHARS = 60_000  # GitHub refuses comments over 65,536 characters


def render(report: Report, max_chars: int = MAX_CHARS) -> str:
    """The summary; evidence is left out (and said so) when the whole would not fit in a PR comment."""
    text = _render(report, evidence=True)
    if len(text) <= max_chars:
        return text
    text = _render(report, evidence=False)
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars - 200)
        text = text[:cut] + "\n\n… cut here to fit a comment; run `crosscheck check --format rich` for everything.\n"
    return text


def _render(report: Report, evidence: bool) -> str:
    open_ = [f for f in report.findings if not f.suppressed and f.baseline != "unchanged"]
    quiet = [f for f in report.findings if f.suppressed or f.baseline == "unchanged"]
    by_sev: dict[str, int] = {}
    for f in open_:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    new = sum(1 for f in open_ if f.baseline == "new")
    counts = ", ".join(f"{n} {s}" for s, n in sorted(by_sev.items())) or "none"
    lines = [
        "## crosscheck",
        "",
        f"**{len(open_)} finding(s)** ({counts})"
        + (f", {new} new since the baseline" if new else "")
        + f" · {len(report.articles)} articles · {sum(1 for f in report.findings if f.suppressed)} suppressed",
        "",
    ]
    if open_:
        lines += ["| | rule | subject | message | sources |", "|---|---|---|---|---|"]
        for f in open_:
            mark = _ICON[f.severity] + (" **new**" if f.baseline == "new" else "")
            lines.append(f"| {mark} {f.severity} | {md(f.rule)}<br>`{f.fingerprint}` | {md(f.subject)} | {md(f.message)} | {_where(f)} |")
        if evidence:
            lines += ["", "<details><summary>Evidence</summary>", ""]
            for f in open_:
                lines += _evidence(f)
            lines += ["</details>", ""]
        else:
            lines += ["", "_Evidence left out to fit a comment: `crosscheck explain FINGERPRINT PATHS` shows it._", ""]
    else:
        lines += ["No contradictions between sources. ✅", ""]
    if quiet:
        lines += ["<details><summary>Suppressed or unchanged</summary>", "", "| state | rule | subject | reason | fingerprint |", "|---|---|---|---|---|"]
        for f in quiet:
            lines.append(f"| {state(f)} | {md(f.rule)} | {md(f.subject)} | {md(f.suppression_reason or '')} | `{f.fingerprint}` |")
        lines += ["", "</details>", ""]
    if report.errors:
        lines += ["**Input problems**", ""]
        lines += [f"- `{md_code(e.path)}{':' + str(e.line) if e.line else ''}`: {md(e.message)}" for e in report.errors]
        lines.append("")
    return "\n".join(lines)
