"""Events (meetings, visits) with their participants, counterpart, place and governing date."""

from __future__ import annotations

import re
from functools import lru_cache

from checker.lexicon import Lexicon
from checker.models import DateFact, EventFact, NameFact, Sentence


@lru_cache(maxsize=16)
def _phrase_groups(lexicon: Lexicon, key: str) -> list[tuple[str, re.Pattern[str]]]:
    """A lexicon mapping of label -> phrases as one word-bounded, case-insensitive pattern per label
    (longest phrase first; a space matches any run of spaces)."""
    out = []
    for label, words in (lexicon.get(key) or {}).items():
        alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        out.append((label, re.compile(r"\b(?:" + alts + r")\b", re.IGNORECASE)))
    return out


def _triggers(lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    return _phrase_groups(lexicon, "event_triggers")


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=16)
def _first_words(lexicon: Lexicon, key: str) -> dict[str, frozenset[str] | None]:
    """Per label, the first words its phrases can start with (lowercase); None when a phrase's first
    word is not plain ASCII, where lowercasing and the pattern's case folding might not agree."""
    out: dict[str, frozenset[str] | None] = {}
    for label, words in (lexicon.get(key) or {}).items():
        firsts: set[str] | None = set()
        for w in words:
            m = _WORDS.match(str(w))
            if m is None or not m.group().isascii() or not m.group().isalpha():
                firsts = None
                break
            firsts.add(m.group().lower())
        out[label] = frozenset(firsts) if firsts is not None else None
    return out


def _order_cues(lexicon: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    return _phrase_groups(lexicon, "event_order_cues")


def _possessive_after(text: str, name: NameFact) -> bool:
    return text[name.end : name.end + 2] in ("'s", "’s") or text[name.end : name.end + 1] in ("'", "’")


def extract_events(
    text: str,
    sentences: tuple[Sentence, ...],
    names: list[NameFact],
    dates: list[DateFact],
    lexicon: Lexicon,
    article: str = "",
) -> list[EventFact]:
    """Event mentions sentence by sentence; one per (sentence, type, counterpart)."""
    by_sentence: dict[int, list[NameFact]] = {}
    for n in names:
        by_sentence.setdefault(n.sentence_index, []).append(n)
    dates_by_sentence: dict[int, list[DateFact]] = {}
    for d in dates:
        dates_by_sentence.setdefault(d.sentence_index, []).append(d)
    events: list[EventFact] = []
    # Most trigger types occur nowhere in an article: a type none of whose phrases' first words is a
    # word of the text is ruled out for every sentence without running its pattern.
    low = text.lower()
    present = set(_WORDS.findall(low))
    firsts = _first_words(lexicon, "event_triggers")
    triggers = [(etype, pat) for etype, pat in _triggers(lexicon) if firsts.get(etype) is None or not firsts[etype].isdisjoint(present)]
    # The same test sentence by sentence, on the words of the sentence: a match starts at a word
    # boundary with its phrase's first word, which is then a whole word of the sentence. Exact only
    # where lowercasing keeps every offset and no character other than an ASCII letter's own cases
    # matches an ASCII letter without case (the dotless i and the long s do; the Kelvin sign
    # lowercases to k).
    by_words = len(low) == len(text) and "\u0131" not in text and "\u017f" not in text
    for s in sentences:
        if by_words:
            words = set(_WORDS.findall(low, s.start, s.end))
            s_triggers = [(etype, pat) for etype, pat in triggers if firsts.get(etype) is None or not firsts[etype].isdisjoint(words)]
        else:
            s_triggers = triggers
        s_names = by_sentence.get(s.index, [])
        s_dates = [d for d in dates_by_sentence.get(s.index, []) if d.timex_type in ("DATE", "TIME")]
        seen: set[tuple[str, str]] = set()
        # The longest trigger wins where two overlap ("shot dead" is a killing, not also a shooting).
        found = [(etype, m) for etype, pat in s_triggers for m in pat.finditer(text, s.start, s.end)]
        kept: list[tuple[str, re.Match[str]]] = []
        for etype, m in sorted(found, key=lambda em: (-(em[1].end() - em[1].start()), em[1].start())):
            if not any(m.start() < k.end() and k.start() < m.end() for _, k in kept):
                kept.append((etype, m))
        for etype, m in sorted(kept, key=lambda em: em[1].start()):
            if any(n.start <= m.start() < n.end for n in s_names):
                continue  # a trigger word inside a name ("Meeting Point Ltd")
            persons = [n for n in s_names if n.etype == "person" and not _possessive_after(text, n)]
            after = [n for n in persons if n.start >= m.end()]
            before = [n for n in persons if n.end <= m.start()]
            others = [n for n in s_names if n.etype != "person" and n.start >= m.end()]
            close = [n for n in after if _close_after(text, m.end(), n)]
            if etype in ("meeting", "visit"):
                # "X hosted", "met with X": the counterpart is named after the trigger, else before it.
                counterpart = close[0] if close else (before[0] if before else (after[0] if after else None))
            else:
                # What happened to whom: "killed X", "the arrest of X", or passive "X, 15, was killed".
                passive = [n for n in before if _passive_before(text, n.end, m.start(), lexicon)]
                counterpart = close[0] if close else (passive[-1] if passive else None)
            place = next((n.full for n in s_names if n.etype == "place" and n.start >= m.start()), None)
            if etype == "visit" and counterpart is None and place is None and others:
                place = others[0].full
            key = counterpart.full if counterpart else (place or "")
            if (etype, key) in seen:
                continue
            seen.add((etype, key))
            date = _governing_date(s_dates, m.start())
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
                    date=date.value if date and date.resolved else None,
                    date_text=date.text if date else None,
                    date_span=(date.start, date.end) if date else None,
                    date_line=date.line if date else None,
                    order=order,  # type: ignore[arg-type]
                    order_text=order_text,
                )
            )
    return events


def _close_after(text: str, end: int, name: NameFact) -> bool:
    """The name follows the trigger within a few words and no clause break ("met with X", "talks with Supreme Leader X")."""
    start = name.title_span[0] if name.title_span and name.title_span[0] >= end else name.start
    gap = text[end:start]
    return len(gap.split()) <= 4 and not any(c in gap for c in ",;:()")


@lru_cache(maxsize=4)
def _passive(lexicon: Lexicon) -> re.Pattern[str]:
    aux = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(lexicon.get("event_passive_auxiliaries", []) or [], key=len, reverse=True))
    return re.compile(r"(?:\s*,\s*\d{1,3}\s*,)?\s+(?:" + (aux or "(?!)") + r")\s+(?:\w+ly\s+)?", re.IGNORECASE)


def _passive_before(text: str, name_end: int, trigger_start: int, lexicon: Lexicon) -> bool:
    """"X was killed", "X, 15, had been arrested": the person is what the event happened to."""
    return bool(_passive(lexicon).fullmatch(text[name_end:trigger_start]))


def _governing_date(s_dates: list[DateFact], pos: int) -> DateFact | None:
    """The date expression nearest to the trigger in its sentence (day-level ones first); none when
    the sentence has none: a date from another sentence is too often another event's."""
    day_level = [d for d in s_dates if (d.value and len(str(d.value)) >= 10) or not d.resolved]
    pool = day_level or s_dates
    if not pool:
        return None
    return min(pool, key=lambda d: abs(d.start - pos))
