"""Extraction: one article in, its facts out. Pure: no I/O, no state shared between articles."""

from __future__ import annotations

import bisect

from checker.lexicon import Lexicon
from checker.models import Article, ArticleFacts, DateFact, Sentence
from checker.text import LineIndex, split_sentences

# Bumped whenever an extractor changes what it produces (keys the fact cache).
EXTRACTOR_VERSION = "1"


def _date_facts(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon) -> list[DateFact]:
    from checker.extract.dates import find_dates

    regions = [(s.start, s.end) for s in sentences]
    lines = LineIndex(article.text)
    starts = [s.start for s in sentences]
    out = []
    for d in find_dates(article.text, article.published, lexicon, regions=regions):
        s = sentences[bisect.bisect_right(starts, d.start) - 1]
        out.append(
            DateFact(
                article=article.id,
                text=d.text,
                start=d.start,
                end=d.end,
                line=lines.line(d.start),
                sentence=s.text,
                sentence_index=s.index,
                value=d.value,
                timex_type=d.timex_type,  # type: ignore[arg-type]
                resolved=d.resolved,
                anchor=d.anchor,  # type: ignore[arg-type]
                note=d.note if not d.weekday_conflict else f"weekday conflict: {d.weekday_conflict}",
            )
        )
    return out


def extract_article(article: Article, lexicon: Lexicon) -> ArticleFacts:
    """All facts of one article, in a fixed order: names, dates, events, attendance, quotes, numbers."""
    from checker.extract.attendance import extract_attendance
    from checker.extract.events import extract_events
    from checker.extract.names import extract_names
    from checker.extract.numbers_facts import number_facts
    from checker.extract.quotes import extract_quotes

    sentences = split_sentences(article, lexicon)
    names = extract_names(article, sentences, lexicon)
    dates = _date_facts(article, sentences, lexicon)
    events = extract_events(article.text, sentences, names, dates, lexicon, article=article.id)
    attendance = extract_attendance(article.text, sentences, names, lexicon)
    quotes = extract_quotes(article.text, sentences, names, lexicon, article=article.id)
    numbers = number_facts(article, sentences, lexicon, names)
    facts: list = [*names, *dates, *events, *attendance, *quotes, *numbers]
    return ArticleFacts(article=article.id, sentences=sentences, facts=tuple(facts))
