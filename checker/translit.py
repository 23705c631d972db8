"""Transliteration-aware comparison of name spellings (Barrami/Barami, Taliyeh/Taliya, Rizk/Rezek)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Indel

_VOWELS = set("aeiouy")


@lru_cache(maxsize=1 << 18)
def fold(s: str) -> str:
    """Lowercase ASCII letters only: accents removed, apostrophes, hyphens and spaces dropped."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"['’`]s$", "", s)
    return re.sub(r"[^a-z]", "", s)


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """A transliteration-normalized form of one name word (its particles already dropped by the
    caller, from the lexicon): q/k, ou/u, doubled letters, -eh/-ah/-a endings and e/i/o vowel
    variation folded together."""
    w = fold(word.strip())
    if not w:
        return ""
    for a, b in (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ph", "f"), ("q", "k"), ("ck", "k"), ("dh", "d"), ("w", "u")):
        w = w.replace(a, b)
    w = re.sub(r"(.)\1+", r"\1", w)
    if len(w) > 3:
        w = re.sub(r"(?:eh|ah|a|e|h)$", "", w)
    w = w[0] + w[1:].replace("e", "a").replace("i", "a").replace("o", "u").replace("y", "a")
    return re.sub(r"(.)\1+", r"\1", w)


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant skeleton of a name word (vowels and h dropped, doubles collapsed)."""
    k = name_key(word)
    if not k:
        return ""
    body = "".join(c for c in k[1:] if c not in _VOWELS and c != "h")
    head = k[0] if k[0] not in _VOWELS else ""
    return re.sub(r"(.)\1+", r"\1", head + body)


def same_name(a: str, b: str, min_ratio: float = 0.85) -> bool:
    """True when two name words are spellings of one name: same skeleton and close normalized forms."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if skeleton(a) != skeleton(b) or (len(skeleton(a)) < 2 and min(len(ka), len(kb)) < 4):
        return False
    return Indel.normalized_similarity(ka, kb) >= min_ratio


def diff_marks(a: str, b: str) -> tuple[str, str]:
    """Both spellings with the characters that differ bracketed: Khar[r]ami / Kharami."""
    from rapidfuzz.distance import Levenshtein

    ops = Levenshtein.opcodes(a, b)
    out_a, out_b = [], []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out_a.append(a[i1:i2])
            out_b.append(b[j1:j2])
        else:
            if i2 > i1:
                out_a.append("[" + a[i1:i2] + "]")
            if j2 > j1:
                out_b.append("[" + b[j1:j2] + "]")
    return "".join(out_a), "".join(out_b)


def morph_variant(a: str, b: str, suffixes: tuple[str, ...]) -> bool:
    """True when the two words are one stem with different derivational or plural endings
    (Norway/Norwegian, Chile/Chilean, Communist/Communism, Embassy/Embassies, Sweden/Swedes)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return False
    endings = ("", *suffixes, "ies", "es", "ism", "ist", "ists")

    def stems(w: str) -> set[str]:
        out = set()
        for suf in endings:
            if suf and not w.endswith(suf):
                continue
            stem = w[: len(w) - len(suf)] if suf else w
            if len(stem) >= 3:
                out.add(stem)
                if stem.endswith(("a", "e", "y", "i")):
                    out.add(stem[:-1])
        return out

    return bool(stems(fa) & stems(fb))


def _shape(word: str) -> tuple[str, int]:
    """Consonants in order (doubles collapsed, h kept, y a vowel) and the number of vowel groups."""
    w = re.sub(r"(.)\1+", r"\1", fold(word))
    return re.sub(r"[aeiouy]+", "", w), len(re.findall(r"[aeiouy]+", w))


def strict_variant(a: str, b: str, suffixes: tuple[str, ...], min_ratio: float = 0.75) -> bool:
    """Spellings of one place or organization name: the same consonants in the same order, as many
    vowel groups, close overall (Hizbani/Hezboni, Kureun/Kureuen) and not one word derived from
    the other (Chile/Chilean, Norway/Norwegian). Acronyms only match exactly."""
    if a.isupper() or b.isupper() or "." in a or "." in b:
        return fold(a) == fold(b)
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < 5 or _shape(a) != _shape(b):
        return False
    # Transliteration changes vowels, rarely the first consonant (Albans / Libyans are two words).
    if fa[0] != fb[0] and not (fa[0] in "aeiou" and fb[0] in "aeiou"):
        return False
    if morph_variant(a, b, suffixes):
        return False
    return Indel.normalized_similarity(fa, fb) >= min_ratio


def typo_variant(a: str, b: str, suffixes: tuple[str, ...]) -> bool:
    """Equal, a transliteration variant, or one keystroke apart in a word of six letters or more
    (an insertion, deletion, substitution or swap), not a derived form."""
    if strict_variant(a, b, suffixes):
        return True
    if a.isupper() or b.isupper():
        return False
    fa, fb = fold(a), fold(b)
    if min(len(fa), len(fb)) < 6 or morph_variant(a, b, suffixes):
        return False
    from rapidfuzz.distance import DamerauLevenshtein

    return DamerauLevenshtein.distance(fa, fb) <= 1
