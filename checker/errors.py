"""Errors that stop a run with exit status 2: a rule or lexicon file that cannot be used."""

from __future__ import annotations


class RuleError(Exception):
    """A rule or lexicon file that cannot be used: the message names the file, the line and the key."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
