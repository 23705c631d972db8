"""number: sources of one story give figures for one attribute that cannot both be true."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import ClassVar, Literal

from pydantic import Field

from checker.models import SEVERITY_RANK, Finding, NumberFact
from checker.rules.base import Context, RuleBase, claim, finding


def _interval(n: NumberFact, tolerance: float) -> tuple[float, float]:
    lo = n.low if n.low is not None else float("-inf")
    hi = n.high if n.high is not None else float("inf")
    return lo - tolerance, hi + tolerance


def agree(a: NumberFact, b: NumberFact, tolerance: float) -> bool:
    """Both claims can be true: their hedged intervals overlap (within the tolerance); units must match."""
    if (a.unit or "") != (b.unit or "") and {a.unit, b.unit} & {"USD", "EUR", "GBP", "km", "magnitude"}:
        return True  # different currencies or units are not comparable here: never a conflict
    alo, ahi = _interval(a, tolerance)
    blo, bhi = _interval(b, tolerance)
    if not (alo <= bhi and blo <= ahi):
        return False
    # two figures rounded as written ("about 3 miles", "four miles") meet at most at a rounding boundary:
    # a rounding interval is half-open, so two that only touch hold no common value
    if not tolerance and _rounded(a) and _rounded(b):
        eps = 1e-9 * max(1.0, abs(ahi), abs(bhi))
        return min(ahi, bhi) - max(alo, blo) > eps
    return True


def _rounded(n: NumberFact) -> bool:
    """The interval is the rounding of one written figure (exact or about), with a width."""
    return (n.hedge in ("exact", "about") and n.low is not None and n.high is not None and n.high > n.low)


class NumberRule(RuleBase):
    """Flags one attribute of one story (a death toll, a magnitude) given incompatible figures."""

    kind: Literal["number"] = "number"
    finding_scope: ClassVar[str | None] = "story"
    attributes: list[str] = Field(default_factory=list, description="Attributes checked (empty: all).")
    exclude_attributes: list[str] = Field(default_factory=list, description="Attributes never checked.")
    tolerance: dict[str, float] = Field(default_factory=lambda: {"magnitude": 0.1}, description="Absolute tolerance per attribute.")
    evolving: list[str] = Field(default_factory=lambda: ["killed", "injured", "missing", "arrested", "evacuated"],
                                description="Figures that may rise over days: a later, higher figure is an update (info).")
    update_severity: Literal["info", "warning", "error"] = "info"
    max_gap_days: int = Field(10, ge=0, description="Dated articles further apart than this are not compared.")
    compare_undated: bool = Field(True, description="Compare two undated articles of one story (a dated one is never compared "
                                  "with an undated one: nothing says they report the same event).")

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        # one group per story, attribute and unit: amounts in two currencies are two figures, never one
        allfigs: dict[tuple[str, str, str], dict[str, list[NumberFact]]] = defaultdict(dict)
        # a person's figure keyed by its offence (a prison term) names its own event: compared even as background
        own_event = {str(a.get("name")) for a in ctx.lexicon.get("number_attributes", []) or [] if a.get("offence")}
        for af in ctx.facts.values():
            story = linked.story_of.get(af.article)
            if story is None:
                continue
            bg = linked.background_sentences.get(af.article, frozenset())
            for n in af.of("number"):
                base = _base(n.attribute)
                if (self.attributes and base not in self.attributes) or base in self.exclude_attributes:
                    continue
                if n.sentence_index in bg and not (n.per_person and base.split(":", 1)[0] in own_event):
                    continue
                attr = n.attribute
                if n.per_person:
                    # wives, children: one person's figure, compared only with that person's figures elsewhere
                    holder = linked.entity_of.get((af.article, n.holder)) if n.holder else None
                    if holder is None:
                        continue  # whose it is is not said: nothing to compare it with
                    attr = f"{attr}{_HOLDER}{holder}"
                allfigs[(story, attr, n.unit or "")].setdefault(af.article, []).append(n)
        out = []
        several = _several_events(ctx.lexicon)
        for (story, attr, unit), per_article in sorted(allfigs.items()):
            if _base(attr) in self.evolving:
                per_article = _without_parts(per_article, several)
            if len(per_article) < 2:
                continue
            tol = self.tolerance.get(_base(attr), 0.0)
            arts = sorted(per_article)
            worst = None
            shown: dict[str, NumberFact] = {}
            for i in range(len(arts)):
                for j in range(i + 1, len(arts)):
                    ta, tb = linked.anchors.get(arts[i]), linked.anchors.get(arts[j])
                    if (ta is None) != (tb is None):
                        continue  # one dated, one not: nothing says they report the same event
                    if ta is None and not self.compare_undated:
                        continue
                    if ta is not None and tb is not None and abs((ta - tb).days) > self.max_gap_days:
                        continue
                    fa, fb = per_article[arts[i]], per_article[arts[j]]
                    # An article that gives several figures for one attribute (five boats approached, three
                    # intercepted) may speak of several things: two articles conflict only when no figure of
                    # one can be true together with any figure of the other.
                    if any(agree(a, b, tol) for a in fa for b in fb):
                        continue
                    a, b = fa[0], fb[0]  # each article's first (lede) figure is shown
                    sev = self._severity(ctx, attr, a, b)
                    shown[arts[i]], shown[arts[j]] = a, b
                    if worst is None or SEVERITY_RANK[sev] > SEVERITY_RANK[worst]:
                        worst = sev
            if worst is None:
                continue
            claims = [claim(ctx, shown[a], shown[a].figure or shown[a].text) for a in sorted(shown)]
            values = ", ".join(f"{shown[a].text} ({ctx.articles[a].source})" for a in sorted(shown))
            label = f"{attr} in {unit}" if unit in _CURRENCIES else attr
            if _HOLDER in attr:
                base_attr, holder = attr.split(_HOLDER, 1)
                label = f"{base_attr} of {_canonical(ctx, holder)}"
            subject = f"{label} ({_story_name(ctx, story)})"
            key = f"{story}:{attr}:{unit}" if unit in _CURRENCIES else f"{story}:{attr}"
            out.append(finding(self, "number", subject, key, claims, event=story, severity=worst,
                               attribute=attr, values=values))
        return out

    def _severity(self, ctx: Context, attr: str, a: NumberFact, b: NumberFact):
        if _base(attr) not in self.evolving:
            return self.severity
        da, db = ctx.articles[a.article].published, ctx.articles[b.article].published
        if da is None or db is None or da == db:
            return self.severity
        early, late = (a, b) if da < db else (b, a)
        if (late.low or late.value) >= (early.high if early.high is not None else early.value):
            return self.update_severity  # the figure rose in a later report: an update
        return self.update_severity if late.revised else self.severity


_CURRENCIES = frozenset({"USD", "EUR", "GBP", "INR", "JPY", "AUD", "CAD", "HKD"})


def _several_events(lexicon) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """Per event noun (number_event_nouns: bomb / bombs, blast / blasts), its singular and its plural as regexes."""
    out = []
    for pair in lexicon.get("number_event_nouns", []) or []:
        one, many = str(pair[0]), str(pair[1])
        out.append((re.compile(rf"\b{re.escape(one)}\b", re.IGNORECASE), re.compile(rf"\b{re.escape(many)}\b", re.IGNORECASE)))
    return out


def _without_parts(per_article: dict[str, list[NumberFact]], several) -> dict[str, list[NumberFact]]:
    """A toll of a story of several events ("the bombings killed 257") never compared with the toll of one of them
    ("the blast that killed 10 people" in one of two cities): when some figure's sentence speaks of the events in
    the plural, a figure whose sentence speaks of one of them only (the singular, never the plural) is a part."""
    facts = [n for ns in per_article.values() for n in ns]
    if not any(many.search(n.sentence) for n in facts for _, many in several):
        return per_article

    def part(n: NumberFact) -> bool:  # one event noun stands for another ("the bombings" / "the blast")
        return (any(one.search(n.sentence) for one, _ in several)
                and not any(many.search(n.sentence) for _, many in several))

    kept = {a: [n for n in ns if not part(n)] for a, ns in per_article.items()}
    return {a: ns for a, ns in kept.items() if ns}


_HOLDER = "#person:"  # an attribute keyed by the person it belongs to: "count:wives#person:<entity id>"


def _canonical(ctx: Context, entity: str) -> str:
    return next((e.canonical for e in ctx.linked.entities if e.id == entity), entity)


def _base(attribute: str) -> str:
    """The attribute without its scope ("arrested@saturday" -> "arrested", "count:rifle:seized@total" -> "count:rifle:seized")."""
    return attribute.split(_HOLDER, 1)[0].split("@", 1)[0]


def _story_name(ctx: Context, story: str) -> str:
    events = [e for e in ctx.linked.events if e.parent == story]
    names = ctx.linked.story_names.get(story)
    return names or (events[0].subject if events else story)
