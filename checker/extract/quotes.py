"""Quotations and who said them: the nearest attributed person in the sentence, a definite
description resolved to a titled person ("the Supreme Leader"), or the previous speaker for "he"."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from checker.lexicon import Lexicon
from checker.models import NameFact, QuoteFact, Sentence
from checker.text import LineIndex

_QUOTE = re.compile(r"“([^”\n]{2,600})”|\"([^\"\n]{2,600})\"")


@lru_cache(maxsize=4)
def _verbs(lexicon: Lexicon) -> re.Pattern[str]:
    words = lexicon.get("quote_speech_verbs", []) or []
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=4)
def _pronouns(lexicon: Lexicon) -> re.Pattern[str]:
    words = lexicon.get("quote_pronouns", []) or []
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def _description(text: str, start: int, end: int, persons: list[NameFact], titles: frozenset[str]) -> NameFact | None:
    """"the Supreme Leader", "the judge" in text[start:end] -> the latest earlier person whose title has
    those title words."""
    for m in re.finditer(r"\bthe\s+((?:[\w-]+\s+){0,2}[\w-]+)", text[start:end], re.IGNORECASE):
        tokens = m.group(1).lower().split()
        last = max((k for k, w in enumerate(tokens) if w in titles), default=-1)
        # "the Supreme Leader issued": the description ends at its last title word.
        words = [w for w in tokens[: last + 1] if w in titles]
        if not words:
            continue
        pos = start + m.start()
        for p in reversed([p for p in persons if p.start < pos and p.title]):
            if all(w in p.title.lower().split() for w in words):
                return p
    return None


def extract_quotes(text: str, sentences: tuple[Sentence, ...], names: list[NameFact], lexicon: Lexicon,
                   article: str = "") -> list[QuoteFact]:
    persons = [n for n in names if n.etype == "person"]
    titles = frozenset(str(t).lower() for t in lexicon.get("name_title_words", []) or [])
    verbs = _verbs(lexicon)
    pronouns = _pronouns(lexicon)
    starts = [s.start for s in sentences]
    lines = LineIndex(text)
    out: list[QuoteFact] = []
    last_speaker: NameFact | None = None
    last_quote_speaker: NameFact | None = None
    for s in sentences:
        sentence_quote_speaker: NameFact | None = None
        for m in _QUOTE.finditer(text, s.start, s.end):
            qs, qe = m.start(1) if m.group(1) is not None else m.start(2), m.end(1) if m.group(1) is not None else m.end(2)
            words = re.findall(r"[\w'’-]+", text[qs:qe])
            if len(words) < 2:
                continue
            if text[s.start : s.end].strip(" \"“”'‘’,.") == text[qs:qe].strip(" \"“”'‘’,.") and last_quote_speaker:
                speaker, how = last_quote_speaker, "continuation"  # a quotation standing alone continues the previous one
            else:
                speaker, how = _speaker(text, s, qs - 1, qe + 1, persons, titles, verbs, pronouns, last_speaker)
            if speaker is not None:
                last_speaker = speaker
            sentence_quote_speaker = speaker
            idx = bisect.bisect_right(starts, qs) - 1
            out.append(
                QuoteFact(
                    article=article,
                    text=text[qs:qe].rstrip(",. "),
                    start=qs,
                    end=qs + len(text[qs:qe].rstrip(",. ")),
                    line=lines.line(qs),
                    sentence=sentences[idx].text,
                    sentence_index=sentences[idx].index,
                    value=text[qs:qe].rstrip(",. "),
                    speaker=speaker.full if speaker else None,
                    speaker_by=how,
                )
            )
        last_quote_speaker = sentence_quote_speaker
        # A sentence's subject is the likeliest "he" of the next sentence.
        subj = [p for p in persons if s.start <= p.start < s.end]
        if subj:
            last_speaker = subj[0]
    return out


def _speaker(text, s, qs, qe, persons, titles, verbs, pronouns, last_speaker):
    outside = [p for p in persons if s.start <= p.start < s.end and not (qs <= p.start < qe)]
    # "“...,” said X" / "“...,” X said": the attribution right after the quotation.
    for p in outside:
        gap = text[qe : p.start] if p.start >= qe else None
        if gap is not None and len(gap) <= 14 and re.fullmatch(r"[\s,]*(?:\w+\s+)?", gap):
            after = text[p.end : p.end + 20]
            if verbs.search(gap) or verbs.match(after.strip()):
                return p, "name"
    # "X said/told/referred ... “...”": a speech verb between the person and the quotation.
    before = [p for p in outside if p.end <= qs and verbs.search(text[p.end : qs]) and len(text[p.end : qs]) <= 120]
    if before:
        return before[-1], "name"
    # Else a person next to a speech verb, nearest to the quotation.
    best = None
    for p in outside:
        window = text[max(s.start, p.start - 40) : min(s.end, p.end + 40)]
        if verbs.search(window):
            dist = min(abs(p.start - qe), abs(qs - p.end))
            if best is None or dist < best[0]:
                best = (dist, p)
    if best:
        return best[1], "name"
    desc = _description(text, s.start, s.end, persons, titles)
    if desc is not None and verbs.search(text[s.start : s.end]):
        return desc, "description"
    if outside:
        return outside[0], "nearest"
    rest = _QUOTE.sub(" ", text[s.start : s.end])  # "He" inside a quotation is not the attribution
    if last_speaker is not None and pronouns.search(rest) and verbs.search(rest):
        return last_speaker, "pronoun"
    return None, None
