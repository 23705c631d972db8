"""Project configuration: `crosscheck.toml` or `[tool.crosscheck]` in pyproject.toml, found by walking up from the corpus.

Keys (dashes or underscores): rules, enable, disable, severity, ignore, fail-on, min-severity, baseline,
suppressions, format. Paths in the file are relative to the file's folder. Command-line options win.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning", "info")
FAIL_ON = (*SEVERITIES, "never")
from checker.report import FORMATS  # noqa: E402
CONFIG_NAME = "crosscheck.toml"
BASELINE_NAME = ".crosscheck-baseline.json"
SUPPRESSIONS_NAME = ".crosscheck-suppressions.yml"


class ConfigError(Exception):
    """A configuration file that cannot be used: the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """Settings from a config file; `root` is the folder paths are relative to (the file's, or the cwd)."""

    root: Path
    source: Path | None = None
    rules: tuple[Path, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    min_severity: str | None = None
    baseline: Path | None = None
    suppressions: Path | None = None
    format: str | None = None

    @property
    def default_baseline(self) -> Path:
        return self.baseline or self.root / BASELINE_NAME

    @property
    def default_suppressions(self) -> Path | None:
        """The configured suppressions file, else `.crosscheck-suppressions.yml` in the root when it exists."""
        if self.suppressions is not None:
            return self.suppressions
        candidate = self.root / SUPPRESSIONS_NAME
        return candidate if candidate.is_file() else None


def find_config(start: Path) -> Path | None:
    """The nearest crosscheck.toml, or pyproject.toml with a [tool.crosscheck] table, at or above `start`."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _tool_table(pyproject) is not None:
            return pyproject
    return None


def _tool_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    tool = data.get("tool", {})
    table = tool.get("crosscheck") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def load_config(path: Path | None, cwd: Path | None = None) -> Config:
    """Read one config file (None: the defaults, rooted at the cwd)."""
    if path is None:
        return Config(root=(cwd or Path.cwd()).resolve())
    path = path.resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = (data.get("tool") or {}).get("crosscheck")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: no [tool.crosscheck] table")
        where = "[tool.crosscheck]"
    else:
        table = data.get("crosscheck", data) if set(data) == {"crosscheck"} else data
        where = ""
    return _parse(table, path, where)


def _parse(table: dict[str, Any], path: Path, where: str) -> Config:
    root = path.parent
    values: dict[str, Any] = {}

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{path}: {where + ' ' if where else ''}key {key!r}: {message}")

    def strings(key: str, raw: Any) -> tuple[str, ...]:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise fail(key, "expected a string or a list of strings")
        return tuple(raw)

    def choice(key: str, raw: Any, allowed: tuple[str, ...]) -> str:
        if raw not in allowed:
            raise fail(key, f"expected one of {', '.join(allowed)}, not {raw!r}")
        return raw

    def one_path(key: str, raw: Any) -> Path:
        if not isinstance(raw, str) or not raw:
            raise fail(key, "expected a path")
        return (root / raw).resolve()

    for raw_key, raw in table.items():
        key = raw_key.replace("_", "-")
        if key == "rules":
            values["rules"] = tuple((root / p).resolve() for p in strings(key, raw))
        elif key in ("enable", "disable", "ignore"):
            values[key] = strings(key, raw)
        elif key == "severity":
            if not isinstance(raw, dict):
                raise fail(key, "expected a table of rule id = severity")
            values["severity"] = {str(k): choice(f"{key}.{k}", v, SEVERITIES) for k, v in raw.items()}
        elif key == "fail-on":
            values["fail_on"] = choice(key, raw, FAIL_ON)
        elif key == "min-severity":
            values["min_severity"] = choice(key, raw, SEVERITIES)
        elif key in ("baseline", "suppressions"):
            values[key] = one_path(key, raw)
        elif key == "format":
            values["format"] = choice(key, raw, FORMATS)
        else:
            known = "rules, enable, disable, severity, ignore, fail-on, min-severity, baseline, suppressions, format"
            raise fail(raw_key, f"unknown key (known: {known})")
    return Config(root=root, source=path, **values)


def resolve_config(paths: list[Path], explicit: Path | None = None, no_config: bool = False) -> Config:
    """The config for a run: --config FILE, else the nearest one above the first corpus path, else defaults."""
    if no_config:
        return load_config(None)
    if explicit is not None:
        return load_config(explicit)
    start = paths[0] if paths else Path.cwd()
    return load_config(find_config(start))


def pick(cli_value: Any, config_value: Any, default: Any) -> Any:
    """Command line wins, then the config file, then the built-in default."""
    if cli_value is not None:
        return cli_value
    return config_value if config_value is not None else default


def make_plan(config: Config, paths: list[Path], *, drafts: list[Path] | None = None, published: Any = None,
              enable: tuple[str, ...] = (), disable: tuple[str, ...] = (), changed_since: str | None = None,
              suppressions: Path | None = None, no_suppressions: bool = False, baseline: Path | None = None,
              no_baseline: bool = False, min_severity: str | None = None) -> Any:
    """Merge the config file and the command line (which wins) into a gate Plan."""
    from checker.gate import Plan

    return Plan(
        paths=list(paths),
        root=config.root,
        drafts=list(drafts or []),
        published=published,
        enable=tuple(enable) if (enable or disable) else config.enable,  # the command line's selection replaces the config's
        disable=tuple(disable) if (enable or disable) else config.disable,
        severity=dict(config.severity),
        ignore=config.ignore,
        changed_since=changed_since,
        suppressions=None if no_suppressions else pick(suppressions, config.default_suppressions, None),
        baseline=None if no_baseline else pick(baseline, config.baseline, None),
        min_severity=pick(min_severity, config.min_severity, None),
    )
