"""checker/recase.py: lines in capitals and Title Case headlines take the case the corpus writes their
words in. Names are invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.corpus import load_corpus
from checker.lexicon import load_lexicon
from checker.recase import recase_articles

from conftest import write_corpus

MIXED = "Governor Tobin Haile said the new bridge over the river would open on Monday, the council said.\n"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _texts(tmp_path: Path, lexicon, articles: list[dict]) -> dict[str, str]:
    corpus = write_corpus(tmp_path / "corpus", articles)
    read = recase_articles(load_corpus([corpus], lexicon=lexicon).articles, lexicon)
    return {a.id: a.text[a.body_start:].strip() for a in read}


def test_all_caps_lines_take_the_corpus_case(tmp_path, lexicon):
    texts = _texts(tmp_path, lexicon, [
        {"id": "a", "text": MIXED},
        {"id": "b", "text": "GOVERNOR TOBIN HALE SAID THE NEW BRIDGE IN THE BC INTERIOR WOULD OPEN. PROSECUTOR ELKIN DORSEWIT SAID SO.\n"},
    ])
    # a known word takes its usual form; an unknown one after a given name is capitalized ("Hale"); two
    # unknown words in a row stay lowercase ("elkin dorsewit"); a short unknown word without a vowel is an
    # acronym ("BC"); a sentence's first word is capitalized
    assert texts["b"] == "Governor Tobin Hale said the new bridge in the BC interior would open. Prosecutor elkin dorsewit said so."
    assert texts["a"] == MIXED.strip()


def test_title_case_headline_keeps_acronyms_and_names(tmp_path, lexicon):
    texts = _texts(tmp_path, lexicon, [
        {"id": "a", "text": MIXED},
        {"id": "b", "text": "# Governor Tobin Haile Says New Bridge Will Open, NHS Council Said\n\nThe council said the bridge was safe.\n"},
    ])
    assert texts["b"].splitlines()[0] == "# Governor Tobin Haile says new bridge will open, NHS council said"


def test_offsets_kept_and_unflagged_articles_untouched(tmp_path, lexicon):
    corpus = write_corpus(tmp_path / "corpus", [
        {"id": "a", "text": MIXED},
        {"id": "b", "text": "GOVERNOR TOBIN HAILE’S BRIDGE OVER THE RIVER WOULD OPEN ON MONDAY, THE U.S. COUNCIL SAID.\n"},
    ])
    given = load_corpus([corpus], lexicon=lexicon).articles
    raw = {p.stem: p.read_text(encoding="utf-8") for p in corpus.glob("*.md")}
    assert [a.text for a in given] == [raw["a"], raw["b"]]  # reading gives the files' text
    by = {a.id: a for a in recase_articles(given, lexicon)}
    assert by["a"].text == raw["a"]
    assert len(by["b"].text) == len(raw["b"]) and by["b"].text != raw["b"]
    assert "Tobin Haile’s bridge" in by["b"].text and "the U.S. council" in by["b"].text
    # an article changed here is another article to the cache
    alone = recase_articles(load_corpus([corpus / "b.md"], lexicon=lexicon).articles, lexicon)[0]
    assert alone.content_hash != by["b"].content_hash


def test_incremental_counts_give_the_edits_of_a_full_pass(tmp_path, lexicon, monkeypatch):
    """With the cache on, a run with one article changed takes its old counts out and its new ones in
    (reading only that article) and gets the same edits as a pass over the whole corpus: here the change
    is what decides a word of an unchanged article in capitals."""
    import checker.recase as recase
    from checker.pipeline import Options, _read_as
    from checker.recase import recase_edits

    others = [{"id": f"n{i}", "text": f"Reporter number {i} wrote about the river and the bridge today.\n"} for i in range(6)]
    caps = {"id": "caps", "text": "GOVERNOR TOBIN HALE SAID THE NEW BRIDGE OVER THE MARLOW WOULD OPEN SOON.\n"}
    corpus = write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED}, caps, *others])
    opts = Options(paths=[corpus], cache_dir=tmp_path / "cache")
    counted = recase.article_counts
    calls: list[str] = []
    monkeypatch.setattr(recase, "article_counts", lambda a, spans: calls.append(a.id) or counted(a, spans))

    def read() -> str:
        arts = load_corpus([corpus], lexicon=lexicon).articles
        calls.clear()
        got = {a.id: a.text for a in _read_as(opts, arts, lexicon)}
        seen = list(calls)
        assert got == {a.id: a.text for a in recase.apply_edits(arts, recase_edits(arts, lexicon))}
        calls[:] = seen
        return got["caps"]

    assert "over the marlow would" in read()  # the corpus never writes it: lowercase
    assert len(calls) == 8  # a first run counts every article
    # the changed article now writes the river's name mid-sentence, capitalized
    write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED + "Boats on the Marlow wait, and the Marlow rises.\n"}])
    assert "over the Marlow would" in read()
    assert calls == ["a"]  # only the changed article was read
    # nothing changed: the stored edits, nothing counted
    assert "over the Marlow would" in read()
    assert calls == []
    # the article changed back: its part taken out again
    write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED}])
    assert "over the marlow would" in read()
    assert calls == ["a"]


def test_an_incremental_run_recases_only_the_spans_whose_words_counts_changed(tmp_path, lexicon, monkeypatch):
    """A span's edit depends on its text and the counts of its own words: with one article changed, the
    spans of other articles are recased again only when one of their words is counted differently now,
    and the edits are those of a full pass."""
    import checker.recase as recase
    from checker.pipeline import Options, _read_as

    others = [{"id": f"n{i}", "text": f"Reporter number {i} wrote about the river and the bridge today.\n"} for i in range(6)]
    caps = {"id": "caps", "text": "GOVERNOR TOBIN HALE SAID THE NEW BRIDGE OVER THE MARLOW WOULD OPEN SOON.\n"}
    apart = {"id": "apart", "text": "MAYOR QUILLAN VETOED ZONING PLANS YESTERDAY AFTERNOON.\n"}
    corpus = write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED}, caps, apart, *others])
    opts = Options(paths=[corpus], cache_dir=tmp_path / "cache")
    real = recase.edits_with
    recased: list[str] = []
    monkeypatch.setattr(recase, "edits_with", lambda arts, *a: recased.extend(x.id for x in arts) or real(arts, *a))

    def read() -> dict[str, str]:
        arts = load_corpus([corpus], lexicon=lexicon).articles
        recased.clear()
        got = {a.id: a.text for a in _read_as(opts, arts, lexicon)}
        seen = set(recased)
        assert got == {a.id: a.text for a in recase.apply_edits(arts, real(arts, *_full(arts)))}
        recased[:] = sorted(seen)
        return got

    def _full(arts):
        flagged = {a.id: recase.flagged_spans(a, lexicon) for a in arts}
        counts = recase.Counts()
        for a in arts:
            counts.add(recase.article_counts(a, flagged[a.id]))
        return flagged, counts, lexicon

    assert "over the marlow would" in read()["caps"]
    assert {"caps", "apart"} <= set(recased)  # a first run recases every span
    write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED + "Boats on the Marlow wait, and the Marlow rises.\n"}])
    got = read()
    assert "over the Marlow would" in got["caps"] and "Quillan" not in got["apart"]
    assert recased == ["a", "caps"]  # "apart" shares no word whose counts changed: its stored edits
    write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED + "It rained.\n"}])  # "rained": no span's word
    assert "over the marlow would" in read()["caps"]
    assert recased == ["a", "caps"]  # "marlow" is counted differently again
    write_corpus(tmp_path / "corpus", [{"id": "a", "text": MIXED + "It rained. It snowed.\n"}])
    assert "over the marlow would" in read()["caps"]
    assert recased == ["a"]
