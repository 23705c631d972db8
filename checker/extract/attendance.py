"""Attendance: claims that a person was at the article's event, or was kept away from it."""

from __future__ import annotations

import re
from functools import lru_cache

from checker.lexicon import Lexicon
from checker.models import AttendanceFact, NameFact, Sentence

_PH = "\u27e8P{}\u27e9"  # ⟨P3⟩: a person placeholder in a masked sentence
_ONE = r"\u27e8P(\d+)\u27e9"
_LIST = _ONE + r"(?:(?:\s*,\s*|\s*,?\s+and\s+)" + _ONE + r")*"


def _leading_literals(rx: str) -> tuple[str, ...] | None:
    """Lowercase ASCII strings one of which every match of the pattern starts with (its leading
    literal, or one per alternative of a leading group), read from the parsed pattern; None when it
    has none (it starts with a class, a repeat, ...) or cannot be read."""
    try:
        from re import _constants as sre, _parser  # private, but part of CPython since 3.11

        items = list(_parser.parse(rx))
    except Exception:  # noqa: BLE001 - no prefilter, never a wrong one
        return None

    def starts(items: list) -> tuple[str, ...] | None:
        while items and items[0][0] is sre.AT:  # \b, ^: zero-width, the match still starts here
            items = items[1:]
        if not items:
            return None
        op, av = items[0]
        if op is sre.LITERAL:
            chars = []
            for o, v in items:
                if o is not sre.LITERAL:
                    break
                chars.append(chr(v))
            lit = "".join(chars)
            return (lit.lower(),) if lit.isascii() else None
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return starts(list(sub)) if not add_flags and not del_flags else None
        if op is sre.BRANCH:
            out: list[str] = []
            for alt in av[1]:
                r = starts(list(alt))
                if r is None:
                    return None
                out.extend(r)
            return tuple(out)
        return None

    return starts(items)


@lru_cache(maxsize=4)
def _cue_words(lexicon: Lexicon) -> list[tuple[str, ...] | None]:
    return [_leading_literals(pat.pattern) for _, _, pat in _cues(lexicon)]


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
        # A cue none of whose leading literals occurs in the sentence cannot match (its pattern is
        # case-insensitive: exact where lowercasing keeps the length and neither the dotless i nor
        # the long s, which match ASCII letters without case, is present).
        low = masked.lower()
        by_words = len(low) == len(masked) and "\u0131" not in masked and "\u017f" not in masked
        seen: set[str] = set()
        for (polarity, cue, pat), words in zip(_cues(lexicon), _cue_words(lexicon)):
            if by_words and words is not None and not any(w in low for w in words):
                continue
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
