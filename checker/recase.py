"""Lines written in capitals only (an article in ALL CAPS, a wire slug) or in Title Case (a headline)
carry no case to tell a name from a common word, so names are not read there. This pass gives such
lines the case the rest of the corpus writes their words in, before extraction:

- a word the corpus writes mid-sentence (never at a sentence's start, never in such a line) takes the
  form it is written in most often there: "POLICE" -> "police", "WALLY" -> "Wally", "RCMP" -> "RCMP";
- a word the corpus never writes that way is lowercase, unless it stands right after a word that the
  corpus writes capitalized and followed by another capitalized word at least half the time (a given
  name: "WALLY OPAL" -> "Wally Opal"), or right before one preceded by another capitalized word at
  least half the time ("COSTRA NOSTRA" -> "Costra Nostra"); two unknown words in a row are never
  capitalized through each other ("TERRENCE ROBERTSON" stays lowercase);
- the first word of a sentence is capitalized whatever its form.

Offsets are kept (each word keeps its length, else it is left as it was), so spans, lines and
furniture stay valid. An article changed here gets a new content hash: its cache key follows the
corpus it was read with.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

from checker.lexicon import Lexicon
from checker.models import Article

_WORD = re.compile(r"[^\W\d_]+")  # "GRAY'S" is "GRAY", "'", "S": a possessive is no part of a word's case
_LINE = re.compile(r"[^\n]+")
# a sentence start inside a line: after . ! ? (and closing quotes) and a space
# what ends a sentence or opens one inside a line, before its first word: a full stop (not an initial's:
# "U.S. COUNCIL"), a colon, an opening quotation mark
# a word mid-sentence: after a word, a comma, a semicolon or a closing bracket and one space (never a
# sentence's first word, capitalized whatever it is)
_MID = re.compile(r"(?<=[\w,;)] )[^\W\d_]+")
# two capitalized words in a row, the first mid-sentence
_PAIR = re.compile(r"(?<=[\w,;)] )([A-Z][^\W\d_]*) (?=([A-Z][^\W\d_]*)\b)")
_STARTER = re.compile(r"(?<!\b[A-Za-z])[.!?][\"'”’)]*\s+|[:“\"]\s*")
_MIN_WORDS = 3
# a full stop, a question or an exclamation mark inside a line: it may hold two sentences
_TERMINATOR = re.compile(r"[.!?][\"'”’)]*\s")


def _caps_line(line: str) -> bool:
    """A line in capitals: at least 90% of its cased letters uppercase (at least 12), at least three words
    of three letters."""
    up = sum(map(str.isupper, line))
    if up < 12:
        return False
    low = sum(map(str.islower, line))
    return up >= 0.9 * (up + low) and sum(len(w) >= 3 for w in _WORD.findall(line)) >= _MIN_WORDS


def _form(word: str) -> str | None:
    if word.islower():
        return "lower"
    if len(word) > 1 and word.isupper():
        return "upper"
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower() or not word[1:].isupper()):
        return "cap"
    return None


def flagged_spans(a: Article, lexicon: Lexicon) -> list[tuple[int, int, bool]]:
    """The spans of an article's body to recase, each with whether it is in capitals only: its lines in
    capitals, and its Title Case sentences (those checker.extract.names reads no names from)."""
    from checker.extract.names import headline_text

    text = a.text
    out: list[tuple[int, int, bool]] = []
    split = False  # a Title Case line of more than one sentence: the article's sentences are split
    pos = a.body_start
    for line in text[a.body_start:].split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.isupper() and _caps_line(line):
            if not any(s <= start < e for s, e in a.furniture):
                out.append((start, start + len(line), True))
        elif not line.rstrip().endswith((".", '."', ".”")) and headline_text(line):
            if _TERMINATOR.search(line.rstrip()):
                split = True
            elif not any(s <= start < e for s, e in a.furniture):
                lead = len(line) - len(line.lstrip())
                out.append((start + lead, start + len(line.rstrip()), False))
    if split:
        from checker.extract.names import _headline
        from checker.text import split_sentences

        caps = [x for x in out if x[2]]
        out = caps + [(t.start, t.end, False) for t in split_sentences(a, lexicon) if _headline(t)
                      and not any(s <= t.start < e for s, e, _ in caps)]
    return sorted(out)


def recase_articles(articles: list[Article], lexicon: Lexicon) -> list[Article]:
    """The articles with their capitals-only and Title Case lines recased after the corpus (see the
    module's docstring); the others unchanged."""
    return apply_edits(articles, recase_edits(articles, lexicon))


def recase_edits(articles: list[Article], lexicon: Lexicon) -> dict[str, list[tuple[int, str]]]:
    """Per article changed, its recased spans as (start, new text of the same length)."""
    flagged = {a.id: flagged_spans(a, lexicon) for a in articles}
    if not any(flagged.values()):
        return {}
    counts = Counts()
    for a in articles:
        counts.add(article_counts(a, flagged[a.id]))
    return edits_with(articles, flagged, counts, lexicon)


def edits_with(articles: list[Article], flagged: dict[str, list[tuple[int, int, bool]]], counts: "Counts",
               lexicon: Lexicon) -> dict[str, list[tuple[int, str]]]:
    """recase_edits with the flagged spans and the corpus's counts given (an incremental run keeps them)."""
    if not any(flagged.get(a.id) for a in articles):
        return {}
    # words a sentence may start with that name no one (the lexicon's): lowercase where the corpus never
    # writes them mid-sentence
    common = frozenset(str(w).lower() for key in ("name_stopwords", "function_words") for w in lexicon.get(key, []) or [])
    vocab: set[str] = set()
    for a in articles:
        for s, e, _ in flagged.get(a.id, ()):
            vocab.update(w.lower() for w in _WORD.findall(a.text, s, e))
    forms, surfaces, cap_next, cap_prev = counts.dictionary(vocab)
    out: dict[str, list[tuple[int, str]]] = {}
    for a in articles:
        for s, e, caps in flagged.get(a.id, ()):
            chars = list(a.text[s:e])
            _recase_line(a.text, s, e, caps, forms, surfaces, cap_next, cap_prev, common, chars, s)
            new = "".join(chars)
            if new != a.text[s:e]:
                out.setdefault(a.id, []).append((s, new))
    return out


def apply_edits(articles: list[Article], edits: dict[str, list[tuple[int, str]]]) -> list[Article]:
    """The articles with `edits` (recase_edits) made; an article changed gets a content hash of its own."""
    if not edits:
        return articles
    out = []
    for a in articles:
        mine = edits.get(a.id)
        if not mine:
            out.append(a)
            continue
        text = a.text
        for s, new in mine:
            if text[s:s + len(new)].lower() != new.lower():
                break  # not this article's edit (a stale record): the article as given
            text = text[:s] + new + text[s + len(new):]
        else:
            digest = hashlib.sha256(f"recased\0{a.content_hash}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()
            out.append(a.model_copy(update={"text": text, "content_hash": digest}))
            continue
        out.append(a)
    return out


def article_counts(a: Article, spans: list[tuple[int, int, bool]]) -> dict[str, dict]:
    """How `a` writes words mid-sentence outside `spans` (its flagged ones): per lowercase word, its
    spellings and how often ("w"), and how often, capitalized, it is followed ("n") or preceded ("p") by
    another capitalized word. Counted over distinct words and pairs (Counter over findall), not token by
    token. The corpus's counts are the sum over its articles (Counts), so a changed article's part can be
    taken out and its new one put in."""
    text = a.text[a.body_start:]
    for s, e, _ in spans:
        s, e = s - a.body_start, e - a.body_start
        text = text[:s] + " " * (e - s) + text[e:]
    words: dict[str, dict[str, int]] = defaultdict(dict)
    for w, n in Counter(_MID.findall(text)).items():
        words[w.lower()][w] = n
    cap_next: Counter = Counter()
    cap_prev: Counter = Counter()
    for (first, second), n in Counter(_PAIR.findall(text)).items():
        cap_next[first.lower()] += n
        cap_prev[second.lower()] += n
    return {"w": dict(words), "n": dict(cap_next), "p": dict(cap_prev)}


class Counts:
    """The corpus's counts of how it writes its words (article_counts summed), kept as plain dicts so that
    an incremental run can store them and add or take out one article's part."""

    def __init__(self, data: dict | None = None) -> None:
        data = data or {}
        self.words: dict[str, dict[str, int]] = {k: dict(v) for k, v in (data.get("w") or {}).items()}
        self.cap_next: dict[str, int] = dict(data.get("n") or {})
        self.cap_prev: dict[str, int] = dict(data.get("p") or {})

    def to_json(self) -> dict:
        return {"w": self.words, "n": self.cap_next, "p": self.cap_prev}

    def add(self, part: dict, sign: int = 1) -> None:
        for low, spellings in part.get("w", {}).items():
            mine = self.words.setdefault(low, {})
            for w, n in spellings.items():
                left = mine.get(w, 0) + sign * n
                if left > 0:
                    mine[w] = left
                else:
                    mine.pop(w, None)
            if not mine:
                del self.words[low]
        for table, key in ((self.cap_next, "n"), (self.cap_prev, "p")):
            for low, n in part.get(key, {}).items():
                left = table.get(low, 0) + sign * n
                if left > 0:
                    table[low] = left
                else:
                    table.pop(low, None)

    def remove(self, part: dict) -> None:
        self.add(part, -1)

    def dictionary(self, vocab: set[str]) -> tuple[dict[str, Counter], dict[str, Counter], Counter, Counter]:
        """Per word of `vocab`: its forms (lower, cap, upper) and capitalized spellings with how often the
        corpus writes them mid-sentence outside flagged spans, and its cap_next / cap_prev counts."""
        forms: dict[str, Counter] = defaultdict(Counter)
        surfaces: dict[str, Counter] = defaultdict(Counter)
        for low in vocab:
            for w, n in self.words.get(low, {}).items():
                f = _form(w)
                if f is None:
                    continue
                forms[low][f] += n
                if f == "cap":
                    surfaces[low][w] += n
        cap_next = Counter({low: self.cap_next[low] for low in vocab if low in self.cap_next})
        cap_prev = Counter({low: self.cap_prev[low] for low in vocab if low in self.cap_prev})
        return forms, surfaces, cap_next, cap_prev


def _given(low: str, forms: dict[str, Counter], cap_next: Counter) -> bool:
    """A word the corpus writes capitalized and before another capitalized word at least half the time
    (a given name, the first word of a name)."""
    return cap_next[low] * 2 >= sum(forms[low].values()) > 0


def _recase_line(text: str, s: int, e: int, caps: bool, forms: dict[str, Counter], surfaces: dict[str, Counter], cap_next: Counter,
                 cap_prev: Counter, common: frozenset[str], chars: list[str], base: int = 0) -> None:
    """Recases text[s:e] into `chars` (the characters from `base` on)."""
    toks = list(_WORD.finditer(text, s, e))
    starts = {x.end() for x in _STARTER.finditer(text, s, e)}
    decided: list[str | None] = []
    for t in toks:
        c = forms.get(t.group().lower())
        if c:
            decided.append(max(sorted(c), key=lambda f: (c[f], f == "lower")))
        else:
            decided.append("lower" if t.group().lower() in common else None)  # "IS", "WAS" in a small corpus
    for k, t in enumerate(toks):
        f = decided[k]
        word = t.group()
        if len(word) == 1:
            if text[t.start() - 1:t.start()] in ("'", "’") or (caps and f == "lower" and k and t.start() not in starts
                                                               and text[t.end():t.end() + 1] != "."):
                chars[t.start() - base] = word.lower()  # "GRAY'S", "ISSUED A STATEMENT"
            continue  # an initial ("U.S.", "R.") keeps its case
        if not caps and len(word) > 1 and word.isupper():
            continue  # an acronym or a dateline in a headline ("NYPD", "CAPE TOWN, South Africa")
        if not caps and f == "lower" and word[:1].isupper() and k and decided[k - 1] == "cap" \
                and text[toks[k - 1].end():t.start()] == " " and _given(toks[k - 1].group().lower(), forms, cap_next):
            f = "cap"  # "Lisa Stark" in a headline: a capitalized word after a given name keeps its capital
        if f is None:
            prv = toks[k - 1] if k else None
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if prv is not None and decided[k - 1] == "cap" and text[prv.end():t.start()] == " " \
                    and _given(prv.group().lower(), forms, cap_next):
                f = "cap"  # "WALLY OPAL": after a given name
            elif nxt is not None and decided[k + 1] == "cap" and text[t.end():nxt.start()] == " " \
                    and cap_prev[nxt.group().lower()] * 2 >= sum(forms[nxt.group().lower()].values()):
                f = "cap"  # "COSTRA NOSTRA": before a name's second word
            elif len(word) <= 3 and word.isupper() and not re.search(r"[AEIOUY]", word) and word.isascii():
                f = "upper"  # "BC", "NHS": an unknown short word in capitals without a vowel is an acronym
            else:
                f = "lower"
        if f == "lower" and (k == 0 or t.start() in starts):
            f = "cap"  # a line's or a sentence's first word
        low = word.lower()
        if f == "lower":
            new = low
        elif f == "upper":
            new = word.upper()
        else:
            written = surfaces.get(low)
            new = max(sorted(written), key=written.__getitem__) if written else word[:1].upper() + word[1:].lower()
        if len(new) == len(word) and new.lower() == low:
            chars[t.start() - base:t.end() - base] = list(new)
