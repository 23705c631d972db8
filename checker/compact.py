"""Decoded facts of a whole corpus in less memory: compact records, and equal values as one object.

A run decodes every article's facts (from the fact cache or from the workers' JSON) and keeps them
until its rules have run: at 16k articles some 1.5 million facts and 460,000 sentences. A pydantic
object costs an instance and a dict of its fields (~450-650 bytes before its values) per fact, so the
main process holds them as records instead (`decode_facts`):

- **Records**: a fact (of any kind) and a sentence is a tuple
  subclass with the field names of its pydantic model as attributes, in the model's field order (~150
  bytes for 15 fields). It compares equal to a record of the same class or to an instance of its model
  with equal fields, and hashes as that frozen model does (the hash of the tuple of its field values);
  `model_copy`, `model_dump` and `model_dump_json` give what the model's would (`to_model()` makes the
  model). An event's mentions are records too; its pydantic facts are made when the event is stored or
  shown (checker/runstore.py), one part of the run's events at a time.
- **One article's facts** (`CompactFacts`) read as `ArticleFacts` does: `article`, `sentences`, `facts`,
  `errors`, `of(kind)`.
- **Equal values are one object**: the same name, normalized value, offset (integers above 256 are
  objects), span or syndicated sentence was a new object per fact. A value is replaced only by an equal
  one of the same type (str, int, tuples of them; a bool or float never), so no fact compares, hashes or
  serializes differently.

Every value is what pydantic's validation of the same JSON gives (tuples for tuple fields, floats for
float fields, the JSON value for `Any`); a row with an unknown or a missing field is refused as the model
would refuse it (a damaged cache row is a miss).
"""

from __future__ import annotations

import types
import typing
from operator import itemgetter
from typing import Any

from pydantic_core import from_json

from checker.models import (
    ArticleFacts,
    AttendanceFact,
    DateFact,
    EventFact,
    NameFact,
    NumberFact,
    QuoteFact,
    RoleFact,
    Sentence,
)

try:  # the C field accessor of collections.namedtuple
    from collections import _tuplegetter  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python
    def _tuplegetter(i: int, doc: str) -> Any:
        return property(itemgetter(i), doc=doc)

_SHARED_TYPES = (str, int)
_set = object.__setattr__


class Record(tuple):
    """A frozen fact or sentence as a tuple of its model's field values (see the module's docstring)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _model: Any = None
    _fields_set: set[str] = set()

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return tuple.__eq__(self, other)
        if type(other) is self._model:
            return other.__dict__ == dict(zip(self._fields, self))  # type: ignore[attr-defined]
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = tuple.__hash__  # = hash(tuple of the field values), as the frozen model hashes

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={v!r}' for n, v in zip(self._fields, self))})"

    def __reduce__(self) -> Any:
        return (_remake, (type(self)._model, tuple(self)))

    def to_model(self) -> Any:
        """The pydantic model of the same fields, as model_construct makes it (not validated again: the
        values are the model's; one shared set of fields set)."""
        m = object.__new__(self._model)
        _set(m, "__dict__", dict(zip(self._fields, self)))
        _set(m, "__pydantic_fields_set__", self._fields_set)
        _set(m, "__pydantic_extra__", None)
        _set(m, "__pydantic_private__", None)
        return m

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> "Record":
        if not update:
            return self
        unknown = set(update) - set(self._fields)
        if unknown:
            raise ValueError(f"not a field of {type(self).__name__}: {sorted(unknown)}")
        return tuple.__new__(type(self), [update.get(n, v) if n in update else v for n, v in zip(self._fields, self)])

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return self.to_model().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        return self.to_model().model_dump_json(**kwargs)


def _remake(model: type, values: tuple) -> Record:
    return tuple.__new__(RECORDS[model], values)


def _shape(annotation: Any) -> str:
    """'tuple' for a (possibly optional) tuple field, 'float' for a float one, '' otherwise."""
    args = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else (annotation,)
    for a in args:
        if a is float:
            return "float"
        if a is tuple or typing.get_origin(a) is tuple:
            return "tuple"
    return ""


def _record_class(model: type) -> type:
    fields = tuple(model.model_fields)  # type: ignore[attr-defined]
    ns: dict[str, Any] = {"__slots__": (), "__module__": __name__, "__doc__": model.__doc__, "_fields": fields,
                          "_model": model, "_fields_set": set(fields)}
    for i, name in enumerate(fields):
        ns[name] = _tuplegetter(i, name)
    return type(model.__name__, (Record,), ns)


RECORDS: dict[type, type] = {m: _record_class(m) for m in (NameFact, DateFact, EventFact, AttendanceFact, NumberFact, RoleFact, QuoteFact,
                                                            Sentence)}


class _Layout:
    """How one record class is made from a JSON object: its fields in order, each field's default (or
    `_REQUIRED`) and shape."""

    def __init__(self, model: type) -> None:
        self.cls = RECORDS.get(model)
        self.model = model
        self.fields = tuple(model.model_fields)  # type: ignore[attr-defined]
        self.keys = frozenset(self.fields)
        self.defaults = {n: f.get_default(call_default_factory=True) for n, f in model.model_fields.items()  # type: ignore[attr-defined]
                         if not f.is_required()}
        self.shapes = tuple(_shape(f.annotation) for f in model.model_fields.values())  # type: ignore[attr-defined]
        self.get = itemgetter(*self.fields)
        kind = model.model_fields.get("kind")  # type: ignore[attr-defined]
        self.kind = kind.default if kind is not None else None


_LAYOUTS = {m: _Layout(m) for m in RECORDS}
_BY_KIND = {lay.kind: lay for lay in _LAYOUTS.values() if lay.kind is not None}
_SENTENCE = _LAYOUTS[Sentence]


class CompactFacts:
    """Everything extracted from one article, as `ArticleFacts` holds it, its facts and sentences as
    records."""

    __slots__ = ("article", "sentences", "facts", "errors", "_by_kind")

    def __init__(self, article: str, sentences: tuple = (), facts: tuple = (), errors: tuple[str, ...] = ()) -> None:
        self.article = article
        self.sentences = sentences
        self.facts = facts
        self.errors = errors
        by_kind: dict[str, list[Any]] = {}
        for f in facts:
            by_kind.setdefault(f.kind, []).append(f)
        self._by_kind = {k: tuple(v) for k, v in by_kind.items()}

    def of(self, kind: str) -> list[Any]:
        return list(self._by_kind.get(kind, ()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (CompactFacts, ArticleFacts)):
            return (self.article == other.article and self.errors == other.errors and len(self.facts) == len(other.facts)
                    and len(self.sentences) == len(other.sentences)
                    and all(a == b for a, b in zip(self.sentences, other.sentences)) and all(a == b for a, b in zip(self.facts, other.facts)))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CompactFacts({self.article!r}, {len(self.sentences)} sentences, {len(self.facts)} facts)"

    def to_model(self) -> ArticleFacts:
        return ArticleFacts(article=self.article, sentences=tuple(s.to_model() for s in self.sentences),
                            facts=tuple(f.to_model() if isinstance(f, Record) else f for f in self.facts), errors=self.errors)

    def model_dump_json(self, **kwargs: Any) -> str:
        return self.to_model().model_dump_json(**kwargs)


class Sharing:
    """One table of values for the facts of one run (dropped with it: nothing is kept across runs)."""

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}

    def _fix(self, v: Any, shape: str) -> Any:
        """A list or an int of a tuple or float field as validation makes it."""
        if type(v) is int:
            return float(v) if shape == "float" else v if -5 <= v <= 256 else self._values.setdefault(v, v)
        return self._value(v, self._values, shape == "tuple")

    def _value(self, v: Any, values: dict, tuple_field: bool) -> Any:
        t = type(v)
        if t is str:
            return values.setdefault(v, v)
        if t is int:
            return v if -5 <= v <= 256 else values.setdefault(v, v)  # Python's own small integers are shared
        if t is list and tuple_field:
            v = tuple(self._value(x, values, True) if type(x) is list else x for x in v)
            return values.setdefault(v, v) if v and all(type(x) in _SHARED_TYPES for x in v) else v
        return v

    def _record(self, lay: _Layout, obj: Any) -> list[Any]:
        if type(obj) is not dict:
            raise ValueError(f"not a {lay.model.__name__}: {obj!r:.80}")
        if len(obj) == len(lay.fields):
            try:
                given = lay.get(obj)  # every field, so no other key
            except KeyError:
                given = None
        else:
            given = None
        if given is None:
            if not obj.keys() <= lay.keys:
                raise ValueError(f"not a {lay.model.__name__}: {obj!r:.80}")
            missing = [n for n in lay.fields if n not in obj and n not in lay.defaults]
            if missing:
                raise ValueError(f"{lay.model.__name__} without {missing[0]}")
            given = [obj[n] if n in obj else lay.defaults[n] for n in lay.fields]
        share = self._values.setdefault
        fix = self._fix
        # str and int values through the table (not a small int: it is one object already); a bool or float
        # is never replaced (True == 1); lists and ints of float fields as validation makes them
        out = [share(v, v) if (t := type(v)) is str else v if t is not int and t is not list or (t is int and not shape and -5 <= v <= 256)
               else fix(v, shape) for v, shape in zip(given, lay.shapes)]
        return out

    def decode(self, data: bytes | str) -> CompactFacts:
        """One article's facts from their JSON (as `ArticleFacts.model_dump_json` writes them), as records
        whose equal values are the objects of this table; ValueError when the JSON is not such facts."""
        obj = from_json(data)
        if type(obj) is not dict or not obj.keys() <= {"article", "sentences", "facts", "errors"} or type(obj.get("article")) is not str:
            raise ValueError("not an article's facts")
        new = tuple.__new__
        lay = _SENTENCE
        sentences = tuple(new(lay.cls, self._record(lay, s)) for s in obj.get("sentences", ()))
        facts = tuple(self.fact(f) for f in obj.get("facts", ()))
        errors = obj.get("errors", ())
        if not isinstance(errors, list) or any(type(e) is not str for e in errors):
            raise ValueError("errors are not strings")
        return CompactFacts(obj["article"], sentences, facts, tuple(errors))

    def fact(self, obj: Any) -> Any:
        """One fact from its JSON object (parsed), as a record (ValueError when it is none)."""
        lay = _BY_KIND.get(obj.get("kind") if type(obj) is dict else None)
        if lay is None:
            raise ValueError("a fact of no known kind")
        return tuple.__new__(lay.cls, self._record(lay, obj))

    def share(self, af: Any) -> CompactFacts:
        """`af` (ArticleFacts) as records, decoded again through this table."""
        return self.decode(af.model_dump_json())


def decode_facts(data: bytes | str, sharing: Sharing | None = None) -> CompactFacts:
    return (sharing or Sharing()).decode(data)
