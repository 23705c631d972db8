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


def test_previous_anchor_fallback_is_marked_approximate(lex):
    (d,) = find_dates("The next day, power was restored.", dt.date(2019, 7, 23), lex)
    assert (d.value, d.anchor) == ("2019-07-24", "publication") and d.note and "counted from publication" in d.note
    (told,) = [x for x in find_dates("On March 3 the rebels attacked. Two days later the army arrived.",
                                     dt.date(2019, 7, 23), lex) if x.anchor == "previous"]
    assert told.value == "2019-03-05" and told.note is None
    (day,) = find_dates("The vote was held on the 14th.", dt.date(2019, 7, 23), lex)
    assert day.note is None  # a day of the month alone is as well read in the month of publication


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


# texts where a window could cut a match short: words written together, long gaps, a date at the
# very start or end, unicode around it, a word that merely starts like a trigger
_WINDOW_TEXTS = [
    "The firm reported its first quarterly loss foundMarch 3, 2019 and then in mid-1990s.",
    "May      3,\n\n\n   2019 was   the day; the   third\n\n quarter of fiscal      1990 followed.",
    "2019-07-01",
    "Ended Q3 1999 and H1 2000, FY89, the 1990s, '90s, the 20th century, 21:09 GMT, 5:30 p.m. EDT",
    "Ça a commencé le 3 mai — élu on Tuesday, Jan. 6, à 9 h. Dès yesterday morning, über the weekend.",
    "the year two thousand and one; nineteen ninety-six; two days before; the day before.",
    "A dayside, Mayfair, Sundays, Marchers and Augustine stay quiet, as does 60 Minutes.",
]


def test_windows_find_what_a_full_scan_finds(lex):
    """_all_candidates runs each pattern only around its trigger words: it must find exactly what
    running every pattern over the whole text finds."""
    from checker.extract import dates

    g = dates._grammar(lex)
    texts = [c["text"] for c in CASES["find"]] + _WINDOW_TEXTS
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.md"))]
    if TIMEBANK.is_dir():
        bench = _bench()
        texts += [bench.parse_tml(f.read_text(encoding="utf-8"))[0] for f in sorted(TIMEBANK.rglob("*.tml"))[:40]]
    for text in texts:
        windowed = sorted((s, e, k) for s, e, k, _ in dates._all_candidates(g, text))
        everywhere = sorted((s, e, k) for s, e, k, _ in dates._all_candidates_everywhere(g, text))
        assert windowed == everywhere, text[:80]
    assert any(dates._all_candidates(g, t) for t in _WINDOW_TEXTS)


def test_later_passes_reuse_what_they_can_and_find_the_same(lex):
    """A pass after a refused candidate renormalizes only what is new or meets another previous date:
    the same mentions as renormalizing everything."""
    from checker.extract import dates

    g = dates._grammar(lex)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.md"))]
    passes = reused = 0
    for text in texts:
        found = dates._all_candidates(g, text)
        memo: dict = {}
        while True:
            kept = dates._select(found)
            plain = dates._normalize_all(g, text, dt.date(2024, 5, 6), kept)
            before = len(memo)
            memoized = dates._normalize_all(g, text, dt.date(2024, 5, 6), kept, None, memo)
            assert memoized == plain, text[:80]
            passes += 1
            reused += len(kept) - (len(memo) - before)
            if not plain[1]:
                break
            found = [c for c in found if (c[0], c[1], c[2]) not in plain[1]]
    assert passes > len(texts) and reused > 0  # some texts need a second pass, which reuses work


def test_every_pattern_has_triggers(lex):
    from checker.extract import dates

    g = dates._grammar(lex)
    kinds = {k for ks in g.triggers.values() for k in ks}
    assert kinds == {k for k, _ in g.patterns}


def test_alternations_written_as_tries_match_as_the_plain_ones():
    """_alt writes a word list as a trie; each match, with what follows it, is the plain
    longest-first alternation's (invented words; case-insensitive and (?-i:) forms)."""
    import random
    import re

    from checker.extract.dates import _alt

    words = ["zor", "zorble", "zor blat", "zorb", "quim", "quim-dax", "q.x.", "blat week", "blat"]
    plain = "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)) + ")"
    assert "|" in _alt(words) and _alt(words) != plain  # a trie indeed
    rng = random.Random(7)
    pieces = ["zor", "ZOR", "ble", "b", " ", "  ", "blat", "week", "quim", "-dax", "q.x.", "x", ",", "Zorble"]
    for tail in (r"(?!\w)", r"\s+blat", r"\w*", ""):
        for cap in (False, True):
            a = re.compile(r"(?<!\w)(?P<w>" + _alt(words, cap=cap) + r")" + tail, re.I)
            b = re.compile(r"(?<!\w)(?P<w>" + (plain if not cap else "(?-i:" + "|".join(
                re.escape(f).replace(r"\ ", r"\s+") for f in dict.fromkeys(
                    f for w in sorted(set(words), key=len, reverse=True) for f in (w[:1].upper() + w[1:], w.title(), w.upper()))) + ")") + r")" + tail, re.I)
            for _ in range(300):
                text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
                assert [(m.span(), m.group("w")) for m in a.finditer(text)] == [(m.span(), m.group("w")) for m in b.finditer(text)], text


def test_inside_regions_as_any_region_holds_it():
    """_inside reads the regions through their ordered starts and the farthest end so far: the same as
    asking each region."""
    import random

    from checker.extract import dates

    rng = random.Random(4)
    for _ in range(5000):
        regions = tuple(sorted((a, a + rng.randint(0, 20)) for a in (rng.randint(0, 50) for _ in range(rng.randint(0, 6)))))
        s = rng.randint(0, 60)
        e = s + rng.randint(0, 15)
        assert dates._inside(regions, s, e) == any(rs <= s and e <= r for rs, r in regions), (regions, s, e)
    assert dates._inside(None, 5, 9) and not dates._inside(((0, 4), (6, 12)), 3, 7)
