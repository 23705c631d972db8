"""Faults during a run: Ctrl-C (exit 130, one line, a cache the next run can use), input limits (an error
naming the limit, exit 2, the other articles still checked) and an extraction that hangs (stopped after
--article-timeout and reported by article)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main_group
from checker.patterns import time_limit_available
from checker.pipeline import Options
from checker.resources import bundled_rules_dir

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
FIELDS = set(getattr(Options, "__dataclass_fields__", {}))


def needs(field: str) -> pytest.MarkDecorator:
    """A test of behaviour that needs the pipeline to take `field`: expected to fail until it does."""
    return pytest.mark.xfail(field not in FIELDS, reason=f"checker.pipeline.Options has no `{field}` yet", strict=True)


def article(folder: Path, name: str, ident: str, body: str, source: str = "Wire") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\nid: {ident}\nsource: {source}\npublished: 2020-03-02\n---\n{body}\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(main_group, list(args))
    out = result.stdout
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    return result.exit_code, doc, result.output


def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    article(folder, "a.md", "a", "Storm hits the coast\n\nThe storm killed 5 people on Monday, officials said.")
    article(folder, "b.md", "b", "Storm toll\n\nThe storm killed 7 people on Monday, the mayor said.", source="Post")
    article(folder, "c.md", "c", "Cleanup\n\nVolunteers cleared the roads on Tuesday.", source="Herald")
    return folder


# --------------------------------------------------------------------------------------------------
# Ctrl-C


def test_ctrl_c_exits_130_with_one_line_and_leaves_the_cache_usable(tmp_path: Path) -> None:
    corpus = tmp_path / "gen"
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "240", str(corpus), "--seed", "7"],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    articles = corpus / "articles"
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "checker", "check", str(articles), "--jobs", "2", "--cache-dir", str(cache),
           "--format", "json", "--fail-on", "never", "-q", "--no-config"]
    # a shell's background job starts with SIGINT ignored, and children inherit that: give the run Python's default
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        db = cache / "facts.sqlite"
        for _ in range(600):  # the cache is opened just before extraction starts
            if db.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # never leave a run behind
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "interrupted" in lines[0], err
    assert "Traceback" not in err and out == ""

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    again = subprocess.run(cmd, cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    fresh = subprocess.run([*cmd[:-6], "--no-cache", "--format", "json", "--fail-on", "never", "-q", "--no-config"],
                           cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=600)
    assert fresh.returncode == 0, fresh.stderr
    doc = json.loads(again.stdout)
    assert len(doc["articles"]) == 240 and not [e for e in doc["errors"] if not e["message"].startswith("warning:")]
    assert again.stdout == fresh.stdout  # what the interrupted run cached is right


def test_ctrl_c_in_process_is_130_without_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import checker.pipeline as pipeline

    def interrupted(opts: Options) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_check", interrupted)
    result = CliRunner().invoke(main_group, ["check", str(small_corpus(tmp_path)), "--no-cache"])
    assert result.exit_code == 130
    assert result.output.strip().count("\n") == 0 and "interrupted" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --------------------------------------------------------------------------------------------------
# limits


@needs("limits")
def test_max_article_bytes_is_an_error_naming_the_limit(tmp_path: Path) -> None:
    folder = small_corpus(tmp_path)
    article(folder, "big.md", "big", "Long\n\n" + "The storm killed 5 people. " * 200)
    code, doc, output = run("check", str(folder), "--no-cache", "--format", "json", "--fail-on", "never", "--max-article-bytes", "2000")
    assert code == 2, output
    (err,) = doc["errors"]
    assert err["path"].endswith("big.md") and "max_article_bytes" in err["message"] and "2,000" in err["message"]
    assert sorted(a["id"] for a in doc["articles"]) == ["a", "b", "c"]
    assert doc["summary"]["facts"] > 0
    code, _, _ = run("check", str(folder), "--no-cache", "--format", "json", "--fail-on", "never", "--max-article-bytes", "2000", "--allow-unreadable")
    assert code == 0


@needs("limits")
def test_max_articles_is_an_error_naming_the_limit(tmp_path: Path) -> None:
    folder = small_corpus(tmp_path)
    code, doc, output = run("check", str(folder), "--no-cache", "--format", "json", "--fail-on", "never", "--max-articles", "2")
    assert code == 2, output
    assert any("max_articles" in e["message"] for e in doc["errors"])
    assert len(doc["articles"]) == 2


@needs("max_facts_per_article")
def test_max_facts_per_article_is_an_error_not_a_truncation(tmp_path: Path) -> None:
    folder = small_corpus(tmp_path)
    names = ", ".join(f"Officer {first} {last}" for first, last in zip("Abel Brant Carew Dorn Egan Faber Gale Hoyt".split(), "Quill Rask Stave Tolle Umber Vance Wyck Yarrow".split()))
    article(folder, "many.md", "many", f"Roll call\n\nThe storm crews included {names}, on Monday, March 2, 2020.")
    code, doc, output = run("check", str(folder), "--no-cache", "--format", "json", "--fail-on", "never", "--max-facts-per-article", "6")
    assert code == 2, output
    errors = [e for e in doc["errors"] if "max_facts_per_article" in e["message"]]
    assert [e["path"].rsplit("/", 1)[-1] for e in errors] == ["many.md"]
    assert "(6)" in errors[0]["message"]
    assert doc["summary"]["facts"] > 0  # the other articles were checked


@needs("limits")
def test_limit_options_reach_the_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import checker.pipeline as pipeline
    from checker.models import Report

    seen = []

    def fake(opts: Options) -> Report:
        seen.append(opts)
        return Report(articles=(), findings=())

    monkeypatch.setattr(pipeline, "run_check", fake)
    code, _, output = run("check", str(small_corpus(tmp_path)), "--no-cache", "--max-article-bytes", "123", "--max-articles", "4",
                          "--max-facts-per-article", "5", "--article-timeout", "2.5", "--lexicon", str(bundled_rules_dir() / "lexicon"))
    assert code == 0, output
    (opts,) = seen
    assert (opts.limits.max_article_bytes, opts.limits.max_articles) == (123, 4)
    assert (opts.max_facts_per_article, opts.article_timeout, opts.lexicon_dir) == (5, 2.5, bundled_rules_dir() / "lexicon")


# --------------------------------------------------------------------------------------------------
# an extraction that hangs


def hanging_lexicon(tmp_path: Path) -> Path:
    """The bundled lexicon plus a number pattern that passes the static check (its nesting is bounded, so
    its ambiguity is polynomial) but takes practically forever on a long word before the cue."""
    lex = tmp_path / "lexicon"
    shutil.copytree(bundled_rules_dir() / "lexicon", lex, ignore=shutil.ignore_patterns("__*"))
    numbers = lex / "numbers.yml"
    text = numbers.read_text(encoding="utf-8")
    anchor = "    patterns:\n"
    at = text.index(anchor) + len(anchor)
    numbers.write_text(text[:at] + "      - '(?:\\w+\\w+){1,4}\\s+perished\\s+{N}'\n" + text[at:], encoding="utf-8")
    return lex


def hanging_article(folder: Path) -> Path:
    return article(folder, "slow.md", "slow", "Slow\n\nThe storm " + "a" * 400 + "! perished 5 people, officials said.")


@pytest.mark.skipif(not time_limit_available(), reason="no SIGALRM here")
@pytest.mark.skipif("article_timeout" not in FIELDS, reason="checker.pipeline.Options has no `article_timeout` yet: the run would hang")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_extraction_that_hangs_is_stopped_and_named(tmp_path: Path, jobs: str) -> None:
    folder = small_corpus(tmp_path)
    if jobs == "2":  # enough articles for a worker pool
        for i in range(60):
            article(folder / "more", f"m{i}.md", f"m{i}", f"Update {i}\n\nCrews cleared {i + 2} roads on Tuesday.", source=f"S{i}")
    slow = hanging_article(folder)
    lex = hanging_lexicon(tmp_path)
    args = ["check", str(folder), "--no-cache", "--format", "json", "--fail-on", "never", "--lexicon", str(lex),
            "--article-timeout", "5", "--jobs", jobs]  # far above a normal article's time, even on a loaded machine
    code, doc, output = run(*args)
    assert code == 2, output
    (err,) = doc["errors"]
    assert err["path"] == str(slow)
    assert err["message"].startswith("extraction timed out after 5 s: a pattern may backtrack")
    assert doc["summary"]["facts"] > 0 and "slow" in [a["id"] for a in doc["articles"]]
    code, _, _ = run(*args, "--allow-unreadable")
    assert code == 0


# --------------------------------------------------------------------------------------------------
# hostile article text in the rich report


def hostile_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "one.md").write_text(
        "---\nid: one\nsource: Wire [bold]One[/bold]\npublished: 2020-03-02\n---\nTalks\n\n"
        "Minister Orlan Vasquette met the envoys in the capital on Monday [bold]loudly[/bold] \x1b[2J\x1b[31m red \x07.\n",
        encoding="utf-8",
    )
    (folder / "two.md").write_text(
        "---\nid: two\nsource: Post\npublished: 2020-03-03\n---\nTalks\n\n"
        "Minister Orlan Vasquet met the envoys in the capital on Monday, officials said.\n",
        encoding="utf-8",
    )
    return folder


def _shown_literally(out: str) -> None:
    assert "[bold]loudly[/bold]" in out and "Wire [bold]One[/bold]" in out  # markup is text
    assert "\x1b[2J" not in out and "\x1b[31m red" not in out and "\x07" not in out  # never sent to the terminal
    assert "\u241b[2J\u241b[31m red" in out  # shown as symbols instead (rich itself drops a bell)


def test_escape_sequences_and_markup_are_shown_literally_in_plain_output(tmp_path: Path) -> None:
    folder = hostile_corpus(tmp_path)
    result = CliRunner().invoke(main_group, ["check", str(folder), "--no-cache", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "Vasquette" in result.stdout  # the finding with the hostile sentence is shown
    _shown_literally(result.stdout)
    report = tmp_path / "report.txt"
    assert CliRunner().invoke(main_group, ["check", str(folder), "--no-cache", "--fail-on", "never", "-o", str(report)]).exit_code == 0
    _shown_literally(report.read_text(encoding="utf-8"))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_escape_sequences_and_markup_are_shown_literally_with_colour(tmp_path: Path) -> None:
    import pty

    folder = hostile_corpus(tmp_path)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(folder), "--no-cache", "--fail-on", "never"],
                            stdout=slave, stderr=slave, cwd=tmp_path, env={**ENV, "COLUMNS": "160", "TERM": "xterm-256color"})
    os.close(slave)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=120) == 0
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in out  # colour is on: the report's own styles are escape sequences
    _shown_literally(out)
