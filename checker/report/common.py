"""Helpers every format shares: levels, positions of a claim, counts. Formats never decide the exit status."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from checker.models import Article, Claim, Finding, Report

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


@dataclass(frozen=True)
class Position:
    """1-based line and column (in characters) of a claim's start and end."""

    line: int
    column: int
    end_line: int
    end_column: int


def position(claim: Claim, article: Article | None) -> Position:
    """Where the claim's span is; falls back to the claim's line when the article text is not at hand."""
    text = article.text if article is not None else ""
    if not text or claim.end > len(text) or claim.start > claim.end:
        return Position(claim.line, 1, claim.line, 1)
    line = text.count("\n", 0, claim.start) + 1
    col = claim.start - (text.rfind("\n", 0, claim.start) + 1) + 1
    end_line = text.count("\n", 0, claim.end) + 1
    end_col = claim.end - (text.rfind("\n", 0, claim.end) + 1) + 1
    return Position(line, col, end_line, max(end_col, col if end_line == line else 1))


def articles_by_id(report: Report) -> dict[str, Article]:
    return {a.id: a for a in report.articles}


def shown(report: Report) -> list[Finding]:
    """Findings that count: not suppressed, not unchanged since the baseline."""
    return [f for f in report.findings if not f.suppressed and f.baseline != "unchanged"]


def suppressed(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.suppressed]


def state(f: Finding) -> str:
    """One word for how a finding stands: suppressed, new, unchanged or open."""
    if f.suppressed:
        return "suppressed"
    return f.baseline or "open"


def value_text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def repo_path(path: str) -> str:
    """A path as CI tools want it: relative to the current folder (the checkout) when it lies inside it."""
    p = Path(path)
    if p.is_absolute():
        base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
        try:
            return p.resolve().relative_to(Path(base).resolve()).as_posix()
        except (ValueError, OSError):
            return p.as_posix()
    return p.as_posix()
