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


@lru_cache(maxsize=8)
def _abbrev_pattern(abbrevs: tuple[str, ...]) -> re.Pattern[str]:
    alts = "|".join(re.escape(a.rstrip(".")) for a in sorted(abbrevs, key=len, reverse=True))
    return re.compile(r"(?:^|[\s(\"“])(?:" + alts + r")$", re.IGNORECASE) if alts else re.compile(r"(?!)")


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
    abbrev = _abbrev_pattern(tuple(lexicon.abbreviations))
    out: list[Sentence] = []
    for rs, re_ in _regions(article):
        for lm in re.finditer(r"[^\n]+", text[rs:re_]):
            ls, le = rs + lm.start(), rs + lm.end()
            seg_start = ls
            for tm in _TERMINATOR.finditer(text, ls, le):
                before = text[seg_start : tm.start()]
                last = before.split()[-1] if before.split() else ""
                # "U.S." / "Jan." / single initials do not end a sentence.
                if tm.group().startswith(".") and (
                    abbrev.search(before) or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", last)
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
