"""The seed corpus: the findings issue 2 requires, and none that merge people or visits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from checker.pipeline import Options, run_check
from checker.report import json_report, rich_report

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
A000, A001, A002, A003, A004 = (
    "000_78a2d50a8d225616",
    "001_042ccd0105566bf1",
    "002_6edf6845c80aa0a0",
    "003_2466db2a32485937",
    "004_1c1824e3aa305cf4",
)


@pytest.fixture(scope="module")
def report():
    """The seeds checked from the repository root, so that paths in the report are the same on every
    machine (the golden files hold them)."""
    here = os.getcwd()
    os.chdir(SEEDS.parent.parent)
    try:
        return run_check(Options(paths=[Path("fixtures/seeds")], use_cache=False))
    finally:
        os.chdir(here)


def _values(f):
    out: dict[str, set[str]] = {}
    for c in f.claims:
        out.setdefault(c.article, set()).add(str(c.value))
    return out


def _spelling(report, *forms):
    hits = [f for f in report.findings if f.kind == "spelling" and all(any(form in v for vs in _values(f).values() for v in vs) for form in forms)]
    assert len(hits) == 1, f"one spelling finding with {forms}, got {[f.subject for f in hits]}"
    return _values(hits[0])


def test_bodies_are_kept_exactly_as_given(report):
    shared = SEEDS.parent.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds not present")
    for a in report.articles:
        assert a.text[a.body_start :] == (shared / f"{a.id}.txt").read_text(encoding="utf-8")


def test_publication_dates_and_their_origin(report):
    got = {a.id: (a.published_iso, a.published_from) for a in report.articles}
    assert got[A002] == ("2019-07-23", "front_matter")
    assert got[A003] == ("2017-08-08", "front_matter")
    assert got[A004][0].startswith("2018-03-28") and got[A004][1] == "dateline"
    assert got[A000] == (None, "unknown") and got[A001] == (None, "unknown")


def test_attendance_haniyeh(report):
    att = [f for f in report.findings if f.kind == "attendance"]
    assert len(att) == 1
    v = _values(att[0])
    assert v[A001] == {"present"} and v[A002] == {"absent"} and v[A000] == {"absent"}
    assert A003 not in v and A004 not in v


def test_spelling_findings(report):
    v = _spelling(report, "Kharrazi", "Kharazi")
    assert "Kamal Kharrazi" in v[A000] and "Kamal Kharazi" in v[A001] and "Kamal Kharazi" in v[A002]
    v = _spelling(report, "Haniya", "Haniyeh")
    assert "Ismail Haniya" in v[A002] and {A000, A001, A003} <= set(v)
    v = _spelling(report, "Salah al-Arouri", "Saleh al-Arouri")
    assert "Salah al-Arouri" in v[A000] and "Al-Arour" in v[A002] and {A001, A003, A004} <= set(v)
    v = _spelling(report, "Rishq", "Resheq")
    assert A001 in v and A003 in v
    _spelling(report, "Qassam Soleimani", "Qassem Soleimani")
    _spelling(report, "Moussa Abu Marzouk", "Musa Abu Marzouk")
    v = _spelling(report, "Hizbullah", "Hezbollah")
    assert v[A000] == {"Hizbullah"}


def test_sequence_kharazi_before_khamenei(report):
    seq = [f for f in report.findings if f.kind == "sequence"]
    assert len(seq) == 1
    v = _values(seq[0])
    assert any("Kharazi (2019-07-21) before" in x and "(2019-07-22)" in x for x in v[A002])
    assert any(x.endswith("before meeting with Kamal Kharazi") for x in v[A001])


def test_nothing_else_of_kind_attendance_date_sequence(report):
    kinds = [f.kind for f in report.findings if f.kind in ("attendance", "date", "sequence")]
    assert sorted(kinds) == ["attendance", "sequence"]


def test_never_merges_different_people_or_visits(report):
    pairs = [("Maher Salah", "Salah al-Arouri"), ("Ali Khamenei", "Ali Shamkhani"), ("Ismail Haniyeh", "Ismail Radwan"), ("Hassan Rouhani", "Hassan Nasrallah")]
    for f in report.findings:
        vals = {v for vs in _values(f).values() for v in vs}
        for a, b in pairs:
            assert not (any(a in v for v in vals) and any(b in v for v in vals)), (f.subject, vals)
        if f.kind in ("attendance", "date", "sequence"):
            arts = {c.article for c in f.claims}
            assert not (arts & {A000, A001, A002} and arts & {A003}), f.subject


def test_meeting_dates_are_facts_of_the_events(report):
    by_subject = {}
    for ev in report.events:
        for m in ev.mentions:
            if m.date:
                by_subject.setdefault(ev.subject, {})[m.article] = m.date
    assert by_subject["meeting with Ali Khamenei"][A000] == "2019-07-22"
    assert by_subject["meeting with Ali Khamenei"][A002] == "2019-07-22"
    assert by_subject["meeting with Kamal Kharazi"][A002] == "2019-07-21"


def test_every_claim_carries_exact_evidence(report):
    arts = {a.id: a for a in report.articles}
    for f in report.findings:
        for c in f.claims:
            a = arts[c.article]
            assert a.text[c.start : c.end] == c.span_text
            assert c.span_text in c.text
            assert c.line == a.text.count("\n", 0, c.start) + 1
            assert c.text in a.text


def test_fingerprints_stable_across_input_order(report, tmp_path):
    import shutil

    alt = tmp_path / "seeds"
    alt.mkdir()
    for i, f in enumerate(sorted(SEEDS.glob("*.md"), reverse=True)):
        shutil.copy(f, alt / f"{9 - i}_{f.name}")
    again = run_check(Options(paths=[alt]))
    assert sorted(f.fingerprint for f in again.findings) == sorted(f.fingerprint for f in report.findings)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs: rerun with UPDATE_GOLDEN=1 if the change is intended"


def test_golden_json(report):
    _golden("seeds.json", json_report.render(report))


def test_golden_rich_plain(report):
    from rich.console import Console

    console = Console(width=110, no_color=True, color_system=None, record=True, file=open(os.devnull, "w"), markup=False, highlight=False, emoji=False)
    rich_report.render(report, console)
    _golden("seeds.txt", console.export_text())


def test_json_contract(report):
    data = json.loads(json_report.render(report))
    assert data["version"] == 1
    assert set(data["articles"][0]) >= {"id", "path", "source", "title", "published", "published_from"}
    for f in data["findings"]:
        assert set(f) >= {"fingerprint", "rule", "kind", "severity", "message", "subject", "claims"}
        for c in f["claims"]:
            assert set(c) >= {"article", "source", "value", "text", "start", "end", "line"}
    assert data["errors"] == []
