"""Name extraction: where a name begins and what kind of name it is."""

from __future__ import annotations

import pytest

from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.models import Article


def names(text: str) -> dict[str, str]:
    article = Article(id="t", path="t.md", text=text, body_start=0)
    return {n.text: n.etype for n in extract_article(article, load_lexicon()).of("name")}


@pytest.mark.parametrize(
    "text, name, etype",
    [
        ("Shares of Dalvor Corp. fell on the New York Stock Exchange on Monday.", "New York Stock Exchange", "org"),
        ("The ruling was upheld by the Supreme Court in March.", "Supreme Court", "org"),
        ("Ships were warned by the International Maritime Bureau last week.", "International Maritime Bureau", "org"),
        ("Troops of the National Guard arrived in the town.", "National Guard", "org"),
        ("Officials in New Delhi said the talks would go on.", "New Delhi", "place"),
    ],
)
def test_a_name_keeps_the_adjective_or_prefix_it_begins_with(text: str, name: str, etype: str) -> None:
    found = names(text)
    assert found.get(name) == etype, found


@pytest.mark.parametrize(
    "text, absent",
    [
        ("New evidence emerged on Monday, Maren Solberg said.", "New"),
        ("Former Governor Tobias Wrenfield spoke to reporters.", "Former Governor Tobias Wrenfield"),
        ("The new Ostrava director met staff.", "new Ostrava"),
    ],
)
def test_a_stopword_alone_still_starts_no_name(text: str, absent: str) -> None:
    assert absent not in names(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("A woman ran to the Tarvo Islands Auto Repair shop to call police, Mr. Hale said.", "Tarvo Islands Auto Repair"),
        ("The order came from the commander of the Qadir Brigades Omar Selwan, officials said.", "Omar Selwan"),
    ],
)
def test_words_after_a_place_head_go_on_naming_a_business_after_an_org_head_start_a_person(text: str, name: str) -> None:
    assert name in names(text)
