"""The command line: parse options, call the pipeline, pick a formatter, return the exit status."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from checker import __version__
from checker.models import SEVERITY_RANK, Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ["rich", "json"]


def exit_status(report: Report, fail_on: str, allow_unreadable: bool) -> int:
    """The one place the exit status is decided: 2 when input could not all be read, 1 on findings at or above fail_on."""
    from checker.corpus import is_warning

    if not allow_unreadable and any(not is_warning(e) for e in report.errors):
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_RANK[fail_on]
    failing = [f for f in report.findings if not f.suppressed and SEVERITY_RANK[f.severity] >= threshold]
    return EXIT_FINDINGS if failing else EXIT_OK


def _console(no_color: bool, stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    plain = no_color or not stream.isatty()
    return Console(
        file=stream,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        markup=False,
        emoji=False,
        width=None if stream.isatty() else 120,
        force_terminal=False if plain else None,
    )


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def output_options(f: Callable) -> Callable:
    """Options every reporting command shares."""
    f = click.option("--no-color", is_flag=True, help="Plain text, no colour (also when stdout is not a terminal).")(f)
    f = click.option("--quiet", "-q", is_flag=True, help="No progress bar on stderr.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crosscheck")
def main_group() -> None:
    """crosscheck: flag where news sources disagree (spellings, attendance, dates, sequences)."""


@main_group.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="Rule files or folders (default: the bundled rules).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="rich", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error", show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that have none.")
@click.option("--allow-unreadable", is_flag=True, help="Do not exit 2 when some articles could not be read.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to this file instead of stdout.")
@output_options
def check(paths: tuple[Path, ...], rules: tuple[Path, ...], fmt: str, fail_on: str, published: dt.date | None,
          allow_unreadable: bool, output: Path | None, no_color: bool, quiet: bool) -> None:
    """Check the articles under PATHS against each other and report where sources disagree."""
    from checker.pipeline import Options, run_check
    from checker.rules.loader import RuleError

    for p in paths:
        if not p.exists():
            raise click.UsageError(f"{p}: no such file or folder")
    try:
        report = run_check(Options(paths=list(paths), rules=list(rules), published=published))
    except RuleError as exc:
        click.echo(f"crosscheck: rule error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    _emit(report, fmt, output, no_color)
    sys.exit(exit_status(report, fail_on, allow_unreadable))


def _emit(report: Report, fmt: str, output: Path | None, no_color: bool) -> None:
    if fmt == "json":
        from checker.report.json_report import render

        text = render(report)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return
    from checker.report import rich_report

    if output:
        from rich.console import Console

        with output.open("w", encoding="utf-8") as fh:
            rich_report.render(report, Console(file=fh, no_color=True, color_system=None, width=120, markup=False, highlight=False, emoji=False))
    else:
        rich_report.render(report, _console(no_color))


@main_group.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["name", "date", "event", "attendance", "number", "role", "quote"]), help="Only facts of this kind (repeatable).")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that have none.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_options
def facts(paths: tuple[Path, ...], kinds: tuple[str, ...], published: dt.date | None, fmt: str, no_color: bool, quiet: bool) -> None:
    """Show the facts extracted from each article, before any comparison."""
    from checker.corpus import load_corpus
    from checker.lexicon import load_lexicon
    from checker.pipeline import extract_all

    lexicon = load_lexicon()
    corpus = load_corpus(list(paths), published=published, lexicon=lexicon)
    all_facts, errors = extract_all(corpus.articles, lexicon)
    rows = [f for af in all_facts for f in af.facts if not kinds or f.kind in kinds]
    if fmt == "json":
        out = {
            "version": 1,
            "articles": [{"id": a.id, "path": a.path, "source": a.source, "published": a.published_iso, "published_from": a.published_from} for a in corpus.articles],
            "facts": [{k: v for k, v in f.model_dump(mode="json").items() if k != "sentence_index"} for f in rows],
            "errors": [{"path": e.path, "message": e.message} for e in [*corpus.errors, *errors]],
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(expand=True)
    for col in ("article", "line", "kind", "text", "value"):
        table.add_column(col, overflow="fold")
    for f in rows:
        table.add_row(Text(f.article), Text(str(f.line)), Text(f.kind), Text(f.text), Text(str(f.value)))
    console = _console(no_color)
    console.print(table)
    for e in [*corpus.errors, *errors]:
        console.print(Text(f"error: {e.path}: {e.message}"))


@main_group.group()
def rules() -> None:
    """List, validate and describe rules."""


@rules.command("list")
@click.option("--rules", "paths", multiple=True, type=click.Path(path_type=Path))
def rules_list(paths: tuple[Path, ...]) -> None:
    """List rules: id, kind, severity, description."""
    from checker.resources import bundled_rules_dir
    from checker.rules.loader import RuleError, load_rules

    try:
        loaded = load_rules(list(paths) or [bundled_rules_dir()])
    except RuleError as exc:
        click.echo(f"crosscheck: rule error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for r in loaded:
        click.echo(f"{r.id}\t{r.kind}\t{r.severity}\t{r.description}")


@rules.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def rules_validate(paths: tuple[Path, ...]) -> None:
    """Validate rule files; exit 2 with file, line and key on the first error."""
    from checker.rules.loader import RuleError, load_rules

    try:
        loaded = load_rules(list(paths))
    except RuleError as exc:
        click.echo(f"crosscheck: rule error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{len(loaded)} rule(s) valid")


@rules.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of rule files (generated from the rule models)."""
    from checker.rules.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit status (click's usage errors are 2)."""
    try:
        main_group.main(args=argv, prog_name="crosscheck", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0
