"""Number mentions of one article as NumberFacts (the grammar lives in numbers.py)."""

from __future__ import annotations

import bisect

from checker.extract.numbers import find_numbers
from checker.lexicon import Lexicon
from checker.models import Article, NumberFact, Sentence
from checker.text import LineIndex


def number_facts(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon) -> list[NumberFact]:
    starts = [s.start for s in sentences]
    lines = LineIndex(article.text)
    out = []
    for n in find_numbers(article.text, [(s.start, s.end) for s in sentences], lexicon):
        s = sentences[bisect.bisect_right(starts, n.start) - 1]
        out.append(
            NumberFact(
                article=article.id, text=n.text, start=n.start, end=n.end, line=lines.line(n.start),
                sentence=s.text, sentence_index=s.index, value=n.value, attribute=n.attribute, unit=n.unit,
                low=n.low, high=n.high, hedge=n.hedge, revised=n.revised, figure=n.figure,
            )
        )
    return out
