"""GitHub Actions workflow commands: `::error file=...,line=...,title=...::message` annotate the pull request.

One annotation per finding, at its first claim (a changed or draft article's claim comes first); the other
sources are named in the message. Suppressed findings are listed as plain log lines, not annotations.
"""

from __future__ import annotations

from checker.models import Finding, Report
from checker.report.common import GITHUB_COMMAND, articles_by_id, position, repo_path, state, value_text


def escape_data(s: str) -> str:
    """The message part of a workflow command: %, CR and LF are encoded."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """A property value (file, title, ...): also `:` and `,`, which end a value."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name} {parts}::{escape_data(message)}" if parts else f"::{name}::{escape_data(message)}"


def annotation(f: Finding, report: Report) -> str:
    articles = articles_by_id(report)
    first = f.claims[0]
    pos = position(first, articles.get(first.article))
    lines = [f.message, ""]
    for c in f.claims:
        lines.append(f"- {c.source} ({c.path}:{c.line}): {value_text(c.value)} — {c.text}")
    lines.append("")
    lines.append(f"rule {f.rule} · fingerprint {f.fingerprint}" + (" · new since the baseline" if f.baseline == "new" else ""))
    title = f"crosscheck {f.rule}" + (" (new)" if f.baseline == "new" else "") + f": {f.subject}"
    props: dict[str, object] = {"file": repo_path(first.path), "line": pos.line, "endLine": pos.end_line, "title": title}
    if pos.line == pos.end_line:
        props.update(col=pos.column, endColumn=pos.end_column)
    return command(GITHUB_COMMAND[f.severity], "\n".join(lines), **props)


def render(report: Report) -> str:
    out = []
    for f in report.findings:
        if f.suppressed or f.baseline == "unchanged" or not f.claims:
            continue
        out.append(annotation(f, report))
    for f in report.findings:
        if f.suppressed or f.baseline == "unchanged":
            c = f.claims[0] if f.claims else None
            where = f" {c.path}:{c.line}" if c else ""
            why = f" ({f.suppression_reason})" if f.suppression_reason else ""
            out.append(f"crosscheck: {state(f)} {f.severity} {f.rule}: {f.subject}{where}{why} [{f.fingerprint}]")
    for e in report.errors:
        out.append(command("error" if not e.message.startswith("warning: ") else "warning", e.message,
                           file=repo_path(e.path), line=e.line, title="crosscheck: input"))
    counted = [f for f in report.findings if not f.suppressed and f.baseline != "unchanged"]
    new = sum(1 for f in counted if f.baseline == "new")
    out.append(
        f"crosscheck: {len(report.articles)} articles, {len(counted)} finding(s)"
        + (f" ({new} new)" if new else "")
        + f", {sum(1 for f in report.findings if f.suppressed)} suppressed"
    )
    return "\n".join(out) + "\n"
