"""The command line: help and docs for every command, exit statuses, rules validate, explain, config, progress,
and the CI example of the README, the composite action and the pre-commit hook, run as a new user would."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from checker.cli import exit_status, main_group
from checker.models import Claim, Finding, InputError, Report
from tests.conftest import NEW_ARTICLE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
DOCS = ROOT / "README.md"



def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def commands(group: click.Group, prefix: str = "crosscheck") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        out.append((path, cmd))
        if isinstance(cmd, click.Group):
            out.extend(commands(cmd, path))
    return out


def shim(folder: Path) -> dict[str, str]:
    """A `crosscheck` on PATH that runs this checkout, as `pip install` would provide."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    exe = bin_dir / "crosscheck"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m checker "$@"\n', encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "GIT_AUTHOR_NAME": "n", "GIT_AUTHOR_EMAIL": "n@example.org", "GIT_COMMITTER_NAME": "n", "GIT_COMMITTER_EMAIL": "n@example.org"}
    env.pop("GITHUB_STEP_SUMMARY", None)
    return env


def sh(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def corpus_repo(tmp: Path, env: dict[str, str]) -> Path:
    """A fresh corpus repository with an origin, a committed baseline on main and a branch adding an article."""
    origin = tmp / "origin.git"
    repo = tmp / "newsroom"
    script = f"""
set -e
git init -q --bare "{origin}"
git init -q -b main "{repo}"
cd "{repo}"
mkdir articles
cp "{SEEDS}"/*.md articles/
printf '.crosscheck-cache/\\n' > .gitignore
git add . && git commit -q -m corpus
crosscheck baseline create articles/
git add .crosscheck-baseline.json && git commit -q -m baseline
git remote add origin "{origin}" && git push -q origin main
git checkout -q -b new-article
"""
    done = sh(script, tmp, env)
    assert done.returncode == 0, done.stderr
    (repo / "articles" / "005_new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    done = sh("git add articles && git commit -q -m 'new article'", repo, env)
    assert done.returncode == 0, done.stderr
    return repo


# --------------------------------------------------------------------------------------------------
# help and docs


def test_every_command_has_help_and_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    found = commands(main_group)
    assert {p for p, _ in found} >= {"crosscheck check", "crosscheck baseline create", "crosscheck explain",
                                       "crosscheck rules list", "crosscheck rules validate", "crosscheck rules schema"}
    for path, cmd in found:
        result = run(*path.split()[1:], "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output and (cmd.help or "").strip(), path
        assert f"`{path}" in docs, f"{path} is not named in the README"
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help or param.name in ("fmt",), f"{path} {param.opts} has no help"


def test_check_options_are_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    check = main_group.commands["check"]
    for param in check.params:
        if isinstance(param, click.Option):
            assert any(opt in docs for opt in param.opts), f"check {param.opts[0]} is not in the README"


# --------------------------------------------------------------------------------------------------
# exit status


def _finding(severity: str, **kw: object) -> Finding:
    c = Claim(article="a", source="s", value="v", text="t", start=0, end=1, line=1)
    return Finding(fingerprint="f" * 20, rule="r", kind="k", severity=severity, message="m", subject="s", claims=(c,), **kw)


def test_exit_status_is_decided_once_from_the_report() -> None:
    def rep(*findings: Finding, errors: tuple = ()) -> Report:
        return Report(articles=(), findings=findings, errors=errors)

    assert exit_status(rep(_finding("warning")), "error", False) == 0
    assert exit_status(rep(_finding("warning")), "warning", False) == 1
    assert exit_status(rep(_finding("info")), "info", False) == 1
    assert exit_status(rep(_finding("error")), "never", False) == 0
    assert exit_status(rep(_finding("error", suppressed=True)), "info", False) == 0
    assert exit_status(rep(_finding("error", baseline="unchanged")), "info", False) == 0
    assert exit_status(rep(_finding("error", baseline="new")), "error", False) == 1
    unreadable = (InputError(path="x.md", message="cannot read"),)
    assert exit_status(rep(errors=unreadable), "never", False) == 2
    assert exit_status(rep(errors=unreadable), "never", True) == 0
    assert exit_status(rep(errors=(InputError(path="x.md", message="warning: odd bytes"),)), "error", False) == 0


def test_check_exit_statuses_and_min_severity() -> None:
    full = run("check", str(SEEDS), "--format", "json", "--fail-on", "never", "--no-cache")
    assert full.exit_code == 0
    findings = json.loads(full.output)["findings"]
    severities = {f["severity"] for f in findings}
    expected = 1 if "error" in severities else 0
    assert run("check", str(SEEDS), "--format", "json", "--no-cache").exit_code == expected
    assert run("check", str(SEEDS), "--format", "json", "--fail-on", "info", "--no-cache").exit_code == (1 if findings else 0)
    only = json.loads(run("check", str(SEEDS), "--format", "json", "--min-severity", "error", "--fail-on", "never", "--no-cache").output)
    assert [f["fingerprint"] for f in only["findings"]] == [f["fingerprint"] for f in findings if f["severity"] == "error"]
    assert run("check", "no/such/folder").exit_code == 2
    assert run("check", str(SEEDS), "--format", "yaml").exit_code == 2


def test_config_file_sets_defaults_and_the_command_line_wins(tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(SEEDS, corpus)
    (tmp_path / "crosscheck.toml").write_text('fail-on = "never"\nformat = "json"\ndisable = ["spelling"]\n', encoding="utf-8")
    by_config = run("check", str(corpus), "--no-cache")
    assert by_config.exit_code == 0
    doc = json.loads(by_config.output)
    assert doc["findings"] is not None and all(not f["rule"].startswith("spelling") for f in doc["findings"])
    assert run("check", str(corpus), "--fail-on", "info", "--enable", "spelling", "--no-cache").exit_code == 1
    (tmp_path / "crosscheck.toml").write_text('fail-on = "loudly"\n', encoding="utf-8")
    bad = CliRunner().invoke(main_group, ["check", str(corpus)])
    assert bad.exit_code == 2 and "crosscheck.toml" in bad.output and "fail-on" in bad.output


def test_performance_options_reach_the_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import checker.pipeline as pipeline

    seen = []

    def fake(opts: pipeline.Options) -> Report:
        seen.append(opts)
        return Report(articles=(), findings=())

    monkeypatch.setattr(pipeline, "run_check", fake)
    result = run("check", str(SEEDS), "--jobs", "3", "--cache-dir", str(tmp_path / "c"), "--no-cache", "--executor", "dask://h:1", "--no-config")
    assert result.exit_code == 0
    (opts,) = seen
    assert (opts.jobs, opts.cache_dir, opts.use_cache, opts.executor) == (3, tmp_path / "c", False, "dask://h:1")
    assert callable(opts.progress)


# --------------------------------------------------------------------------------------------------
# rules


def test_rules_validate_names_file_line_and_key(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text("rules:\n  - id: my-spelling\n    kind: spelling\n    message: '{subject}'\n", encoding="utf-8")
    ok = run("rules", "validate", str(good))
    assert ok.exit_code == 0 and "1 rule(s) valid" in ok.output
    bad_kind = tmp_path / "bad_kind.yml"
    bad_kind.write_text("rules:\n  - id: a\n    message: m\n    kind: speling\n", encoding="utf-8")
    bad_key = tmp_path / "bad_key.yml"
    bad_key.write_text("rules:\n  - id: b\n    kind: spelling\n    message: m\n    severety: error\n", encoding="utf-8")
    result = CliRunner().invoke(main_group, ["rules", "validate", str(bad_kind), str(bad_key), str(good)])
    assert result.exit_code == 2
    assert re.search(re.escape(str(bad_kind)) + r":4: .*'kind'", result.output)
    assert re.search(re.escape(str(bad_key)) + r":5: .*'severety'", result.output)
    dup = tmp_path / "dup.yml"
    dup.write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    assert CliRunner().invoke(main_group, ["rules", "validate", str(good), str(dup)]).exit_code == 2
    assert run("rules", "validate", str(ROOT / "rules")).exit_code == 0


def test_rules_list_and_schema() -> None:
    listed = run("rules", "list")
    assert listed.exit_code == 0
    rows = [line.split("\t") for line in listed.output.splitlines()]
    assert rows and all(len(r) == 4 and r[2] in ("error", "warning", "info") for r in rows)
    schema = run("rules", "schema")
    assert json.loads(schema.output) == json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# explain


def test_explain_a_finding_and_a_rule() -> None:
    doc = json.loads(run("check", str(SEEDS), "--format", "json", "--fail-on", "never", "--no-cache").output)
    f = doc["findings"][0]
    text = run("explain", f["fingerprint"][:8], str(SEEDS), "--no-cache")
    assert text.exit_code == 0
    assert f["fingerprint"] in text.output and f["rule"] in text.output and f["message"] in text.output
    for c in f["claims"]:
        assert f"{c['path']}:{c['line']}" in text.output and c["text"] in text.output
    as_json = json.loads(run("explain", f["fingerprint"], str(SEEDS), "--format", "json", "--no-cache").output)
    assert as_json["finding"]["fingerprint"] == f["fingerprint"] and as_json["rule"]["id"] == f["rule"]
    assert f["subject"] in as_json["why"]
    rule = run("explain", f["rule"])
    assert rule.exit_code == 0 and f["rule"] in rule.output and "message:" in rule.output
    with_corpus = run("explain", f["rule"], str(SEEDS), "--no-cache")
    assert f["fingerprint"] in with_corpus.output
    assert CliRunner().invoke(main_group, ["explain", "0" * 20, str(SEEDS), "--no-cache"]).exit_code == 2
    no_corpus = CliRunner().invoke(main_group, ["explain", f["fingerprint"]])
    assert no_corpus.exit_code == 2 and "PATHS" in no_corpus.output


# --------------------------------------------------------------------------------------------------
# progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_long_runs() -> None:
    from checker.report.progress import ProgressBar

    tty = _Tty()
    with ProgressBar(stream=tty, threshold=10) as bar:
        for i in range(1, 41):
            bar(i, 40)
    assert "40" in tty.getvalue()
    short = _Tty()
    with ProgressBar(stream=short, threshold=10) as bar:
        for i in range(1, 4):
            bar(i, 3)
    assert short.getvalue() == ""
    pipe = io.StringIO()
    with ProgressBar(stream=pipe, threshold=1) as bar:
        bar(1, 50)
    assert pipe.getvalue() == ""
    off = _Tty()
    with ProgressBar(enabled=False, stream=off, threshold=1) as bar:
        bar(1, 50)
    assert off.getvalue() == ""


# --------------------------------------------------------------------------------------------------
# CI files, as a new user would use them


def _workflow() -> dict:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    flows = [yaml.safe_load(b) for b in blocks if "jobs:" in b]
    assert len(flows) == 1, "the README shows one complete workflow"
    return flows[0]


def test_the_documented_workflow_runs_in_a_fresh_repository(tmp_path: Path) -> None:
    flow = _workflow()
    (job,) = flow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # --changed-since needs the merge base
    runs = [s["run"] for s in steps if "run" in s]
    install = [r for r in runs if "pip install" in r]
    assert install and "crosscheck" in install[0] and "git+" in install[0]  # not the unrelated PyPI name
    env = shim(tmp_path)
    repo = corpus_repo(tmp_path, env)
    github_env = {"github.base_ref": "main"}
    outputs = []
    for script in runs:
        if script in install:
            continue  # the shim stands in for the installed command
        for key, value in github_env.items():
            script = re.sub(r"\$\{\{\s*" + re.escape(key) + r"\s*\}\}", value, script)
        assert "${{" not in script, script
        done = sh(script, repo, env)
        outputs.append(done)
    (done,) = outputs
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    line = next(i for i, t in enumerate(NEW_ARTICLE.splitlines(), 1) if "Kharazy" in t)
    assert len(annotations) == 1 and annotations[0].startswith(f"::warning file=articles/005_new.md,line={line},")
    # the same workflow on a branch that only touches an old article's text elsewhere passes
    clean = sh("git checkout -q main && git checkout -q -b typo && printf '\\nA correction.\\n' >> articles/003_2466db2a32485937.md && git commit -qam typo", repo, env)
    assert clean.returncode == 0, clean.stderr
    again = sh([r for r in runs if r not in install][0].replace("${{ github.base_ref }}", "main"), repo, env)
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_composite_action_runs_its_script(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "baseline", "format", "changed-since", "sarif-file"} <= set(action["inputs"])
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Run crosscheck")
    env = shim(tmp_path)
    repo = corpus_repo(tmp_path, env)
    inputs = {"paths": "articles", "fail-on": "warning", "baseline": ".crosscheck-baseline.json", "format": "github",
              "changed-since": "origin/main", "sarif-file": "out.sarif", "args": "--quiet"}
    step_env = dict(env)
    for key, value in step["env"].items():
        m = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", value)
        assert m, value
        step_env[key] = inputs.get(m.group(1), action["inputs"][m.group(1)].get("default", ""))
    done = sh(step["run"], repo, step_env)
    assert done.returncode == 1, done.stderr
    assert "::warning file=articles/005_new.md" in done.stdout
    sarif = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 1
    step_env["CROSSCHECK_FAIL_ON"] = "error"
    assert sh(step["run"], repo, step_env).returncode == 0
    step_env.update(CROSSCHECK_BASELINE="", CROSSCHECK_CHANGED_SINCE="", CROSSCHECK_ARGS="", CROSSCHECK_FAIL_ON="never")
    assert sh(step["run"], repo, step_env).returncode == 0


def test_the_pre_commit_hook_checks_changed_articles(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "crosscheck" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "articles/new.md") and not re.search(hook["files"], "setup.py")
    env = shim(tmp_path)
    repo = corpus_repo(tmp_path, env)
    (repo / "articles" / "006_draft.md").write_text(NEW_ARTICLE.replace("005_new", "006_draft"), encoding="utf-8")
    sh("git add articles/006_draft.md", repo, env)
    command = f"{hook['entry']} --format json articles"  # the user's args: the corpus folder
    done = sh(command, repo, env)
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert findings and all(any(c["article"] == "006_draft" for c in f["claims"]) for f in findings)
