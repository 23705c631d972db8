"""The extraction map: worker processes give exactly what one process gives, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import parallel
from checker.corpus import load_corpus
from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.models import ArticleFacts
from checker.parallel import ExecutorUnavailable, extract_many
from checker.pipeline import Options, run_check

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def seeds():
    lexicon = load_lexicon()
    return load_corpus([SEEDS], lexicon=lexicon).articles, lexicon


@pytest.fixture
def small_pool(monkeypatch):
    """Let a handful of articles go to the worker pool (normally only worth it from dozens)."""
    monkeypatch.setattr(parallel, "MIN_POOL_ARTICLES", 1)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 1)


def test_facts_round_trip_through_json(seeds):
    """Workers and the cache carry facts as JSON: decoding must give back equal facts."""
    articles, lexicon = seeds
    for a in articles:
        facts = extract_article(a, lexicon)
        assert ArticleFacts.model_validate_json(facts.model_dump_json()) == facts


def test_two_workers_same_facts_same_order(seeds, small_pool):
    articles, lexicon = seeds
    one, errors1, stats1 = extract_many(articles, lexicon, jobs=1)
    two, errors2, stats2 = extract_many(articles, lexicon, jobs=2)
    assert stats1.executor == "in-process"
    assert stats2.executor == "processes" and stats2.workers == 2
    assert two == one
    assert [f.article for f in two] == [a.id for a in articles]
    assert errors1 == errors2 == []


def test_order_follows_the_input_not_completion(seeds, small_pool):
    articles, lexicon = seeds
    backwards = list(reversed(articles))
    facts, _, _ = extract_many(backwards, lexicon, jobs=2)
    assert [f.article for f in facts] == [a.id for a in backwards]


def test_whole_report_identical_with_one_and_two_workers(small_pool):
    one = run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))
    two = run_check(Options(paths=[SEEDS], jobs=2, use_cache=False))
    assert two == one
    assert one.findings


def test_article_that_cannot_be_checked_is_reported_the_same_way(seeds, small_pool, monkeypatch):
    articles, lexicon = seeds
    bad = articles[2].id

    def fragile(article, lex):
        if article.id == bad:
            raise RecursionError
        return extract_article(article, lex)

    monkeypatch.setattr(parallel, "extract_article", fragile)  # inherited by forked workers
    # Forked, whatever threads an earlier test left running (a Dask cluster makes the pool spawn
    # workers, which would not inherit the patch).
    import multiprocessing

    monkeypatch.setattr(parallel, "_mp_context", lambda: multiprocessing.get_context("fork"))
    one, errors1, _ = extract_many(articles, lexicon, jobs=1)
    two, errors2, _ = extract_many(articles, lexicon, jobs=2)
    assert one == two and bad not in {f.article for f in one} and len(one) == len(articles) - 1
    assert errors1 == errors2 and [e.path for e in errors1] == [articles[2].path]
    assert "too deeply nested" in errors1[0].message


def test_progress_reaches_the_total(seeds, small_pool):
    articles, lexicon = seeds
    seen: list[tuple[int, int]] = []
    extract_many(articles, lexicon, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(articles), len(articles))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_few_articles_stay_in_process(seeds):
    articles, lexicon = seeds
    _, _, stats = extract_many(articles, lexicon, jobs=2)
    assert stats.executor == "in-process"  # 5 articles: a pool would cost more than it saves


def test_chunks_cover_every_article_once():
    items = [(i, None) for i in range(1000)]
    chunks = parallel._chunks(items, 2)  # type: ignore[arg-type]
    assert [i for c in chunks for i, _ in c] == list(range(1000))
    assert max(len(c) for c in chunks) <= parallel.MAX_CHUNK


def test_unknown_executor_is_a_clear_error(seeds):
    articles, lexicon = seeds
    with pytest.raises(ExecutorUnavailable, match="unknown executor"):
        extract_many(articles, lexicon, executor="spark://x:1")
