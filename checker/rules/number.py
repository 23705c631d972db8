"""number: sources of one story give figures for one attribute that cannot both be true."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

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
    return alo <= bhi and blo <= ahi


class NumberRule(RuleBase):
    """Flags one attribute of one story (a death toll, a magnitude) given incompatible figures."""

    kind: Literal["number"] = "number"
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
        groups: dict[tuple[str, str], dict[str, NumberFact]] = defaultdict(dict)
        allfigs: dict[tuple[str, str], dict[str, list[NumberFact]]] = defaultdict(dict)
        for af in ctx.facts.values():
            story = linked.story_of.get(af.article)
            if story is None:
                continue
            for n in af.of("number"):
                if (self.attributes and n.attribute not in self.attributes) or n.attribute in self.exclude_attributes:
                    continue
                if linked.background_sentences.get(af.article, frozenset()) and n.sentence_index in linked.background_sentences[af.article]:
                    continue
                groups[(story, n.attribute)].setdefault(af.article, n)  # the article's first (lede) figure
                allfigs[(story, n.attribute)].setdefault(af.article, []).append(n)
        # An article that gives two incompatible figures for one attribute (five boats approached, three
        # intercepted) speaks of several things: its figure is ambiguous and is not compared.
        for key, per_article in allfigs.items():
            tol = self.tolerance.get(key[1], 0.0)
            for art, figs in per_article.items():
                if any(not agree(a, b, tol) for a in figs for b in figs):
                    groups[key].pop(art, None)
        out = []
        for (story, attr), per_article in sorted(groups.items()):
            if len(per_article) < 2:
                continue
            tol = self.tolerance.get(attr, 0.0)
            arts = sorted(per_article)
            worst = None
            involved: set[str] = set()
            for i in range(len(arts)):
                for j in range(i + 1, len(arts)):
                    a, b = per_article[arts[i]], per_article[arts[j]]
                    ta, tb = linked.anchors.get(arts[i]), linked.anchors.get(arts[j])
                    if (ta is None) != (tb is None):
                        continue  # one dated, one not: nothing says they report the same event
                    if ta is None and not self.compare_undated:
                        continue
                    if ta is not None and tb is not None and abs((ta - tb).days) > self.max_gap_days:
                        continue
                    if agree(a, b, tol):
                        continue
                    sev = self._severity(ctx, attr, a, b)
                    involved |= {arts[i], arts[j]}
                    if worst is None or SEVERITY_RANK[sev] > SEVERITY_RANK[worst]:
                        worst = sev
            if worst is None:
                continue
            claims = [claim(ctx, per_article[a], per_article[a].text) for a in sorted(involved)]
            values = ", ".join(f"{per_article[a].text} ({ctx.articles[a].source})" for a in sorted(involved))
            subject = f"{attr} ({_story_name(ctx, story)})"
            out.append(finding(self, "number", subject, f"{story}:{attr}", claims, event=story, severity=worst,
                               attribute=attr, values=values))
        return out

    def _severity(self, ctx: Context, attr: str, a: NumberFact, b: NumberFact):
        if attr not in self.evolving:
            return self.severity
        da, db = ctx.articles[a.article].published, ctx.articles[b.article].published
        if da is None or db is None or da == db:
            return self.severity
        early, late = (a, b) if da < db else (b, a)
        if (late.low or late.value) >= (early.high if early.high is not None else early.value):
            return self.update_severity  # the figure rose in a later report: an update
        return self.update_severity if late.revised else self.severity


def _story_name(ctx: Context, story: str) -> str:
    events = [e for e in ctx.linked.events if e.parent == story]
    names = ctx.linked.story_names.get(story)
    return names or (events[0].subject if events else story)
