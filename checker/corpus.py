"""Files and front matter -> Article: walking the corpus, decoding, front matter, datelines, furniture.

Every problem with an input file becomes an InputError (path, message, optional line) and the load
goes on with the other files; nothing here raises on bad input. Messages that start with "warning:"
describe an article that was read anyway (a cp1252 fallback for bytes that are not UTF-8, a
duplicate id that was renamed); every other message means something was not read, or was read
without part of its data (front matter).
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

import yaml

from checker.lexicon import Lexicon, load_lexicon
from checker.models import Article, InputError

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | {".json", ".jsonl"}
WARNING = "warning: "


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading; a timestamp that is not a real date (2019-02-30) stays a string, reported by key."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return node.value


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@dataclass(frozen=True)
class Limits:
    """Input limits; going past one is reported as an error naming the limit."""

    max_article_bytes: int = 10 * 1024 * 1024
    max_articles: int = 200_000
    max_front_matter_bytes: int = 64 * 1024


@dataclass
class CorpusLoad:
    """The result of loading a corpus: articles sorted by id, input errors, files that are not articles."""

    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def is_warning(error: InputError) -> bool:
    """True when the error describes an article that was read anyway."""
    return error.message.startswith(WARNING)


# --------------------------------------------------------------------------------------------------
# Walking


@dataclass(frozen=True)
class _File:
    path: Path  # as walked (root joined with rel)
    rel: str  # posix path relative to the corpus root
    st: os.stat_result | None = None  # as walked (symlinks followed): the file is not stat'ed again


class _Walk:
    def __init__(self, errors: list[InputError], skipped: list[str]) -> None:
        self.errors = errors
        self.skipped = skipped
        self.seen_dirs: dict[tuple[int, int], str] = {}

    def error(self, path: Path | str, message: str) -> None:
        self.errors.append(InputError(path=_show(path), message=message))

    def files(self, root: Path) -> Iterator[_File]:
        try:
            st = root.stat()
        except OSError as e:
            self.error(root, _os_message(e, root))
            return
        if stat.S_ISDIR(st.st_mode):
            yield from self._dir(root, root, "", [(st.st_dev, st.st_ino)])
        elif stat.S_ISREG(st.st_mode):
            if root.suffix.lower() in ARTICLE_SUFFIXES:
                yield _File(root, _printable(root.name), st)
            else:
                self.error(root, f"not an article file: expected one of {_suffix_list()}")
        else:
            self.error(root, "not a regular file or folder")

    def _dir(self, root: Path, folder: Path, rel: str, ancestors: list[tuple[int, int]]) -> Iterator[_File]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            self.error(folder, _os_message(e, folder))
            return
        child = getattr(folder, "_make_child_relpath", None)  # folder / name without parsing name again
        for entry in entries:
            path = child(entry.name) if child is not None else folder / entry.name
            child_rel = f"{rel}/{_printable(entry.name)}" if rel else _printable(entry.name)
            if entry.name.startswith("."):
                # Hidden folders (.git, .crosscheck-cache) are tool state, not entered; hidden files are listed.
                if not _is_dir(entry):
                    self.skipped.append(_show(path))
                continue
            try:
                st = entry.stat()  # follows symlinks
            except OSError as e:
                self.error(path, _os_message(e, path))
                continue
            if stat.S_ISDIR(st.st_mode):
                key = (st.st_dev, st.st_ino)
                if key in ancestors:
                    self.error(path, "symlink loop: this folder links back to a folder that contains it; not followed")
                    continue
                if key in self.seen_dirs:
                    self.skipped.append(_show(path) + "/")  # the same folder, already read through another link
                    continue
                self.seen_dirs[key] = child_rel
                yield from self._dir(root, path, child_rel, ancestors + [key])
            elif stat.S_ISREG(st.st_mode) and path.suffix.lower() in ARTICLE_SUFFIXES:
                yield _File(path, child_rel, st)
            else:
                self.skipped.append(_show(path))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _suffix_list() -> str:
    return ", ".join(sorted(ARTICLE_SUFFIXES))


def _show(path: Path | str) -> str:
    return _printable(path.as_posix() if isinstance(path, Path) else Path(path).as_posix())


def _printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogate-escaped by the OS layer) shown as \\xNN."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def _os_message(e: OSError, path: Path) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop: the link cannot be resolved"
    if isinstance(e, FileNotFoundError):
        if os.path.islink(path):
            return f"broken symlink: its target {os.readlink(path)!r} does not exist"
        return "no such file or folder"
    if isinstance(e, PermissionError):
        return "cannot read: permission denied"
    return f"cannot read: {e.strerror or e}"


# --------------------------------------------------------------------------------------------------
# Decoding


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="strict") if _cp1252_ok(bad) else bad.decode("latin-1"), err.end


def _cp1252_ok(b: bytes) -> bool:
    try:
        b.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


codecs.register_error("crosscheck-cp1252", _cp1252_fallback)


class _Unreadable(Exception):
    """The bytes are not text: the file is reported and not read."""


def _decode(raw: bytes) -> tuple[str, str, str | None, int | None]:
    """(text, encoding, warning, its line): UTF-8 (BOM stripped), UTF-16/32 by BOM, else UTF-8 with cp1252 for bad bytes."""
    if raw.startswith(codecs.BOM_UTF32_LE) or raw.startswith(codecs.BOM_UTF32_BE):
        return _decode_as(raw, "utf-32"), "utf-32", None, None
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return _decode_as(raw, "utf-16"), "utf-16", None, None
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    else:
        encoding = "utf-8"
    if b"\x00" in raw:
        guess = _utf16_without_bom(raw)
        if guess:
            return _decode_as(raw, guess), guess, f"no byte order mark; read as {guess.upper()}", None
        first = raw.index(b"\x00")
        raise _Unreadable(f"binary file (NUL byte at offset {first}): not read")
    try:
        return raw.decode("utf-8"), encoding, None, None
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        text = raw.decode("utf-8", errors="crosscheck-cp1252")
        note = f"not valid UTF-8 (first bad byte at offset {e.start}, line {line}); those bytes were read as cp1252"
        return text, encoding + "+cp1252", note, line


def _decode_as(raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise _Unreadable(f"not valid {encoding.upper()} (bad bytes at offset {e.start}): not read") from None
    if "\x00" in text:
        raise _Unreadable(f"binary file (NUL character after decoding as {encoding.upper()}): not read")
    return text[1:] if text.startswith("\ufeff") else text


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a BOM: NUL in (nearly) every other byte of the start."""
    head = raw[:4096]
    if len(head) < 4 or len(raw) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd >= 0.9 * half and even == 0:
        return "utf-16-le"
    if even >= 0.9 * half and odd == 0:
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------------------------------
# Front matter and metadata

_FM_OPEN = re.compile(r"---[ \t]*\r?\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_META_TEXT_KEYS = ("id", "source", "title", "url", "language")


class _MetaProblem(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _split_front_matter(text: str) -> tuple[str | None, int]:
    """(front matter YAML or None, body start). Raises _MetaProblem when it is not closed."""
    m = _FM_OPEN.match(text)
    if not m:
        return None, 0
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        raise _MetaProblem("front matter opened on line 1 is never closed by a '---' line: not read", 1)
    body = close.end()
    if text.startswith("\r\n", body):
        body += 2
    elif text.startswith("\n", body):
        body += 1
    return text[m.end() : close.start()], body


_MAX_DEPTH = 40
_INDICATOR_RUN = re.compile(r"(?:[-?:][ \t]+){%d,}" % _MAX_DEPTH)
_DEEP_INDENT = re.compile(r"^[ \t]{%d,}" % (_MAX_DEPTH * 8), re.M)
_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(block: str) -> bool:
    """Nesting deeper than any front matter needs; libyaml recurses on the C stack, so refuse it first."""
    if _INDICATOR_RUN.search(block) or _DEEP_INDENT.search(block):
        return True
    if block.count("[") + block.count("{") < _MAX_DEPTH:
        return False
    depth = 0
    for m in _BRACKETS.finditer(block):
        depth += 1 if m.group() in "[{" else -1
        if depth > _MAX_DEPTH:
            return True
    return False


# The fast path for the front matter nearly every article has: one `key: value` a line, each value a
# word-led plain string, a quoted string without escapes, a whole number or a YYYY-MM-DD date. What it
# accepts it reads exactly as YAML does (tests/test_corpus.py compares both); anything else is YAML's.
_FAST_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_YAML_CHARS = r"\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"  # printable, no line breaks
_FAST_PLAIN = re.compile(r"[A-Za-z0-9][%s]*" % _YAML_CHARS)
_FAST_SINGLE = re.compile(r"'((?:[%s]|'')*)'" % _YAML_CHARS.replace(r"\x20-\x7e", r"\x20-\x26\x28-\x7e"))  # no lone '
_FAST_DOUBLE = re.compile(r'"([%s]*)"' % _YAML_CHARS.replace(r"\x20-\x7e", r"\x20\x21\x23-\x5b\x5d-\x7e"))  # no " or \
_FAST_INT = re.compile(r"0|[1-9][0-9]*")
_FAST_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_RESOLVER = yaml.resolver.Resolver()  # YAML's own rules for what a plain word is (a number, a date, true, null, text)
_STR, _INT, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"


def _plain_tag(value: str) -> str:
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))


def _fast_front_matter(block: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """`_parse_front_matter` for simple front matter, or None when it is not that simple."""
    if "\r" in block:
        return None
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for n, line in enumerate(block.split("\n")):
        if not line.strip(" "):
            continue
        m = _FAST_LINE.fullmatch(line)
        if m is None:
            return None
        key, raw = m.group(1), m.group(2) or ""
        if key in data or _plain_tag(key) != _STR:
            return None
        value: Any
        if not raw:
            value = None
        elif raw[0] == "'":
            q = _FAST_SINGLE.fullmatch(raw)
            if q is None:
                return None
            value = q.group(1).replace("''", "'")
        elif raw[0] == '"':
            q = _FAST_DOUBLE.fullmatch(raw)
            if q is None:
                return None
            value = q.group(1)
        else:
            if _FAST_PLAIN.fullmatch(raw) is None or raw[-1] in " :" or ": " in raw or " #" in raw:
                return None
            tag = _plain_tag(raw)
            if tag == _STR:
                value = raw
            elif tag == _INT and _FAST_INT.fullmatch(raw):
                value = int(raw)
            elif tag == _TIMESTAMP and (d := _FAST_DATE.fullmatch(raw)):
                try:
                    value = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
                except ValueError:
                    value = raw  # not a real day: the timestamp stays a string (see _timestamp)
            else:
                return None
        data[key] = value
        lines[key] = n + 2
    return (data, lines) if data else None


def _parse_front_matter(block: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The mapping and each key's 1-based file line (front matter starts on line 2)."""
    fast = _fast_front_matter(block)
    if fast is not None:
        return fast
    if _too_deep(block):
        raise _MetaProblem(f"front matter is nested too deeply (more than {_MAX_DEPTH} levels)", 2)
    try:
        loader = _SafeLoader(block)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise _MetaProblem(f"front matter is not valid YAML ({problem})", line) from None
    except RecursionError:
        raise _MetaProblem("front matter is nested too deeply", 2) from None
    except (ValueError, TypeError, OverflowError) as e:
        raise _MetaProblem(f"front matter has a value that cannot be read ({e})", 2) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise _MetaProblem(f"front matter must be a mapping of keys to values, not {_type_name(data)}", 2)
    lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines.setdefault(str(key_node.value), key_node.start_mark.line + 2)
    return data, lines


def _type_name(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


@dataclass
class _Meta:
    values: dict[str, Any] = field(default_factory=dict)
    published: dt.date | None = None
    published_at: dt.datetime | None = None
    problems: list[tuple[str, int | None]] = field(default_factory=list)


def _read_meta(data: dict[str, Any], lines: dict[str, int], where: str) -> _Meta:
    """Known keys with checked types; a wrong type is a problem naming the key and line, the key is ignored."""
    meta = _Meta()
    for key in _META_TEXT_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
            meta.problems.append((f"{where} key {key!r} must be text, not {_type_name(value)}; ignored", lines.get(key)))
            continue
        value = str(value).strip()
        if key == "id" and ("\n" in value or not value):
            meta.problems.append((f"{where} key 'id' must be one non-empty line; ignored", lines.get(key)))
            continue
        if value:
            meta.values[key] = value
    if data.get("published") is not None:
        value = data["published"]
        parsed = _published_value(value)
        if parsed is None:
            shown = repr(value) if isinstance(value, str) else _type_name(value)
            meta.problems.append(
                (
                    f"{where} key 'published': {shown[:80]} is not a date; write YYYY-MM-DD or an ISO "
                    "date-time; ignored",
                    lines.get("published"),
                )
            )
        else:
            meta.published, meta.published_at = parsed
    return meta


def _published_value(value: Any) -> tuple[dt.date, dt.datetime | None] | None:
    if isinstance(value, dt.datetime):
        return value.date(), value
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        s = value.strip()
        try:
            if len(s) == 10:
                return dt.date.fromisoformat(s), None
            at = dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
            return at.date(), at
        except ValueError:
            return None
    return None


def _date_from_url(url: str | None, patterns: tuple[re.Pattern[str], ...]) -> dt.date | None:
    """The date in a news address's path ("/2013/03/11/slug"), by the lexicon's `url_date_patterns`
    (named groups y, m, d); None when there is none or it is no calendar day."""
    if not url or not patterns:
        return None
    try:
        path = urlparse(url if "//" in url else "//" + url).path
    except ValueError:
        return None
    for pattern in patterns:
        m = pattern.search(path)
        if m is not None:
            try:
                return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except (IndexError, ValueError):
                continue
    return None


def _source_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# --------------------------------------------------------------------------------------------------
# Furniture and datelines (patterns from the lexicon, compiled once per lexicon)

_DATEISH = re.compile(r"(?:19|20)\d\d|\d ?/ ?\d|-\d\d(?!\d)")  # a year, n/n or -nn: could be a date
_IGNORE = re.compile(r"<!--[ \t]*crosscheck-ignore\b([^\n>]*?)-->")


@dataclass
class _Block:
    name: str
    start: re.Pattern[str]
    end: re.Pattern[str] | None
    max_lines: int
    min_position: float
    then_short_lines: int


@dataclass
class _Dateline:
    weekday: re.Pattern[str]
    timezone: re.Pattern[str]
    months: dict[str, int]
    dates: list[re.Pattern[str]]
    time: re.Pattern[str]
    time4: re.Pattern[str]
    filler: frozenset[str]
    max_lines: int
    max_chars: int
    max_other: int
    day_first: bool


@dataclass
class _Patterns:
    lines: re.Pattern[str] | None
    phrases: tuple[str, ...]
    line_max: int
    phrase_line_max: int
    inline: re.Pattern[str] | None
    blocks: list[_Block]
    block_starts: re.Pattern[str] | None
    header_lines: int
    truncated_min: int
    dateline: _Dateline
    url_dates: tuple[re.Pattern[str], ...]


def _compile(pattern: str, where: str, flags: int = re.I) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except (re.error, TypeError) as e:
        raise ValueError(f"lexicon {where}: invalid regular expression {pattern!r}: {e}") from None


def _alternation(patterns: list[str], where: str) -> str:
    for i, p in enumerate(patterns):
        _compile(p, f"{where}[{i}]")
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=8)
def _patterns(lexicon: Lexicon) -> _Patterns:
    lines = list(lexicon.get("furniture_lines") or [])
    inline = list(lexicon.get("furniture_inline") or [])
    blocks = []
    for i, b in enumerate(lexicon.get("furniture_blocks") or []):
        where = f"furniture_blocks[{i}]"
        if not isinstance(b, dict) or "start" not in b:
            raise ValueError(f"lexicon {where}: a block needs at least a 'start' pattern")
        blocks.append(
            _Block(
                name=str(b.get("name", where)),
                start=_compile(b["start"], f"{where}.start"),
                end=_compile(b["end"], f"{where}.end") if b.get("end") else None,
                max_lines=int(b.get("max_lines", 0) or 0),
                min_position=float(b.get("min_position", 0) or 0),
                then_short_lines=int(b.get("then_short_lines", 0) or 0),
            )
        )
    return _Patterns(
        lines=_compile(_alternation(lines, "furniture_lines"), "furniture_lines") if lines else None,
        phrases=tuple(str(x).lower() for x in lexicon.get("furniture_line_phrases") or []),
        line_max=int(lexicon.get("furniture_line_max_chars", 300) or 300),
        phrase_line_max=int(lexicon.get("furniture_phrase_line_max_chars", 240) or 240),
        inline=_compile(_alternation(inline, "furniture_inline"), "furniture_inline") if inline else None,
        blocks=blocks,
        block_starts=re.compile("|".join(f"(?P<b{k}>{b.start.pattern})" for k, b in enumerate(blocks)), re.I)
        if blocks
        else None,
        header_lines=int(lexicon.get("furniture_header_lines", 0) or 0),
        truncated_min=int(lexicon.get("furniture_truncated_min_chars", 0) or 0),
        dateline=_dateline_patterns(lexicon),
        url_dates=tuple(_compile(str(x), f"url_date_patterns[{i}]", 0) for i, x in enumerate(lexicon.get("url_date_patterns") or [])),
    )


def _dateline_patterns(lexicon: Lexicon) -> _Dateline:
    months = {str(k).lower(): int(v) for k, v in (lexicon.get("dateline_months") or {}).items()}
    month_alt = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True)) or "(?!)"
    weekdays = [str(w) for w in lexicon.get("dateline_weekdays") or []]
    weekday_alt = "|".join(re.escape(w) for w in sorted(weekdays, key=len, reverse=True)) or "(?!)"
    tz_alt = _alternation([str(t) for t in lexicon.get("dateline_timezones") or []], "dateline_timezones") or "(?!)"
    year = r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d:])"
    mon = rf"\b(?P<mon>{month_alt})\b\.?"
    dates = [
        # March 28, 2018 / Dec. 20 2005 / Dec-19-05 / March 14th, 2013
        rf"{mon}[ \t-]*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:[ \t]*,[ \t]*|[ \t]+|-){year}",
        # 28 November 2005 / 27 NOVEMBER, 2005 / 09 Sep 2013
        rf"(?<![\d/.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{mon},?[ \t]+{year}",
        # 03/14/2013 / 4/9 / 2007 / 11/30/09
        rf"(?<![\d/])(?P<a>\d{{1,2}})[ \t]?/[ \t]?(?P<b>\d{{1,2}})[ \t]?/[ \t]?{year}",
        # 2013-03-14
        r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<a>\d\d)-(?P<b>\d\d)(?!\d)",
    ]
    return _Dateline(
        weekday=_compile(rf"\b(?:{weekday_alt})\b\.?", "dateline_weekdays"),
        timezone=_compile(rf"(?<![A-Za-z])(?:{tz_alt})(?![A-Za-z])", "dateline_timezones", 0),
        months=months,
        dates=[_compile(p, "dateline_months") for p in dates],
        time=re.compile(
            r"(?<![\d.:+])(?P<h>\d{1,2})[ \t]?[:.][ \t]?(?P<mi>\d\d)(?:[ \t]?:[ \t]?(?P<s>\d\d?))?(?![\d])"
            r"(?:[ \t]*(?P<ap>[ap])\.?[ \t]?m\b\.?)?",
            re.I,
        ),
        time4=_compile(rf"(?<![\d:.])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?=[ \t]*(?:{tz_alt})(?![A-Za-z]))", "time4", 0),
        filler=frozenset(str(w).lower() for w in lexicon.get("dateline_fillers") or []),
        max_lines=int(lexicon.get("dateline_max_lines", 8) or 8),
        max_chars=int(lexicon.get("dateline_max_chars", 120) or 120),
        max_other=int(lexicon.get("dateline_max_other_words", 2) or 0),
        day_first=str(lexicon.get("dateline_numeric_order", "mdy")).lower() == "dmy",
    )


@dataclass(frozen=True)
class DatelineMatch:
    date: dt.date
    at: dt.datetime | None


def parse_dateline(line: str, lexicon: Lexicon | None = None) -> DatelineMatch | None:
    """The date (and time) of a line that is essentially just a date, else None."""
    return _parse_dateline(line, _patterns(lexicon or load_lexicon()).dateline)


def _parse_dateline(line: str, p: _Dateline) -> DatelineMatch | None:
    s = line.strip().lstrip("#>*_ \t").rstrip("*_ \t")
    if not s or len(s) > p.max_chars or not _DATEISH.search(s):
        return None
    found = []
    for i, rx in enumerate(p.dates):
        for m in rx.finditer(s):
            d = _date_of(m, i, p)
            if d is not None:
                found.append((m.start(), m.end(), d))
    if not found:
        return None
    found.sort()
    start, end, date = found[0]
    rest = _blank(s, [(a, b) for a, b, _ in found])
    times = [m for m in p.time.finditer(rest)] + [m for m in p.time4.finditer(rest)]
    times.sort(key=lambda m: m.start())
    rest2 = _blank(rest, [m.span() for m in times])
    rest2 = p.timezone.sub(" ", rest2)
    rest2 = p.weekday.sub(" ", rest2)
    if re.search(r"\d", rest2):
        return None
    other = [w for w in re.findall(r"[^\W\d_]+", rest2) if w.lower() not in p.filler]
    if len(other) > p.max_other:
        return None
    # The time of the first date: one printed before it ("02:31 GMT, 12 March 2013 | UPDATED: ..."),
    # else the first one after it and before any second date ("... 2011 at 4:31 AM, updated ...").
    next_date = found[1][0] if len(found) > 1 else len(s)
    before = [m for m in times if m.start() < start]
    after = [m for m in times if end <= m.start() < next_date]
    at = None
    for m in before[:1] or after[:1]:
        at = _time_of(m, date)
    return DatelineMatch(date, at)


def _blank(s: str, spans: list[tuple[int, int]]) -> str:
    chars = list(s)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _date_of(m: re.Match[str], kind: int, p: _Dateline) -> dt.date | None:
    g = m.groupdict()
    y = int(g["y"])
    if y < 100:
        y += 2000 if y < 70 else 1900
    if kind in (0, 1):
        month, day = p.months.get(g["mon"].lower().rstrip(".")), int(g["d"])
    else:
        a, b = int(g["a"]), int(g["b"])
        if kind == 3:
            month, day = a, b
        elif p.day_first or a > 12:
            month, day = b, a
        else:
            month, day = a, b
    if month is None:
        return None
    try:
        return dt.date(y, month, day)
    except ValueError:
        return None


def _time_of(m: re.Match[str], date: dt.date) -> dt.datetime | None:
    g = m.groupdict()
    h, mi = int(g["h"]), int(g["mi"])
    sec = int(g["s"]) if g.get("s") else 0
    ap = (g.get("ap") or "").lower()
    if ap:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap == "p" else 0)
    if h > 23 or mi > 59 or sec > 59:
        return None
    return dt.datetime(date.year, date.month, date.day, h, mi, sec)


def _norm(s: str) -> str:
    return "".join(c for c in s.casefold() if c.isalnum())


# A non-empty line of the body: its index among all body lines, where its stripped text starts, the text.
_Line = tuple[int, int, str]


def _body_lines(text: str, body: int) -> list[_Line]:
    """The non-empty lines of the body, stripped, with their offsets (one pass over the text)."""
    out: list[_Line] = []
    pos = body
    for idx, raw in enumerate(text[body:].split("\n")):
        a, pos = pos, pos + len(raw) + 1
        line = raw.strip()
        if line:
            out.append((idx, a + len(raw) - len(raw.lstrip()), line))
    return out


def _furniture(
    text: str, body: int, lines: list[_Line], source: str, url: str | None, p: _Patterns
) -> list[tuple[int, int]]:
    """Spans of page furniture; whole-line patterns only ever run on short lines."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    body_len = max(1, n - body)
    short = [(i, line) for i, line in enumerate(lines) if len(line[2]) <= p.line_max]
    if p.lines is not None:
        fullmatch = p.lines.fullmatch
        spans.extend((at, at + len(line)) for _, (_, at, line) in short if fullmatch(line))
    if p.phrases:
        spans.extend(_phrase_lines(text, body, p, lines))
    if p.inline is not None:
        spans.extend(m.span() for m in p.inline.finditer(text, body))
    if p.block_starts is not None:
        done: set[int] = set()  # blocks that already run to the end of the text
        for i, (idx, at, line) in short:
            m = p.block_starts.fullmatch(line)
            if m is None:
                continue
            for k, block in enumerate(p.blocks):
                if k in done or m.group(f"b{k}") is None and not block.start.fullmatch(line):
                    continue
                if (at - body) / body_len < block.min_position:
                    continue
                if block.end is None:
                    spans.append((at, n))
                    done.add(k)
                    continue
                stop = _block_end(lines, i, idx, block)
                if stop is not None:
                    spans.append((at, stop))
    names = {_norm(x) for x in (source, _source_from_url(url) or "") if x and x != "unknown"}
    names.discard("")
    if names and p.header_lines:
        longest = max(len(x) for x in names) * 2 + 10
        for _, at, line in lines[: p.header_lines]:
            if len(line) <= longest and _norm(line) in names:
                spans.append((at, at + len(line)))
    if p.truncated_min:
        for (_, pa, prev), (_, _, line) in zip(lines, lines[1:]):
            if len(prev) >= p.truncated_min and len(line) > len(prev) and line.startswith(prev):
                spans.append((pa, pa + len(prev)))
    spans.extend(m.span() for m in _IGNORE.finditer(text, body))
    return spans


@lru_cache(maxsize=8)
def _phrases_inside_lines(phrases: tuple[str, ...]) -> bool:
    """Every phrase starts and ends with a visible character and holds no line break: an occurrence of
    it on a line lies inside the line's stripped text."""
    return all(ph and ph == ph.strip() and "\n" not in ph for ph in phrases)


def _phrase_lines(text: str, body: int, p: _Patterns, lines: list[_Line] | None = None) -> Iterator[tuple[int, int]]:
    """Short lines that contain one of the plain furniture phrases (str.find on the lower-cased text)."""
    low = text.lower()
    if lines is not None and len(low) == len(text) and _phrases_inside_lines(p.phrases):
        # Only a short line can be furniture, and most articles have few short lines and no phrase in
        # them: the phrases are first looked for in those lines only (each as the lower-cased text has
        # it), and the text is searched only when one is there.
        short = "\n".join(low[at : at + len(line)] for _, at, line in lines if len(line) <= p.phrase_line_max)
        if not any(ph in short for ph in p.phrases):
            return
    if len(low) != len(text):  # a character whose lower case is longer: offsets would shift
        for _, at, line in _body_lines(text, body):
            if len(line) <= p.phrase_line_max and any(ph in line.lower() for ph in p.phrases):
                yield at, at + len(line)
        return
    for phrase in p.phrases:
        pos = low.find(phrase, body)
        while pos >= 0:
            start = max(text.rfind("\n", 0, pos) + 1, body)
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            a, b = start, end
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a <= p.phrase_line_max:
                yield a, b
            pos = low.find(phrase, end)


def _block_end(lines: list[_Line], i: int, idx: int, block: _Block) -> int | None:
    """Where a block that starts at lines[i] ends: its end line, plus a signature of short lines."""
    assert block.end is not None
    for j in range(i + 1, len(lines)):
        jdx, at, line = lines[j]
        if block.max_lines and jdx - idx > block.max_lines:
            return None
        if len(line) <= 300 and block.end.fullmatch(line):
            stop = at + len(line)
            for _, sat, sig in lines[j + 1 : j + 1 + block.then_short_lines]:
                if len(sig) > 80 or sig.endswith((".", "!", "?", ":", '"', "”")):
                    break
                stop = sat + len(sig)
            return stop
    return None


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _inside(spans: tuple[tuple[int, int], ...], a: int, b: int) -> bool:
    i = bisect.bisect_right(spans, (a, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= a and b <= spans[i][1]


def _find_dateline(
    lines: list[_Line], furniture: tuple[tuple[int, int], ...], p: _Dateline
) -> tuple[DatelineMatch, list[tuple[int, int]]] | None:
    """The first line within the first `max_lines` that is a dateline, with its span and the spans
    of the dateline lines right after it ("UPDATED: ...", "Edited time: ...")."""
    seen = 0
    found: tuple[DatelineMatch, list[tuple[int, int]]] | None = None
    for _, at, line in lines:
        if _inside(furniture, at, at + len(line)):
            continue
        m = _parse_dateline(line, p) if len(line) <= p.max_chars + 8 else None
        if found is not None:
            if m is None:
                return found
            found[1].append((at, at + len(line)))
            continue
        seen += 1
        if seen > p.max_lines:
            return None
        if m is not None:
            found = (m, [(at, at + len(line))])
    return found


def _ignored_rules(text: str, body: int) -> tuple[str, ...]:
    ids: list[str] = []
    for m in _IGNORE.finditer(text, body):
        for rule in re.split(r"[\s,]+", m.group(1).strip()):
            if rule and rule not in ids:
                ids.append(rule)
    return tuple(ids)


# --------------------------------------------------------------------------------------------------
# Building articles


@dataclass
class _Candidate:
    article: Article
    origin: str  # relpath, or relpath#line for .jsonl: what a renamed duplicate id is made from


_ARTICLE_FIELDS = tuple(Article.model_fields)
# Article.model_construct loops over the fields in Python for aliases and defaults; for an Article given every
# field, without aliases, post-init or extra fields, the object it builds is made here directly.
_PLAIN_ARTICLE = not (
    Article.__pydantic_post_init__ or Article.__pydantic_root_model__ or Article.model_config.get("extra") == "allow"
    or any(f.alias is not None or f.validation_alias is not None for f in Article.model_fields.values())
)


def _construct_article(**values: Any) -> Article:
    """Article.model_construct(**values): the same object (fields in their order, every field set)."""
    if not _PLAIN_ARTICLE or len(values) != len(_ARTICLE_FIELDS) or not all(k in values for k in _ARTICLE_FIELDS):
        return Article.model_construct(**values)
    m = Article.__new__(Article)
    object.__setattr__(m, "__dict__", {k: values[k] for k in _ARTICLE_FIELDS})
    object.__setattr__(m, "__pydantic_fields_set__", set(_ARTICLE_FIELDS))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


class LoadMemo:
    """What reading each text file gave, kept between runs (the pipeline stores it in the cache), so that a
    file read before is not parsed again: front matter, furniture, dateline and publication date.

    An entry is keyed by the file's content hash, its path below the corpus root (ids default to it) and
    its encoding; `config` must name everything else reading depends on (the reading code, the lexicon,
    the publication-date option, the limits) and is the caller's key for the whole memo. Only a file read
    without any error or warning is kept; its article is the one reading would build, field for field."""

    def __init__(self, config: str, entries: dict[str, list] | None = None) -> None:
        self.config = config
        self.entries: dict[str, list] = dict(entries or {})
        self.used: set[str] = set()
        self.added = 0

    @property
    def changed(self) -> bool:
        return self.added > 0 or len(self.used) != len(self.entries)

    def kept(self) -> dict[str, list]:
        """The entries of the files of this run (those of files gone or changed are dropped)."""
        return {k: self.entries[k] for k in sorted(self.used)}

    def get(self, key: str, text: str, path: str, content_hash: str) -> Article | None:
        row = self.entries.get(key)
        if row is None:
            return None
        try:
            (aid, source, title, url, published, published_at, published_from, published_text, language, body_start,
             furniture, ignored, encoding) = row
            article = _construct_article(
                id=aid, path=path, source=source, title=title, url=url,
                published=dt.date.fromisoformat(published) if published is not None else None,
                published_at=dt.datetime.fromisoformat(published_at) if published_at is not None else None,
                published_from=published_from, published_text=published_text, language=language, text=text,
                body_start=body_start, furniture=tuple((a, b) for a, b in furniture), content_hash=content_hash,
                ignored_rules=tuple(ignored), encoding=encoding,
            )
        except (TypeError, ValueError):  # a damaged entry is no entry
            return None
        self.used.add(key)
        return article

    def put(self, key: str, a: Article) -> None:
        at = a.published_at
        if at is not None and at.tzinfo is not None and type(at.tzinfo) is not dt.timezone:
            return  # kept only when its ISO form reads back as the same value and type
        self.entries[key] = [a.id, a.source, a.title, a.url, a.published.isoformat() if a.published else None,
                             at.isoformat() if at is not None else None, a.published_from, a.published_text, a.language,
                             a.body_start, [list(x) for x in a.furniture], list(a.ignored_rules), a.encoding]
        self.used.add(key)
        self.added += 1


class _Loader:
    def __init__(self, published: dt.date | None, limits: Limits, lexicon: Lexicon, memo: LoadMemo | None = None) -> None:
        self.published = published.date() if isinstance(published, dt.datetime) else published
        self.limits = limits
        self.patterns = _patterns(lexicon)
        self.errors: list[InputError] = []
        self.candidates: list[_Candidate] = []
        self.memo = memo

    def error(self, path: Path, message: str, line: int | None = None) -> None:
        self.errors.append(InputError(path=_show(path), message=message, line=line))

    # ---- one file

    def load(self, f: _File) -> None:
        suffix = f.path.suffix.lower()
        if suffix == ".jsonl":
            self._load_jsonl(f)
            return
        raw = self._read(f.path, f.st)
        if raw is None:
            return
        text = self._text(f.path, raw)
        if text is None:
            return
        decoded, encoding = text
        if suffix == ".json":
            self._load_json(f, raw, decoded, encoding)
        else:
            self._load_text(f, raw, decoded, encoding)

    def _read(self, path: Path, st: os.stat_result | None = None) -> bytes | None:
        limit = self.limits.max_article_bytes
        try:
            size = (st or path.stat()).st_size
            if size > limit:
                self.error(path, f"file is {size:,} bytes, over max_article_bytes ({limit:,}): not read")
                return None
            with open(path, "rb") as fh:
                raw = fh.read(limit + 1)
        except OSError as e:
            self.error(path, _os_message(e, path))
            return None
        if len(raw) > limit:
            self.error(path, f"file is over max_article_bytes ({limit:,}): not read")
            return None
        if not raw:
            self.error(path, "empty file: no article")
            return None
        return raw

    def _text(self, path: Path, raw: bytes, line: int | None = None) -> tuple[str, str] | None:
        try:
            text, encoding, note, note_line = _decode(raw)
        except _Unreadable as e:
            self.error(path, str(e), line)
            return None
        if note:
            self.error(path, WARNING + note, line or note_line)
        return text, encoding

    def _load_text(self, f: _File, raw: bytes, text: str, encoding: str) -> None:
        if self.memo is None:
            self._parse_text(f, raw, text, encoding)
            return
        content_hash = hashlib.sha256(raw).hexdigest()
        key = f"{content_hash}\0{f.rel}\0{encoding}"
        article = self.memo.get(key, text, _show(f.path), content_hash)
        if article is not None:
            self.candidates.append(_Candidate(article, f.rel))
            return
        errors, candidates = len(self.errors), len(self.candidates)
        self._parse_text(f, raw, text, encoding)
        if len(self.errors) == errors and len(self.candidates) == candidates + 1:
            self.memo.put(key, self.candidates[-1].article)

    def _parse_text(self, f: _File, raw: bytes, text: str, encoding: str) -> None:
        try:
            block, body = _split_front_matter(text)
        except _MetaProblem as e:
            self.error(f.path, e.message, e.line)
            return
        meta = _Meta()
        if block is not None and len(block) > self.limits.max_front_matter_bytes:
            limit = self.limits.max_front_matter_bytes
            self.error(f.path, f"front matter is over max_front_matter_bytes ({limit:,}); the article was read without it", 2)
        elif block is not None:
            try:
                data, lines = _parse_front_matter(block)
            except _MetaProblem as e:
                self.error(f.path, e.message + "; the article was read without it", e.line)
            else:
                meta = _read_meta(data, lines, "front matter")
        for message, line in meta.problems:
            self.error(f.path, message, line)
        if not text[body:].strip():
            what = "only front matter, no article text" if block is not None else "no article text (blank file)"
            self.error(f.path, what + ": no article")
            return
        self._add(f, f.rel, meta, text, body, raw, encoding, _strip_suffix(f.rel), "front_matter")

    def _load_json(self, f: _File, raw: bytes, text: str, encoding: str) -> None:
        obj = self._json(f.path, text)
        if obj is not None:
            self._json_article(f, obj, raw, encoding, None)

    def _json(self, path: Path, text: str, line: int | None = None) -> Any:
        try:
            return json.loads(text)
        except RecursionError:
            self.error(path, "JSON nested too deeply to read", line)
        except json.JSONDecodeError as e:
            at = e.lineno if line is None else line
            self.error(path, f"invalid JSON: {e.msg} (column {e.colno})", at)
        except ValueError as e:
            self.error(path, f"invalid JSON: {e}", line)
        return None

    def _json_article(self, f: _File, obj: Any, raw: bytes, encoding: str, line: int | None) -> None:
        where = "JSON" if line is None else f"JSON line {line}"
        if not isinstance(obj, dict):
            hint = " (use .jsonl for one article a line)" if isinstance(obj, list) and line is None else ""
            self.error(f.path, f"{where}: expected an object with a 'text' key, not {_type_name(obj)}{hint}", line)
            return
        text = obj.get("text")
        if not isinstance(text, str):
            got = "missing" if text is None else _type_name(text)
            self.error(f.path, f"{where} key 'text' must be a string ({got}): no article", line)
            return
        if not text.strip():
            self.error(f.path, f"{where} key 'text' is empty: no article", line)
            return
        meta = _read_meta(obj, {}, "JSON")
        for message, _ in meta.problems:
            self.error(f.path, message, line)
        if line is None:
            default_id, origin = _strip_suffix(f.rel), f.rel
        else:
            default_id = origin = f"{f.rel}#{line}"
        self._add(f, origin, meta, text, 0, raw, encoding, default_id, "front_matter")

    def _load_jsonl(self, f: _File) -> None:
        limit = self.limits.max_article_bytes
        try:
            fh = open(f.path, "rb")
        except OSError as e:
            self.error(f.path, _os_message(e, f.path))
            return
        read_any = False
        with fh:
            number = 0
            while True:
                try:
                    raw = fh.readline(limit + 1)
                except OSError as e:
                    self.error(f.path, _os_message(e, f.path))
                    return
                if not raw:
                    break
                number += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a block at a time
                        raw = fh.readline(1 << 20)
                    self.error(f.path, f"line is over max_article_bytes ({limit:,}): not read", number)
                    continue
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                if not raw.strip():
                    continue
                read_any = True
                decoded = self._text(f.path, raw.rstrip(b"\r\n"), number)
                if decoded is None:
                    continue
                obj = self._json(f.path, decoded[0], number)
                if obj is not None:
                    self._json_article(f, obj, raw.rstrip(b"\r\n"), decoded[1], number)
        if not read_any:
            self.error(f.path, "empty file: no article")

    def _add(
        self,
        f: _File,
        origin: str,
        meta: _Meta,
        text: str,
        body: int,
        raw: bytes,
        encoding: str,
        default_id: str,
        meta_from: str,
    ) -> None:
        values = meta.values
        url = values.get("url")
        source = values.get("source") or _source_from_url(url) or "unknown"
        p = self.patterns
        lines = _body_lines(text, body)
        furniture = _merge(_furniture(text, body, lines, source, url, p))
        published, at, published_from, published_text = meta.published, meta.published_at, "unknown", None
        dateline = _find_dateline(lines, furniture, p.dateline)
        if dateline is not None:  # page metadata, not article text, whichever date wins
            furniture = _merge(list(furniture) + dateline[1])
        if published is not None:
            published_from = meta_from
        elif dateline is not None:
            (m, [(a, b), *_]) = dateline
            published, at, published_from = m.date, m.at, "dateline"
            published_text = text[a:b].lstrip("#").strip()
        elif (from_url := _date_from_url(url if isinstance(url, str) else None, p.url_dates)) is not None:
            published, published_from = from_url, "url"
        elif self.published is not None:
            published, published_from = self.published, "option"
        article = Article(
            id=values.get("id") or default_id,
            path=_show(f.path),
            source=source,
            title=values.get("title"),
            url=url,
            published=published,
            published_at=at,
            published_from=published_from,
            published_text=published_text,
            language=values.get("language"),
            text=text,
            body_start=body,
            furniture=furniture,
            content_hash=hashlib.sha256(raw).hexdigest(),
            ignored_rules=_ignored_rules(text, body),
            encoding=encoding,
        )
        self.candidates.append(_Candidate(article, origin))

    # ---- the corpus

    def articles(self) -> list[Article]:
        """Sorted by id; a duplicate id is kept apart as `<id>~<origin>`, decided by path, not file order."""
        ordered = sorted(self.candidates, key=lambda c: (c.article.id, c.article.path, c.origin))
        out: list[Article] = []
        first: dict[str, _Candidate] = {}
        taken = {c.article.id for c in ordered}
        for c in ordered:
            a = c.article
            if a.id not in first:
                first[a.id] = c
                out.append(a)
                continue
            new = f"{a.id}~{c.origin}"
            n = 2
            while new in taken:
                new, n = f"{a.id}~{c.origin}~{n}", n + 1
            taken.add(new)
            other = first[a.id].article.path
            self.error(
                Path(a.path),
                f"{WARNING}duplicate id {a.id!r} (also the id of {other}); this article is kept apart as {new!r}",
                None,
            )
            out.append(a.model_copy(update={"id": new}))
        out.sort(key=lambda a: a.id)
        return out


def _strip_suffix(rel: str) -> str:
    head, _, name = rel.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{head}/{stem}" if head else stem


def load_corpus(
    paths: list[Path],
    *,
    published: dt.date | None = None,
    limits: Limits | None = None,
    lexicon: Lexicon | None = None,
    memo: LoadMemo | None = None,
) -> CorpusLoad:
    """Read every article under `paths` (files or folders); problems become errors, never exceptions.
    `memo`: what earlier runs read from unchanged files (see LoadMemo), used and added to."""
    limits = limits or Limits()
    loader = _Loader(published, limits, lexicon or load_lexicon(), memo)
    skipped: list[str] = []
    walk = _Walk(loader.errors, skipped)
    seen_files: set[tuple[int, int]] = set()
    stopped = False
    # Roots in a fixed order (a root inside another gets the outer one's ids, whatever the order given).
    for root in sorted({Path(p) for p in paths}, key=lambda p: os.path.abspath(p)):
        found = 0
        for f in walk.files(root):
            found += 1
            try:
                st = f.st or f.path.stat()
                key: tuple[int, int] | None = (st.st_dev, st.st_ino)
            except OSError:
                key = None
            if key is not None:
                if key in seen_files:
                    continue  # the same file named twice (a root inside another root, a link)
                seen_files.add(key)
            try:
                loader.load(f)
            except RecursionError:
                loader.error(f.path, "nested too deeply to read")
            except MemoryError:
                loader.error(f.path, "too large to read into memory")
            except Exception as e:  # a bug here must not hide the other files: report it as this file's error
                loader.error(f.path, f"could not be read ({type(e).__name__}: {e})")
            if len(loader.candidates) > limits.max_articles:
                del loader.candidates[limits.max_articles :]
                loader.error(
                    f.path,
                    f"more than max_articles ({limits.max_articles:,}) articles: stopped here, "
                    "this file and everything after it in the walk were not read (or only in part)",
                )
                stopped = True
                break
        if stopped:
            break
        if found == 0 and root.is_dir():
            loader.error(root, f"no articles in this folder ({_suffix_list()} files); nothing to check")
    articles = loader.articles()
    errors = sorted(loader.errors, key=lambda e: (e.path, e.line or 0, e.message))
    return CorpusLoad(articles=articles, errors=errors, skipped=sorted(skipped))
