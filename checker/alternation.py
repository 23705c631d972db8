"""Word lists as regex alternations written as tries.

"fo(?:o(?:bar|)|x)" instead of "foobar|foo|fox": the regex engine then tries each next character
once instead of every word at every place it tries the alternation. A case-insensitive alternation of
a few hundred words, the extractors' commonest pattern, costs most of its time that way (the engine
neither shares prefixes nor, under re.IGNORECASE, skips ahead on a first character).
"""

from __future__ import annotations

import re
from typing import Iterable


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
