"""Faster forms of the extractors' regular expressions that match exactly what the plain forms match.

Word lists as alternations written as tries: "fo(?:o(?:bar|)|x)" instead of "foobar|foo|fox": the regex engine then tries each next character
once instead of every word at every place it tries the alternation. A case-insensitive alternation of
a few hundred words, the extractors' commonest pattern, costs most of its time that way (the engine
neither shares prefixes nor, under re.IGNORECASE, skips ahead on a first character).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator


class LazyPattern:
    """A regular expression compiled when it is first used: `lazy(source, flags)` stands for
    `re.compile(source, flags)`. The extractors build a few hundred patterns per lexicon and one article
    runs about a quarter of them, so a process that extracts one article (an incremental run) compiles
    only those. Its methods (search, match, finditer, ...) and attributes are the compiled pattern's,
    bound on first use; `pattern` is the source, known without compiling. Not for the module-level
    functions of `re` (re.sub(p, ...)), which want a compiled pattern."""

    def __init__(self, pattern: str, flags: int = 0, what: str | None = None) -> None:
        self.pattern = pattern
        self._flags = flags
        self._what = what  # when given, a pattern that does not compile is a ValueError naming it

    def compiled(self) -> re.Pattern[str]:
        try:
            c = re.compile(self.pattern, self._flags)
        except re.error as exc:
            if self._what is None:
                raise
            raise ValueError(f"{self._what}: {exc}") from exc
        d = self.__dict__
        for name in _PATTERN_ATTRS:
            d[name] = getattr(c, name)
        d["compiled"] = lambda: c
        return c

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name in ("_flags", "_what"):  # copy/pickle probes, a half-built object
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self) -> tuple:
        return (LazyPattern, (self.pattern, self._flags, self._what))

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"


_PATTERN_ATTRS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
                  "flags", "groups", "groupindex")


def lazy(pattern: str, flags: int = 0, what: str | None = None) -> "re.Pattern[str]":
    """`re.compile(pattern, flags)`, compiled when first used (LazyPattern); `what`: a pattern that does
    not compile is then a ValueError "what: error" instead of re.error."""
    return LazyPattern(pattern, flags, what)  # type: ignore[return-value]


def _trie_char(c: str, cased: bool) -> bool:
    """A character a trie may branch on: ASCII (no capital unless the trie is matched with case),
    or a character without case."""
    if c.isascii():
        return cased or not c.isupper()
    return c.lower() == c == c.upper() and c.casefold() == c and not c.isspace()


def trie(words: Iterable[str], cased: bool, fold: bool = False) -> str | None:
    """The alternation of `words`, longest first, each space written \\s+, as a trie; None when a word
    does not qualify (the caller then writes the plain alternation).

    The same matches, groups and backtracking order as the plain alternation of the words sorted
    longest first, when (as checked here) every word is characters none of which matches a text
    character another one matches (`cased`: matched with case; else under re.IGNORECASE, lowercase
    ASCII and caseless characters only; `fold`: the pattern is matched under re.IGNORECASE, so ASCII
    capitals are taken as their lowercase, which match the same characters) with single spaces between
    non-spaces: two words then both match at a place only when one's match is a prefix of the
    other's, and the longer is the longer word, which both forms try first (the trie tries a word's
    end after every longer continuation). Only one of two branches of a node can match at a place,
    so their order is free."""
    root: dict = {}
    for w in words:
        if fold:
            w = "".join(c.lower() if c.isascii() else c for c in w)
        if not w or w != w.strip(" ") or "  " in w:
            return None
        node = root
        for c in w:
            if c != " " and not _trie_char(c, cased):
                return None
            node = node.setdefault(c, {})
        node[""] = {}
    if not root:
        return None

    def emit(node: dict) -> str:
        branches = [(r"\s+" if c == " " else re.escape(c)) + emit(child) for c, child in sorted(node.items()) if c]
        end = "" in node
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        return "(?:" + "|".join(branches) + ("|)" if end else ")")

    return emit(root)


def longest_first(words: Iterable[str], fold: bool = False) -> str:
    """The words as one alternation, longest first, each space matching any run of whitespace: as a
    trie when it matches the same, else plainly (as plainly, "" for none). `fold`: used under re.IGNORECASE."""
    words = sorted(words, key=len, reverse=True)
    t = trie(words, cased=False, fold=fold)
    return t if t is not None else "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


# Characters that match a text character under re.IGNORECASE exactly when they equal its lowercase
# (in text that holds neither the dotless i nor the long s, the two characters that fold to an ASCII
# letter without lowercasing to it, and that lowercases to a text of the same length): lowercase
# ASCII letters, ASCII characters without case, and characters without case.
def _uncased_char(code: int) -> bool:
    c = chr(code)
    if c.isascii():
        return not c.isupper()
    return c.lower() == c == c.upper()


def _uncased_items(items: object) -> bool:
    """Whether a parsed pattern (re._parser items) matches the same without re.IGNORECASE on the
    lowercased text (see uncased)."""
    from re import _constants as C  # private, but part of CPython since 3.11

    for op, av in items:  # type: ignore[attr-defined]
        if op in (C.LITERAL, C.NOT_LITERAL):
            if not _uncased_char(av):
                return False
        elif op is C.IN:
            for iop, iav in av:
                if iop is C.LITERAL:
                    if not _uncased_char(iav):
                        return False
                elif iop is C.RANGE:
                    lo, hi = iav
                    if hi > 0x7F or any(chr(k).isupper() for k in range(lo, hi + 1)):
                        return False
                elif iop not in (C.CATEGORY, C.NEGATE):
                    return False
        elif op in (C.ANY, C.AT, C.GROUPREF):
            continue
        elif op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & (C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_LOCALE | C.SRE_FLAG_ASCII):
                return False
            if not _uncased_items(sub):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _uncased_items(av[1]):
                return False
        elif op is C.BRANCH:
            if not all(_uncased_items(b) for b in av[1]):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if not _uncased_items(av[2]):
                return False
        elif op is C.ATOMIC_GROUP:
            if not _uncased_items(av):
                return False
        else:
            return False
    return True


def uncased(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern without re.IGNORECASE, to run on the lowercased text (see lowered) where it finds
    the same matches at the same offsets as `regex` on the text, several times faster (no case
    folding of each character tried); None when that is not sure: a capital or a cased non-ASCII
    character in it, a group that sets or clears a case flag, or a construct not checked here.

    Relies on lowercasing keeping each character's class (\\w, \\d, \\s), which
    tests/test_fast_paths.py checks over all of Unicode."""
    if not regex.flags & re.IGNORECASE or regex.flags & (re.LOCALE | re.ASCII) or not isinstance(regex.pattern, str):
        return None
    try:
        from re import _parser  # private, but part of CPython since 3.11

        items = list(_parser.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - no fast form, never a wrong one
        return None
    if not _uncased_items(items):
        return None
    return lazy(regex.pattern, regex.flags & ~re.IGNORECASE)


class UncasedForms:
    """key -> uncased(pattern) for a mapping of patterns, each worked out when first asked for (`get`):
    reading a pattern to tell whether it has an uncased form costs about as much as compiling it."""

    def __init__(self, patterns: dict) -> None:
        self._patterns = patterns
        self._forms: dict = {}

    def get(self, key: object, default: object = None) -> re.Pattern[str] | None:
        try:
            return self._forms[key]
        except KeyError:
            pass
        if key not in self._patterns:
            return default  # type: ignore[return-value]
        form = self._forms[key] = uncased(self._patterns[key])
        return form


def lowered(text: str) -> str | None:
    """text.lower() when uncased patterns may run on it: the same length (every character lowercases
    to one) and neither the dotless i nor the long s, which match an ASCII letter under case folding
    without lowercasing to it; else None."""
    low = text.lower()
    if len(low) != len(text) or "\u0131" in text or "\u017f" in text:
        return None
    return low


def finditer(regex: re.Pattern[str], uncased: re.Pattern[str] | None, text: str, low: str | None,
             pos: int, endpos: int, stop: int | None = None) -> list[re.Match[str]] | Iterator[re.Match[str]]:
    """regex.finditer(text, pos, endpos), found by its uncased form (see uncased) on `low` (lowered(text))
    when there are both, each match then matched again on the text itself so that its groups hold the
    text as written (should one differ, the plain search instead). `stop`: no match after the first
    that starts at or after it is needed."""
    if uncased is None or not low:
        return regex.finditer(text, pos, endpos)
    out = []
    for lm in uncased.finditer(low, pos, endpos):
        m = regex.match(text, lm.start(), endpos)
        if m is None or m.end() != lm.end():
            return regex.finditer(text, pos, endpos)
        out.append(m)
        if stop is not None and lm.start() >= stop:
            break
    return out


# ---------------------------------------------------------------------------------------------
# literals a match needs


def needs(regex: re.Pattern[str], limit: int = 12) -> object:
    """A condition that the lowercased text (see lowered) meets wherever `regex` has a match: nested
    ("and", parts) / ("or", parts) of lowercase ASCII strings of three characters or more, read from
    the parsed pattern (a literal run it cannot skip, an alternation each branch of which needs one, a
    literal run before an alternation joined to each branch's: "b(?:attle|lockade)" needs "battle" or
    "blockade"); None when it needs nothing that can be told this way, or an alternation would take
    more than `limit` strings to test. See holds.

    Exact as a filter: a match's characters lowercase to the literal's (case folding matches an ASCII
    letter only with its own cases, the Kelvin sign, which lowercases to k, and the dotless i and the
    long s, which lowered() refuses), and a positive look-around is never read."""
    if not isinstance(regex.pattern, str):
        return None
    try:
        from re import _constants as C, _parser  # private, but part of CPython since 3.11

        items = list(_parser.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - no filter, never a wrong one
        return None

    def size(f: object) -> int:
        if f is None:
            return 0
        if isinstance(f, str):
            return 1
        return sum(size(p) for p in f[1])  # type: ignore[index]

    def both(parts: list[object]) -> object:
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else ("and", tuple(parts))

    def seq(items: list, prefix: str) -> object:
        parts: list[object] = []
        run = [prefix]

        def flush() -> None:
            lit = "".join(run).lower()
            if len(lit) >= 3 and lit.isascii():
                parts.append(lit)
            run.clear()

        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            if op is C.SUBPATTERN:
                sub = av[3]
                parts.append(seq(list(sub), "".join(run)))
                run.clear()
                continue
            if op is C.BRANCH:
                head = "".join(run)
                run.clear()
                alts = [seq(list(alt), head) for alt in av[1]]
                if all(a is not None for a in alts) and sum(size(a) for a in alts) <= limit:
                    parts.append(("or", tuple(alts)))
                else:
                    # the part before the alternation is needed either way
                    lit = head.lower()
                    if len(lit) >= 3 and lit.isascii():
                        parts.append(lit)
                continue
            flush()
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                lo, _hi, sub = av
                if lo >= 1:
                    parts.append(seq(list(sub), ""))
        flush()
        return both(parts)

    return seq(items, "")


def holds(need: object, low: str) -> bool:
    """Whether the lowercased text meets a condition from needs (None: always)."""
    if need is None:
        return True
    if isinstance(need, str):
        return need in low
    op, parts = need  # type: ignore[misc]
    if op == "and":
        return all(holds(p, low) for p in parts)
    return any(holds(p, low) for p in parts)
