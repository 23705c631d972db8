"""Every output format on fixtures/seeds: SARIF against the official 2.1.0 schema, JSON against the version 1
contract, github escaping, markdown and junit well-formed; all list suppressed and new findings alike."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from checker.gate import Baseline, apply_baseline, apply_suppressions, Suppression
from checker.models import Article, Claim, Finding, Report
from checker.pipeline import Options, run_check
from checker.report import FORMATS, TEXT_FORMATS, text_renderer
from checker.report.common import repo_path
from checker.report.github import escape_data, escape_property
from checker.report.markdown import md

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"

# The JSON report, version 1: what programs may rely on (keys may be added, never removed or changed).
CLAIM = {
    "type": "object",
    "required": ["article", "source", "published", "path", "value", "span", "text", "start", "end", "line"],
    "properties": {
        "article": {"type": "string"}, "source": {"type": "string"}, "published": {"type": ["string", "null"]},
        "path": {"type": "string"}, "span": {"type": "string"}, "text": {"type": "string"},
        "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0}, "line": {"type": "integer", "minimum": 1},
    },
}
JSON_V1 = {
    "type": "object",
    "required": ["version", "articles", "findings", "errors", "skipped", "summary"],
    "properties": {
        "version": {"const": 1},
        "articles": {"type": "array", "items": {
            "type": "object", "required": ["id", "path", "source", "title", "published", "published_from"],
            "properties": {"published_from": {"enum": ["front_matter", "dateline", "option", "unknown"]}}}},
        "findings": {"type": "array", "items": {
            "type": "object",
            "required": ["fingerprint", "rule", "kind", "severity", "message", "subject", "event", "suppressed", "claims"],
            "properties": {
                "fingerprint": {"type": "string", "minLength": 8},
                "severity": {"enum": ["error", "warning", "info"]},
                "suppressed": {"type": "boolean"},
                "suppression_reason": {"type": "string"},
                "baseline": {"enum": ["new", "unchanged"]},
                "claims": {"type": "array", "minItems": 1, "items": CLAIM},
            }}},
        "errors": {"type": "array", "items": {"type": "object", "required": ["path", "message"]}},
        "skipped": {"type": "array", "items": {"type": "string"}},
        "summary": {
            "type": "object",
            "required": ["articles", "facts", "findings", "suppressed", "new", "by_severity", "by_kind", "errors"],
        },
    },
}


@pytest.fixture(scope="module")
def seeds() -> Report:
    return run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))


@pytest.fixture(scope="module")
def marked(seeds: Report) -> Report:
    """The seeds' report with one finding suppressed and, of the rest, one new since a baseline."""
    assert len(seeds.findings) >= 3
    first, second = seeds.findings[0], seeds.findings[1]
    r, _ = apply_suppressions(seeds, [Suppression(where="s.yml:1", reason="accepted: <b>50%</b>, ok", fingerprint=first.fingerprint)])
    known = frozenset(f.fingerprint for f in seeds.findings if f.fingerprint != second.fingerprint)
    return apply_baseline(r, Baseline(known, {}), keep_unchanged=True)


def test_every_format_lists_every_finding_and_marks_suppressed_and_new(marked: Report, tmp_path: Path) -> None:
    from click.testing import CliRunner

    suppressed = next(f for f in marked.findings if f.suppressed)
    new = next(f for f in marked.findings if f.baseline == "new")
    open_ = [f for f in marked.findings if not f.suppressed and f.baseline != "unchanged"]
    assert open_ == [new]
    for fmt in TEXT_FORMATS:
        text = text_renderer(fmt)(marked)
        for f in marked.findings:
            assert f.fingerprint in text, (fmt, f.rule)
        assert "suppressed" in text.lower(), fmt
        assert "new" in text.lower(), fmt
    # rich, through the command line, to a file
    out = tmp_path / "report.txt"
    done = CliRunner().invoke(__import__("checker.cli", fromlist=["main_group"]).main_group,
                              ["check", str(SEEDS), "--no-cache", "--output", str(out), "--fail-on", "never"])
    assert done.exit_code == 0, done.output
    text = out.read_text(encoding="utf-8")
    assert "crosscheck" in text and all(f.fingerprint in text for f in marked.findings)
    assert set(FORMATS) == {"rich", *TEXT_FORMATS}


def test_sarif_is_valid_against_the_official_schema(marked: Report) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert "2.1.0" in schema["title"]
    doc = json.loads(text_renderer("sarif")(marked))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # the schema really rejects a broken log (so the check above means something)
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))


def test_sarif_content(marked: Report) -> None:
    run = json.loads(text_renderer("sarif")(marked))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in marked.rules]  # every loaded rule, in order
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(marked.findings)
    for res, f in zip(run["results"], marked.findings):
        assert res["ruleId"] == f.rule and rules[res["ruleIndex"]]["id"] == f.rule
        assert res["level"] == level[f.severity]
        assert res["partialFingerprints"] == {"crosscheck/v1": f.fingerprint}
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith(Path(f.claims[0].path).name)
        assert loc["region"]["startLine"] == f.claims[0].line
        related = res.get("relatedLocations", [])
        assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [c.line for c in f.claims[1:]]
        assert len({r["id"] for r in related}) == len(related)
        assert ("suppressions" in res) == f.suppressed
        assert res.get("baselineState") == f.baseline
    sup = next(r for r in run["results"] if "suppressions" in r)
    assert sup["suppressions"][0]["kind"] == "external" and sup["suppressions"][0]["justification"].startswith("accepted")


def test_sarif_region_columns_point_at_the_span(seeds: Report) -> None:
    run = json.loads(text_renderer("sarif")(seeds))["runs"][0]
    from checker.report.sarif import _uri

    articles = {_uri(a.path): a for a in seeds.articles}
    for res in run["results"]:
        for loc in [*res["locations"], *res.get("relatedLocations", [])]:
            phys = loc["physicalLocation"]
            region = phys["region"]
            text = articles[phys["artifactLocation"]["uri"]].text
            line = text.split("\n")[region["startLine"] - 1]
            if region["startLine"] == region["endLine"]:
                assert line[region["startColumn"] - 1:region["endColumn"] - 1] == region["snippet"]["text"]


def test_json_follows_the_version_1_contract(marked: Report, seeds: Report) -> None:
    for r in (seeds, marked):
        doc = json.loads(text_renderer("json")(r))
        jsonschema.validate(doc, JSON_V1)
        s = doc["summary"]
        counted = [f for f in doc["findings"] if not f["suppressed"] and f.get("baseline") != "unchanged"]
        assert s["findings"] == len(counted) == sum(s["by_severity"].values())
        assert s["suppressed"] == sum(f["suppressed"] for f in doc["findings"])
        assert s["articles"] == len(doc["articles"]) == len(r.articles)
    doc = json.loads(text_renderer("json")(marked))
    assert doc["summary"]["new"] == 1
    sup = next(f for f in doc["findings"] if f["suppressed"])
    assert sup["suppression_reason"].startswith("accepted")


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert escape_data("a,b:c") == "a,b:c"


_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_round_trip(marked: Report) -> None:
    text = text_renderer("github")(marked)
    commands = [line for line in text.splitlines() if line.startswith("::")]
    open_ = [f for f in marked.findings if not f.suppressed and f.baseline != "unchanged"]
    assert len(commands) == len(open_) + len(marked.errors)
    for line, f in zip(commands, open_):
        m = _COMMAND.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        assert _unescape(props["file"]) == repo_path(f.claims[0].path) and int(props["line"]) == f.claims[0].line
        assert not Path(_unescape(props["file"])).is_absolute()  # relative to the checkout, as GitHub wants
        assert _unescape(props["title"]).endswith(f.subject)
        message = _unescape(m.group(3))
        assert message.startswith(f.message) and all(c.path in message for c in f.claims)
    assert {"info": "notice", "warning": "warning", "error": "error"}[open_[0].severity] == _COMMAND.match(commands[0]).group(1)


def _hostile() -> Report:
    nasty = "Ali | Baba <script>alert(1)</script> @octocat `x` *y* [z](http://e.org) #12 100%, a:b\r\nline"
    c1 = Claim(article="a", source="Src | one", value=nasty, text=nasty, start=0, end=3, line=1, span_text="Ali", path="dir, x/a:1.md")
    c2 = Claim(article="b", source="Src\x01two", value="other", text="other", start=0, end=5, line=2, span_text="other", path="b.md")
    f = Finding(fingerprint="abcdef0123456789abcd", rule="spelling-names", kind="spelling", severity="error",
                message=nasty, subject=nasty, claims=(c1, c2))
    return Report(articles=(Article(id="a", path="dir, x/a:1.md", text=nasty), Article(id="b", path="b.md", text="other")), findings=(f,))


def test_hostile_text_stays_inert_in_every_format() -> None:
    r = _hostile()
    gh = text_renderer("github")(r)
    cmd = next(line for line in gh.splitlines() if line.startswith("::"))
    assert "\r" not in cmd and cmd.count("::") == 2
    props = dict(p.split("=", 1) for p in _COMMAND.match(cmd).group(2).split(","))
    assert _unescape(props["file"]) == "dir, x/a:1.md"
    md_text = text_renderer("markdown")(r)
    assert "<script>" not in md_text and "@octocat" not in md_text
    row = next(line for line in md_text.splitlines() if line.startswith("| 🔴"))
    assert len(re.split(r"(?<!\\)\|", row)) == 7  # five cells, pipes in the text escaped
    assert md("a|b") == "a\\|b"
    tree = ET.fromstring(text_renderer("junit")(r).split("\n", 1)[1])
    assert tree.find(".//failure") is not None
    jsonschema.validate(json.loads(text_renderer("json")(r)), JSON_V1)


def test_junit_has_one_test_case_per_rule(marked: Report) -> None:
    root = ET.fromstring(text_renderer("junit")(marked).encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [r.id for r in marked.rules]
    failing = {f.rule for f in marked.findings if not f.suppressed and f.baseline != "unchanged"}
    assert {c.get("name") for c in cases if c.find("failure") is not None} == failing
    assert root.get("tests") == str(len(cases)) and root.get("failures") == str(len(failing))
    quiet = {f.rule for f in marked.findings if f.suppressed or f.baseline == "unchanged"}
    assert {c.get("name") for c in cases if c.find("system-out") is not None} == quiet


def test_markdown_summary(marked: Report) -> None:
    from checker.report.markdown import render

    text = text_renderer("markdown")(marked)
    assert text.startswith("## crosscheck")
    assert "1 new since the baseline" in text
    assert "<details><summary>Suppressed or unchanged</summary>" in text
    assert "<details><summary>Evidence</summary>" in text
    short = render(marked, max_chars=len(text) - 1)
    assert len(short) < len(text) and "Evidence left out" in short
    assert all(f.fingerprint in short for f in marked.findings)
    tiny = render(marked, max_chars=600)
    assert len(tiny) <= 600 and "cut here" in tiny


def test_committed_rule_schema_matches_the_models() -> None:
    from checker.rules.schema import json_schema

    committed = json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schemas/rules.schema.json drifted: run `crosscheck rules schema > schemas/rules.schema.json`"


def test_bundled_rules_validate_against_the_committed_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
    for f in sorted((ROOT / "rules").glob("*.yml")):
        jsonschema.validate(yaml.safe_load(f.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rules": [{"id": "x", "kind": "no-such-kind", "message": "m"}]}, schema)
