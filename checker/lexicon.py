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


def load_lexicon_dir(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if not path.is_dir():
        raise RuleError(str(path), None, "lexicon folder not found")
    for f in sorted(path.glob("*.yml")):
        try:
            loaded = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise RuleError(str(f), mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(str(f), None, f"cannot read: {exc}") from None
        if not isinstance(loaded, dict):
            raise RuleError(str(f), None, "a lexicon file must be a mapping of list names to lists")
        for key, val in loaded.items():
            def _ok(x: object) -> bool:
                return isinstance(x, (str, dict)) or (isinstance(x, list) and all(isinstance(y, str) for y in x))

            if isinstance(val, list) and not all(_ok(x) for x in val):
                bad = next(x for x in val if not _ok(x))
                raise RuleError(str(f), None, f"key {key!r}: item {bad!r} is not a string (quote it: YAML reads yes/no/on/off as booleans)")
            if key in data:
                raise RuleError(str(f), None, f"lexicon key {key!r} is defined twice")
            data[key] = val
    return data


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The lexicon from `path` (a folder of YAML files), default the bundled rules/lexicon/."""
    folder = Path(path) if path else bundled_rules_dir() / "lexicon"
    return Lexicon(load_lexicon_dir(folder))
