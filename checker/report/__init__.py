"""Output formats. Each module renders one Report; none of them decides the exit status."""

from __future__ import annotations

from typing import Callable

from checker.models import Report

TEXT_FORMATS = ("json", "sarif", "github", "markdown", "junit")
FORMATS = ("rich", *TEXT_FORMATS)


def text_renderer(fmt: str) -> Callable[[Report], str]:
    """The render(report) -> str of a plain-text format (rich draws on a console instead)."""
    if fmt == "json":
        from checker.report.json_report import render
    elif fmt == "sarif":
        from checker.report.sarif import render
    elif fmt == "github":
        from checker.report.github import render
    elif fmt == "markdown":
        from checker.report.markdown import render
    elif fmt == "junit":
        from checker.report.junit import render
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return render
