"""date: one event given different dates by different sources; a weekday that contradicts its date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field

from checker.models import Finding
from checker.rules.base import Context, RuleBase, claim, finding

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateRule(RuleBase):
    """Flags an event dated differently by different articles (day precision)."""

    kind: Literal["date"] = "date"
    scope: Literal["event", "article"] = Field("event", description="event: across sources; article: a weekday that contradicts its date inside one article.")
    max_gap_days: int = Field(10, ge=0, description="Dates further apart than this are taken as different events, not a disagreement.")

    def check(self, ctx: Context) -> list[Finding]:
        return self._weekday(ctx) if self.scope == "article" else self._events(ctx)

    def _events(self, ctx: Context) -> list[Finding]:
        out = []
        for ev in ctx.linked.events:
            dated = [m for m in ev.mentions if m.date and _DAY.match(m.date)]
            per_article: dict[str, object] = {}
            for m in dated:
                per_article.setdefault(m.article, m)
            values = {m.date for m in per_article.values()}  # type: ignore[attr-defined]
            if len(values) < 2:
                continue
            days = sorted(dt.date.fromisoformat(v) for v in values)
            if (days[-1] - days[0]).days > self.max_gap_days:
                continue
            claims = [claim(ctx, m, m.date, *m.date_span) for m in per_article.values()]  # type: ignore[attr-defined]
            out.append(finding(self, "date", ev.subject, ev.id, claims, event=ev.parent,
                               dates=" vs ".join(sorted(values))))
        return out

    def _weekday(self, ctx: Context) -> list[Finding]:
        out = []
        for af in ctx.facts.values():
            for d in af.of("date"):
                if d.note and d.note.startswith("weekday conflict"):
                    out.append(finding(self, "date", d.text, f"{d.article}:{d.text}", [claim(ctx, d, d.value)],
                                       dates=d.note.split(":", 1)[1].strip()))
        return out
