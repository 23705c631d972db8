"""Names of people, organizations and places, found by mechanism: capitalized runs, particles,
titles before a name, appositions after it, and in-article linking of surname-only mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import Article, NameFact, Sentence
from checker.translit import morph_variant, name_key, same_name

# A word: letters (any script's letters), inner hyphens/apostrophes, dotted initials/acronyms (U.S.), or
# acronyms joined by an ampersand (AT&T).
# (Letters joined by single hyphens/apostrophes are written as runs rather than one letter at a time
# with a lookahead: the same longest match, found faster.)
_WORD = fastre.lazy(r"(?:[A-Z]\.){2,}|[A-Z]{1,3}&[A-Z]{1,3}\b|[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?")


# The whitespace-delimited chunks of a sentence that may hold a capitalized token (one with ASCII A-Z
# or a non-ASCII character outside the Latin-1 symbols and the General Punctuation block, neither of
# which holds an uppercase letter; a test checks the class covers every character whose isupper() is
# true), each with the chunk one space before it. Matches start only at chunk starts (the lookbehind);
# the possessive quantifiers keep the search linear.
_CAP = "A-Z\u00c0-\u1fff\u2070-\U0010ffff"
_CAP_SPANS = fastre.lazy(r"(?<!\S)(?:\S++ )?[^\s%s]*+[%s]\S*+" % (_CAP, _CAP))
_INITIALS = fastre.lazy(r"(?:[A-Z]\.)+")
_PARTICLE_PREFIXED = fastre.lazy(r"([^\W\d_]+)-([^\W\d_])")
_HEADLINE_WORD = fastre.lazy(r"[^\W\d_][\w'’-]*")
_TITLE_WORD = fastre.lazy(r"[\w'’.-]+")
# The word (a _TITLE_WORD) that ends a text followed by one space, as group 1.
_LAST_WORD_SPACE = fastre.lazy(r"(?:.*[^\w'’.-])?([\w'’.-]+) \Z", re.DOTALL)
_PHRASE_WORD = fastre.lazy(r"[\w'’-]+")
_CLAUSE_VERB = fastre.lazy(r"[A-Z][\w'’-]+\s+[a-z]+(?:ed|s)\b")
_PRE_ROLE = fastre.lazy(r"\b(?:the|a|an)\s+([^,;()“”\"]{3,140}?),\s*$")
_LOWERCASE_WORD = fastre.lazy(r"\b[a-z][a-z'’-]*")


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int


@dataclass
class _Lex:
    particles: frozenset[str]
    hyphen_only: frozenset[str]
    surname_particles: frozenset[str]
    titles: frozenset[str]
    org_heads: frozenset[str]
    place_heads: frozenset[str]
    inner_place_heads: frozenset[str]
    stop: frozenset[str]
    stop_abbrev: frozenset[str]
    ranks: frozenset[str]
    connectors: frozenset[str]
    title_modifiers: frozenset[str]
    place_prepositions: frozenset[str]
    apposition_end: frozenset[str]
    not_roles: frozenset[str]
    adj_suffixes: tuple[str, ...] = field(default_factory=tuple)
    head_starters: frozenset[str] = frozenset()
    place_prefixes: frozenset[str] = frozenset()
    demonyms: frozenset[str] = frozenset()
    vessel_prefixes: frozenset[str] = frozenset()
    gender_titles: dict[str, str] = field(default_factory=dict)  # word -> "m" / "f"
    kin: dict[str, str] = field(default_factory=dict)  # word -> "m" / "f" / "n"
    pronouns: dict[str, str] = field(default_factory=dict)  # word -> "m" / "f"
    legal: frozenset[str] = frozenset()
    participles: frozenset[str] = frozenset()  # irregular verb forms ("known"): an apposition opening with one is a clause
    function_words: frozenset[str] = frozenset()  # words after such a verb form ("the", "as", "and")
    shapes: dict = field(default_factory=dict)  # _shape's answers (see _mentions)


@lru_cache(maxsize=4)
def _lex(lexicon: Lexicon) -> _Lex:
    low = lambda key: frozenset(str(w).lower() for w in lexicon.get(key, []) or [])  # noqa: E731
    return _Lex(
        particles=low("name_particles"),
        hyphen_only=low("name_hyphen_only_particles"),
        surname_particles=low("name_surname_particles"),
        titles=low("name_title_words"),
        org_heads=low("name_org_heads"),
        place_heads=low("name_place_heads"),
        inner_place_heads=low("name_inner_place_heads"),
        stop=low("name_stopwords"),
        stop_abbrev=low("name_stop_abbreviations"),
        ranks=low("role_ranks"),
        connectors=low("name_connectors"),
        title_modifiers=low("name_title_modifiers"),
        place_prepositions=low("name_place_prepositions"),
        apposition_end=low("name_apposition_end_words"),
        not_roles=low("name_apposition_not_roles"),
        adj_suffixes=tuple(sorted(low("name_adjective_suffixes"), key=len, reverse=True)),
        head_starters=low("name_head_starters"),
        place_prefixes=low("name_place_prefixes"),
        demonyms=low("name_demonyms"),
        vessel_prefixes=low("name_vessel_prefixes"),
        gender_titles=_by_class(lexicon.get("name_gender_titles")),
        kin=_by_class(lexicon.get("name_kin_words")),
        pronouns=_by_class(lexicon.get("name_pronouns")),
        legal=low("name_org_legal_suffixes"),
        participles=low("name_apposition_participles"),
        function_words=low("name_apposition_function_words"),
    )


def _by_class(table) -> dict[str, str]:
    """{class: [words]} as {word: class}."""
    return {str(w).lower(): str(k) for k, ws in (table or {}).items() for w in ws or []}


_name_key = lru_cache(maxsize=1 << 16)(name_key)  # pure; short forms are looked up against each full form
_same_name = lru_cache(maxsize=1 << 16)(same_name)  # pure; likewise


@lru_cache(maxsize=1 << 16)
def _bare(word: str) -> str:
    """A token without possessive ending or trailing period, lowercased."""
    w = word.rstrip(".")
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf):
            w = w[: -len(suf)]
            break
    return w.lower()


def _is_particle_prefixed(word: str, lx: _Lex) -> bool:
    """'al-Rahim', 'El-Sayed', 'ad-Din': a particle joined by a hyphen to a capitalized word."""
    if "-" not in word:
        return False
    m = _PARTICLE_PREFIXED.match(word)
    return bool(m and m.group(1).lower() in lx.particles and m.group(2).isupper())


def _is_cap(word: str, lx: _Lex) -> bool:
    if "-" not in word:  # the common case, without a regular expression
        return word[:1].isupper()
    if _is_particle_prefixed(word, lx):
        return True
    if not word[:1].isupper():
        return False
    # "Israeli-occupied", "Saudi-influenced": a compound with a lowercase part is an adjective.
    return not any(part[:1].islower() for part in word.split("-")[1:])


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s")) or (word.endswith(("'", "’")) and word[:-1][-1:].lower() == "s")


@dataclass
class _Run:
    toks: list[_Tok]
    sentence: Sentence
    at_sentence_start: bool


def _runs(sentence: Sentence, text: str, lx: _Lex) -> list[_Run]:
    """Maximal runs of capitalized words, with particles and connectors inside them."""
    # Only tokens that are capitalized or directly precede a capitalized token can start, continue or
    # join a run; every other token only ends one. Tokenizing just the chunks of _CAP_SPANS keeps all of
    # the former: a token never spans whitespace, so tokenizing from any chunk start yields the tokens of
    # the whole sentence, and a dropped token leaves a gap holding letters, which ends a run (and fails
    # every "== ' '" test) exactly where the dropped token itself would have.
    o = sentence.start
    toks = [
        _Tok(m.group(), m.start(), m.end())
        for span in _CAP_SPANS.finditer(sentence.text)
        for m in _WORD.finditer(text, o + span.start(), o + span.end())
    ]
    runs: list[_Run] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not _is_cap(t.text, lx) and not (
            t.text.lower() in lx.particles and i + 1 < len(toks) and _is_cap(toks[i + 1].text, lx)
            and text[t.end : toks[i + 1].start] == " " and t.text.lower() in lx.surname_particles
        ):
            i += 1
            continue
        run = [t]
        j = i + 1
        while j < len(toks):
            prev, nxt = toks[j - 1], toks[j]
            gap = text[prev.end : nxt.start]
            if gap not in (" ", "-") or _possessive(prev.text) or prev.text.endswith("."):
                # "U.S." and initials ("J.") may continue a run
                if not (gap == " " and prev.text.endswith(".") and _INITIALS.fullmatch(prev.text)):
                    break
            w = nxt.text
            if _is_cap(w, lx):
                run.append(nxt)
            elif ((w.lower() in lx.particles and w.lower() not in lx.hyphen_only) or w.lower() in lx.connectors) and j + 1 < len(toks) and _is_cap(
                toks[j + 1].text, lx
            ) and text[nxt.end : toks[j + 1].start] == " ":
                run.append(nxt)
            else:
                break
            j += 1
        start_of_sentence = text[sentence.start : run[0].start].strip(" \"'“‘(—-") == ""
        runs.append(_Run(run, sentence, start_of_sentence))
        i = j
    return runs


def _split_connectors(run: _Run, lx: _Lex) -> list[list[_Tok]]:
    """Connectors stay inside organization/place names; elsewhere they split the run. A name that
    follows an organization's head word starts a new mention ("... Brigades Karim Nasser")."""
    words = [_bare(t.text) for t in run.toks]
    # A compass word is a head at a name's end ("Ridgemont West"), a prefix before a word ("West Ridgemont").
    heads = [k for k, w in enumerate(words) if (w in lx.org_heads or w in lx.place_heads)
             and not (w in lx.place_prefixes and k < len(words) - 1 and (k == 0 or words[k - 1] in lx.connectors))]
    if heads:
        k = heads[-1]
        rest = words[k + 1 :]
        # Only an organization's head word ends a name that a person's may follow; words after a place's
        # head word go on naming a business there ("Harbour Point Auto Repair"). A head that opens the run
        # splits off only before a title: "Town Councilman Tobin Haile", not "Clinic Access Act".
        if (words[k] in lx.org_heads and (k > 0 or _is_title(rest[0] if rest else "", lx)) and len(rest) >= 2
                and not any(w in lx.connectors for w in rest) and rest[0] not in lx.connectors):
            head_part = _Run(run.toks[: k + 1], run.sentence, run.at_sentence_start)
            tail_part = _Run(run.toks[k + 1 :], run.sentence, False)
            return [*_split_connectors(head_part, lx), *_split_connectors(tail_part, lx)]
        return [run.toks]
    parts: list[list[_Tok]] = [[]]
    for t in run.toks:
        if t.text.lower() in lx.connectors and t.text.lower() not in lx.particles:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _stop(word: str, lx: _Lex) -> bool:
    """A stopword, unless written as an acronym ("US" is not "us")."""
    bare = word.rstrip(".")
    if word.endswith(".") and bare.lower() in lx.stop_abbrev:
        return True
    return _bare(word) in lx.stop and not (len(bare) > 1 and bare.isupper())


def _demonym(word: str, lx: _Lex) -> bool:
    """A nationality adjective or its plural noun ("Australian", "Australians")."""
    return word in lx.demonyms or (word.endswith("s") and word[:-1] in lx.demonyms)


def _is_title(word: str, lx: _Lex) -> bool:
    """A title word, or title words joined by hyphens ("Attorney-General")."""
    return word in lx.titles or ("-" in word and all(p in lx.titles for p in word.split("-")))


def _headline(sentence: Sentence) -> bool:
    """Title Case lines (headlines, section heads) carry capitals that are not names."""
    return headline_text(sentence.text)


def headline_text(text: str) -> bool:
    """A sentence's text in Title Case: no final full stop, at least three words of four letters or more,
    70% of them capitalized."""
    if text.rstrip().endswith((".", '."', ".”")):
        return False
    words = [w for w in _HEADLINE_WORD.findall(text) if len(w) > 3]
    if len(words) < 3:
        return False
    return sum(w[:1].isupper() for w in words) / len(words) >= 0.7


def _classify(words: list[str], lx: _Lex) -> str:
    if any(w in lx.org_heads for w in words[1:]) or (words and words[-1] in lx.org_heads):
        return "org"
    if len(words) > 1 and "-" in words[-1] and any(p in lx.org_heads for p in words[-1].split("-")):
        return "org"  # "Dorvan Times-Courier"
    if len(words) > 1 and words[-1] in lx.legal:
        return "org"  # "Dorvan Shipping Co"
    if words and words[-1] in lx.place_heads:
        return "place"
    if len(words) > 1 and words[0] in lx.place_prefixes:
        return "place"  # "New Harlow", "New Tarrow": nobody's given name
    if len(words) == 2 and (words[0] in lx.demonyms or _demonym(words[1], lx)):
        return "org"  # "Bavarian Alps", "Coptic Orthodox": a nationality or faith names no one
    # "University of X", "Gulf of X": a head word governing an "of" phrase names the whole.
    for w, nxt in zip(words, words[1:]):
        if nxt in lx.connectors and w in lx.org_heads:
            return "org"
        if nxt in lx.connectors and w in lx.place_heads:
            return "place"
    if len(words) > 2 and any(w in lx.inner_place_heads for w in words[1:-1]):
        return "org"  # "Tarrow Islands Auto Repair": a business named after a place, no one's name
    return "person"


@dataclass
class _Mention:
    toks: list[_Tok]
    sentence: Sentence
    etype: str
    title: tuple[int, int] | None
    at_start: bool

    @property
    def start(self) -> int:
        return self.toks[0].start

    @cached_property
    def end(self) -> int:
        last = self.toks[-1]
        return last.start + len(_strip_possessive(last.text))


@lru_cache(maxsize=1 << 16)
def _strip_possessive(word: str) -> str:
    """A token without its possessive ending or a final period that ends no initials (pure: cached,
    asked of every short form against every surname of its article)."""
    for suf in ("'s", "’s"):
        if word.endswith(suf):
            return word[: -len(suf)]
    if word.endswith(("'", "’")):
        return word[:-1]
    if word.endswith(".") and not _INITIALS.fullmatch(word):
        return word[:-1]
    return word


def _mentions(sentence: Sentence, text: str, lx: _Lex) -> list[_Mention]:
    out: list[_Mention] = []
    shapes_of = lx.shapes
    for run in _runs(sentence, text, lx):
        toks = run.toks
        key = (tuple(t.text for t in toks), run.at_sentence_start)
        shapes = shapes_of.get(key)
        if shapes is None:
            if len(shapes_of) >= _SHAPES_MAX:
                shapes_of.clear()
            shapes = shapes_of[key] = _shape(key[0], run.at_sentence_start, lx)
        for a, b, title, etype, at_start in shapes:
            # what the words alone decide came from _shape; here, what the text around them adds: a title
            # written in lowercase before the name (or before its capitalized title)
            if title is not None:
                title_span = (toks[title[0]].start, toks[title[1]].end)
                # "Grand mufti Sheikh": a lowercase title word before the capitalized one.
                longer = _lowercase_title(text, sentence, toks[title[0]].start, lx)
                if longer:
                    title_span = (longer[0], title_span[1])
                etype_hint: str | None = "person"
            else:
                etype_hint = None
                title_span = _lowercase_title(text, sentence, toks[a].start, lx)
                if title_span and etype == "person":
                    etype_hint = "person"
            out.append(_Mention(toks[a:b], sentence, etype, title_span, at_start and etype_hint is None))
    return out


# _shape's answers kept per lexicon, at most this many (then forgotten all at once)
_SHAPES_MAX = 1 << 16


def _shape(texts: tuple[str, ...], at_sentence_start: bool, lx: _Lex) -> tuple[tuple[int, int, tuple[int, int] | None, str, bool], ...]:
    """What the words of a run decide about the mentions in it, the same wherever the run is written
    (so _mentions asks once per run of words and lexicon): each mention as the range [a, b) of the run's
    tokens it keeps, the range of its capitalized title (first, last token) if it has one, its type,
    and whether it opens the run at a sentence's start."""
    run = _Run([_Tok(w, i, i) for i, w in enumerate(texts)], None, at_sentence_start)  # type: ignore[arg-type]
    out: list[tuple[int, int, tuple[int, int] | None, str, bool]] = []
    if len(run.toks) == 1 and _stop(run.toks[0].text, lx) and not _is_particle_prefixed(run.toks[0].text, lx):
        # The commonest run, a lone capitalized stopword ("The", "He"): whatever the steps below
        # make of it (a bare title, a connector), its leading-stopword step leaves nothing.
        return ()
    for part in _split_connectors(run, lx):
        words = [_bare(t.text) for t in part]
        # Title words: everything up to the last title word is the title ("Grand Mufti Sheikh").
        # ("MS Norholm" is a ship, not "Ms.")
        last_title = max((k for k, w in enumerate(words) if _is_title(w, lx)
                          and not (w in lx.vessel_prefixes and len(w) > 1 and part[k].text.isupper())), default=-1)
        title = None
        etype_hint = None
        k0 = part[0].start  # the part's first token, as an index into the run
        if (last_title < 0 and k0 >= 2 and texts[k0 - 1].lower() == "of" and _is_title(_bare(texts[k0 - 2]), lx)
                and (len(part) >= 3 or (len(part) == 2 and _stop(part[0].text, lx)))
                and _classify(words[1:], lx) == "person"):
            # "Secretary of State Alma Rusk", "Chief of Staff Tobin Vell", "Minister of Defence Pavel Dorn": the
            # word after "of" completes the title before it; the name is what follows
            first = k0 - 2
            while first >= 1 and _is_title(_bare(texts[first - 1]), lx):
                first -= 1
            title = (first, k0)
            part, words = part[1:], words[1:]
            etype_hint = "person"
        elif 0 <= last_title < len(part) - 1 and _classify(words[last_title + 1 :], lx) == "person":
            title = (part[0].start, part[last_title].start)
            part, words = part[last_title + 1 :], words[last_title + 1 :]
            etype_hint = "person"
            if (words[0] == "of" and (len(part) >= 4 or (len(part) == 3 and _stop(part[1].text, lx)))
                    and _classify(words[2:], lx) == "person"):
                # "Secretary of State Alma Rusk", "White House Chief of Staff Tobin Vell": likewise
                title = (title[0], part[1].start)
                part, words = part[2:], words[2:]
        elif last_title == len(part) - 1 and (_classify(words, lx) == "person" or (
                words[0] != "new" and (words[0] in lx.place_prefixes or words[0] in lx.demonyms)
                and _classify(words[1:], lx) == "person")):
            continue  # a bare title ("Grand Mufti", "U.S. Marshal", "Danish Ambassador") names no one
        # Leading stopwords (sentence-start words, weekdays, adjectives) are not part of a name, except
        # the first word of a place name ("New York") and the adjectives that begin the name of an
        # organization or place ending in its head word ("Supreme Court", "International Maritime Bureau").
        headed = bool(words) and (words[-1] in lx.org_heads or words[-1] in lx.place_heads)
        while part and _stop(part[0].text, lx) and not _is_particle_prefixed(part[0].text, lx):
            if len(part) > 1 and (words[0] in lx.place_prefixes or (headed and all(
                    w in lx.head_starters for w in words[: next((k for k, w in enumerate(words) if not _stop(part[k].text, lx)), len(words))]))):
                break
            part, words = part[1:], words[1:]
        # A sentence-initial verb or adverb form ("Providing Varnland ...") is not part of a name.
        if (
            part and len(part) > 1 and part[0].start == run.toks[0].start and run.at_sentence_start
            and words[0].endswith(("ing", "ly"))
        ):
            part, words = part[1:], words[1:]
        # Runs of capitals-only words are credits or shouting ("HANDOUT VIA REUTERS"), not names.
        if len(part) > 1 and all(t.text.isupper() for t in part) and sum(len(t.text) > 1 for t in part) >= 2:
            continue
        # Trailing stopwords likewise ("Varnland Monday"), but not an organization's head ("Dorset Police").
        while part and _stop(part[-1].text, lx) and not (len(part) > 1 and words[-1] in lx.org_heads):
            part, words = part[:-1], words[:-1]
        if not part:
            continue
        if all(w in lx.particles or w in lx.connectors for w in words):
            continue
        if len(part) == 1 and len(words[0]) < 2:
            continue
        if len(part) == 1 and "-" in words[0] and _demonym(words[0].rsplit("-", 1)[1], lx):
            continue  # "Fijian-Belgians": people of a nationality, no name
        # A nationality before a longer name is no part of it ("Norwegian Anna Berg"), unless the
        # name ends in an organization's or place's head ("Danish Shipping Authority").
        if len(part) > 2 and words[0] in lx.demonyms and not any(
                w in lx.org_heads or w in lx.place_heads or w in lx.legal for w in words):
            part, words = part[1:], words[1:]
        etype = etype_hint or _classify(words, lx)
        if etype == "person" and len(part) > 1 and (
            (words[0] in lx.vessel_prefixes and (part[0].text.isupper() or len(words[0]) > 3))
            # an acronym of three capitals or more before a name: "KXTV Sacramento", "NPC Dorval"
            or (len(words[0]) > 2 and part[0].text.isalpha() and part[0].text.isupper() and not part[1].text.isupper())
        ):
            etype = "org"  # "MV Norholm", "Warship Norholm": a ship
        at_start = part[0].start == run.toks[0].start and run.at_sentence_start
        out.append((part[0].start, part[-1].start + 1, title, etype, at_start))
    return tuple(out)


def _lowercase_title(text: str, sentence: Sentence, start: int, lx: _Lex) -> tuple[int, int] | None:
    """A title written before a name in lowercase ("party deputy leader Omar al-Rahim")."""
    # Fast rejection: a title needs the text before the name to end in a title word and one space.
    if start - 2 < sentence.start or text[start - 1] != " " or not _TITLE_WORD.match(text, start - 2, start - 1):
        return None
    lm = _LAST_WORD_SPACE.match(text, sentence.start, start)
    if lm is None or _bare(lm.group(1)) not in lx.titles:
        return None
    words = list(_TITLE_WORD.finditer(text[sentence.start : start]))
    k = len(words) - 1
    last = words[k]
    first = k
    while first - 1 >= 0 and len(words) - first < 6:
        w = words[first - 1].group()
        b = _bare(w)
        if b in lx.titles or (w[:1].isupper() and b not in lx.stop) or b in lx.title_modifiers:
            first -= 1
        else:
            break
    # "the" is not part of a title's start.
    while first < k and _bare(words[first].group()) in ("the", "a", "an", "of"):
        first += 1
    return (sentence.start + words[first].start(), sentence.start + last.end())


@lru_cache(maxsize=4)
def _apposition_pattern(end_words: frozenset[str]) -> re.Pattern[str]:
    ends = "".join(f"| {re.escape(w)}\\b" for w in sorted(end_words))
    return fastre.lazy(r",\s+(?:(?:who|which)\s+(?:is|was|are)\s+)?((?:the\s+|a\s+|an\s+)?[^,;.()]{3,120}?)(?=,|;|\.|\)|$" + ends + ")")


@lru_cache(maxsize=4)
def _titled_name_pattern(titles: frozenset[str]) -> re.Pattern[str]:
    return fastre.lazy(r"\b(?:%s)\s+[A-Z]" % "|".join(map(re.escape, sorted(titles))), re.IGNORECASE)


def _apposition(text: str, m: _Mention, lx: _Lex) -> tuple[int, int] | None:
    """", the head of Varnland's Policy Council ..." after a person's name."""
    match = _apposition_pattern(lx.apposition_end).match(text, m.end, m.sentence.end)
    if not match:
        return None
    phrase = match.group(1)
    words = [_bare(w) for w in _PHRASE_WORD.findall(phrase)]
    # Only a role: the phrase must hold a title word near its start.
    if not any(w in lx.titles for w in words[:6]):
        return None
    # ", Party Deputy Chief Rahim referred ..." is a new clause with a titled name, not an apposition.
    if _titled_name_pattern(lx.titles).search(phrase) and _CLAUSE_VERB.search(phrase):
        return None
    if words and words[0] in lx.not_roles:
        return None
    if _clause_start(words, lx):
        return None
    # "Rhea Haile, Deputy Sgt. Tobin Vell and ...": cut at an abbreviation that a name follows, the phrase is
    # the title of the next name of a list, not this one's
    if words and words[-1] in lx.titles and re.match(r"\.?\s+[A-Z][\w'’-]", text[match.end(1) : m.sentence.end]):
        return None
    return (match.start(1), match.end(1))


def _clause_start(words: list[str], lx: _Lex) -> bool:
    """An apposition that opens like a clause, not a noun phrase: a verb form (-ed, -ing, or one of
    name_apposition_participles) followed by a function word
    ("resigned and its chairman", "echoing the president", "long known as the bishop of ..."), after at
    most one other word. Title words ("king of ...") are no verb forms."""
    for k in range(min(2, len(words) - 1)):
        w = words[k]
        if w in lx.titles:
            return False
        if (w.endswith(("ed", "ing")) or w in lx.participles) and words[k + 1] in lx.function_words:
            return True
    return False


def _rank(title: str, lx: _Lex) -> str | None:
    """The last rank word of a title ("Iraqi President" -> president), if any."""
    ranks = [w for w in (_bare(x) for x in title.split()) if w in lx.ranks]
    return ranks[-1] if ranks else None


def _pre_apposition(text: str, m: _Mention, lx: _Lex) -> tuple[int, int] | None:
    """"the head of the country's Policy Council and former foreign minister, Idris Darvel": a role
    written before the name and joined to it by a comma."""
    before = text[m.sentence.start : m.start]
    match = _PRE_ROLE.search(before)
    if not match:
        return None
    words = [_bare(w) for w in _PHRASE_WORD.findall(match.group(1))]
    if not words or words[0] not in lx.titles and not (len(words) > 1 and words[1] in lx.titles):
        return None
    # "..., Haile said": a name the role phrase is joined to stands alone, followed by punctuation (or an age),
    # not by a verb, which makes it the subject of an attribution after a clause ("he was fired as a
    # general accountant at the firm and bought a rifle, Haile said")
    if not _APPOSED_END.match(text, m.end, m.sentence.end):
        return None
    start = m.sentence.start + match.start(1)
    return (start, start + len(match.group(1)))


# After a name set off by commas: punctuation, a dash or the sentence's end (a possessive or an age may come first)
_APPOSED_END = re.compile(r"(?:['’]s?)?(?:,?\s*\(?\d{1,3}\)?)?\s*(?:[,;:)\]–—-]|[.!?](?:\s|$)|$)")


@lru_cache(maxsize=4)
def _particle_prefix(particles: frozenset[str]) -> re.Pattern[str]:
    return fastre.lazy(r"^(?:%s)-" % "|".join(map(re.escape, sorted(particles, key=len, reverse=True))), re.IGNORECASE)


def _surname_core(words: list[str], lx: _Lex) -> str:
    """The last word of a name that is not a particle, without a hyphenated particle ("al-Rahim" -> Rahim)."""
    prefix = _particle_prefix(lx.particles)
    for w in reversed(words):
        core = prefix.sub("", w)
        if core.lower() not in lx.particles:
            return core
    return words[-1]


def extract_names(article: Article, sentences: tuple[Sentence, ...], lexicon: Lexicon) -> list[NameFact]:
    """Name mentions of one article, with in-article links from short forms to the fullest form."""
    lx = _lex(lexicon)
    text = article.text
    mentions: list[_Mention] = []
    for s in sentences:
        if not _headline(s):
            mentions.extend(_mentions(s, text, lx))
    # A single word seen only at sentence starts is a capitalized common word, not a name.
    mid_sentence = {_bare(t.text) for m in mentions if not m.at_start or len(m.toks) > 1 for t in m.toks}
    # ... unless it is (a spelling of) the surname of a person the article names in full, and the
    # article never writes it in lowercase ("Hale lived nearby" in a report about "Tobin Haile").
    surnames = {
        m.toks[-1].text for m in mentions
        if m.etype == "person" and len(m.toks) >= 2 and _bare(m.toks[0].text) not in lx.surname_particles
    }
    lowercase_words: set[str] | None = None  # the article's lowercase words, read only when needed

    def written_lowercase(word: str) -> bool:
        nonlocal lowercase_words
        if lowercase_words is None:
            lowercase_words = set(_LOWERCASE_WORD.findall(text))
        return word in lowercase_words

    kept = [
        m
        for m in mentions
        if not (
            len(m.toks) == 1 and m.at_start and _bare(m.toks[0].text) not in mid_sentence
            and not _is_particle_prefixed(m.toks[0].text, lx)
            and not (
                not written_lowercase(_bare(m.toks[0].text))
                and any(_same_name(_strip_possessive(m.toks[0].text), _strip_possessive(sn)) for sn in surnames)
            )
        )
    ]

    kept = _retype(kept, text, surnames, lx, written_lowercase)
    surfaces = [text[m.start : m.end] for m in kept]
    # The full forms: person names of two or more words (not just "Abu X").
    full_forms: list[tuple[str, list[str]]] = []
    positions: dict[str, list[int]] = {}
    full_rank: dict[str, str | None] = {}
    for m, surf in zip(kept, surfaces):
        words = surf.split()
        if m.etype == "person" and len(words) >= 2 and words[0].lower() not in lx.surname_particles:
            if surf not in positions:
                full_forms.append((surf, words))
            positions.setdefault(surf, []).append(m.start)
            if m.title and surf not in full_rank:
                full_rank[surf] = _rank(text[m.title[0] : m.title[1]], lx)
    cores = {f: _surname_core(words, lx) for f, words in full_forms}  # each full form's surname, once
    people = _people(kept, surfaces, full_forms, cores, text, lx)
    # the full forms by their surname's key, in order: a short form without a rank looks its key up
    # here instead of keying every full form again
    by_key: dict[str, list[str]] = {}
    for f, _ in full_forms:
        by_key.setdefault(_name_key(cores[f]), []).append(f)
    near_memo: dict[tuple[str, bool], list[str]] = {}
    facts = []
    for m, surf in zip(kept, surfaces):
        full = surf
        etype = m.etype
        words = surf.split()
        if surf in people and m.etype == "person":
            people[surf].seen(m)
        if len(words) == 1 or words[0].lower() in lx.surname_particles or (
            len(words) == 2 and words[0].lower() in lx.particles
        ):
            core = _surname_core(words, lx)
            if len(words) == 1 and (words[0].lower() in lx.org_heads or words[0].lower() in lx.place_heads):
                core = ""  # "Navy", "Council": a common noun, never someone's surname
            # "King Hussein" is not "Saddam Hussein": a short form with a rank links only to a full name
            # the article gives that rank.
            rank = _rank(text[m.title[0] : m.title[1]], lx) if m.title else None
            candidates = [(f, w) for f, w in full_forms if full_rank.get(f) == rank] if rank else full_forms
            link = core and _link(core, candidates, lx, _is_particle_prefixed(words[-1], lx) or m.title is not None,
                                  positions, m, cores, people, text, None if rank else by_key,
                                  None if rank else near_memo)
            if link:
                full, etype = link, "person"
                if link in people:
                    people[link].seen(m, _evidence(text, m, lx)[1])
            elif link == "" and core:
                etype = "person"  # a surname of several people named in full: which one is not known
            elif len(words) == 1 and m.title is None:
                etype = _single_type(m, text, lx)
        apos = _apposition(text, m, lx) if etype == "person" else None
        if apos is None and etype == "person":
            apos = _pre_apposition(text, m, lx)
        title = text[m.title[0] : m.title[1]] if m.title else None
        facts.append(
            NameFact(
                article=article.id,
                text=surf,
                start=m.start,
                end=m.end,
                line=m.sentence.line + text.count("\n", m.sentence.start, m.start),
                sentence=m.sentence.text,
                sentence_index=m.sentence.index,
                value=full,
                etype=etype,  # type: ignore[arg-type]
                full=full,
                title=title,
                title_span=m.title,
                apposition=text[apos[0] : apos[1]] if apos else None,
                apposition_span=apos,
            )
        )
    return facts


# After a name: what is said of people only (", 54,", ", who", "said", "he").
_PERSON_AFTER = fastre.lazy(r"(?:['’]s?)?(?:,\s+(?:\d{1,3}|who)\b|\s+\(\d{1,3}\)|\s+(?:said|says|told|tells|added|testified|he|she)\b)")
_THE_BEFORE = fastre.lazy(r"(?:^|[^\w'’-])(?:the|an?|(in))\s$", re.IGNORECASE)


def _retype(mentions: list[_Mention], text: str, surnames: set[str], lx: _Lex,
            written_lowercase: Callable[[str], bool]) -> list[_Mention]:
    """Types that need the whole article. A nationality before a surname the article gives in full is
    no part of the name ("Chilean Rojas" beside "Pablo Rojas"). A name of two words or more that
    the article writes after "the" ("the Dorvan Brotherhood") and never with a title, an age, a
    speech verb, "who" or a pronoun after it, nor shortened to its last word, is no person's; after "a"
    ("a Dorvan Fresh store") likewise, and a place's after "in" ("in Birch Hollow"); so is one whose
    every word the article also writes in lowercase ("Bike Rental" beside "rental", "bike"). A common
    word the article writes in lowercase is no part of a longer name at a sentence's start
    ("Polygamist Tobin Haile" beside "a polygamist").
    """
    out = []
    fulls: set[str] | None = None
    for m in mentions:
        if (
            m.etype == "person" and len(m.toks) >= 3 and m.at_start and m.title is None
            and _bare(m.toks[0].text) not in lx.particles and _bare(m.toks[0].text) not in lx.place_prefixes
            and written_lowercase(_bare(m.toks[0].text))
        ):
            if fulls is None:
                fulls = {text[x.start : x.end] for x in mentions if x.etype == "person" and not x.at_start}
            if text[m.toks[1].start : m.end] in fulls:  # the rest is a name the article gives elsewhere
                m = _Mention(m.toks[1:], m.sentence, "person", m.title, False)
        if (
            m.etype == "org" and len(m.toks) == 2 and _bare(m.toks[0].text) in lx.demonyms
            and _bare(m.toks[1].text) not in lx.demonyms
            and _bare(m.toks[1].text) not in lx.org_heads and _bare(m.toks[1].text) not in lx.place_heads
            and any(_same_name(_strip_possessive(m.toks[1].text), _strip_possessive(sn)) for sn in surnames)
        ):
            m = _Mention(m.toks[1:], m.sentence, "person", m.title, False)
        out.append(m)
    after_the: dict[str, str] = {}  # the type an article word before the name gives it
    person_like: set[str] = set()
    # Surnames used alone, except after a locative preposition ("flew to Fenwick").
    singles = {_bare(m.toks[0].text) for m in out if len(m.toks) == 1
               and _bare(text[m.sentence.start : m.start].rsplit(None, 1)[-1] if text[m.sentence.start : m.start].strip() else "")
               not in lx.place_prepositions}
    for m in out:
        if m.etype != "person" or len(m.toks) < 2:
            continue
        surf = text[m.start : m.end]
        mb = _THE_BEFORE.search(text, max(m.sentence.start, m.start - 5), m.start)
        if m.title or _bare(m.toks[-1].text) in singles or (not mb and _PERSON_AFTER.match(text, m.end, m.sentence.end)):
            person_like.add(surf)
        elif mb and after_the.get(surf) != "org":
            after_the[surf] = "place" if mb.group(1) else "org"
        elif all(written_lowercase(_bare(t.text)) for t in m.toks) and _common_words(text, [_bare(t.text) for t in m.toks]):
            after_the[surf] = "org"
    if after_the.keys() - person_like:
        out = [
            _Mention(m.toks, m.sentence, after_the[text[m.start : m.end]], m.title, m.at_start)
            if m.etype == "person" and text[m.start : m.end] in after_the and text[m.start : m.end] not in person_like else m
            for m in out
        ]
    return out


def _common_words(text: str, words: list[str]) -> bool:
    """Each word of a name also written in lowercase apart from the others ("a bike shop", "rentals
    went on"), not only as the whole name in lowercase ("tobin haile, reporting")."""
    together = len(re.findall(r"(?<![\w'’-])" + r"\s+".join(map(re.escape, words)) + r"(?![\w'’-])", text))
    return all(len(re.findall(r"(?<![\w'’-])" + re.escape(w) + r"(?![\w'’-])", text)) > together for w in words)


def _single_type(m: _Mention, text: str, lx: _Lex) -> str:
    """A lone capitalized word: a place after a locative preposition, else an organization-or-other."""
    before = text[m.sentence.start : m.start].split()
    if before and before[-1].lower() in lx.place_prepositions:
        return "place"
    return "org"


def _link(core: str, full_forms: list[tuple[str, list[str]]], lx: _Lex, allow_suffix: bool,
          positions: dict[str, list[int]], m: _Mention, cores: dict[str, str], people: dict[str, "_Person"],
          text: str, by_key: dict[str, list[str]] | None = None, near_memo: dict | None = None) -> str | None:
    """The in-article full name whose surname this short form is (exact first, then transliteration);
    "" when several people of the article bear it and which one is meant is not known. `by_key`: the
    full forms by their surname's key (_name_key), in order, and `near_memo` the transliteration
    matches found so far, when `full_forms` are all of the article's."""
    key = _name_key(core)
    if by_key is not None:
        exact = list(by_key.get(key, ()))
    else:
        exact = [f for f, _ in full_forms if _name_key(cores[f]) == key]
    if len(set(exact)) == 1:
        return exact[0]
    if exact:
        persons = list(dict.fromkeys(people[f] for f in exact if f in people))
        if len(persons) > 1:
            who = _choose(persons, m, text, lx)
            if who is None:
                return ""
            exact = [f for f in exact if people.get(f) is who]
        # One person written several ways ("Tobin Haile", "Tobin R. Haile"): the form named last before it.
        before = [(max((p for p in positions.get(f, []) if p < m.start), default=-1), f) for f in exact]
        latest = max(before)
        return latest[1] if latest[0] >= 0 else exact[0]
    if near_memo is not None:
        # with all the full forms, the transliteration match depends on the surname and allow_suffix
        # only: kept for the article's next short form of that surname
        near = near_memo.get((core, allow_suffix))
        if near is None:
            near = near_memo[(core, allow_suffix)] = _near(core, full_forms, cores, allow_suffix, lx)
    else:
        near = _near(core, full_forms, cores, allow_suffix, lx)
    if len(set(near)) == 1:
        return near[0]
    return None


def _near(core: str, full_forms: list[tuple[str, list[str]]], cores: dict[str, str], allow_suffix: bool, lx: _Lex) -> list[str]:
    """The full forms whose surname is a spelling of `core` (transliteration, not a derived form
    unless allow_suffix)."""
    return [
        f
        for f, words in full_forms
        if _same_name(cores[f], core)
        and (allow_suffix or not morph_variant(cores[f], core, lx.adj_suffixes))
    ]


# ----------------------------------------------------------------------------------------------
# people of one surname


@dataclass(eq=False)
class _Person:
    """One person among several of one surname an article names in full, with what the article says
    of them: gender (from titles, kin words, pronouns; None when unknown or contradictory), whether every
    full mention presents them as someone's kin, and where they were last referred to."""

    first: int
    gender: str | None = None
    genders: set[str] = field(default_factory=set)
    relative: bool = True
    last_at: int = -1
    last_sentence: int = -10

    def seen(self, m: _Mention, genders: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        if m.start > self.last_at:
            self.last_at, self.last_sentence = m.start, m.sentence.index
        if genders - self.genders:
            self.genders |= genders
            self.gender = next(iter(self.genders)) if len(self.genders) == 1 else None


# After a name, up to where its own clause ends: a pronoun there is (likely) its own ("Rhea Haile, who
# lost her job, ..."), one after a speech verb or another name may be anyone's.
_CLAUSE_END = fastre.lazy(r"\b(?:said|says|told|tells|that|according|asked|added)\b|[;:.!?“”\"]|\s[A-Z]")
_WORDS = fastre.lazy(r"[\w’'-]+")


def _kin_before(text: str, m: _Mention, lx: _Lex) -> tuple[bool, str | None]:
    """("his sister, Rhea Haile": kin, female), ("sons of Tobin Haile": kin, gender unknown)."""
    words = _WORDS.findall(text[max(m.sentence.start, m.start - 40) : m.start])
    if not words:
        return False, None
    last = _bare(words[-1])
    if last in lx.kin and re.search(r"[\w’'-]\s*,?\s*$", text[max(m.sentence.start, m.start - 3) : m.start]):
        g = lx.kin[last]
        return True, g if g in ("m", "f") else None
    if last == "of" and len(words) > 1 and _bare(words[-2]) in lx.kin:
        return True, None
    return False, None


@lru_cache(maxsize=4)
def _kin_after_pattern(kin: frozenset[str]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(kin, key=len, reverse=True)))
    return fastre.lazy(r",\s+(?:(?:his|her|their|the|a)\s+)?(?:[\w.-]+(?:'s|’s|')?\s+)?(%s)\b" % words, re.IGNORECASE)


@lru_cache(maxsize=4)
def _possessive_kin_pattern(kin: frozenset[str]) -> re.Pattern[str]:
    words = "|".join(map(re.escape, sorted(kin, key=len, reverse=True)))
    return fastre.lazy(r"\b(?:his|her)\s+(?:[\w-]+\s+)?(?:%s)\b" % words, re.IGNORECASE)


def _pronoun_gender(text: str, m: _Mention, lx: _Lex) -> str | None:
    end = min(m.sentence.end, m.end + 120)
    stop = _CLAUSE_END.search(text, m.end, end)
    for w in _WORDS.findall(text[m.end : stop.start() if stop else end]):
        g = lx.pronouns.get(w.lower())
        if g:
            return g
    return None


def _evidence(text: str, m: _Mention, lx: _Lex) -> tuple[bool, set[str]]:
    """Whether a mention presents its person as someone's kin, and the genders it gives them."""
    genders: set[str] = set()
    if m.title:
        genders.update(g for w in _WORDS.findall(text[m.title[0] : m.title[1]]) if (g := lx.gender_titles.get(_bare(w))))
    relative, g = _kin_before(text, m, lx)
    if g:
        genders.add(g)
    after = _kin_after_pattern(frozenset(lx.kin)).match(text, m.end, m.sentence.end)
    if after:
        relative = True
        if lx.kin[after.group(1).lower()] in ("m", "f"):
            genders.add(lx.kin[after.group(1).lower()])
    p = _pronoun_gender(text, m, lx)
    if p:
        genders.add(p)
    return relative, genders


def _people(kept: list[_Mention], surfaces: list[str], full_forms: list[tuple[str, list[str]]],
            cores: dict[str, str], text: str, lx: _Lex) -> dict[str, _Person]:
    """For each surname the article gives several people in full, each full form's person."""
    by_core: dict[str, list[tuple[str, list[str]]]] = {}
    for f, words in full_forms:
        by_core.setdefault(_name_key(cores[f]), []).append((f, words))
    out: dict[str, _Person] = {}
    for key, forms in by_core.items():
        if len(forms) < 2:
            continue
        # Forms of one person: a shared given or middle name, or an initial of one ("T. Haile").
        groups: list[list[tuple[str, list[str]]]] = []
        for f, words in forms:
            given = {_name_key(w) for w in words[:-1] if len(w.rstrip(".")) > 1}
            initials = {w[0].lower() for w in words[:-1]}
            for g in groups:
                if any(given & {_name_key(x) for x in w[:-1] if len(x.rstrip(".")) > 1}
                       or (not given and w[0][0].lower() in initials) or
                       (not {_name_key(x) for x in w[:-1] if len(x.rstrip(".")) > 1} and words[0][0].lower() == w[0][0].lower())
                       for _, w in g):
                    g.append((f, words))
                    break
            else:
                groups.append([(f, words)])
        if len(groups) < 2:
            continue
        for g in groups:
            person = _Person(first=-1)
            for f, _ in g:
                out[f] = person
    if not out:
        return out
    # What each full mention says of its person, in order.
    previous: dict[int, tuple[_Mention, bool]] = {}  # per sentence: the last full mention, and whether kin
    same_in_sentence: dict[tuple[int, str], int] = {}
    for m, surf in zip(kept, surfaces):
        if m.etype == "person":
            k = (m.sentence.index, _name_key(_surname_core(surf.split(), lx)))
            same_in_sentence[k] = same_in_sentence.get(k, 0) + 1
    for m, surf in zip(kept, surfaces):
        person = out.get(surf) if m.etype == "person" else None
        if person is None:
            continue
        if person.first < 0:
            person.first = m.start
        relative, genders = _evidence(text, m, lx)
        prev = previous.get(m.sentence.index)
        if not relative and prev and prev[1] and re.fullmatch(r"(?:,[^,;]{1,60},)?\s*(?:,|and|or)\s*", text[prev[0].end : m.start]):
            relative = True  # "sons of Tobin Haile, a baker, and Rhea Haile"
        if not relative and same_in_sentence.get((m.sentence.index, _name_key(cores[surf])), 0) == 1 and \
                _possessive_kin_pattern(frozenset(lx.kin)).search(text, m.end, m.sentence.end):
            relative = True  # "Rhea Haile ... said of her brother": kin of the other bearer of the name
        previous[m.sentence.index] = (m, relative)
        person.relative = person.relative and relative
        person.genders |= genders
    for person in set(out.values()):
        person.gender = next(iter(person.genders)) if len(person.genders) == 1 else None
    return out


def _choose(persons: list[_Person], m: _Mention, text: str, lx: _Lex) -> _Person | None:
    """Which of several people of one surname a short form ("Haile", "Mr. Haile") means, or None.

    The person the article introduces first is its subject, and the surname alone keeps meaning them;
    another bearer named in full in this sentence or the two before, and not as someone's kin, may be
    meant instead: them when the subject was not referred to that recently, else no one (a wrong guess
    would make two people one). Gender evidence (Mr./Ms., a pronoun in the short form's own clause,
    against titles, kin words and pronouns at the full names) rules people out first."""
    _, genders = _evidence(text, m, lx)
    g = next(iter(genders)) if len(genders) == 1 else None
    fits = [p for p in persons if g is None or p.gender is None or p.gender == g]
    if len(fits) <= 1:
        return fits[0] if fits else None
    principal = min(persons, key=lambda p: p.first)
    now = m.sentence.index

    def recent(p: _Person) -> bool:
        return 0 <= p.last_at < m.start and p.last_sentence >= now - 2

    latest = max((p for p in fits if 0 <= p.last_at < m.start), key=lambda p: p.last_at, default=None)
    matching = [p for p in fits if g is not None and p.gender == g]
    if len(matching) == 1 and principal.gender != g:
        # "Ms. Haile" after "his sister, Rhea Haile": the one person known to fit, when the subject is
        # ruled out, or when she was referred to last and lately.
        if principal not in fits:
            return matching[0]
        if latest is matching[0] and recent(latest):
            return None if recent(principal) else latest
    if principal not in fits:
        return None
    if latest is None or latest is principal or not recent(latest) or latest.relative:
        return principal
    if recent(principal) or (g is not None and principal.gender == g and latest.gender != g):
        return None
    return latest
