"""Lexicons: the YAML word lists in rules/lexicon/ (titles, particles, triggers, cue phrases, ...).

Code holds mechanisms; every word list it needs lives here as data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from checker.errors import RuleError
from checker.resources import bundled_rules_dir


class LexiconError(RuleError):
    """A lexicon file that cannot be used: named by file, line and key."""


class Lexicon:
    """Attribute access to the merged YAML lexicon files; a missing list is empty."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._data.get(name, [])

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    @property
    def data(self) -> dict[str, Any]:
        return self._data


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_NODES = 200_000  # YAML nodes of one lexicon file counted with aliases expanded (an alias bomb has billions)


def _parse(f: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """A lexicon file's data, and the 1-based line of every key and list item by its path."""
    name = str(f)
    try:
        text = f.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(name, None, f"cannot read: {exc}") from None
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple[Any, ...], int] = {}
        if node is not None:
            _lines(node, (), lines, name)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LexiconError(name, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    return data, lines


def _lines(root: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int], name: str) -> None:
    """Record node lines by path; refuse a file that expands (through aliases) past MAX_NODES nodes."""
    seen = 0
    stack = [(root, path)]
    while stack:
        node, at = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise LexiconError(name, None, f"more than {MAX_NODES:,} YAML nodes once aliases are expanded: refused (alias bomb?)")
        out.setdefault(at, node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*at, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = key.value if isinstance(key, yaml.ScalarNode) else None
                out.setdefault((*at, k), key.start_mark.line + 1)
                stack.append((value, (*at, k)))


def _line(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    """The line of `path`, else of its nearest recorded parent (keys are compared as YAML wrote them)."""
    for n in range(len(path), 0, -1):
        key = tuple(str(p) if not isinstance(p, int) else p for p in path[:n])
        if key in lines:
            return lines[key]
        if path[:n] in lines:
            return lines[path[:n]]
    return None


def load_lexicon_dir(path: Path, trusted: frozenset[tuple[str, int]] | None = frozenset()) -> dict[str, Any]:
    """The merged lexicon of a folder of YAML files; a bad file, key or pattern stops with file, line and key.
    Patterns in `trusted` are not checked again; None trusts them all (the bundled lexicon, whose every
    pattern the test suite checks)."""
    from checker.patterns import check_lexicon

    data: dict[str, Any] = {}
    where: dict[str, tuple[str, dict[tuple[Any, ...], int]]] = {}
    if not path.is_dir():
        raise LexiconError(str(path), None, "lexicon folder not found")
    for f in sorted(path.glob("*.yml")):
        loaded, lines = _parse(f)
        loaded = loaded or {}
        if not isinstance(loaded, dict):
            raise LexiconError(str(f), 1, "a lexicon file must be a mapping of list names to lists")
        for key, val in loaded.items():
            def _ok(x: object) -> bool:
                return isinstance(x, (str, dict)) or (isinstance(x, list) and all(isinstance(y, str) for y in x))

            if isinstance(val, list) and not all(_ok(x) for x in val):
                i, bad = next((i, x) for i, x in enumerate(val) if not _ok(x))
                raise LexiconError(str(f), _line(lines, (key, i)), f"key {key!r}: item {bad!r} is not a string (quote it: YAML reads yes/no/on/off as booleans)")
            if key in data:
                raise LexiconError(str(f), _line(lines, (key,)), f"lexicon key {key!r} is defined twice (first in {where[key][0]})")
            data[key] = val
            where[key] = (str(f), lines)
    for pat, problem in (check_lexicon(data, trusted) if trusted is not None else ()):
        file, lines = where.get(pat.path[0], (str(path), {}))
        raise LexiconError(file, _line(lines, pat.path), f"key {pat.key!r}: {problem}")
    return data


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon from `path` (a folder of YAML files), default the bundled rules/lexicon/."""
    bundled = bundled_rules_dir() / "lexicon"
    folder = Path(path) if path else bundled
    # Checking a pattern for catastrophic backtracking costs seconds per lexicon; the bundled patterns
    # are checked by the test suite, so only the patterns a user lexicon adds or changes are checked here.
    if _same_folder(folder, bundled):
        return Lexicon(load_lexicon_dir(folder, trusted=None))
    return Lexicon(load_lexicon_dir(folder, trusted=_bundled_patterns()))


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@lru_cache(maxsize=1)
def _bundled_patterns() -> frozenset[tuple[str, int]]:
    from checker.patterns import lexicon_patterns

    data = load_lexicon_dir(bundled_rules_dir() / "lexicon", trusted=None)
    return frozenset((p.source, p.flags) for p in lexicon_patterns(data))
