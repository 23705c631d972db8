"""date: one event given different dates by different sources; a weekday that contradicts its date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field

from checker.models import Finding
from checker.rules.base import Context, RuleBase, claim, finding

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def _weekday(ctx: Context, m: Any, weekday_of: dict[str, int]) -> int | None:
    """The one weekday an unresolved event date names ("on Tuesday", "Wednesday morning"), in an
    article without a publication date; None otherwise."""
    if m.date or not m.date_text or not m.date_span or ctx.articles[m.article].published is not None:
        return None
    days = {weekday_of[w] for w in re.findall(r"[^\W\d_]+", m.date_text.lower()) if w in weekday_of}
    return days.pop() if len(days) == 1 else None


def _granularity(value: str | None) -> str | None:
    if not value:
        return None
    if _DAY.match(value):
        return "day"
    if _MONTH.match(value):
        return "month"
    return "year" if _YEAR.match(value) else None


class DateRule(RuleBase):
    """Flags an event dated differently by different articles (day precision)."""

    kind: Literal["date"] = "date"
    scope: Literal["event", "article"] = Field("event", description="event: across sources; article: a weekday that contradicts its date inside one article.")
    max_gap_days: int = Field(10, ge=0, description="Dates further apart than this are taken as different events, not a disagreement.")

    def check(self, ctx: Context) -> list[Finding]:
        return self._weekday(ctx) if self.scope == "article" else self._events(ctx)

    def _events(self, ctx: Context) -> list[Finding]:
        out = []
        weekday_of = {str(k).lower(): int(v) for k, v in (ctx.lexicon.get("date_weekdays", {}) or {}).items()}
        names = list(ctx.lexicon.get("date_weekday_names", []) or [])
        for ev in ctx.linked.events:
            # Within one event, only mentions by the same trigger word are compared: "convicted on
            # the 4th" and "sentenced on the 9th" are two steps of one story, not a disagreement.
            stems: dict[str, list] = {}
            undated: dict[str, list] = {}
            for m in ev.mentions:
                if m.date and _granularity(m.date):
                    stems.setdefault(m.trigger[:5], []).append(m)
                elif (wd := _weekday(ctx, m, weekday_of)) is not None:
                    undated.setdefault(m.trigger[:5], []).append((m, wd))
            for mentions in stems.values():
                f = self._compare(ctx, ev, mentions)
                if f is not None:
                    out.append(f)
            for mentions in undated.values():
                f = self._compare_weekdays(ctx, ev, mentions, names)
                if f is not None:
                    out.append(f)
        return out

    def _compare_weekdays(self, ctx: Context, ev: Any, mentions: list[Any], names: list[str]) -> Finding | None:
        """Articles without a publication date that put one event on different weekdays ("arrested on
        Tuesday" vs "arrested Wednesday"): neither can be resolved, but both cannot be right. A weekday
        is never set against a resolved date: nothing says which week the undated article means."""
        per_article: dict[str, tuple[Any, int]] = {}
        for m, wd in mentions:
            per_article.setdefault(m.article, (m, wd))
        if len({wd for _, wd in per_article.values()}) < 2:
            return None
        def label(wd: int) -> str:
            return names[wd] if len(names) == 7 else str(wd)
        claims = [claim(ctx, m, label(wd), *m.date_span) for m, wd in per_article.values()]
        values = sorted({label(wd) for _, wd in per_article.values()})
        return finding(self, "date", ev.subject, ev.id + ":weekday", claims, event=ev.parent, dates=" vs ".join(values))

    def _compare(self, ctx: Context, ev: Any, mentions: list[Any]) -> Finding | None:
        """One finding when the articles' dates for these mentions disagree, at one granularity
        (days with days, months with months: a month that contains a day is no disagreement)."""
        per_article: dict[str, Any] = {}
        for m in mentions:
            per_article.setdefault(m.article, m)
        by_gran: dict[str, set[str]] = {}
        for m in per_article.values():
            by_gran.setdefault(_granularity(m.date), set()).add(m.date)
        gran, values = next(((g, v) for g, v in sorted(by_gran.items()) if len(v) >= 2), (None, set()))
        if gran is None or not self._close(gran, values):
            return None
        claims = [claim(ctx, m, m.date, *m.date_span) for m in per_article.values() if _granularity(m.date) == gran]
        return finding(self, "date", ev.subject, ev.id, claims, event=ev.parent, dates=" vs ".join(sorted(values)))

    def _close(self, gran: str, values: set[str]) -> bool:
        """Close enough to be one event told two ways, not two events: within max_gap_days (days), one month, one year."""
        vals = sorted(values)
        if gran == "day":
            days = [dt.date.fromisoformat(v) for v in vals]
            return (days[-1] - days[0]).days <= self.max_gap_days
        if gran == "month":
            months = [int(v[:4]) * 12 + int(v[5:7]) for v in vals]
            return months[-1] - months[0] <= 1
        return int(vals[-1]) - int(vals[0]) <= 1

    def _weekday(self, ctx: Context) -> list[Finding]:
        out = []
        for af in ctx.facts.values():
            for d in af.of("date"):
                if d.note and d.note.startswith("weekday conflict"):
                    out.append(finding(self, "date", d.text, f"{d.article}:{d.text}", [claim(ctx, d, d.value)],
                                       dates=d.note.split(":", 1)[1].strip()))
        return out
