"""A person's age, where the text says whose it is, as number facts of attribute "age" (held by that person).

Outlets often disagree on an age ("Orla Venn, 84," against "85-year-old Orla Venn"). The number rule compares
per-person figures of one story, so a wrong guess at whose age it is would be a false alarm: an age is read
only from an apposition right after a person's name, a "N-year-old" right before it, or "died ... at N" in the
name's own clause, and never for another time ("then 31", a sentence that names another year). Word lists:
rules/lexicon/ages.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import Article, NameFact, NumberFact, Sentence
from checker.text import LineIndex

_YEAR = fastre.lazy(r"(?<![\d,.$€£-])\b(1[89]\d\d|20\d\d)\b(?!,\d|\.\d|-)")


def _alt(words: list[str]) -> str:
    words = sorted({str(w).strip() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) or "(?!)"


@dataclass(frozen=True)
class _Grammar:
    after: re.Pattern[str]  # right after the name: ", 85," / ", aged 85," / ", who was 85,"
    before: re.Pattern[str]  # right before the name: "85-year-old" (+ a few lowercase role words)
    death: re.Pattern[str]  # in the name's clause: "died ... at 85"
    past: re.Pattern[str]  # just before the age: "then", "at the time"
    lo: int
    hi: int


@lru_cache(maxsize=8)
def _grammar(lexicon: Lexicon) -> _Grammar:
    before_words = _alt(lexicon.get("age_before", []) or [])
    rel = _alt(lexicon.get("age_relative_verbs", []) or [])
    verbs = _alt(lexicon.get("age_death_verbs", []) or [])
    past = _alt(lexicon.get("age_past_markers", []) or [])
    roles = int(lexicon.get("age_role_words_max", 4) or 0)
    breaks = _alt(lexicon.get("age_role_breaks", []) or [])
    lo, hi = lexicon.get("age_min", 1), lexicon.get("age_max", 119)
    # the age ends its phrase: a comma, a bracket, a clause end, or "years old"; never "85-3", "85 Main Street"
    end = r"(?=\s*(?:[,;)]|\.(?!\d)|$)|\s+years?\s+old\b)"
    after = fastre.lazy(rf",\s+(?:(?:{before_words})\s+|who\s+(?:{rel})\s+)?(?P<n>\d{{1,3}}){end}", re.IGNORECASE)
    before = fastre.lazy(rf"(?<![\w-])(?P<n>\d{{1,3}})-year-old(?:\s+(?!(?:{breaks})\b)[a-z][\w'’-]*){{0,{roles}}}\s*$")
    death = fastre.lazy(
        rf"[^.;:!?\"“”]{{0,80}}?\b(?:{verbs})\b[^.;:!?\"“”]{{0,60}}?\b(?:at|aged)\s+(?:the\s+age\s+of\s+|age\s+)?"
        rf"(?P<n>\d{{1,3}})(?!\s*(?:%|percent|per\s+cent|[-–/]|[.,]\d|years?\s+(?:ago|later|after|before|earlier)\b|"
        rf"[ap]\.?m\b|o'clock\b|hours?\b|minutes?\b))",
        re.IGNORECASE,
    )
    return _Grammar(after, before, death, fastre.lazy(rf"\b(?:{past})[\s,]*(?:the\s+)?$", re.IGNORECASE), int(lo), int(hi))


def age_facts(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon,
              names: list[NameFact] | tuple[NameFact, ...] = ()) -> list[NumberFact]:
    persons = [n for n in names if n.etype == "person"]
    if not persons:
        return []
    g = _grammar(lexicon)
    text = article.text
    by_index = {s.index: s for s in sentences}
    starts = sorted(n.start for n in persons)
    this_year = article.published.year if article.published else None
    lines = LineIndex(text)
    out: list[NumberFact] = []
    seen: set[int] = set()
    for p in sorted(persons, key=lambda n: n.start):
        s = by_index.get(p.sentence_index)
        if s is None:
            continue
        # a sentence that names a year other than the article's own tells of another time ("In 1990, X, 31, ...")
        if any(int(y) != this_year for y in _YEAR.findall(s.text)):
            continue
        hits = []
        m = g.after.match(text, p.end, s.end)
        if m:
            hits.append((m.start("n"), m.end("n")))
        m = g.before.search(text, s.start, p.start)
        if m:
            hits.append((m.start("n"), m.end("n")))
        m = g.death.match(text, p.end, s.end)
        # the verb is this person's: no other person is named between them
        if m and not any(p.end < x < m.start("n") for x in starts):
            hits.append((m.start("n"), m.end("n")))
        for a, b in hits:
            value = int(text[a:b])
            if a in seen or not g.lo <= value <= g.hi or g.past.search(text[max(s.start, a - 24):a]):
                continue
            seen.add(a)
            out.append(NumberFact(
                article=article.id, text=text[a:b], start=a, end=b, line=lines.line(a), sentence=s.text,
                sentence_index=s.index, value=float(value), attribute="age", unit="years", low=float(value),
                high=float(value), hedge="exact", figure=text[a:b], per_person=True, holder=p.full or p.text,
            ))
    return sorted(out, key=lambda n: n.start)
