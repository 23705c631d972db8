"""What every rule kind shares: the common fields, the context a check reads, and finding helpers."""

from __future__ import annotations

import hashlib
import json
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from checker.lexicon import Lexicon
from checker.link import Linked
from checker.models import Article, ArticleFacts, Claim, Finding, Severity


class RuleBase(BaseModel):
    """Fields shared by every rule: id, kind, severity, message template, description."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Unique rule id, e.g. spelling-names.")
    severity: Severity = Field("warning", description="error, warning or info.")
    message: str = Field(description="Message template; fields in braces come from the finding, e.g. {subject}.")
    description: str = Field("", description="What the rule checks, for `rules list` and SARIF.")
    link: str | None = Field(None, description="A URL that explains the rule.")
    enabled: bool = True

    # What one finding of this kind depends on, for incremental runs (checker/incremental.py):
    # "story": the facts of the articles of one story (every claim from it) and the link decisions;
    # "entity": the mentions of one entity (the rule calls `entity_scope(ent.id)` before each entity)
    # and the articles they are in. None: unknown, so a changed article re-runs the whole check.
    finding_scope: ClassVar[str | None] = None
    # For an "entity" rule, what it reads of each article an entity is mentioned in, when known, so that
    # an incremental run need not redo the entities of a changed article whose part in them is unchanged:
    # "names" = the article's id, source, path and publication date and time, the entity's mentions there
    # (every field), the role facts whose person or owner is the full name of one of them (every field),
    # and the text up to `entity_reach` of each of those facts. None: unknown (every entity of a changed
    # article is redone).
    entity_reads: ClassVar[str | None] = None

    def entity_reach(self, text: str, fact: Any) -> int:
        """How far into an article's `text` this rule reads for one fact of an entity's part in it (see
        entity_reads): the result must depend on text[:result] alone. Here: the end of the fact's spans."""
        return fact_end(fact)


@dataclass(frozen=True)
class Context:
    """Everything a rule may read. Rules never mutate it."""

    articles: dict[str, Article]
    facts: dict[str, ArticleFacts]
    linked: Linked
    lexicon: Lexicon


def fact_end(fact: Any) -> int:
    """The end of a fact's span, or of its title or apposition span when that ends later."""
    end = fact.end
    for span in (getattr(fact, "title_span", None), getattr(fact, "apposition_span", None)):
        if span and span[1] > end:
            end = span[1]
    return end


def claim(ctx: Context, fact: Any, value: Any, start: int | None = None, end: int | None = None) -> Claim:
    """One article's side, with its evidence: the sentence, the exact span, the line."""
    art = ctx.articles[fact.article]
    s, e = (start, end) if start is not None else (fact.start, fact.end)
    return Claim(
        article=art.id,
        source=art.source,
        value=value,
        text=fact.sentence,
        start=s,
        end=e,
        line=art.text.count("\n", 0, s) + 1,
        span_text=art.text[s:e],
        published=art.published_iso,
        path=art.path,
    )


def fingerprint(rule_id: str, subject_key: str, sides: list[tuple[str, Any]]) -> str:
    """Stable across runs, input order, offsets and edits elsewhere: rule, subject and what each article says."""
    payload = json.dumps([rule_id, subject_key, sorted({(a, json.dumps(v, sort_keys=True)) for a, v in sides})])
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


class _ScopeLog:
    """The scope each finding was made in (fingerprint -> scopes), while a run records them."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.by_fingerprint: dict[str, set[str | None]] = {}


_SCOPE_LOG: ContextVar[_ScopeLog | None] = ContextVar("crosscheck_scope_log", default=None)


def entity_scope(entity_id: str) -> None:
    """Called by an entity-scoped rule before it looks at one entity: findings made next are that entity's."""
    log = _SCOPE_LOG.get()
    if log is not None:
        log.current = entity_id


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, **fields: Any) -> str:
    return template.format_map(_SafeDict(fields))


def finding(rule: RuleBase, kind: str, subject: str, subject_key: str, claims: list[Claim], event: str | None = None,
            severity: Severity | None = None, **fields: Any) -> Finding:
    claims = sorted(claims, key=lambda c: (c.article, c.start))
    fp = fingerprint(rule.id, subject_key, [(c.article, c.value) for c in claims])
    log = _SCOPE_LOG.get()
    if log is not None:
        log.by_fingerprint.setdefault(fp, set()).add(log.current)
    return Finding(
        fingerprint=fp,
        rule=rule.id,
        kind=kind,
        severity=severity or rule.severity,
        message=render(rule.message, subject=subject, **fields),
        subject=subject,
        claims=tuple(claims),
        event=event,
    )
