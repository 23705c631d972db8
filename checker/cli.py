"""The command line: parse options, call the pipeline and the gate, pick a formatter, return the exit status."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Callable

import click

from checker import __version__
from checker.models import SEVERITY_RANK, Report
from checker.report import FORMATS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
SEVERITIES = ["error", "warning", "info"]
MB = 1024 * 1024
DEFAULT_MAX_FACTS_PER_ARTICLE = 20_000


def exit_status(report: Report, fail_on: str, allow_unreadable: bool) -> int:
    """The one place the exit status is decided: 2 when input could not all be read, 1 on findings at or above
    fail_on that are neither suppressed nor unchanged since the baseline."""
    from checker.corpus import is_warning

    if not allow_unreadable and any(not is_warning(e) for e in report.errors):
        return EXIT_USAGE
    if fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_RANK[fail_on]
    failing = [
        f for f in report.findings
        if not f.suppressed and f.baseline != "unchanged" and SEVERITY_RANK[f.severity] >= threshold
    ]
    return EXIT_FINDINGS if failing else EXIT_OK


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")  # every C0/C1 control but tab and newline


def _visible(m: re.Match[str]) -> str:
    """A control character as its Unicode control picture (ESC as ␛), or as \\xNN: shown, never acted on."""
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else f"\\x{code:02x}"


def _safe_console(**kwargs: Any) -> Any:
    """A rich Console that prints article text literally: control characters in the text (terminal escape
    sequences, bells, backspaces) are shown as symbols; markup is off, so `[bold]` stays `[bold]`."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for seg in super().render(renderable, options):
                if seg.control is None and _CONTROL.search(seg.text):
                    seg = Segment(_CONTROL.sub(_visible, seg.text), seg.style)
                yield seg

    return SafeConsole(markup=False, highlight=False, emoji=False, **kwargs)


def _console(no_color: bool, stderr: bool = False) -> Any:
    stream = sys.stderr if stderr else sys.stdout
    plain = no_color or not stream.isatty()
    return _safe_console(
        file=stream,
        no_color=plain,
        color_system=None if plain else "auto",
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


def _fail(message: str) -> None:
    click.echo(f"crosscheck: {message}", err=True)
    sys.exit(EXIT_USAGE)


def output_options(f: Callable) -> Callable:
    """Options every reporting command shares."""
    f = click.option("--no-color", is_flag=True, help="Plain text, no colour (also when stdout is not a terminal).")(f)
    f = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no notes on stderr.")(f)
    return f


def corpus_options(f: Callable) -> Callable:
    """Options of every command that checks a corpus: rules, config, selection, performance."""
    options = [
        click.option("--rules", "rules", multiple=True, type=click.Path(path_type=Path), help="Rule files or folders (default: the config's, else the bundled rules)."),
        click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Config file (default: crosscheck.toml or [tool.crosscheck] in pyproject.toml, found walking up from the corpus)."),
        click.option("--no-config", is_flag=True, help="Ignore config files."),
        click.option("--enable", multiple=True, metavar="PREFIX", help="Only rules whose id starts with PREFIX (repeatable; with --disable, replaces the config's selection)."),
        click.option("--disable", multiple=True, metavar="PREFIX", help="Leave out rules whose id starts with PREFIX (repeatable; with --enable, replaces the config's selection)."),
        click.option("--published", callback=_date, metavar="YYYY-MM-DD", help="Publication date (YYYY-MM-DD) for articles that have none; with --against, the draft's date (default: today)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes for extraction (default: all cores)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Fact cache folder (default: .crosscheck-cache beside the corpus)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the fact cache."),
        click.option("--executor", metavar="URL", help='Run extraction on Dask: "dask" (local cluster) or "dask://HOST:PORT".'),
        click.option("--lexicon", "lexicon_dir", type=click.Path(file_okay=False, path_type=Path), help="Lexicon folder (YAML word lists and patterns) instead of the bundled rules/lexicon/."),
        click.option("--max-article-bytes", type=click.IntRange(min=1), default=10 * MB, show_default=True, help="An article file larger than this is not read (an error naming the limit)."),
        click.option("--max-articles", type=click.IntRange(min=1), default=200_000, show_default=True, help="Read at most this many articles; more is an error naming the limit."),
        click.option("--max-facts-per-article", type=click.IntRange(min=1), default=DEFAULT_MAX_FACTS_PER_ARTICLE, show_default=True, help="An article yielding more facts than this is an error naming the limit (its facts are not used)."),
        click.option("--article-timeout", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS", help="Stop extracting one article after this many seconds and report it (0: no limit)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _config(paths: list[Path], config_file: Path | None, no_config: bool) -> Any:
    from checker.config import ConfigError, resolve_config

    try:
        return resolve_config(paths, config_file, no_config)
    except ConfigError as exc:
        _fail(f"config error: {exc}")


def _limit_options(limits: dict[str, Any]) -> dict[str, Any]:
    """Options fields for the lexicon and the input limits; a limit the pipeline cannot take yet is named on stderr
    when it was given on the command line (never dropped in silence)."""
    from checker.corpus import Limits
    from checker.pipeline import Options

    wanted: dict[str, Any] = {
        "lexicon_dir": limits.get("lexicon_dir"),
        "limits": Limits(max_article_bytes=limits.get("max_article_bytes") or 10 * MB,
                         max_articles=limits.get("max_articles") or Limits().max_articles),
        "max_facts_per_article": limits.get("max_facts_per_article"),
        "article_timeout": limits.get("article_timeout"),
    }
    flags = {"lexicon_dir": ["lexicon_dir"], "limits": ["max_article_bytes", "max_articles"],
             "max_facts_per_article": ["max_facts_per_article"], "article_timeout": ["article_timeout"]}
    fields = getattr(Options, "__dataclass_fields__", {})
    ctx = click.get_current_context(silent=True)
    out = {}
    for key, value in wanted.items():
        if key in fields:
            out[key] = value
            continue
        given = [f for f in flags[key] if ctx is not None and ctx.get_parameter_source(f) == click.core.ParameterSource.COMMANDLINE]
        if given:
            names = ", ".join("--" + f.replace("_", "-") for f in given)
            click.echo(f"crosscheck: note: {names} not applied: this pipeline has no `{key}` option yet", err=True)
    return out


def _runner(cfg: Any, corpus: list[Path], rules: tuple[Path, ...], jobs: int | None, cache_dir: Path | None, no_cache: bool,
            executor: str | None, progress: Callable[[int, int], None] | None,
            limits: dict[str, Any] | None = None) -> Callable[[list[Path], dt.date | None], Report]:
    from checker.pipeline import Options, run_check

    rule_paths = list(rules) or list(cfg.rules)
    if cache_dir is None and not no_cache:  # the gate may hand the pipeline a linked view: keep the cache by the real corpus
        try:
            from checker.cache import default_cache_dir

            cache_dir = default_cache_dir(corpus)
        except ImportError:
            pass
    extra = _limit_options(limits or {})

    def check(paths: list[Path], published: dt.date | None) -> Report:
        return run_check(Options(paths=paths, rules=rule_paths, published=published, progress=progress, jobs=jobs,
                                 cache_dir=cache_dir, use_cache=not no_cache, executor=executor, **extra))

    return check


def _gate(plan: Any, check: Callable, quiet: bool) -> Report:
    from checker.gate import GateError, run_gate
    from checker.gitdiff import GitError
    from checker.rules.loader import RuleError

    from checker.lexicon import LexiconError

    try:
        outcome = run_gate(plan, check)
    except LexiconError as exc:
        _fail(f"lexicon error: {exc}")
    except RuleError as exc:
        _fail(f"rule error: {exc}")
    except (GateError, GitError) as exc:
        _fail(str(exc))
    except ValueError as exc:  # a lexicon or option value the pipeline refused; its message names the file
        _fail(f"error: {exc}")
    if not quiet:
        for note in outcome.notes:
            click.echo(f"crosscheck: note: {note}", err=True)
    return outcome.report


def _existing(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    for p in paths:
        if not p.exists():
            raise click.UsageError(f"{p}: no such file or folder")
    return list(paths)


class _Group(click.Group):
    """A command group on which Ctrl-C ends the run with one line on stderr and exit status 130, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()


def _interrupted() -> None:
    try:
        click.echo("crosscheck: interrupted; the fact cache keeps what was stored before the stop", err=True)
    except Exception:  # noqa: BLE001 - stderr may be gone
        pass
    sys.exit(EXIT_INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crosscheck")
def main_group() -> None:
    """crosscheck: flag where news sources disagree (spellings, attendance, dates, sequences)."""


@main_group.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--against", "against", multiple=True, type=click.Path(path_type=Path), metavar="CORPUS", help="Check the draft(s) in PATHS against this corpus: only findings that involve a draft (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format (default: rich, or the config's).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
@click.option("--sarif-output", type=click.Path(dir_okay=False, path_type=Path), help="Also write SARIF to this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None, help="Exit 1 when a reported finding is at or above this severity (default: error, or the config's).")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None, help="Report only findings at or above this severity.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings that are not in this baseline file (see `crosscheck baseline create`).")
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline named in the config.")
@click.option("--changed-since", metavar="REF", help="Report only findings that involve an article added or changed since the merge base of REF and HEAD (the whole corpus is still read).")
@click.option("--suppressions", type=click.Path(dir_okay=False, path_type=Path), help="Suppressions file (default: .crosscheck-suppressions.yml beside the config or in the current folder).")
@click.option("--no-suppressions", is_flag=True, help="Ignore the suppressions file.")
@click.option("--allow-unreadable", is_flag=True, help="Do not exit 2 when some articles could not be read.")
@corpus_options
@output_options
def check(paths: tuple[Path, ...], against: tuple[Path, ...], fmt: str | None, output: Path | None, sarif_output: Path | None,
          fail_on: str | None, min_severity: str | None, baseline: Path | None, no_baseline: bool, changed_since: str | None,
          suppressions: Path | None, no_suppressions: bool, allow_unreadable: bool, rules: tuple[Path, ...],
          config_file: Path | None, no_config: bool, enable: tuple[str, ...], disable: tuple[str, ...],
          published: dt.date | None, jobs: int | None, cache_dir: Path | None, no_cache: bool, executor: str | None,
          no_color: bool, quiet: bool, **limits: Any) -> None:
    """Check the articles under PATHS against each other and report where sources disagree.

    With --against CORPUS, PATHS are drafts: only findings that involve a draft are reported.
    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input errors.
    """
    from checker.config import make_plan, pick
    from checker.report.progress import ProgressBar

    drafts = _existing(paths) if against else []
    corpus = _existing(against) if against else _existing(paths)
    cfg = _config(corpus, config_file, no_config)
    plan = make_plan(cfg, corpus, drafts=drafts, published=published, enable=enable, disable=disable,
                     changed_since=changed_since, suppressions=suppressions, no_suppressions=no_suppressions,
                     baseline=baseline, no_baseline=no_baseline, min_severity=min_severity)
    with ProgressBar(enabled=not quiet) as bar:
        report = _gate(plan, _runner(cfg, corpus, rules, jobs, cache_dir, no_cache, executor, bar, limits), quiet)
    _emit(report, pick(fmt, cfg.format, "rich"), output, no_color)
    if sarif_output:
        from checker.report.sarif import render as sarif

        sarif_output.write_text(sarif(report), encoding="utf-8")
    sys.exit(exit_status(report, pick(fail_on, cfg.fail_on, "error"), allow_unreadable))


def _emit(report: Report, fmt: str, output: Path | None, no_color: bool) -> None:
    if fmt != "rich":
        from checker.report import text_renderer

        text = text_renderer(fmt)(report)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if fmt == "github" and summary_file:
            from checker.report.markdown import render as markdown

            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(markdown(report))
        return
    from checker.report import rich_report

    if output:
        with output.open("w", encoding="utf-8") as fh:
            rich_report.render(report, _safe_console(file=fh, no_color=True, color_system=None, width=120))
    else:
        rich_report.render(report, _console(no_color))


@main_group.group()
def baseline() -> None:
    """Record today's findings so that a check reports only new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Baseline file (default: .crosscheck-baseline.json beside the config, else in the current folder).")
@corpus_options
@output_options
def baseline_create(paths: tuple[Path, ...], output: Path | None, rules: tuple[Path, ...], config_file: Path | None,
                    no_config: bool, enable: tuple[str, ...], disable: tuple[str, ...], published: dt.date | None,
                    jobs: int | None, cache_dir: Path | None, no_cache: bool, executor: str | None,
                    no_color: bool, quiet: bool, **limits: Any) -> None:
    """Write the fingerprints of the current findings of PATHS to a baseline file (commit it)."""
    from checker.config import make_plan
    from checker.gate import write_baseline
    from checker.report.progress import ProgressBar

    corpus = _existing(paths)
    cfg = _config(corpus, config_file, no_config)
    plan = make_plan(cfg, corpus, published=published, enable=enable, disable=disable, no_suppressions=True, no_baseline=True)
    with ProgressBar(enabled=not quiet) as bar:
        report = _gate(plan, _runner(cfg, corpus, rules, jobs, cache_dir, no_cache, executor, bar, limits), quiet)
    target = output or cfg.default_baseline
    count = write_baseline(report, target)
    click.echo(f"crosscheck: wrote {count} finding(s) to {target}", err=True)
    from checker.corpus import is_warning

    if any(not is_warning(e) for e in report.errors):
        click.echo(f"crosscheck: {len(report.errors)} input problem(s); run `crosscheck check` to see them", err=True)


@main_group.command()
@click.argument("key", metavar="FINGERPRINT|RULE_ID")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--suppressions", type=click.Path(dir_okay=False, path_type=Path), help="Suppressions file, to show whether the finding is suppressed.")
@corpus_options
@output_options
def explain(key: str, paths: tuple[Path, ...], fmt: str, suppressions: Path | None, rules: tuple[Path, ...],
            config_file: Path | None, no_config: bool, enable: tuple[str, ...], disable: tuple[str, ...],
            published: dt.date | None, jobs: int | None, cache_dir: Path | None, no_cache: bool, executor: str | None,
            no_color: bool, quiet: bool, **limits: Any) -> None:
    """Explain a rule, or a finding of the corpus PATHS: the rule, why it fired, the evidence.

    A rule id needs no corpus (given one, its findings are listed). A fingerprint (or a prefix of at
    least 6 characters) needs the corpus it was found in: crosscheck explain FINGERPRINT articles/
    """
    from checker.config import make_plan
    from checker.gate import find_finding
    from checker.report import explain as render
    from checker.resources import bundled_rules_dir
    from checker.rules.loader import RuleError, load_rules

    corpus = _existing(paths)
    cfg = _config(corpus, config_file, no_config)
    try:
        loaded = {r.id: r for r in load_rules(list(rules) or list(cfg.rules) or [bundled_rules_dir()])}
    except RuleError as exc:
        _fail(f"rule error: {exc}")
    if key not in loaded and not corpus:
        _fail(f"{key!r} is not a rule id; to explain a finding, name the corpus too: crosscheck explain {key} PATHS...")
    report = None
    if corpus:
        plan = make_plan(cfg, corpus, published=published, enable=enable, disable=disable, suppressions=suppressions, no_baseline=True)
        report = _gate(plan, _runner(cfg, corpus, rules, jobs, cache_dir, no_cache, executor, None, limits), True)
    if key in loaded:
        found = [f for f in report.findings if f.rule == key] if report else []
        if fmt == "json":
            click.echo(json.dumps({"rule": render.rule_dict(loaded[key]), "findings": [f.fingerprint for f in found]}, indent=2, ensure_ascii=False))
        else:
            click.echo(render.render_rule_text(loaded[key], found), nl=False)
        return
    finding = find_finding(report, key)
    if finding is None:
        _fail(f"no finding with fingerprint {key!r} in {', '.join(str(p) for p in corpus)} (and no rule with that id)")
    rule = loaded.get(finding.rule)
    if fmt == "json":
        click.echo(json.dumps(render.finding_dict(finding, rule), indent=2, ensure_ascii=False))
    else:
        click.echo(render.render_finding_text(finding, rule, report), nl=False)


@main_group.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["name", "date", "event", "attendance", "number", "role", "quote"]), help="Only facts of this kind (repeatable).")
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) for articles that have none.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--lexicon", "lexicon_dir", type=click.Path(file_okay=False, path_type=Path), help="Lexicon folder instead of the bundled rules/lexicon/.")
@output_options
def facts(paths: tuple[Path, ...], kinds: tuple[str, ...], published: dt.date | None, fmt: str, lexicon_dir: Path | None,
          no_color: bool, quiet: bool) -> None:
    """Show the facts extracted from each article, before any comparison."""
    from checker.corpus import load_corpus
    from checker.lexicon import LexiconError, load_lexicon
    from checker.pipeline import extract_all
    from checker.recase import recase_articles

    try:
        lexicon = load_lexicon(str(lexicon_dir) if lexicon_dir else None)
    except LexiconError as exc:
        _fail(f"lexicon error: {exc}")
    corpus = load_corpus(list(paths), published=published, lexicon=lexicon)
    # read as a check reads (checker/recase.py), shown as given: a fact's text and sentence at its offsets
    read = recase_articles(corpus.articles, lexicon)
    all_facts, errors = extract_all(read, lexicon)
    given = {a.id: a.text for a, r in zip(corpus.articles, read) if a.text != r.text}
    rows = []
    for af in all_facts:
        for f in af.facts:
            if kinds and f.kind not in kinds:
                continue
            if af.article in given:
                sent = af.sentences[f.sentence_index] if 0 <= f.sentence_index < len(af.sentences) else None
                own = given[af.article]
                f = f.model_copy(update={"text": own[f.start:f.end], **({"sentence": own[sent.start:sent.end]} if sent else {})})
            rows.append(f)
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
@click.option("--rules", "paths", multiple=True, type=click.Path(path_type=Path), help="Rule files or folders (default: the bundled rules).")
def rules_list(paths: tuple[Path, ...]) -> None:
    """List rules: id, kind, severity, description."""
    from checker.resources import bundled_rules_dir
    from checker.rules.loader import RuleError, load_rules

    try:
        loaded = load_rules(list(paths) or [bundled_rules_dir()])
    except RuleError as exc:
        _fail(f"rule error: {exc}")
    for r in loaded:
        click.echo(f"{r.id}\t{r.kind}\t{r.severity}\t{r.description}")


@rules.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def rules_validate(paths: tuple[Path, ...]) -> None:
    """Validate rule files: every bad file is reported as FILE:LINE: key ...; exit 2 when any is bad."""
    from checker.rules.loader import RuleError, load_rules, parse_rule_file, rule_files

    files, missing = rule_files(list(paths))
    problems: list[str] = [str(e) for e in missing]
    for f in files:
        try:
            parse_rule_file(f)
        except RuleError as exc:
            problems.append(str(exc))
    if not problems:
        try:
            loaded = load_rules(files)
        except RuleError as exc:
            problems.append(str(exc))
    if problems:
        for line in problems:
            click.echo(line, err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{len(loaded)} rule(s) valid in {len(files)} file(s)")


@rules.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of rule files (generated from the rule models; committed as schemas/rules.schema.json)."""
    from checker.rules.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns the exit status (click's usage errors are 2)."""
    try:
        main_group.main(args=argv, prog_name="crosscheck", standalone_mode=True)
    except KeyboardInterrupt:  # before or after a command ran
        try:
            _interrupted()
        except SystemExit as exc:
            return int(exc.code or 0)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0
