"""Quantities tied to an event attribute: one number grammar plus YAML attribute patterns.

The grammar (number words, scales, currencies, units, hedges) and the attribute patterns live in
rules/lexicon/numbers.yml; this module compiles them once per lexicon and applies them sentence by
sentence. A number with no attribute pattern around it is not returned.

Values: lengths in km (miles, nautical miles, metres, feet converted), money in its own currency
(USD, EUR, GBP, ... never converted), counts and magnitudes as written. Attributes are the YAML names;
a distance carries its place ("distance:Healdsburg"). Intervals are the raw hedge: "at least 10" is
[10, None], "about 6.0" is [5.95, 6.05] (half a unit of the last written digit, but at most a tenth of a
round figure of hundreds or more: "about 1,000" is [900, 1100]), "nearly 100" is
[90, 100], "dozens" is [24, 144], a range "40 to 50" / "between 60 and 100" its two ends; an exact figure converted from another unit keeps the rounding of
what was written ("6 miles" is 8.85..10.46 km).
"""

from __future__ import annotations

import bisect
import math
import re
import weakref
from dataclasses import dataclass

from checker import fastre
from checker.lexicon import Lexicon

_FLAGS = re.IGNORECASE | re.VERBOSE
_BETWEEN = fastre.lazy(r"\bbetween\s+(?:\S+\s+){0,2}?(?:and|to)\s+\Z|\bbetween\s+\Z", re.IGNORECASE)
_QUALIFIED = fastre.lazy(r"\b(?:other|remaining|last|first|rest\s+of\s+the|another|additional|further)\s+\Z", re.IGNORECASE)
_SUBCOUNT_NEXT = fastre.lazy(r"\s+[A-Z][a-z]+\s+and\s+\d")
_SUBCOUNT_PREV = fastre.lazy(r"\d\s+[A-Z][a-z]+\s+and\s+\Z")


@dataclass(frozen=True)
class NumberMention:
    """One quantity tied to an attribute; offsets cover the hedge, number, unit and counted noun."""

    start: int  # offsets into the text of the whole expression incl. hedge/unit ("at least 10 people")
    end: int
    text: str  # text[start:end]
    attribute: str  # "killed", "injured", "magnitude", "depth", "money", "count:bombs", "distance:<place>", ...
    value: float  # the normalized point value (in the unit below)
    low: float | None  # the interval the hedge asserts, raw (the rule widens it by its tolerance)
    high: float | None
    unit: str | None  # "km", "USD", "EUR", "GBP", "magnitude", "people", or the counted thing
    hedge: str  # "exact" | "at_least" | "more_than" | "about" | "up_to" | "at_most" | "nearly" | "fewer_than" | "range"
    revised: bool = False  # the sentence says the figure was revised/rose/updated
    number_text: str = ""  # the number as written ("ten", "1,150", "2.5 million")
    figure: str = ""  # the figure with its hedge and unit, without the counted noun ("at least seven", "$2.6 million")
    holder: str | None = None  # "person": the attribute belongs to one person (wives, children), found by the caller;
    # "actor": to the person or organization named before it (a candidate's vote share); "party": to the party the
    # pattern names (the company acquired), at party_span
    party_span: tuple[int, int] | None = None


# --- compiling the lexicon ------------------------------------------------------------------------


def _phrase(words: list[str] | tuple[str, ...]) -> str:
    """An alternation of literal phrases as a trie (fast to try), longest match first, spaces matching any whitespace."""
    trie: dict = {}
    for w in {str(w) for w in words if str(w)}:
        node = trie
        for ch in re.sub(r"\s+", " ", w):
            node = node.setdefault(ch.lower() if ch.isalpha() else ch, {})
        node[""] = {}
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    end = "" in node
    alts = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        alts.append(piece + _trie_regex(node[ch]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if end else body


def _words(words) -> set[str]:
    return {str(w).lower() for w in words}


class _Pattern:
    """One attribute pattern split at {N}: text that must end at the number, text that must follow it."""

    __slots__ = ("before", "after", "decimal")

    def __init__(self, before: re.Pattern[str] | None, after: re.Pattern[str] | None, decimal: bool) -> None:
        self.before = before
        self.after = after
        self.decimal = decimal


class _Attribute:
    __slots__ = ("name", "kind", "unit", "patterns", "tail", "thing", "index", "holder", "qualifier", "offence",
                 "not_before", "not_near", "keys", "not_after", "rounded")

    def __init__(self, name, kind, unit, patterns, tail, thing, index, holder=None, qualifier=None, offence=False,
                 not_before=None, not_near=None, keys=None, not_after=None, rounded=False) -> None:
        self.not_near = not_near
        self.not_after = not_after
        self.rounded = rounded
        self.keys = keys or {}
        self.offence = offence
        self.not_before = not_before
        self.holder = holder
        self.qualifier = qualifier
        self.index = index
        self.name = name
        self.kind = kind
        self.unit = unit
        self.patterns = patterns
        self.tail = tail
        self.thing = thing


class _Grammar:
    """Everything compiled from one lexicon."""

    def __init__(self, lex: Lexicon) -> None:
        self.words = {str(k).lower(): float(v) for k, v in (lex.get("number_words") or {}).items()}
        self.mults = {str(k).lower(): float(v) for k, v in (lex.get("number_word_multipliers") or {}).items()}
        self.vague = {str(k).lower(): v for k, v in (lex.get("number_vague") or {}).items()}
        self.fractions = {str(k).lower(): float(v) for k, v in (lex.get("number_fractions") or {}).items()}
        self.scales = {str(k).lower(): float(v) for k, v in (lex.get("number_scales") or {}).items()}
        self.cur_symbols = {str(k): str(v) for k, v in (lex.get("number_currency_symbols") or {}).items()}
        self.cur_symbols_folded = {k.lower(): v for k, v in self.cur_symbols.items()}
        self.cur_e = lex.get("number_currency_e")
        self.cur_words: dict[str, str] = {}
        for code, ws in (lex.get("number_currency_words") or {}).items():
            for w in ws:
                self.cur_words[str(w).lower()] = str(code)
        self.lengths: dict[str, float] = {}
        for _, spec in (lex.get("number_length_units") or {}).items():
            for w in spec["words"]:
                self.lengths[re.sub(r"\s+", " ", str(w).lower())] = float(spec["factor"])
        # other measures (area, speed, mass): unit word -> (kind, factor to the stored unit, low factor)
        self.measures: dict[str, tuple[str, float, float]] = {}
        for kind, units in (lex.get("number_measure_units") or {}).items():
            for _, spec in units.items():
                for w in spec["words"]:
                    self.measures[re.sub(r"\s+", " ", str(w).lower())] = (
                        str(kind), float(spec["factor"]), float(spec.get("low_factor", 1.0)))
        self.measure_units = {str(k): str(v.get("unit", k)) for k, v in (lex.get("number_measure_kinds") or {}).items()}
        self.hedges: dict[str, str] = {}
        for kind, ws in (lex.get("number_hedges") or {}).items():
            for w in ws:
                self.hedges.setdefault(re.sub(r"\s+", " ", str(w).lower()), str(kind))
        self.labels = _words(lex.get("number_label_words") or [])
        self.nonq_after = _words(lex.get("number_nonquantity_after") or [])
        self.nonq_before = _words(lex.get("number_nonquantity_before") or [])
        self.months = _words(lex.get("number_months") or [])
        self.hyphen_ok = _words(lex.get("number_hyphen_ok") or [])
        self.percent = _words(lex.get("number_percent_words") or [])
        self.time_units = {str(k).lower(): str(v) for k, v in (lex.get("number_time_units") or {}).items()}
        nb = lex.get("number_nonquantity_before") or []
        self.nonq_before_re = fastre.lazy(rf"\b(?:{_phrase(nb)})\s*\Z", re.IGNORECASE) if nb else fastre.lazy(r"(?!)")

        word_alt = _phrase(list(self.words))
        mult_alt = _phrase(list(self.mults))
        wordnum = rf"(?:{word_alt})(?:[\s-]+(?:and[\s-]+)?(?:{word_alt}|{mult_alt})\b)*"
        digits = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![.,]?\d)"
        num = rf"(?P<num>{digits}|\b(?:{_phrase(list(self.vague))}|{_phrase(list(self.fractions))}|{wordnum})\b)"
        hedge = rf"(?P<hedge>(?:(?:{_phrase(list(self.hedges))})\s+){{1,2}})?"
        syms = [s for s in self.cur_symbols if not s[-1].isalpha()]
        codes = [s for s in self.cur_symbols if s[-1].isalpha()]
        cur = rf"(?P<cur>(?:{_phrase(syms)})\s?|\b(?:{_phrase(codes)})\s?|\be(?=\d))?"
        scale = rf"(?:(?:\s|-)?(?P<scale>{_phrase(list(self.scales))})\b)?"
        curw = rf"(?:(?:\s|-)(?P<curw>{_phrase(list(self.cur_words))})\b)?"
        unit = rf"(?:(?:\s|-)?(?P<unit>{_phrase(list(self.lengths))})\b)?"
        measure = rf"(?:(?:\s|-)?(?P<measure>{_phrase(list(self.measures))})(?![\w/]))?"
        pct = rf"(?:\s?(?P<pct>{_phrase([p for p in self.percent if p != '%'])}\b|%))?"
        self.number = fastre.lazy(
            rf"(?<![\w.,/:$£€-]){hedge}{cur}{num}{scale}{curw}{measure}{unit}{pct}(?!\w)", re.IGNORECASE
        )
        # a fast first pass finds where a number starts; the full grammar is then matched around it
        number_words = _phrase([*self.vague, *self.fractions, *self.words])
        # run on the lowercased text: no case folding and a literal first character make this pass fast
        self.core_low = fastre.lazy(rf"(?<![a-df-z0-9.,])(?:[0-9]|{number_words}\b)")
        self.core = fastre.lazy(rf"(?<![a-df-z0-9.,])(?:[0-9]|{number_words}\b)", re.IGNORECASE)
        self.hedge_last = {h.split()[-1] for h in self.hedges}
        self.cur_last = {c[-1] for c in self.cur_symbols} | {"e", "E"}
        cur_back = cur.replace(r"\be(?=\d)", r"\be")
        self.prefix_back = fastre.lazy(rf"{hedge}{cur_back}\Z", re.IGNORECASE)
        self.post_hedges: dict[str, str] = {}
        for kind, ws in (lex.get("number_post_hedges") or {}).items():
            for w in ws:
                self.post_hedges[re.sub(r"\s+", " ", str(w).lower())] = str(kind)
        ph = _phrase(list(self.post_hedges))
        self.post_hedge = fastre.lazy(rf"\s+(?P<ph>{ph})\b", re.IGNORECASE) if ph else fastre.lazy(r"(?!)")
        self.paren = fastre.lazy(r"\s*\((?P<inner>[^()]{1,40})\)")
        cues = lex.get("number_revision_cues") or []
        rates = lex.get("number_rate_after") or []
        self.rate_after = fastre.lazy(rf"\s*(?:{_phrase(rates)})(?![\w])", re.IGNORECASE) if rates else fastre.lazy(r"(?!)")
        self.pair_next = fastre.lazy(rf"\s*(?:,\s*)?(?:and|or|to)\s+(?:\d|(?:{word_alt})\b)", re.IGNORECASE)
        self.alt_prev = fastre.lazy(rf"(?:\d|\b(?:{word_alt}))\s+(?:or|to)\s+\Z", re.IGNORECASE)
        self.partitive = fastre.lazy(
            rf"\b(?:\d+|{word_alt})\s+of\s+(?:the|those|these|its|their|his|her)\s+\Z", re.IGNORECASE
        )
        parts = lex.get("number_partition_cues") or []
        self.partition = fastre.lazy(rf"\b(?:{_phrase(parts)})\b", re.IGNORECASE) if parts else fastre.lazy(r"(?!)")
        self.revision = fastre.lazy(rf"\b(?:{_phrase(cues)})\b", re.IGNORECASE) if cues else None
        openers = lex.get("number_part_openers") or []
        # the sentence opens with a group up to its first comma: what follows that comma is a part of the group
        self.part_opener = (fastre.lazy(rf"[\s\"“‘'(#]*(?:{_phrase(openers)})\b"
                                      rf"(?:(?!\b(?:were|was|are|is|had|have|has)\b)[^,;:.]){{1,80}},", re.IGNORECASE)
                            if openers else fastre.lazy(r"(?!)"))
        self.others_clause = _words(lex.get("number_others_clause_words") or [])
        starts = lex.get("number_others_clause_starts") or []
        self.others_start = (fastre.lazy(rf"(?:[,;:(\u2014\u2013\"“]|\b(?:{_phrase(starts)})\b)", re.IGNORECASE)
                             if starts else fastre.lazy(r"[,;:(\u2014\u2013\"“]"))
        endings = [str(e) for e in lex.get("number_demonym_endings") or []]
        self.demonym = (fastre.lazy(rf"(?-i:[A-Z][a-z]+(?:{'|'.join(map(re.escape, endings))}))\Z") if endings
                        else fastre.lazy(r"(?!)"))
        self.round_mults = {str(k).lower(): float(v) for k, v in (lex.get("number_round_multipliers") or {}).items()}
        self._day_counts(lex)
        self._zeros(lex)

        macros = {str(k): re.sub(r"\s+", "", str(v)) for k, v in (lex.get("number_macros") or {}).items()}
        for _ in range(4):  # macros may use macros
            macros = {k: _expand(v, macros) for k, v in macros.items()}
        # the span of a mention takes the longest people noun phrase, never across "and"/"or"
        greedy_np = re.sub(r"\{0,(\d)\}\?", r"{0,\1}", macros.get("NP", r"(?!)")).replace(
            "(?:of|the|", "(?:(?:and|or)(?=\\s+(?-i:[a-z]))|of|the|", 1
        )
        self.np = fastre.lazy(r"\s+" + greedy_np + r"\b", _FLAGS)
        self.thing_synonyms = {str(k).lower(): str(v).lower() for k, v in (lex.get("number_thing_synonyms") or {}).items()}
        self.thing_qualifiers = _words(lex.get("number_thing_qualifiers") or [])
        self.model_classes = _words(lex.get("number_model_classes") or [])
        people = macros.get("PEOPLE")
        self.people = fastre.lazy(rf"(?:{people})", _FLAGS) if people else fastre.lazy(r"(?!)")
        self.scopes: list[tuple[str, frozenset[str], re.Pattern[str]]] = []
        for spec in lex.get("number_scopes") or []:
            kinds = frozenset(str(k) for k in spec.get("attributes") or [])
            cue = fastre.lazy(rf"\b(?:{_phrase(spec['cues'])})\b", re.IGNORECASE)
            self.scopes.append((str(spec["name"]), kinds, cue))
        # offences by class ("heroin", "narcotics" -> drugs): one pattern of word beginnings, searched only
        # around a figure whose attribute is keyed by its offence (a prison term)
        self.offence_class: dict[str, str] = {}
        for cls, ws in (lex.get("number_offences") or {}).items():
            for w in ws:
                self.offence_class[re.sub(r"\s+", " ", str(w).lower())] = str(cls)
        self.offences = (fastre.lazy(rf"\b(?:{_phrase(list(self.offence_class))})", re.IGNORECASE)
                         if self.offence_class else fastre.lazy(r"(?!)"))
        self.attributes: list[_Attribute] = []
        cue_attrs: dict[str, set[int]] = {}
        always: set[int] = set()
        gate_left: dict[str, list[str]] = {}
        gate_right: dict[str, list[str]] = {}
        for spec in lex.get("number_attributes") or []:
            kind = spec.get("kind", "count")
            tail_src = spec.get("tail", "{TAIL}" if kind == "count" else "")
            tail = fastre.lazy(_expand(tail_src, macros), _FLAGS) if tail_src else None
            before_only, after_only, pats = [], [], []
            keyed = spec.get("keys")
            key_words = (lex.get(keyed) if isinstance(keyed, str) else keyed) or {}
            # {KEY} in a pattern: any word of the attribute's key lists, as the group "key"
            key_re = rf"(?P<key>{_phrase([w for ws in key_words.values() for w in ws])})" if key_words else "(?!)"
            for p in spec.get("patterns", []):
                src, dec = (p["re"], bool(p.get("decimal"))) if isinstance(p, dict) else (p, False)
                src = src.replace("{KEY}", key_re)
                left, _, right = _expand(src, macros, keep_n=True).partition("{N}")
                if dec or "(?P<" in left + right:
                    before = fastre.lazy(rf"(?:{left})\Z", _FLAGS) if left.strip() else None
                    after = fastre.lazy(right, _FLAGS) if right.strip() else None
                    pats.append(_Pattern(before, after, dec))
                elif left.strip() and right.strip():
                    pats.append(_Pattern(fastre.lazy(rf"(?:{left})\Z", _FLAGS), fastre.lazy(right, _FLAGS), False))
                elif left.strip():
                    before_only.append(left)
                else:
                    after_only.append(right)
            # patterns of one shape are tried as one alternation: one regex call instead of many
            if after_only:
                pats.insert(0, _Pattern(None, fastre.lazy("|".join(f"(?:{r})" for r in after_only), _FLAGS), False))
            if before_only:
                alt = "|".join(f"(?:{l})" for l in before_only)
                pats.insert(0, _Pattern(fastre.lazy(rf"(?:{alt})\Z", _FLAGS), None, False))
            for pat_src in spec.get("patterns", []):
                src = (pat_src["re"] if isinstance(pat_src, dict) else pat_src).replace("{KEY}", key_re)
                left, _, right = _expand(src, macros, keep_n=True).partition("{N}")
                left, right = _NAMED.sub("(?:", left), _NAMED.sub("(?:", right)
                if left.strip():
                    gate_left.setdefault(kind, []).append(left)
                else:
                    gate_right.setdefault(kind, []).append(right)
            name = str(spec["name"])
            thing = name.startswith("count:")
            index = len(self.attributes)
            qual = spec.get("qualifier")
            qual_re = fastre.lazy(_expand(qual, macros), _FLAGS) if qual else None
            nb = spec.get("not_before")
            nb_re = fastre.lazy(rf"(?:{_expand(nb, macros)})", _FLAGS) if nb else None
            nn = spec.get("not_near")
            nn_re = fastre.lazy(_expand(nn, macros), _FLAGS) if nn else None
            keys = {re.sub(r"\s+", " ", str(w).lower()): str(k) for k, ws in key_words.items() for w in ws}
            na = spec.get("not_after")
            na_re = fastre.lazy(_expand(na, macros), _FLAGS) if na else None
            self.attributes.append(_Attribute(name, kind, spec.get("unit"), pats, tail, thing, index, spec.get("holder"),
                                              qual_re, bool(spec.get("offence")), nb_re, nn_re, keys, na_re,
                                              bool(spec.get("rounded"))))
            for cue in spec.get("cues") or []:
                cue_attrs.setdefault(re.sub(r"\s+", " ", str(cue).lower()), set()).add(index)
            if not spec.get("cues"):
                always.add(index)
        # per kind, every text that may end at a number / every text that may follow one, as one regex each:
        # a candidate that passes neither gate needs no per-pattern check
        self.gate_before = {
            k: fastre.lazy("(?:" + "|".join(f"(?:{x})" for x in v) + r")\Z", _FLAGS) for k, v in gate_left.items()
        }
        self.gate_after = {k: fastre.lazy("|".join(f"(?:{x})" for x in v), _FLAGS) for k, v in gate_right.items()}
        # a cue that is a longer form of another cue also stands for that one ("damage" for "damag")
        self.cue_attrs = {
            cue: frozenset().union(*(v for other, v in cue_attrs.items() if cue.startswith(other)))
            for cue in cue_attrs
        }
        self.always = frozenset(always)
        self.cues = fastre.lazy(rf"\b(?:{_phrase(list(self.cue_attrs))})", re.IGNORECASE) if cue_attrs else None
        # the same on the lowercased text without case folding (the trie's letters are lowercase); only
        # for an all-ASCII pattern, where the two agree (see _cued)
        self.cues_low = (
            fastre.lazy(self.cues.pattern) if self.cues is not None and self.cues.pattern.isascii() else None
        )


    def _day_counts(self, lex: Lexicon) -> None:
        """Day counts of an ongoing event ("the seventh straight day of protests"): one regex per YAML pattern."""
        self.ordinals = {str(k).lower(): float(v) for k, v in (lex.get("number_ordinals") or {}).items()}
        self.day_units = {str(w).lower(): str(u) for u, ws in (lex.get("number_day_count_units") or {}).items()
                          for w in ws}
        self.day_events = {re.sub(r"\s+", " ", str(w).lower()): str(c)
                           for c, ws in (lex.get("number_day_count_events") or {}).items() for w in ws}
        self.day_patterns: list[re.Pattern[str]] = []
        self.day_patterns_low: list[re.Pattern[str]] = []
        self.day_needs: list[object] = []
        self.day_gate = fastre.lazy(r"(?!)")
        if not (self.ordinals and self.day_units and self.day_events):
            return
        parts = {
            "ORD": rf"(?P<ord>(?:{_phrase(list(self.ordinals))})|\d{{1,2}}(?:st|nd|rd|th))",
            "CARD": rf"(?P<card>(?:{_phrase(list(self.words))})|\d{{1,2}})",
            "UNIT": rf"(?P<unit>{_phrase(list(self.day_units))})",
            "EVENT": rf"(?P<event>{_phrase(list(self.day_events))})",
        }
        for src in lex.get("number_day_count_patterns") or []:
            self.day_patterns.append(fastre.lazy(_expand(str(src), parts), re.IGNORECASE))
        # the same, uncased, for the lowercased text (the words are lowercase): several times faster
        self.day_patterns_low = [fastre.lazy(p.pattern) for p in self.day_patterns]
        # the literals each needs ("straight", "consecutive" ... and "day" or "night"): a pattern whose
        # literals the lowercased text lacks is not run over it
        self.day_needs = [fastre.needs(p) for p in self.day_patterns_low]
        self.day_gate = fastre.lazy(rf"\b{parts['UNIT']}\b")
        self.day_event_any = fastre.lazy(rf"\b(?:{_phrase(list(self.day_events))})\b", re.IGNORECASE)

    def _zeros(self, lex: Lexicon) -> None:
        """Explicit zeros ("no one was hurt"): per attribute one alternation, and the words that void one."""
        spec = lex.get("number_zeros") or {}
        self.zeros: list[tuple[str, re.Pattern[str]]] = []
        for attr, pats in (spec.get("attributes") or {}).items():
            if pats:
                self.zeros.append((str(attr), fastre.lazy("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)))
        self.zeros_low = [(a, fastre.lazy(p.pattern)) for a, p in self.zeros]
        self.zero_gate = fastre.lazy(r"\bno(?:body|ne|[\s-]+one)?\b")
        before = spec.get("blockers_before") or []
        after = spec.get("blockers_after") or []
        self.zero_before = fastre.lazy(rf"\b(?:{_phrase(before)})\b", re.IGNORECASE) if before else fastre.lazy(r"(?!)")
        self.zero_after = fastre.lazy(rf"\s+(?:{_phrase(after)})\b", re.IGNORECASE) if after else fastre.lazy(r"(?!)")


def _expand(src: str, macros: dict[str, str], keep_n: bool = False) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "N" and keep_n:
            return "{N}"
        return macros.get(name, m.group(0))

    return re.sub(r"\{([A-Z_]+)\}", sub, src)


_CACHE: "weakref.WeakKeyDictionary[Lexicon, _Grammar]" = weakref.WeakKeyDictionary()


def _grammar(lexicon: Lexicon) -> _Grammar:
    g = _CACHE.get(lexicon)
    if g is None:
        g = _CACHE[lexicon] = _Grammar(lexicon)
    return g


# --- parsing one number ---------------------------------------------------------------------------


class _Candidate:
    __slots__ = ("start", "end", "num_start", "value", "low", "high", "hedge", "currency", "length",
                 "percent", "scale", "number_text", "decimal", "precision", "vague", "fraction", "m_scale",
                 "time_unit", "time_end", "round", "measure", "range_low")


def _word_value(g: _Grammar, s: str) -> float | None:
    total, current = 0.0, 0.0
    for tok in _WORD_SPLIT.split(s.lower()):
        if tok == "and" or not tok:
            continue
        if tok in g.words:
            current += g.words[tok]
        elif tok in g.mults:
            m = g.mults[tok]
            if m >= 1000:
                total += (current or 1) * m
                current = 0
            else:
                current = (current or 1) * m
        else:
            return None
    return total + current


def _parse(g: _Grammar, m: re.Match[str], text: str) -> _Candidate | None:
    num = m.group("num")
    low_num = _norm(num.lower())
    c = _Candidate()
    c.start, c.end, c.num_start = m.start(), m.end(), m.start("num")
    c.vague = c.fraction = False
    c.range_low = None
    c.decimal = False
    c.precision = 1.0
    if num[0].isdigit():
        c.value = float(num.replace(",", ""))
        intpart, _, frac = num.replace(",", "").partition(".")
        c.decimal = bool(frac)
        if frac:
            c.precision = 10.0 ** -len(frac)
        else:
            zeros = len(intpart) - len(intpart.rstrip("0"))
            c.precision = 10.0 ** min(zeros, len(intpart) - 1) if intpart.strip("0") else 1.0
    elif low_num in g.vague:
        spec = g.vague[low_num]
        c.value = float(spec["value"])
        c.low = float(spec["low"])
        c.high = float(spec["high"]) if spec.get("high") is not None else None
        c.vague = True
    elif low_num in g.fractions:
        c.value = g.fractions[low_num]
        c.fraction = True
        c.precision = 0.0
    else:
        v = _word_value(g, num)
        if v is None:
            return None
        c.value = v
    # "two dozen": a round figure, about its value
    c.round = 0.0 if num[0].isdigit() or c.vague or c.fraction else g.round_mults.get(_WORD_SPLIT.split(low_num)[-1], 0.0)
    scale = m.group("scale")
    c.scale = 1.0
    c.m_scale = False
    if scale:
        c.scale = g.scales.get(scale.lower(), 1.0)
        c.m_scale = scale.lower() == "m"
        if len(scale) == 1 and scale.lower() in ("b", "k") and not (m.group("cur") or m.group("curw")):
            return None  # "5b", "5k" only as money
    cur = m.group("cur")
    curw = m.group("curw")
    c.currency = None
    if cur:
        if cur == "e" or cur == "E":
            if not scale or not g.cur_e:
                return None
            c.currency = str(g.cur_e)
        else:
            c.currency = g.cur_symbols_folded.get(cur.strip().lower())
    if curw and not c.currency:
        c.currency = g.cur_words.get(_norm(curw.lower()))
    measure = m.group("measure")
    c.measure = g.measures.get(_norm(measure.lower())) if measure else None
    if c.measure is None and curw and not cur:
        # "1,000 pounds of cannabis": a weight for a mass attribute, still money for a money one
        c.measure = g.measures.get(_norm(curw.lower()))
        if c.measure is not None and c.measure[0] == "mass":
            c.measure = ("pound-or-mass", *c.measure[1:])
        else:
            c.measure = None
    unit = m.group("unit")
    c.length = g.lengths.get(_norm(unit.lower().rstrip("."))) if unit else None
    c.percent = bool(m.group("pct"))
    c.time_unit = None
    c.time_end = c.end
    hedge_text = (m.group("hedge") or "").strip().lower()
    c.hedge = "exact"
    if hedge_text:
        # two stacked hedges ("over nearly"): the one next to the number counts
        parts = _norm(hedge_text)
        best = None
        for h, kind in g.hedges.items():
            if parts.endswith(h) and (best is None or len(h) > len(best)):
                best = h
        c.hedge = g.hedges[best] if best else "about"
    ph = g.post_hedge.match(text, m.end())
    if ph and c.hedge == "exact":
        c.hedge = g.post_hedges[_norm(ph.group("ph").lower())]
        c.end = ph.end()
    c.number_text = text[c.num_start : m.end("scale") if scale else m.end("num")]
    return c


_WORD_SPLIT = fastre.lazy(r"[\s-]+")


def _norm(s: str) -> str:
    """Whitespace runs as one space."""
    return " ".join(s.split())


_NAMED = fastre.lazy(r"\(\?P<\w+>")
_HYPHEN_WORD = fastre.lazy(r"-(\w+)")
_GLUED = fastre.lazy(r"[:/]\d|\.\d")
_NEXT_WORD = fastre.lazy(r"\s*([\w'’%]+(?:[.-][\w]+)*\.?)")
_CLOCK = fastre.lazy(r"\s*(?:a\.m\.?|p\.m\.?)", re.IGNORECASE)
_YEAR = fastre.lazy(r"1[89]\d\d|20\d\d")
_APPOS_BEFORE = fastre.lazy(r"\w,\s*\Z")
_APPOS_AFTER = fastre.lazy(r"\s*[,)]")
_PAREN_BEFORE = fastre.lazy(r"\(\s*\Z")
_PAREN_AFTER = fastre.lazy(r"\s*\)")
_DESIGNATION = fastre.lazy(r"[A-Z]{2,3}")
# a participle right after a noun of up to three words, then its agent or circumstance: a reduced relative clause
_REDUCED_RELATIVE = fastre.lazy(
    r"\s+(?:(?!(?:were|was|are|is|had|have|has|been|be|and|or)\b)[\w'’-]+\s+){1,3}?"
    r"(?-i:[a-z]+ed|shot|hit|stolen|taken|seen|held|thrown|found|caught|made|brought|sold|given|driven)\s+"
    r"(?:by|in|at|during|on|from|with|since|over|into|near)\b",
    re.IGNORECASE,
)
_TIME_AGE = fastre.lazy(r"[\s-]+(?:old|ago|earlier|later|before|after|since|from\s+now)\b", re.IGNORECASE)


_RANGE_JOIN = fastre.lazy(r"\s+(?:to|or)\s+\Z", re.IGNORECASE)
_RANGE_BETWEEN = fastre.lazy(r"\bbetween\s+\Z", re.IGNORECASE)
_RANGE_AND = fastre.lazy(r"\s+and\s+\Z", re.IGNORECASE)
_RANGE_FROM = fastre.lazy(r"\b(?:from|by|of)\s+\Z", re.IGNORECASE)
_RANGE_SPAN = 10.0  # the high end of a range is at most this many times its low end ("one or two", "40 to 50")


def _ranges(cands: list[_Candidate], text: str, s_start: int) -> list[_Candidate]:
    """Two numbers that make one range ("40 to 50", "three or four", "between 60 and 100", "2 to 3 million") as one
    candidate: the second number's, with the first as its low end (range_low) and the hedge "range". Never a change
    ("rose from 10 to 20"), a score or a vote ("by 5 to 4": the second is not larger), years ("between 1990 and
    2000"), nor figures far apart ("1 to 100"); the first number may be bare and take the second's unit or scale
    ("2 to 3 million"), never a unit or scale of its own that the second lacks."""
    out: list[_Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        r = _range(a, b, text, s_start) if b is not None else None
        if r is None:
            out.append(a)
            i += 1
        else:
            out.append(r)
            i += 2
    return out


def _range(a: _Candidate, b: _Candidate, text: str, s_start: int) -> _Candidate | None:
    gap = text[a.end:b.start]
    if len(gap) > 8 or a.hedge not in ("exact", "about") or b.hedge != "exact":
        return None
    before = text[max(s_start, a.start - 12):a.start]
    between = a.start == a.num_start and _RANGE_BETWEEN.search(before)
    if not (_RANGE_AND if between else _RANGE_JOIN).search(gap) or _RANGE_FROM.search(before):
        return None
    if a.vague or b.vague or a.fraction or b.fraction or a.time_unit or a.round or b.round:
        return None
    if any(not x.decimal and _YEAR.fullmatch(text[x.num_start:x.end].strip()) for x in (a, b)):
        return None
    bare = _plain(a)
    same = (a.currency, a.length, a.percent, a.scale, a.measure) == (b.currency, b.length, b.percent, b.scale, b.measure)
    if not (bare or same):
        return None
    if not (0 < a.value < b.value <= _RANGE_SPAN * a.value):
        return None
    c = _Candidate()
    for slot in _Candidate.__slots__:
        if hasattr(b, slot):
            setattr(c, slot, getattr(b, slot))
    c.start = a.start - len(between.group()) if between else a.start
    c.num_start = a.num_start
    c.range_low = a.value
    c.hedge = "range"
    c.number_text = text[a.num_start:b.start] + b.number_text
    return c


def _rejected(g: _Grammar, c: _Candidate, text: str, s_start: int, s_end: int) -> bool:
    """Years, dates, times, labels, compounds: numbers that are not quantities (what follows, the word before)."""
    after = text[c.end : min(s_end, c.end + 24)]
    # compounds: "6-year-old", "12-gauge", "9-3", "555-1234", "four-by-four"
    hm = _HYPHEN_WORD.match(after)
    if hm and hm.group(1).lower() not in g.hyphen_ok:
        unit = g.time_units.get(hm.group(1).lower())
        if unit is None or not _plain(c) or after[hm.end() : hm.end() + 1] == "-":
            return True  # "6-year-old", "12-gauge"
        c.time_unit, c.time_end = unit, c.end + hm.end()  # "a five-year sentence": a duration
        return False
    if _GLUED.match(after):
        return True
    if g.rate_after.match(text, c.end, s_end):
        return True  # a rate or a unit price: "$27 a share", "120 miles per hour"
    if g.pair_next.match(after):
        return True  # two figures side by side: "magnitude 2.9 and 2.2", "three or four robbers"
    if not _plain(c):
        return False
    nxt = _NEXT_WORD.match(after)
    if nxt:
        full = nxt.group(1).lower()
        word = full.rstrip(".")
        if word in g.time_units and not _TIME_AGE.match(after, nxt.end()):
            c.time_unit, c.time_end = g.time_units[word], c.end + nxt.start(1) + len(word)  # "40 hours": a duration
        elif word in g.nonq_after or full in g.nonq_after or word in g.months:
            return True
    if _CLOCK.match(after):
        return True
    before = text[max(s_start, c.start - 16) : c.start].split()
    if before:
        pw = before[-1].lower().strip("\"“(").rstrip(".")
        if pw in g.labels or pw + "." in g.labels or pw in g.months:
            return True
        if _DESIGNATION.fullmatch(before[-1]) and c.start == c.num_start:
            return True  # a model designation: "AK 47", "F 16"
    if not c.decimal and _YEAR.fullmatch(text[c.num_start : c.end].strip()):
        return True  # a bare four-digit year
    if _SUBCOUNT_NEXT.match(after):
        return True
    return False


def _rejected_in_context(g: _Grammar, c: _Candidate, text: str, s_start: int, s_end: int) -> bool:
    """Ranges, alternatives, parts of a whole, ages in apposition: checked only for a number that found an attribute."""
    hedged_before = text[max(s_start, c.start - 30) : c.start]
    if _BETWEEN.search(hedged_before) or g.alt_prev.search(hedged_before):
        return True  # a range: "between 1.0 and 1.9"; an alternative: "three or four"
    if not _plain(c):
        return False
    after = text[c.end : min(s_end, c.end + 4)]
    if c.start == c.num_start and g.nonq_before_re.search(hedged_before):
        return True  # "aged 77"
    if _QUALIFIED.search(hedged_before):
        return True  # "the remaining three boats", "the other two": a part, not the whole
    # part of a list of sub-counts: "12 Chilean and 11 Peruvian fishermen"; a part of a whole: "two of the three"
    if _SUBCOUNT_PREV.search(hedged_before):
        return True
    if g.partitive.search(hedged_before) and not _REDUCED_RELATIVE.match(text, c.end, s_end):
        return True  # "two of the three boats were seized": the verb is the part's; but in "three of the seven
        # bullets fired by police" the participle right after the noun is the whole's own (seven were fired)
    # ages in apposition: "Renner, 49," / "Haile, 16, killed"; "(49)"
    if c.start == c.num_start and _APPOS_BEFORE.search(hedged_before) and _APPOS_AFTER.match(after):
        return True
    if _PAREN_BEFORE.search(hedged_before) and _PAREN_AFTER.match(after):
        return True
    if c.start == c.num_start and _after_part_opener(g, text, s_start, c.start):
        return True  # "Of the eight victims, two were strangled": a part of the group the opener names
    if _and_others(g, text, s_start, c, s_end):
        return True  # "his mother and 10 others died": 10 is the rest of the group, not all of it
    return False


_AND_BEFORE = re.compile(r"\s+and\s+\Z", re.IGNORECASE)
_OTHERS_AFTER = re.compile(r"\s+(?:[\w'’-]+\s+){0,2}?others?\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
_OTHERS_SUBJECT_WORDS = 5  # at most this many words of a named first member ("two exile leaders") before "and"


def _after_part_opener(g: _Grammar, text: str, s_start: int, pos: int) -> bool:
    """The sentence opens with a group up to a comma ("Of those killed,") and the number stands after that comma."""
    m = g.part_opener.match(text, s_start, pos)
    return bool(m) and m.end() <= pos


def _and_others(g: _Grammar, text: str, s_start: int, c: _Candidate, s_end: int) -> bool:
    """"<someone> and N other(s) <verb>": the count is of the others only. The words before "and", back to the
    clause start, name the first member(s): a few words, none a verb of a clause of its own ("killed", "were")."""
    if not _OTHERS_AFTER.match(text, c.end, s_end):
        return False
    left = text[max(s_start, c.start - 120):c.start]
    am = _AND_BEFORE.search(left)
    if not am:
        return False
    head = left[:am.start()]
    cut = [m.end() for m in g.others_start.finditer(head)]
    clause = head[cut[-1]:] if cut else (head if c.start - 120 <= s_start else "")
    words = _WORD.findall(clause)
    if not words or len(words) > _OTHERS_SUBJECT_WORDS:
        return False
    return not any(w.lower() in g.others_clause or w.lower().endswith("ed") or w[0].isdigit() and len(words) == 1
                   for w in words)


def _part_of_group(g: _Grammar, c: _Candidate, text: str, s_end: int, end: int) -> bool:
    """A count of people that is a part of its group, not the group: a bare number whose sentence goes on to
    name the rest ("One was charged with murder and the other as an accomplice"). Neither a bare number after
    a larger count ("five were killed and three injured") nor "N of them" ("took 14 of them into custody": the
    whole of those arrested) is enough."""
    if c.vague or not _plain(c):
        return False
    if end > c.end:
        return False  # a noun of its own ("one officer"): a count in its own right
    return bool(g.partition.search(text, end, s_end))


def _demonym_part(g: _Grammar, text: str, c: _Candidate, end: int) -> bool:
    """A people count whose noun is a nationality ("Twelve Americans were killed"): one group among the dead."""
    words = _WORD.findall(text[c.end:end])
    return bool(words) and bool(g.demonym.search(words[-1]))


_QUALIFIER_REACH = 80  # characters after the number in which the attribute's qualifier may stand


def _qualified(attr: _Attribute, name: str, text: str, pos: int, s_end: int) -> str:
    """The attribute narrowed by its qualifier when the sentence gives one: people "charged with murder" are
    counted apart from people charged at all ("charged:murder"); the qualifier's last word, singular, is the key."""
    if attr.qualifier is None:
        return name
    m = attr.qualifier.search(text, pos, min(s_end, pos + _QUALIFIER_REACH))
    if not m or not m.group("q"):
        return name
    return f"{name}:{_singular(m.group('q').lower())}"


def _offence(g: _Grammar, text: str, start: int, end: int, s_start: int, s_end: int,
             prev: tuple[int, int] | None) -> str | None:
    """The class of the offence nearest to the figure in its sentence, else the last one of the sentence before
    ("He was convicted of heroin trafficking. He was sentenced to seven years." -> drugs)."""
    best, dist = None, None
    for m in g.offences.finditer(text, s_start, s_end):
        d = start - m.end() if m.end() <= start else max(0, m.start() - end)
        if dist is None or d < dist:
            best, dist = m, d
    if best is None and prev is not None:
        for m in g.offences.finditer(text, prev[0], prev[1]):
            best = m
    if best is None:
        return None
    return g.offence_class.get(_norm(best.group().lower()))


def _plain(c: _Candidate) -> bool:
    """A bare number: no currency, unit, percent, scale word, vague word or fraction."""
    return not (c.currency or c.length or c.percent or c.scale != 1.0 or c.vague or c.fraction or c.measure)


_RANGE_KINDS = ("count", "money")  # kinds whose range is one figure not known exactly ("40 to 50 people")
_KINDS = ("count", "magnitude", "length", "money", "duration", "percent", "area", "speed", "mass")
_LEFT_WINDOW = 100  # how far before a number a pattern may start


def _fits_kind(kind: str, c: _Candidate) -> bool:
    """Whether a number of this shape can be a value of this kind of attribute."""
    if c.range_low is not None and kind not in _RANGE_KINDS:
        return False  # "quakes measuring between 1.0 and 1.9", "terms of 5 to 10 years": a spread over several things
    if c.time_unit:
        return kind == "duration"
    if kind == "duration":
        return False
    if kind in ("area", "speed", "mass"):
        # a measure in a unit of its kind ("5,000 acres", "120 mph", "2 tons"; "1,000 pounds" of a mass)
        return (c.measure is not None and (c.measure[0] == kind or (kind == "mass" and c.measure[0] == "pound-or-mass"))
                and not c.percent and not c.vague and not c.fraction)
    if c.measure is not None and c.measure[0] != "pound-or-mass":
        return False
    if kind == "percent":
        return c.percent and not c.currency and not c.length and not c.vague and not c.fraction and c.value <= 100
    if kind == "count":
        if c.currency or c.length or c.percent or c.fraction:
            return False
        return c.vague or not c.decimal or c.scale != 1.0
    if kind == "magnitude":
        if c.currency or c.length or c.percent or c.scale != 1.0 or c.vague or c.fraction:
            return False
        return 0 < c.value <= 10
    if kind == "length":
        if c.currency or c.percent or c.vague or c.fraction:
            return False
        return bool(c.length) or c.m_scale
    if kind == "money":
        return bool(c.currency) and not c.percent and not c.length
    return False


_ROUND_UNIT = 100.0  # a figure written in whole hundreds or coarser ("about 800", "about 1,000")
_ABOUT_SHARE = 0.1  # ... hedged with "about" asserts at most a tenth either way
_EXACT_SHARE = 0.05  # ... written as exact, of an attribute outlets round, at most a twentieth either way


def _interval(c: _Candidate, h: str, value: float, factor: float, scale: float,
              rounded: bool = False) -> tuple[float | None, float | None]:
    """The interval the hedge asserts, raw (the rule applies its own tolerance)."""
    if c.vague and h == "about":
        return c.low * scale, (c.high * scale if c.high is not None else None)
    if c.vague and c.high is None and h in ("at_least", "more_than"):
        return c.low * scale, None  # "at least several thousand": at least the low end ("more than a dozen": 12)
    if c.round and h == "about":
        return value * (1 - c.round), value * (1 + c.round)
    half = c.precision * scale * factor / 2
    if h == "about" and c.precision >= _ROUND_UNIT:
        # "about 1,000" is not 500..1,500: a round figure of hundreds or more, hedged, reads as within a tenth
        half = min(half, _ABOUT_SHARE * abs(value))
    if h == "exact":
        # a converted unit keeps the rounding of what was written, and so does a figure outlets round ("89 percent"
        # of the vote for 89.2, a "$5.4 billion" deal for 5.36): the attribute's `rounded`
        if (factor != 1.0 or rounded) and c.precision:
            if rounded and c.precision >= _ROUND_UNIT:
                half = min(half, _EXACT_SHARE * abs(value))  # "10,000 acres" is 9,500..10,500, not 5,000..15,000
            return value - half, value + half
        return value, value
    if h == "about":
        return value - half, value + half
    if h in ("at_least", "more_than"):
        return value, None
    if h in ("up_to", "at_most", "fewer_than"):
        return None, value
    if h == "nearly":
        return 0.9 * value, value
    return value, value


def _mention(g, attr, c, text, end, revised) -> NumberMention:
    factor = 1.0
    unit = attr.unit
    if attr.kind == "length":
        factor = c.length if c.length else 0.001  # "10m" with a length attribute is metres
        scale = 1.0
        unit = "km"
    elif attr.kind == "money":
        scale = c.scale
        unit = c.currency
    elif attr.kind == "duration":
        scale = 1.0
        unit = c.time_unit
        end = max(end, c.time_end)
    elif attr.kind in ("area", "speed", "mass"):
        scale = c.scale
        factor = c.measure[1]
        unit = g.measure_units.get(attr.kind, attr.unit)
    elif attr.kind == "percent":
        scale = 1.0
        unit = "percent"
    else:
        scale = c.scale
    hedge = c.hedge
    if c.round and hedge == "exact":
        hedge = "about"  # "two dozen"
    if c.vague:
        # "dozens" reads as "about 24..144"; "more than a dozen" as more than the low end
        if hedge == "exact":
            hedge = "about"
        value = c.value * scale
    else:
        value = c.value * scale * factor
    if c.range_low is not None:
        low, high = c.range_low * scale * factor, value  # "40 to 50": both ends as written
        value = (low + high) / 2
    else:
        low, high = _interval(c, hedge, value, factor, scale, attr.rounded)
    if attr.kind in ("area", "speed", "mass") and c.measure[2] != 1.0 and low is not None:
        low = min(low, value * c.measure[2])  # "tons": short or metric, 907..1000 kg each
    return NumberMention(
        start=c.start,
        end=end,
        text=text[c.start : end],
        attribute=attr.name,
        value=_clean(value),
        low=_clean(low),
        high=_clean(high),
        unit=unit,
        hedge=hedge,
        revised=revised,
        number_text=c.number_text,
        figure=text[c.start : c.time_end if attr.kind == "duration" else c.end],
        holder=attr.holder,
    )


def _clean(x: float | None) -> float | None:
    if x is None:
        return None
    r = round(x, 6)
    return float(r)


# --- finding ------------------------------------------------------------------------------------


_OF = fastre.lazy(r"\s+of(?=\s)", re.IGNORECASE)


def _match_attribute(g: _Grammar, c: _Candidate, text: str, s_start: int, s_end: int, cued: frozenset[int]):
    """The first attribute whose pattern holds around the candidate, and the end of the expression."""
    left_start = max(s_start, c.start - _LEFT_WINDOW)
    left = text[left_start : c.start]
    pm = g.paren.match(text, c.end, s_end)
    after_pos = pm.end() if pm else c.end
    if c.vague:  # "dozens of people", "hundreds of homes"
        om = _OF.match(text, after_pos, s_end)
        if om:
            after_pos = om.end()
    for attr in g.attributes:
        if attr.index not in cued or not _fits_kind(attr.kind, c):
            continue
        if attr.not_before is not None and attr.not_before.search(left):
            continue  # "could be sentenced to", "faces a maximum": not the figure itself
        if attr.not_near is not None and attr.not_near.search(text, s_start, s_end):
            continue  # "an offer of", "a poll gives": the sentence tells of no settled figure
        if attr.not_after is not None and attr.not_after.match(text, c.end, s_end):
            continue  # "$4.2 billion in cash and 57 million shares": a part of the figure
        for p in attr.patterns:
            if p.decimal and not c.decimal:
                continue
            bm = None
            if p.before is not None:
                bm = p.before.search(left)
                if not bm:
                    continue
            party = None
            if bm is not None and "party" in bm.re.groupindex and bm.group("party"):
                party = (left_start + bm.start("party"), left_start + bm.end("party"))
            if p.after is not None:
                am = p.after.match(text, after_pos, s_end)
                if not am:
                    continue
                if "party" in am.re.groupindex and am.group("party"):
                    party = am.span("party")
                if attr.holder == "party" and party is None:
                    continue  # a figure keyed by its party, whose pattern names none
                end = c.end
                if "key" in am.re.groupindex and am.group("key"):
                    key = attr.keys.get(_norm(am.group("key").lower()))
                    if key is None:
                        continue
                    return attr, max(end, am.end("key")), f"{attr.name}:{key}", party
                if "{thing}" in attr.name:
                    key = _thing_key(g, am.group("thing") or "")
                    if key is None:
                        continue
                    return attr, am.end("thing"), attr.name.replace("{thing}", key), party
                if attr.thing and "thing" in am.re.groupindex and am.group("thing"):
                    end = am.end("thing")
                elif "place" in am.re.groupindex and am.group("place"):
                    place = _norm(am.group("place")).strip(" .")
                    return attr, _end_with_np(g, attr, c, text, s_end), f"{attr.name}:{place}", party
                return attr, max(end, _end_with_np(g, attr, c, text, s_end)), attr.name, party
            if attr.tail is not None and not attr.tail.match(text, after_pos, s_end):
                continue
            if attr.keys and bm is not None and "key" in bm.re.groupindex and bm.group("key"):
                key = attr.keys.get(_norm(bm.group("key").lower()))
                if key is None:
                    continue
                return attr, _end_with_np(g, attr, c, text, s_end), f"{attr.name}:{key}", party
            if attr.holder == "party" and party is None:
                continue  # a figure keyed by its party, whose pattern names none
            return attr, _end_with_np(g, attr, c, text, s_end), attr.name, party
    return None


def _thing_key(g: _Grammar, thing: str) -> str | None:
    """The counted thing as a key: a model designation if there is one ("AK-47s", "AK 47 guns" -> "ak47"), else the
    head noun in the singular and through the synonym list ("speedboats" -> "boat"); a qualifier such as "other"
    stays in the key ("three other rifles" -> "other-rifle"). None for people (they have their own attributes)."""
    words = thing.split()
    if not words:
        return None
    qual = ""
    if words[0].lower() in g.thing_qualifiers:
        qual, words = words[0].lower() + "-", words[1:]
        if not words:
            return None
    head = words[-1]
    if g.people.fullmatch(head):
        return None
    if head[:1].isupper() and not any(ch.isdigit() for ch in " ".join(words)):
        return None  # a nationality or a name ("12 Chilean and 11 Peruvian ..."), not a counted thing
    model = next((w for w in words if any(ch.isdigit() for ch in w)), None)
    if model and len(words) > 1 and model == words[1] and _DESIGNATION.fullmatch(words[0]):
        model = words[0] + model  # "AK 47"
    if model:
        key = re.sub(r"(?<=\d)s\Z", "", re.sub(r"[^a-z0-9]", "", model.lower()))
    else:
        key = _singular(head.lower().strip("'’"))
        key = g.thing_synonyms.get(key, key)
    return qual + key


def _singular(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ves") and len(w) > 4:
        return w[:-3] + "fe" if w.endswith("ives") else w[:-3] + "f"
    if re.search(r"(?:s|x|ch|sh)es\Z", w):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _scoped(g: _Grammar, attr: _Attribute, name: str, text: str, s_start: int, s_end: int) -> str:
    """The attribute with the scope its sentence gives ("so far": a running total; "on Saturday": one day's figure)."""
    for scope, attrs, cue in g.scopes:
        if attr.kind != "count" or (attrs and attr.name not in attrs and name.split(":")[0] not in attrs):
            continue
        m = cue.search(text, s_start, s_end)
        if m:
            label = scope.replace("{cue}", _norm(m.group().lower()).replace(" ", "-"))
            return f"{name}@{label}"
    return name


def _other_after_model(g: _Grammar, name: str, model_scopes: set[str]) -> str:
    """In one sentence's list, things of a class that models belong to, named after a model ("seven AK-47s, three
    rifles"), are the other ones."""
    parts = name.split(":")
    if len(parts) != 3 or parts[0] != "count":
        return name
    key, scope = parts[1], parts[2]
    if any(ch.isdigit() for ch in key):
        model_scopes.add(scope)
    elif scope in model_scopes and key in g.model_classes:
        return f"count:other-{key}:{scope}"
    return name


def _end_with_np(g: _Grammar, attr: _Attribute, c: _Candidate, text: str, s_end: int) -> int:
    if attr.kind == "count" and attr.unit == "people":
        pos = c.end
        if c.vague:
            om = _OF.match(text, pos, s_end)
            pos = om.end() if om else pos
        m = g.np.match(text, pos, s_end)
        if m:
            return m.end()
    return c.end


def _cued(g: _Grammar, text: str, s_start: int, s_end: int, low: str | None = None) -> frozenset[int]:
    """The attributes whose cue words occur in the sentence. With `low` (text lowercased, same length,
    holding neither the dotless i nor the long s, the only characters that match an ASCII letter under
    case folding without lowercasing to it) the ASCII pattern runs uncased on it: the same matches,
    faster (lowercasing keeps every character's \\w, \\s, \\d class)."""
    if g.cues is None:
        return frozenset(range(len(g.attributes)))
    found = set(g.always)
    matches = g.cues_low.finditer(low, s_start, s_end) if low is not None and g.cues_low else g.cues.finditer(text, s_start, s_end)
    for m in matches:
        found |= g.cue_attrs.get(_norm(m.group().lower()), frozenset())
    return frozenset(found)


def _scan(g: _Grammar, text: str, s_start: int, s_end: int, low: str | None = None):
    """Full number matches in text[s_start:s_end], found from the fast first pass (on `low`, text lowercased)."""
    done = s_start
    cores = g.core_low.finditer(low, s_start, s_end) if low is not None else g.core.finditer(text, s_start, s_end)
    for core in cores:
        p = core.start()
        if p < done:
            continue
        m = pre = None
        if p > s_start:
            left = text[max(s_start, p - 48) : p]
            last = left.rstrip().rsplit(None, 1)[-1].lower().lstrip("(\"“'[") if left.strip() else ""
            if left[-1] in g.cur_last or last in g.hedge_last or last[-1:] in g.cur_last:
                pre = g.prefix_back.search(left)
        if pre and pre.group():
            m = g.number.match(text, p - len(pre.group()), s_end)
            if m and m.start("num") != p:
                m = None
        if m is None:
            m = g.number.match(text, p, s_end)
        if m is None or not m.group("num"):
            continue
        done = m.end()
        yield m


def find_numbers(text: str, sentences: list[tuple[int, int]], lexicon: Lexicon) -> list[NumberMention]:
    """Quantities tied to an event attribute, sentence by sentence (sentences are (start, end) offsets into text), in text order."""
    g = _grammar(lexicon)
    out: list[NumberMention] = []
    low = text.lower()
    if len(low) != len(text):  # a few characters lowercase to two; keep offsets exact
        low = None
    uncased = low if low is not None and "\u0131" not in text and "\u017f" not in text else None
    for si, (s_start, s_end) in enumerate(sentences):
        parsed = [c for c in (_parse(g, m, text) for m in _scan(g, text, s_start, s_end, low)) if c is not None]
        cands = [c for c in _ranges(parsed, text, s_start) if not _rejected(g, c, text, s_start, s_end)]
        if not cands:
            continue
        revised = bool(g.revision.search(text, s_start, s_end)) if g.revision else False
        cued = _cued(g, text, s_start, s_end, uncased)
        consumed_until = -1
        model_scopes: set[str] = set()
        for c in cands:
            if c.start < consumed_until:
                continue
            hit = _match_attribute(g, c, text, s_start, s_end, cued)
            if hit is None or _rejected_in_context(g, c, text, s_start, s_end):
                continue
            attr, end, name, party = hit
            if attr.kind == "count" and attr.unit == "people" and _part_of_group(g, c, text, s_end, end):
                continue
            if attr.kind == "count" and attr.unit == "people" and _demonym_part(g, text, c, end):
                continue
            name = _qualified(attr, name, text, c.end, s_end)
            if attr.offence:
                offence = _offence(g, text, c.start, end, s_start, s_end, sentences[si - 1] if si else None)
                if offence is None:
                    continue  # a prison term whose offence is not said: not told apart from his other terms
                name = f"{name}:{offence}"
            name = _other_after_model(g, name, model_scopes)
            name = _scoped(g, attr, name, text, s_start, s_end)
            mention = _mention(g, attr, c, text, end, revised)
            if party is not None:
                mention = NumberMention(**{**mention.__dict__, "party_span": party})
            out.append(_with_name(mention, name))
            # a conversion in parentheses right after ("two million euros ($2.6 million)") is the same claim
            pm = g.paren.match(text, c.end, s_end)
            consumed_until = max(end, pm.end() if pm else c.end)
            if pm:
                for inner in cands:
                    inside = pm.start("inner") <= inner.start and inner.end <= pm.end("inner")
                    if inside and _fits_kind(attr.kind, inner) and not _rejected_in_context(g, inner, text, s_start, s_end):
                        if attr.kind in ("money", "length"):
                            out.append(_with_name(_mention(g, attr, inner, text, inner.end, revised), name))
    out.extend(_special(g, text, sentences, uncased))
    out.sort(key=lambda n: (n.start, n.end))
    return out


def _special(g: _Grammar, text: str, sentences: list[tuple[int, int]], low: str | None = None) -> list[NumberMention]:
    """Day counts ("the seventh straight day of protests") and explicit zeros ("no one was hurt"): phrases
    outside the cardinal grammar, found over the whole text and kept when they lie inside one sentence. With
    `low` (the text lowercased, as for _cued) the uncased patterns run on it: the same matches, faster."""
    found: list[tuple[int, int, str, float, str, str, str]] = []  # start, end, attribute, value, unit, figure, number
    hay = low if low is not None else text
    if low is not None:
        if g.day_gate.search(hay):
            for pat, need in zip(g.day_patterns_low, g.day_needs):
                if fastre.holds(need, low):
                    for m in pat.finditer(hay):
                        found.append(_day_count(g, m, text, sentences))
    else:
        for pat in g.day_patterns:
            for m in pat.finditer(hay):
                found.append(_day_count(g, m, text, sentences))
    if g.zero_gate.search(hay) if low is not None else g.zeros:
        for attr, pat in g.zeros_low if low is not None else g.zeros:
            for m in pat.finditer(hay):
                found.append((m.start(), m.end(), attr, 0.0, "people", text[m.start():m.end()], "zero"))
    if not found:
        return []
    starts = [a for a, _ in sentences]
    out = []
    for hit in found:
        if hit[2] == "":
            continue
        start, end, attr, value, unit, figure, number = hit
        si = bisect.bisect_right(starts, start) - 1
        if si < 0 or end > sentences[si][1]:
            continue
        s_start, s_end = sentences[si]
        if number == "zero" and not _zero_stands(g, text, start, end, s_start, s_end):
            continue
        revised = bool(g.revision.search(text, s_start, s_end)) if g.revision else False
        out.append(NumberMention(start=start, end=end, text=text[start:end], attribute=attr, value=value, low=value,
                                 high=value, unit=unit, hedge="exact", revised=revised,
                                 number_text=figure if number == "zero" else number, figure=figure))
    # one phrase matched by two patterns counts once
    seen: set[tuple[int, str]] = set()
    uniq = []
    for n in sorted(out, key=lambda n: (n.start, -n.end)):
        if (n.start, n.attribute) not in seen:
            seen.add((n.start, n.attribute))
            uniq.append(n)
    return uniq


_NO_HIT = (0, 0, "", 0.0, "", "", "")


def _day_count(g: _Grammar, m: re.Match[str], text: str, sentences: list[tuple[int, int]]):
    """One day count: "<unit>-count:<event class>", the ordinal (or "day six"'s cardinal) as its value."""
    if "ord" in m.re.groupindex and m.group("ord"):
        word = m.group("ord").lower()
        value = g.ordinals.get(word)
        if value is None:
            value = float(re.sub(r"\D", "", word))
        number = text[m.start("ord"):m.end("ord")]
    else:
        number = text[m.start("card"):m.end("card")]
        value = float(number) if number.isdigit() else _word_value(g, number)
    if not value or value > 366:
        return _NO_HIT
    unit = g.day_units[m.group("unit").lower()]
    ev = m.group("event") if "event" in m.re.groupindex else None
    if ev is None:
        # the event word nearest to the phrase in its sentence
        s = next(((a, b) for a, b in sentences if a <= m.start() < b), None)
        if s is None:
            return _NO_HIT
        best = None
        for e in g.day_event_any.finditer(text, s[0], s[1]):
            d = abs(e.start() - m.start())
            if best is None or d < best[0]:
                best = (d, e.group())
        if best is None:
            return _NO_HIT
        ev = best[1]
    cls = g.day_events.get(_norm(ev.lower()))
    if cls is None:
        return _NO_HIT
    keys = [k for k in ("ord", "card", "unit") if k in m.re.groupindex and m.start(k) >= 0]
    first, last = min(m.start(k) for k in keys), max(m.end(k) for k in keys)
    return (m.start(), m.end(), f"{unit}-count:{cls}", float(value), f"{unit}s", text[first:last], number)


_CLAUSE_START = fastre.lazy(r"[,;:(\u2014\u2013]|\s-\s")


def _zero_stands(g: _Grammar, text: str, start: int, end: int, s_start: int, s_end: int) -> bool:
    """An explicit zero is a statement of fact of the whole: not in a question, not after "whether" or "no one
    knows" in its clause, not followed by what sets a part apart ("other than the driver", "to police")."""
    if text[s_start:s_end].rstrip().rstrip("\"”’'").endswith("?"):
        return False
    clause = text[s_start:start]
    cut = [m.end() for m in _CLAUSE_START.finditer(clause)]
    clause = clause[cut[-1]:] if cut else clause
    if g.zero_before.search(clause):
        return False
    return not g.zero_after.match(text, end, s_end)


def _with_name(n: NumberMention, name: str) -> NumberMention:
    if n.attribute == name:
        return n
    return NumberMention(**{**n.__dict__, "attribute": name})


# --- comparing ----------------------------------------------------------------------------------

_STRICT_LOW = {"more_than"}
_STRICT_HIGH = {"fewer_than"}


def numbers_agree(a: NumberMention, b: NumberMention, tolerance: float = 0.0) -> bool:
    """True when the two claims can both be true: hedges as intervals ("at least 10" and 24 agree), magnitudes within an absolute tolerance (about 6.0 and 6.1 agree with tolerance 0.1), units converted (miles to km), currencies never mixed."""
    if a.attribute != b.attribute:
        return True  # claims about different things never contradict each other
    if (a.unit or None) != (b.unit or None):
        return True  # different currencies (or things) are never compared
    a_lo, a_hi = _bounds(a)
    b_lo, b_hi = _bounds(b)
    tol = abs(tolerance)
    # widen by the tolerance, then the intervals must overlap (strict ends stay strict without tolerance)
    lo1, hi1 = a_lo - tol, a_hi + tol
    lo2, hi2 = b_lo - tol, b_hi + tol
    strict = tol == 0
    if _less(hi1, lo2, strict and (a.hedge in _STRICT_HIGH or b.hedge in _STRICT_LOW)):
        return False
    if _less(hi2, lo1, strict and (b.hedge in _STRICT_HIGH or a.hedge in _STRICT_LOW)):
        return False
    if strict and _rounded(a) and _rounded(b):
        # two rounding intervals are half-open: meeting at a boundary ("about 3 miles", "four miles") is no overlap
        eps = 1e-9 * max(1.0, abs(hi1), abs(hi2))
        return min(hi1, hi2) - max(lo1, lo2) > eps
    return True


def _rounded(n: NumberMention) -> bool:
    return n.hedge in ("exact", "about") and n.low is not None and n.high is not None and n.high > n.low


def _bounds(n: NumberMention) -> tuple[float, float]:
    lo = n.low if n.low is not None else (0.0 if n.unit != "magnitude" else -math.inf)
    hi = n.high if n.high is not None else math.inf
    return lo, hi


def _less(hi: float, lo: float, strict: bool) -> bool:
    """True when an interval ending at hi lies wholly below one starting at lo."""
    eps = 1e-9 * max(1.0, abs(hi), abs(lo)) if math.isfinite(hi) and math.isfinite(lo) else 0.0
    return hi < lo - eps or (strict and hi <= lo + eps)


__all__ = ["NumberMention", "find_numbers", "numbers_agree"]
