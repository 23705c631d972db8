"""Ages: read only where the text says whose they are, never for another time (checker/extract/ages.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.models import Article


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(None)


def _ages(lex, text: str, published: dt.date | None = dt.date(2014, 4, 2)) -> list[tuple[str | None, float]]:
    art = Article(id="a", path="a.md", text=text, published=published)
    facts = extract_article(art, lex)
    return [(n.holder, n.value) for n in facts.of("number") if n.attribute == "age"]


@pytest.mark.parametrize("text, expected", [
    ("Police said Orla Venn, 84, was found at her home in Tarrow.", [("Orla Venn", 84.0)]),
    ("Police said Orla Venn, aged 84, was found at her home.", [("Orla Venn", 84.0)]),
    ("The body of Orla Venn, who was 84, was found at her home.", [("Orla Venn", 84.0)]),
    ("Mourners remembered 84-year-old Orla Venn on Sunday.", [("Orla Venn", 84.0)]),
    ("Mourners remembered the 84-year-old retired nurse Orla Venn on Sunday.", [("Orla Venn", 84.0)]),
    ("Orla Venn died at her home in Tarrow on Sunday at the age of 84, her family said.", [("Orla Venn", 84.0)]),
    ("Kiran Dole, 52, and Ilse Marr, 44, were arrested on Tuesday.", [("Kiran Dole", 52.0), ("Ilse Marr", 44.0)]),
])
def test_ages_whose_owner_the_text_gives(lex, text, expected):
    assert _ages(lex, text) == expected


@pytest.mark.parametrize("text", [
    "Orla Venn, then 31, was first elected to the council.",  # another time
    "In 1990, Orla Venn, 31, was first elected to the council.",  # a sentence of another year
    "A 13-year-old rival on Tarrow Road was hit by Orla Venn.",  # the age is the rival's
    "Orla Venn, 45 Mill Street, Tarrow, was robbed.",  # an address
    "Orla Venn won the final 6-3, 6-4 on Sunday.",  # a score
    "Orla Venn said Kiran Dole died at 84.",  # someone else's death
    "Orla Venn died in a crash that killed 12 at 4 p.m.",  # a time, not an age
])
def test_no_age_where_it_may_be_someone_elses_or_another_times(lex, text):
    assert [a for a in _ages(lex, text) if a[0] == "Orla Venn"] == []
