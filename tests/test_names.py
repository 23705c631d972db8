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


@pytest.mark.parametrize(
    "text, name, etype",
    [
        # a compass or position word, a foreign street or town word, before a place
        ("Police sealed off West Ridgemont on Monday, Maren Solberg said.", "West Ridgemont", "place"),
        ("The fire spread through Lower Brackton overnight.", "Lower Brackton", "place"),
        ("Residents of Greater Fenwick and Upper Dalby were evacuated.", "Greater Fenwick", "place"),
        ("Residents of Greater Fenwick and Upper Dalby were evacuated.", "Upper Dalby", "place"),
        ("The shop on Rue Vallin was robbed.", "Rue Vallin", "place"),
        ("The suspect was arrested in San Corvino on Friday.", "San Corvino", "place"),
        # a nationality or faith adjective with one other word
        ("Prosecutors say the Sicilian Brotherhood ran the racket.", "Sicilian Brotherhood", "org"),
        ("He was raised in a Coptic Orthodox family.", "Coptic Orthodox", "org"),
        ("Many Fijian Belgians marched.", "Fijian Belgians", "org"),
        # head words: streets, businesses, events, faults, ranches
        ("The crowd gathered at Dorvan Ave. and Kessel Rd. on Monday.", "Dorvan Ave", "place"),
        ("The crowd gathered at Dorvan Ave. and Kessel Rd. on Monday.", "Kessel Rd", "place"),
        ("Guests left the Marlow Hotel before noon.", "Marlow Hotel", "org"),
        ("Tickets for the Brenna Festival sold out.", "Brenna Festival", "org"),
        ("Scientists said the Tavish Fault moved.", "Tavish Fault", "place"),
        ("Officers searched the Corran Ranch compound.", "Corran Ranch", "place"),
        ("Officers from the Dorset Police arrived.", "Dorset Police", "org"),
        ("The Dorvan Times-Courier reported the crash.", "Dorvan Times-Courier", "org"),
        # ships
        ("The frigate INS Varuna sailed with the tanker MV Norholm.", "INS Varuna", "org"),
        ("The frigate INS Varuna sailed with the tanker MV Norholm.", "MV Norholm", "org"),
        ("Warship Kestrel was escorting a convoy.", "Warship Kestrel", "org"),
        ("The cruise liner MS Aldena changed course.", "MS Aldena", "org"),
        # an acronym before a word
        ("KXTV Ostrava reported the crash first.", "KXTV Ostrava", "org"),
    ],
)
def test_a_name_that_is_no_person(text: str, name: str, etype: str) -> None:
    found = names(text)
    assert found.get(name) == etype, found


@pytest.mark.parametrize(
    "text, name",
    [
        # a name written after "the", "a" or "in" and never as a person's
        ("Prosecutors say the Dorvan Brotherhood ran the racket in Kessel for years.", "Dorvan Brotherhood"),
        ("A crowd looted a Marvel Fresh on Monday night.", "Marvel Fresh"),
        ("The victims were taken to a hospital in Birch Hollow, Ohio.", "Birch Hollow"),
    ],
)
def test_a_name_after_an_article_or_in_is_no_person(text: str, name: str) -> None:
    found = names(text)
    assert found.get(name) in ("org", "place"), found


@pytest.mark.parametrize(
    "text, name",
    [
        # ... unless the article treats it as a person's
        ("The Tobin Haile case went to trial. Tobin Haile said he was innocent.", "Tobin Haile"),
        ("A Rhea Haile spoke first. Haile, 44, said she was a witness.", "Rhea Haile"),
        # a nationality before a longer name is no part of it; before a surname named in full neither
        ("Norwegian Anna Berg won the race.", "Anna Berg"),
        ("Kenyan runner Peter Odhiambo won. Kenyan Odhiambo led from the start.", "Odhiambo"),
        # a hyphenated title, and titles written before a name
        ("Attorney-General Wally Tresk issued a statement.", "Wally Tresk"),
        ("Public Advocate Dana Morrow spoke.", "Dana Morrow"),
        # a ship's prefix is no title
        ("Ms. Dana Morrow boarded the ferry.", "Dana Morrow"),
    ],
)
def test_a_person_stays_a_person(text: str, name: str) -> None:
    found = names(text)
    assert found.get(name) == "person", found


def test_a_person_and_a_titled_person_joined_by_and_are_two_names() -> None:
    found = names("Deputy Sgt. Tobin Haile and U.S. Customs Agent Rhea Morrow were shot.")
    assert found.get("Tobin Haile") == "person", found
    assert found.get("Rhea Morrow") == "person", found


def test_shouting_capitals_with_a_one_letter_word_are_no_name() -> None:
    assert names("WALLY TRESK ISSUED A STATEMENT TODAY") == {}


def test_british_and_american_spellings_of_an_organization_are_no_variant() -> None:
    from checker.variants import NameForm, other_variant

    def form(text: str) -> NameForm:
        return NameForm(text, False, tuple(text.split()), len(text.split()))

    assert other_variant(form("Kessel Transit Organisation"), form("Kessel Transit Organization"), ()) is None
    assert other_variant(form("Kessel Harbour Centre"), form("Kessel Harbor Center"), ()) is None
    assert other_variant(form("Kessel Transit Orgamisation"), form("Kessel Transit Organisation"), ()) is not None


def test_a_hyphenated_nationality_is_no_name() -> None:
    found = names("The ruling angered Fijian-Belgians in Sydney, Maren Solberg said.")
    assert "Fijian-Belgians" not in found, found
    assert found.get("Maren Solberg") == "person", found


def fulls(text: str) -> list[tuple[str, str, str]]:
    """(text, full, etype) of each one-word person mention."""
    article = Article(id="t", path="t.md", text=text, body_start=0)
    return [(n.text, n.full, n.etype) for n in extract_article(article, load_lexicon()).of("name")
            if len(n.text.split()) == 1 and n.etype == "person"]


@pytest.mark.parametrize(
    "text, full",
    [
        # the subject (named first) keeps the surname; a relative named as kin does not take it
        ("Tobin Haile was shot on Saturday. His sister, Rhea Haile, said he was unarmed. "
         "Haile, who was running for his life, was hit twice.", "Tobin Haile"),
        ("Tobin Haile led the firm. He was one of five sons of Arlo Haile, a baker, and Rhea Haile, a seamstress. "
         "A poor student, Mr. Haile left school at 15.", "Tobin Haile"),
        ("Tobin Haile, who ran his firm, died. Arlo Haile, a priest, praised his older brother. "
         "Experts said Mr. Haile was feared.", "Tobin Haile"),
        ("Tobin Haile was arrested. Jeff Haile, Haile's nephew, told reporters he was relieved. Nothing else. "
         "More. Haile was later released.", "Tobin Haile"),
        # another bearer named lately, not as kin, when the subject was not referred to lately
        ("Dana Morrow, 18, said the march was peaceful. Police lined the route. Nobody was hurt. Shops closed. "
         "Town Councilman Lee Morrow blasted outsiders. Morrow spoke on radio.", "Lee Morrow"),
        # gender: the one person who fits
        ("Tobin Haile was shot. He was 16. Police said so. His sister, Rhea Haile, said he was unarmed. "
         "Ms. Haile said police lied.", "Rhea Haile"),
        ("Tobin Haile, who lost his job, was tried. His wife, Rhea Haile, testified. Nothing else. More. "
         "Mrs. Haile wept.", "Rhea Haile"),
        # one person written two ways
        ("Tobin R. Haile was charged. Tobin Haile denied it. Haile will appear on Monday.", "Tobin Haile"),
    ],
)
def test_a_surname_resolves_to_the_person_meant(text: str, full: str) -> None:
    found = fulls(text)
    assert found and found[-1][1] == full, found


@pytest.mark.parametrize(
    "text",
    [
        # two bearers both named lately, no evidence
        "Tobin Haile spoke first and Rhea Haile spoke at length. Haile said the ruling was unfair.",
        "Tobin Haile spoke first. Rhea Haile spoke at length. Haile said the ruling was unfair.",
        # gender fits the subject, but the other bearer (gender unknown) was named last and lately
        "Tobin Haile, who lost his job, spoke first. Nothing. Another. Arlo Haile spoke at length. Mr. Haile said no.",
        # a kinsman of unknown gender against a subject of unknown gender, both recent
        "Tobin Haile, who ran the bakery, died on Monday. His father, Arlo Haile, founded it. Mr. Haile took over in 1980.",
    ],
)
def test_an_ambiguous_surname_stays_unresolved_but_a_person(text: str) -> None:
    found = fulls(text)
    assert found and found[-1][1] == "Haile" and found[-1][2] == "person", found


def test_a_name_of_words_the_article_writes_in_lowercase_is_no_person() -> None:
    found = names("The fire started at Kessel Bike Rental. The rental shop next door, Bike Rental, burned. "
                  "Police said bike parts exploded.")
    assert found.get("Bike Rental") == "org", found


def test_a_common_word_at_a_sentence_start_is_no_part_of_a_name() -> None:
    found = names("Polygamist Tobin Haile was sentenced on Tuesday. The polygamist sect grew. "
                  "Followers of Tobin Haile said nothing.")
    assert found.get("Tobin Haile") == "person", found
    assert "Polygamist Tobin Haile" not in found, found


def test_a_name_written_in_lowercase_as_a_whole_is_still_a_name() -> None:
    found = names("Tobin Haile has the latest. The bombing was reported, tobin haile, KXTV, Ostrava.")
    assert found.get("Tobin Haile") == "person", found


@pytest.mark.parametrize(
    "text, name",
    [
        ("Danish Shipping Co said rates fell.", "Danish Shipping Co"),
        ("Clinic Access Act cases rose. The clinic was closed.", "Clinic Access Act"),
    ],
)
def test_no_part_of_an_organization_becomes_a_person(text: str, name: str) -> None:
    found = names(text)
    assert all(etype != "person" for etype in found.values()), found


def test_an_unresolved_surname_is_linked_to_neither_person() -> None:
    from checker.link import link_entities

    lex = load_lexicon()
    texts = {
        "a": "Tobin Haile spoke first. Rhea Haile spoke at length. Haile said the ruling was unfair.",
        "b": "Tobin Haile appealed on Monday.",
        "c": "Rhea Haile testified on Monday.",
    }
    facts = [extract_article(Article(id=k, path=k + ".md", text=t, body_start=0), lex) for k, t in texts.items()]
    entities = link_entities(facts, lex)
    owner = {(m.article, m.text, m.start): e.canonical for e in entities for m in e.mentions}
    bare = [v for (art, text, _), v in owner.items() if art == "a" and text == "Haile"]
    assert bare == ["Haile"], owner
    assert {v for (art, _, _), v in owner.items() if art in "bc"} == {"Tobin Haile", "Rhea Haile"}, owner


def test_run_shapes_are_remembered_without_changing_a_name():
    """_mentions asks _shape once per run of words: the facts are the same when every shape is known
    already, and a run keeps its shape where the text around it adds a lowercase title."""
    from pathlib import Path

    from checker.corpus import load_corpus
    from checker.extract import names

    lex = load_lexicon(None)
    lx = names._lex(lex)
    arts = load_corpus([Path(__file__).resolve().parent.parent / "fixtures"], lexicon=lex).articles[:30]
    assert arts
    lx.shapes.clear()
    cold = [extract_article(a, lex).facts for a in arts]
    assert lx.shapes
    warm = [extract_article(a, lex).facts for a in arts]
    assert warm == cold
    text = "Ms. Ada Lorne spoke. The party deputy leader Ada Lorne spoke too."
    facts = [f for f in extract_article(Article(id="x", path="x.md", text=text, body_start=0), lex).facts if f.kind == "name"]
    assert [(f.text, f.title) for f in facts] == [("Ada Lorne", "Ms."), ("Ada Lorne", "deputy leader")]
