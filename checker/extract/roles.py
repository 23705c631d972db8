"""A person's role or occupation as role facts, where the text says whose it is.

Read from what names.py finds around a person's name (a title before it, an apposition after it) and
from a few more forms: an occupation apposition (", a 45-year-old baker,"), a predicate right after the
name ("was named head coach", "served as treasurer", "worked as a guard", "is a nurse") and a relative
(", who was a pilot,"). The phrase's head word (the word before "of", else the last word) must be a
title word (name_title_words) or an occupation (role_occupations).

Kin: "his father, Tomas Vell, a baker" or "His father was a baker" names the father of someone; when
the possessive's owner is safe to tell (the nearest person named before it, in that sentence or the
one before, who is also the person the article names most), the fact carries kin="father" and
owner=<that person>, so that the role rule compares "the father of X" across outlets. Word lists:
rules/lexicon/roles.yml.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import Article, NameFact, RoleFact, Sentence
from checker.text import LineIndex

_WORD = fastre.lazy(r"[\w'’-]+")
# a role phrase: no clause punctuation, up to 80 characters
_PHRASE = r"(?P<role>(?:[^,;:.()“”\"!?]|\.(?=[A-Za-z])|(?<=\b[A-Z])\.(?=\s))+?)"
_END = r"(?=\s*(?:[,;:()!?“”\"]|(?<!\b[A-Z])\.(?![A-Za-z])|$)|\s+(?:who|which|that|when|since|until|after|before|because|and\s+(?:is|was|has|had|now|then|[a-z]+ed)\b|said|says|told|on|at|in\s+(?:19|20)\d\d)\b)"


def _alt(words) -> str:
    words = sorted({str(w).strip() for w in words if str(w).strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) or "(?!)"


@dataclass(frozen=True)
class _Grammar:
    heads: frozenset[str]  # title words and occupations: a role phrase's head must be one
    not_heads: frozenset[str]
    honorifics: frozenset[str]
    past_verbs: tuple[str, ...]
    past: frozenset[str]  # "former", "retired": another moment
    kin: frozenset[str]
    apposition: re.Pattern[str]
    predicate: re.Pattern[str]
    kin_before: re.Pattern[str]
    kin_clause: re.Pattern[str]
    child_of: re.Pattern[str]
    det: re.Pattern[str]


@lru_cache(maxsize=4)
def _grammar(lexicon: Lexicon) -> _Grammar:
    low = lambda key: frozenset(str(w).lower() for w in lexicon.get(key, []) or [])  # noqa: E731
    kin = frozenset(str(w).lower() for ws in (lexicon.get("name_kin_words", {}) or {}).values() for w in ws or [])
    single_kin = frozenset(w for w in kin if w not in low("role_kin_plural"))
    appoint = _alt(lexicon.get("role_appointment_verbs", []) or [])
    serve = _alt(lexicon.get("role_serve_verbs", []) or [])
    det = r"(?:(?:the|a|an)\s+|[A-Z][\w.&'’-]*['’]s\s+)"
    age = r"(?:\d{1,3}-year-old\s+)?"
    return _Grammar(
        heads=low("name_title_words") | low("role_occupations"),
        not_heads=low("role_not_heads"),
        honorifics=low("role_honorifics"),
        past_verbs=tuple(f" {w} " for w in sorted(low("role_past_verbs"))),
        past=low("role_past_words"),
        kin=single_kin,
        apposition=fastre.lazy(r",\s+(?:who\s+(?:is|was|has\s+been|had\s+been)\s+)?" + det + age + _PHRASE + _END),
        predicate=fastre.lazy(
            r"\s+(?:(?:has\s+been|had\s+been|was|is|were|will\s+be)\s+(?:(?:" + appoint + r")\s+(?:as\s+)?(?:the\s+|a\s+|an\s+)?"
            r"|(?:a|an)\s+" + age + r")|(?:" + serve + r")\s+as\s+(?:the\s+|a\s+|an\s+)?)" + _PHRASE + _END),
        kin_before=fastre.lazy(r"\b(?P<pron>his|her)\s+(?:late\s+)?(?P<kin>%s),?\s*$" % _alt(single_kin), re.IGNORECASE),
        kin_clause=fastre.lazy(
            r"\b(?P<pron>his|her)\s+(?P<kin>%s)\s+(?:was|is|had\s+been|worked\s+as|works\s+as)\s+(?:an?\s+)?" % _alt(single_kin)
            + age + _PHRASE + _END, re.IGNORECASE),
        child_of=fastre.lazy(r"\b(?P<pron>he|she)\s+(?:was|is)\s+(?:the\s+|an?\s+|one\s+of\s+(?:\w+\s+)?)(?:sons?|daughters?|child|children)\s+of\s+$",
                            re.IGNORECASE),
        det=fastre.lazy(r"(?:(?:the|a|an)\s+)?(?:\d{1,3}-year-old\s+)?", re.IGNORECASE),
    )


def role_head(phrase: str) -> str | None:
    """The head word of a role phrase: the word before "of", else the last word, lowercased."""
    core = re.split(r"\s+(?:of|for|with|in|at|from|to)\s+", phrase, maxsplit=1)[0]
    words = _WORD.findall(core)
    return words[-1].lower().strip("'’") if words else None


def _ok(phrase: str, g: _Grammar) -> bool:
    """A role phrase: one of its conjuncts ("president and chief executive") ends in a title word or an
    occupation, and it is short."""
    if len(_WORD.findall(phrase)) > 14:
        return False
    for part in re.split(r"\s+and\s+", phrase):
        head = role_head(part)
        if head is not None and head in g.heads and head not in g.not_heads:
            return True
    return False


def _title_role(title: str, g: _Grammar) -> tuple[int, int] | None:
    """The role inside a title written before a name, as offsets into it: honorifics ("Mr.") give none,
    words before an "of" that is not part of the title ("Government of Prime Minister") are left out."""
    cut = max(title.rfind(c) for c in "\"“”,;:") + 1  # a title runs on no further back than a quote or comma
    words = [(cut + m.start(), cut + m.end(), m.group().lower().rstrip(".")) for m in re.finditer(r"[\w'’.-]+", title[cut:])]
    while words and words[0][2] in g.honorifics:
        words = words[1:]
    if not words or words[-1][2] in g.honorifics:
        return None
    for i, (_, _, w) in enumerate(words):
        if w == "and" and not any(x in g.heads for _, _, x in words[:i]):
            words = words[i + 1 :]  # "the Labor Department and District Judge": the role is after "and"
            break
    for i, (_, _, w) in enumerate(words):
        if w == "of" and i > 0 and words[i - 1][2] not in g.heads:
            words = words[i + 1 :]
            break
    if not words or not any(w in g.heads for _, _, w in words):
        return None
    return words[0][0], words[-1][1]


def _value(phrase: str, g: _Grammar) -> str:
    phrase = phrase.strip()
    return " ".join(phrase[g.det.match(phrase).end():].lower().split())


def _owner(pos: int, persons: list[NameFact], sentences: dict[int, Sentence], s: Sentence, main: str | None) -> str | None:
    """Whose kin: the nearest person named before `pos` in this sentence or the one before, when that
    person is also the one the article names most."""
    prev = sentences.get(s.index - 1)
    lo = prev.start if prev else s.start
    before = [p for p in persons if lo <= p.start < pos]
    if not before or main is None:
        return None
    near = (before[-1].full or before[-1].text)
    return near if near == main else None


def role_facts(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon,
               names: list[NameFact] | tuple[NameFact, ...] = ()) -> list[RoleFact]:
    g = _grammar(lexicon)
    text = article.text
    persons = sorted((n for n in names if n.etype == "person"), key=lambda n: n.start)
    by_index = {s.index: s for s in sentences}
    lines = LineIndex(text)
    counts = Counter(p.full or p.text for p in persons if len((p.full or p.text).split()) >= 2)
    ranked = counts.most_common(2)
    main = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
    out: list[RoleFact] = []
    seen: set[tuple[int, int]] = set()

    def add(s: Sentence, a: int, b: int, person: str, how: str, kin: str | None = None, owner: str | None = None,
            earlier: bool = False) -> None:
        phrase = text[a:b]
        if (a, b) in seen:
            return
        seen.add((a, b))
        out.append(RoleFact(article=article.id, text=phrase, start=a, end=b, line=lines.line(a), sentence=s.text,
                            sentence_index=s.index, value=_value(phrase, g), person=person, how=how, kin=kin, owner=owner,
                            past=earlier or any(w.lower() in g.past for w in _WORD.findall(phrase))))

    for p in persons:
        s = by_index.get(p.sentence_index)
        if s is None:
            continue
        who = p.full or p.text
        kin = owner = None
        km = g.kin_before.search(text, s.start, p.start)
        if km:
            kin, owner = km.group("kin").lower(), _owner(km.start(), persons, by_index, s, main)
            if owner is None or owner == who:
                kin = owner = None
        if p.title and p.title_span:
            span = _title_role(p.title, g)
            if span:
                add(s, p.title_span[0] + span[0], p.title_span[0] + span[1], who, "title", kin, owner)
        after = p.end  # where a predicate may start: right after the name, or after its apposition
        if p.apposition and p.apposition_span:
            a, b = p.apposition_span
            # names.py stops at a period: run on over an abbreviation ("the U.N.")
            more = re.match(r"\.(?:[A-Z]\.)+(?:[^,;:.()“”\"!?]|\.(?=[A-Za-z]))*", text[b:s.end]) if text[b - 1:b].isupper() else None
            if more:
                b += more.end()
            lead = g.det.match(text, a)
            if _ok(text[a:b], g):
                add(s, lead.end() if lead else a, b, who, "apposition", kin, owner)
                after = b
        else:
            m = g.apposition.match(text, p.end, s.end)
            if m:
                if _ok(m.group("role"), g):
                    if kin is None:
                        cm = g.child_of.search(text, s.start, p.start)
                        # "He was one of five sons of Tomas Vell, a baker, and Ida Vell, a weaver": the first
                        # parent named in a pair is the father, the second the mother; one parent stays unknown.
                        if cm and re.match(r",\s*and\s+[A-Z]", text[m.end("role"):s.end]):
                            o = _owner(cm.start(), persons, by_index, s, main)
                            if o and o != who:
                                kin, owner = "father", o
                    add(s, m.start("role"), m.end("role"), who, "apposition", kin, owner)
                after = m.end("role")
        comma = re.match(r"\s*,", text[after:s.end]) if after != p.end else None
        if after == p.end or comma:
            m = g.predicate.match(text, after + (comma.end() if comma else 0), s.end)
            if m and _ok(m.group("role"), g):
                lead = " " + " ".join(text[after:m.start("role")].lower().split()) + " "
                add(s, m.start("role"), m.end("role"), who, "predicate", kin, owner,
                    earlier=any(v in lead for v in g.past_verbs))
    # "His father was a baker": a kin person not named
    for s in sentences:
        for km in g.kin_clause.finditer(text, s.start, s.end):
            if not _ok(km.group("role"), g):
                continue
            owner = _owner(km.start(), persons, by_index, s, main)
            if owner:
                add(s, km.start("role"), km.end("role"), "", "kin", km.group("kin").lower(), owner)
    return sorted(out, key=lambda f: f.start)
