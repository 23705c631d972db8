"""Decoded facts of a whole corpus in less memory: equal values share one object.

A run decodes every article's facts (from the fact cache or from the workers' JSON) and keeps them
until its rules have run. Decoding makes a new object for every value of every fact: the same name
("Sonoma County"), the same normalized value, the same sentence of a syndicated paragraph, the same
offsets (every integer above 256 is an object of its own) are stored once per fact. `Sharing` makes
equal values of the facts of one run the same object, as they are decoded. A value is replaced only by
an equal value of the very same type (str, int, or a tuple of those), so no fact compares, hashes or
serializes differently; only how many copies the process holds changes.
"""

from __future__ import annotations

from typing import Any

from checker.models import ArticleFacts

_SHARED_TYPES = (str, int)


class Sharing:
    """One table of values for the facts of one run (dropped with it: nothing is kept across runs)."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def share(self, af: ArticleFacts) -> ArticleFacts:
        """`af` with the values of its sentences and facts taken from the table (in place: the objects are
        frozen models, and each value is replaced by an equal one of the same type)."""
        values = self._values
        for obj in (*af.sentences, *af.facts):
            d = obj.__dict__
            for k, v in d.items():
                t = type(v)
                if t is str or t is int:
                    if t is int and -5 <= v <= 256:  # Python's own small integers are shared already
                        continue
                    got = values.setdefault(v, v)
                elif t is tuple and v and all(type(x) in _SHARED_TYPES for x in v):
                    got = values.setdefault(v, v)
                else:
                    continue
                if got is not v:
                    d[k] = got
        return af
