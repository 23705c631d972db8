"""Sharing equal values between decoded facts changes how much memory they take, never what they are."""

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


def _json(af: ArticleFacts) -> str:
    return ArticleFacts.model_validate_json(af.model_dump_json()).model_dump_json()


def test_equal_values_become_one_object_and_facts_stay_equal():
    sentence = "Dr. Orla Venmark said on Tuesday that 1 died."
    a = ArticleFacts.model_validate_json(_article("a1", sentence, 300).model_dump_json())
    b = ArticleFacts.model_validate_json(_article("b2", sentence, 300).model_dump_json())
    before_a, before_b = a.model_dump_json(), b.model_dump_json()
    copies = [ArticleFacts.model_validate_json(before_a), ArticleFacts.model_validate_json(before_b)]
    assert a.facts[0].value is not b.facts[0].value  # decoding makes copies

    sharing = Sharing()
    a, b = sharing.share(a), sharing.share(b)

    for x, y in ((a.facts[0], b.facts[0]), (a.sentences[0], b.sentences[0])):
        for field in ("text", "start", "end"):
            assert getattr(x, field) is getattr(y, field)
    assert a.facts[0].value is b.facts[0].value and a.facts[0].title_span is b.facts[0].title_span
    assert a.facts[0].sentence is b.facts[0].sentence
    # nothing a check reads changes: equality, JSON, the type of every value
    assert [a, b] == copies
    assert (a.model_dump_json(), b.model_dump_json()) == (before_a, before_b)
    number = a.of("number")[0]
    assert number.value is True and type(number.low) is float and type(number.high) is float
    assert a.facts[0].article == "a1" and b.facts[0].article == "b2"


def test_each_sharing_has_its_own_table():
    sentence = "Dr. Orla Venmark said on Tuesday that 1 died."
    a = ArticleFacts.model_validate_json(_article("a1", sentence, 300).model_dump_json())
    b = ArticleFacts.model_validate_json(_article("b2", sentence, 300).model_dump_json())
    Sharing().share(a)
    Sharing().share(b)
    assert a.facts[0].value is not b.facts[0].value


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
