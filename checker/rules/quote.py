"""quote: one speaker quoted with different words for one statement, or one statement given to two speakers.

Quotations are compared inside a story only. Candidate pairs come from two cheap indexes: the
speaker's surname (quotations of one speaker) and word 4-grams (the same words, whoever said them);
pairs of different speakers are rejected before any text comparison. Two quotations are aligned word
by word (the shorter one onto the part of the longer one it quotes); what differs decides the
severity: a content word, a negation, a tense or the word order (warning), only spellings, plurals or
trivial words such as articles (info), nothing (a partial quotation: no finding). Each quotation is
paired with its best counterpart in each other article only, and only when that choice is mutual.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, ClassVar, Literal

from pydantic import Field
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from checker.models import Finding, QuoteFact
from checker.rules.base import Context, RuleBase, claim, finding
from checker.translit import name_key, same_name

_CONTRACTIONS = ((r"n't\b", " not"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"), (r"'s\b", ""))
EDITORIAL = "ǁ"  # the token an editor's bracketed insertion becomes
TRUSTED = ("name", "description", "pronoun", "continuation")  # "nearest" is a guess, never a speaker


@lru_cache(maxsize=65536)
def _words(s: str, function_words: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Content words: the tokens without function words."""
    return tuple(w for w in _tokens(s) if w not in function_words)


def _norm(s: str) -> str:
    return " ".join(_tokens(s))


def _near(a: str, b: str) -> bool:
    """Two words that differ by spelling only (defense / defence, criticize / criticise)."""
    return a == b or (min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) <= 2 and a[:3] == b[:3])


def _plural(a: str, b: str) -> bool:
    """Singular and plural of one noun (wife / wives, party / parties, box / boxes)."""
    s, p = sorted((a, b), key=len)
    return p in (s + "s", s + "es", s[:-1] + "ies", s[:-1] + "ves", s[:-2] + "ves")


@lru_cache(maxsize=65536)
def _tokens(s: str) -> tuple[str, ...]:
    """All words, lowercased, apostrophes straightened, contractions expanded, artefacts joined,
    whole hours written one way ("6:00 p.m." / "6 p.m.")."""
    s = re.sub(r"(\w)['’]\s+(\w)\b", r"\1'\2", s.lower().replace("’", "'"))
    s = re.sub(r"\b(\d{1,2}):00\b", r"\1", s)
    s = re.sub(r"\bcan not\b", "cannot", s)
    # "[The police] have", "altered (its direction) towards": an editor's insertion, one placeholder word.
    s = re.sub(r"\[[^\]]*\]|\([^)]*\)", f" {EDITORIAL} ", s)
    for pat, rep in _CONTRACTIONS:
        s = re.sub(pat, rep, s)
    return tuple(re.findall(r"\w+|ǁ", s))


@dataclass(frozen=True)
class Alignment:
    """The shorter quotation aligned onto the part of the longer one it quotes."""

    matched: int  # words of the shorter one found in the longer one (spelling variants count)
    short: int  # words of the shorter one
    run: int  # longest run of identical words
    diff: str  # "same", "spelling", "trivial" or "material"


def _whole(quote: str) -> bool:
    """A quotation that opens with a capital quotes a whole sentence, not words picked out of one."""
    return quote[:1].isupper()


def align(a: str, b: str, trivial: frozenset[str] = frozenset(), variants: dict[str, str] | None = None) -> Alignment:
    """Align two quotations; `variants` maps each spelling of a word with several (ok / okay, 10 / ten) to one form."""
    variants = variants or {}
    ta, tb = _tokens(a), _tokens(b)
    short, long_ = sorted((ta, tb), key=len)
    whole = _whole(a if short is ta else b)
    if not short:
        return Alignment(0, 0, 0, "material")
    sm = SequenceMatcher(None, short, long_, autojunk=False)
    blocks = [bl for bl in sm.get_matching_blocks() if bl.size]
    if not blocks:
        return Alignment(0, len(short), 0, "material")
    # The part of the longer quotation the shorter one quotes: its matched words, widened by the
    # shorter one's unmatched words at either end.
    lo = max(0, blocks[0].b - blocks[0].a)
    last = blocks[-1]
    hi = min(len(long_), last.b + last.size + (len(short) - last.a - last.size))
    if whole and last.a + last.size == len(short) and len(long_) - hi <= 3:
        # A whole sentence that stops short of the other's last words dropped them ("no community" /
        # "no community center"); a few words only, a longer tail is more of the speech.
        hi = min(len(long_), hi + 3)
    window = long_[lo:hi]
    matched, worst = 0, "same"
    rank = {"same": 0, "trivial": 1, "spelling": 1, "material": 2}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, short, window, autojunk=False).get_opcodes():
        if op == "equal":
            matched += i2 - i1
            continue
        gone, added = short[i1:i2], window[j1:j2]
        if EDITORIAL in gone or EDITORIAL in added:
            kind = "trivial"  # "[The police] have" / "They have": the editor says so
        elif op == "replace" and len(gone) == len(added) and all(
                _near(x, y) or _plural(x, y) or variants.get(x, x) == variants.get(y, y) for x, y in zip(gone, added)):
            matched += i2 - i1
            kind = "spelling"
        elif all(w in trivial for w in (*gone, *added)):
            kind = "trivial"
        else:
            kind = "material"
        if rank[kind] > rank[worst]:
            worst = kind
    return Alignment(matched, len(short), max(bl.size for bl in blocks), worst)


def compare_quotes(a: str, b: str, variants: dict[str, str] | None = None) -> str:
    """'same' (one quotes a part of the other word for word), 'spelling' (only spellings differ), or
    'different' words. Every word counts here: "I am at peace" and "I am peace" differ."""
    al = align(a, b, variants=variants)
    if al.diff == "same" and al.matched == al.short:
        return "same"
    if al.diff == "spelling" and al.matched == al.short:
        return "spelling"
    return "different"


def spelling_variants(lex: Any) -> dict[str, str]:
    """Each spelling of a word written several ways (quote_spelling_variants: "ok" / "okay"), and each number
    written as a word or in digits ("ten" / "10"), mapped to one form."""
    out: dict[str, str] = {}
    for group in lex.get("quote_spelling_variants", []) or []:
        forms = [str(w).lower() for w in group]
        for w in forms:
            out[w] = forms[0]
    for word, value in (lex.get("number_words") or {}).items():
        if float(value).is_integer():
            out[str(word).lower()] = str(int(value))
    return out


def _surname(canonical: str) -> str:
    words = canonical.split()
    return name_key(words[-1]) if words else ""


def _same_person(a: str, b: str) -> bool:
    """Two entities' names that can be one person: same surname, given names that do not clash
    ("James G. Tollard" / "James Tollard" / "Tollard"; never "Pietro X" / "Carlo X")."""
    wa, wb = a.split(), b.split()
    if not wa or not wb or not same_name(wa[-1], wb[-1]):
        return False
    if len(wa) < 2 or len(wb) < 2:
        return True
    fa, fb = wa[0].rstrip(".").lower(), wb[0].rstrip(".").lower()
    return fa == fb or (min(len(fa), len(fb)) == 1 and fa[0] == fb[0])


class QuoteRule(RuleBase):
    """Flags one statement quoted with different words, or the same words given to different speakers."""

    kind: Literal["quote"] = "quote"
    finding_scope: ClassVar[str | None] = "story"
    same_statement: float = Field(0.6, description="Share (0-1) of the shorter quotation's words found in the other for one statement of one speaker.")
    same_content: float = Field(0.5, description="Share (0-1) of content words two quotations of one speaker must share, when their words are too reordered to align, to be one statement.")
    same_content_aligned: float = Field(0.4, description="Share (0-1) of the shorter quotation's words that must still align when content words decide.")
    unattributed_statement: float = Field(0.7, description="Share (0-1) of words, with a run of unattributed_run identical words, for one statement when a side has no speaker.")
    unattributed_run: int = Field(5, description="Identical words in a row needed to take a quotation without a speaker as the same statement.")
    same_context: float = Field(55, description="Similarity (0-100) of the sentences around two short quotations to take them as one statement.")
    same_frame: float = Field(80, description="Similarity (0-100) of the sentences around two short quotations above which they are one statement whatever their words.")
    min_words_misattributed: int = Field(5, description="Shortest quotation (content words) checked for attribution to different speakers.")
    spelling_severity: Literal["info", "warning", "error"] = "info"
    misattribution_severity: Literal["info", "warning", "error"] = "error"

    def check(self, ctx: Context) -> list[Finding]:
        linked = ctx.linked
        lex = ctx.lexicon
        fw = frozenset(str(w).lower() for w in lex.get("function_words", []) or [])
        trivial = frozenset(str(w).lower() for w in lex.get("quote_trivial_words", []) or [])
        light = fw | trivial | frozenset(str(w).lower() for w in lex.get("quote_light_words", []) or [])
        variants = spelling_variants(lex)
        by_story: dict[str, list[tuple[str | None, QuoteFact]]] = defaultdict(list)
        persons = {e.id for e in linked.entities if e.etype == "person"}
        for af in ctx.facts.values():
            story = linked.story_of.get(af.article)
            for q in af.of("quote"):
                ent = linked.entity_of.get((af.article, q.speaker)) if q.speaker and q.speaker_by in TRUSTED else None
                by_story[story].append((ent if ent in persons else None, q))
        canonical = {e.id: e.canonical for e in linked.entities}
        out: dict[str, Finding] = {}
        for story, quotes in by_story.items():
            verdicts = self._pairs(quotes, canonical, fw, trivial, light, variants)
            groups = self._groups(quotes, verdicts)
            for (kind_, *speakers), gs in groups.items():
                for g in gs:
                    per_article: dict = {}
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
                        named = [canonical[s] for s in speakers if s]
                        subject = max(named, key=len) if named else f"“{g['quotes'][0][1].text[:60]}”"
                    words = sorted(set.intersection(*(set(_words(q.text, fw)) for _, q in per_article.values())))
                    f = finding(self, "quote", subject, f"{story}:{kind_}:{':'.join(s for s in speakers if s)}:{' '.join(words)}",
                                claims, event=story, severity=g["severity"], how=g["how"])
                    out.setdefault(f.fingerprint, f)
        return list(out.values())

    def _pairs(self, quotes: list, canonical: dict[str, str], fw: frozenset[str], trivial: frozenset[str],
               light: frozenset[str], variants: dict[str, str]) -> dict[tuple[int, int], tuple[str, str, str, float]]:
        """Verdicts (group kind, severity, explanation, score) of the pairs kept, by quotation indices."""
        candidates: set[tuple[int, int]] = set()
        by_surname: dict[str, list[int]] = defaultdict(list)
        for i, (e, q) in enumerate(quotes):
            if e:
                by_surname[_surname(canonical[e])].append(i)
        for idx in by_surname.values():
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    candidates.add((idx[x], idx[y]))
        shingles: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, (_, q) in enumerate(quotes):
            t = _tokens(q.text)
            for k in range(len(t) - 3):
                shingles[t[k : k + 4]].append(i)
        for idx in shingles.values():
            if len(idx) > 50:
                continue  # a formula every article repeats tells nothing
            for x in range(len(idx)):
                for y in range(x + 1, len(idx)):
                    candidates.add((idx[x], idx[y]))
        scored: dict[tuple[int, int], tuple[str, str, str, float]] = {}
        for i, j in candidates:
            (ea, qa), (eb, qb) = quotes[i], quotes[j]
            if qa.article == qb.article:
                continue
            v = self._pair(ea, qa, eb, qb, canonical, fw, trivial, light, variants)
            if v is not None:
                scored[(i, j)] = v
        # Each quotation keeps its best counterpart in each other article, and only a mutual choice counts:
        # "drawing close" is not compared with "being close" when the other article has "drawing close" too.
        best: dict[tuple[int, str], tuple[float, int]] = {}
        for (i, j), v in scored.items():
            for a, b in ((i, j), (j, i)):
                key = (a, quotes[b][1].article)
                if key not in best or v[3] > best[key][0]:
                    best[key] = (v[3], b)
        return {
            (i, j): v for (i, j), v in scored.items()
            if v[0] != "same" and best[(i, quotes[j][1].article)][1] == j and best[(j, quotes[i][1].article)][1] == i
        }

    def _groups(self, quotes: list, verdicts: dict) -> dict[tuple, list]:
        """Pairs grouped into statements: one finding per (speaker(s), statement), all its articles."""
        groups: dict[tuple, list] = {}
        for (i, j), verdict in sorted(verdicts.items()):
            (ea, qa), (eb, qb) = quotes[i], quotes[j]
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
            if verdict[1] in ("warning", "error") and group["severity"] not in ("error",):
                group["severity"], group["how"] = verdict[1], verdict[2]
        return groups

    def _pair(self, ea: Any, qa: QuoteFact, eb: Any, qb: QuoteFact, canonical: dict[str, str], fw: frozenset[str],
              trivial: frozenset[str], light: frozenset[str], variants: dict[str, str]) -> tuple[str, str, str, float] | None:
        """None, or (group kind, severity, explanation, score) for two quotations in different articles."""
        wa, wb = _words(qa.text, fw), _words(qb.text, fw)
        if not wa or not wb:
            return None
        # The cheap tests on the speakers come first: most pairs in a story are of different speakers.
        if ea and eb and ea != eb and not _same_person(canonical[ea], canonical[eb]):
            if same_name(canonical[ea].split()[-1], canonical[eb].split()[-1]):
                return None  # "Nikos" / "Nikolaos X": maybe one person; never call that misattribution
            # An error needs both speakers named outright, not inferred from "he" or "the judge".
            named = qa.speaker_by == "name" and qb.speaker_by == "name"
            if (named and min(len(wa), len(wb)) >= self.min_words_misattributed
                    and compare_quotes(qa.text, qb.text, variants) in ("same", "spelling")):
                return ("misattributed", self.misattribution_severity,
                        f"the same words attributed to {canonical[ea]} and {canonical[eb]}", 1.0)
            return None
        al = align(qa.text, qb.text, trivial, variants)
        score = al.matched / al.short if al.short else 0.0
        if al.diff == "same" and al.matched == al.short:
            return ("same", "info", "", 2.0)  # one quotes a part of the other word for word
        if not (ea and eb):
            # No speaker on a side: only the same words in a row make it the same statement.
            if al.run < self.unattributed_run or score < self.unattributed_statement or not (ea or eb):
                return None
        elif score < self.same_statement or al.short < 2:
            if not self._same_statement_by_content(qa, qb, wa, wb, light, fw, score):
                return None
            score = 0.5
        if al.diff == "material":
            return ("statement", self.severity, "different words for one statement", score)
        if al.diff == "spelling":
            return ("statement", self.spelling_severity, "spelling differs inside the quotation", score)
        return ("statement", self.spelling_severity, "only a trivial word differs inside the quotation", score)

    def _same_statement_by_content(self, qa: QuoteFact, qb: QuoteFact, wa: tuple[str, ...], wb: tuple[str, ...],
                                   light: frozenset[str], fw: frozenset[str], score: float) -> bool:
        """One speaker, words too different to align: the content words, or for short quotations the
        sentences around them, decide."""
        ca, cb = set(wa) - light, set(wb) - light
        shared = ca & cb
        if (len(ca) >= 3 and len(cb) >= 3 and len(shared) >= 2 and len(shared) >= self.same_content * max(len(ca), len(cb))
                and score >= self.same_content_aligned):
            return True
        if max(len(wa), len(wb)) > 4:
            return False
        # Short quotations: one statement only when the sentences around them agree too; when they
        # agree closely, even wholly different words ("reckless gamble" / "dangerous bet") are one.
        ctx_a = _words(qa.sentence.replace(qa.text, " "), fw)
        ctx_b = _words(qb.sentence.replace(qb.text, " "), fw)
        if fuzz.token_sort_ratio(" ".join(ctx_a), " ".join(ctx_b)) >= self.same_frame and len(ctx_a) >= 4:
            return True
        sim = fuzz.token_set_ratio(" ".join(wa), " ".join(wb))
        if sim < 70 or fuzz.token_set_ratio(" ".join(ctx_a), " ".join(ctx_b)) < self.same_context:
            return False
        return bool(set(wa) & set(wb))
