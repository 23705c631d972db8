"""Attendance: claims that a person was at the article's event, or was kept away from it."""

from __future__ import annotations

import re
from functools import lru_cache

from checker.lexicon import Lexicon
from checker.models import AttendanceFact, NameFact, Sentence

_PH = "\u27e8P{}\u27e9"  # ⟨P3⟩: a person placeholder in a masked sentence
_ONE = r"\u27e8P(\d+)\u27e9"
_LIST = _ONE + r"(?:(?:\s*,\s*|\s*,?\s+and\s+)" + _ONE + r")*"


@lru_cache(maxsize=4)
def _cues(lexicon: Lexicon) -> list[tuple[str, str, re.Pattern[str]]]:
    out = []
    for polarity, patterns in (lexicon.get("attendance_cues") or {}).items():
        for p in patterns:
            rx = p.replace(" ", r"[\s,]+")
            rx = rx.replace("{PERSONS}", "(?P<list>" + _LIST.replace("(\\d+)", "\\d+") + ")")
            rx = rx.replace("{P}", "(?P<one>" + _ONE.replace("(\\d+)", "\\d+") + ")")
            try:
                out.append((polarity, p, re.compile(rx, re.IGNORECASE)))
            except re.error as exc:  # validated at rule load; keep a clear message here too
                raise ValueError(f"attendance cue {p!r}: {exc}") from exc
    return out


def _mask(text: str, s: Sentence, persons: list[NameFact]) -> str:
    """The sentence with each person (title and apposition included) replaced by ⟨Pi⟩."""
    parts = []
    pos = s.start
    for i, n in enumerate(persons):
        start = n.title_span[0] if n.title_span and n.title_span[0] >= pos else n.start
        end = n.apposition_span[1] if n.apposition_span else n.end
        if start < pos:
            continue
        parts.append(text[pos:start])
        parts.append(_PH.format(i))
        pos = end
    parts.append(text[pos : s.end])
    return "".join(parts)


def extract_attendance(text: str, sentences: tuple[Sentence, ...], names: list[NameFact], lexicon: Lexicon) -> list[AttendanceFact]:
    by_sentence: dict[int, list[NameFact]] = {}
    for n in names:
        if n.etype == "person":
            by_sentence.setdefault(n.sentence_index, []).append(n)
    out: list[AttendanceFact] = []
    for s in sentences:
        persons = by_sentence.get(s.index, [])
        if not persons:
            continue
        masked = _mask(text, s, persons)
        seen: set[str] = set()
        for polarity, cue, pat in _cues(lexicon):
            for m in pat.finditer(masked):
                group = m.group("list") if "list" in pat.groupindex and m.group("list") else m.group("one")
                for idx in re.findall(r"\u27e8P(\d+)\u27e9", group):
                    n = persons[int(idx)]
                    if n.full in seen:
                        continue
                    seen.add(n.full)
                    out.append(
                        AttendanceFact(
                            article=n.article,
                            text=n.text,
                            start=n.start,
                            end=n.end,
                            line=n.line,
                            sentence=s.text,
                            sentence_index=s.index,
                            value=polarity,
                            person=n.full,
                            cue=re.sub(r"\u27e8P\d+\u27e9", "X", m.group()),
                        )
                    )
    return out
