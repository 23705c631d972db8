"""Number mentions of one article as NumberFacts (the grammar lives in numbers.py)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from checker.extract.numbers import find_numbers
from checker import fastre
from checker.lexicon import Lexicon
from checker.models import Article, NameFact, NumberFact, Sentence
from checker.text import LineIndex

_PRONOUN = fastre.lazy(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)
_PRONOUN_REACH = 2  # sentences back a pronoun may refer to


def number_facts(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon,
                 names: list[NameFact] | tuple[NameFact, ...] = ()) -> list[NumberFact]:
    starts = [s.start for s in sentences]
    lines = LineIndex(article.text)
    persons = sorted((n for n in names if n.etype == "person"), key=lambda n: n.start)
    actors = sorted((n for n in names if n.etype in ("person", "org")), key=lambda n: n.start)
    out = []
    for n in find_numbers(article.text, [(s.start, s.end) for s in sentences], lexicon):
        i = bisect.bisect_right(starts, n.start) - 1
        s = sentences[i]
        # a figure keyed by whom it belongs to: a person's ("person"), a candidate's or party's ("actor": the person
        # or organization named before it), a deal's (the "party" its pattern names: the company acquired)
        per_person = n.holder in ("person", "actor", "party")
        holder = None
        if n.holder == "person":
            holder = _holder(article.text, sentences, i, n.start, persons, lexicon)
        elif n.holder == "actor":
            holder = _holder(article.text, sentences, i, n.start, actors, lexicon, pronouns=False)
        elif n.holder == "party" and n.party_span is not None:
            holder = _party(names, n.party_span, article.text)
        out.append(
            NumberFact(
                article=article.id, text=n.text, start=n.start, end=n.end, line=lines.line(n.start),
                sentence=s.text, sentence_index=s.index, value=n.value, attribute=n.attribute, unit=n.unit,
                low=n.low, high=n.high, hedge=n.hedge, revised=n.revised, figure=n.figure,
                per_person=per_person, holder=holder,
            )
        )
    return out


@lru_cache(maxsize=8)
def _speaker_after(lexicon: Lexicon) -> re.Pattern[str]:
    """A name followed by a speech verb ("X said", "X, the minister, told") speaks; the figure is not his."""
    verbs = [str(v) for v in (lexicon.get("quote_speech_verbs") or [])] + [
        str(v) for v in (lexicon.get("quote_more_speech_verbs") or [])]
    alt = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) or "(?!)"
    return fastre.lazy(rf"(?:['’]s)?(?:\s*,[^,]{{1,60}},)?\s+(?:\w+ly\s+|also\s+)?(?:{alt})\b", re.IGNORECASE)


def _party(names, span: tuple[int, int], text: str) -> str | None:
    """The name the pattern's party stands in (the company acquired): the first name inside its span (a person or
    an organization; a place is no party), else (a headline, where names are not found) the name elsewhere in the
    article written as the party is or beginning with it ("Valdora" for "Valdora Graphics Inc"), else None."""
    inside = [n for n in names if n.etype != "place" and span[0] <= n.start < span[1]]
    if inside:
        first = min(inside, key=lambda n: n.start)
        return first.full or first.text
    written = " ".join(text[span[0]:span[1]].split()).rstrip(".")
    if not written:
        return None
    same = [n for n in names if n.etype != "place" and (n.text == written or (n.full or "").startswith(written + " "))]
    fulls = {n.full or n.text for n in same}
    return fulls.pop() if len(fulls) == 1 else None


def _holder(text: str, sentences: tuple[Sentence, ...], i: int, pos: int, persons: list[NameFact],
            lexicon: Lexicon, pronouns: bool = True) -> str | None:
    """The person a per-person figure belongs to: the nearest person named before it in its sentence who is
    not only its speaker ("Welk has 20 wives and Marsh two", "X said Y is married to 20 women"), else for
    a pronoun before it ("he has 20 wives") the last person named in the sentences just before."""
    s = sentences[i]
    speaks = _speaker_after(lexicon)
    before = [p for p in persons if s.start <= p.start and p.end <= pos]
    for p in reversed(before):
        if not speaks.match(text, p.end):
            return p.full or p.text
    if pronouns and _PRONOUN.search(text, s.start, pos):
        lo = sentences[max(0, i - _PRONOUN_REACH)].start
        prev = [p for p in persons if lo <= p.start < s.start]
        if prev:
            return prev[-1].full or prev[-1].text
    return None
