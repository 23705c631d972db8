"""Regular expressions from data: a static check that refuses patterns which can backtrack
catastrophically, a compile helper whose errors name where the pattern came from, and a run-time
time limit for the code that applies them.

The static check builds a position automaton (Glushkov) of the pattern in which every transition
remembers the construct that made it, and looks for exponential ambiguity: a state from which two
different paths read the same text and come back (Weber and Seidl). That is what `(a+)+`,
`(\\w+\\s?)*$` and `(\\w|\\d)*` have in common, and what a backtracking matcher pays for with time
exponential in the length of the text. It is conservative by design: repeats bounded by at most
`UNROLL` are unrolled (their ambiguity is polynomial of small degree), lookarounds and anchors are
read as empty, atomic groups and possessive repeats as one step, and characters are compared
through a finite set of representatives. A pattern it passes can still be slow; the time limit is
the backstop.
"""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

try:  # Python 3.11+
    from re import _compiler, _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older layouts
    import sre_compile as _compiler  # type: ignore[no-redef]
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

UNROLL = 4  # a repeat bounded by at most this many is unrolled; a larger bound counts as unbounded
MAX_PRODUCT = 200_000  # pairs of states examined per strongly connected part before giving up (pass)
DEFAULT_ARTICLE_TIMEOUT = 10.0  # seconds of extraction allowed for one article
_I, _S, _A = int(re.IGNORECASE), int(re.DOTALL), int(re.ASCII)  # plain ints: enum arithmetic is slow


# --------------------------------------------------------------------------------------------------
# errors


class PatternError(ValueError):
    """A pattern that cannot be used: invalid, or able to backtrack catastrophically."""


class ExtractionTimeout(BaseException):
    """Raised inside `time_limit` when its time is up. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` inside an extractor can swallow it and let the run hang on."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(timeout_message(seconds))


def timeout_message(seconds: float) -> str:
    """The error recorded for an article whose extraction was stopped."""
    shown = f"{seconds:g}"
    return f"extraction timed out after {shown} s: a pattern may backtrack catastrophically on this text (limit: --article-timeout)"


# --------------------------------------------------------------------------------------------------
# characters: a finite set of representatives, each character set a bitmask over them

_FIXED_REPS = (
    " \t\n\r\x0b\x0c\x00\xa0\u2028\u3000"  # spaces and controls
    "aAzZmM09_-.,;:'\"’“”!?()[]{}/\\|@#$%&*+=<>~`^"  # ASCII letters, digits and punctuation
    "éÉßıİſK\u0130\u0660\u0669\u0661中ö"  # non-ASCII letters, Unicode digits, case oddities
    "\U0001f600\ufeff\u200b"  # beyond the BMP, format characters
)

_CATEGORY_RX = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_LINEBREAK": r"\n",
    "CATEGORY_NOT_LINEBREAK": r"[^\n]",
}


@lru_cache(maxsize=None)
def _in_category(ch: str, name: str, ascii_only: bool) -> bool:
    return re.fullmatch(_CATEGORY_RX.get(name, r"[^\s\S]"), ch, re.ASCII if ascii_only else 0) is not None


def _name(op: Any) -> str:
    return str(getattr(op, "name", op))


def _collect_codes(items: Any, out: set[int]) -> None:
    for op, av in items:
        name = _name(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            out.add(av)
        elif name in ("RANGE", "RANGE_UNI_IGNORE"):
            lo, hi = av
            out.update(x for x in (lo - 1, lo, hi, hi + 1) if 0 <= x <= 0x10FFFF)
        elif name == "IN":
            _collect_codes(av, out)
        elif name == "BRANCH":
            for alt in av[1]:
                _collect_codes(alt, out)
        elif name == "SUBPATTERN":
            _collect_codes(av[3], out)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _collect_codes(av[2], out)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _collect_codes(av[1], out)
        elif name == "ATOMIC_GROUP":
            _collect_codes(av, out)
        elif name == "GROUPREF_EXISTS":
            _collect_codes(av[1], out)
            if av[2]:
                _collect_codes(av[2], out)


class _Alphabet:
    def __init__(self, tree: Any) -> None:
        codes: set[int] = {ord(ch) for ch in _FIXED_REPS}
        _collect_codes(tree, codes)
        chars: set[str] = set()
        for code in codes:
            ch = chr(code)
            chars.add(ch)
            for variant in (ch.lower(), ch.upper(), ch.swapcase()):
                if len(variant) == 1:
                    chars.add(variant)
        self.chars = sorted(chars)
        self.all = (1 << len(self.chars)) - 1
        self._category: dict[tuple[str, bool], int] = {}
        self._literal: dict[tuple[str, bool], int] = {}
        self._index = {ch: i for i, ch in enumerate(self.chars)}

    def literal(self, ch: str, ignore_case: bool) -> int:
        key = (ch, ignore_case)
        m = self._literal.get(key)
        if m is None:
            forms = {ch}
            if ignore_case:
                forms |= {f for f in (ch.lower(), ch.upper(), ch.swapcase()) if len(f) == 1}
                forms |= {x for x in self.chars if x.casefold() == ch.casefold()}
            m = 0
            for f in forms:
                if f in self._index:
                    m |= 1 << self._index[f]
            self._literal[key] = m
        return m

    def mask(self, test: Any) -> int:
        m = 0
        for i, ch in enumerate(self.chars):
            if test(ch):
                m |= 1 << i
        return m

    def category(self, name: str, ascii_only: bool) -> int:
        key = (name, ascii_only)
        if key not in self._category:
            self._category[key] = self.mask(lambda ch: _in_category(ch, name, ascii_only))
        return self._category[key]

    def char(self, index: int) -> str:
        return self.chars[index]


def _set_mask(alpha: _Alphabet, items: Any, flags: int) -> int:
    """The representatives matched by a character class [...]."""
    ic = bool(flags & _I)
    ascii_only = bool(flags & _A)
    negate = False
    m = 0
    for op, av in items:
        name = _name(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            m |= alpha.literal(chr(av), ic)
        elif name in ("RANGE", "RANGE_UNI_IGNORE"):
            lo, hi = av
            m |= alpha.mask(lambda x, lo=lo, hi=hi: lo <= ord(x) <= hi or (ic and any(lo <= ord(v) <= hi for v in (x.lower(), x.upper()) if len(v) == 1)))
        elif name == "CATEGORY":
            m |= alpha.category(_name(av), ascii_only)
        else:  # an item this reading does not know: assume it may match anything
            m |= alpha.all
    return (alpha.all & ~m) if negate else m


# --------------------------------------------------------------------------------------------------
# the position automaton


@dataclass
class _Frag:
    first: frozenset[int]
    last: frozenset[int]
    nullable: bool
    # positions from which the end of the fragment is reached with nothing that can fail in between
    safe_last: frozenset[int] = frozenset()
    # can be passed over reading nothing, with nothing that can fail (an assertion or anchor can)
    transparent: bool = False


_EMPTY = _Frag(frozenset(), frozenset(), True, frozenset(), True)
_ASSERTION = _Frag(frozenset(), frozenset(), True, frozenset(), False)


@dataclass
class _Automaton:
    alpha: _Alphabet
    masks: list[int] = field(default_factory=list)  # position -> the characters it reads
    succ: list[list[tuple[int, int]]] = field(default_factory=list)  # position -> (next position, tag)
    tags: int = 0
    inner: list[tuple[Any, int]] = field(default_factory=list)  # atomic/lookaround bodies, checked on their own
    loop_depth: int = 0  # inside how many unbounded repeats the item being built is
    empty_choice: bool = False  # a choice between two empty alternatives inside an unbounded repeat

    def position(self, mask: int) -> _Frag:
        self.masks.append(mask)
        self.succ.append([])
        p = len(self.masks) - 1
        return _Frag(frozenset((p,)), frozenset((p,)), False, frozenset((p,)), False)

    def tag(self) -> int:
        self.tags += 1
        return self.tags

    def link(self, src: frozenset[int], dst: frozenset[int], tag: int) -> None:
        for p in src:
            out = self.succ[p]
            for q in dst:
                out.append((q, tag))

    def concat(self, a: _Frag, b: _Frag) -> _Frag:
        self.link(a.last, b.first, 0)
        return _Frag(
            a.first | b.first if a.nullable else a.first,
            a.last | b.last if b.nullable else b.last,
            a.nullable and b.nullable,
            b.safe_last | a.safe_last if b.transparent else b.safe_last,
            a.transparent and b.transparent,
        )

    def seq(self, items: Any, flags: int) -> _Frag:
        acc = _EMPTY
        for item in items:
            if self.loop_depth == 0 and not _has_loop(item):
                # outside every loop and holding none: its positions lie on no cycle, one step stands for it
                nullable, transparent = _emptiness(item)
                step = self.position(self.alpha.all)
                frag = _Frag(step.first, step.last, nullable, step.safe_last, transparent)
            else:
                frag = self.item(item, flags)
            acc = self.concat(acc, frag)
        return acc

    def optional(self, f: _Frag) -> _Frag:
        return _Frag(f.first, f.last, True, f.safe_last, True)

    def item(self, item: Any, flags: int) -> _Frag:
        op, av = item
        name = _name(op)
        alpha = self.alpha
        ic = bool(flags & _I)
        if name == "LITERAL":
            return self.position(alpha.literal(chr(av), ic))
        if name == "NOT_LITERAL":
            return self.position(alpha.all & ~alpha.literal(chr(av), ic))
        if name == "ANY":
            if flags & _S:
                return self.position(alpha.all)
            return self.position(alpha.all & ~alpha.literal("\n", False))
        if name == "IN":
            return self.position(_set_mask(alpha, av, flags))
        if name == "BRANCH":
            frags = [self.seq(alt, flags) for alt in av[1]]
            if self.loop_depth and sum(1 for f in frags if f.nullable) >= 2:
                self.empty_choice = True  # (a|a)* is parsed as a(?:|)*: two ways round every time
            return _Frag(
                frozenset().union(*(f.first for f in frags)),
                frozenset().union(*(f.last for f in frags)),
                any(f.nullable for f in frags),
                frozenset().union(*(f.safe_last for f in frags)),
                any(f.transparent for f in frags),
            )
        if name == "SUBPATTERN":
            _group, add, remove, body = av
            return self.seq(body, (flags | add) & ~remove)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, hi, body = av
            if hi == 0:
                return _EMPTY
            if hi == _c.MAXREPEAT or hi > UNROLL:
                self.loop_depth += 1
                try:
                    f = self.seq(body, flags)
                finally:
                    self.loop_depth -= 1
                self.link(f.last, f.first, self.tag())
                return _Frag(f.first, f.last, f.nullable or lo == 0, f.safe_last, f.transparent or lo == 0)
            # bounded: B{lo,hi} as B..B (B (B (B)?)?)? - nested, so that unrolling adds no ambiguity
            tail: _Frag | None = None
            for i in range(hi, 0, -1):
                f = self.seq(body, flags)
                f = self.concat(f, tail) if tail is not None else f
                tail = f if i <= lo else self.optional(f)
            return tail if tail is not None else _EMPTY
        if name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT"):
            body = av if name == "ATOMIC_GROUP" else [(_c.MAX_REPEAT, av)]
            self.inner.append((body, flags))
            sub = _Automaton(self.alpha)
            f = sub.seq(body, flags)
            first = 0
            for p in f.first:
                first |= sub.masks[p]
            step = self.position(first)
            return _Frag(step.first, step.last, f.nullable, step.safe_last, False)
        if name in ("ASSERT", "ASSERT_NOT"):
            self.inner.append((av[1], flags))
            return _ASSERTION
        if name == "GROUPREF_EXISTS":
            _group, yes, no = av
            a = self.seq(yes, flags)
            b = self.seq(no, flags) if no else _EMPTY
            return _Frag(a.first | b.first, a.last | b.last, a.nullable or b.nullable, a.safe_last | b.safe_last, False)
        if name == "GROUPREF":
            f = self.position(alpha.all)
            return _Frag(f.first, f.last, True, f.safe_last, False)
        # AT (anchors), and anything else that reads no character but may fail
        return _ASSERTION


def _has_loop(item: Any) -> bool:
    """Whether an item holds a repeat that counts as unbounded (anywhere inside it)."""
    op, av = item
    name = _name(op)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, body = av
        return hi == _c.MAXREPEAT or hi > UNROLL or any(_has_loop(x) for x in body)
    if name == "BRANCH":
        return any(_has_loop(x) for alt in av[1] for x in alt)
    if name == "SUBPATTERN":
        return any(_has_loop(x) for x in av[3])
    if name == "ATOMIC_GROUP":
        return any(_has_loop(x) for x in av)
    if name in ("ASSERT", "ASSERT_NOT"):
        return any(_has_loop(x) for x in av[1])
    if name == "GROUPREF_EXISTS":
        return any(_has_loop(x) for x in av[1]) or bool(av[2] and any(_has_loop(x) for x in av[2]))
    return False


def _emptiness(item: Any) -> tuple[bool, bool]:
    """(can match empty, can be passed over with nothing that may fail) for a loop-free item."""
    op, av = item
    name = _name(op)
    if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
        return False, False
    if name == "GROUPREF":
        return True, False
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, _hi, body = av
        n, t = _seq_emptiness(body)
        return (n or lo == 0), (t or lo == 0)
    if name == "BRANCH":
        parts = [_seq_emptiness(alt) for alt in av[1]]
        return any(n for n, _ in parts), any(t for _, t in parts)
    if name == "SUBPATTERN":
        return _seq_emptiness(av[3])
    if name == "ATOMIC_GROUP":
        n, _ = _seq_emptiness(av)
        return n, False
    if name == "GROUPREF_EXISTS":
        a = _seq_emptiness(av[1])
        b = _seq_emptiness(av[2]) if av[2] else (True, True)
        return a[0] or b[0], False
    return True, False  # anchors and lookarounds: empty, but may fail


def _seq_emptiness(items: Any) -> tuple[bool, bool]:
    nullable = transparent = True
    for item in items:
        n, t = _emptiness(item)
        nullable, transparent = nullable and n, transparent and t
    return nullable, transparent


# --------------------------------------------------------------------------------------------------
# exponential ambiguity


def _sccs(nodes: list[Any], succ: Any) -> list[list[Any]]:
    """Strongly connected components (Tarjan, iterative)."""
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    on_stack: set[Any] = set()
    stack: list[Any] = []
    out: list[list[Any]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ(w))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


def _ambiguous_loop(a: _Automaton, accepting: frozenset[int]) -> str | None:
    """A character on which some loop of the automaton can go round in two different ways, else None.

    Positions in `accepting` are left out: from there a failed continuation ends in a match, so the
    matcher never backtracks through them (an ambiguous loop at the very end of a pattern is harmless).
    """
    n = len(a.masks)
    keep = [p for p in range(n) if p not in accepting]
    comps = _sccs(keep, lambda p: [q for q, _ in a.succ[p] if q not in accepting])
    for comp in comps:
        members = set(comp)
        if len(comp) == 1 and not any(q == comp[0] for q, _ in a.succ[comp[0]]):
            continue
        inner = {p: [(q, t) for q, t in a.succ[p] if q in members] for p in comp}
        masks = a.masks
        nodes = [(p, q) for p in comp for q in comp if masks[p] & masks[q]]
        if len(nodes) > MAX_PRODUCT:
            continue  # too large to decide here: the time limit stays the guard
        diff_edges: list[tuple[tuple[int, int], tuple[int, int]]] = []

        def succ(node: tuple[int, int]) -> list[tuple[int, int]]:
            p, q = node
            out = []
            for p2, t1 in inner[p]:
                for q2, t2 in inner[q]:
                    if masks[p2] & masks[q2]:
                        out.append((p2, q2))
                        if p == q and p2 == q2 and t1 != t2:
                            diff_edges.append((node, (p2, q2)))
            return out

        for pc in _sccs(nodes, succ):
            if len(pc) < 2 and not diff_edges:
                continue
            inside = set(pc)
            diagonal = [node for node in pc if node[0] == node[1]]
            if not diagonal:
                continue
            if any(node[0] != node[1] for node in pc) or any(s in inside and d in inside for s, d in diff_edges):
                common = masks[diagonal[0][0]]
                chars = [a.alpha.char(i) for i in range(common.bit_length()) if common >> i & 1]
                return next((c for c in chars if c.isalpha()), chars[0] if chars else "?")
    return None


def _check_tree(tree: Any, flags: int, alpha: _Alphabet, depth: int = 0) -> str | None:
    a = _Automaton(alpha)
    whole = a.seq(tree, flags)
    if a.empty_choice:
        return "?"
    ch = _ambiguous_loop(a, whole.safe_last)
    if ch is not None:
        return ch
    if depth < 8:
        for body, fl in a.inner:
            ch = _check_tree(body, fl, alpha, depth + 1)
            if ch is not None:
                return ch
    return None


@lru_cache(maxsize=4096)
def pattern_problem(src: str, flags: int = 0) -> str | None:
    """What is wrong with a regular expression (invalid, or able to backtrack catastrophically), else None."""
    if not isinstance(src, str):
        return f"not a string: {src!r}"
    try:
        tree = _p.parse(src, flags)
        _compiler.compile(tree, flags)  # what re.compile adds to parsing (lookbehind widths, ...)
    except (re.error, OverflowError, RecursionError, ValueError, TypeError) as exc:
        return f"invalid regular expression: {exc}"
    all_flags = int(flags) | int(tree.state.flags)
    try:
        ch = _check_tree(list(tree), all_flags, _Alphabet(list(tree)))
    except RecursionError:
        return "pattern nested too deeply to check"
    if ch is None:
        return None
    return (
        "pattern can backtrack catastrophically: a repeated part can match the same text in more than one way "
        f"(nested quantifiers like (a+)+ or (\\w+\\s?)*, or overlapping alternatives under * or +), so a long run of "
        f"characters like {ch!r} that does not match can take exponential time; make each repetition start with "
        "something the previous one cannot end with"
    )


def compile_checked(src: str, flags: int = 0, where: str = "pattern") -> re.Pattern[str]:
    """Compile a pattern that passed `pattern_problem`; PatternError naming `where` otherwise."""
    problem = pattern_problem(src, flags)
    if problem:
        raise PatternError(f"{where}: {problem}")
    return re.compile(src, flags)


# --------------------------------------------------------------------------------------------------
# the patterns of a lexicon, as the extractors compile them


@dataclass(frozen=True)
class LexiconPattern:
    """One regular expression taken from a lexicon: its key path, the source as compiled, the flags."""

    path: tuple[Any, ...]  # e.g. ("attendance_cues", "present", 2)
    source: str
    flags: int

    @property
    def key(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out


_GENERIC_SUFFIXES = ("_pattern", "_patterns", "_regex", "_regexes")
_PLACEHOLDER_ONE = r"\u27e8P\d+\u27e9"
_PLACEHOLDER_LIST = _PLACEHOLDER_ONE + r"(?:(?:\s*,\s*|\s*,?\s+and\s+)" + _PLACEHOLDER_ONE + r")*+"
_NUMBER_FLAGS = re.IGNORECASE | re.VERBOSE
_MACRO = re.compile(r"\{([A-Z_]+)\}")


def _strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    else:
        yield path, value


def attendance_cue_source(src: str, macros: dict[str, str] | None = None) -> str:
    """An attendance cue as a regular expression over a masked sentence: a space matches any run of
    spaces and commas; {P} one person, {P2} a second one of the same side, {PERSONS} a list of them,
    {Q} a person on the other side ("{P} was represented by {Q}"); other {NAME}s are the lexicon's
    `attendance_macros` (an event noun phrase, a clause end)."""
    rx = src.replace(" ", r"[\s,]+")
    for name, body in (macros or {}).items():
        rx = rx.replace("{" + str(name) + "}", "(?:" + str(body) + ")")
    rx = rx.replace("{PERSONS}", "(?P<list>" + _PLACEHOLDER_LIST + ")")
    rx = rx.replace("{P2}", "(?P<two>" + _PLACEHOLDER_ONE + ")")
    rx = rx.replace("{Q}", "(?P<other>" + _PLACEHOLDER_ONE + ")")
    return rx.replace("{P}", "(?P<one>" + _PLACEHOLDER_ONE + ")")


def _attendance(src: Any, macros: dict[str, str] | None = None) -> Any:
    if not isinstance(src, str):
        return src
    return attendance_cue_source(src, macros)


def _expand(src: str, macros: dict[str, str], keep_n: bool = True) -> str:
    return _MACRO.sub(lambda m: "{N}" if m.group(1) == "N" and keep_n else macros.get(m.group(1), m.group(0)), src)


def lexicon_patterns(data: dict[str, Any]) -> Iterator[LexiconPattern]:
    """Every regular expression of a merged lexicon, expanded the way its extractor expands it."""
    for key in ("furniture_lines", "furniture_inline"):
        for path, src in _strings(data.get(key) or [], (key,)):
            yield LexiconPattern(path, src, re.IGNORECASE)
    for i, block in enumerate(data.get("furniture_blocks") or []):
        if isinstance(block, dict):
            for part in ("start", "end"):
                if block.get(part) is not None:
                    yield LexiconPattern(("furniture_blocks", i, part), block[part], re.IGNORECASE)
    for path, src in _strings(data.get("dateline_timezones") or [], ("dateline_timezones",)):
        yield LexiconPattern(path, src, 0)
    cues = data.get("attendance_cues") or {}
    if isinstance(cues, dict):
        for path, src in _strings(cues, ("attendance_cues",)):
            raw = data.get("attendance_macros") or {}
            macros = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
            yield LexiconPattern(path, _attendance(src, macros), re.IGNORECASE)
    yield from _number_patterns(data)
    for key, value in data.items():
        if isinstance(key, str) and key.endswith(_GENERIC_SUFFIXES):
            for path, src in _strings(value, (key,)):
                yield LexiconPattern(path, src, re.IGNORECASE)


def _number_patterns(data: dict[str, Any]) -> Iterator[LexiconPattern]:
    raw = data.get("number_macros") or {}
    if not isinstance(raw, dict):
        return
    macros = {str(k): re.sub(r"\s+", "", str(v)) for k, v in raw.items()}
    for _ in range(4):  # macros may use macros
        macros = {k: _expand(v, macros, keep_n=False) for k, v in macros.items()}
    for name, src in macros.items():
        yield LexiconPattern(("number_macros", name), src, _NUMBER_FLAGS)
    for i, spec in enumerate(data.get("number_attributes") or []):
        if not isinstance(spec, dict):
            continue
        if isinstance(spec.get("tail"), str):
            yield LexiconPattern(("number_attributes", i, "tail"), _expand(spec["tail"], macros, keep_n=False), _NUMBER_FLAGS)
        for j, p in enumerate(spec.get("patterns") or []):
            src, path = (p.get("re"), ("number_attributes", i, "patterns", j, "re")) if isinstance(p, dict) else (p, ("number_attributes", i, "patterns", j))
            if not isinstance(src, str):
                yield LexiconPattern(path, src, _NUMBER_FLAGS)
                continue
            left, _, right = _expand(src, macros).partition("{N}")
            # the extractor compiles the text before {N} (anchored at the number) and the text after it apart
            if left.strip():
                yield LexiconPattern(path, f"(?:{left})\\Z", _NUMBER_FLAGS)
            if right.strip():
                yield LexiconPattern(path, right, _NUMBER_FLAGS)


def check_lexicon(
    data: dict[str, Any], trusted: frozenset[tuple[str, int]] = frozenset()
) -> Iterator[tuple[LexiconPattern, str]]:
    """Every pattern of a lexicon that cannot be used, with what is wrong with it; `trusted` (source,
    flags) pairs, those of the bundled lexicon that the test suite checks, are not checked again."""
    for pat in lexicon_patterns(data):
        if (pat.source, pat.flags) in trusted:
            continue
        problem = pattern_problem(pat.source, pat.flags)
        if problem:
            yield pat, problem


# --------------------------------------------------------------------------------------------------
# the run-time bound


def time_limit_available() -> bool:
    """True where `time_limit` can stop code: a main thread on a system with SIGALRM and setitimer."""
    return (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ExtractionTimeout in the body once `seconds` have passed (wall clock, SIGALRM).

    A no-op for None or 0, off the main thread, or where the platform has no SIGALRM; an earlier
    timer and handler are put back afterwards. A regular expression stuck in C code is interrupted
    too: the signal is handled between steps of the matcher's backtracking.
    """
    if not seconds or seconds <= 0 or not time_limit_available():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise ExtractionTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


def fact_limit(facts: list[Any], paths: dict[str, str], limit: int | None) -> tuple[list[Any], list[Any]]:
    """Facts of the articles within `limit` facts each, and an error for each article past it (its facts left
    out whole, never cut short). `facts`: ArticleFacts; `paths`: article id -> path."""
    from checker.models import InputError

    if not limit:
        return list(facts), []
    kept, errors = [], []
    for af in facts:
        if len(af.facts) > limit:
            errors.append(InputError(path=paths.get(af.article, af.article),
                                     message=f"{len(af.facts):,} facts, over max_facts_per_article ({limit:,}): not checked"))
        else:
            kept.append(af)
    return kept, errors


def run_with_time_limit(seconds: float | None, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) under `time_limit(seconds)`."""
    with time_limit(seconds):
        return fn(*args, **kwargs)
