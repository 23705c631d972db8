"""The rule schema: one discriminated union of rule kinds, the single source of truth for kinds."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from checker.rules.attendance import AttendanceRule
from checker.rules.date import DateRule
from checker.rules.number import NumberRule
from checker.rules.quote import QuoteRule
from checker.rules.role import RoleRule
from checker.rules.sequence import SequenceRule
from checker.rules.spelling import SpellingRule

Rule = Annotated[Union[SpellingRule, AttendanceRule, DateRule, SequenceRule, NumberRule, RoleRule, QuoteRule], Field(discriminator="kind")]
RULE_ADAPTER: TypeAdapter = TypeAdapter(Rule)
KINDS: tuple[str, ...] = tuple(m.model_fields["kind"].default for m in (SpellingRule, AttendanceRule, DateRule, SequenceRule, NumberRule, RoleRule, QuoteRule))


def json_schema() -> dict:
    """JSON Schema for a rule file: a mapping with `rules:` (a list of rules)."""
    rule = RULE_ADAPTER.json_schema()
    defs = rule.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "crosscheck rule file",
        "type": "object",
        "properties": {"rules": {"type": "array", "items": rule}},
        "required": ["rules"],
        "additionalProperties": False,
        "$defs": defs,
    }
