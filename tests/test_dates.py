"""Date extraction: the forms of issue 3 and the non-dates that stay silent, from tests/extract_cases/dates.yml."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from checker.extract.dates import DateMention, find_dates
from checker.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "extract_cases" / "dates.yml").read_text(encoding="utf-8"))
TIMEBANK = ROOT.parent / "shared" / "corpora" / "timebank"
FIELDS = ("text", "value", "timex_type", "resolved", "anchor", "note_contains", "weekday_conflict",
          "weekday_conflict_contains")


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def _published(case: dict) -> dt.date | None:
    pub = case.get("published", CASES["published"])
    if pub is None or isinstance(pub, dt.date):
        return pub
    return dt.date.fromisoformat(str(pub))


def _show(found: list[DateMention]) -> str:
    return "\n".join(f"  {d.text!r} {d.value} {d.timex_type} {d.anchor} resolved={d.resolved} "
                     f"note={d.note} conflict={d.weekday_conflict}" for d in found) or "  (nothing)"


@pytest.mark.parametrize("case", CASES["find"], ids=[c["id"] for c in CASES["find"]])
def test_find(case, lex):
    text = case["text"]
    found = find_dates(text, _published(case), lex)
    if case.get("only"):
        found = [d for d in found if d.timex_type in case["only"]]
    expected = case["expect"]
    assert len(found) == len(expected), f"expected {len(expected)} expressions, found:\n{_show(found)}"
    for want, got in zip(expected, found):
        assert text[got.start:got.end] == got.text
        for key, value in want.items():
            assert key in FIELDS, f"unknown field {key!r} in case {case['id']}"
            if key == "note_contains":
                assert got.note and value in got.note, f"note {got.note!r} lacks {value!r}\n{_show(found)}"
            elif key == "weekday_conflict_contains":
                assert got.weekday_conflict and value in got.weekday_conflict, _show(found)
            else:
                assert getattr(got, key) == value, f"{key}: expected {value!r}, got {getattr(got, key)!r}\n{_show(found)}"


def test_results_come_in_text_order_without_overlaps(lex):
    text = " ".join(c["text"] for c in CASES["find"])
    found = find_dates(text, _published({}), lex)
    assert found, "nothing found in the concatenated cases"
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start, f"{a.text!r} overlaps or precedes {b.text!r}"


def test_regions_limit_the_search(lex):
    text = "Yesterday the talks began. On Sunday they had been cancelled."
    second = text.index("On Sunday")
    found = find_dates(text, dt.date(2019, 7, 23), lex, regions=[(second, len(text))])
    assert [d.text for d in found] == ["Sunday"]


def test_dates_outside_regions_anchor_nothing(lex):
    text = "Filed 2019-07-01.\nThe fire started. Two days later, the army arrived."
    body = text.index("The fire")
    (d,) = find_dates(text, dt.date(2019, 7, 23), lex, regions=[(body, len(text))])
    assert (d.text, d.value, d.anchor) == ("Two days later", "2019-07-25", "publication")


def test_previous_anchor_falls_back_to_publication(lex):
    found = find_dates("Two days later, the army arrived.", dt.date(2019, 7, 23), lex)
    assert [(d.value, d.anchor) for d in found] == [("2019-07-25", "publication")]


def test_previous_anchor_without_any_date_is_unresolved(lex):
    (d,) = find_dates("Two days later, the army arrived.", None, lex)
    assert d.value is None and not d.resolved and d.anchor == "none"


def test_a_datetime_publication_is_taken_as_its_date(lex):
    (d,) = find_dates("Yesterday it rained.", dt.datetime(2019, 7, 23, 9, 30), lex)
    assert d.value == "2019-07-22"


def test_lexicon_keys_are_prefixed():
    data = yaml.safe_load((ROOT / "rules" / "lexicon" / "dates.yml").read_text(encoding="utf-8"))
    assert all(key.startswith("date_") for key in data)


def test_every_lexicon_list_is_used():
    data = yaml.safe_load((ROOT / "rules" / "lexicon" / "dates.yml").read_text(encoding="utf-8"))
    source = (ROOT / "checker" / "extract" / "dates.py").read_text(encoding="utf-8")
    assert [key for key in data if f'"{key}"' not in source] == []


def test_code_holds_no_month_or_weekday_names():
    source = (ROOT / "checker" / "extract" / "dates.py").read_text(encoding="utf-8").lower()
    data = yaml.safe_load((ROOT / "rules" / "lexicon" / "dates.yml").read_text(encoding="utf-8"))
    for name in data["date_month_names"] + data["date_weekday_names"]:
        assert f'"{name.lower()}' not in source, f"{name} is spelled out in the code"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_timebank", ROOT / "bench" / "timebank.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_timebank_offsets_map_into_plain_text():
    if not TIMEBANK.is_dir():
        pytest.skip("no TimeBank corpus in ../shared/corpora")
    bench = _bench()
    for f in sorted(TIMEBANK.rglob("*.tml"))[:20]:
        text, dct, gold = bench.parse_tml(f.read_text(encoding="utf-8"))
        assert dct is not None
        assert "<" not in text or "<TIMEX3" not in text
        for g in gold:
            assert g.text.strip() and g.text == text[g.start:g.end]


def test_timebank_value_f1_does_not_regress(lex):
    """A floor well under the measured figures (bench/results/timebank.txt): a guard, not a target."""
    if not TIMEBANK.is_dir():
        pytest.skip("no TimeBank corpus in ../shared/corpora")
    bench = _bench()
    docs = []
    for f in sorted(TIMEBANK.rglob("*.tml")):
        text, dct, gold = bench.parse_tml(f.read_text(encoding="utf-8"))
        docs.append((f.stem, text, gold, find_dates(text, dct, lex)))
    date = bench.score(docs, {"DATE"}, lex)
    every = bench.score(docs, None, lex)
    assert date["value"][2] >= 0.75
    assert every["value"][2] >= 0.72
