"""The stored run result in parts (checker/runstore.py): what is read back is what was stored, event parts
are decoded only when read, a damaged part is a miss, and a report serializes its events as a Report does."""

from __future__ import annotations

import zlib

from checker.models import Claim, Event, EventFact, Finding, Report, Story
from checker.runstore import RunReport, RunResult, StoredEvents, decode, encode


def _event(i: int, parent: str | None, article: str = "a1") -> Event:
    m = EventFact(article=article, text="met", start=10 * i, end=10 * i + 3, line=1, sentence=f"Vellor met Quint {i}.",
                  sentence_index=i, value="meeting", participants=("Vellor Ansk",))
    return Event(id=f"V{i}", type="meeting", subject=f"meeting {i}", mentions=(m,), articles=(article,), parent=parent)


def _events() -> list[Event]:
    # parents interleaved, and events of no one story among them
    parents = ["S1", "S2", "S1", None, "S3", "S2", "S1", None]
    return [_event(i, p) for i, p in enumerate(parents)]


def _finding() -> Finding:
    claim = Claim(article="a1", source="Daily Harrow", value="3", text="Three ships.", start=0, end=5, line=1)
    return Finding(fingerprint="f1", rule="number-conflict", kind="number", severity="warning", message="m",
                   subject="ships", claims=(claim, claim))


def _result(events: list[Event]) -> RunResult:
    return RunResult(findings=(_finding(),), events=StoredEvents.from_events(events),
                     stories=(Story(id="S1", name="Harbor", articles=("a1",)),), facts_count=7)


def test_a_stored_result_reads_back_whole_and_in_order():
    events = _events()
    back = decode(encode(_result(events)))
    assert back is not None
    assert back.findings == (_finding(),) and back.facts_count == 7 and back.stories[0].name == "Harbor"
    assert list(back.events) == events and len(back.events) == len(events)
    assert back.events == tuple(events) and back.events != tuple(events[1:])


def test_event_parts_are_decoded_one_story_at_a_time():
    back = decode(encode(_result(_events())))
    assert [e.id for e in back.events.of("S2")] == ["V1", "V5"]
    assert [e.id for e in back.events.of(None)] == ["V3", "V7"]
    assert back.events.of("S9") == ()
    decoded = [not isinstance(p, bytes) for p in back.events._parts]
    assert sum(decoded) == 2  # S2 and the events of no one story; S1 and S3 are still as stored
    assert [e.id for e in back.events.select({"S1", None})] == ["V0", "V2", "V3", "V6", "V7"]


def test_a_replaced_part_is_stored_and_the_others_are_copied_as_they_were():
    stored = encode(_result(_events()))
    back = decode(stored)
    new_s2 = [e.model_copy(update={"subject": "meeting moved"}) for e in back.events.of("S2")]
    events = back.events.replaced({"S2": new_s2})
    kept = [p for p in events._parts if isinstance(p, bytes)]
    assert len(kept) == 3 and all(p in stored for p in kept)  # never decoded, never encoded again
    again = decode(encode(RunResult(findings=back.findings, events=events, stories=back.stories, facts_count=7)))
    expected = [e.model_copy(update={"subject": "meeting moved"}) if e.parent == "S2" else e for e in _events()]
    assert list(again.events) == expected


def test_a_damaged_part_or_another_format_is_a_miss():
    blob = bytearray(encode(_result(_events())))
    assert decode(bytes(blob)) is not None
    damaged = bytearray(blob)
    damaged[-5] ^= 0xFF  # inside the last event part, which decode does not decompress
    assert decode(bytes(damaged)) is None
    assert decode(bytes(blob[:-3])) is None
    assert decode(zlib.compress(b'{"findings": []}')) is None


def test_a_run_report_serializes_as_a_report():
    events = _events()
    fields = dict(articles=(), findings=(_finding(),), stories=(Story(id="S1", name="Harbor", articles=("a1",)),))
    lazy = RunReport(events=decode(encode(_result(events))).events, **fields)
    plain = Report(events=tuple(events), **fields)
    assert lazy.model_dump_json() == plain.model_dump_json()
    assert lazy.model_dump() == plain.model_dump()
    assert [e.id for e in lazy.events] == [e.id for e in events]


def test_a_record_reads_back_and_a_damaged_one_is_none():
    from checker.cache import pack_record, unpack_record

    record = {"keys": {"a1": "k1", "a\udcff2": "k2"}, "flagged": {"a1": [(3, 9, True)]}, "n": [1, None, 2.5, "x"]}
    blob = pack_record(record)
    assert unpack_record(blob) == record
    for at in (len(blob) - 3, len(blob) // 2):
        damaged = bytearray(blob)
        damaged[at] ^= 0x55
        assert unpack_record(bytes(damaged)) is None
    assert unpack_record(blob[:-1]) is None and unpack_record(b"") is None and unpack_record(None) is None
    assert unpack_record(zlib.compress(b'{"keys": {}}')) is None  # an older JSON record: a miss
    assert pack_record({"x": object()}) is None  # nothing marshal cannot write is stored
