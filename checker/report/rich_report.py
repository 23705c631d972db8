"""The human report: a summary, then one panel per finding with every source's claim side by side."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from checker.models import Claim, Finding, Report, Story
from checker.report.json_report import summary

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _sentence(claim: Claim) -> Text:
    """The sentence with the claim's span highlighted; article text is always literal, never markup."""
    text = Text()
    sent = claim.text
    span = claim.span_text
    idx = sent.find(span) if span else -1
    if idx < 0:
        text.append(sent)
        return text
    text.append(sent[:idx])
    text.append(span, style="bold reverse")
    text.append(sent[idx + len(span) :])
    return text


def _finding_panel(f: Finding, report: Report) -> Panel:
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("source", ratio=2, overflow="fold")
    table.add_column("says", ratio=2, overflow="fold")
    table.add_column("evidence", ratio=6, overflow="fold")
    articles = {a.id: a for a in report.articles}
    for c in f.claims:
        art = articles.get(c.article)
        when = c.published or "date unknown"
        origin = f" ({art.published_from})" if art and c.published else ""
        src = Text(f"{c.source}\n", style="bold")
        src.append(f"{c.article}\n{when}{origin}", style="dim")
        loc = Text(f"{c.path}:{c.line}\n", style="dim")
        loc.append_text(_sentence(c))
        table.add_row(src, Text(str(c.value)), loc)
    title = Text()
    title.append(f" {f.severity.upper()} ", style=_STYLE[f.severity])
    title.append(f" {f.kind} · {f.rule}")
    if f.suppressed:
        title.append(" · suppressed", style="dim")
    if f.baseline == "new":
        title.append(" · new", style="bold")
    elif f.baseline == "unchanged":
        title.append(" · unchanged", style="dim")
    parts = [Text(f.message), Text(""), table, Text(f"fingerprint {f.fingerprint}", style="dim")]
    if f.suppressed and f.suppression_reason:
        parts.append(Text(f"suppressed: {f.suppression_reason}", style="dim"))
    body = Group(*parts)
    return Panel(body, title=title, title_align="left", border_style=_STYLE[f.severity])


def render(report: Report, console: Console) -> None:
    s = summary(report)
    head = Table.grid(padding=(0, 2))
    head.add_row(
        Text(f"{s['articles']} articles", style="bold"),
        Text(f"{s['facts']} facts"),
        Text(f"{s['findings']} findings" + (f" ({s['new']} new)" if s.get("new") else "") + (f", {s['suppressed']} suppressed" if s.get("suppressed") else "")),
        Text(", ".join(f"{v} {k}" for k, v in s["by_severity"].items()) or "none"),
        Text(", ".join(f"{v} {k}" for k, v in s["by_kind"].items())),
    )
    console.print(Panel(head, title="crosscheck", title_align="left"))
    dates = Table(title="Articles", show_lines=False, expand=True)
    dates.add_column("article", overflow="fold")
    dates.add_column("source", overflow="fold")
    dates.add_column("published")
    dates.add_column("from")
    for a in report.articles:
        dates.add_row(Text(a.id), Text(a.source), Text(a.published_iso or "unknown"), Text(a.published_from))
    console.print(dates)
    # Findings grouped by the story they are about, each story with its timeline; the rest after.
    stories = {st.id: st for st in report.stories}
    by_story: dict[str | None, list[Finding]] = {}
    for f in report.findings:
        by_story.setdefault(f.event if f.event in stories else None, []).append(f)
    for sid in sorted((k for k in by_story if k is not None), key=lambda k: _story_start(report, stories[k])):
        st = stories[sid]
        console.print(Rule(Text(f"Story: {st.name}", style="bold"), align="left"))
        console.print(_timeline(report, st))
        for f in by_story[sid]:
            console.print(_finding_panel(f, report))
    if by_story.get(None):
        if by_story.keys() - {None}:
            console.print(Rule(Text("Across the corpus", style="bold"), align="left"))
        for f in by_story[None]:
            console.print(_finding_panel(f, report))
    for e in report.errors:
        console.print(Text(f"error: {e.path}{':' + str(e.line) if e.line else ''}: {e.message}", style="red"))
    if report.skipped:
        console.print(Text(f"skipped {len(report.skipped)} file(s) that are not articles: " + ", ".join(report.skipped), style="dim"))


def _story_start(report: Report, story: Story) -> tuple[str, str]:
    dates = [a.published_iso for a in report.articles if a.id in story.articles and a.published_iso]
    return (min(dates) if dates else "9999", story.name)


def _timeline(report: Report, story: Story) -> Table:
    """The story's sources in publication order: when each was published and what it says of each event."""
    table = Table(expand=True, show_header=True, header_style="bold")
    table.add_column("published", overflow="fold")
    table.add_column("source", overflow="fold")
    table.add_column("reports", overflow="fold")
    says: dict[str, dict[str, str | None]] = {}
    for ev in report.events:
        # Events one source alone mentions, undated, are noise in a timeline.
        if ev.parent != story.id or (len(ev.articles) < 2 and not any(m.date and len(m.date) == 10 for m in ev.mentions)):
            continue
        for m in ev.mentions:
            per = says.setdefault(m.article, {})
            if ev.subject not in per or (m.date and not per[ev.subject]):
                per[ev.subject] = m.date
    arts = [a for a in report.articles if a.id in story.articles]
    for a in sorted(arts, key=lambda a: (a.published_iso or "9999", a.id)):
        events = "; ".join(f"{subj}{' on ' + d if d else ''}" for subj, d in sorted(says.get(a.id, {}).items()))
        table.add_row(Text(a.published_iso or "unknown"), Text(f"{a.source}\n{a.id}"), Text(events or "-"))
    return table
