"""Attendance: claims that a person was at the article's event, or was kept away from it."""

from __future__ import annotations

import re
from functools import lru_cache

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import AttendanceFact, NameFact, Sentence

_PH = "\u27e8P{}\u27e9"  # ⟨P3⟩: a person placeholder in a masked sentence


def _required_literals(rx: str) -> tuple[str, ...] | None:
    """Lowercase ASCII strings one of which every match of the pattern contains, read from the parsed
    pattern: a literal run of three or more characters that the pattern cannot skip, or one such run
    per alternative of a group it cannot skip. None when there is none or the pattern cannot be read
    (then the pattern is always run: a prefilter may only ever skip what cannot match)."""
    try:
        from re import _constants as sre, _parser  # private, but part of CPython since 3.11

        items = list(_parser.parse(rx))
    except Exception:  # noqa: BLE001 - no prefilter, never a wrong one
        return None

    def seq(items: list) -> tuple[str, ...] | None:
        best: tuple[str, ...] | None = None
        run: list[str] = []

        def take(cand: tuple[str, ...] | None) -> None:
            nonlocal best
            # fewer alternatives, then longer strings: the strongest filter
            if cand and (best is None or (len(cand), -min(map(len, cand))) < (len(best), -min(map(len, best)))):
                best = cand

        def flush() -> None:
            lit = "".join(run)
            if len(lit) >= 3 and lit.isascii():
                take((lit.lower(),))
            run.clear()

        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av))
                continue
            flush()
            if op is sre.SUBPATTERN:
                _group, add_flags, del_flags, sub = av
                if not add_flags and not del_flags:
                    take(seq(list(sub)))
            elif op is sre.BRANCH:
                alts = [seq(list(alt)) for alt in av[1]]
                if all(a is not None for a in alts):
                    take(tuple(w for a in alts for w in a))  # type: ignore[union-attr]
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                lo, _hi, sub = av
                if lo >= 1:
                    take(seq(list(sub)))
        flush()
        return best

    return seq(items)


@lru_cache(maxsize=4)
def _cue_words(lexicon: Lexicon) -> list[tuple[str, ...] | None]:
    return [_required_literals(pat.pattern) for _, _, pat in _cues(lexicon)]


@lru_cache(maxsize=4)
def _cue_index(lexicon: Lexicon) -> tuple[re.Pattern[str] | None, dict[str, frozenset[str]], dict[str, frozenset[int]], frozenset[int]]:
    """The cues' required literals found all at once: a pattern that matches (empty) at each place
    where one of them starts, the longest of those as group 1 (a trie, each character as written);
    per literal, the literals it starts with (those start at the same place); per literal, the cues
    that need it; and the cues that need none."""
    words = _cue_words(lexicon)
    lits = sorted({w for ws in words if ws is not None for w in ws})
    by_lit: dict[str, set[int]] = {}
    for k, ws in enumerate(words):
        for w in ws or ():
            by_lit.setdefault(w, set()).add(k)
    always = frozenset(k for k, ws in enumerate(words) if ws is None)
    if not lits:
        return None, {}, {}, always
    root: dict = {}
    for w in lits:
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:  # longer words first: a node's own end is its last branch
        branches = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ("|)" if "" in node else ")")

    finder = fastre.lazy("(?=(" + emit(root) + "))")
    prefixes = {w: frozenset(x for x in lits if w.startswith(x)) for w in lits}
    return finder, prefixes, {w: frozenset(v) for w, v in by_lit.items()}, always


def _cues_to_run(low: str, lexicon: Lexicon) -> list[int]:
    """The cues (by position, in order) some required literal of which is in `low` (or that need
    none): the cues `any(w in low for w in words)` keeps, found by one pass over `low` instead of
    one test per cue and literal."""
    finder, prefixes, by_lit, always = _cue_index(lexicon)
    keep = set(always)
    if finder is not None:
        present: set[str] = set()
        for m in finder.finditer(low):
            present |= prefixes[m.group(1)]
        for w in present:
            keep |= by_lit[w]
    return sorted(keep)


@lru_cache(maxsize=4)
def _cues(lexicon: Lexicon) -> list[tuple[str, str, re.Pattern[str]]]:
    from checker.patterns import attendance_cue_source

    raw = lexicon.get("attendance_macros") or {}
    macros = {str(k): str(v) for k, v in raw.items()}
    out = []
    for polarity, patterns in (lexicon.get("attendance_cues") or {}).items():
        for p in patterns:
            # validated at rule load; compiled when first run, a clear message there too
            out.append((polarity, p, fastre.lazy(attendance_cue_source(p, macros), re.IGNORECASE, f"attendance cue {p!r}")))
    return out


@lru_cache(maxsize=4)
def _guards(lexicon: Lexicon) -> dict[str, re.Pattern[str] | None]:
    """The lexicon's guard phrases as one word-bounded pattern per guard (None when it has none)."""
    out: dict[str, re.Pattern[str] | None] = {}
    for key in ("attendance_hedges", "attendance_denials", "attendance_other_event", "attendance_clause_breaks"):
        words = [str(w) for w in lexicon.get(key) or []]
        alts = fastre.longest_first(words, fold=True)
        out[key] = fastre.lazy(r"(?<!\w)(?:" + alts + r")(?!\w)", re.IGNORECASE) if alts else None
    return out


_RELATIVE = fastre.lazy(r",\s*(?:who|which)\b[^,]*,", re.IGNORECASE)
_OPPOSITE = {"present": "absent", "absent": "present"}


def _clause(masked: str, start: int, end: int, breaks: re.Pattern[str] | None) -> tuple[str, str]:
    """The text of the cue's clause before the cue, and from the cue to the clause's end (without the
    relative clauses that hang on a person: ", who did not attend last year,")."""
    before_from = 0
    if breaks is not None:
        for b in breaks.finditer(masked, 0, start):
            before_from = b.end()
    after_to = len(masked)
    if breaks is not None:
        b = breaks.search(masked, end)
        if b is not None:
            after_to = b.start()
    return masked[before_from:start], _RELATIVE.sub(",", masked[start:end]) + masked[end:max(end, after_to)]


@lru_cache(maxsize=4)
def _elided(lexicon: Lexicon) -> re.Pattern[str] | None:
    """A subject's second verb joined by "but"/"and" ("X skipped the session but attended the dinner")."""
    verbs = [str(w) for w in lexicon.get("attendance_coordinated_verbs") or []]
    if not verbs:
        return None
    alts = fastre.longest_first(verbs, fold=True)
    return fastre.lazy(r"^(?P<head>\W*(?:\w+\s+){0,3}?\u27e8P(?P<idx>\d+)\u27e9[^\u27e8.;]*?\b(?:but|and|yet)\s+)"
                      r"(?=(?:later\s+|then\s+|also\s+|instead\s+)?(?:" + alts + r")\b)", re.IGNORECASE)


def _unelide(masked: str, lexicon: Lexicon) -> str:
    """The sentence with the subject repeated before its second verb, so that each verb's cue sees it."""
    pat = _elided(lexicon)
    m = pat.match(masked) if pat is not None else None
    if m is None:
        return masked
    return masked[: m.end()] + _PH.format(m.group("idx")) + " " + masked[m.end():]


def _mask(text: str, s: Sentence, persons: list[NameFact]) -> str:
    """The sentence with each person (title and apposition included) replaced by ⟨Pi⟩."""
    parts = []
    pos = s.start
    for i, n in enumerate(persons):
        start = n.title_span[0] if n.title_span and n.title_span[0] >= pos else n.start
        end = n.apposition_span[1] if n.apposition_span else n.end
        if start < pos:
            continue
        parts.append(text[pos:start])
        parts.append(_PH.format(i))
        pos = end
    parts.append(text[pos : s.end])
    return "".join(parts)


def extract_attendance(text: str, sentences: tuple[Sentence, ...], names: list[NameFact], lexicon: Lexicon) -> list[AttendanceFact]:
    by_sentence: dict[int, list[NameFact]] = {}
    for n in names:
        if n.etype == "person":
            by_sentence.setdefault(n.sentence_index, []).append(n)
    out: list[AttendanceFact] = []
    for s in sentences:
        persons = by_sentence.get(s.index, [])
        if not persons:
            continue
        masked = _unelide(_mask(text, s, persons), lexicon)
        # A cue none of whose required literals occurs in the sentence cannot match (its pattern is
        # case-insensitive: exact where lowercasing keeps the length and neither the dotless i nor
        # the long s, which match ASCII letters without case, is present).
        low = masked.lower()
        by_words = len(low) == len(masked) and "\u0131" not in masked and "\u017f" not in masked
        guards = _guards(lexicon)
        found: dict[str, dict[str, tuple[int, str, re.Match[str]]]] = {}
        cues = _cues(lexicon)
        for k in _cues_to_run(low, lexicon) if by_words else range(len(cues)):
            polarity, cue, pat = cues[k]
            for m in pat.finditer(masked):
                before, rest = _clause(masked, m.start(), m.end(), guards["attendance_clause_breaks"])
                # "X is expected to attend", "it is unclear whether X attended": no claim.
                if guards["attendance_hedges"] is not None and guards["attendance_hedges"].search(before):
                    continue
                # "X attended last year's summit", "did not attend the previous round": another event.
                if guards["attendance_other_event"] is not None and guards["attendance_other_event"].search(rest):
                    continue
                # "officials denied that X attended": the claim is the opposite.
                denied = guards["attendance_denials"] is not None and bool(guards["attendance_denials"].search(before))
                side = _OPPOSITE.get(polarity, polarity) if denied else polarity
                for group in ("one", "two", "list", "other"):
                    if group not in pat.groupindex or not m.group(group):
                        continue
                    value = _OPPOSITE.get(side, side) if group == "other" else side
                    for idx in re.findall(r"\u27e8P(\d+)\u27e9", m.group(group)):
                        found.setdefault(persons[int(idx)].full, {}).setdefault(value, (int(idx), cue, m))
        for full, sides in sorted(found.items(), key=lambda kv: min(v[0] for v in kv[1].values())):
            if len(sides) != 1:
                continue  # one sentence says both of one person ("skipped the talks but attended the dinner")
            (value, (idx, cue, m)), = sides.items()
            n = persons[idx]
            out.append(
                AttendanceFact(
                    article=n.article,
                    text=n.text,
                    start=n.start,
                    end=n.end,
                    line=n.line,
                    sentence=s.text,
                    sentence_index=s.index,
                    value=value,
                    person=n.full,
                    cue=re.sub(r"\u27e8P\d+\u27e9", "X", m.group()),
                )
            )
    return out
