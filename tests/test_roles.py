"""Role facts: a person's title or occupation where the text says whose it is (checker/extract/roles.py)."""

from __future__ import annotations

import pytest

from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.models import Article


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(None)


def _roles(lex, text: str) -> list[tuple[str, str, str | None, str | None, bool]]:
    facts = extract_article(Article(id="a", path="a.md", text=text), lex)
    return [(r.person, r.value, r.kin, r.owner, r.past) for r in facts.of("role")]


@pytest.mark.parametrize("text, expected", [
    ("The club said Coach Darrin Fenwick was fired on Monday.", ("Darrin Fenwick", "coach")),
    ("Darrin Fenwick, the team's head coach, was fired on Monday.", ("Darrin Fenwick", "team's head coach")),
    ("Police said Orla Venn, a 45-year-old watchmaker, was found at home.", ("Orla Venn", "watchmaker")),
    ("Orla Venn, who is the director of the county library, spoke on Monday.", ("Orla Venn", "director of the county library")),
    ("Orla Venn was named chief executive of Tarrow Mills on Monday.", ("Orla Venn", "chief executive of tarrow mills")),
    ("Orla Venn, Tarrow Mills' chief executive, spoke on Monday.", ("Orla Venn", "tarrow mills' chief executive")),
    ("Shares fell after Orla Venn was appointed U.S. director of Tarrow Mills.", ("Orla Venn", "u.s. director of tarrow mills")),
])
def test_role_forms(lex, text, expected):
    assert expected in [(p, v) for p, v, *_ in _roles(lex, text)]


def test_honorifics_and_non_roles_give_none(lex):
    assert _roles(lex, "Mr. Darrin Fenwick said the plant would close.") == []
    assert _roles(lex, "Darrin Fenwick, who was killed by an officer during a march in Tarrow, was 15.") == []


def test_earlier_roles_are_marked(lex):
    got = _roles(lex, "Tobin Haile, a former Marine, worked as a guard at the county jail.")
    assert {(v, past) for _, v, _, _, past in got} == {("former marine", True), ("guard", True)}


def test_kin_of_the_main_person(lex):
    text = ("Marco Delvecchio died on Monday. Marco Delvecchio grew up in Brackton.\n"
            "His father was a tailor, and his mother was a weaver.")
    got = _roles(lex, text)
    assert ("", "tailor", "father", "Marco Delvecchio", False) in got
    assert ("", "weaver", "mother", "Marco Delvecchio", False) in got


def test_kin_owner_must_be_the_main_person(lex):
    text = ("Marco Delvecchio died on Monday. Marco Delvecchio grew up in Brackton.\n"
            "His friend Ilse Moravec spoke at the service. Her father was a tailor.")
    assert [r for r in _roles(lex, text) if r[2]] == []


def _participants(lex, text: str) -> list[tuple[str, str | None, str | None]]:
    facts = extract_article(Article(id="a", path="a.md", text=text), lex)
    return [(r.value, r.kin, r.owner) for r in facts.of("role") if r.how == "participant"]


@pytest.mark.parametrize("text, expected", [
    # the participant's own noun is a role word
    ("Tomas Brell stabbed his brother, and another inmate who tried to break up the fight was hurt.",
     [("inmate", "intervener:fight", "Tomas Brell")]),
    # a generic noun: the role is the participle of its relative clause; the inmate visited is not the participant
    # a surname two people of the article share names neither
    ("Tomas Brell and Ada Brell were there.\nBrell also hurt a guard who tried to stop the fight.", []),
    ("Tomas Brell also hurt a man who was visiting another inmate at the time and tried to stop the fight.",
     [("visitor", "intervener:fight", "Tomas Brell")]),
    # no role in the noun nor in the clause
    ("Tomas Brell hurt a man who tried to stop the fight.", []),
    # a pronoun is no thing acted on: nothing says which event
    ("Tomas Brell shot a guard who tried to stop him.", []),
    # two people named: neither is the one whose event it is
    ("Tomas Brell and Ivo Marsh fought, and a guard who tried to stop the fight was hurt.", []),
])
def test_unnamed_participants(lex, text, expected):
    assert _participants(lex, text) == expected


def test_participant_owner_named_by_surname(lex):
    text = ("Tomas Brell escaped on Monday.\n"
            "In 2001 Brell stabbed his wife, and another inmate who tried to break up the attack was hurt.\n")
    assert _participants(lex, text) == [("inmate", "intervener:attack", "Tomas Brell")]
