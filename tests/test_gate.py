"""The gate: baselines, suppressions, --changed-since, drafts, config; end to end in a git repository built here."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.config import ConfigError, find_config, load_config, make_plan, resolve_config
from checker.gate import (
    GateError,
    Plan,
    _with_date,
    apply_baseline,
    apply_suppressions,
    baseline_dict,
    drop_articles,
    focus,
    files_matching,
    load_baseline,
    load_suppressions,
    min_severity,
    run_gate,
    select_rules,
    write_baseline,
)
from checker.models import Article, Claim, Finding, Report
from tests.conftest import NEW_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"

NEW_SPELLING = "Kamal Kharazy"


# --------------------------------------------------------------------------------------------------
# helpers


def claim(article: str, value: str, line: int = 1, path: str | None = None) -> Claim:
    return Claim(article=article, source=f"src-{article}", value=value, text=f"{value} said.", start=0,
                 end=len(value), line=line, span_text=value, path=path or f"{article}.md")


def finding(fp: str, rule: str, subject: str, sides: list[tuple[str, str]], severity: str = "warning") -> Finding:
    return Finding(fingerprint=fp, rule=rule, kind=rule.split("-")[0], severity=severity, message=f"{subject} differs",
                   subject=subject, claims=tuple(claim(a, v) for a, v in sides))


def article(aid: str, path: str | None = None) -> Article:
    return Article(id=aid, path=path or f"{aid}.md", text="x")


def report(*findings: Finding, articles: tuple[str, ...] = ("a", "b", "c")) -> Report:
    return Report(articles=tuple(article(a) for a in articles), findings=tuple(findings))


def cc(cwd: Path, *args: str, check_rc: int | None = None) -> subprocess.CompletedProcess:
    """Run the command line as a user would, from `cwd`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check_rc is not None:
        assert done.returncode == check_rc, (args, done.returncode, done.stdout[-3000:], done.stderr[-3000:])
    return done


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def make_repo(tmp: Path) -> Path:
    repo = tmp / "corpus-repo"
    (repo / "articles").mkdir(parents=True)
    for f in SEEDS.iterdir():
        shutil.copy(f, repo / "articles" / f.name)
    (repo / ".gitignore").write_text(".crosscheck-cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "corpus")
    return repo


def findings_of(done: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(done.stdout)["findings"]


# --------------------------------------------------------------------------------------------------
# end to end: the CI gate in a git repository


def test_gate_end_to_end_in_a_git_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    full = findings_of(cc(repo, "check", "articles", "--format", "json", "--fail-on", "never", check_rc=0))
    assert full, "the seeds have findings to baseline"

    cc(repo, "baseline", "create", "articles", check_rc=0)
    base = json.loads((repo / ".crosscheck-baseline.json").read_text(encoding="utf-8"))
    assert sorted(e["fingerprint"] for e in base["findings"]) == sorted(f["fingerprint"] for f in full)
    git(repo, "add", ".crosscheck-baseline.json")
    git(repo, "commit", "-q", "-m", "baseline")

    # Unrelated edits, reordering of text and renames of files keep the baseline quiet.
    victim = repo / "articles" / "003_2466db2a32485937.md"
    head2, sep2, rest = victim.read_text(encoding="utf-8").partition("\n---\n")
    victim.write_text(head2 + sep2 + "An editor's note added on top.\n\n" + rest, encoding="utf-8")
    git(repo, "mv", "articles/004_1c1824e3aa305cf4.md", "articles/zz_renamed.md")
    git(repo, "commit", "-q", "-am", "edit and rename")
    quiet = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--format", "json", "--fail-on", "info")
    assert findings_of(quiet) == [] and quiet.returncode == 0, quiet.stdout[-2000:]

    # A new article with a new spelling: exactly one new finding, with --baseline and with --changed-since.
    git(repo, "checkout", "-q", "-b", "feature")
    new = repo / "articles" / "005_new.md"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    git(repo, "add", "articles/005_new.md")
    git(repo, "commit", "-q", "-m", "new article")
    git(repo, "checkout", "-q", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "main moves on")  # merge-base, not main's tip
    git(repo, "checkout", "-q", "feature")

    by_baseline = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--fail-on", "warning", "--format", "json")
    assert by_baseline.returncode == 1
    got = findings_of(by_baseline)
    assert len(got) == 1, [f["subject"] for f in got]
    (fresh,) = got
    assert fresh["baseline"] == "new" and not fresh["suppressed"]
    assert NEW_SPELLING in [c["value"] for c in fresh["claims"]]
    assert fresh["claims"][0]["path"] == "articles/005_new.md"  # the new side comes first

    by_diff = cc(repo, "check", "articles", "--changed-since", "main", "--fail-on", "warning", "--format", "json")
    assert by_diff.returncode == 1
    assert [f["fingerprint"] for f in findings_of(by_diff)] == [fresh["fingerprint"]]
    both = cc(repo, "check", "articles", "--changed-since", "main", "--baseline", ".crosscheck-baseline.json", "--format", "json", "--fail-on", "warning")
    assert [f["fingerprint"] for f in findings_of(both)] == [fresh["fingerprint"]] and both.returncode == 1

    # The github format annotates the new file and the line of the new spelling.
    gh = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--fail-on", "warning", "--format", "github")
    assert gh.returncode == 1
    line = next(i for i, text in enumerate(NEW_ARTICLE.splitlines(), start=1) if NEW_SPELLING in text)
    annotations = [x for x in gh.stdout.splitlines() if x.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(f"::warning file=articles/005_new.md,line={line},")
    assert fresh["fingerprint"] in annotations[0]

    # Suppressed with a reason: exit 0, still visible as suppressed in JSON and SARIF.
    reason = "Both spellings are in use; house style decided later."
    (repo / ".crosscheck-suppressions.yml").write_text(
        f"suppressions:\n  - fingerprint: {fresh['fingerprint']}\n    reason: {reason}\n", encoding="utf-8")
    ok = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--fail-on", "warning", "--format", "json")
    assert ok.returncode == 0, ok.stderr
    (shown,) = findings_of(ok)
    assert shown["suppressed"] is True and shown["suppression_reason"] == reason
    assert json.loads(ok.stdout)["summary"]["suppressed"] == 1
    sarif = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--fail-on", "warning", "--format", "sarif", check_rc=0)
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["partialFingerprints"]["crosscheck/v1"] == fresh["fingerprint"]
    assert result["suppressions"][0]["justification"] == reason
    assert result["baselineState"] == "new"
    gh_quiet = cc(repo, "check", "articles", "--baseline", ".crosscheck-baseline.json", "--fail-on", "warning", "--format", "github", check_rc=0)
    assert not [x for x in gh_quiet.stdout.splitlines() if x.startswith("::")]
    assert fresh["fingerprint"] in gh_quiet.stdout and "suppressed" in gh_quiet.stdout

    # The same by rule, subject and article instead of fingerprint.
    (repo / ".crosscheck-suppressions.yml").write_text(
        "suppressions:\n  - rule: spelling-names\n    subject: " + fresh["subject"] + "\n    articles: [005_new]\n"
        "    reason: accepted\n", encoding="utf-8")
    cc(repo, "check", "articles", "--changed-since", "main", "--fail-on", "warning", check_rc=0)

    # Without a reason the suppressions file is refused, naming file, line and key.
    (repo / ".crosscheck-suppressions.yml").write_text(
        f"suppressions:\n  - fingerprint: {fresh['fingerprint']}\n", encoding="utf-8")
    bad = cc(repo, "check", "articles", "--fail-on", "warning", check_rc=2)
    assert ".crosscheck-suppressions.yml:2: key 'reason'" in bad.stderr


def test_changed_since_errors_name_the_problem(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    bad_ref = cc(repo, "check", "articles", "--changed-since", "no-such-branch", check_rc=2)
    assert "no-such-branch" in bad_ref.stderr and "Traceback" not in bad_ref.stderr
    plain = tmp_path / "plain"
    shutil.copytree(SEEDS, plain)
    not_git = cc(tmp_path, "check", "plain", "--changed-since", "main", check_rc=2)
    assert "not inside a git repository" in not_git.stderr


def test_changed_since_counts_uncommitted_and_untracked_articles(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "articles" / "005_new.md").write_text(NEW_ARTICLE, encoding="utf-8")  # untracked
    done = cc(repo, "check", "articles", "--changed-since", "HEAD", "--format", "json", "--fail-on", "warning")
    assert done.returncode == 1
    assert all(any(c["article"] == "005_new" for c in f["claims"]) for f in findings_of(done))
    assert findings_of(done)


def test_inline_ignore_is_shown_as_suppressed_in_source(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(SEEDS, corpus)
    full = findings_of(cc(tmp_path, "check", "articles", "--format", "json", "--fail-on", "never", "--no-cache", check_rc=0))
    target = next(f for f in full if f["rule"] == "spelling-names")
    victim = corpus / Path(target["claims"][0]["path"]).name
    victim.write_text(victim.read_text(encoding="utf-8") + "\n<!-- crosscheck-ignore spelling-names -->\n", encoding="utf-8")
    after = findings_of(cc(tmp_path, "check", "articles", "--format", "json", "--fail-on", "never", "--no-cache", check_rc=0))
    same = next(f for f in after if f["fingerprint"] == target["fingerprint"])
    assert same["suppressed"] and "inline" in same["suppression_reason"]
    sarif = json.loads(cc(tmp_path, "check", "articles", "--format", "sarif", "--fail-on", "never", "--no-cache").stdout)
    res = next(r for r in sarif["runs"][0]["results"] if r["partialFingerprints"]["crosscheck/v1"] == target["fingerprint"])
    assert res["suppressions"][0]["kind"] == "inSource"


# --------------------------------------------------------------------------------------------------
# the desk: a draft against the corpus


def test_draft_without_front_matter_against_the_corpus(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("Envoys in Tehran\n\nKamal Kharazy met the envoys.\n", encoding="utf-8")
    done = cc(ROOT, "check", str(draft), "--against", str(SEEDS), "--format", "json", "--fail-on", "warning", "--no-cache")
    data = json.loads(done.stdout)
    assert done.returncode == 1 and data["findings"]
    mine = next(a for a in data["articles"] if a["path"] == draft.as_posix())
    assert mine["published"] == dt.date.today().isoformat() and mine["published_from"] == "option"
    for f in data["findings"]:
        first = f["claims"][0]
        assert first["article"] == mine["id"] and first["path"] == draft.as_posix()
    spelled = next(c for f in data["findings"] for c in f["claims"] if c["value"] == NEW_SPELLING)
    text = draft.read_text(encoding="utf-8")
    assert spelled["line"] == 3 and text[spelled["start"]:spelled["end"]] == NEW_SPELLING

    dated = cc(ROOT, "check", str(draft), "--against", str(SEEDS), "--format", "json", "--published", "2019-07-24", "--fail-on", "never", "--no-cache", check_rc=0)
    mine = next(a for a in json.loads(dated.stdout)["articles"] if a["path"] == draft.as_posix())
    assert mine["published"] == "2019-07-24"


def test_draft_that_agrees_with_the_corpus_is_clean(tmp_path: Path) -> None:
    draft = tmp_path / "quiet.md"
    draft.write_text("A quiet day\n\nNothing happened in the capital.\n", encoding="utf-8")
    done = cc(ROOT, "check", str(draft), "--against", str(SEEDS), "--format", "json", "--fail-on", "info", "--no-cache", check_rc=0)
    assert json.loads(done.stdout)["findings"] == []


def test_with_date_keeps_the_body_and_counts_what_it_adds() -> None:
    for text in ("Body line\nsecond\n", "---\ntitle: T\npublished: 2001-01-01\n---\nBody line\nsecond\n"):
        new, chars, lines = _with_date(text, dt.date(2020, 2, 3))
        assert "published: 2020-02-03" in new and new.count("published:") == 1
        body = text.index("Body line")
        assert new[body + chars:] == text[body:]
        assert new[: body + chars].count("\n") - text[:body].count("\n") == lines


# --------------------------------------------------------------------------------------------------
# units: baselines


def test_baseline_matches_by_fingerprint_and_by_known_values(tmp_path: Path) -> None:
    old = report(finding("f1", "spelling-names", "Kamal Kharazi", [("a", "Kharazi"), ("b", "Kharrazi")]))
    path = tmp_path / "b.json"
    assert write_baseline(old, path) == 1
    base = load_baseline(path)
    same_sides_new_article = finding("f2", "spelling-names", "Kamal Kharazi", [("a", "Kharazi"), ("b", "Kharrazi"), ("c", "Kharazi")])
    new_spelling = finding("f3", "spelling-names", "Kamal Kharazi", [("a", "Kharazi"), ("b", "Kharrazi"), ("c", "Kharazy")])
    other = finding("f4", "spelling-names", "Someone Else", [("a", "X"), ("b", "Y")])
    now = report(old.findings[0], same_sides_new_article, new_spelling, other)
    marked = apply_baseline(now, base, keep_unchanged=True)
    assert [f.baseline for f in marked.findings] == ["unchanged", "unchanged", "new", "new"]
    assert marked.findings[2].claims[0].value == "Kharazy"  # what is new comes first
    assert [f.fingerprint for f in apply_baseline(now, base).findings] == ["f3", "f4"]


def test_baseline_file_is_stable_and_checked(tmp_path: Path) -> None:
    r = report(finding("b2", "r-x", "S", [("a", "1"), ("b", "2")]), finding("a1", "r-x", "T", [("b", "2"), ("a", "1")]))
    assert baseline_dict(r) == baseline_dict(r.model_copy(update={"findings": tuple(reversed(r.findings))}))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GateError, match=r"bad.json:1: .*not valid JSON"):
        load_baseline(bad)
    bad.write_text('{"version": 99, "findings": []}', encoding="utf-8")
    with pytest.raises(GateError, match="version 99"):
        load_baseline(bad)
    with pytest.raises(GateError, match="baseline create"):
        load_baseline(tmp_path / "missing.json")


# --------------------------------------------------------------------------------------------------
# units: suppressions


def test_suppressions_file_errors_name_file_line_and_key(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    cases = {
        "suppressions:\n  - fingerprint: abc\n": r"s.yml:2: key 'reason'",
        "suppressions:\n  - fingerprint: abc\n    reason: ok\n    colour: red\n": r"s.yml:4: key 'colour': unknown key",
        "suppressions:\n  - reason: why\n": r"s.yml:2: key 'fingerprint'",
        "suppressions:\n  - rule: spelling-names\n    reason: why\n": r"s.yml:2: key 'rule': a rule alone",
        "suppressions:\n  - fingerprint: abc\n    reason: ok\n    articles: 3\n": r"s.yml:4: key 'articles'",
        "suppress:\n  - fingerprint: abc\n": r"s.yml:1: key 'suppress'",
        "suppressions: [\n": r"s.yml:\d+: malformed YAML",
        "suppressions:\n  - fingerprint: abc\n    reason: ok\n    expires: soon\n": r"s.yml:4: key 'expires'",
    }
    for text, pattern in cases.items():
        f.write_text(text, encoding="utf-8")
        with pytest.raises(GateError, match=pattern):
            load_suppressions(f)


def test_suppressions_mark_and_keep_findings(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    f.write_text(
        "suppressions:\n"
        "  - fingerprint: f1\n    reason: known\n"
        "  - rule: spelling-*\n    subject: kamal kharazi\n    articles: [c]\n    reason: house style\n"
        "  - fingerprint: nothing\n    reason: stale\n",
        encoding="utf-8",
    )
    r = report(
        finding("f1", "attendance-conflict", "A", [("a", "present"), ("b", "absent")]),
        finding("f2", "spelling-names", "Kamal Kharazi", [("a", "Kharazi"), ("c", "Kharazy")]),
        finding("f3", "spelling-names", "Kamal Kharazi", [("a", "Kharazi"), ("b", "Kharazy")]),
    )
    out, unused = apply_suppressions(r, load_suppressions(f))
    assert [(x.fingerprint, x.suppressed, x.suppression_reason) for x in out.findings] == [
        ("f1", True, "known"), ("f2", True, "house style"), ("f3", False, None)]
    assert [u.fingerprint for u in unused] == ["nothing"] and unused[0].where.endswith("s.yml:8")


def test_expired_suppressions_stop_applying(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    f.write_text("- fingerprint: f1\n  reason: until the correction runs\n  expires: 2026-03-01\n", encoding="utf-8")
    r = report(finding("f1", "attendance-conflict", "A", [("a", "present"), ("b", "absent")]))
    sups = load_suppressions(f)
    before, _ = apply_suppressions(r, sups, today=dt.date(2026, 3, 1))
    after, unused = apply_suppressions(r, sups, today=dt.date(2026, 3, 2))
    assert before.findings[0].suppressed and not after.findings[0].suppressed and unused == sups
    out = run_gate(Plan(paths=[tmp_path], root=tmp_path, suppressions=f, today=dt.date(2026, 3, 2)), lambda p, d: r)
    assert not out.report.findings[0].suppressed and any("expired on 2026-03-01" in n for n in out.notes)


# --------------------------------------------------------------------------------------------------
# units: selection


def test_select_rules_by_prefix_and_severity_override() -> None:
    r = report(finding("1", "spelling-names", "S", [("a", "x"), ("b", "y")]),
               finding("2", "date-conflict", "D", [("a", "1"), ("b", "2")], severity="error"),
               finding("3", "date-weekday-mismatch", "W", [("a", "1")]))
    assert [f.fingerprint for f in select_rules(r, enable=["date-"]).findings] == ["2", "3"]
    assert [f.fingerprint for f in select_rules(r, disable=["date-weekday"]).findings] == ["1", "2"]
    over = select_rules(r, severity={"spelling-names": "error", "date-*": "info"})
    assert [f.severity for f in over.findings] == ["error", "info", "info"]


def test_focus_min_severity_and_ignored_paths(tmp_path: Path) -> None:
    r = report(finding("1", "s-x", "S", [("a", "x"), ("b", "y")], severity="info"),
               finding("2", "s-x", "T", [("a", "x"), ("c", "z")], severity="error"))
    focused = focus(r, {"c"})
    assert [f.fingerprint for f in focused.findings] == ["2"] and focused.findings[0].claims[0].article == "c"
    assert [f.fingerprint for f in min_severity(r, "warning").findings] == ["2"]
    arts = Report(articles=(article("a", "corpus/a.md"), article("b", "corpus/drafts/b.md"), article("c", "corpus/old/c.md")), findings=r.findings)
    assert [f.fingerprint for f in drop_articles(arts, {"b"}).findings] == ["2"]
    for rel in ("corpus/a.md", "corpus/drafts/b.md", "corpus/old/c.md", "corpus/old/.hidden.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    top = [tmp_path / "corpus"]
    assert files_matching(top, ["corpus/drafts/"], tmp_path) == {(tmp_path / "corpus/drafts/b.md").resolve()}
    assert files_matching(top, ["./corpus/old/*.md", "nothing"], tmp_path) == {(tmp_path / "corpus/old/c.md").resolve()}
    assert files_matching(top, [], tmp_path) == set()


def test_run_gate_reads_a_view_without_ignored_files(tmp_path: Path) -> None:
    corpus = tmp_path / "x"
    (corpus / "skip").mkdir(parents=True)
    (corpus / "sub").mkdir()
    for rel in ("a.md", "sub/b.md", "skip/c.md"):
        (corpus / rel).write_text("text\n", encoding="utf-8")
    read: list[list[str]] = []

    def fake(paths: list[Path], published: object) -> Report:
        files = sorted((Path(d) / n).relative_to(paths[0]).as_posix()
                       for d, _, names in os.walk(paths[0], followlinks=True) for n in names)  # links followed, as the loader does
        read.append(files)
        arts = tuple(article(Path(f).stem, (paths[0] / f).as_posix()) for f in files)
        return Report(articles=arts, findings=(finding("1", "spelling-names", "S", [("a", "x"), ("b", "y")]),
                                               finding("3", "date-conflict", "D", [("a", "1"), ("b", "2")], severity="error")))

    plan = Plan(paths=[corpus], root=tmp_path, ignore=("x/skip",), disable=("date-",), severity={"spelling-names": "error"})
    out = run_gate(plan, fake).report
    assert read == [["a.md", "sub/b.md"]]  # the ignored file is never read
    assert sorted(a.path for a in out.articles) == [(corpus / "a.md").as_posix(), (corpus / "sub/b.md").as_posix()]
    assert [(f.fingerprint, f.severity) for f in out.findings] == [("1", "error")]
    assert run_gate(Plan(paths=[corpus], root=tmp_path), fake) and read[-1] == ["a.md", "skip/c.md", "sub/b.md"]


def test_ignored_articles_leave_the_report_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(SEEDS, corpus)
    (corpus / "old").mkdir()
    moved = sorted(corpus.glob("*.md"))[-1]
    shutil.move(moved, corpus / "old" / moved.name)
    everything = findings_of(cc(tmp_path, "check", "articles", "--format", "json", "--fail-on", "never", "--no-cache", check_rc=0))
    (tmp_path / "crosscheck.toml").write_text('ignore = ["articles/old/"]\n', encoding="utf-8")
    done = cc(tmp_path, "check", "articles", "--format", "json", "--fail-on", "never", "--no-cache", check_rc=0)
    data = json.loads(done.stdout)
    assert all("old/" not in a["path"] for a in data["articles"]) and len(data["articles"]) == 4
    assert all(a["path"].startswith("articles/") for a in data["articles"])
    assert all("old/" not in c["path"] for f in data["findings"] for c in f["claims"])
    assert {f["fingerprint"] for f in data["findings"]} <= {f["fingerprint"] for f in everything} | {f["fingerprint"] for f in data["findings"]}
    assert len(data["findings"]) < len(everything)


def test_draft_inside_the_corpus_is_read_once_as_the_draft(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(SEEDS, corpus)
    draft = corpus / "draft.md"
    draft.write_text("Envoys in Tehran\n\nKamal Kharazy met the envoys.\n", encoding="utf-8")
    done = cc(tmp_path, "check", "articles/draft.md", "--against", "articles", "--format", "json", "--fail-on", "never", "--no-cache", check_rc=0)
    data = json.loads(done.stdout)
    mine = [a for a in data["articles"] if a["path"] == "articles/draft.md"]
    assert len(mine) == 1 and mine[0]["published_from"] == "option"
    assert not data["errors"] and len(data["articles"]) == len(list(SEEDS.glob("*.md"))) + 1
    assert data["findings"] and all(f["claims"][0]["path"] == "articles/draft.md" for f in data["findings"])


# --------------------------------------------------------------------------------------------------
# units: config


def test_config_is_found_walking_up_and_command_line_wins(tmp_path: Path) -> None:
    corpus = tmp_path / "proj" / "articles" / "2026"
    corpus.mkdir(parents=True)
    (tmp_path / "proj" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.crosscheck]\nfail-on = "warning"\nrules = ["myrules"]\nignore = ["articles/old/"]\n'
        'disable = ["date-"]\n[tool.crosscheck.severity]\n"spelling-names" = "error"\n', encoding="utf-8")
    found = find_config(corpus)
    assert found == (tmp_path / "proj" / "pyproject.toml").resolve()
    cfg = resolve_config([corpus])
    assert cfg.fail_on == "warning" and cfg.rules == ((tmp_path / "proj" / "myrules").resolve(),)
    assert cfg.severity == {"spelling-names": "error"} and cfg.root == (tmp_path / "proj").resolve()
    (tmp_path / "proj" / "articles" / "crosscheck.toml").write_text('min_severity = "warning"\ndisable = ["spelling"]\n', encoding="utf-8")
    nearer = resolve_config([corpus])
    assert nearer.source.name == "crosscheck.toml" and nearer.min_severity == "warning" and nearer.fail_on is None
    plan = make_plan(nearer, [corpus], disable=("attendance",), min_severity="error")
    assert plan.disable == ("attendance",) and plan.min_severity == "error"
    assert make_plan(nearer, [corpus]).disable == ("spelling",)
    assert resolve_config([corpus], no_config=True).source is None


def test_config_errors_name_file_and_key(tmp_path: Path) -> None:
    f = tmp_path / "crosscheck.toml"
    for text, pattern in {
        'fail-on = "sometimes"\n': "key 'fail-on': expected one of",
        'colour = "red"\n': "key 'colour': unknown key",
        "rules = 3\n": "key 'rules'",
        "[severity]\nx = 'loud'\n": "key 'severity.x'",
        "fail-on = \n": "malformed TOML",
    }.items():
        f.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=pattern):
            load_config(f)
