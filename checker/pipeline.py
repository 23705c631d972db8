"""The whole check as one function: load -> extract -> link -> compare -> Report. Never prints."""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from checker.compare import compare  # noqa: F401 - the whole comparison, as callers of the pipeline know it
from checker.incremental import link_record, records_of_full_run, scoped_compare
from checker.corpus import Limits, load_corpus
from checker.extract import extract_article
from checker.lexicon import load_lexicon
from checker.link import link
from checker.models import Article, ArticleFacts, Finding, InputError, Report, Story
from checker.patterns import fact_limit
from checker.recase import apply_edits, recase_edits
from checker.resources import bundled_rules_dir
from checker.rules.base import Context
from checker.rules.loader import load_rules
from checker.runstore import RunReport, RunResult, StoredEvents


@dataclass
class Options:
    paths: list[Path]
    rules: list[Path] = field(default_factory=list)
    published: dt.date | None = None
    lexicon_dir: Path | None = None
    progress: Callable[[int, int], None] | None = None
    jobs: int | None = None  # worker processes for extraction (None: all cores)
    cache_dir: Path | None = None  # fact cache folder (None: .crosscheck-cache beside the corpus)
    use_cache: bool = True
    executor: str | None = None  # e.g. "dask://HOST:PORT" or "dask" for a local cluster
    limits: Limits | None = None  # input limits: article size, number of articles
    max_facts_per_article: int | None = None  # an article past it is an error, never cut short
    article_timeout: float | None = None  # seconds one article's extraction may take


def extract_all(
    articles: list[Any],
    lexicon: Any,
    progress: Callable[[int, int], None] | None = None,
    *,
    jobs: int | None = 1,
    executor: str | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = False,
    corpus_paths: list[Path] | None = None,
    timeout: float | None = None,
    version: str | None = None,
) -> tuple[list[ArticleFacts], list[InputError]]:
    """Facts of every article, in article order: in-process (jobs=1), on `jobs` worker processes
    (None: all cores) or on Dask (`executor`); with the fact cache when `use_cache` (in `cache_dir`,
    default `.crosscheck-cache` beside the first of `corpus_paths`; `version`: the extraction version
    when the caller has computed it already)."""
    from checker.cache import FactCache, default_cache_dir, extraction_version
    from checker.parallel import extract_many

    cache = None
    if use_cache:
        version = version or extraction_version(lexicon)
        cache = FactCache(cache_dir or default_cache_dir(corpus_paths or [Path(".")]), version)
    try:
        facts, errors, _ = extract_many(articles, lexicon, jobs=jobs, executor=executor, cache=cache, progress=progress,
                                        version=version, timeout=timeout)
    finally:
        if cache is not None:
            cache.close()
    return facts, errors


def _stories(linked: Any) -> tuple[Story, ...]:
    members: dict[str, list[str]] = {}
    for art, story in linked.story_of.items():
        members.setdefault(story, []).append(art)
    return tuple(
        Story(id=sid, name=linked.story_names.get(sid, sid), articles=tuple(sorted(arts)))
        for sid, arts in sorted(members.items())
    )




@dataclass
class _RunKeys:
    folder: Path
    version: str
    key: str  # the run's key (run cache)
    state: str  # the key of the incremental record (same rules, lexicon, code and options)
    article_keys: list[str]  # each article's fact-cache key, in article order
    previous: dict = field(default_factory=dict)  # the stored record of the previous run, once read


def _run_cache_key(opts: Options, corpus: Any, rules: list[Any], lexicon: Any) -> _RunKeys:
    import json

    from checker.cache import article_key, default_cache_dir, extraction_version, run_key
    from checker.incremental import state_key

    version = extraction_version(lexicon)
    rules_json = json.dumps([r.model_dump(mode="json") for r in rules], sort_keys=True, default=str)
    options = json.dumps({"max_facts_per_article": opts.max_facts_per_article}, sort_keys=True)
    article_keys = [article_key(a, version) for a in corpus.articles]
    keys = [(a.id, str(a.path), k) for a, k in zip(corpus.articles, article_keys)]
    folder = opts.cache_dir or default_cache_dir(opts.paths or [Path(".")])
    return _RunKeys(folder, version, run_key(version, keys, rules_json, options), state_key(version, rules_json, options),
                    article_keys)


def _cached_run(folder: Path, version: str, key: str) -> tuple[RunResult | None, list[InputError]]:
    """The stored result of a run with these inputs, if any, and warnings about the cache itself (a
    damaged file is moved aside and rebuilt here, before extraction opens it)."""
    from checker.cache import FactCache
    from checker.corpus import WARNING
    from checker.runstore import decode

    with FactCache(folder, version) as cache:
        blob = cache.get_run(key)
        notes = [InputError(path=cache.path.as_posix(), message=WARNING + note) for note in cache.notes]
    if blob is None:
        return None, notes
    return decode(blob), notes  # a damaged row is a miss: the run is computed again


def _store_run(folder: Path, version: str, key: str, result: RunResult, records: list[tuple[str, bytes]] = ()) -> None:
    """The run's result (a later run with the same inputs is a lookup) and its incremental records."""
    from checker.cache import FactCache
    from checker.runstore import encode

    with FactCache(folder, version) as cache:
        cache.put_run(key, encode(result))
        if records:
            cache.put_states(list(records))


def try_incremental(opts: Options, corpus: Any, rules: list[Any], lexicon: Any, keys: _RunKeys) -> Any:
    """The run computed from the stored record of an earlier one when the changed articles cannot change
    linking (checker/incremental.py), else None."""
    from checker.cache import FactCache
    from checker.incremental import try_incremental as incremental
    from checker.runstore import decode

    def extract(articles: list[Any]) -> tuple[list[ArticleFacts], list[InputError]]:
        return extract_all(articles, lexicon, None, jobs=opts.jobs, executor=opts.executor, cache_dir=keys.folder,
                           use_cache=True, corpus_paths=opts.paths, timeout=opts.article_timeout, version=keys.version)

    with FactCache(keys.folder, keys.version) as cache:
        def old_result(key: str) -> RunResult | None:
            blob = cache.get_run(key)
            return decode(blob) if blob is not None else None  # a damaged row: the run is computed in full

        return incremental(corpus.articles, rules, lexicon, cache, keys.state, keys.key, keys.article_keys, extract,
                           opts.max_facts_per_article, old_result, keys.previous)


def _load_memo(opts: Options, lexicon: Any) -> tuple[Any, list[InputError]]:
    """What earlier runs read from each file (checker.corpus.LoadMemo), keyed by everything reading depends
    on besides the file: the package's code, the lexicon, the publication-date option and the limits; and
    warnings about the cache itself."""
    import hashlib

    from checker.cache import FactCache, _package_digest, default_cache_dir, extraction_version
    from checker.corpus import WARNING, LoadMemo

    version = extraction_version(lexicon)
    config = hashlib.sha256(
        f"load 1\0{version}\0{_package_digest()}\0{opts.published!r}\0{opts.limits or Limits()!r}".encode()
    ).hexdigest()
    folder = opts.cache_dir or default_cache_dir(opts.paths or [Path(".")])
    with FactCache(folder, version) as cache:
        blob = cache.get_state("load:" + config)
        notes = [InputError(path=cache.path.as_posix(), message=WARNING + note) for note in cache.notes]
    from checker.cache import unpack_record

    entries = unpack_record(blob)  # a damaged memo is an empty one
    return LoadMemo(config, entries if isinstance(entries, dict) else None), notes


def _store_load_memo(opts: Options, lexicon: Any, memo: Any) -> None:
    from checker.cache import FactCache, default_cache_dir, extraction_version, pack_record

    folder = opts.cache_dir or default_cache_dir(opts.paths or [Path(".")])
    with FactCache(folder, extraction_version(lexicon)) as cache:
        blob = pack_record(memo.kept())
        if blob is not None:
            cache.put_states([("load:" + memo.config, blob)])


def _compare_reusing(rules: list[Any], ctx: Context, corpus: Any, keys: _RunKeys, record: dict | None
                     ) -> tuple[list[Finding], list] | None:
    from checker.cache import FactCache
    from checker.incremental import compare_reusing
    from checker.runstore import decode

    with FactCache(keys.folder, keys.version) as cache:
        def old_result(key: str) -> RunResult | None:
            blob = cache.get_run(key)
            return decode(blob) if blob is not None else None  # a damaged row: every finding is computed

        return compare_reusing(rules, ctx, corpus.articles, keys.article_keys, record, cache, keys.state, old_result,
                               keys.previous)


def run_check(opts: Options) -> Report:
    rules = load_rules(opts.rules or [bundled_rules_dir()])
    lexicon = load_lexicon(str(opts.lexicon_dir) if opts.lexicon_dir else None)
    # Files read by an earlier run are not parsed again (the same articles, field for field).
    memo, memo_notes = _load_memo(opts, lexicon) if opts.use_cache else (None, [])
    corpus = load_corpus(opts.paths, published=opts.published, lexicon=lexicon, limits=opts.limits, memo=memo)
    if memo is not None and memo.changed:
        _store_load_memo(opts, lexicon, memo)
    # What is read: lines in capitals only and Title Case headlines in the case the corpus writes their
    # words in (checker/recase.py; offsets kept). The report shows the articles as given.
    given = corpus.articles
    corpus = dataclasses.replace(corpus, articles=_read_as(opts, corpus.articles, lexicon))
    # A run whose every input (articles, rules, lexicon, code, options) is unchanged is looked up, not redone.
    run_cache = _run_cache_key(opts, corpus, rules, lexicon) if opts.use_cache else None
    hit, cache_notes = _cached_run(run_cache.folder, run_cache.version, run_cache.key) if run_cache else (None, [])
    cache_notes = [*memo_notes, *cache_notes]
    if hit is not None:
        if opts.progress:
            opts.progress(len(corpus.articles), len(corpus.articles))
        return _report(corpus, rules, hit, cache_notes, given)
    # Changed articles that cannot change linking: the stored run's link decisions and the findings of
    # the stories and entities they are not part of are reused (the same answer as a full run).
    inc = try_incremental(opts, corpus, rules, lexicon, run_cache) if run_cache else None
    if inc is not None:
        result = RunResult(findings=tuple(inc.findings), events=inc.events, stories=inc.stories,
                           facts_count=inc.facts_count)
        _store_run(run_cache.folder, run_cache.version, run_cache.key, result, inc.records)
        if opts.progress:
            opts.progress(len(corpus.articles), len(corpus.articles))
        return _report(corpus, rules, result, cache_notes, given)
    facts, extract_errors = extract_all(
        corpus.articles,
        lexicon,
        opts.progress,
        jobs=opts.jobs,
        executor=opts.executor,
        cache_dir=opts.cache_dir,
        use_cache=opts.use_cache,
        corpus_paths=opts.paths,
        timeout=opts.article_timeout,
        version=run_cache.version if run_cache else None,  # already computed for the run key
    )
    facts, limit_errors = fact_limit(facts, {a.id: a.path for a in corpus.articles}, opts.max_facts_per_article)
    extract_errors = [*extract_errors, *limit_errors]
    linked = link(corpus.articles, facts, lexicon)
    ctx = Context(
        articles={a.id: a for a in corpus.articles},
        facts={af.article: af for af in facts},
        linked=linked,
        lexicon=lexicon,
    )
    # After a relink, the findings of stories and entities whose inputs did not change are the stored ones.
    record = link_record(corpus.articles, facts, linked) if run_cache and not extract_errors else None
    reused = _compare_reusing(rules, ctx, corpus, run_cache, record) if run_cache else None
    findings, scopes = reused if reused is not None else scoped_compare(rules, ctx, linked.story_of)
    result = RunResult(
        findings=tuple(findings),
        events=StoredEvents.from_events(linked.events),
        stories=_stories(linked),
        facts_count=sum(len(af.facts) for af in facts),
    )
    # Only a complete run is stored: one with an article that failed or timed out is computed again next time.
    if run_cache and not extract_errors:
        records = records_of_full_run(run_cache.state, run_cache.key, corpus.articles, run_cache.article_keys, facts,
                                      record, scopes, rules)
        del ctx, linked, facts  # every article's facts: not needed to store the result (frees them first)
        _store_run(run_cache.folder, run_cache.version, run_cache.key, result, records)
    return _report(corpus, rules, result, [*cache_notes, *extract_errors], given)


def _read_as(opts: Options, articles: list[Article], lexicon: Any) -> list[Article]:
    """The articles as a check reads them (checker/recase.py). The edits depend on the whole corpus: how
    it writes each word. With the cache on, the last corpus's counts are kept (one record: each article's
    key, its flagged spans, the summed counts and the edits), each article's own counts are stored under
    its key, and a run with a few articles changed takes their old counts out and puts their new ones in
    instead of reading the whole corpus again; the same files look the edits up."""
    from checker.recase import _WORD, Counts, article_counts, edits_with, flagged_spans

    if not opts.use_cache:
        return apply_edits(articles, recase_edits(articles, lexicon))
    import hashlib
    import json

    from checker.cache import FactCache, default_cache_dir, extraction_version, pack, pack_record, unpack, unpack_record

    version = extraction_version(lexicon)
    keys = {}
    h = hashlib.sha256(f"recase 2\0{version}".encode())
    for a in articles:
        content = a.content_hash or hashlib.sha256(a.text.encode("utf-8", "surrogatepass")).hexdigest()
        part = f"{content}\0{a.body_start}\0{a.furniture}".encode("utf-8", "surrogatepass")
        keys[a.id] = hashlib.sha256(f"recase 2\0{version}\0".encode() + part).hexdigest()
        h.update(f"\0{a.id}\0".encode("utf-8", "surrogatepass") + part)
    digest = h.hexdigest()
    folder = opts.cache_dir or default_cache_dir(opts.paths or [Path(".")])
    stored: dict | None = None
    with FactCache(folder, version) as cache:
        blob = cache.get_state("recase:last")
        try:
            stored = unpack_record(blob)
            if stored is not None and not isinstance(stored.get("keys"), dict):
                stored = None
        except Exception:  # noqa: BLE001 - a damaged record is none: the edits are computed again
            stored = None
        if stored is not None and stored.get("digest") == digest:
            try:
                return apply_edits(articles, {k: [(int(x), str(t)) for x, t in v] for k, v in stored["edits"].items()})
            except Exception:  # noqa: BLE001 - as above
                stored = None
        counts = flagged = None
        new_parts: list[tuple[str, bytes]] = []
        kept_edits: dict[str, list] | None = None  # the stored edits of the articles not recased again

        def take(a: Article, add: bool = True) -> dict:
            """Put article `a`'s part in `flagged` (and in `counts` when `add`), and keep it to be stored
            under its key."""
            spans = flagged_spans(a, lexicon)
            part = article_counts(a, spans)
            if add:
                counts.add(part)
            if spans:
                flagged[a.id] = spans
            new_parts.append((f"recase:{keys[a.id]}", pack(json.dumps(part, ensure_ascii=False).encode("utf-8", "surrogatepass"))))
            return part

        def entry(c: Counts, w: str) -> tuple:
            return (dict(c.words.get(w, {})), c.cap_next.get(w), c.cap_prev.get(w))

        if stored is not None:
            old_keys: dict[str, str] = stored["keys"]
            gone = {i: k for i, k in old_keys.items() if keys.get(i) != k}
            fresh = [a for a in articles if old_keys.get(a.id) != keys[a.id]]
            # a few changed articles: their old parts out, their new ones in (beyond that, a full pass)
            if len(gone) + len(fresh) <= max(50, len(articles) // 20):
                olds = cache.get_many([f"recase:{k}" for k in sorted(set(gone.values()))])
                if len(olds) == len(set(gone.values())):
                    try:
                        counts = Counts(stored["counts"])
                        removed = [json.loads(unpack(olds[f"recase:{k}"])) for k in gone.values()]
                        flagged = {i: [tuple(x) for x in v] for i, v in stored["flagged"].items() if i not in gone}
                        stored_edits = stored["edits"]
                        added = [take(a, add=False) for a in fresh]
                        # A span's edit depends only on its text and the counts of its own words: the spans
                        # of unchanged articles none of whose words' counts changed keep their stored edits.
                        words = {w for part in (*removed, *added) for table in part.values() for w in table}
                        before = {w: entry(counts, w) for w in words}
                        for part in removed:
                            counts.remove(part)
                        for part in added:
                            counts.add(part)
                        moved = {w for w in words if entry(counts, w) != before[w]}
                        redo = {a.id for a in fresh}
                        for a in articles:
                            if a.id not in redo and a.id in flagged and moved and any(
                                    w.lower() in moved for st, en, _ in flagged[a.id] for w in _WORD.findall(a.text, st, en)):
                                redo.add(a.id)
                        kept_edits = {a.id: [(int(x), str(t)) for x, t in stored_edits[a.id]]
                                      for a in articles if a.id not in redo and a.id in stored_edits}
                        redo_articles = [a for a in articles if a.id in redo]
                    except Exception:  # noqa: BLE001 - a damaged part or record: a full pass
                        counts = flagged = kept_edits = None
                        new_parts.clear()
        if counts is None or flagged is None or kept_edits is None:
            counts, flagged, kept_edits = Counts(), {}, {}
            new_parts.clear()
            for a in articles:
                take(a)
            redo_articles = articles
        flagged = {a.id: flagged[a.id] for a in articles if a.id in flagged}
        made = edits_with(redo_articles, flagged, counts, lexicon)
        edits = {a.id: kept_edits.get(a.id) or made[a.id] for a in articles if a.id in kept_edits or a.id in made}
        record = pack_record({"digest": digest, "keys": keys, "flagged": flagged, "counts": counts.to_json(), "edits": edits})
        cache.put_many(new_parts)
        if record is not None:
            cache.put_states([("recase:last", record)])
    return apply_edits(articles, edits)


def _verbatim(findings: tuple[Finding, ...], given: list[Article], read: list[Article]) -> tuple[Finding, ...]:
    """The findings with the evidence of recased articles (checker/recase.py) quoted as given: the sentence
    and the span at the same offsets of the article's own text."""
    changed = {a.id: (a.text, b.text) for a, b in zip(given, read) if a is not b and a.text != b.text}
    if not changed:
        return findings
    out = []
    for f in findings:
        if not any(c.article in changed for c in f.claims):
            out.append(f)
            continue
        claims = []
        for c in f.claims:
            if c.article in changed:
                own, recased = changed[c.article]
                at = recased.rfind(c.text, 0, c.start + len(c.text)) if c.text else -1
                update = {"span_text": own[c.start:c.end]}
                if at >= 0:
                    update["text"] = own[at:at + len(c.text)]
                if any(getattr(c, k) != v for k, v in update.items()):  # quoted outside the recased lines: as it is
                    c = c.model_copy(update=update)
            claims.append(c)
        same = all(x is y for x, y in zip(claims, f.claims))
        out.append(f if same else f.model_copy(update={"claims": tuple(claims)}))
    return tuple(out)


def _report(corpus: Any, rules: list[Any], result: RunResult, errors: list[InputError], given: list[Article]) -> Report:
    """The report of a run's result: the articles as given, the corpus's own errors first, then `errors`
    (cache notes, extraction)."""
    return RunReport(
        articles=tuple(given),
        findings=_verbatim(result.findings, given, corpus.articles),
        errors=tuple([*corpus.errors, *errors]),
        skipped=tuple(corpus.skipped),
        facts_count=result.facts_count,
        rules=tuple(rules),
        events=result.events,
        stories=result.stories,
    )
