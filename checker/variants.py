"""Is one written name a misspelling of another? The shapes of evidence a name pair can give, from
strong (written the same but for spacing, a transliteration, a keystroke in a long word) to weak (a
keystroke in a short word, a plural, two letters of an acronym swapped). The caller decides how much
corroboration (same story, shared context, one rare form against a common one) each shape needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from rapidfuzz.distance import DamerauLevenshtein

from checker.translit import fold, morph_variant, same_name, typo_variant

Strength = Literal["strong", "derived", "weak"]


@dataclass(frozen=True)
class NameForm:
    """One written form of an entity's name, cut into the words that carry its spelling."""

    text: str
    person: bool
    words: tuple[str, ...]  # content words (particles dropped, legal-form suffixes dropped)
    raw_words: int  # words as written, particles included ("El Rancho": 2)
    raw_folded: str = ""  # the whole name folded, particles included ("El Rancho": elrancho)
    spaced: str = ""  # the same with its word breaks kept, a hyphen as a space ("el rancho")
    legal_form: bool = False  # written with a legal-form suffix ("Ltd"): surely an organization

    @cached_property
    def parts(self) -> tuple[str, ...]:
        """Words and the parts of hyphenated words ("Saint-Laurent": Saint, Laurent)."""
        return tuple(p for w in self.words for p in re.split(r"-", w) if p)

    @cached_property
    def folded(self) -> str:
        return fold("".join(self.words))


def glued_particle(word: str, particles: frozenset[str]) -> str | None:
    """The surname without a particle written onto it ("LaRocca" -> "Rocca", "DeMarco" -> "Marco")."""
    m = re.fullmatch(r"([A-Z][a-z]{1,3})([A-Z][a-z]{3,})", word)
    if m and m.group(1).lower() in particles:
        return m.group(2)
    return None


def _acronym(word: str) -> str | None:
    letters = word.replace("&", "")
    if len(letters) >= 3 and letters.isalpha() and letters.isupper():
        return letters
    return None


def _swapped_initials(a: str, b: str) -> bool:
    """Two firms' initials joined by "&" written in the other order ("K&T" / "T&K")."""
    ma, mb = re.fullmatch(r"([A-Z]+)&([A-Z]+)", a), re.fullmatch(r"([A-Z]+)&([A-Z]+)", b)
    return bool(ma and mb and ma.group(1) != ma.group(2) and ma.groups() == mb.groups()[::-1])


def _plural_pair(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    short, long_ = sorted((fa, fb), key=len)
    return len(short) >= 4 and long_ in (short + "s", short + "es")


def _derived_pair(a: str, b: str) -> bool:
    """One stem with two endings ("Distribution" / "Distributors"): a long shared beginning."""
    fa, fb = fold(a), fold(b)
    k = 0
    while k < min(len(fa), len(fb)) and fa[k] == fb[k]:
        k += 1
    return k >= 7 and k >= 0.7 * min(len(fa), len(fb)) and max(len(fa), len(fb)) - k <= 4


def person_variant(a: NameForm, b: NameForm, particles: frozenset[str], suffixes: tuple[str, ...] = ()) -> Strength | None:
    """Two full names of one person: the same given name and a surname one keystroke apart in a long
    name (Papayiannis / Papagiannis), or written with and without its particle (LaRocca / Rocca)."""
    if len(a.words) < 2 or len(b.words) < 2:
        return None
    ga, gb, sa, sb = a.words[0], b.words[0], a.words[-1], b.words[-1]
    if len(a.words) == len(b.words) == 2 and fold(sa) == fold(sb) and _pulled_to(fold(ga), fold(gb), fold(sa)):
        return "weak"
    if fold(ga) != fold(gb) or len(fold(ga)) < 2:
        return None
    if fold(sa) == fold(sb):
        return None
    if glued_particle(sa, particles) == sb or glued_particle(sb, particles) == sa:
        return "strong"
    fa, fb = fold(sa), fold(sb)
    if (min(len(fa), len(fb)) >= 6 and DamerauLevenshtein.distance(fa, fb) <= 1 and not same_name(sa, sb)
            and not morph_variant(sa, sb, suffixes)):
        return "strong"
    return None


# British and American spellings of one word ("Organisation" / "Organization", "Centre" / "Center"):
# both right, never a finding.
_REGIONAL = re.compile(r"(?<=[a-z])(?:is(?=e|ed|es|ing|ation|ations)|ys(?=e|ed|ing)|our(?=s?$|ed|ite)|tre(?=s?$))")


def _regional(word: str) -> str:
    f = fold(word)
    return _REGIONAL.sub(lambda m: {"is": "iz", "ys": "yz", "our": "or", "tre": "ter"}[m.group()], f) if len(f) >= 6 else f


def other_variant(a: NameForm, b: NameForm, suffixes: tuple[str, ...]) -> Strength | None:
    """Two written forms of one place or organization."""
    if a.folded == b.folded or (a.raw_folded and a.raw_folded == b.raw_folded):
        # Spacing and case only ("Blue Stone" / "BlueStone", "El Rancho" / "Elrancho"), or the same
        # words with and without a legal-form suffix.
        return "strong" if a.folded and (len(a.folded) >= 5) else None
    if a.person or b.person:
        return None
    if len(a.words) == len(b.words) and all(_regional(x) == _regional(y) for x, y in zip(a.words, b.words)):
        return None
    if len(a.words) == len(b.words) and all(typo_variant(x, y, suffixes) for x, y in zip(a.words, b.words)):
        return "strong"
    if len(a.words) == 1 and len(b.words) == 1:
        if _swapped_initials(a.words[0], b.words[0]):
            return "derived"  # the order of two names is a slip a reader does not notice; one story still says so
        x, y = _acronym(a.words[0]), _acronym(b.words[0])
        if x and y and sorted(x) == sorted(y) and DamerauLevenshtein.distance(x, y) == 1:
            return "weak"
    pa, pb = a.parts, b.parts
    if len(pa) != len(pb):
        # A business's name of three words or more shortened by its last word ("Tarrow Islands Auto
        # Repair" / "Tarrow Island Auto"): the words both write are compared, and must differ.
        short, long_ = sorted((pa, pb), key=len)
        if len(long_) != len(short) + 1 or len(short) < 3 or a.person or b.person:
            return None
        pa, pb = short, long_[: len(short)]
    if len(pa) < 2:
        return None
    diff = [(x, y) for x, y in zip(pa, pb) if fold(x) != fold(y)]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    same = [p for p in pa if fold(p) not in (fold(x),)]
    if _derived_pair(x, y) and any(len(fold(p)) >= 6 for p in same):
        return "derived"
    # A plural on a name's last word is often a member against the body ("a Dakota Ranger" / "the
    # Dakota Rangers"); inside a name or a hyphenated word it is a slip. Inside a name of three words
    # or more, two of them written alike, the slip is as plain as a derived ending ("Tarrow Islands
    # Auto" / "Tarrow Island Auto"); in two words it could be two places (an island, the islands).
    if _plural_pair(x, y) and (fold(pa[-1]) == fold(pb[-1]) or "-" in a.words[-1]):
        return "derived" if len(pa) >= 3 and fold(pa[-1]) == fold(pb[-1]) else "weak"
    fx, fy = fold(x), fold(y)
    if min(len(fx), len(fy)) >= 4 and DamerauLevenshtein.distance(fx, fy) == 1 and not morph_variant(x, y, suffixes):
        return "weak"
    # Two letters slipped into one word of a longer name, the rest written alike ("Vela Marina" /
    # "Vetra Marina"): the shorter word is the longer one with letters left out, and the name's other
    # words are long enough to say which name is meant.
    if _letters_dropped(fx, fy) and any(len(fold(p)) >= 5 for p in same):
        return "weak"
    return None


def _letters_dropped(a: str, b: str, most: int = 2) -> bool:
    """One word is the other with one or two letters left out (same first letter, four letters or more)."""
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4 or not 0 < len(long_) - len(short) <= most or short[0] != long_[0]:
        return False
    it = iter(long_)
    return all(c in it for c in short)


def _pulled_to(a: str, b: str, other: str) -> bool:
    """One word of a two-word name typed with letters of the other word slipped into it, inside it (not
    an ending): "Dava Nalvra" / "Dalvra Nalvra". Two given names of one surname are often two people
    (Maria / Marina, Christa / Christina), so the slip must bring the word within a keystroke of the
    name's other word, as a typist's anticipation does."""
    short, long_ = sorted((a, b), key=len)
    if not _letters_dropped(short, long_) or long_.startswith(short) or long_[-1] != short[-1]:
        return False
    return DamerauLevenshtein.distance(long_, other) <= 1 < DamerauLevenshtein.distance(short, other)

