"""date: one event given different dates by different sources; a weekday that contradicts its date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar, Literal

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


_RANK = {None: -1, "year": 0, "month": 1, "day": 2}
_WIDTH = {"year": 4, "month": 7, "day": 10}


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
    finding_scope: ClassVar[str | None] = "story"
    scope: Literal["event", "article"] = Field("event", description="event: across sources; article: a weekday that contradicts its date inside one article.")
    max_gap_days: int = Field(10, ge=0, description="Dates further apart than this are taken as different events, not a disagreement.")

    def check(self, ctx: Context) -> list[Finding]:
        return self._weekday(ctx) if self.scope == "article" else self._events(ctx)

    def _events(self, ctx: Context) -> list[Finding]:
        out = []
        weekday_of = {str(k).lower(): int(v) for k, v in (ctx.lexicon.get("date_weekdays", {}) or {}).items()}
        names = list(ctx.lexicon.get("date_weekday_names", []) or [])
        once = frozenset(ctx.lexicon.get("event_once_types", []) or [])
        for ev in ctx.linked.events:
            # One event is one step (event types are steps: a conviction and its sentence are two events).
            dated = [m for m in ev.mentions if m.date and _granularity(m.date)]
            undated = [(m, wd) for m in ev.mentions if not (m.date and _granularity(m.date))
                       and (wd := _weekday(ctx, m, weekday_of)) is not None]
            f = self._compare(ctx, ev, dated)
            if f is not None:
                out.append(f)
            f = self._compare_weekdays(ctx, ev, undated, names)
            if f is not None:
                out.append(f)
            elif ev.type in once:
                f = self._weekday_against_date(ctx, ev, dated, undated, names)
                if f is not None:
                    out.append(f)
        return out

    def _weekday_against_date(self, ctx: Context, ev: Any, dated: list[Any], undated: list[tuple[Any, int]],
                              names: list[str]) -> Finding | None:
        """An event that happens once (a killing) put on a weekday by an undated report ("killed him on
        Sunday") and on a day by others that agree on it ("the Dec. 6 killing", a Saturday): whatever
        week the undated report means, both cannot be right. The weekday's side shows the nearest such
        day to the other side's date."""
        days = {m.article: m for m in dated if _granularity(m.date) == "day"}
        values = {m.date for m in days.values()}
        if len(values) != 1 or not undated:
            return None
        day = dt.date.fromisoformat(values.pop())
        per_article: dict[str, tuple[Any, int]] = {}
        for m, wd in undated:
            if m.article not in days:
                per_article.setdefault(m.article, (m, wd))
        wrong = {a: (m, wd) for a, (m, wd) in per_article.items() if wd != day.weekday()}
        if not wrong:
            return None

        def label(d: dt.date) -> str:
            return f"{d.isoformat()} ({names[d.weekday()]})" if len(names) == 7 else d.isoformat()

        def nearest(wd: int) -> dt.date:
            return min((day + dt.timedelta(days=k) for k in range(-3, 4)), key=lambda d: (d.weekday() != wd, abs((d - day).days), d))
        claims = [claim(ctx, m, label(day), *m.date_span) for m in days.values()]
        claims += [claim(ctx, m, label(nearest(wd)), *m.date_span) for m, wd in wrong.values()]
        shown = sorted({label(day)} | {names[wd] if len(names) == 7 else str(wd) for _, wd in wrong.values()})
        return finding(self, "date", ev.subject, ev.id + ":weekday-date", claims, event=ev.parent, dates=" vs ".join(shown))

    def _compare_weekdays(self, ctx: Context, ev: Any, mentions: list[Any], names: list[str]) -> Finding | None:
        """Articles without a publication date that put one event on different weekdays ("arrested on
        Tuesday" vs "arrested Wednesday"): neither can be resolved, but both cannot be right. A weekday
        is never set against a resolved date, except for an event that happens once."""
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
        """One finding when the articles' dates for one event disagree at the granularity both give: a
        year against a year or a month ("2002" / "May 2003"), a month against a month or a day, a day
        against a day; a month that contains a day is no disagreement. Two dates too far apart at that
        granularity are of two events of the type (a second arrest, an earlier indictment): no
        disagreement, and no bar to one between two other dates. Nor is a date the other article also
        gives for the event: an article that tells both tells of two events, or of one it dates twice."""
        per_article: dict[str, list[Any]] = {}
        for m in mentions:
            per_article.setdefault(m.article, []).append(m)
        arts = sorted(per_article)

        def gives(art: str, value: str, gran: str) -> bool:
            width = _WIDTH[gran]
            return any(_RANK[_granularity(x.date)] >= _RANK[gran] and x.date[:width] == value[:width] for x in per_article[art])

        conflicting: dict[str, Any] = {}
        for i, a in enumerate(arts):
            for b in arts[i + 1:]:
                for ma in per_article[a]:
                    for mb in per_article[b]:
                        va, vb = ma.date, mb.date
                        gran = min(_granularity(va), _granularity(vb), key=lambda g: _RANK[g])
                        width = _WIDTH[gran]
                        if va[:width] == vb[:width] or not self._close(gran, {va[:width], vb[:width]}):
                            continue
                        if gives(a, vb, gran) or gives(b, va, gran):
                            continue
                        conflicting.setdefault(a, ma)
                        conflicting.setdefault(b, mb)
        if not conflicting:
            return None
        claims = [claim(ctx, conflicting[a], conflicting[a].date, *conflicting[a].date_span) for a in sorted(conflicting)]
        shown = sorted({conflicting[a].date for a in conflicting})
        return finding(self, "date", ev.subject, ev.id, claims, event=ev.parent, dates=" vs ".join(shown))

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
