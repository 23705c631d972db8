"""sequence: sources order two events of one story differently."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import ClassVar, Literal

from checker.lexicon import Lexicon
from checker.models import Claim, EventFact, Finding
from checker.rules.base import Context, RuleBase, claim, finding


def _alts(words: list) -> str:
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=4)
def _connectives(lexicon: Lexicon) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str] | None]:
    """Per side ("after", "before"), a connective right before an event's trigger (only filler words
    between: "after his arrest"), anchored at the trigger; and the connectives that may open a sentence."""
    fill = _alts(lexicon.get("event_order_fillers") or [])
    out = []
    for side, words in (lexicon.get("event_order_connectives") or {}).items():
        out.append((str(side), re.compile(r"(?<!\w)(?P<c>" + _alts(words) + r")\s+(?:(?:" + fill + r")\s+){0,3}\Z", re.IGNORECASE)))
    leading = lexicon.get("event_order_leading") or []
    lead = re.compile(r"^\W*(?P<c>" + _alts(leading) + r")\s+(?:(?:" + fill + r")\s+){0,3}\Z", re.IGNORECASE) if leading else None
    return out, lead


def _in_sentence(text: str, mentions: list[tuple[EventFact, str]], lexicon: Lexicon) -> list[tuple[str, str, EventFact, EventFact, str]]:
    """Orders told inside one sentence by a connective: (first event, second event, the mention the
    connective governs, the other mention, the connective)."""
    conns, lead = _connectives(lexicon)
    out = []
    by_sentence: dict[int, list[tuple[EventFact, str]]] = defaultdict(list)
    for e, eid in mentions:
        by_sentence[e.sentence_index].append((e, eid))
    for items in by_sentence.values():
        items = sorted(items, key=lambda x: x[0].start)
        for k in range(1, len(items)):
            (a, aid), (b, bid) = items[k - 1], items[k]
            if aid == bid:
                continue
            gap = text[a.end:b.start]
            # "A ... after B": A came after B; "A ..., then B": A came first
            for side, pat in conns:
                m = pat.search(gap)
                if m:
                    first, second = (bid, aid) if side == "after" else (aid, bid)
                    out.append((first, second, b, a, m.group("c")))
                    break
            else:
                # "After A, ... B": A came first; "Before A, ... B": B came first
                head = _sentence_head(text, a)
                m = lead.search(head) if lead is not None and head is not None else None
                if m and "," in gap:
                    side = next((sd for sd, words in (lexicon.get("event_order_connectives") or {}).items()
                                 if m.group("c").lower() in [str(w).lower() for w in words]), None)
                    if side is not None:
                        first, second = (aid, bid) if side == "after" else (bid, aid)
                        out.append((first, second, a, b, m.group("c")))
    return out


def _sentence_head(text: str, e: EventFact) -> str | None:
    """The sentence's text before the event's trigger."""
    offset = e.sentence.find(text[e.start:e.end])
    start = e.start - offset if offset >= 0 else None
    if start is None or text[start:e.start] != e.sentence[:offset]:
        return None
    return text[start:e.start]


class SequenceRule(RuleBase):
    """Flags two events of one story that one article puts in one order and another in the other."""

    kind: Literal["sequence"] = "sequence"
    finding_scope: ClassVar[str | None] = "story"

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        events = {e.id: e for e in linked.events if e.type == "meeting"}
        every = {e.id: e for e in linked.events}
        # orders[(a, b)] = claims that event a came before event b, per article
        orders: dict[tuple[str, str], dict[str, list[Claim]]] = defaultdict(dict)
        for af in ctx.facts.values():
            mentions = [(e, linked.event_of.get((af.article, e.start))) for e in af.of("event")]
            # a connective inside one sentence: "met X a day after meeting Y", "hanged himself hours after
            # his arrest", "After meeting X, he met Y" (events of any type, each named)
            told = [(e, eid) for e, eid in mentions if eid in every and not e.background]
            ordered = set()
            for first, second, gov, other, conn in _in_sentence(ctx.articles[af.article].text, told, ctx.lexicon):
                value = f"{every[first].subject} before {every[second].subject}"
                orders[(first, second)].setdefault(af.article, [claim(ctx, gov, value), claim(ctx, other, value)])
                ordered.update((gov.start, other.start))
            mentions = [(e, eid) for e, eid in mentions if eid in events]
            # explicit order cues: "a later meeting with X" comes after the previous event mentioned
            for k, (e, eid) in enumerate(mentions):
                if not e.order or e.start in ordered:
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
            subject = f"{every[a].subject} / {every[b].subject}"
            out.append(finding(self, "sequence", subject, f"{a}|{b}", claims, event=every[a].parent,
                               first=every[a].subject, second=every[b].subject))
        return out
