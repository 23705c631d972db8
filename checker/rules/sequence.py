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
        # pairs[(story, type, other type)][person or None][article] = claims: one person's two events
        # ordered inside one sentence, told as the second type's relation to the first ("after arrest")
        pairs: dict[tuple[str, str, str], dict[str | None, dict[str, list[Claim]]]] = defaultdict(dict)
        for af in ctx.facts.values():
            mentions = [(e, linked.event_of.get((af.article, e.start))) for e in af.of("event")]
            # a connective inside one sentence: "met X a day after meeting Y", "hanged himself hours after
            # his arrest", "After meeting X, he met Y" (events of any type, each named)
            text = ctx.articles[af.article].text
            story = linked.story_of.get(af.article, af.article)
            # Events no one is named for take their type as their id here: "took his own life days after
            # his arrest" orders a suicide and an arrest of one man, named or not.
            told = [(e, eid if eid in every else _TYPE + e.value) for e, eid in mentions if not e.background]
            ordered = set()
            for first, second, gov, other, conn in _in_sentence(text, told, ctx.lexicon):
                if first.startswith(_TYPE) or second.startswith(_TYPE) or _same_actor(text, gov, other, linked, af.article, ctx.lexicon):
                    person = _actor(gov, other, linked, af.article)
                    if person is False or not _tied(text, gov, ctx.lexicon):
                        continue
                    t1, t2 = _type_of(first, every), _type_of(second, every)
                    if t1 == t2:
                        continue
                    ref, other_type = sorted((t1, t2))
                    value = f"{'after' if t1 == ref else 'before'} {ref}"
                    pairs[(story, ref, other_type)].setdefault(person, {}).setdefault(
                        af.article, [claim(ctx, gov, value), claim(ctx, other, value)])
                    ordered.update((gov.start, other.start))
                    continue
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
        out = self._pairs(ctx, pairs)
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

    def _pairs(self, ctx: Context, pairs: dict) -> list[Finding]:
        """One person's two events put in opposite orders by two articles ("shot himself two days after his
        arrest" / "... before he was charged"). Orders told of no one named count for the one person
        the story's other articles name for that pair of types, else only among themselves."""
        out = []
        canonical = {e.id: e.canonical for e in ctx.linked.entities}
        for (story, ref, other_type), by_person in sorted(pairs.items()):
            named = sorted(p for p in by_person if p is not None)
            groups = {p: dict(by_person[p]) for p in named}
            if None in by_person:
                if len(named) == 1:
                    for art, cs in by_person[None].items():
                        groups[named[0]].setdefault(art, cs)
                else:
                    groups[None] = dict(by_person[None])
            for person, by_article in sorted(groups.items(), key=lambda kv: kv[0] or ""):
                values = {cs[0].value for cs in by_article.values()}
                if len(values) < 2:
                    continue
                claims = [c for _, cs in sorted(by_article.items()) for c in cs]
                who = canonical.get(person, "") if person else ""
                first = f"{other_type} of {who}" if who else other_type
                second = f"{ref} of {who}" if who else ref
                key = f"{story}|{ref}|{other_type}|{person or ''}"
                out.append(finding(self, "sequence", f"{first} / {second}", key, claims, event=story,
                                   first=first, second=second))
        return out


_TYPE = "\x00type:"


def _type_of(eid: str, every: dict) -> str:
    return eid[len(_TYPE):] if eid.startswith(_TYPE) else every[eid].type


def _person(e: EventFact, linked, article: str) -> str | None:
    return linked.entity_of.get((article, e.hosts[0])) if e.hosts else None


def _actor(gov: EventFact, other: EventFact, linked, article: str) -> str | None | bool:
    """The person both events happened to: the one either is keyed by; False when they name two."""
    a, b = _person(gov, linked, article), _person(other, linked, article)
    if a and b and a != b:
        return False
    return a or b


def _same_actor(text: str, gov: EventFact, other: EventFact, linked, article: str, lexicon: Lexicon) -> bool:
    a, b = _person(gov, linked, article), _person(other, linked, article)
    return a is not None and a == b


def _tied(text: str, gov: EventFact, lexicon: Lexicon) -> bool:
    """The event the connective governs is told as the other's doer's own: "after his arrest", "before he
    was charged", "within days of being held" (a word of event_order_same_actor right before it)."""
    words = {str(w).lower() for w in lexicon.get("event_order_same_actor", []) or []}
    before = re.findall(r"[\w’']+", text[max(0, gov.start - 30):gov.start].lower())[-3:]
    return bool(words & {*before, *re.findall(r"[\w’']+", text[gov.start:gov.end].lower())})
