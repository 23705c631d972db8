"""Role facts given to the right person: appositions and titles that belong to another name of the sentence,
clause pieces taken for roles, words that open a sentence taken for titles (checker/extract/roles.py, names.py).
All names are invented."""

from __future__ import annotations

import pytest

from checker.extract import extract_article
from checker.extract.roles import _grammar, _title_role
from checker.lexicon import load_lexicon
from checker.models import Article


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(None)


def _roles(lex, text: str) -> set[tuple[str, str]]:
    facts = extract_article(Article(id="a", path="a.md", text=text), lex)
    return {(r.person, r.value) for r in facts.of("role")}


def _of(lex, text: str, person: str) -> set[str]:
    return {v for p, v in _roles(lex, text) if p == person}


def test_a_role_phrase_before_an_attribution_is_not_the_speakers(lex):
    text = ("Tarrow police Lt. Perrin Marsh said the man was armed. "
            "Vell had been fired on Monday as a general accountant at the firm and bought a rifle on Friday, Marsh said.")
    assert _of(lex, text, "Perrin Marsh") == {"lt."}
    # a role phrase set off before the name is still read
    assert _of(lex, "He shot the court reporter, Ines Varga, in the arm.", "Ines Varga") == {"court reporter"}
    assert _of(lex, "The remarks were made by the Varnish ambassador to Dorvan, Pavel Dorn, in a lecture.",
               "Pavel Dorn") == {"varnish ambassador to dorvan"}


def test_a_title_after_a_name_of_a_list_is_the_next_names(lex):
    text = ("He shot Judge Alma Rusk, court reporter Ines Varga, Sheriff's Deputy Sgt. Tomas Brill and "
            "U.S. Customs Agent Pavel Dorn.")
    got = _roles(lex, text)
    assert ("Ines Varga", "reporter") in got
    assert ("Tomas Brill", "sheriff's deputy sgt.") in got
    assert not any(p == "Ines Varga" and "sgt" in v for p, v in got)
    assert ("Alma Rusk", "judge") in got


def test_a_clause_after_a_name_is_no_role(lex):
    assert _of(lex, "Even his rival, Tobin Haile, grudgingly praised Mr. Vell's skill.", "Tobin Haile") == set()
    assert _of(lex, "The flat was owned by Ines Varga, who was described by Mr. Vell's lawyers as his partner.",
               "Ines Varga") == set()
    assert _of(lex, "He shot the man, Tobin Haile, in the head.", "Tobin Haile") == set()
    assert _of(lex, "Ines Varga, echoing the president, said the talks would go on.", "Ines Varga") == set()
    assert _of(lex, "Tobin Haile, long known as the Bishop of Elmford, runs a sect of 400.", "Tobin Haile") == set()
    got = _roles(lex, "Dorvan Mills' treasurer, Pavel Dorn, resigned and its chairman, Alma Rusk, is stepping in.")
    assert not any(p == "Pavel Dorn" and "chairman" in v for p, v in got)
    # an earlier role told after "then" or "formerly" stays one
    assert _of(lex, "He was loyal to Tobin Haile, then the head of the faction.", "Tobin Haile") == {"then the head of the faction"}


def test_a_word_that_opens_the_sentence_is_no_part_of_a_title(lex):
    assert _of(lex, "But District Attorney Alma Rusk said the case was closed.", "Alma Rusk") == {"district attorney"}
    assert _of(lex, "Once Colonel Ines Varga was picked, she trained for a year.", "Ines Varga") == {"colonel"}
    # a title word itself stays ("Former", "Deputy")
    assert _of(lex, "Former Mayor Alma Rusk said the case was closed.", "Alma Rusk") == {"former mayor"}


def test_a_title_after_another_name_and_and(lex):
    got = _roles(lex, "He asked Police Commissioner Pavel Dorn and Mayor Alma Rusk to visit the block.")
    assert ("Alma Rusk", "mayor") in got
    assert not any(p == "Alma Rusk" and "dorn" in v for p, v in got)
    # two titles of one person joined by "and" stay whole
    g = _grammar(lex)
    title = "Police Commissioner Pavel Dorn and Mayor"
    a, b = _title_role(title, g)
    assert title[a:b] == "Mayor"
    title = "President and Chief Executive"
    assert _title_role(title, g) == (0, len(title))


def test_a_title_of_someone_the_named_person_acted_on(lex):
    text = ("Tobin Vell was sentenced on Monday. \"He is proud of it,\" said Rhea Dunmore, widow of a sheriff's deputy "
            "Vell murdered. \"I don't think Tobin Vell won,\" said Ines Varga, daughter of the court reporter Vell killed.")
    assert _of(lex, text, "Tobin Vell") == set()
    # a title before a surname, without an article, or before a full name, is that person's
    text = "Kendra Oakes filed the appeal. Shortly after the ruling, attorney Oakes filed an emergency request."
    assert _of(lex, text, "Kendra Oakes") == {"attorney"}
    assert _of(lex, "He killed the court reporter Julie Ann Varga and fled.", "Julie Ann Varga") == {"reporter"}
    assert _of(lex, "Lena Pryce spoke first. The judge asked the prosecutor Pryce said.", "Lena Pryce") == {"prosecutor"}


def test_a_title_before_a_word_that_names_no_one(lex):
    assert _roles(lex, "The port is free from the congestion of most other major African cities.") == set()
    assert _roles(lex, "The minister echoed the official Japanese view of the accord.") == set()
    assert _roles(lex, "\"We are safe,\" said Captain Tobin Haile, chief PRO (Navy).") == {("Tobin Haile", "captain")}


@pytest.mark.parametrize("text, person, role", [
    ("Secretary of State Alma Rusk will visit Dorvan.", "Alma Rusk", "secretary of state"),
    ("He told White House Chief of Staff Tobin Vell that he was leaving.", "Tobin Vell", "white house chief of staff"),
    ("He met Minister of Defence Pavel Dorn on Monday.", "Pavel Dorn", "minister of defence"),
])
def test_a_title_with_of_before_a_name(lex, text, person, role):
    got = _roles(lex, text)
    assert (person, role) in got
    # the word after "of" is no part of the name
    names = {n.text for n in extract_article(Article(id="a", path="a.md", text=text), lex).of("name") if n.etype == "person"}
    assert person in names and not any(n.endswith(person) and n != person for n in names)


def test_an_of_phrase_after_no_title_gives_no_title(lex):
    facts = extract_article(Article(id="a", path="a.md", text="The University of Dorvan Tobin Haile spoke."), lex)
    assert not any(n.title for n in facts.of("name"))
    assert list(facts.of("role")) == []
