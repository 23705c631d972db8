"""Quotations and who said them.

A quotation may run over several sentences (and lines); it is found by pairing quotation marks
(curly, straight, curly single), and yields one fact a sentence, all with the quotation's speaker.
The speaker is, in this order: the attribution right after the closing mark ("…,” said X / X said /
he said), the speaker verb before the opening mark and its subject ("X said Y had “…”", "X, 37, told
the court: “…”", "according to X"), the previous quotation's speaker for a quotation standing alone,
a titled description ("the Grand Mufti"), and only then a person merely near a speech verb
("nearest", which the quote rule does not trust)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from checker import fastre
from checker.lexicon import Lexicon
from checker.models import NameFact, QuoteFact, Sentence
from checker.text import LineIndex

_MARKS = fastre.lazy(r"[“”\"]")
_SINGLE = fastre.lazy(r"(?<![\w’'])‘(?=\S)(.{2,600}?)(?<=\S)’(?![\w’])(?!\s(?:ll|s|t|re|ve|d|m)\b)")
# "…, he said, ' Craft said": a double quotation closed by a single mark ends at that mark.
_SINGLE_CLOSE = fastre.lazy(r"(?<=[,.?!])\s?['’](?=\s)")
MAX_QUOTE_CHARS = 2000  # a longer "quotation" is an unbalanced mark, not a quotation
MAX_QUOTE_LINES = 8


@lru_cache(maxsize=4)
def _verb_words(lexicon: Lexicon) -> tuple[str, ...]:
    words = [*(lexicon.get("quote_speech_verbs", []) or []), *(lexicon.get("quote_more_speech_verbs", []) or [])]
    return tuple(sorted({str(w).lower() for w in words}, key=len, reverse=True))


@lru_cache(maxsize=4)
def _verbs(lexicon: Lexicon) -> re.Pattern[str]:
    return fastre.lazy(r"\b(?:" + "|".join(map(re.escape, _verb_words(lexicon))) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=4)
def _pronouns(lexicon: Lexicon) -> re.Pattern[str]:
    words = lexicon.get("quote_pronouns", []) or []
    return fastre.lazy(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def quotation_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the words inside each quotation in text[start:end]; marks excluded."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    open_at: int | None = None

    def close(qs: int, qe: int) -> None:
        wrong = _SINGLE_CLOSE.search(text, qs, qe)
        if wrong:
            qe = wrong.start()
        if qe - qs <= MAX_QUOTE_CHARS and text.count("\n", qs, qe) <= MAX_QUOTE_LINES:
            out.append((qs, qe))

    for m in _MARKS.finditer(text, start, end):
        i, c = m.start(), m.group()
        prev = text[i - 1] if i > start else "\n"
        nxt = text[i + 1] if i + 1 < end else "\n"
        if c == "“":
            opener = True
        elif c == "”":
            opener = False
        else:  # a straight mark opens before a word, after a space or a bracket; else it closes
            opener = not nxt.isspace() and nxt not in ",.;:!?)]" and (prev.isspace() or prev in "([{—–-/")
        if open_at is None:
            if opener:
                open_at = i + 1
            continue
        between = text[open_at:i]
        if "\n\n" in between or (opener and "\n" in between):
            # A paragraph that ends inside an open quotation ends it (the next paragraph may reopen it).
            cut = text.find("\n\n", open_at, i) if "\n\n" in between else text.rfind("\n", open_at, i)
            close(open_at, cut)
            open_at = i + 1 if opener else None
            continue
        if opener and c == "“":
            open_at = i + 1  # an unbalanced opening mark: start again
            continue
        close(open_at, i)
        open_at = None
    doubles = list(out)
    for m in _SINGLE.finditer(text, start, end):
        if "\n" in m.group(1) or any(qs <= m.start() < qe for qs, qe in doubles):
            continue  # a quotation inside a quotation is part of it
        out.append((m.start(1), m.end(1)))
    return sorted(out)


def _description(text: str, start: int, end: int, persons: list[NameFact], titles: frozenset[str]) -> NameFact | None:
    """"the Grand Mufti", "the judge" in text[start:end] -> the latest earlier person whose title has
    those title words."""
    for m in re.finditer(r"\bthe\s+((?:[\w-]+\s+){0,2}[\w-]+)", text[start:end], re.IGNORECASE):
        tokens = m.group(1).lower().split()
        last = max((k for k, w in enumerate(tokens) if w in titles), default=-1)
        # "the Grand Mufti issued": the description ends at its last title word.
        words = [w for w in tokens[: last + 1] if w in titles]
        if not words:
            continue
        pos = start + m.start()
        for p in reversed([p for p in persons if p.start < pos and p.title]):
            if all(w in p.title.lower().split() for w in words):
                return p
    return None


@lru_cache(maxsize=4)
def _attribution_patterns(lexicon: Lexicon) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The title words and the attribution patterns of a lexicon, compiled once (not per article)."""
    titles = frozenset(str(t).lower() for t in lexicon.get("name_title_words", []) or [])
    v = "|".join(map(re.escape, _verb_words(lexicon)))
    p = "|".join(map(re.escape, lexicon.get("quote_pronouns", []) or [])) or "(?!)"
    # After a closing mark: ", said X" (X starts where the match ends) / ", he said" / ", said he".
    said_x = fastre.lazy(r"[\s,:—–-]*(?:\w+\s+)?(?:%s)\s+(?:[\w.'’-]+\s+){0,4}$" % v, re.IGNORECASE)
    # '…,” Marlow County District Attorney Ada Renner said' / '…,” Welk's nephew, Brent Welk, told':
    # only capitalized words, title words and determiners between the mark and the name.
    gap_word = fastre.lazy(r"(?:[A-Z][\w.'’-]*|the|a|an|his|her|its|their|of|%s)['’]?s?,?" % "|".join(map(re.escape, titles)))
    x_said_after = fastre.lazy(r"(?:['’]s?)?(?:\s*,[^,“”\"]{1,80},)?\s+(?:\w+\s+){0,2}(?:%s)\b" % v, re.IGNORECASE)
    pron_said = fastre.lazy(r"[\s,:—–-]*(?:(?:%s)\s+(?:\w+\s+)?(?:%s)|(?:%s)\s+(?:%s))\b" % (p, v, v, p), re.IGNORECASE)
    # Before an opening mark: X <verb> ... “
    subject_gap = fastre.lazy(r"(?:['’]s?)?(?:\s*,[^,“”\"]{1,80}){0,3},?\s+(?:\w+\s+){0,2}$")
    return titles, (said_x, gap_word, x_said_after, pron_said, subject_gap)


class _Attributor:
    """Finds the speaker of one quotation from the words around it."""

    def __init__(self, text: str, persons: list[NameFact], lexicon: Lexicon, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.persons = persons
        self.verbs = _verbs(lexicon)
        self.pronouns = _pronouns(lexicon)
        self.spans = spans
        self.titles, (self.said_x, self.gap_word, self.x_said_after, self.pron_said, self.subject_gap) = _attribution_patterns(lexicon)

    def _outside(self, a: int, b: int) -> list[NameFact]:
        return [p for p in self.persons if a <= p.start < b and not any(qs <= p.start < qe for qs, qe in self.spans)]

    def after(self, qe: int, s_end: int, last_speaker: NameFact | None) -> tuple[NameFact | None, str | None]:
        """The attribution right after the closing mark, in the closing sentence."""
        text = self.text
        limit = min(s_end, qe + 160)
        m = self.pron_said.match(text, qe + 1, limit)
        for p in self._outside(qe, limit):
            gap = text[qe + 1 : p.start]
            if m and m.end() <= p.start:
                break  # "…,” he said of X": the pronoun comes first
            if self.said_x.fullmatch(gap) or (self._x_said_gap(gap) and self.x_said_after.match(text, p.end, s_end)):
                return p, "name"
        if m:
            return None, "pronoun"
        return None, None

    def _x_said_gap(self, gap: str) -> bool:
        words = gap.strip(" ,:—–-\n").split()
        return len(words) <= 5 and all(self.gap_word.fullmatch(w) for w in words)

    def before(self, s_start: int, qs: int, last_speaker: NameFact | None) -> tuple[NameFact | None, str | None]:
        """The speech verb before the opening mark, in the opening sentence, and its subject."""
        text = self.text
        # Other quotations' words do not attribute this one.
        masked = list(text[s_start:qs])
        for a, b in self.spans:
            for k in range(max(a, s_start), min(b, qs)):
                masked[k - s_start] = " "
        head = "".join(masked)
        verbs = list(self.verbs.finditer(head))
        if not verbs:
            return None, None
        cands = self._outside(s_start, qs)
        for v in reversed(verbs):
            vs, ve = s_start + v.start(), s_start + v.end()
            # "X said", "X, 37, told", "X, who said", "X also reportedly said": the name right before the verb.
            for p in reversed(cands):
                if p.end <= vs and self.subject_gap.fullmatch(text[p.end : vs]):
                    return p, "name"
            # "according to X, “…”", "said X: “…”": the name right after the verb, ending its clause.
            for p in cands:
                if (vs < p.start and p.end <= qs and re.fullmatch(r"\s+(?:to\s+)?(?:[\w.'’-]+\s+){0,3}", text[ve : p.start])
                        and re.match(r"(?:['’]s?)?(?:,[^,“”\"]{1,80})?\s*(?:[,:;—–-]|$)", text[p.end : qs].rstrip(" \"“‘"))):
                    return p, "name"
            # "He later tweeted, “…”"
            if last_speaker is not None and re.search(r"\b(?:%s)\s+(?:\w+\s+){0,2}$" % self.pronouns.pattern, text[s_start:vs], re.IGNORECASE):
                return last_speaker, "pronoun"
        # "X criticized the plan, saying it was a “…”": a participle's subject is the sentence's, named at its start.
        v = verbs[-1]
        vs = s_start + v.start()
        first = next((p for p in cands if p.end <= vs), None)
        if (first is not None and v.group().lower().endswith("ing") and len(head[: first.start - s_start].split()) <= 3
                and not self.verbs.search(head[: first.start - s_start])):
            return first, "name"
        return None, None


def extract_quotes(text: str, sentences: tuple[Sentence, ...], names: list[NameFact], lexicon: Lexicon,
                   article: str = "") -> list[QuoteFact]:
    persons = [n for n in names if n.etype == "person"]
    if not sentences:
        return []
    spans = quotation_spans(text, sentences[0].start, sentences[-1].end)
    att = _Attributor(text, persons, lexicon, spans)
    starts = [s.start for s in sentences]
    lines = LineIndex(text)
    out: list[QuoteFact] = []
    last_speaker: NameFact | None = None  # the likeliest "he": the last speaker or sentence subject
    prev_quote: tuple[int, NameFact | None] | None = None  # (closing sentence index, speaker)
    next_sentence = 0
    for qs, qe in spans:
        i_open = bisect.bisect_right(starts, qs) - 1
        i_close = bisect.bisect_right(starts, max(qs, qe - 1)) - 1
        if i_open < 0 or qe > sentences[i_close].end + 1:
            continue  # outside the body (furniture, front matter)
        # The subject of each sentence before this quotation is the likeliest "he" after it.
        while next_sentence < i_open:
            s = sentences[next_sentence]
            subj = [p for p in persons if s.start <= p.start < s.end and not any(a <= p.start < b for a, b in spans)]
            if subj and not att.pronouns.match(s.text):  # "He added that ... X": "he" is still the last speaker
                # "One of the wives of X confirmed ...": the subject is the unnamed person, not X
                last_speaker = None if _complement(text, s.start, subj[0]) else subj[0]
            next_sentence += 1
        so, sc = sentences[i_open], sentences[i_close]
        speaker, how = att.after(qe, sc.end, last_speaker)
        if speaker is None:
            # '…,” he said': a speaker named before the quotation in its sentence, else the last one.
            pronoun_after = how == "pronoun"
            speaker, how = att.before(so.start, qs, last_speaker)
            if speaker is None and pronoun_after and last_speaker is not None:
                speaker, how = last_speaker, "pronoun"
        standalone = not text[so.start : qs].strip(" \"“”'‘’-—–") and not text[qe : sc.end].strip(" \"“”'‘’,.!?")
        if speaker is None and standalone and prev_quote and prev_quote[1] is not None and prev_quote[0] >= i_open - 1:
            speaker, how = prev_quote[1], "continuation"
        if speaker is None:
            speaker, how = _fallback(text, so, sc, qs, qe, att, persons, last_speaker)
        if speaker is not None and how != "nearest":
            last_speaker = speaker
        prev_quote = (i_close, speaker if how != "nearest" else None)
        for k in range(i_open, i_close + 1):
            s = sentences[k]
            ps, pe = max(qs, s.start), min(qe, s.end)
            piece = text[ps:pe]
            lead = len(piece) - len(piece.lstrip(" \"“”'‘’"))
            ps += lead
            piece = text[ps:pe].rstrip(" ,.;:\"“”'‘’-—–")
            if len(re.findall(r"[\w'’-]+", piece)) < 2:
                continue
            out.append(
                QuoteFact(
                    article=article,
                    text=piece,
                    start=ps,
                    end=ps + len(piece),
                    line=lines.line(ps),
                    sentence=s.text,
                    sentence_index=s.index,
                    value=piece,
                    speaker=speaker.full if speaker else None,
                    speaker_by=how if speaker else None,
                )
            )
    return out


_COMPLEMENT = fastre.lazy(r"\b(?-i:[a-z][\w'’-]*)\s+(?:of|for)\s+(?:[\w'’.&-]+\s+){0,6}\Z", re.IGNORECASE)


def _complement(text: str, s_start: int, p: NameFact) -> bool:
    """A name that completes a common noun ("the wives of X", "a lawyer for X"): not the subject of its sentence."""
    start = p.title_span[0] if p.title_span and p.title_span[0] < p.start else p.start
    head = text[s_start:start]
    m = _COMPLEMENT.search(head)
    return bool(m) and not re.search(r"[,;:]", head[m.start():])


def _fallback(text, so, sc, qs, qe, att, persons, last_speaker):
    """No attribution pattern: a person next to a speech verb, a titled description, "he" with a verb."""
    lo, hi = so.start, sc.end
    outside = att._outside(lo, hi)
    best = None
    for p in outside:
        window = text[max(lo, p.start - 40) : min(hi, p.end + 40)]
        if att.verbs.search(window):
            dist = min(abs(p.start - qe), abs(qs - p.end))
            if best is None or dist < best[0]:
                best = (dist, p)
    if best:
        return best[1], "nearest"
    rest = text[lo:qs] + " " + text[qe:hi]
    desc = _description(text, lo, qs, persons, att.titles)
    if desc is not None and att.verbs.search(rest):
        return desc, "description"
    if outside:
        return outside[0], "nearest"
    # "he said" / "said he" outside the quotation, pronoun and verb side by side.
    if last_speaker is not None and re.search(r"\b(?:%s)\s+(?:\w+\s+)?(?:%s)\b|\b(?:%s)\s+(?:%s)\b" % (
            att.pronouns.pattern, att.verbs.pattern, att.verbs.pattern, att.pronouns.pattern), rest, re.IGNORECASE):
        return last_speaker, "pronoun"
    return None, None
