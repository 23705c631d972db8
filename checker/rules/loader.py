"""Reading rule files: safe YAML, every error named by file, line and key."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from checker.errors import RuleError
from checker.rules.schema import KINDS, RULE_ADAPTER

__all__ = ["RuleError", "load_rules", "parse_rule_file", "rule_files"]




class _Loader(yaml.SafeLoader):
    """Safe loading, with the line of every mapping kept and aliases limited (no "billion laughs")."""

    max_aliases = 16  # a rule file needs few; an alias bomb needs many

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise yaml.YAMLError(f"more than {self.max_aliases} aliases: refused (alias bomb?)")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # type: ignore[override]
        mapping = super().construct_mapping(node, deep=deep)
        lines = {}
        for key_node, _ in node.value:
            lines[getattr(key_node, "value", None)] = key_node.start_mark.line + 1
        mapping["__lines__"] = lines
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in ("__lines__", "__line__")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def parse_rule_file(path: Path) -> list[Any]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(name, None, f"cannot read: {exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(name, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return []
    if not isinstance(data, dict) or "rules" not in data:
        raise RuleError(name, 1, "a rule file is a mapping with a `rules:` list")
    extra = [k for k in data if k not in ("rules", "__lines__", "__line__")]
    if extra:
        raise RuleError(name, data["__lines__"].get(extra[0]), f"unknown top-level key {extra[0]!r}")
    raw = data["rules"]
    if not isinstance(raw, list):
        raise RuleError(name, data["__lines__"].get("rules"), "`rules` must be a list")
    rules = []
    for item in raw:
        if not isinstance(item, dict):
            raise RuleError(name, data["__lines__"].get("rules"), "each rule must be a mapping")
        line = item.get("__line__")
        lines = item.get("__lines__", {})
        plain = _strip(item)
        kind = plain.get("kind")
        if kind not in KINDS:
            hint = difflib.get_close_matches(str(kind), KINDS, n=1)
            raise RuleError(name, lines.get("kind", line), f"key 'kind': unknown rule kind {kind!r}" + (f" (did you mean {hint[0]!r}?)" if hint else f"; known kinds: {', '.join(KINDS)}"))
        try:
            rules.append(RULE_ADAPTER.validate_python(plain))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [str(p) for p in err["loc"] if str(p) != kind]
            key = loc[0] if loc else None
            msg = err["msg"]
            if err["type"] == "extra_forbidden" and key:
                from checker.rules.schema import Rule  # noqa: F401

                fields = list(type(RULE_ADAPTER.validate_python({"kind": kind, "id": "x", "message": "x"})).model_fields)
                hint = difflib.get_close_matches(key, fields, n=1)
                msg = f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            raise RuleError(name, lines.get(key, line), f"rule {plain.get('id', '?')!r}: key {'.'.join(loc) or '?'!r}: {msg}") from None
    return rules


def rule_files(paths: list[Path]) -> tuple[list[Path], list[RuleError]]:
    """The rule files named by files and folders (a folder: its *.yml / *.yaml, not the lexicon/
    subfolder), and an error for each path that does not exist."""
    files: list[Path] = []
    missing: list[RuleError] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yml"), *p.glob("*.yaml")]))
        elif p.exists():
            files.append(p)
        else:
            missing.append(RuleError(str(p), None, "no such file or folder"))
    return files, missing


def load_rules(paths: list[Path]) -> list[Any]:
    """All rules from files and folders; the first problem stops the load."""
    files, missing = rule_files(paths)
    if missing:
        raise missing[0]
    rules, seen = [], {}
    for f in files:
        for r in parse_rule_file(f):
            if r.id in seen:
                raise RuleError(str(f), None, f"duplicate rule id {r.id!r} (first defined in {seen[r.id]})")
            seen[r.id] = str(f)
            rules.append(r)
    return rules
