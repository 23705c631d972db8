"""The fact cache: one SQLite file of extracted facts, keyed by article content and extractor version.

A cache is an optimisation, never a source of failure: a damaged file is moved aside and rebuilt,
a locked or unwritable one is skipped for the run, and both leave a note for the report.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sqlite3
import sys
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from checker.lexicon import Lexicon
from checker.models import Article

CACHE_DIRNAME = ".crosscheck-cache"
DB_NAME = "facts.sqlite"
SCHEMA = 1
BUSY_TIMEOUT_MS = 30_000
_IN_BATCH = 500  # keys per SELECT ... IN (...)
T = TypeVar("T")
RUNS_KEPT = 8  # whole-run results kept (one per distinct corpus state and rule set)

# The code whose behaviour decides what extraction returns (besides the lexicon and EXTRACTOR_VERSION).
_EXTRACTION_CODE = ("extract", "text.py", "translit.py", "models.py", "lexicon.py", "recase.py")


def default_cache_dir(paths: list[Path]) -> Path:
    """`.crosscheck-cache` beside the first corpus path (in the working folder when that path is it or above it)."""
    first = Path(paths[0]) if paths else Path(".")
    try:
        resolved, cwd = first.resolve(), Path.cwd().resolve()
    except OSError:
        return Path(CACHE_DIRNAME)
    if resolved == cwd or resolved in cwd.parents:
        return cwd / CACHE_DIRNAME
    return resolved.parent / CACHE_DIRNAME


def _files_digest(files: Iterable[Path]) -> str:
    """A hash of source files, each with its path below the package."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            continue
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + data + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The extraction code (read once per process: the source does not change under a running check)."""
    root = Path(__file__).resolve().parent
    return _files_digest(f for name in _EXTRACTION_CODE for p in [root / name]
                         for f in (sorted(p.rglob("*.py")) if p.is_dir() else [p]))


def extraction_version(lexicon: Lexicon) -> str:
    """What must change for cached facts to go stale: EXTRACTOR_VERSION, the lexicon content, the extraction code."""
    from checker.extract import EXTRACTOR_VERSION

    h = hashlib.sha256()
    h.update(f"schema {SCHEMA}\0extractor {EXTRACTOR_VERSION}\0".encode())
    h.update(json.dumps(lexicon.data, sort_keys=True, default=str, ensure_ascii=False).encode())
    h.update(b"\0" + _code_digest().encode())
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def _package_digest() -> str:
    """Every source file of the package: linking, rules and reports decide a run's result too."""
    return _files_digest(sorted(Path(__file__).resolve().parent.rglob("*.py")))


def run_key(version: str, article_keys: list[tuple[str, str, str]], rules_json: str, options: str) -> str:
    """Key of a whole run's result: the extraction version, every article (id, path, content key), the
    rules as loaded, the options that change results, and the code of the whole package."""
    h = hashlib.sha256()
    h.update(f"run {SCHEMA}\0{version}\0{_package_digest()}\0{options}\0".encode())
    h.update(rules_json.encode("utf-8", "surrogatepass") + b"\0")
    for art, path, key in sorted(article_keys):
        h.update(f"{art}\0{path}\0{key}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def article_key(article: Article, version: str) -> str:
    """Cache key of one article: its content and every field extraction can read (not its path), plus the version."""
    content = article.content_hash or hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
    meta = article.model_dump_json(exclude={"text", "path", "content_hash"})
    return hashlib.sha256(f"{version}\0{content}\0{meta}".encode("utf-8", "surrogatepass")).hexdigest()


def pack(facts_json: str | bytes) -> bytes:
    data = facts_json.encode() if isinstance(facts_json, str) else facts_json
    return zlib.compress(data, 1)


def unpack(blob: bytes) -> bytes:
    return zlib.decompress(blob)


# Records of plain values (dicts, lists, strings, numbers) that a run reads and writes whole: marshal, as
# Python's own .pyc files, several times faster than JSON both ways; checked by a CRC before it is read
# (marshal is not made to read damaged data) and tagged with the Python version that wrote it (its format
# may change between versions: a record of another is a miss).
RECORD_LEVEL = 0
_RECORD = f"crosscheck-record marshal {marshal.version} {sys.version_info[0]}.{sys.version_info[1]}\n".encode()


def pack_record(obj: object) -> bytes | None:
    """A record as stored (None when it holds a value marshal cannot write: nothing is stored)."""
    try:
        data = marshal.dumps(obj)
    except ValueError:
        return None
    # zlib's stored blocks (level 0), not compressed: a record is read and written whole on every run that
    # uses it (at 16k articles 5-13 MB each); level 1 halves its size but costs 15 times the CPU
    # (0.22 s against 0.015 s to write the 13 MB link record, 0.08 against 0.015 s to read it)
    return _RECORD + zlib.crc32(data).to_bytes(4, "big") + zlib.compress(data, RECORD_LEVEL)


def unpack_record(blob: bytes | None) -> object | None:
    """The record stored by `pack_record`; None when there is none or it is damaged or of another format."""
    if blob is None or not blob.startswith(_RECORD):
        return None
    try:
        data = zlib.decompress(blob[len(_RECORD) + 4:])
        if zlib.crc32(data) != int.from_bytes(blob[len(_RECORD):len(_RECORD) + 4], "big"):
            return None
        return marshal.loads(data)
    except Exception:  # noqa: BLE001 - a damaged record is no record
        return None


class FactCache:
    """SQLite store of packed ArticleFacts JSON; WAL mode, busy timeout, writes in short transactions."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / DB_NAME
        self.version = version
        self.notes: list[str] = []  # what went wrong with the cache, for the report (never raised)
        self.hits = 0
        self.misses = 0
        self._conn: sqlite3.Connection | None = None
        self._open()

    # ---- opening and healing

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            try:
                ignore.write_text("# Created by crosscheck: the fact cache, safe to delete.\n*\n", encoding="utf-8")
            except OSError:
                pass
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL, stored REAL NOT NULL)"
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, data BLOB NOT NULL, stored REAL NOT NULL)"
            )
            conn.execute(
                "CREATE TABLE IF NOT EXISTS incremental (key TEXT PRIMARY KEY, data BLOB NOT NULL, stored REAL NOT NULL)"
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA),))
            elif row[0] != str(SCHEMA):
                raise sqlite3.DatabaseError(f"cache schema {row[0]}, expected {SCHEMA}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> None:
        try:
            self._conn = self._connect_retrying()
        except sqlite3.OperationalError as e:  # locked past the timeout, read-only folder, ...
            self._disable(f"fact cache {self.path} not used for this run: {e}")
        except sqlite3.DatabaseError as e:  # not a database, malformed, wrong schema
            self._heal(e)
        except OSError as e:
            self._disable(f"fact cache {self.path} not used for this run: {e}")

    def _connect_retrying(self, attempts: int = 6) -> sqlite3.Connection:
        """_connect, again after a short wait when another process holds the file while creating it or
        switching it to WAL (SQLite answers "locked" at once there, without its busy handler)."""
        for attempt in range(attempts):
            try:
                return self._connect()
            except sqlite3.OperationalError as e:
                if attempt == attempts - 1 or not ("locked" in str(e) or "busy" in str(e)):
                    raise
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def _close_conn(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def _heal(self, error: Exception) -> None:
        """Move a damaged cache file aside and start an empty one."""
        self._close_conn()
        aside = self.path.with_name(f"{DB_NAME}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            if self.path.exists():
                os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(DB_NAME + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
            self._conn = self._connect()
            self.notes.append(f"fact cache {self.path} was damaged ({error}); moved aside to {aside.name} and rebuilt")
        except (OSError, sqlite3.Error) as e:
            self._disable(f"fact cache {self.path} was damaged ({error}) and could not be rebuilt ({e}); not used for this run")

    def _disable(self, note: str) -> None:
        self._close_conn()
        self.notes.append(note)

    def _failed(self, e: sqlite3.Error) -> None:
        message = str(e)
        if isinstance(e, sqlite3.OperationalError) and ("locked" in message or "busy" in message):
            self._disable(f"fact cache {self.path} busy; not used for the rest of this run: {e}")
        elif isinstance(e, sqlite3.OperationalError) and ("readonly" in message or "full" in message or "unable to open" in message):
            self._disable(f"fact cache {self.path} not writable; not used for the rest of this run: {e}")
        else:
            self._heal(e)

    @property
    def usable(self) -> bool:
        return self._conn is not None

    # ---- reading and writing

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """The packed facts found for `keys` (missing keys absent)."""
        found: dict[str, bytes] = {}
        if self._conn is None:
            return found
        try:
            for i in range(0, len(keys), _IN_BATCH):
                batch = keys[i : i + _IN_BATCH]
                marks = ",".join("?" * len(batch))
                for key, data in self._conn.execute(f"SELECT key, data FROM facts WHERE key IN ({marks})", batch):
                    found[key] = data
        except sqlite3.Error as e:
            self._failed(e)
            return {}
        return found

    def _transaction(self, work: Callable[[sqlite3.Connection], T], default: T) -> T:
        """`work` in one write transaction (rolled back on any failure); `default` when the cache is not
        usable or SQLite fails, which disables or heals the cache as `_failed` decides."""
        if self._conn is None:
            return default
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                out = work(conn)
                conn.execute("COMMIT")
                return out
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            self._failed(e)
            return default

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store packed facts in one transaction (INSERT OR REPLACE)."""
        rows = [(k, self.version, d, time.time()) for k, d in items]
        if rows:
            self._transaction(
                lambda conn: conn.executemany("INSERT OR REPLACE INTO facts (key, version, data, stored) VALUES (?, ?, ?, ?)", rows),
                None,
            )

    def _get_data(self, table: str, key: str) -> bytes | None:
        """The data stored under `key` in `table` (one of this module's tables), if any."""
        if self._conn is None:
            return None
        try:
            row = self._conn.execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as e:
            self._failed(e)
            return None
        return row[0] if row else None

    def get_run(self, key: str) -> bytes | None:
        """The packed result of a whole earlier run with exactly these inputs, if stored."""
        return self._get_data("runs", key)

    def put_run(self, key: str, data: bytes, keep: int = RUNS_KEPT) -> None:
        """Store a run's packed result; only the `keep` most recent runs stay."""

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO runs (key, data, stored) VALUES (?, ?, ?)", (key, data, time.time()))
            conn.execute("DELETE FROM runs WHERE key NOT IN (SELECT key FROM runs ORDER BY stored DESC, key LIMIT ?)", (keep,))

        self._transaction(work, None)

    def get_state(self, key: str) -> bytes | None:
        """A packed incremental-run record (checker/incremental.py), if stored."""
        return self._get_data("incremental", key)

    def put_states(self, items: list[tuple[str, bytes]], keep: int = RUNS_KEPT) -> None:
        """Store incremental-run records in one transaction; only the `keep` most recent of each kind (the
        key's prefix before ':') stay."""

        def work(conn: sqlite3.Connection) -> None:
            now = time.time()
            for key, data in items:
                conn.execute("INSERT OR REPLACE INTO incremental (key, data, stored) VALUES (?, ?, ?)", (key, data, now))
            for prefix in sorted({key.split(":", 1)[0] for key, _ in items}):
                conn.execute(
                    "DELETE FROM incremental WHERE key LIKE ? AND key NOT IN "
                    "(SELECT key FROM incremental WHERE key LIKE ? ORDER BY stored DESC, key LIMIT ?)",
                    (prefix + ":%", prefix + ":%", keep),
                )

        if items:
            self._transaction(work, None)

    def prune(self) -> int:
        """Drop facts stored by other extractor versions; returns how many."""
        return self._transaction(lambda conn: conn.execute("DELETE FROM facts WHERE version != ?", (self.version,)).rowcount, 0)

    def close(self) -> None:
        self._close_conn()

    def __enter__(self) -> "FactCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
