"""number: sources of one story give figures for one attribute that cannot both be true."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache
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
    if (a.unit or "") != (b.unit or "") and {a.unit, b.unit} & _MEASURES:
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


# units a figure is normalized to or kept in: two figures in two of them are never compared
_MEASURES = frozenset({"USD", "EUR", "GBP", "km", "magnitude", "percent", "acres", "km/h", "kg", "years", "months"})


class NumberRule(RuleBase):
    """Flags one attribute of one story (a death toll, a magnitude) given incompatible figures."""

    kind: Literal["number"] = "number"
    finding_scope: ClassVar[str | None] = "story"
    attributes: list[str] = Field(default_factory=list, description="Attributes checked (empty: all).")
    exclude_attributes: list[str] = Field(default_factory=list, description="Attributes never checked.")
    tolerance: dict[str, float] = Field(default_factory=lambda: {"magnitude": 0.1}, description="Absolute tolerance per attribute.")
    evolving: list[str] = Field(default_factory=lambda: ["killed", "injured", "missing", "arrested", "evacuated",
                                                         "rescued", "area_burned", "turnout"],
                                description="Figures that may rise over days: a later, higher figure is an update (info).")
    update_severity: Literal["info", "warning", "error"] = "info"
    daily: list[str] = Field(default_factory=lambda: ["day-count", "night-count", "crowd", "rampage", "wind_speed",
                                                      "wind_gust"],
                             description="Figures of one day (families: the attribute before its first ':'): compared "
                             "only when both figures are told of the same day (a day count rises every day, each night's "
                             "crowd is its own); a figure whose day is not told is not compared.")
    past_days: int = Field(7, ge=0, description="A figure told after a month that ended more than this many days "
                           "before the article's event (\"In early March, a gunman shot three people\") is another event's.")
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
            bg = linked.background_sentences.get(af.article, frozenset()) | _past_sentences(
                ctx, af, linked.anchors.get(af.article), self.past_days)
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
                if base.split(":", 1)[0] in self.daily:
                    day = _figure_day(ctx, af, n)
                    if day is None:
                        continue  # a figure of one day, told of no day: nothing says which day it counts
                    attr = f"{attr}@{day}"
                allfigs[(story, attr, n.unit or "")].setdefault(af.article, []).append(n)
        out = []
        several = _several_events(ctx.lexicon)
        anchored = _anchored_attributes(ctx.lexicon)
        parties = _Parties(ctx)
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
                    # Figures of an anchored attribute (a sum of money) are set against each other only when
                    # they are about one thing: both sentences tell of the event its cues name, or name a party
                    # in common.
                    cue = anchored.get(_base(attr))
                    pairs = [(a, b) for a in fa for b in fb if cue is None or _same_anchor(a, b, cue, parties)]
                    # An article that gives several figures for one attribute (five boats approached, three
                    # intercepted) may speak of several things: two articles conflict only when no figure of
                    # one can be true together with any figure of the other.
                    if not pairs:
                        continue
                    if any(agree(a, b, tol) for a, b in pairs):
                        # A count or an evolving toll in a headline may be of other things or of another
                        # hour than the body's ("Navy stops three pirate boats" over "five merchant ships").
                        base = _base(attr)
                        pair = () if base.startswith("count") or base in self.evolving else (
                            _headline_conflict(fa, fb, tol) or _headline_conflict(fb, fa, tol)[::-1])
                        if not pair or tuple(pair) not in pairs:
                            continue
                        a, b = pair
                    else:
                        a, b = pairs[0]  # each article's first (lede) figure is shown
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


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _past_sentences(ctx: Context, af, anchor, past_days: int) -> frozenset[int]:
    """Sentences whose figures are of an earlier event: one that opens with a past period ("Last month, ...", "And
    last year ..."; number_past_openers), or, for an article whose event has a date, one that names a month ended
    more than `past_days` before it, before the figure ("In early March, a gunman shot three people" in a report of
    an April shooting). The month just before the event's is not enough for the background of linking (an event of
    March 30 told on April 2), but its figures are not this event's when the month ended a week or more before."""
    out = set()
    opener = _past_opener(ctx.lexicon)
    for s in af.sentences:
        if opener.match(s.text):
            out.add(s.index)
    if anchor is None:
        return frozenset(out)
    first_number = {}
    for n in af.of("number"):
        first_number[n.sentence_index] = min(first_number.get(n.sentence_index, n.start), n.start)
    for d in af.of("date"):
        if d.sentence_index not in first_number or d.start > first_number[d.sentence_index]:
            continue
        if d.timex_type != "DATE" or not d.resolved or not isinstance(d.value, str):
            continue
        m = _MONTH.fullmatch(d.value)
        if not m:
            continue
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            continue
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        if (anchor - nxt).days + 1 > past_days:  # the month's last day is more than past_days before the event
            out.add(d.sentence_index)
    return frozenset(out)


@lru_cache(maxsize=8)
def _past_opener(lexicon) -> re.Pattern[str]:
    words = [str(w) for w in lexicon.get("number_past_openers", []) or []]
    alt = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"[\s\"“‘']*(?:(?:and|but|also)\s+)?(?:{alt})\b", re.IGNORECASE)


_CLAUSE_BREAK = re.compile(r"[,;:(\u2014\u2013]|\s-\s")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _figure_day(ctx: Context, af, n: NumberFact) -> str | None:
    """The day a figure of one day is told of: an ISO date, or a weekday name when only that is said. The
    date or weekday nearest to it in its sentence that is not another event's, else in the sentence after it,
    else in the one before; else None. Never the publication date alone: a report published in the morning
    tells of the night before as often as of its own day."""
    text = ctx.articles[af.article].text
    other = _other_event(ctx.lexicon)
    weekday_of = {str(k).lower(): int(v) for k, v in (ctx.lexicon.get("date_weekdays") or {}).items()}

    def key(d) -> str | None:
        if d.timex_type not in ("DATE", "TIME"):
            return None
        v = d.value if d.resolved and isinstance(d.value, str) else ""
        if _ISO_DAY.match(v):
            return v[:10]
        days = {weekday_of[w] for w in re.findall(r"[^\W\d_]+", d.text.lower()) if w in weekday_of}
        return _WEEKDAYS[days.pop()] if len(days) == 1 else None

    def own(d) -> bool:
        # the clause the date stands in, up to it: "since the shooting on Saturday" dates another event
        lead = text[starts.get(d.sentence_index, 0):d.start]
        cut = [m.end() for m in _CLAUSE_BREAK.finditer(lead)]
        if other.search(lead[cut[-1]:] if cut else lead):
            return False
        if d.start >= n.end and d.sentence_index == n.sentence_index:
            between = text[n.end:d.start]
            if _CLAUSE_BREAK.search(between) or other.search(between):
                return False
        return True

    starts = {s.index: s.start for s in af.sentences}
    dates = [d for d in af.of("date") if key(d) is not None]
    # its own sentence, else the sentence after it, else the one before
    for idx in (n.sentence_index, n.sentence_index + 1, n.sentence_index - 1):
        near = [d for d in dates if d.sentence_index == idx and own(d)]
        if near:
            return key(min(near, key=lambda d: abs(d.start - n.start)))
    return None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=8)
def _other_event(lexicon) -> re.Pattern[str]:
    words = [str(w) for w in lexicon.get("number_day_other_event", []) or []]
    alt = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\b(?:{alt})\b", re.IGNORECASE)


def _is_headline(n: NumberFact) -> bool:
    """The figure stands in the article's first line, written as a headline (no closing punctuation)."""
    return n.sentence_index == 0 and not n.sentence.rstrip().endswith((".", "!", "?", '"', "”", "’", "'"))


def _headline_conflict(fa: list[NumberFact], fb: list[NumberFact], tol: float) -> tuple[NumberFact, NumberFact] | tuple[()]:
    """An article whose headline figure ("Thieves take $2.5 million") fits neither its own body nor the other
    article, while its body agrees with the other article ("$2.6 million" in both): the headline and the other
    article's figure conflict. Returns (headline figure, the other article's figure), or ()."""
    heads = [n for n in fa if _is_headline(n)]
    body = [n for n in fa if not _is_headline(n)]
    if not heads or not body:
        return ()
    for h in heads:
        if any(agree(h, x, tol) for x in body) or any(agree(h, y, tol) for y in fb):
            continue
        same = [y for y in fb if any(agree(x, y, tol) for x in body)]
        if same:
            return h, same[0]
    return ()


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


def _anchored_attributes(lexicon) -> dict[str, re.Pattern[str]]:
    """Attributes whose figures need an anchor (number_attributes with anchor_cues), with their cues as one regex
    of word beginnings; an attribute with anchor_parties needs a party in common (its cue never matches)."""
    out = {}
    for spec in lexicon.get("number_attributes", []) or []:
        if spec.get("anchor_parties"):
            out[str(spec.get("name"))] = _NEVER
            continue
        cues = [str(c) for c in spec.get("anchor_cues") or []]
        if cues:
            words = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
            out[str(spec.get("name"))] = re.compile(rf"\b(?:{words})", re.IGNORECASE)
    return out


class _Parties:
    """The parties each sentence names: people and organizations, not places, lone words nor generic institutions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cache: dict[str, dict[int, frozenset[str]]] = {}

    def of(self, n: NumberFact) -> frozenset[str]:
        per = self.cache.get(n.article)
        if per is None:
            linked, acc = self.ctx.linked, defaultdict(set)
            for name in self.ctx.facts[n.article].of("name"):
                ent = linked.entity_of.get((n.article, name.full))
                if ent and ent not in linked.weak:
                    acc[name.sentence_index].add(ent)
            per = self.cache[n.article] = {k: frozenset(v) for k, v in acc.items()}
        return per.get(n.sentence_index, frozenset())


_NEVER = re.compile(r"(?!)")


def _same_anchor(a: NumberFact, b: NumberFact, cue: re.Pattern[str], parties: _Parties) -> bool:
    """Two figures are about one thing: both sentences tell of the cued event (a theft: its haul), or they name a
    party in common (the buyer of one deal)."""
    if cue.search(a.sentence) and cue.search(b.sentence):
        return True
    return bool(parties.of(a) & parties.of(b))


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
