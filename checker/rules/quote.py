"""quote: one speaker quoted with different words for one statement, or one statement given to two speakers."""

from __future__ import annotations

import re
from functools import lru_cache
from collections import defaultdict
from typing import Any, Literal

from pydantic import Field
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from checker.models import Finding, QuoteFact
from checker.rules.base import Context, RuleBase, claim, finding
from checker.translit import same_name



_CONTRACTIONS = ((r"n't\b", " not"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"), (r"'s\b", ""))


@lru_cache(maxsize=65536)
def _words(s: str, function_words: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Content words: the tokens without function words."""
    return tuple(w for w in _tokens(s) if w not in function_words)


def _norm(s: str) -> str:
    return " ".join(_tokens(s))


def _near(a: str, b: str) -> bool:
    """Two words that differ by spelling only (defense / defence, criticize / criticise)."""
    return a == b or (min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) <= 2 and a[:3] == b[:3])


@lru_cache(maxsize=65536)
def _tokens(s: str) -> tuple[str, ...]:
    """All words, lowercased, apostrophes straightened, contractions expanded, artefacts joined,
    whole hours written one way ("6:00 p.m." / "6 p.m.")."""
    s = re.sub(r"(\w)['’]\s+(\w)\b", r"\1'\2", s.lower().replace("’", "'"))
    s = re.sub(r"\b(\d{1,2}):00\b", r"\1", s)
    for pat, rep in _CONTRACTIONS:
        s = re.sub(pat, rep, s)
    return tuple(re.findall(r"\w+", s))


def compare_quotes(a: str, b: str) -> str:
    """'same' (one quotes a part of the other word for word), 'spelling' (only spellings differ), or
    'different' words. Every word counts here: "I am at peace" and "I am peace" differ."""
    ta, tb = _tokens(a), _tokens(b)
    short, long_ = sorted((ta, tb), key=len)
    if not short:
        return "different"
    n = len(short)
    best = "different"
    for i in range(len(long_) - n + 1):
        window = long_[i : i + n]
        if window == short:
            return "same"
        if all(_near(x, y) for x, y in zip(short, window)):
            best = "spelling"
    return best


class QuoteRule(RuleBase):
    """Flags one statement quoted with different words, or the same words given to different speakers."""

    kind: Literal["quote"] = "quote"
    same_statement: float = Field(70, description="Similarity (0-100) of two quotations of one speaker to take them as one statement.")
    same_context: float = Field(55, description="Similarity (0-100) of the sentences around two short quotations to take them as one statement.")
    same_frame: float = Field(80, description="Similarity (0-100) of the sentences around two short quotations above which they are one statement whatever their words.")
    min_words_misattributed: int = Field(5, description="Shortest quotation (content words) checked for attribution to different speakers.")
    spelling_severity: Literal["info", "warning", "error"] = "info"
    misattribution_severity: Literal["info", "warning", "error"] = "error"

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        fw = frozenset(str(w).lower() for w in ctx.lexicon.get("function_words", []) or [])
        by_story: dict[str, list[tuple[str | None, QuoteFact]]] = defaultdict(list)
        for af in ctx.facts.values():
            story = linked.story_of.get(af.article)
            for q in af.of("quote"):
                ent = linked.entity_of.get((af.article, q.speaker)) if q.speaker else None
                by_story[story].append((ent, q))
        canonical = {e.id: e.canonical for e in linked.entities}
        persons = {e.id for e in linked.entities if e.etype == "person"}
        out: dict[str, Finding] = {}
        for story, quotes in by_story.items():
            quotes = [(e if e in persons else None, q) for e, q in quotes]
            # Pairs are grouped into statements: one finding per (speaker(s), statement), all its articles.
            groups: dict[tuple, list] = {}
            for i in range(len(quotes)):
                for j in range(i + 1, len(quotes)):
                    (ea, qa), (eb, qb) = quotes[i], quotes[j]
                    if qa.article == qb.article:
                        continue
                    verdict = self._pair(ea, qa, eb, qb, canonical, fw)
                    if verdict is None:
                        continue
                    key = (verdict[0], *sorted({e for e in (ea, eb) if e}))
                    group = next((g for g in groups.get(key, []) if {_norm(qa.text), _norm(qb.text)} & g["texts"]), None)
                    if group is None:
                        group = {"ids": set(), "texts": set(), "quotes": [], "severity": verdict[1], "how": verdict[2]}
                        groups.setdefault(key, []).append(group)
                    for e, q in ((ea, qa), (eb, qb)):
                        group["texts"].add(_norm(q.text))
                        if id(q) not in group["ids"]:
                            group["ids"].add(id(q))
                            group["quotes"].append((e, q))
                    if verdict[1] == "warning" or verdict[1] == "error":
                        group["severity"], group["how"] = verdict[1], verdict[2]
            for (kind_, *speakers), gs in groups.items():
                for g in gs:
                    per_article = {}
                    for e, q in sorted(g["quotes"], key=lambda eq: (eq[1].article, eq[1].start)):
                        per_article.setdefault((q.article, _norm(q.text), e), (e, q))
                    if len({a for a, _, _ in per_article}) < 2 or (
                        kind_ == "statement" and len({t for _, t, _ in per_article}) < 2
                    ):
                        continue
                    if kind_ == "misattributed":
                        claims = [claim(ctx, q, canonical[e]) for e, q in per_article.values()]
                        first = next(iter(per_article.values()))[1]
                        subject = f"“{first.text[:60]}”"
                    else:
                        claims = [claim(ctx, q, q.text) for e, q in per_article.values()]
                        subject = canonical[speakers[0]]
                    words = sorted(set.intersection(*(set(_words(q.text, fw)) for _, q in per_article.values())))
                    f = finding(self, "quote", subject, f"{story}:{kind_}:{':'.join(speakers)}:{' '.join(words)}", claims,
                                event=story, severity=g["severity"], how=g["how"])
                    out.setdefault(f.fingerprint, f)
        return list(out.values())

    def _pair(self, ea: Any, qa: QuoteFact, eb: Any, qb: QuoteFact, canonical: dict[str, str], fw: frozenset[str]) -> tuple[str, str, str] | None:
        """None, or (group kind, severity, explanation) for two quotations in different articles."""
        wa, wb = _words(qa.text, fw), _words(qb.text, fw)
        if not wa or not wb:
            return None
        # The cheap tests on the speakers come first: most pairs in a story are of different speakers.
        if ea and eb and ea != eb:
            surname = lambda e: canonical[e].split()[-1]  # noqa: E731
            if same_name(surname(ea), surname(eb)):
                return None  # "Alexis" / "Alexandros X": maybe one person; never call that misattribution
            # An error needs both speakers named outright, not inferred from "he" or "the judge".
            named = qa.speaker_by == "name" and qb.speaker_by == "name"
            if (named and min(len(wa), len(wb)) >= self.min_words_misattributed
                    and compare_quotes(qa.text, qb.text) in ("same", "spelling")):
                return ("misattributed", self.misattribution_severity,
                        f"the same words attributed to {canonical[ea]} and {canonical[eb]}")
            return None
        if not ea or ea != eb:
            return None
        how = compare_quotes(qa.text, qb.text)
        if how == "same":
            return None
        sim = fuzz.token_set_ratio(" ".join(wa), " ".join(wb))
        shared = len(set(wa) & set(wb))
        if max(len(wa), len(wb)) <= 4:
            # Short quotations: one statement only when the sentences around them agree too; when they
            # agree closely, even wholly different words ("reckless gamble" / "dangerous bet") are one.
            ctx_a = _words(qa.sentence.replace(qa.text, " "), fw)
            ctx_b = _words(qb.sentence.replace(qb.text, " "), fw)
            ctx_sim = fuzz.token_sort_ratio(" ".join(ctx_a), " ".join(ctx_b))
            if ctx_sim >= self.same_frame and len(ctx_a) >= 4:
                return ("statement", self.severity, "different words for one statement")
            if sim < self.same_statement or fuzz.token_set_ratio(" ".join(ctx_a), " ".join(ctx_b)) < self.same_context:
                return None
        elif sim < self.same_statement:
            return None
        if not shared or (how == "different" and (shared / min(len(set(wa)), len(set(wb))) < 0.5 or shared / max(len(set(wa)), len(set(wb))) < 0.3)):
            return None
        if how == "spelling":
            return ("statement", self.spelling_severity, "spelling differs inside the quotation")
        return ("statement", self.severity, "different words for one statement")
