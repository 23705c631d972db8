"""The data that flows between stages: Article, Sentence, facts, entities, events, findings, Report.

Every stage takes models and returns new models; nothing mutates a stage's input.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}
PublishedFrom = Literal["front_matter", "dateline", "url", "option", "unknown"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Article(Frozen):
    """One article as read from the corpus; `text` is the whole decoded file, offsets index into it."""

    id: str
    path: str
    source: str = "unknown"
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    published_at: dt.datetime | None = None
    published_from: PublishedFrom = "unknown"
    published_text: str | None = None
    language: str | None = None
    text: str
    body_start: int = 0
    furniture: tuple[tuple[int, int], ...] = ()
    content_hash: str = ""
    ignored_rules: tuple[str, ...] = ()
    encoding: str = "utf-8"

    @property
    def published_iso(self) -> str | None:
        if self.published_at is not None:
            return self.published_at.isoformat()
        return self.published.isoformat() if self.published else None


class Sentence(Frozen):
    """A sentence of an article's body: offsets into Article.text, 1-based line of its start."""

    index: int
    start: int
    end: int
    line: int
    text: str


class FactBase(Frozen):
    """What every fact carries: its article, exact span, line, sentence and a normalized value."""

    article: str
    text: str
    start: int
    end: int
    line: int
    sentence: str
    sentence_index: int
    value: Any = None


class NameFact(FactBase):
    """A mention of a person, organization or place, surface form exactly as written."""

    kind: Literal["name"] = "name"
    etype: Literal["person", "org", "place"] = "person"
    full: str = ""  # the fullest form of this name in the same article (surname-only mentions link to it)
    title: str | None = None  # title or role written before the name
    title_span: tuple[int, int] | None = None
    apposition: str | None = None  # ", the head of ..." after the name
    apposition_span: tuple[int, int] | None = None


class DateFact(FactBase):
    """A temporal expression; `value` is a TimeML-style normalization or None when unresolved."""

    kind: Literal["date"] = "date"
    timex_type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    resolved: bool = True
    anchor: Literal["absolute", "publication", "previous", "none"] = "absolute"
    note: str | None = None


class EventFact(FactBase):
    """A meeting, visit or other event mention; `value` is the event type."""

    kind: Literal["event"] = "event"
    trigger: str = ""
    participants: tuple[str, ...] = ()  # in-article full names (NameFact.full)
    hosts: tuple[str, ...] = ()  # the side being met or visited
    place: str | None = None
    thing: str | None = None  # what it happened to when no one is named: the head noun ("sank a fishing trawler": trawler)
    date: str | None = None  # resolved ISO value of the governing date expression
    date_text: str | None = None
    date_span: tuple[int, int] | None = None
    date_line: int | None = None
    order: Literal["later", "earlier"] | None = None  # explicit order cue relative to the previous event
    order_text: str | None = None
    background: bool = False


class AttendanceFact(FactBase):
    """A claim that a person was (`present`) or was not (`absent`) at the article's event."""

    kind: Literal["attendance"] = "attendance"
    person: str = ""
    cue: str = ""
    event_hint: str | None = None


class NumberFact(FactBase):
    """A quantity tied to an event attribute (killed, injured, magnitude, ...)."""

    kind: Literal["number"] = "number"
    attribute: str = ""
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    hedge: str | None = None  # at_least, about, more_than, up_to, nearly, exact
    revised: bool = False
    figure: str = ""  # the figure as written, with hedge and unit but not the counted noun ("seven", "about 3 miles")
    per_person: bool = False  # the attribute belongs to one person (wives, children): compared only for one person
    holder: str | None = None  # that person (the full name as in this article), None when the text does not say who


class RoleFact(FactBase):
    """A title or role given to a person."""

    kind: Literal["role"] = "role"
    person: str = ""  # the full name as in this article; "" for a kin person the text does not name
    how: Literal["title", "apposition", "predicate", "kin"] = "apposition"
    kin: str | None = None  # "father": the person is this kin of `owner`
    owner: str | None = None  # whose kin (the full name as in this article)
    past: bool = False  # "former", "retired": a role of another moment


class QuoteFact(FactBase):
    """Words in quotation marks attributed to a speaker."""

    kind: Literal["quote"] = "quote"
    speaker: str | None = None
    # How the speaker was found: named next to a speech verb, a titled description ("the judge"), the
    # nearest person, "he" for the previous subject, or a quotation continuing the previous one.
    speaker_by: Literal["name", "description", "nearest", "pronoun", "continuation"] | None = None


Fact = Annotated[
    Union[NameFact, DateFact, EventFact, AttendanceFact, NumberFact, RoleFact, QuoteFact],
    Field(discriminator="kind"),
]


class ArticleFacts(Frozen):
    """Everything extracted from one article, in text order per kind."""

    article: str
    sentences: tuple[Sentence, ...] = ()
    facts: tuple[Fact, ...] = ()
    errors: tuple[str, ...] = ()

    _by_kind: dict[str, tuple[Any, ...]] = PrivateAttr(default_factory=dict)

    def of(self, kind: str) -> list[Any]:
        return list(self._by_kind.get(kind, ()))

    def model_post_init(self, context: Any) -> None:
        """Share what facts repeat, so that a corpus of facts fits in memory: each fact's sentence and
        article strings become the one copy this object holds, and every fact of a class shares one
        set of "fields set" (pydantic keeps a set per object, ~700 bytes; nothing here reads it, and
        equality ignores it), and so does every sentence (a fifth of what a decoded article held).
        Values do not change: this halves the memory of decoded facts."""
        texts = {}
        sentence_fields = _all_fields(Sentence)
        for s in self.sentences:
            texts[s.index] = s.text
            object.__setattr__(s, "__pydantic_fields_set__", sentence_fields)
        by_kind: dict[str, list[Any]] = {}
        for f in self.facts:
            by_kind.setdefault(f.kind, []).append(f)
            d = f.__dict__
            t = texts.get(d["sentence_index"])
            if t is not None and t == d["sentence"]:
                d["sentence"] = t
            if d["article"] == self.article:
                d["article"] = self.article
            object.__setattr__(f, "__pydantic_fields_set__", _all_fields(type(f)))
        # The facts of each kind, in text order as stored (always complete, so equality is unaffected).
        self._by_kind = {k: tuple(v) for k, v in by_kind.items()}


_FIELDS: dict[type, set[str]] = {}


def _all_fields(cls: type) -> set[str]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = set(cls.model_fields)  # type: ignore[attr-defined]
    return fields


class Entity(Frozen):
    """One person, organization or place across the corpus: the name mentions that refer to it."""

    id: str
    etype: Literal["person", "org", "place"]
    canonical: str
    mentions: tuple[NameFact, ...]


class Event(Frozen):
    """One real-world event across the corpus: its mentions in each article."""

    id: str
    type: str
    subject: str
    mentions: tuple[EventFact, ...]
    articles: tuple[str, ...]
    date: str | None = None
    parent: str | None = None


class Claim(Frozen):
    """One article's side of a finding, with its evidence."""

    article: str
    source: str
    value: Any
    text: str  # the sentence
    start: int
    end: int
    line: int
    span_text: str = ""
    published: str | None = None
    path: str = ""


class Finding(Frozen):
    fingerprint: str
    rule: str
    kind: str
    severity: Severity
    message: str
    subject: str
    claims: tuple[Claim, ...]
    event: str | None = None
    suppressed: bool = False
    suppression_reason: str | None = None
    baseline: Literal["new", "unchanged"] | None = None


class InputError(Frozen):
    path: str
    message: str
    line: int | None = None


class Story(Frozen):
    """Articles about one real-world story, as linked across the corpus."""

    id: str
    name: str
    articles: tuple[str, ...]


class Report(Frozen):
    version: int = 1
    articles: tuple[Article, ...]
    findings: tuple[Finding, ...]
    errors: tuple[InputError, ...] = ()
    skipped: tuple[str, ...] = ()
    facts_count: int = 0
    rules: tuple[Any, ...] = ()
    events: tuple[Event, ...] = ()
    stories: tuple[Story, ...] = ()
