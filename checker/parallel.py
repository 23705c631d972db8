"""The extraction map: every article through `extract_article`, in-process, on local worker processes
or on a Dask cluster, with the fact cache in front. Results come back in article order, identical to
a single in-process run."""

from __future__ import annotations

import math
import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from checker.corpus import WARNING  # a note for the report, not a failure
from checker.cache import FactCache, article_key, extraction_version, pack, unpack
from checker.compact import CompactFacts, Sharing
from checker.extract import extract_article
from checker.lexicon import Lexicon
from checker.models import Article, ArticleFacts, InputError

NESTED_MESSAGE = "could not be checked: text too deeply nested"
MIN_POOL_ARTICLES = 48  # fewer articles to extract than this: a worker pool costs more than it saves
MAX_CHUNK = 32
DASK_CONNECT_TIMEOUT = "20s"
CACHE_BATCH = 256  # facts stored per cache transaction

Progress = Callable[[int, int], None]


class ExecutorUnavailable(ValueError):
    """The requested executor cannot be used (unknown name, optional dependency missing, cluster unreachable);
    a ValueError, so the command line reports it as an option the pipeline refused."""


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class ExtractStats:
    """What the map did: how many articles came from the cache, were extracted, and where."""

    total: int = 0
    cached: int = 0
    extracted: int = 0
    workers: int = 1
    executor: str = "in-process"
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------
# one chunk of articles, run wherever the executor puts it


def _extract_one(article: Article, lexicon: Lexicon, timeout: float | None = None) -> tuple[bool, bytes | str]:
    """One article's facts, packed; or the reason it could not be checked (too deep, too slow)."""
    from checker.patterns import ExtractionTimeout, time_limit

    try:
        with time_limit(timeout):
            facts = extract_article(article, lexicon)
    except RecursionError:
        return False, NESTED_MESSAGE
    except ExtractionTimeout:
        return False, f"extraction timed out after {timeout:g} s: a pattern may backtrack catastrophically; not checked"
    return True, pack(facts.model_dump_json())


_WORKER_LEXICON: Lexicon | None = None
_WORKER_TIMEOUT: float | None = None
_LEXICONS: dict[str, Lexicon] = {}  # Dask workers: one Lexicon per extraction version, built once per process


def _init_worker(lexicon_data: dict[str, Any], timeout: float | None = None) -> None:
    """Process-pool initializer: the lexicon arrives once per worker; Ctrl-C is the parent's to handle."""
    global _WORKER_LEXICON, _WORKER_TIMEOUT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_LEXICON = Lexicon(lexicon_data)
    _WORKER_TIMEOUT = timeout


def _pool_chunk(items: list[tuple[int, Article]]) -> list[tuple[int, bool, bytes | str]]:
    assert _WORKER_LEXICON is not None, "worker started without its lexicon"
    return [(i, *_extract_one(a, _WORKER_LEXICON, _WORKER_TIMEOUT)) for i, a in items]


def _dask_chunk(items: list[tuple[int, Article]], lexicon_data: dict[str, Any], version: str) -> list[tuple[int, bool, bytes | str]]:
    lexicon = _LEXICONS.get(version)
    if lexicon is None:
        lexicon = _LEXICONS.setdefault(version, Lexicon(lexicon_data))
    return [(i, *_extract_one(a, lexicon)) for i, a in items]


# ----------------------------------------------------------------------------------------------
# executors


def _chunks(items: list[tuple[int, Article]], workers: int) -> list[list[tuple[int, Article]]]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(items) / (workers * 8))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _mp_context() -> Any:
    """fork while this process has one thread (fast, nothing re-imported); else forkserver or spawn,
    which need the usual `if __name__ == "__main__":` guard in a calling script."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_pool(todo: list[tuple[int, Article]], lexicon: Lexicon, workers: int,
              timeout: float | None = None) -> Iterator[list[tuple[int, bool, bytes | str]]]:
    ctx = _mp_context()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(lexicon.data, timeout))
    try:
        pending = {pool.submit(_pool_chunk, chunk) for chunk in _chunks(todo, workers)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def dask_client(executor: str, workers: int) -> tuple[Any, Callable[[], None]]:
    """A Dask client for `dask` (a local cluster of `workers` processes) or `dask://HOST:PORT`; and how to close it."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorUnavailable(
            f"--executor {executor} needs Dask: pip install 'crosscheck[dask]' (dask and distributed)"
        ) from None
    if executor == "dask":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)

        def close() -> None:
            client.close()
            cluster.close()

        return client, close
    address = "tcp://" + executor[len("dask://") :]
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as e:
        raise ExecutorUnavailable(f"--executor {executor}: cannot reach the Dask scheduler at {address}: {e}") from None
    return client, client.close


def _run_dask(
    todo: list[tuple[int, Article]], lexicon: Lexicon, version: str, executor: str, workers: int
) -> Iterator[list[tuple[int, bool, bytes | str]]]:
    client, close = dask_client(executor, workers)
    futures: list[Any] = []
    try:
        from distributed import as_completed

        n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        data = client.scatter(lexicon.data, broadcast=True)  # once per worker, not once per task
        futures = client.map(_dask_chunk, _chunks(todo, n), lexicon_data=data, version=version, pure=False)
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        if futures:
            try:
                client.cancel(futures)
            except Exception:  # noqa: BLE001 - best effort while shutting down
                pass
        close()


def parse_executor(executor: str | None) -> str:
    """'local' or a Dask target ('dask', 'dask://HOST:PORT'); anything else is a usage error."""
    if executor in (None, "", "local", "processes"):
        return "local"
    if executor == "dask" or (executor.startswith("dask://") and len(executor) > len("dask://")):
        return executor
    raise ExecutorUnavailable(f"unknown executor {executor!r}: use 'local', 'dask' or 'dask://HOST:PORT'")


# ----------------------------------------------------------------------------------------------
# the map


def extract_many(
    articles: Sequence[Article],
    lexicon: Lexicon,
    *,
    jobs: int | None = 1,
    executor: str | None = None,
    cache: FactCache | None = None,
    progress: Progress | None = None,
    version: str | None = None,
    timeout: float | None = None,
) -> tuple[list[ArticleFacts], list[InputError], ExtractStats]:
    """Facts of every article in order (articles that could not be checked are left out, with an error)."""
    target = parse_executor(executor)
    n = len(articles)
    stats = ExtractStats(total=n)
    results: list[ArticleFacts | None] = [None] * n
    failed: dict[int, str] = {}
    done = 0
    sharing = Sharing()  # the corpus's facts as compact records, equal values kept once (checker/compact.py)

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, n)

    given = cache
    if cache is not None and not cache.usable:
        cache = None
    if version is None and (cache is not None or target != "local"):
        version = extraction_version(lexicon)
    keys: list[str] = []
    todo: list[tuple[int, Article]] = list(enumerate(articles))
    if cache is not None:
        assert version is not None
        keys = [article_key(a, version) for a in articles]
        todo = []
        # read and decoded CACHE_BATCH rows at a time: the compressed rows of a whole corpus are ~9 KB an
        # article, held beside its facts as they are decoded
        for at in range(0, n, CACHE_BATCH):
            found = cache.get_many(keys[at : at + CACHE_BATCH])
            for i in range(at, min(n, at + CACHE_BATCH)):
                a = articles[i]
                blob = found.get(keys[i])
                facts = _decode(blob, sharing) if blob is not None else None
                if facts is not None and facts.article == a.id:
                    results[i] = facts
                else:
                    todo.append((i, a))
            del found
        stats.cached = n - len(todo)
        if stats.cached:
            tick(stats.cached)
    stats.extracted = len(todo)

    pending_rows: list[tuple[str, bytes]] = []

    def flush() -> None:
        if cache is not None and pending_rows:
            cache.put_many(pending_rows)
            pending_rows.clear()

    def take(batch: list[tuple[int, bool, bytes | str]]) -> None:
        for i, ok, payload in batch:
            if not ok:
                failed[i] = str(payload)
                continue
            assert isinstance(payload, bytes)
            results[i] = sharing.decode(unpack(payload))
            if cache is not None:
                pending_rows.append((keys[i], payload))
        if len(pending_rows) >= CACHE_BATCH:
            flush()
        tick(len(batch))

    workers = available_cores() if jobs is None or jobs <= 0 else jobs
    try:
        if target != "local" and todo:
            stats.executor, stats.workers = target, workers
            assert version is not None
            for batch in _run_dask(todo, lexicon, version, target, workers):
                take(batch)
        elif workers > 1 and len(todo) >= MIN_POOL_ARTICLES:
            stats.executor, stats.workers = "processes", min(workers, len(todo))
            for batch in _run_pool(todo, lexicon, stats.workers, timeout):
                take(batch)
        else:
            for i, a in todo:
                take([(i, *_extract_one(a, lexicon, timeout))])
    finally:
        flush()  # what was extracted before an interruption stays cached

    if given is not None:
        stats.notes.extend(given.notes)
    errors = [InputError(path=articles[i].path, message=failed[i]) for i in sorted(failed)]
    if given is not None:
        errors.extend(InputError(path=given.path.as_posix(), message=WARNING + note) for note in stats.notes)
    return [f for f in results if f is not None], errors, stats


def _decode(blob: bytes, sharing: Sharing | None = None) -> CompactFacts | None:
    """Cached facts (as compact records, checker/compact.py), or None when the stored bytes do not decode
    (then the article is extracted again)."""
    try:
        return (sharing or Sharing()).decode(unpack(blob))
    except Exception:  # noqa: BLE001 - a damaged row is a cache miss
        return None
