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
from bisect import bisect_left
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
    title_not_starts: frozenset[str]  # words that open a sentence, not a title ("But", "Once")
    demonyms: frozenset[str]
    past_verbs: tuple[str, ...]
    past: frozenset[str]  # "former", "retired": another moment
    kin: frozenset[str]
    apposition: re.Pattern[str]
    predicate: re.Pattern[str]
    kin_before: re.Pattern[str]
    kin_clause: re.Pattern[str]
    child_of: re.Pattern[str]
    det: re.Pattern[str]
    participant: re.Pattern[str] | None  # an unnamed participant and the part it took (role_participant_slots)
    slot_of: dict[str, str]  # the words of a part (normalized) -> its slot
    generic: frozenset[str]  # nouns that give no role ("a man"): the role is in the relative clause
    participles: dict[str, str]  # "visiting" -> "visitor"
    class_words: frozenset[str]  # words of role_exclusive_classes


@lru_cache(maxsize=4)
def _grammar(lexicon: Lexicon) -> _Grammar:
    low = lambda key: frozenset(str(w).lower() for w in lexicon.get(key, []) or [])  # noqa: E731
    kin = frozenset(str(w).lower() for ws in (lexicon.get("name_kin_words", {}) or {}).values() for w in ws or [])
    single_kin = frozenset(w for w in kin if w not in low("role_kin_plural"))
    appoint = _alt(lexicon.get("role_appointment_verbs", []) or [])
    serve = _alt(lexicon.get("role_serve_verbs", []) or [])
    det = r"(?:(?:the|a|an)\s+|[A-Z][\w.&'’-]*['’]s\s+)"
    age = r"(?:\d{1,3}-year-old\s+)?"
    slots = {" ".join(str(w).lower().split()): str(slot) for slot, ws in (lexicon.get("role_participant_slots", {}) or {}).items()
             for w in ws or []}
    fw = r"(?!(?:who|which|that|and|or|but|of|in|on|at|to|by|for|from|with|the|a|an|was|were|is|are|had|has|also|then)\b)"
    participant = re.compile(
        r"\b(?:[Aa]n?|[Aa]nother|[Oo]ne)\s+(?:" + fw + r"(?:\d{1,3}-year-old|[a-z][\w-]*)\s+){0,2}?(?P<noun>" + fw + r"[a-z][\w-]*)"
        r"(?:\s*,?\s+who\s+(?:(?P<rel>[^,;:.()]{1,100}?)\s+(?:and\s+)?)?|\s+(?:(?:also|then|had|later)\s+)?)"
        r"(?P<slot>" + _alt(slots) + r")\s+(?:the|an?|his|her|their)\s+(?P<obj>[a-z][\w-]*)\b") if slots else None
    classes = frozenset(str(w).lower() for table in (lexicon.get("role_exclusive_classes", {}) or {}).values()
                        for ws in (table or {}).values() for w in ws or [])
    return _Grammar(
        heads=low("name_title_words") | low("role_occupations"),
        not_heads=low("role_not_heads"),
        honorifics=low("role_honorifics"),
        title_not_starts=low("role_title_not_starts"),
        demonyms=low("name_demonyms"),
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
        participant=participant,
        slot_of=slots,
        generic=low("role_participant_generic"),
        participles={str(k).lower(): str(v).lower() for k, v in (lexicon.get("role_participant_participles", {}) or {}).items()},
        class_words=classes,
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
        if head is not None and head in g.heads and head not in g.not_heads and head not in g.honorifics:
            return True
    return False


def _title_role(title: str, g: _Grammar) -> tuple[int, int] | None:
    """The role inside a title written before a name, as offsets into it: honorifics ("Mr.") give none,
    words before an "of" that is not part of the title ("Government of Prime Minister") are left out."""
    cut = max(title.rfind(c) for c in "\"“”,;:") + 1  # a title runs on no further back than a quote or comma
    words = [(cut + m.start(), cut + m.end(), m.group().lower().rstrip(".")) for m in re.finditer(r"[\w'’.-]+", title[cut:])]
    # "But District Attorney", "Once Colonel": a word that opens the sentence is no part of the title
    while words and (words[0][2] in g.honorifics or words[0][2] in g.title_not_starts):
        words = words[1:]
    if not words or words[-1][2] in g.honorifics:
        return None
    for i in range(len(words) - 1, 0, -1):
        if words[i][2] == "and" and (words[i - 1][2] not in g.heads or not any(x in g.heads for _, _, x in words[:i])):
            # "the Labor Department and District Judge", "Police Commissioner Tobin Vell and Mayor": what
            # comes before "and" names someone or something else; the role is after it
            words = words[i + 1 :]
            break
    for i, (_, _, w) in enumerate(words):
        if w == "of" and i > 0 and words[i - 1][2] not in g.heads:
            words = words[i + 1 :]
            break
    if not words or not any(w in g.heads for _, _, w in words):
        return None
    return words[0][0], words[-1][1]


def _before_name(text: str, end: int, stop: int, starts: list[int]) -> bool:
    """A phrase that a name (or its title) of the same sentence follows directly, with nothing between them
    but an abbreviation's period: the phrase is written before that name, it is no apposition of the name
    before it."""
    i = bisect_left(starts, end)
    return i < len(starts) and starts[i] < stop and re.fullmatch(r"\.?\s{1,3}", text[end:starts[i]]) is not None


_SPEECH_AFTER = re.compile(r"\s+(?:said|says|told|tells|added|adds|asked|testified|wrote|stated|explained|noted)\b")


def _no_person(p: NameFact, g: _Grammar) -> bool:
    """A lone word after a title that names no one: a nationality ("major African cities", "the official
    Japanese view") or an acronym of capitals ("chief PRO")."""
    words = p.text.split()
    if len(words) != 1 or (p.full or p.text) != p.text:
        return False
    w = words[0].rstrip(".")
    return w.lower() in g.demonyms or (w.replace(".", "").isupper() and len(w.replace(".", "")) <= 3)


def _title_of_other(text: str, p: NameFact, s: Sentence, g: _Grammar) -> bool:
    """A title written before a name that is not that person's: after an indefinite article ("the widow of a
    sheriff's deputy Vell murdered": the deputy is someone Vell killed), or after "the" when a surname alone
    follows and then one word that ends the clause ("the court reporter Vell murdered."). The title is in
    lowercase there, and up to two lowercase words may stand between the article and it ("a court reporter")."""
    a = p.title_span[0]
    before = text[s.start:a]
    det = re.search(r"(?:^|\W)(a|an|the)\s+(?:[a-z][\w'’-]*\s+){0,2}$", before)
    if not det or not text[a:a + 1].islower():
        return False
    if det.group(1) != "the":
        return True
    if len(p.text.split()) == 1:
        after = text[p.end:s.end]
        m = re.match(r"\s+([a-z][\w'’-]*)\s*(?:[,.;:!?)]|$)", after)
        if m and not _SPEECH_AFTER.match(after):
            return True
    return False


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
    starts = sorted({n.start for n in names} | {n.title_span[0] for n in names if n.title_span})

    def add(s: Sentence, a: int, b: int, person: str, how: str, kin: str | None = None, owner: str | None = None,
            earlier: bool = False, value: str | None = None) -> None:
        phrase = text[a:b]
        if (a, b) in seen:
            return
        seen.add((a, b))
        out.append(RoleFact(article=article.id, text=phrase, start=a, end=b, line=lines.line(a), sentence=s.text,
                            sentence_index=s.index, value=value or _value(phrase, g), person=person, how=how, kin=kin, owner=owner,
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
        if p.title and p.title_span and _no_person(p, g):
            continue
        if p.title and p.title_span and not _title_of_other(text, p, s, g):
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
            if m and _before_name(text, m.end("role"), s.end, starts) and role_head(m.group("role").split()[-1]) in g.heads:
                m = None  # "Rhea Haile, Sheriff's Deputy Sgt. Tobin Vell and ...": the next name's title
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
    if g.participant is not None:
        # a person named by the surname alone ("Vell") is often not typed a person on its own
        gens = frozenset(str(w).lower() for w in lexicon.get("name_generational_suffixes", []) or [])
        surnames: dict[str, set[str]] = {}
        for p in persons:
            words = (p.full or p.text).split()
            if len(words) >= 3 and words[-1].rstrip(".").lower() in gens:
                words = words[:-1]  # "Tomas Vell Jr."
            if len(words) >= 2:
                surnames.setdefault(words[-1], set()).add(p.full or p.text)
        # each name of a person in a sentence, as the full name the article gives that person
        # (a surname two people of the article share is None: it names no one for sure)
        named = []
        for n in names:
            key = n.full or n.text
            if key in surnames:
                named.append((n.start, next(iter(surnames[key])) if len(surnames[key]) == 1 else None))
            elif n.etype == "person":
                named.append((n.start, key))
        for s in sentences:
            _participants(s, text, g, {w for a, w in named if s.start <= a < s.end}, main, add)
    return sorted(out, key=lambda f: f.start)


_REL_PARTICIPLE = re.compile(r"(?:was|were|had\s+been|is)\s+(?P<part>[a-z]+ing)\b")


def _participants(s: Sentence, text: str, g: _Grammar, who: set[str | None], main: str | None, add) -> None:
    """An unnamed participant of an event told by the part it took ("another inmate who tried to break up the
    attack", "a man who was visiting ... and tried to stop the attack"): a role fact with kin "<slot>:<thing acted
    on>" and owner the one person the sentence names (the article's main person when it names several), so that
    the role rule compares the roles given to that participant of that person's event across outlets. The role is
    the participant's noun when it is a role word, else, for a generic noun ("a man"), the participle of its
    relative clause (role_participant_participles: "was visiting" -> visitor)."""
    if not g.participant.search(text, s.start, s.end):
        return
    if None in who:
        return
    owner = next(iter(who)) if len(who) == 1 else (main if main in who else None)
    if owner is None:
        return
    for m in g.participant.finditer(text, s.start, s.end):
        noun = m.group("noun").lower()
        slot = g.slot_of.get(" ".join(m.group("slot").lower().split()))
        if slot is None:
            continue
        kin = f"{slot}:{m.group('obj').lower()}"
        if noun in g.generic:
            rel = m.group("rel") or ""
            pm = _REL_PARTICIPLE.match(rel)
            role = g.participles.get(pm.group("part")) if pm else None
            if role is None:
                continue
            a = m.start("rel") + pm.start("part")
            add(s, a, a + len(pm.group("part")), "", "participant", kin, owner, value=role)
        elif (noun in g.heads or noun in g.class_words) and noun not in g.not_heads:
            add(s, m.start("noun"), m.end("noun"), "", "participant", kin, owner)
