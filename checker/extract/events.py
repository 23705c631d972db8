"""Events (meetings, visits) with their participants, counterpart, place and governing date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import DateFact, EventFact, NameFact, Sentence


@lru_cache(maxsize=16)
def _phrase_groups(lexicon: Lexicon, key: str) -> list[tuple[str, re.Pattern[str]]]:
    """A lexicon mapping of label -> phrases as one word-bounded, case-insensitive pattern per label
    (longest phrase first; a space matches any run of spaces)."""
    out = []
    for label, words in (lexicon.get(key) or {}).items():
        alts = fastre.longest_first(words, fold=True)
        out.append((label, fastre.lazy(r"\b(?:" + alts + r")\b", re.IGNORECASE)))
    return out


def _triggers(lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    return _phrase_groups(lexicon, "event_triggers")


_WORDS = fastre.lazy(r"\w+")


@lru_cache(maxsize=16)
def _key_words(lexicon: Lexicon, key: str) -> dict[str, frozenset[str] | None]:
    """Per label, one word of each of its phrases (lowercase): the longest of its words of ASCII
    letters (a match of the phrase holds each of its words as a whole word, and a long one is seldom
    in a sentence the phrase is not: "killed" of "was killed", not "was"); None when a phrase has no
    such word, where lowercasing and the pattern's case folding might not agree."""
    out: dict[str, frozenset[str] | None] = {}
    for label, words in (lexicon.get(key) or {}).items():
        keys: set[str] | None = set()
        for w in words:
            plain = [t for t in _WORDS.findall(str(w)) if t.isascii() and t.isalpha()]
            if not plain:
                keys = None
                break
            keys.add(max(plain, key=len).lower())
        out[label] = frozenset(keys) if keys is not None else None
    return out


@lru_cache(maxsize=16)
def _trigger_index(lexicon: Lexicon) -> tuple[list[tuple[str, re.Pattern[str]]], frozenset[int], dict[str, tuple[int, ...]]]:
    """The trigger patterns, the positions of those that must always run, and per key word (lowercase,
    see _key_words) the positions of the types a phrase of which holds it."""
    triggers = _triggers(lexicon)
    firsts = _key_words(lexicon, "event_triggers")
    always = frozenset(i for i, (etype, _) in enumerate(triggers) if firsts.get(etype) is None)
    index: dict[str, list[int]] = {}
    for i, (etype, _) in enumerate(triggers):
        for w in firsts.get(etype) or ():
            index.setdefault(w, []).append(i)
    return triggers, always, {w: tuple(v) for w, v in index.items()}


@lru_cache(maxsize=4)
def _uncased_triggers(lexicon: Lexicon) -> fastre.UncasedForms:
    """Each trigger pattern's uncased form (fastre.uncased, `get(pattern)`), for text lowercased as by_words
    allows; worked out when first asked for."""
    return fastre.UncasedForms({pat: pat for _, pat in _triggers(lexicon)})


def _order_cues(lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    return _phrase_groups(lexicon, "event_order_cues")


@lru_cache(maxsize=4)
def _type_settings(lexicon: Lexicon) -> tuple:
    """The event types' settings of a lexicon, read once (not per article)."""
    return (
        frozenset(lexicon.get("event_thing_keyed", []) or []),
        frozenset(lexicon.get("event_step_types", []) or []),
        frozenset(lexicon.get("event_reflexive_types", []) or []),
        {str(k): frozenset(v or []) for k, v in (lexicon.get("event_of_event", {}) or {}).items()},
        frozenset(lexicon.get("event_strict_types", []) or []),
        frozenset(lexicon.get("event_subject_types", []) or []),
        frozenset(lexicon.get("event_name_keyed", []) or []),
        frozenset(lexicon.get("event_subject_only", []) or []),
        frozenset(lexicon.get("event_place_near_types", []) or []),
        int(lexicon.get("event_place_gap_words", 8) or 8),
        frozenset(lexicon.get("event_place_keyed", []) or []),
    )


def _possessive_after(text: str, name: NameFact) -> bool:
    return text[name.end : name.end + 2] in ("'s", "’s") or text[name.end : name.end + 1] in ("'", "’")


def extract_events(
    text: str,
    sentences: tuple[Sentence, ...],
    names: list[NameFact],
    dates: list[DateFact],
    lexicon: Lexicon,
    article: str = "",
    published: dt.date | None = None,
) -> list[EventFact]:
    """Event mentions sentence by sentence; one per (sentence, type, counterpart). `published`: the
    article's publication date (a date after it is a plan's, never a reported event's)."""
    by_sentence: dict[int, list[NameFact]] = {}
    for n in names:
        by_sentence.setdefault(n.sentence_index, []).append(n)
    dates_by_sentence: dict[int, list[DateFact]] = {}
    for d in dates:
        dates_by_sentence.setdefault(d.sentence_index, []).append(d)
    events: list[EventFact] = []
    # Most trigger types occur nowhere in an article: a type none of whose phrases' key words is a
    # word of the text is ruled out for every sentence without running its pattern.
    low = text.lower()
    # The same test sentence by sentence, on the words of the sentence: a match holds each word of its
    # phrase, its key word among them, as a whole word of the sentence. Exact only
    # where lowercasing keeps every offset and no character other than an ASCII letter's own cases
    # matches an ASCII letter without case (the dotless i and the long s do; the Kelvin sign
    # lowercases to k).
    by_words = len(low) == len(text) and "\u0131" not in text and "\u017f" not in text
    if not by_words:
        present = set(_WORDS.findall(low))
        firsts = _key_words(lexicon, "event_triggers")
        triggers = [(etype, pat) for etype, pat in _triggers(lexicon) if firsts.get(etype) is None or not firsts[etype].isdisjoint(present)]
    counts = Counter(n.full for n in names if n.etype == "person")
    (thing_keyed, step_types, reflexive_types, of_event, strict_types, subject_types, name_keyed, subject_only,
     near_place_types, place_gap, place_keyed) = _type_settings(lexicon)
    guards = _guard_patterns(lexicon)
    undated_values = _phrase_set(lexicon, "event_undated_values") | _upper_set(lexicon, "event_undated_values")
    case_steps = _case_step_types(lexicon)
    all_triggers, always, index = _trigger_index(lexicon)
    uncased = _uncased_triggers(lexicon)  # the trigger patterns for the lowercased text (when by_words)
    for s in sentences:
        if by_words:
            hit = set(always)
            for w in index.keys() & _WORDS.findall(low, s.start, s.end):
                hit.update(index[w])
            s_triggers = [all_triggers[i] for i in sorted(hit)]
        else:
            s_triggers = triggers
        if not s_triggers:
            continue  # no trigger can match: nothing below would find an event
        s_names = by_sentence.get(s.index, [])
        # "now", "recently", "in the past" place no event in time
        s_dates = [d for d in dates_by_sentence.get(s.index, []) if d.timex_type in ("DATE", "TIME") and d.value not in undated_values]
        seen: set[tuple[str, str]] = set()
        # The longest trigger wins where two overlap ("shot dead" is a killing, not also a shooting).
        found = [(etype, m) for etype, pat in s_triggers
                 for m in fastre.finditer(pat, uncased.get(pat) if by_words else None, text, low, s.start, s.end)]
        if guards:
            found = [(etype, m) for etype, m in found if _guarded(text, s, etype, m, guards)]
        kept: list[tuple[str, re.Match[str]]] = []
        for etype, m in sorted(found, key=lambda em: (-(em[1].end() - em[1].start()), em[1].start())):
            if not any(m.start() < k.end() and k.start() < m.end() for _, k in kept):
                kept.append((etype, m))
        kept = sorted(kept, key=lambda em: em[1].start())
        kept = [(etype, m) for etype, m in kept if not any(n.start <= m.start() < n.end for n in s_names)]  # "Meeting Point Ltd"
        cues = []
        for etype, m in kept:
            persons = [n for n in s_names if n.etype == "person" and not _possessive_after(text, n)]
            after = [n for n in persons if n.start >= m.end()]
            before = [n for n in persons if n.end <= m.start()]
            others = [n for n in s_names if n.etype != "person" and n.start >= m.end()]
            close = [n for n in after if _close_after(text, m.end(), n)]
            thing = None
            if etype in near_place_types:
                counterpart = None  # where it happened is what it is about ("a fire in X")
            elif etype in strict_types:
                counterpart = _strict_counterpart(text, s, m, s_names, names, counts, lexicon,
                                                  etype in subject_types, etype in name_keyed, etype in subject_only)
                if etype in thing_keyed and counterpart is None:
                    thing = _thing(text, m.end(), s.end, lexicon)
            elif etype in ("meeting", "visit"):
                # "X hosted", "met with X": the counterpart is named after the trigger, else before it.
                counterpart = close[0] if close else (before[0] if before else (after[0] if after else None))
            else:
                # What happened to whom: "killed X", "the arrest of X", or passive "X, 15, was killed";
                # "X was killed by Y": Y did it.
                close = [n for n in close if not _agent(text, m.end(), n)]
                passive = [n for n in before if _passive_before(text, n.end, m.start(), lexicon)]
                counterpart = close[0] if close else (passive[-1] if passive else None)
                if counterpart is None:
                    counterpart = _passive_subject(text, s, m.start(), before, names, counts, lexicon)
                if counterpart is None and etype in reflexive_types:
                    counterpart = _reflexive_subject(text, s, m.start(), before, names, counts, lexicon)
                if counterpart is None and etype in step_types:
                    counterpart = _step_subject(text, s, m, after, names, counts, lexicon)
                if etype in thing_keyed:
                    thing = _thing(text, m.end(), s.end, lexicon)
            if etype in near_place_types:
                # where the trigger's own clause says it happened ("a fire broke out at a warehouse in X")
                place = next((n.full for n in s_names if n.etype == "place" and n.start >= m.end()
                              and _clause_gap(text[m.end():n.start], place_gap) and _place_after_preposition(text, s, n, lexicon)), None)
                if place is None:
                    # "X's parliamentary election", "X’s worst fire"
                    place = next((n.full for n in reversed(s_names) if n.etype == "place" and n.end <= m.start()
                                  and re.fullmatch(r"['’]s\s+(?:[^\W\d_][\w-]*\s+){0,2}", text[n.end:m.start()])), None)
            else:
                place = next((n.full for n in s_names if n.etype == "place" and n.start >= m.start()), None)
            if etype == "visit" and counterpart is None and place is None and others:
                place = others[0].full
            cues.append((etype, m, persons, counterpart, place, thing))
        cues = _inherit_counterparts(text, cues, of_event, lexicon)
        # The kinds of news beyond crime take dates from all triggers; the others only from each other, as
        # if those were not there (a "death" next to "killed" never takes the killing's date from it).
        def foreign(d: DateFact, t: re.Match[str], s: Sentence = s) -> bool:
            return _foreign_date(text, s, d, t, lexicon, False)
        news_owned = _date_owners(text, s_dates, [m for _, m, *_ in cues], _connective_words(lexicon), foreign)
        classic = [k for k, c in enumerate(cues) if c[0] not in strict_types and c[0] not in near_place_types]
        if len(classic) == len(cues):
            classic_owned = news_owned
        else:
            classic_owned = [(d, classic[o]) for d, o in _date_owners(text, s_dates, [cues[k][1] for k in classic], _connective_words(lexicon), foreign)]
        for k, (etype, m, persons, counterpart, place, thing) in enumerate(cues):
            key = counterpart.full if counterpart else (place or (("thing:" + thing) if thing else ""))
            if etype in strict_types:
                key = counterpart.full if counterpart else (("thing:" + thing) if thing else "")
            if (etype in strict_types or etype in near_place_types) and _hypothetical(text, s, m, lexicon):
                continue  # "would object if he were fired", "attempts to take over X", "plans to buy X"
            if not key and (etype in strict_types or etype in near_place_types):
                continue  # a kind of news told of no one and nowhere in particular ("a fire", "acquired a stake")
            if key and (etype, key) in seen:
                continue  # one mention per (sentence, type, whom); unnamed ones each stay ("charged ... after being held")
            seen.add((etype, key))
            owned = news_owned if etype in strict_types or etype in near_place_types else classic_owned
            owner = {id(d): cues[o][1] for d, o in owned}
            mine = [d for d, o in owned if o == k]
            if not mine:
                # "held talks with X at a meeting on Monday": a trigger with no date of its own takes the
                # date of another trigger of its type about the same one (never another person's).
                mine = [d for d, o in owned if cues[o][0] == etype and o != k and _same_about(cues[o][3], counterpart)]
            if _PLUPERFECT_PASSIVE.search(text, max(s.start, m.start() - 40), m.start()):
                # "the day the autopsy showed he had been shot": an earlier time than the sentence's;
                # only a date after it ("had been shot on Saturday") is its own.
                mine = [d for d in mine if d.start >= m.end()]
            if not mine and (etype in strict_types or etype in near_place_types):
                # "an airstrike in X killed 12 fighters on Monday", "an explosion ... on Monday, killing
                # three": a date of a later trigger about no one in particular is the news event's of its clause
                mine = [d for d, o in owned if o != k and cues[o][1].start() > m.end() and not _keyed(cues[o], place_keyed)]
            if etype in strict_types or etype in near_place_types:
                # a kind of news dated only in its own clause: "died within weeks of his capture on March
                # 26", "died a day after the crash on Monday" give the other event's date
                mine = [d for d in mine if _own_clause_date(text, d, m, lexicon)]
            else:
                # a meeting, a visit, an arrest...: a date of the clause of the trigger that owns it (a date
                # taken from another mention of the type is checked against that one), not another verb's
                # ("On Monday Y prevented X from leaving to visit Z", "police said Wednesday")
                mine = [d for d in mine if _own_clause_date_classic(text, d, owner.get(id(d), m), lexicon)]
            # a date that goes with another word of the sentence: a speech or report verb, a verb in -ed that
            # is no trigger, the act a charge is about, the verb whose object an event noun is, the main
            # clause of a relative clause the trigger is in
            mine = [d for d in mine if not _foreign_date(text, s, d, owner.get(id(d), m), lexicon, etype in case_steps)]
            if published is not None:
                mine = [d for d in mine if not _after_published(d, published)]  # "meet Monday", "next week's talks": a plan
            if mine and etype not in strict_types and etype not in near_place_types and _planned(text, s, m, lexicon):
                # "will visit X on Monday", "plans to meet X on Friday": the day of a plan, not of a meeting
                mine = []
            date = _governing_date(text, mine, m)
            order = None
            order_text = None
            window_start = max(s.start, m.start() - 25)
            for o, opat in _order_cues(lexicon):
                om = opat.search(text, window_start, m.end() + 10)
                if om:
                    order, order_text = o, om.group()
                    break
            events.append(
                EventFact(
                    article=article,
                    text=m.group(),
                    start=m.start(),
                    end=m.end(),
                    line=s.line + text.count("\n", s.start, m.start()),
                    sentence=s.text,
                    sentence_index=s.index,
                    value=etype,
                    trigger=m.group().lower(),
                    participants=tuple(dict.fromkeys(n.full for n in persons)),
                    hosts=(counterpart.full,) if counterpart else (),
                    place=place,
                    thing=thing,
                    date=date.value if date and date.resolved else None,
                    date_text=date.text if date else None,
                    date_span=(date.start, date.end) if date else None,
                    date_line=date.line if date else None,
                    order=order,  # type: ignore[arg-type]
                    order_text=order_text,
                )
            )
    return events


@lru_cache(maxsize=4)
def _guard_patterns(lexicon: Lexicon) -> dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]:
    """Per trigger phrase (lowercase, single spaces), the contexts it counts in (event_trigger_guards):
    a pattern that must match right after it, one that must end right before it."""
    out = {}
    for phrase, g in (lexicon.get("event_trigger_guards", {}) or {}).items():
        g = g or {}
        after = fastre.lazy(str(g["after"]), re.IGNORECASE) if g.get("after") else None
        before = fastre.lazy(r"(?:" + str(g["before"]) + r")\Z", re.IGNORECASE) if g.get("before") else None
        out[" ".join(str(phrase).lower().split())] = (after, before)
    return out


def _guarded(text: str, s: Sentence, etype: str, m: re.Match[str], guards: dict) -> bool:
    """A trigger in a context its guard allows (or one without a guard): every pattern given holds. A
    guard keyed "type/phrase" is that type's only (a phrase two types share)."""
    phrase = " ".join(m.group().lower().split())
    g = guards.get(etype + "/" + phrase, guards.get(phrase))
    if g is None:
        return True
    after, before = g
    if after is not None and not after.match(text, m.end(), s.end):
        return False
    return before is None or before.search(text, max(s.start, m.start() - 80), m.start()) is not None


_SUBJECT_GAP = fastre.lazy(r"(?:\s*,\s*[^,;:()\"“”]{1,60}?,)?\s+(?:(?:has|had|have|also|reportedly|apparently|then|later|finally|"
                          r"officially|formally|eventually|\w+ly)\s+){0,2}", re.IGNORECASE)
_PRONOUN_SUBJECT = fastre.lazy(r"\b(?:he|she)\s+(?:(?:has|had|have|also|reportedly|apparently|then|later|finally|\w+ly)\s+){0,2}$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _phrase_set(lexicon: Lexicon, key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon.get(key, []) or [])


@lru_cache(maxsize=16)
def _words_before_pattern(lexicon: Lexicon, key: str, tail: str) -> re.Pattern[str]:
    """r"\b(?:w1|w2|...)" + tail of a lexicon list (in its order), case-insensitive, compiled once."""
    words = "|".join(re.escape(str(w)) for w in lexicon.get(key, []) or []) or "(?!)"
    return fastre.lazy(r"\b(?:" + words + r")" + tail, re.IGNORECASE)


@lru_cache(maxsize=4)
def _modifier_heads(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon.get("event_name_modifier_heads", []) or [])


@lru_cache(maxsize=4)
def _strict_breaks(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon.get("event_object_breaks", []) or [])


def _strict_counterpart(text: str, s: Sentence, m: re.Match[str], s_names: list[NameFact], names: list[NameFact],
                        counts: Counter, lexicon: Lexicon, subject: bool, any_name: bool, subject_only: bool = False) -> NameFact | None:
    """Whom (or, `any_name`, what company or product) an event of a strict type is about, only where a
    name stands right next to its trigger: its object a few plain words after it ("fired head coach X",
    "the death of X", "acquired rival X", never "fired at X", "signed a deal with X"), a passive's subject
    ("X was fired", "he was fired"), "X's death", and for a type told of its subject (`subject`) the name
    right before it ("X, 84, died", "X signed with"; not "the mother of X died") or a pronoun there; a
    `subject_only` type has an object only after "of" ("the death of X", never "died ... X"). A name that
    modifies a noun ("X shares", "a X-based firm", event_name_modifier_heads) is not what it is about."""
    heads = _modifier_heads(lexicon)
    breaks = _strict_breaks(lexicon)
    followers = _phrase_set(lexicon, "event_name_followers")

    legal = _phrase_set(lexicon, "name_org_legal_suffixes")

    def fits(n: NameFact) -> bool:
        if (n.etype == "place") if any_name else n.etype != "person":
            return False
        if n.full.lower().rstrip(".") in legal:
            return False  # "Inc" alone: a name cut short
        nxt = re.match(r"(-|(?:\s+[A-Z][\w.]*)+-)|(?:\s*,\s*[A-Z][\w.]*\s*,)?\s+([a-z][\w-]*)", text[n.end:n.end + 40])
        if nxt and nxt.group(1):
            return False  # "X-based", "New X-based"
        if any_name:
            # a company or product is what a deal is about only where its name ends the noun phrase
            return not (nxt and nxt.group(2) and nxt.group(2) not in breaks and nxt.group(2) not in followers)
        return not (nxt and nxt.group(2) in heads)
    cands = [n for n in s_names if fits(n) and not _possessive_after(text, n)]
    limit = int(lexicon.get("event_strict_gap_words", 3) or 3)
    after = [n for n in cands if n.start >= m.end()]
    if after and (not subject_only or m.group().lower().endswith(" of")):
        n = after[0]
        start = n.title_span[0] if n.title_span and n.title_span[0] >= m.end() else n.start
        gap = text[m.end():start]
        words = gap.split()
        if len(words) <= limit and not any(c in gap for c in ",;:()\"“”.!?") and not any(w.lower() in breaks for w in words) \
                and not _agent(text, m.end(), n):
            return n
    before = [n for n in cands if n.end <= m.start()]
    # "X was fired", not "the shot that killed X was fired" (a name after a verb or a preposition is its object)
    passive = [n for n in before if _passive_before(text, n.end, m.start(), lexicon) and not _object_of_word(text, s, n, breaks)]
    if passive:
        return passive[-1]
    poss = [n for n in s_names if not any_name and fits(n) and n.end <= m.start() and _possessive_after(text, n)
            and re.fullmatch(r"['’]s?\s+(?:[^\W\d_][\w-]*\s+)?", text[n.end:m.start()])]
    if poss:
        return poss[-1]
    if subject:
        if before:
            n = before[-1]
            start = n.title_span[0] if n.title_span and n.title_span[0] < n.start else n.start
            prev = re.search(r"(\w+)\W*$", text[max(s.start, start - 20):start])
            if _SUBJECT_GAP.fullmatch(text[n.end:m.start()]) and not (prev and prev.group(1).lower() in breaks):
                return n
        if _PRONOUN_SUBJECT.search(text, max(s.start, m.start() - 40), m.start()):
            return before[-1] if before and _clause_gap(text[before[-1].end:m.start()], 12) else _salient_before(s, names, counts)
    if any_name:
        return None
    return _passive_subject(text, s, m.start(), before, names, counts, lexicon)


def _keyed(cue: tuple, place_keyed: frozenset[str]) -> bool:
    """A trigger about someone or something in particular: a person, a thing, a place of a place-keyed type."""
    etype, _, _, counterpart, place, thing = cue
    return counterpart is not None or bool(thing) or (bool(place) and etype in place_keyed)


def _object_of_word(text: str, s: Sentence, n: NameFact, breaks: frozenset[str]) -> bool:
    """The name is the object of the word before it: a verb in -ed or a preposition ("killed X", "of X")."""
    start = n.title_span[0] if n.title_span and n.title_span[0] < n.start else n.start
    prev = re.search(r"([^\W\d_]+)[^\w,;:]*$", text[max(s.start, start - 25):start])
    return bool(prev) and prev.group(1).islower() and (prev.group(1).endswith("ed") or prev.group(1) in breaks)


def _place_after_preposition(text: str, s: Sentence, n: NameFact, lexicon: Lexicon) -> bool:
    """A place told as where something happened: after a place preposition, at most one word between
    ("in X", "in northern X"), and not modifying a noun ("X embassies")."""
    preps = _phrase_set(lexicon, "event_place_prepositions")
    start = n.title_span[0] if n.title_span and n.title_span[0] < n.start else n.start
    words = re.findall(r"[\w'’-]+", text[max(s.start, start - 30):start].lower())[-2:]
    if not words or not (words[-1] in preps or (len(words) == 2 and words[0] in preps)):
        return False
    nxt = re.match(r"\s+([a-z][\w-]*)", text[n.end:n.end + 30])
    return not (nxt and nxt.group(1) in _modifier_heads(lexicon))


def _planned(text: str, s: Sentence, m: re.Match[str], lexicon: Lexicon) -> bool:
    """A trigger told as planned, expected or called off, not as what happened: a modal among the five
    words before it in its clause ("will visit", "would meet"; event_future_modals), a word of intent
    right before it or before "to" and at most two words ("the planned visit", "plans to visit", "is
    expected to hold talks with"; event_future_intents, not "planned the murder"), or a word that calls
    it off before at most a determiner ("postponed his visit"; event_called_off_cues)."""
    head = text[max(s.start, m.start() - 60):m.start()]
    head = re.split(r"[,;:()]", head)[-1]
    raw = re.findall(r"[A-Za-z'’]+", head)
    words = [w.lower() for w in raw]
    modals = _phrase_set(lexicon, "event_future_modals")
    # lowercase only ("In May he met X": the month); "he'll"
    if any(w in modals or (w[-3:] in ("'ll", "’ll") and "'ll" in modals) for w in raw[-5:] if w.islower()):
        return True
    intents = _phrase_set(lexicon, "event_future_intents")
    for k, w in enumerate(words[-5:]):
        rest = words[-5:][k + 1:]
        if w in intents and (not rest or all(x.endswith("ly") for x in rest) or (rest[0] == "to" and len(rest) <= 3)):
            return True
    off = _phrase_set(lexicon, "event_called_off_cues")
    dets = _phrase_set(lexicon, "event_step_determiners") | {"their", "its"}
    return bool(words) and (words[-1] in off or (len(words) > 1 and words[-2] in off and words[-1] in dets))


def _hypothetical(text: str, s: Sentence, m: re.Match[str], lexicon: Lexicon) -> bool:
    """A trigger told as what may, might or was meant to happen, not what did: one of
    event_hypothetical_cues among the few words before it in its clause ("if he were fired",
    "attempts to take over", "plans to buy")."""
    head = text[max(s.start, m.start() - 40):m.start()]
    head = re.split(r"[,;:()]", head)[-1]
    cues = _phrase_set(lexicon, "event_hypothetical_cues")
    return bool(cues & set(re.findall(r"[a-z']+", head.lower())[-5:]))


def _own_clause_date(text: str, d: DateFact, m: re.Match[str], lexicon: Lexicon) -> bool:
    """A date in the trigger's own clause: nothing between them that starts another clause or event
    (a clause break, an ordering connective, "of his ...", "since", "until", a relative word)."""
    lo, hi = (d.end, m.start()) if d.end <= m.start() else (m.end(), d.start)
    gap = text[lo:hi]
    if _BREAK.search(gap) or _connective_words(lexicon).search(gap) or any(c in gap for c in ";()"):
        return False
    if re.match(r"['’]s\b", text[d.end:d.end + 2]):
        return False  # "raised in Saturday night's debate": another noun's date
    speech = _phrase_set(lexicon, "quote_speech_verbs")
    words = re.findall(r"\b[a-z]+\b", gap)
    if len(gap.split()) > 8 or any(w in speech for w in words) or _phrase_set(lexicon, "event_clause_enders") & set(words):
        return False  # far off, across a speech verb ("..., a newspaper reported Friday") or "because"
    if d.end <= m.start():
        # "Varnland on Saturday condemned the bombing", "X said Friday the death of Y ...": the date of the
        # verb whose object the event is
        if any(len(w) > 4 and w.endswith("ed") for w in words):
            return False
    return not re.search(r"\b(?:of\s+(?:his|her|their|its)|since|until|till|when|while|which|who|that)\b", gap, re.IGNORECASE)


_SUBORDINATORS = fastre.lazy(r"\b(?:of\s+(?:his|her|their|its)|since|until|till|when|whenever|while|which|who|whom|whose|that|whereas|where)\b", re.IGNORECASE)
_LEADING_TO = fastre.lazy(r"\bto\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _own_clause_date_classic(text: str, d: DateFact, m: re.Match[str], lexicon: Lexicon) -> bool:
    """A date in the clause of a meeting's, a visit's or another older type's trigger, told looser than
    for the kinds of news (_own_clause_date): a long object may stand before a date after it ("meets with
    X (R) and other officials in Y on May 1"), and so may coordinated verbs of one subject ("on Friday
    walked into the party and shot"). Another clause's date is not its own: across a speech verb, a
    relative or subordinating word, an ordering connective ("hours after his arrest, police said
    Wednesday"; "before 10 p.m." is a time), a clause break (";"), or before a finite verb whose object
    or complement the trigger is ("Last week X prevented Y from leaving to visit Z", "Varnland on
    Saturday condemned the killing"; not "carried out a robbery", event_light_verbs)."""
    after = d.start >= m.end()
    lo, hi = (m.end(), d.start) if after else (d.end, m.start())
    gap = text[lo:hi]
    words = re.findall(r"\b[a-z]+\b", gap)  # lowercase words: "the United States" holds no speech verb
    if ";" in gap or len(gap.split()) > int(lexicon.get("event_own_clause_words", 20) or 20):
        return False
    if any(w in _phrase_set(lexicon, "quote_speech_verbs") for w in words) or _phrase_set(lexicon, "event_clause_enders") & set(words):
        return False
    if _SUBORDINATORS.search(gap):
        return False
    conn = list(_connective_words(lexicon).finditer(gap))
    if conn and not (after and conn[-1].end() == len(gap.rstrip()) and len(conn) == 1):
        return False  # "killed a day after the crash on Monday"; "arrested just before 10 p.m." is a time
    if re.match(r"['’]s\b", text[d.end:d.end + 2]):
        # "Monday's robbery" is the robbery's date; "Monday's violence had ended when X was shot" is not
        return not after and re.fullmatch(r"['’]s\s+(?:[^\W\d_][\w-]*\s+){0,2}", gap) is not None
    light = _phrase_set(lexicon, "event_light_verbs")
    dets = _phrase_set(lexicon, "event_object_determiners")
    toks = re.findall(r"[\w'’-]+", gap)
    if after:
        # "a convicted sex offender sentenced to life pulled a gun on two guards Monday": a verb in -ed with
        # an object of its own between them (not coordinated: "shot one man and wounded two Monday")
        return not any(len(w) > 4 and w.endswith("ed") and w.islower() and w not in light and k + 1 < len(toks)
                       and toks[k + 1].lower() in dets and not (k and toks[k - 1].lower() in ("and", "or", "then"))
                       and not gap[:gap.find(w)].rstrip().endswith(",")
                       for k, w in enumerate(toks))
    if _LEADING_TO.search(gap):
        return False  # "on Friday left to visit X": what he set out to do, not what he did that day
    # coordinated verbs of one subject: "on Thursday intercepted three boats and foiled", "on Monday
    # overpowered a guard, took her gun and fled", "he overpowered a guard, killing"
    coord = (len(toks) > 0 and toks[-1].lower() == "and") or gap.rstrip().endswith(",")
    for k, w in enumerate(toks):
        if len(w) > 4 and w.endswith("ed") and w.islower() and not (k and toks[k - 1].lower() in dets) and w not in light and not coord:
            return False
    return True


def _close_after(text: str, end: int, name: NameFact) -> bool:
    """The name follows the trigger within a few words and no clause break ("met with X", "talks with Supreme Leader X")."""
    start = name.title_span[0] if name.title_span and name.title_span[0] >= end else name.start
    gap = text[end:start]
    return len(gap.split()) <= 4 and not any(c in gap for c in ",;:()")


@lru_cache(maxsize=4)
def _passive(lexicon: Lexicon) -> re.Pattern[str]:
    aux = fastre.longest_first(lexicon.get("event_passive_auxiliaries", []) or [], fold=True)
    return fastre.lazy(r"(?:\s*,\s*\d{1,3}\s*,)?\s+(?:" + (aux or "(?!)") + r")\s+(?:\w+ly\s+)?", re.IGNORECASE)


def _passive_before(text: str, name_end: int, trigger_start: int, lexicon: Lexicon) -> bool:
    """"X was killed", "X, 15, had been arrested": the person is what the event happened to."""
    return bool(_passive(lexicon).fullmatch(text[name_end:trigger_start]))


def _clause_gap(gap: str, words: int) -> bool:
    """A stretch of text inside one clause: at most `words` words and no punctuation that ends a clause."""
    return len(gap.split()) <= words and not any(c in gap for c in ",;:()")


def _reflexive_subject(text: str, s: Sentence, trigger_start: int, before: list[NameFact], names: list[NameFact],
                       counts: Counter, lexicon: Lexicon) -> NameFact | None:
    """Who did what a reflexive event did to him ("X shot himself", "X, 47, took his own life", "he
    killed himself"): the person named last before it in its clause, or the one a pronoun right before
    it stands for."""
    head = text[max(s.start, trigger_start - 12):trigger_start]
    pronouns = _phrase_set(lexicon, "event_subject_pronouns")
    last = re.search(r"(\w+)\s*$", head)
    if last and last.group(1).lower() in pronouns:
        return before[-1] if before else _salient_before(s, names, counts)
    # the clause's subject: the first person named after the last speech verb ("police said X, 47, a
    # member of the Y crew, shot himself": X)
    verbs = _words_before_pattern(lexicon, "quote_speech_verbs", r"\b")
    cut = max((v.end() for v in verbs.finditer(text[s.start:trigger_start])), default=0)
    cands = [n for n in before if n.start >= s.start + cut]
    if cands and not re.search(r"[;()]|\b(?:and|but|while|whereas)\b", text[cands[0].end:trigger_start], re.IGNORECASE) \
            and len(text[cands[0].end:trigger_start].split()) <= 15:
        return cands[0]
    return None


def _step_subject(text: str, s: Sentence, m: re.Match[str], after: list[NameFact], names: list[NameFact],
                  counts: Counter, lexicon: Lexicon) -> NameFact | None:
    """Whom a step of a case happened to when no name is next to it: a pronoun object ("convicted
    him", "found her guilty") stands for the person the last sentences are about; so does a noun told
    with a determiner or possessive ("his conviction", "the 2019 indictment", "a conviction that found
    X guilty": X, named later in its clause); "X's conviction": X."""
    objects = _phrase_set(lexicon, "event_object_pronouns")
    words = [w.lower() for w in _WORDS.findall(m.group())]
    nxt = re.match(r"\s+(\w+)", text[m.end():s.end])
    if objects and (objects & set(words[1:]) or (nxt and nxt.group(1).lower() in objects)):
        return _salient_before(s, names, counts)
    if not words or words[-1].endswith("ed"):
        return None  # a verb with its object unnamed ("convicted two men")
    if re.match(r"\s+of\b", text[m.end():s.end], re.IGNORECASE):
        return None  # "the conviction of three men": whose it was is said, and it is no name
    head = text[max(s.start, m.start() - 60):m.start()]
    poss = [n for n in names if n.sentence_index == s.index and n.etype == "person" and n.end <= m.start()
            and _possessive_after(text, n) and re.fullmatch(r"['’]s?\s+(?:[^\W\d_][\w-]*\s+)?", text[n.end:m.start()])]
    if poss:
        return poss[-1]
    if not _words_before_pattern(lexicon, "event_step_determiners", r"\s+(?:(?:\d{4}|[^\W\d_][\w-]*)\s+){0,2}$").search(head):
        return None
    later = [n for n in after if _clause_gap(text[m.end():n.title_span[0] if n.title_span and n.title_span[0] >= m.end() else n.start], 8)
             and not _agent(text, m.end(), n)]
    return later[0] if later else _salient_before(s, names, counts)


def _inherit_counterparts(text: str, cues: list[tuple], of_event: dict[str, frozenset[str]], lexicon: Lexicon) -> list[tuple]:
    """An event whose object is another event's mention happens to that event's person: "overturned
    his conviction", "threw out a 2019 conviction of X", "X's sentence was reversed"."""
    out = list(cues)
    for k, (etype, m, persons, counterpart, place, thing) in enumerate(cues):
        if counterpart is not None or etype not in of_event:
            continue
        for o_type, o, _, o_counterpart, _, _ in cues:
            if o_counterpart is None or o_type not in of_event[etype] or o is m:
                continue
            if (o.start() >= m.end() and _clause_gap(text[m.end():o.start()], 4)) or \
                    (o.end() <= m.start() and _passive(lexicon).fullmatch(text[o.end():m.start()])):
                out[k] = (etype, m, persons, o_counterpart, place, thing)
                break
    return out


def _same_about(a: NameFact | None, b: NameFact | None) -> bool:
    return a is None or b is None or a.full == b.full


_PLUPERFECT_PASSIVE = fastre.lazy(r"\bhad\s+been\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_BREAK = fastre.lazy(r";|\b(?:and|but|while|whereas)\b", re.IGNORECASE)


@lru_cache(maxsize=4)
def _connective_words(lexicon: Lexicon) -> re.Pattern[str]:
    words = [str(w) for ws in (lexicon.get("event_order_connectives", {}) or {}).values() for w in ws or []]
    alts = fastre.longest_first(set(words), fold=True)
    return fastre.lazy(r"\b(?:" + (alts or "(?!)") + r")\b", re.IGNORECASE)


def _date_owners(text: str, s_dates: list[DateFact], triggers: list[re.Match[str]],
                 connectives: re.Pattern[str] | None = None, foreign=None) -> list[tuple[DateFact, int]]:
    """Each date of a sentence with the trigger it belongs to: the nearest one, a clause break ("and",
    "but", ";") between them counting as a long way ("rescued a ship on November 11 and also sank a
    trawler on November 19": the 19th is the sinking's; "killing X and killing the next day Y": the
    next day is Y's), and so does a word that orders two events ("sentenced on Monday following his
    conviction": Monday is the sentence's)."""
    out = []
    if not triggers:
        return out
    for d in s_dates:
        if _attributive(text, d, triggers):
            continue
        def dist(m: re.Match[str]) -> int:
            lo, hi = (d.end, m.start()) if d.end <= m.start() else (m.end(), d.start)
            gap = max(0, hi - lo)
            far = gap and (_BREAK.search(text, lo, hi) or (connectives is not None and connectives.search(text, lo, hi)))
            # a trigger the date cannot belong to (_foreign_date) only when no other can
            return gap + (200 if far else 0) + (1000 if foreign is not None and foreign(d, m) else 0)
        best = min(range(len(triggers)), key=lambda i: (dist(triggers[i]), i))
        out.append((d, best))
    return out


_DETERMINER_BEFORE = fastre.lazy(r"\b(?:the|a|an|his|her|its|their|this|that)\s+$", re.IGNORECASE)
_WORD_AFTER = fastre.lazy(r"\s+[a-z][\w-]*")


def _attributive(text: str, d: DateFact, triggers: list[re.Match[str]]) -> bool:
    """A date told as a modifier of a noun that is no trigger ("over the 1999 land deal", "a 1990 tax
    case"): the date of that noun's thing, of no event of the sentence. "The 2019 conviction" is the
    conviction's. Only a year or a month: "killed in the March 11 bombing" dates the killing."""
    if not isinstance(d.value, str) or not re.fullmatch(r"\d{4}(?:-\d{2})?", d.value):
        return False
    if not _DETERMINER_BEFORE.search(text, max(0, d.start - 8), d.start):
        return False
    w = _WORD_AFTER.match(text, d.end)
    if w is None:
        return False
    at = w.start() + len(w.group()) - len(w.group().lstrip())
    return not any(t.start() == at for t in triggers)


def _governing_date(text: str, s_dates: list[DateFact], m: re.Match[str]) -> DateFact | None:
    """Of the dates that belong to a trigger, the nearest (day-level ones first); none when it has
    none: a date from another sentence is too often another event's."""
    day_level = [d for d in s_dates if (d.value and len(str(d.value)) >= 10) or not d.resolved]
    pool = day_level or s_dates
    if not pool:
        return None

    def dist(d: DateFact) -> int:
        lo, hi = (d.end, m.start()) if d.end <= m.start() else (m.end(), d.start)
        gap = max(0, hi - lo)
        return gap + (200 if gap and _BREAK.search(text, lo, hi) else 0)
    return min(pool, key=lambda d: (dist(d), d.start))


def _agent(text: str, end: int, name: NameFact) -> bool:
    """"killed by X": X is who did it, not whom it happened to."""
    start = name.title_span[0] if name.title_span and name.title_span[0] >= end else name.start
    return bool(re.match(r"\s*by\b", text[end:start], re.IGNORECASE))


@lru_cache(maxsize=4)
def _aux_end(lexicon: Lexicon) -> re.Pattern[str]:
    aux = fastre.longest_first(lexicon.get("event_passive_auxiliaries", []) or [], fold=True)
    return fastre.lazy(r"\b(\w+)\s+(?:" + (aux or "(?!)") + r")\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def _passive_subject(text: str, s: Sentence, trigger_start: int, before: list[NameFact], names: list[NameFact],
                     counts: Counter, lexicon: Lexicon) -> NameFact | None:
    """Whom a passive happened to when its subject is not a name: "X is the former bishop who was
    ousted" (the person the relative clause hangs on), "he was indicted" (the person named before it
    in the sentence, else the one the article names most among those of the last sentences), "X ran
    the church but was ejected" (the sentence's subject)."""
    m = _aux_end(lexicon).search(text, s.start, trigger_start)
    if m is None:
        return None
    word = m.group(1).lower()
    pronouns = _phrase_set(lexicon, "event_subject_pronouns")
    relatives = _phrase_set(lexicon, "event_relative_pronouns")
    joins = _phrase_set(lexicon, "event_clause_joins")
    if word in relatives:
        # "X, who was ousted" and "X is the former bishop who was ousted", not "X said the man who was".
        near = [n for n in before if n.end <= m.start(1) and len(text[n.end:m.start(1)].split()) <= 6
                and (text[n.end:m.start(1)].strip() == "," or not any(c in text[n.end:m.start(1)] for c in ",;:()"))]
        return near[-1] if near else None
    if word in pronouns:
        return before[-1] if before else _salient_before(s, names, counts)
    if word in joins:
        first = re.match(r"\W*(\w+)", s.text)
        if before and before[0].start - s.start <= 4:
            return before[0]
        if first and first.group(1).lower() in pronouns:
            return _salient_before(s, names, counts)
    return None


def _salient_before(s: Sentence, names: list[NameFact], counts: Counter, back: int = 3) -> NameFact | None:
    """The person a sentence-initial "he" most likely is: of the people named in the last few
    sentences, the one the article names most (the latest on a tie)."""
    recent = [n for n in names if n.etype == "person" and s.index - back <= n.sentence_index < s.index]
    if not recent:
        return None
    return max(recent, key=lambda n: (counts[n.full], n.start))


_STOP = fastre.lazy(r"[,.;:!?()\"“”\[\]]|[‘’'`](?!s\b)")


def _thing(text: str, end: int, limit: int, lexicon: Lexicon) -> str | None:
    """What an event happened to when no person is named, as its head noun: "sank a fishing trawler"
    and "the sinking of a Breton trawler" give trawler. Only a noun phrase opened by a determiner or a
    capitalized modifier right after the trigger, cut at punctuation or a preposition; generic nouns
    (a man, two suspects: YAML) give none."""
    rest = text[end:min(limit, end + 80)]
    stop = _STOP.search(rest)
    if stop:
        rest = rest[:stop.start()]
    words = rest.split()
    if not words:
        return None
    determiners = _phrase_set(lexicon, "event_object_determiners")
    breaks = _phrase_set(lexicon, "event_object_breaks")
    if words[0].lower() not in determiners and not words[0][:1].isupper():
        return None
    phrase = []
    for w in words[:6]:
        # a preposition, a relative word or a participle after the noun ("a trawler held by pirates")
        if w.lower() in breaks or (phrase and len(w) > 4 and w.lower().endswith("ed")):
            break
        phrase.append(w)
    if len(phrase) < 1 or (len(phrase) == 1 and phrase[0].lower() in determiners):
        return None
    head = phrase[-1].lower()
    if not re.fullmatch(r"[a-z][a-z-]{2,}", head) or phrase[-1][:1].isupper():
        return None
    if head.endswith("s") and not head.endswith("ss") and len(head) > 4:
        head = head[:-1]
    generic = _phrase_set(lexicon, "event_generic_objects")
    if head in generic or head + "s" in generic or head in determiners:
        return None
    return head


@lru_cache(maxsize=16)
def _upper_set(lexicon: Lexicon, key: str) -> frozenset[str]:
    return frozenset(str(w) for w in lexicon.get(key, []) or [])


@lru_cache(maxsize=4)
def _case_step_types(lexicon: Lexicon) -> frozenset[str]:
    """Steps of a case and rulings on them: their date is never that of the crime a noun after it names."""
    return frozenset(lexicon.get("event_step_types", []) or []) | frozenset(lexicon.get("event_of_event", {}) or {})


def _after_published(d: DateFact, published: dt.date) -> bool:
    """A resolved date that starts after the publication date (a day, an ISO week, a month, a year)."""
    v = d.value if d.resolved and isinstance(d.value, str) else ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v[:10]) and (len(v) == 10 or v[10] == "T"):
            start = dt.date.fromisoformat(v[:10])
        elif re.fullmatch(r"\d{4}-W\d{2}", v[:8]):
            start = dt.date.fromisocalendar(int(v[:4]), int(v[6:8]), 1)
        elif re.fullmatch(r"\d{4}-\d{2}", v):
            start = dt.date(int(v[:4]), int(v[5:7]), 1)
        elif re.fullmatch(r"\d{4}", v):
            start = dt.date(int(v), 1, 1)
        else:
            return False
    except ValueError:
        return False
    return start > published


_GAP_WORDS = re.compile(r"[A-Za-z][\w'’-]*")


def _foreign_date(text: str, s: Sentence, d: DateFact, m: re.Match[str], lexicon: Lexicon, case_step: bool) -> bool:
    """A date of the trigger's sentence that goes with another word than the trigger:
    - a speech or report verb: right before the date, before the trigger ("the navy said Saturday it had
      captured", "told reporters today a man shot"), or between the trigger and a date after it ("the
      slaying was reported Friday", "a raid described by the media on Friday");
    - a verb in -ed that is no trigger right before the date ("who was fired last week shot",
      "a rapist recaptured last month", "members seized on Tuesday, hanged himself"; not "occurred at");
    - a gerund the trigger is about, after "with", "of" or "for" ("charged with practising fraud on
      May 1", "convicted of driving drunk in 2001");
    - for an event noun ("the killing", "peace talks") the verb whose object it is: a preposition between
      the date and the noun ("charged Thursday in the slaying", "rallied Saturday in protest at the
      killing"), a verb in -ed between the noun and a date after it ("the shooting of a boy by police
      poured into the streets Wednesday");
    - the main clause, for a trigger inside a relative or subordinate clause closed by a comma before
      the date ("X, who argued he was insane when he carried out the killings, spoke on Saturday");
    - for a step of a case, a crime a noun after the date names ("sentenced for the March 11, 2005,
      incident", "charged in the Dec. 21 bombing").
    Possessive dates ("Monday's robbery") are the noun's."""
    after = d.start >= m.end()
    lo, hi = (m.end(), d.start) if after else (d.end, m.start())
    gap = text[lo:hi]
    possessive = re.match(r"['’]s\b", text[d.end:d.end + 2]) is not None
    if possessive and not after and re.fullmatch(r"['’]s\s+(?:(?!(?:was|were|is|are|had|has|have|been)\b)[^\W\d_][\w-]*\s+){0,2}", gap, re.IGNORECASE):
        return False  # "Monday's robbery", not "involved in Monday's shooting were arrested"
    speech = _phrase_set(lexicon, "quote_speech_verbs") | _phrase_set(lexicon, "event_report_verbs")
    own_verbs = _phrase_set(lexicon, "event_date_own_verbs") | _phrase_set(lexicon, "event_light_verbs")
    trigger_words = {w.lower() for w in _WORDS.findall(m.group())}
    clause_head = re.split(r"[,;:()\"“”—]", text[max(s.start, d.start - 60):d.start])[-1]
    head_words = [w.lower() for w in _GAP_WORDS.findall(clause_head)]
    # the word the date follows, past a preposition ("seized on Tuesday", "said on Saturday")
    lead = list(head_words)
    if lead and lead[-1] in ("on", "in", "at", "during", "by", "since", "early", "late", "about", "around"):
        lead = lead[:-1]
    if not after:
        near = lead[-4:]
        if any(w in speech for w in near) and "that" not in near[next(k for k, w in enumerate(near) if w in speech):]:
            return True  # "said Saturday it had captured", "told a news conference today a man shot"
    if after and any(w.lower() in _phrase_set(lexicon, "event_report_verbs") for w in _GAP_WORDS.findall(gap)):
        return True
    if lead:
        w = lead[-1]
        coordinated = not after and re.match(r"\s*,?\s*(?:and|or|then)\b", gap) is not None  # "surrendered at 6 p.m. and was arrested"
        if len(w) > 4 and w.endswith("ed") and w not in own_verbs and w not in trigger_words and not coordinated:
            return True  # "who was fired last week shot", "a rapist recaptured last month"
    if after and re.search(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_phrase_set(lexicon, "event_gerund_heads")) or ["(?!)"])
                           + r")\s+(?:\w+ly\s+)?[\"“']?[a-z]{2,}ing\b", gap):
        return True  # "charged with practising polygamy on May 1"
    first = m.group().split()[0].lower()
    before_trigger = text[max(s.start, m.start() - 40):m.start()]
    # an event noun: a word in -ing, -ion or -ery, or one of event_noun_words ("the killing", "peace talks",
    # "a robbery", "the shooting of"), after a determiner or a possessive in its clause
    noun_form = re.search(r"(?:ings?|ions?|ery|eries)$", first) is not None or first in _phrase_set(lexicon, "event_noun_words")
    nominal = noun_form and (
        re.search(r"(?:\b(?:the|a|an|his|her|their|its|this|that|these|those)\b|['’]s)(?:\s+[\w-]+){0,3}\s+$", before_trigger, re.IGNORECASE) is not None
        and not re.search(r"[,;:]\s*(?:[\w-]+\s+){0,3}$", before_trigger)
        or m.group().lower().endswith(" of"))
    if nominal and not possessive:
        words = [w.lower() for w in _GAP_WORDS.findall(gap)]
        dets = [w for w in words if w in _phrase_set(lexicon, "event_object_determiners")]
        if not after and set(words) & _phrase_set(lexicon, "event_noun_prepositions") and not (dets and dets[-1] in ("a", "an")):
            # "charged Thursday in the slaying"; "rammed a store on Monday in a dawn robbery" is that robbery
            return True
        if after and any(len(w) > 4 and w.endswith("ed") and w.islower() and w not in own_verbs for w in _GAP_WORDS.findall(gap)):
            return True  # "the shooting of a boy by police poured into the streets Wednesday"
    tail = [w.lower() for w in _GAP_WORDS.findall(gap[gap.rfind(",") + 1:])] if "," in gap else []
    if after and tail and tail[0] not in _phrase_set(lexicon, "event_noun_prepositions") and not {"and", "or"} & set(tail):
        # a clause opened by a comma and a relative or subordinating word, closed by a comma before the
        # verb of the date's clause (not a list: "who stepped down as chairman, president and chief
        # executive in March"; not an apposition: ", which killed 20 people, including two guards, on May 3")
        heads = re.split(r"[;:()]|,", text[s.start:m.start()])
        if len(heads) > 1 and re.match(r"\s*(?:who|whom|whose|which|when|whenever|while|where|because|although|though|if|since|until)\b",
                                        heads[-1], re.IGNORECASE):
            return True  # "X, who ... carried out the killings, spoke on Saturday"
    if case_step and re.search(r"\bthe\s+$", text[max(s.start, d.start - 6):d.start], re.IGNORECASE):
        nxt = re.match(r",?\s+([a-z][\w-]*)", text[d.end:d.end + 30])
        if nxt and nxt.group(1) not in trigger_words:
            return True  # "sentenced for the March 11, 2005, incident"
    return False
