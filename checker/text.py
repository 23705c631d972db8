"""Text mechanics shared by every extractor: line numbers and sentence segmentation."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from checker.lexicon import Lexicon
from checker.models import Article, Sentence


class LineIndex:
    """Maps a character offset to its 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


_TERMINATOR = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"[^\n]+")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")


@lru_cache(maxsize=8)
def _abbrev_pattern(abbrevs: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(a.rstrip(".")) for a in sorted(abbrevs, key=len, reverse=True))
    return re.compile(r"(?:^|[\s(\"“])(?:" + alts + r")$", re.IGNORECASE) if alts else re.compile(r"(?!)")


@lru_cache(maxsize=8)
def _abbrev_reach(abbrevs: tuple[str, ...]) -> int:
    """How far before the end an abbreviation match can start: the longest abbreviation and the
    character before it (the pattern matches one character per character of its literals)."""
    return max((len(a.rstrip(".")) for a in abbrevs), default=0) + 1


def _regions(article: Article) -> list[tuple[int, int]]:
    """The body minus furniture spans, as (start, end) regions."""
    regions = []
    pos = article.body_start
    for fs, fe in sorted(article.furniture):
        if fs > pos:
            regions.append((pos, fs))
        pos = max(pos, fe)
    if pos < len(article.text):
        regions.append((pos, len(article.text)))
    return regions


def split_sentences(article: Article, lexicon: Lexicon) -> tuple[Sentence, ...]:
    """Split the article body into sentences: at line breaks and at terminators not after abbreviations."""
    text = article.text
    lines = LineIndex(text)
    abbrevs = tuple(lexicon.abbreviations)
    abbrev = _abbrev_pattern(abbrevs)
    reach = _abbrev_reach(abbrevs)
    out: list[Sentence] = []
    for rs, re_ in _regions(article):
        for lm in _LINE.finditer(text[rs:re_]):
            ls, le = rs + lm.start(), rs + lm.end()
            seg_start = ls
            for tm in _TERMINATOR.finditer(text, ls, le):
                before = text[seg_start : tm.start()]
                # "U.S." / "Jan." / single initials do not end a sentence. (The abbreviation pattern
                # is anchored at the end of `before`, so only its last `reach` characters are searched;
                # "^" does not match at a search's start position unless it is the string's start.)
                if tm.group().startswith(".") and (
                    abbrev.search(before, max(0, len(before) - reach))
                    or _INITIALS.fullmatch(before.split()[-1] if before.split() else "")
                ):
                    continue
                _add(out, text, seg_start, tm.end(), lines)
                seg_start = tm.end()
            _add(out, text, seg_start, le, lines)
    return tuple(out)


def _add(out: list[Sentence], text: str, start: int, end: int, lines: LineIndex) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(index=len(out), start=start, end=end, line=lines.line(start), text=text[start:end]))
