"""Where the bundled rules/ folder is, installed or run from a source checkout."""

from __future__ import annotations

from pathlib import Path


def bundled_rules_dir() -> Path:
    """The default rules folder: shipped as checker.bundled_rules, or rules/ beside the package."""
    source = Path(__file__).resolve().parent.parent / "rules"
    if (source / "lexicon").is_dir():
        return source
    try:
        import checker.bundled_rules as pkg  # type: ignore[import-not-found]

        return Path(pkg.__file__).resolve().parent
    except ImportError:  # pragma: no cover - broken install
        return source
