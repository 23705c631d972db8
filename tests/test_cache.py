"""The fact cache: hits give identical facts, changes invalidate, damage heals, shared use is safe."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from checker import cache as cache_mod
from checker.cache import DB_NAME, FactCache, article_key, default_cache_dir, extraction_version
from checker.corpus import is_warning, load_corpus
from checker.extract import extract_article
from checker.lexicon import Lexicon, load_lexicon
from checker.parallel import extract_many
from checker.pipeline import Options, run_check

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def articles(lexicon):
    return load_corpus([SEEDS], lexicon=lexicon).articles


@pytest.fixture(scope="module")
def fresh(articles, lexicon):
    return [extract_article(a, lexicon) for a in articles]


def _run(articles, lexicon, folder: Path, jobs: int = 1):
    version = extraction_version(lexicon)
    with FactCache(folder, version) as c:
        return extract_many(articles, lexicon, jobs=jobs, cache=c, version=version)


def test_warm_run_returns_identical_facts_from_the_cache(articles, lexicon, fresh, tmp_path):
    facts1, errors1, cold = _run(articles, lexicon, tmp_path)
    facts2, errors2, warm = _run(articles, lexicon, tmp_path)
    assert (cold.cached, cold.extracted) == (0, len(articles))
    assert (warm.cached, warm.extracted) == (len(articles), 0)
    assert facts1 == facts2 == fresh
    assert errors1 == errors2 == []


def test_changed_content_is_extracted_again(articles, lexicon, tmp_path):
    _run(articles, lexicon, tmp_path)
    changed = articles[1].model_copy(update={"text": articles[1].text + "\nA new line.\n", "content_hash": "changed"})
    edited = [changed if a.id == changed.id else a for a in articles]
    facts, _, stats = _run(edited, lexicon, tmp_path)
    assert (stats.cached, stats.extracted) == (len(articles) - 1, 1)
    assert facts == [extract_article(a, lexicon) for a in edited]


def test_publication_date_and_id_are_part_of_the_key(articles, lexicon):
    import datetime as dt

    a = articles[0]
    v = extraction_version(lexicon)
    assert article_key(a.model_copy(update={"published": dt.date(2001, 1, 1)}), v) != article_key(a, v)
    assert article_key(a.model_copy(update={"id": "other"}), v) != article_key(a, v)
    assert article_key(a.model_copy(update={"path": "moved/elsewhere.md"}), v) == article_key(a, v)


def test_lexicon_change_invalidates(articles, lexicon, tmp_path):
    _run(articles, lexicon, tmp_path)
    data = dict(lexicon.data)
    data["name_particles"] = [*data.get("name_particles", []), "zzq"]
    other = Lexicon(data)
    assert extraction_version(other) != extraction_version(lexicon)
    _, _, stats = _run(articles, other, tmp_path)
    assert stats.cached == 0


def test_extractor_version_invalidates(articles, lexicon, tmp_path, monkeypatch):
    before = extraction_version(lexicon)
    import checker.extract

    monkeypatch.setattr(checker.extract, "EXTRACTOR_VERSION", checker.extract.EXTRACTOR_VERSION + "-next")
    assert extraction_version(lexicon) != before


def test_garbage_file_is_moved_aside_and_rebuilt(articles, lexicon, fresh, tmp_path):
    _run(articles, lexicon, tmp_path)
    db = tmp_path / DB_NAME
    for side in ("-wal", "-shm"):
        db.with_name(DB_NAME + side).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database\x00" * 500)
    facts, errors, stats = _run(articles, lexicon, tmp_path)  # no exception
    assert facts == fresh and stats.extracted == len(articles)
    assert len(errors) == 1 and is_warning(errors[0]) and "damaged" in errors[0].message
    assert list(tmp_path.glob(DB_NAME + ".damaged-*"))
    facts, errors, stats = _run(articles, lexicon, tmp_path)
    assert errors == [] and stats.cached == len(articles) and facts == fresh


def test_damaged_pages_heal(articles, lexicon, fresh, tmp_path):
    _run(articles, lexicon, tmp_path)
    con = sqlite3.connect(tmp_path / DB_NAME)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    db = tmp_path / DB_NAME
    raw = bytearray(db.read_bytes())
    raw[100 : len(raw)] = os.urandom(len(raw) - 100)  # header intact, every page garbage
    db.write_bytes(bytes(raw))
    facts, errors, _ = _run(articles, lexicon, tmp_path)
    assert facts == fresh
    assert all(is_warning(e) for e in errors)


def test_damaged_row_is_a_miss(articles, lexicon, fresh, tmp_path):
    _run(articles, lexicon, tmp_path)
    con = sqlite3.connect(tmp_path / DB_NAME)
    with con:
        con.execute("UPDATE facts SET data = ?", (b"\x78\x01garbage",))
    con.close()
    facts, errors, stats = _run(articles, lexicon, tmp_path)
    assert facts == fresh and errors == [] and stats.extracted == len(articles)
    _, _, stats = _run(articles, lexicon, tmp_path)
    assert stats.cached == len(articles)  # rewritten


def test_locked_cache_is_skipped_not_fatal(articles, lexicon, fresh, tmp_path, monkeypatch):
    _run(articles, lexicon, tmp_path)
    monkeypatch.setattr(cache_mod, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        changed = [a.model_copy(update={"content_hash": "x" + a.content_hash}) for a in articles]
        facts, errors, _ = _run(changed, lexicon, tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert facts == fresh
    assert errors and all(is_warning(e) for e in errors)


def test_interrupted_run_keeps_what_it_stored(articles, lexicon, fresh, tmp_path, monkeypatch):
    import checker.parallel as parallel

    monkeypatch.setattr(parallel, "CACHE_BATCH", 1)
    version = extraction_version(lexicon)

    def stop(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with FactCache(tmp_path, version) as c, pytest.raises(KeyboardInterrupt):
        extract_many(articles, lexicon, jobs=1, cache=c, version=version, progress=stop)
    facts, errors, stats = _run(articles, lexicon, tmp_path)
    assert stats.cached == 3 and facts == fresh and errors == []


WRITER = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    from checker.cache import FactCache
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a background job starts with SIGINT ignored
    c = FactCache(Path(sys.argv[1]), "v")
    print("ready", flush=True)
    deadline = time.monotonic() + 60  # bounded: never writes without end, whatever happens to the test
    i = 0
    while time.monotonic() < deadline:
        c.put_many([(f"k{i}-{j}", b"x" * 2000) for j in range(200)])
        i += 1
    """
)


def test_ctrl_c_during_writes_leaves_a_usable_cache(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    con = sqlite3.connect(tmp_path / DB_NAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = con.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    con.close()
    assert rows > 0 and rows % 200 == 0  # whole transactions only
    c = FactCache(tmp_path, "v")
    assert c.usable and not c.notes
    c.close()


def _hammer(folder: str, worker: int) -> None:
    c = FactCache(Path(folder), "v")
    for round_ in range(20):
        c.put_many([(f"w{worker}-{round_}-{j}", bytes([worker]) * 500) for j in range(50)])
        c.put_many([(f"shared-{j}", b"s" * 300) for j in range(50)])
        assert len(c.get_many([f"shared-{j}" for j in range(50)])) == 50
    assert not c.notes, c.notes
    c.close()


def test_concurrent_runs_do_not_corrupt(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    con = sqlite3.connect(tmp_path / DB_NAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == 4 * 20 * 50 + 50
    con.close()


def test_two_checks_sharing_a_cache_agree(tmp_path):
    def check():
        return run_check(Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c"))

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_check_seeds, args=(str(tmp_path / "c"),)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert check() == run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))


def _check_seeds(folder: str) -> None:
    report = run_check(Options(paths=[SEEDS], jobs=1, cache_dir=Path(folder)))
    assert report.findings and not report.errors


def test_run_check_uses_and_skips_the_cache(tmp_path):
    uncached = run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))
    cold = run_check(Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c"))
    assert (tmp_path / "c" / DB_NAME).exists()
    warm = run_check(Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c"))
    assert cold == warm == uncached
    off = tmp_path / "off"
    run_check(Options(paths=[SEEDS], jobs=1, use_cache=False, cache_dir=off))
    assert not off.exists()


def test_default_cache_dir_is_beside_the_corpus(tmp_path, monkeypatch):
    corpus = tmp_path / "news" / "corpus"
    corpus.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert default_cache_dir([Path("news/corpus")]) == tmp_path / "news" / ".crosscheck-cache"
    assert default_cache_dir([Path(".")]) == tmp_path / ".crosscheck-cache"
    monkeypatch.chdir(corpus)
    assert default_cache_dir([Path("..")]) == corpus / ".crosscheck-cache"


def test_cache_folder_ignores_itself_in_git(tmp_path):
    FactCache(tmp_path / "c", "v").close()
    assert (tmp_path / "c" / ".gitignore").read_text().strip().endswith("*")


# --------------------------------------------------------------------------------------------------
# the whole-run result: a run whose inputs are all unchanged is a lookup


def _count_links(monkeypatch):
    """Runs computed (not looked up): by linking the corpus, or incrementally from a stored record."""
    import checker.pipeline as pipeline

    calls = []
    real, real_incremental = pipeline.link, pipeline.try_incremental

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    def counting_incremental(*a, **k):
        out = real_incremental(*a, **k)
        if out is not None:
            calls.append(1)
        return out

    monkeypatch.setattr(pipeline, "link", counting)
    monkeypatch.setattr(pipeline, "try_incremental", counting_incremental)
    return calls


def _copy_seeds(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in SEEDS.iterdir():
        if f.is_file():
            (corpus / f.name).write_bytes(f.read_bytes())
    return corpus


def test_unchanged_run_is_looked_up_and_identical(tmp_path, monkeypatch):
    calls = _count_links(monkeypatch)
    opts = Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c")
    cold = run_check(opts)
    warm = run_check(opts)
    assert len(calls) == 1  # the second run linked and compared nothing
    assert warm == cold == run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))
    assert warm.findings and warm.stories and warm.events


def test_any_changed_input_recomputes_the_run(tmp_path, monkeypatch):
    corpus = _copy_seeds(tmp_path)
    calls = _count_links(monkeypatch)
    opts = Options(paths=[corpus], jobs=1, cache_dir=tmp_path / "c")
    first = run_check(opts)
    art = sorted(corpus.glob("*.md"))[0]
    art.write_text(art.read_text(encoding="utf-8") + "\nA late paragraph about nothing in particular.\n", encoding="utf-8")
    changed = run_check(opts)
    assert len(calls) == 2
    assert changed == run_check(Options(paths=[corpus], jobs=1, use_cache=False))
    calls.pop()  # the run without a cache
    # other rules: the rule set is part of the key
    rules = tmp_path / "rules.yml"
    rules.write_text((ROOT / "rules" / "default.yml").read_text(encoding="utf-8").replace("severity: warning", "severity: error", 1), encoding="utf-8")
    run_check(Options(paths=[corpus], rules=[rules], jobs=1, cache_dir=tmp_path / "c"))
    assert len(calls) == 3
    # another publication date for undated articles, another fact limit
    run_check(Options(paths=[corpus], jobs=1, cache_dir=tmp_path / "c", max_facts_per_article=100_000))
    assert len(calls) == 4
    # and back to the first state: still stored
    art.write_text((SEEDS / art.name).read_text(encoding="utf-8"), encoding="utf-8")
    assert run_check(opts) == first
    assert len(calls) == 4


def test_a_run_with_failed_articles_is_not_stored(tmp_path, monkeypatch):
    import checker.parallel as parallel

    calls = _count_links(monkeypatch)
    real = parallel._extract_one
    monkeypatch.setattr(parallel, "_extract_one", lambda a, lx, t: (False, "extraction failed: boom") if a.id.startswith("001") else real(a, lx, t))
    opts = Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c")
    bad = run_check(opts)
    assert any("boom" in e.message for e in bad.errors)
    monkeypatch.setattr(parallel, "_extract_one", real)
    good = run_check(opts)
    assert len(calls) == 2 and not good.errors


def test_damaged_run_row_is_recomputed(tmp_path, monkeypatch):
    calls = _count_links(monkeypatch)
    opts = Options(paths=[SEEDS], jobs=1, cache_dir=tmp_path / "c")
    cold = run_check(opts)
    with sqlite3.connect(tmp_path / "c" / DB_NAME) as conn:
        assert conn.execute("UPDATE runs SET data = ?", (b"not zlib",)).rowcount == 1
    assert run_check(opts) == cold
    assert len(calls) == 2


def test_only_the_latest_runs_are_kept(tmp_path):
    with FactCache(tmp_path, "v") as c:
        for i in range(cache_mod.RUNS_KEPT + 3):
            c.put_run(f"k{i}", b"x")
            time.sleep(0.002)
        assert c.get_run("k0") is None
        assert c.get_run(f"k{cache_mod.RUNS_KEPT + 2}") == b"x"
        rows = c._conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    assert rows == cache_mod.RUNS_KEPT


def test_decoded_facts_share_their_repeated_strings(fresh):
    """Memory at corpus scale: a fact's sentence is the article's one copy of it, and round trips
    through the cache's JSON keep every value."""
    from checker.models import ArticleFacts

    for af in fresh:
        back = ArticleFacts.model_validate_json(af.model_dump_json())
        assert back == af and back.model_dump_json() == af.model_dump_json()
        texts = {s.index: s.text for s in back.sentences}
        shared = [f for f in back.facts if texts.get(f.sentence_index) == f.sentence]
        assert shared and all(f.sentence is texts[f.sentence_index] for f in shared)
        assert all(f.article is back.article for f in back.facts)
        # a copy with an update still has its own fields, and leaves the others alone
        f0 = back.facts[0]
        copy = f0.model_copy(update={"line": f0.line + 1})
        assert copy.line == f0.line + 1 and back.facts[0].line == f0.line


def test_a_damaged_cache_is_reported_by_the_check(tmp_path):
    """The run lookup opens the cache first: when it finds the file damaged and rebuilds it, the report
    still says so (a warning, which does not change the exit status), and the findings are unchanged."""
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not a database" * 100)
    report = run_check(Options(paths=[SEEDS], jobs=1, cache_dir=folder))
    warnings = [e for e in report.errors if is_warning(e)]
    assert warnings and "damaged" in warnings[0].message
    assert not [e for e in report.errors if not is_warning(e)]
    assert report.findings == run_check(Options(paths=[SEEDS], jobs=1, use_cache=False)).findings
