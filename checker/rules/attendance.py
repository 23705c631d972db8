"""attendance: one person present at an event in one source, absent in another."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import ClassVar, Literal

from checker.models import ArticleFacts, Finding
from checker.rules.base import Context, RuleBase, claim, finding


def _own_dated(af: ArticleFacts, anchor: dt.date | None, max_days: int = 7) -> frozenset[int]:
    """Sentences that give a day within a few days of the article's own event ("X, who did not attend
    last year, attended on Monday"): not about another event, whatever else they date."""
    if anchor is None:
        return frozenset()
    out = set()
    for d in af.of("date"):
        v = d.value if d.resolved and isinstance(d.value, str) else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) and abs((dt.date.fromisoformat(v) - anchor).days) <= max_days:
            out.add(d.sentence_index)
    return frozenset(out)


class AttendanceRule(RuleBase):
    """Flags a person said to be at a story's event by one article and kept away by another."""

    kind: Literal["attendance"] = "attendance"
    finding_scope: ClassVar[str | None] = "story"
    min_sources_each_side: int = 1

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        canonical = {e.id: e.canonical for e in linked.entities}
        sides: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for af in ctx.facts.values():
            story = linked.story_of.get(af.article)
            # a sentence dated away from the article's own event speaks of another one
            background = linked.background_sentences.get(af.article, frozenset()) - _own_dated(af, linked.anchors.get(af.article))
            for a in af.of("attendance"):
                if a.sentence_index in background:
                    continue
                ent = linked.entity_of.get((af.article, a.person))
                if story and ent:
                    sides[(story, ent)][a.value].append(a)
        out = []
        for (story, ent), by_value in sorted(sides.items()):
            present, absent = by_value.get("present", []), by_value.get("absent", [])
            p_arts = {a.article for a in present}
            a_arts = {a.article for a in absent}
            if len(p_arts - a_arts) < self.min_sources_each_side or len(a_arts - p_arts) < self.min_sources_each_side:
                continue
            claims = []
            for facts_, value in ((present, "present"), (absent, "absent")):
                seen = set()
                for a in facts_:
                    if a.article in seen or (a.article in p_arts and a.article in a_arts):
                        continue
                    seen.add(a.article)
                    claims.append(claim(ctx, a, value))
            visit = next((e.subject for e in linked.events if e.parent == story and e.type == "visit"), "the event")
            out.append(
                finding(self, "attendance", canonical[ent], f"{story}:{ent}", claims, event=story,
                        present=len(p_arts - a_arts), absent=len(a_arts - p_arts), event_name=visit)
            )
        return out
