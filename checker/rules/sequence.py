"""sequence: sources order two events of one story differently."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from checker.models import Claim, Finding
from checker.rules.base import Context, RuleBase, claim, finding


class SequenceRule(RuleBase):
    """Flags two events of one story that one article puts in one order and another in the other."""

    kind: Literal["sequence"] = "sequence"

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        events = {e.id: e for e in linked.events if e.type == "meeting"}
        # orders[(a, b)] = claims that event a came before event b, per article
        orders: dict[tuple[str, str], dict[str, list[Claim]]] = defaultdict(dict)
        for af in ctx.facts.values():
            mentions = [(e, linked.event_of.get((af.article, e.start))) for e in af.of("event")]
            mentions = [(e, eid) for e, eid in mentions if eid in events]
            # explicit order cues: "a later meeting with X" comes after the previous event mentioned
            for k, (e, eid) in enumerate(mentions):
                if not e.order:
                    continue
                prev = next((p for p in reversed(mentions[:k]) if p[1] != eid), None)
                if prev is None:
                    continue
                pe, peid = prev
                first, second = (peid, eid) if e.order == "later" else (eid, peid)
                c = claim(ctx, e, f"{events[first].subject} before {events[second].subject}")
                orders[(first, second)].setdefault(af.article, [c])
            # resolved dates: two events dated to different days in one article
            dated: dict[str, tuple] = {}
            for e, eid in mentions:
                if e.date and len(e.date) == 10 and eid not in dated:
                    dated[eid] = (e.date, e)
            ids = sorted(dated)
            for i in range(len(ids)):
                for j in range(len(ids)):
                    a, b = ids[i], ids[j]
                    if a != b and dated[a][0] < dated[b][0]:
                        value = f"{events[a].subject} ({dated[a][0]}) before {events[b].subject} ({dated[b][0]})"
                        orders[(a, b)].setdefault(
                            af.article,
                            [claim(ctx, dated[a][1], value, *dated[a][1].date_span), claim(ctx, dated[b][1], value, *dated[b][1].date_span)],
                        )
        out = []
        done = set()
        for (a, b), by_article in sorted(orders.items()):
            reverse = orders.get((b, a))
            if not reverse or (b, a) in done:
                continue
            done.add((a, b))
            left = {art: cs for art, cs in by_article.items() if art not in reverse}
            right = {art: cs for art, cs in reverse.items() if art not in by_article}
            if not left or not right:
                continue
            claims = [c for cs in (*left.values(), *right.values()) for c in cs]
            subject = f"{events[a].subject} / {events[b].subject}"
            out.append(finding(self, "sequence", subject, f"{a}|{b}", claims, event=events[a].parent,
                               first=events[a].subject, second=events[b].subject))
        return out
