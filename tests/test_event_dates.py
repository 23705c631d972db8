"""The date an event mention gets: its own, never another verb's or a plan's (invented sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.models import Article

PUBLISHED = dt.date(2021, 3, 12)  # a Friday


def event_dates(text: str, published: dt.date | None = PUBLISHED) -> dict[str, str | None]:
    """Trigger text -> the date text it was given (None: undated)."""
    article = Article(id="t", path="t.md", text=text, body_start=0, published=published)
    return {e.text: e.date_text for e in extract_article(article, load_lexicon()).of("event")}


@pytest.mark.parametrize(
    "text, trigger, date",
    [
        # the event's own date stays
        ("Police arrested Tobin Haile on Tuesday in Varnby.", "arrested", "Tuesday"),
        ("The coast guard on Monday foiled an attack on a freighter near Varnby.", "foiled", "Monday"),
        ("Two officers involved in Monday's shooting of Tobin Haile were suspended.", "shooting of", "Monday"),
        ("He surrendered at 6 p.m. and was arrested.", "arrested", "6 p.m."),
        ("Gunmen rammed a van into a shop in Varnby on Monday in a dawn robbery.", "robbery", "Monday"),
        ("Arlo Vell, who stepped down as chairman, president and chief executive in March, was replaced.", "stepped down", "March"),
        ("The bombs, which killed 20 people, including two guards, on March 3, shocked Varnby.", "killed", "March 3"),
        ("Vell was convicted on Tuesday of fraud.", "convicted", "Tuesday"),
    ],
)
def test_an_event_keeps_its_own_date(text: str, trigger: str, date: str) -> None:
    assert event_dates(text).get(trigger) == date


@pytest.mark.parametrize(
    "text, trigger",
    [
        # a speech or report verb's date
        ("The navy said Tuesday it had captured 12 smugglers near Varnby.", "captured"),
        ("Sgt. Rhea Moll told reporters today a man walked into the hall and shot one person.", "shot"),
        ("A man killed Tobin Haile in his shop, the Varnby Courier reported Thursday.", "killed"),
        ("Details of the slaying of Tobin Haile emerged on Wednesday.", "slaying"),
        # another verb in -ed right before the date
        ("A clerk who was fired last week shot and killed Tobin Haile.", "shot and killed"),
        ("Tobin Haile, one of 40 men seized on Tuesday, has hanged himself in his cell.", "hanged himself"),
        # the act a charge is about
        ("Arlo Vell is charged with practising fraud between May 1, 2019, and June 3, 2020.", "charged"),
        ("Arlo Vell was charged with gunning down Tobin Haile last fall.", "charged"),
        # an event noun governed by another verb
        ("Arlo Vell was charged with murder Thursday in the slaying of Tobin Haile.", "slaying"),
        ("Crowds marched on Sunday in protest at the killing of Tobin Haile.", "killing"),
        ("Crowds angered by the fatal shooting of Tobin Haile poured into the streets Wednesday.", "shooting of"),
        # a relative clause closed before the date
        ("Arlo Vell, who said he was insane when he carried out the killings, spoke in court on Saturday.", "killings"),
        # the crime a step of a case is about
        ("A judge sentenced Arlo Vell to life for the March 11, 2019, attack that left four people dead.", "sentenced"),
        # no time at all
        ("Investigators are currently searching the site of the robbery at the Haile store.", "robbery"),
        # a plan: a date after publication
        ("Arlo Vell and Rhea Moll meet in Varnby on Monday.", "meet"),
    ],
)
def test_an_event_gets_no_date_of_another_word(text: str, trigger: str) -> None:
    dates = event_dates(text)
    assert trigger in dates, dates
    assert dates[trigger] is None, dates


def test_a_date_an_event_noun_cannot_take_goes_to_the_verb_that_governs_it() -> None:
    dates = event_dates("Arlo Vell was charged with murder Thursday in the slaying of Tobin Haile.")
    assert dates == {"charged": "Thursday", "slaying": None}


def test_a_weekday_in_the_past_is_no_plan() -> None:
    assert event_dates("Arlo Vell met Rhea Moll in Varnby on Monday.")["met"] == "Monday"
    # without a publication date nothing is a plan by its date
    assert event_dates("Arlo Vell and Rhea Moll meet in Varnby on Monday.", published=None)["meet"] == "Monday"


def event_types(text: str) -> set[str]:
    article = Article(id="t", path="t.md", text=text, body_start=0, published=PUBLISHED)
    return {e.value for e in extract_article(article, load_lexicon()).of("event")}


@pytest.mark.parametrize(
    "text, etype",
    [
        ("Arlo Vell received Rhea Moll in Varnby on Monday.", "meeting"),
        ("Arlo Vell met Rhea Moll in Varnby on Monday.", "meeting"),
        ("Robbers raided the Haile jewellery store in Varnby on Monday.", "robbery"),
        ("Arlo Vell was charged with fraud on Monday.", "indictment"),
    ],
)
def test_an_event_word_used_for_its_event_is_one(text: str, etype: str) -> None:
    assert etype in event_types(text)


@pytest.mark.parametrize(
    "text, etype",
    [
        ("The Varnby police received a call about the Haile store on Monday.", "meeting"),
        ("Vell Corp. received an offer from Moll Ltd. in March.", "meeting"),
        ("Sales at Vell Corp. have not met our expectations for 2020.", "meeting"),
        ("Vell Corp. could not meet demand for its new radios last summer.", "meeting"),
        ("Police raided the Haile ranch in Varnby last April.", "robbery"),
        ("Vell Corp. charged about $46 million against earnings in the third quarter.", "indictment"),
        ("Local elected officials in Varnby were silent on Wednesday.", "appointment"),
        ("Holders of Vell Corp. notes have elected to convert them into shares.", "appointment"),
    ],
)
def test_an_event_word_in_another_sense_is_no_event(text: str, etype: str) -> None:
    assert etype not in event_types(text)
