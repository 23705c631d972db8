"""Decoding facts as compact records, equal values shared, changes how much memory they take, never what they are."""

from __future__ import annotations

from checker.compact import Sharing
from checker.models import ArticleFacts, DateFact, NameFact, NumberFact, Sentence


def _article(aid: str, sentence: str, offset: int) -> ArticleFacts:
    return ArticleFacts(
        article=aid,
        sentences=(Sentence(index=0, start=offset, end=offset + len(sentence), line=1, text=sentence),),
        facts=(
            NameFact(article=aid, text="Orla Venmark", start=offset + 4, end=offset + 16, line=1, sentence=sentence,
                     sentence_index=0, value="orla venmark", full="Orla Venmark", title_span=(offset, offset + 3)),
            DateFact(article=aid, text="Tuesday", start=offset + 30, end=offset + 37, line=1, sentence=sentence,
                     sentence_index=0, value="2031-05-06", resolved=True),
            # a bool and a float that equal an int elsewhere must stay what they are
            NumberFact(article=aid, text="1", start=offset + 40, end=offset + 41, line=1, sentence=sentence,
                       sentence_index=0, value=True, attribute="killed", low=1.0, high=float(offset + 4)),
        ),
    )


def _decoded(af: ArticleFacts, sharing: Sharing | None = None):
    return (sharing or Sharing()).decode(af.model_dump_json())


def test_equal_values_become_one_object_and_facts_stay_equal():
    sentence = "Dr. Orla Venmark said on Tuesday that 1 died."
    a0, b0 = _article("a1", sentence, 300), _article("b2", sentence, 300)
    first = (_decoded(a0), _decoded(b0))
    assert first[0].facts[0].start is not first[1].facts[0].start  # each table makes its own copies

    sharing = Sharing()
    a, b = _decoded(a0, sharing), _decoded(b0, sharing)
    for x, y in ((a.facts[0], b.facts[0]), (a.sentences[0], b.sentences[0])):
        for field in ("text", "start", "end"):
            assert getattr(x, field) is getattr(y, field)
    assert a.facts[0].value is b.facts[0].value and a.facts[0].title_span is b.facts[0].title_span
    assert a.facts[0].sentence is b.facts[0].sentence
    # nothing a check reads changes: equality, JSON, the type of every value
    assert [a, b] == [a0, b0] and [a0, b0] == [a, b]
    assert (a.model_dump_json(), b.model_dump_json()) == (a0.model_dump_json(), b0.model_dump_json())
    number = a.of("number")[0]
    assert number.value is True and type(number.low) is float and type(number.high) is float
    assert a.facts[0].article == "a1" and b.facts[0].article == "b2"


def _seed_facts() -> list[ArticleFacts]:
    from pathlib import Path

    from checker.corpus import load_corpus
    from checker.extract import extract_article
    from checker.lexicon import load_lexicon

    lexicon = load_lexicon(None)
    corpus = load_corpus([Path(__file__).resolve().parent.parent / "fixtures" / "seeds"], lexicon=lexicon)
    return [extract_article(a, lexicon) for a in corpus.articles], corpus.articles


def _same(x, y) -> bool:
    """Equal, and of the same type all the way down (a tuple is not a list, a float not an int)."""
    if type(x) is not type(y):
        return False
    if isinstance(x, (tuple, list)):
        return len(x) == len(y) and all(_same(p, q) for p, q in zip(x, y))
    return x == y


def test_records_hold_what_pydantic_validation_gives():
    """Every field of every fact and sentence of the seeds, decoded as records, is the value (and type)
    the pydantic models decode from the same JSON; records and models compare and hash alike."""
    from checker.compact import Record
    from checker.incremental import _row, link_digest

    facts, articles = _seed_facts()
    sharing = Sharing()
    kinds = set()
    for art, af in zip(articles, facts):
        model = ArticleFacts.model_validate_json(af.model_dump_json())
        rec = sharing.decode(af.model_dump_json())
        assert rec == model and model == rec and rec.article == model.article and rec.errors == model.errors
        for kind in ("name", "date", "event", "attendance", "number", "role", "quote"):
            assert len(rec.of(kind)) == len(model.of(kind))
        for r, m in zip((*rec.sentences, *rec.facts), (*model.sentences, *model.facts)):
            assert type(r).__name__ == type(m).__name__
            assert r == m and m == r and hash(r) == hash(m)
            assert all(_same(getattr(r, n), v) for n, v in m.__dict__.items()), type(m).__name__
            assert r.model_dump_json() == m.model_dump_json()
            assert _row(r) == _row(m)
            kinds.add((getattr(m, "kind", "sentence"), isinstance(r, Record)))
        # what an incremental run digests of an article is the same from either form
        assert link_digest(art, rec) == link_digest(art, model)
    assert {("event", True), ("name", True), ("date", True), ("sentence", True)} <= kinds


def test_records_of_different_facts_differ():
    sentence = "Ivo Brandt met Lena Sorvik on Friday."
    af = _decoded(_article("c3", sentence, 0))
    name, date, number = af.facts
    assert name != date and date != number and name == name.model_copy()
    moved = name.model_copy(update={"start": 5})
    assert moved.start == 5 and moved != name and moved.text == name.text and type(moved) is type(name)
    assert moved.to_model() == name.to_model().model_copy(update={"start": 5})
    assert len({name, date, number, name.model_copy()}) == 3


def test_a_damaged_row_is_refused():
    import json

    import pytest

    good = json.loads(_article("d4", "Mara Quell left.", 0).model_dump_json())
    bad_key = json.loads(json.dumps(good))
    bad_key["facts"][0]["colour"] = "red"
    missing = json.loads(json.dumps(good))
    del missing["facts"][1]["start"]
    unknown = json.loads(json.dumps(good))
    unknown["facts"][2]["kind"] = "weather"
    for doc in (bad_key, missing, unknown, [1, 2], {"article": 3}):
        with pytest.raises(ValueError):
            Sharing().decode(json.dumps(doc))
    assert Sharing().decode(json.dumps(good)).article == "d4"


def test_shared_hashes_find_every_key_two_sets_hold():
    """merge_variants keeps only the keys two entities share (link._shared_hashes): the blocks made from
    them are the blocks of every key, minus the keys of one entity."""
    import random

    from checker.link import _shared_hashes

    rng = random.Random(7)
    sets = [{f"D:{rng.choice('abcdefgh')}{rng.randint(0, 400)}" for _ in range(rng.randint(0, 12))} for _ in range(500)]
    every: dict[str, list[int]] = {}
    for i, keys in enumerate(sets):
        for k in keys:
            every.setdefault(k, []).append(i)
    shared, holders = _shared_hashes(iter(sets), parts=8)
    kept: dict[str, list[int]] = {}
    for i in holders:
        for k in sets[i]:
            if hash(k) in shared:
                kept.setdefault(k, []).append(i)
    assert {k: v for k, v in kept.items() if len(v) > 1} == {k: v for k, v in every.items() if len(v) > 1}
    assert any(len(v) > 1 for v in every.values()) and any(len(v) == 1 for v in every.values())
    assert set(holders) == {i for v in every.values() if len(v) > 1 for i in v}
