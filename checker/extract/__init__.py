"""Extraction: one article in, its facts out. Pure: no I/O, no state shared between articles."""

from __future__ import annotations

import bisect
import time
from typing import Any, Callable

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


def _stage(timer: Callable[[str, float], None] | None, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs), its CPU time reported to `timer` under `name` when there is one."""
    if timer is None:
        return fn(*args, **kwargs)
    t = time.process_time()
    out = fn(*args, **kwargs)
    timer(name, time.process_time() - t)
    return out


def extract_article(article: Article, lexicon: Lexicon, timer: Callable[[str, float], None] | None = None) -> ArticleFacts:
    """All facts of one article, in a fixed order: names, dates, events, attendance, quotes, numbers, ages, roles.
    `timer(stage, cpu_seconds)`, when given, hears what each stage cost (bench/extract_stages.py)."""
    from checker.extract.ages import age_facts
    from checker.extract.attendance import extract_attendance
    from checker.extract.events import extract_events
    from checker.extract.names import extract_names
    from checker.extract.numbers_facts import number_facts
    from checker.extract.quotes import extract_quotes
    from checker.extract.roles import role_facts

    text = article.text
    sentences = _stage(timer, "sentences", split_sentences, article, lexicon)
    names = _stage(timer, "names", extract_names, article, sentences, lexicon)
    dates = _stage(timer, "dates", _date_facts, article, sentences, lexicon)
    events = _stage(timer, "events", extract_events, text, sentences, names, dates, lexicon, article=article.id,
                    published=article.published)
    attendance = _stage(timer, "attendance", extract_attendance, text, sentences, names, lexicon)
    quotes = _stage(timer, "quotes", extract_quotes, text, sentences, names, lexicon, article=article.id)
    numbers = _stage(timer, "numbers", number_facts, article, sentences, lexicon, names)
    ages = _stage(timer, "ages", age_facts, article, sentences, lexicon, names)
    roles = _stage(timer, "roles", role_facts, article, sentences, lexicon, names)
    facts: list = [*names, *dates, *events, *attendance, *quotes, *numbers, *ages, *roles]
    return _stage(timer, "model", ArticleFacts, article=article.id, sentences=sentences, facts=tuple(facts))
