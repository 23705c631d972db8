"""A run's stored result in parts, so that a run reuses what it did not change without decoding it.

The result of a run (findings, events, stories) is stored in the run cache as one blob of separately
compressed parts: the findings, the stories, and the events of each story (an event's `parent`; the
events of no one story are one more part), with the order of the events across parts. The events are
two thirds of the bytes (each mention carries its sentence) and few readers need them, so they are
decoded one part at a time, when read (`StoredEvents`); an incremental run decodes and encodes again the
parts of the stories it re-checks and copies the others as they were stored. A report's events read
whole are the same events, in the same order, as those of the run that stored them.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Iterable, Iterator

from pydantic import PlainSerializer, TypeAdapter

from checker.models import Event, Finding, Report, Story

MAGIC = b"crosscheck-run 2\n"
_HEAD = 12  # digits of the header's length
_EVENTS = TypeAdapter(tuple[Event, ...])
_FINDINGS = TypeAdapter(tuple[Finding, ...])
_STORIES = TypeAdapter(tuple[Story, ...])


class StoredEvents(Sequence):
    """A run's events, held per parent story as decoded events or as a stored part (compressed JSON),
    decoded when first read. `order`: for each event in the run's order, the index of its part."""

    def __init__(self, parents: list[str | None], parts: list[Any], order: list[int]) -> None:
        self.parents = parents
        self._parts = parts  # per part: a tuple of events, or bytes (stored, not decoded yet)
        self.order = order
        self._at = {p: i for i, p in enumerate(parents)}
        self._all: tuple[Event, ...] | None = None

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> "StoredEvents":
        grouped: dict[str | None, list[Event]] = {}
        order: list[int] = []
        at: dict[str | None, int] = {}
        for ev in events:
            i = at.setdefault(ev.parent, len(at))
            grouped.setdefault(ev.parent, []).append(ev)
            order.append(i)
        return cls(list(at), [tuple(grouped[p]) for p in at], order)

    def _part(self, i: int) -> tuple[Event, ...]:
        """The events of part i; their mentions may be compact records (checker/compact.py) when the run
        made them (`models()` gives pydantic ones)."""
        part = self._parts[i]
        if isinstance(part, bytes):
            part = self._parts[i] = _EVENTS.validate_json(zlib.decompress(part))
        return part

    def of(self, parent: str | None) -> tuple[Event, ...]:
        """The events of one parent story (None: the events of no one story), in the run's order."""
        i = self._at.get(parent)
        return () if i is None else self._part(i)

    def select(self, parents: set[str | None]) -> list[Event]:
        """The events of these parents, in the run's order."""
        wanted = {self._at[p] for p in parents if p in self._at}
        parts = {i: iter(self._part(i)) for i in wanted}
        return [next(parts[i]) for i in self.order if i in wanted]

    def replaced(self, parts: dict[str | None, list[Event]]) -> "StoredEvents":
        """The same events with those of some parents replaced (each part as many events, in order)."""
        new = list(self._parts)
        for parent, events in parts.items():
            i = self._at[parent]
            if len(events) != len(self._part(i)):
                raise ValueError("a replaced part must keep its number of events")
            new[i] = tuple(events)
        return StoredEvents(list(self.parents), new, list(self.order))

    def _whole(self) -> tuple[Event, ...]:
        if self._all is None:
            parts = [iter(_models(self._part(i))) for i in range(len(self._parts))]
            self._all = tuple(next(parts[i]) for i in self.order)
        return self._all

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, k: Any) -> Any:
        return self._whole()[k]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._whole())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredEvents) or isinstance(other, (tuple, list)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StoredEvents({len(self)} events in {len(self.parents)} parts)"

    def encoded_parts(self) -> list[bytes]:
        """Each part as stored: a part never decoded is its stored bytes, unchanged."""
        return [p if isinstance(p, bytes) else zlib.compress(_EVENTS.dump_json(_models(p)), 1) for p in self._parts]


def _models(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """The events with their mentions as pydantic `EventFact`s (a run's own are compact records, which
    pydantic does not serialize), each event as it was otherwise."""
    from checker.compact import Record

    return tuple(ev.model_copy(update={"mentions": tuple(m.to_model() if isinstance(m, Record) else m for m in ev.mentions)})
                 if any(isinstance(m, Record) for m in ev.mentions) else ev for ev in events)


@dataclass(frozen=True)
class RunResult:
    """What a run computes from its facts (stored, so that a run over unchanged inputs is a lookup)."""

    findings: tuple[Finding, ...]
    events: StoredEvents
    stories: tuple[Story, ...]
    facts_count: int


def encode(result: RunResult) -> bytes:
    segments = [zlib.compress(_FINDINGS.dump_json(result.findings), 1), zlib.compress(_STORIES.dump_json(result.stories), 1)]
    events = result.events
    segments += events.encoded_parts()
    head = json.dumps({"facts_count": result.facts_count, "sizes": [len(s) for s in segments],
                       "crc": [zlib.crc32(s) for s in segments],
                       "parents": events.parents, "order": events.order}, separators=(",", ":")).encode()
    return b"".join([MAGIC, b"%0*d" % (_HEAD, len(head)), head, *segments])


def decode(blob: bytes) -> RunResult | None:
    """The stored result, its events not decoded yet; None when the blob is not one (another format, a
    damaged part: each part's checksum is checked here, since event parts are decoded only when read)."""
    try:
        if not blob.startswith(MAGIC):
            return None
        at = len(MAGIC)
        size = int(blob[at : at + _HEAD])
        at += _HEAD
        head = json.loads(blob[at : at + size])
        at += size
        segments = []
        for n in head["sizes"]:
            segments.append(blob[at : at + n])
            at += n
        if at != len(blob) or len(segments) != 2 + len(head["parents"]) or [zlib.crc32(s) for s in segments] != head["crc"]:
            return None  # parts are decoded when read: a damaged one is found here, by its checksum
        parents, order = head["parents"], head["order"]
        if any(not isinstance(i, int) or not 0 <= i < len(parents) for i in order):
            return None
        findings = _FINDINGS.validate_json(zlib.decompress(segments[0]))
        stories = _STORIES.validate_json(zlib.decompress(segments[1]))
        events = StoredEvents(parents, segments[2:], order)
        return RunResult(findings=findings, events=events, stories=stories, facts_count=int(head["facts_count"]))
    except Exception:  # noqa: BLE001 - a damaged row is a miss: the run is computed again
        return None


class RunReport(Report):
    """A report whose events may be `StoredEvents` (decoded when read); serialized as a Report is."""

    events: Annotated[Any, PlainSerializer(tuple, return_type=tuple[Event, ...])] = ()
