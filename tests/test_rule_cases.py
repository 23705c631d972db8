"""Data-driven rule cases: tests/rule_cases/<rule>.yml, one pytest id per case (`pytest -k <rule>`).

Each case holds short inline articles and the exact findings expected of its rule: `expect: []` is a
must-stay-silent case. An expectation names, per article, the values its claims must carry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.pipeline import Options, run_check
from checker.resources import bundled_rules_dir
from checker.rules.loader import load_rules
from tests.conftest import write_corpus

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases():
    for f in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}::{case['name']}")


def test_every_bundled_rule_has_cases_both_ways():
    """A rule with no must-find and no must-stay-silent case is untested."""
    by_rule: dict[str, set[str]] = {}
    for f in CASES_DIR.glob("*.yml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        by_rule.setdefault(data["rule"], set()).update("find" if c["expect"] else "silent" for c in data["cases"])
    for rule in load_rules([bundled_rules_dir()]):
        assert by_rule.get(rule.id) == {"find", "silent"}, f"rule {rule.id} needs must-find and must-stay-silent cases"


@pytest.mark.parametrize("rule_id,case", list(_cases()))
def test_rule_case(rule_id: str, case: dict, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", case["articles"])
    report = run_check(Options(paths=[corpus]))
    got = [f for f in report.findings if f.rule == rule_id]
    expected = case["expect"]
    assert len(got) == len(expected), [
        (f.subject, [(c.article, c.value) for c in f.claims]) for f in got
    ]
    for exp in expected:
        match = None
        for f in got:
            values: dict[str, set] = {}
            for c in f.claims:
                values.setdefault(c.article, set()).add(str(c.value))
            if all(set(map(str, vals)) <= values.get(art, set()) for art, vals in exp["values"].items()):
                if "subject" not in exp or exp["subject"] == f.subject:
                    match = f
                    break
        assert match is not None, f"expected {exp} in {[(f.subject, [(c.article, c.value) for c in f.claims]) for f in got]}"
        assert match.severity == exp.get("severity", match.severity)
        # Evidence: every claim points at its exact span inside the sentence it quotes.
        for c in match.claims:
            assert c.span_text and c.span_text in c.text or c.value in ("present", "absent")
