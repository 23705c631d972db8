"""Linking across the corpus: name mentions into entities, articles into stories, event mentions
into events. Two people with similar names, or two events of one kind, are never merged on a hunch:
every merge needs positive evidence and respects cannot-link constraints."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from checker.lexicon import Lexicon
from checker.models import Article, ArticleFacts, Entity, Event, EventFact, NameFact
from checker.extract.dates import YEAR_FROM_PREVIOUS
from checker.translit import fold, morph_variant, same_name, skeleton
from checker.variants import NameForm, glued_particle, other_variant, person_variant

def _stable_id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:10]


# ----------------------------------------------------------------------------------------------
# name tokens


def content_tokens(name: str, particles: frozenset[str]) -> list[str]:
    """The words of a name that carry its spelling: particles and hyphenated particle prefixes dropped."""
    return list(_content_tokens(name, particles))


@lru_cache(maxsize=1 << 17)
def _content_tokens(name: str, particles: frozenset[str]) -> tuple[str, ...]:
    out = []
    for w in re.split(r"\s+", name.strip()):
        w = re.sub(r"['’]s$|['’]$", "", w)
        m = re.match(r"([^\W\d_]+)-(.+)", w)
        if m and m.group(1).lower() in particles:
            w = m.group(2)
        if w and (w.lower() not in particles or (len(w) > 1 and w.isupper())):  # "LA" is an acronym
            out.append(w)
    return tuple(out)


@dataclass(slots=True)
class _Local:
    """One name as used in one article: all mentions that share its fullest form."""

    article: str
    full: str
    etype: str
    mentions: list[NameFact]
    tokens: Sequence[str] = ()  # a person's without its generational suffix (content_tokens's cached tuple)
    generation: str = ""  # that suffix ("jr")


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _generation(tokens: list[str], suffixes: frozenset[str]) -> tuple[list[str], str]:
    """A person's name words without a trailing generational suffix ("Jr.", "III"), and that suffix."""
    if len(tokens) >= 3 and tokens[-1].rstrip(".").lower() in suffixes:
        return tokens[:-1], tokens[-1].rstrip(".").lower()
    return tokens, ""


def _same_person_forms(a: str, b: str, particles: frozenset[str], generations: frozenset[str] = frozenset()) -> bool:
    """"Dorian S. Welk" and "Dorian Stead Welk" in one article: same first and last word, the middle
    an initial of the other's; "Dorian Welk Jr." is "Dorian Welk", not "Dorian Welk Sr."."""
    (ta, ga), (tb, gb) = _generation(content_tokens(a, particles), generations), _generation(content_tokens(b, particles), generations)
    if ga and gb and ga != gb:
        return False
    if len(ta) < 2 or len(tb) < 2 or ta[0] != tb[0] or ta[-1] != tb[-1]:
        return False
    ma, mb = ta[1:-1], tb[1:-1]
    if not ma or not mb:
        return True
    return len(ma) == len(mb) and all(x.rstrip(".")[:1] == y.rstrip(".")[:1] for x, y in zip(ma, mb))


def _persons_match(a: _Local, b: _Local, suffixes: tuple[str, ...]) -> bool:
    """Surnames that are spellings of one name (not one derived from the other), and given names too;
    never two different generational suffixes ("Jr." and "Sr.")."""
    if not a.tokens or not b.tokens or (a.generation and b.generation and a.generation != b.generation):
        return False
    if not same_name(a.tokens[-1], b.tokens[-1]) or morph_variant(a.tokens[-1], b.tokens[-1], suffixes):
        return False
    if len(a.tokens) >= 2 and len(b.tokens) >= 2:
        return same_name(a.tokens[0], b.tokens[0], min_ratio=0.8)  # the surname already matched
    return False


def _others_match(a: _Local, b: _Local) -> bool:
    """Organizations and places across the corpus: the same words (case, accents and particles aside).
    Spelling variants of them are merged later, inside one story only (merge_variants)."""
    if len(a.tokens) != len(b.tokens) or not a.tokens:
        return False
    return all(fold(x) == fold(y) for x, y in zip(a.tokens, b.tokens))


_ENTITY_FIELDS = set(Entity.model_fields)  # every entity's "fields set" (one set: pydantic keeps one per object)
_EVENT_FIELDS = set(Event.model_fields)


def link_entities(facts: list[ArticleFacts], lexicon: Lexicon) -> list[Entity]:
    """Cluster name mentions across articles into entities."""
    particles = frozenset(str(p).lower() for p in lexicon.get("name_particles", []) or [])
    suffixes = tuple(sorted((str(s) for s in lexicon.get("name_adjective_suffixes", []) or []), key=len, reverse=True))
    generations = frozenset(str(s).lower() for s in lexicon.get("name_generational_suffixes", []) or [])
    # Each article's names by (person or not, full name), in order of first mention (a corpus of them at
    # once would hold a key per name: they are needed one article at a time).
    items: list[_Local] = []
    locals_: tuple[dict[str, _Local], dict[str, _Local]] = ({}, {})
    for af in facts:
        locals_ = ({}, {})
        for n in af.of("name"):
            person = n.etype == "person"
            loc = locals_[person].get(n.full)
            if loc is None:
                tokens, generation = _content_tokens(n.full, particles), ""
                if person:
                    tokens, generation = _generation(tokens, generations)
                loc = locals_[person][n.full] = _Local(af.article, n.full, n.etype, [], tokens, generation)
                items.append(loc)
            loc.mentions.append(n)
    del locals_
    uf = _UnionFind(len(items))
    # Blocking: people are compared only within the skeleton of their surname; organizations and places
    # match word for word, so their block is the folded words themselves and everything in it is one.
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, loc in enumerate(items):
        if loc.tokens:
            if loc.etype == "person":
                blocks[("person", skeleton(loc.tokens[-1]))].append(i)
            else:
                blocks[("other", " ".join(fold(t) for t in loc.tokens))].append(i)
    # Each cluster's names per article, so that a join looks only at the smaller side's articles.
    # (made when a cluster first joins: most local names never do; an article's names are a tuple, most
    # often of one: a set would take four times the memory)
    members: dict[int, dict[str, tuple[str, ...]]] = {}
    # each cluster's generational suffixes, kept only for the clusters that have one (most have none)
    gens = {i: frozenset({loc.generation}) for i, loc in enumerate(items) if loc.generation}
    no_gen: frozenset[str] = frozenset()

    def names_of(root: int) -> dict[str, tuple[str, ...]]:
        got = members.get(root)
        return got if got is not None else {items[root].article: (items[root].full,)}

    def join(i: int, j: int) -> None:
        """Union, unless two different full names used side by side in one article would meet
        (cannot-link: they are two people)."""
        ri, rj = uf.find(i), uf.find(j)
        gi, gj = gens.get(ri, no_gen), gens.get(rj, no_gen)
        if ri == rj or (gi and gj and gi != gj):  # "Jr." and "III" are two people
            return
        small, big = sorted((names_of(ri), names_of(rj)), key=len)
        for art, fulls in small.items():
            other = big.get(art)
            if other and any(f != g and not _same_person_forms(g, f, particles, generations) for f in fulls for g in other):
                return
        members.pop(ri, None)
        members.pop(rj, None)
        uf.union(ri, rj)
        if gi or gj:  # (only once joined: a refused join leaves both as they were)
            gens[uf.find(ri)] = gi | gj
        for art, fulls in small.items():
            had = big.get(art)
            big[art] = fulls if had is None else had + tuple(f for f in fulls if f not in had)
        members[uf.find(ri)] = big

    for (kind, _), idxs in sorted(blocks.items()):
        # The same full name in many articles is joined once per article, not compared pairwise.
        by_full: dict[str, list[int]] = defaultdict(list)
        for i in idxs:
            by_full[items[i].full].append(i)
        reps = []
        for group in by_full.values():
            for i in group[1:]:
                join(group[0], i)
            reps.append(group[0])
        for x in range(len(reps)):
            for y in range(x + 1, len(reps)):
                a, b = items[reps[x]], items[reps[y]]
                if (_persons_match(a, b, suffixes) if kind == "person" else _others_match(a, b)):
                    join(reps[x], reps[y])
    del members, blocks, gens
    groups: dict[int, list[_Local]] = defaultdict(list)
    for i, loc in enumerate(items):
        groups[uf.find(i)].append(loc)
    del items, uf
    entities = []
    for locs in groups.values():
        mentions = sorted((m for loc in locs for m in loc.mentions), key=lambda m: (m.article, m.start))
        fulls = Counter(loc.full for loc in locs for _ in loc.mentions)
        longest = max(len(content_tokens(loc.full, particles)) for loc in locs)
        canonical = sorted(
            (f for f in fulls if len(content_tokens(f, particles)) == longest), key=lambda f: (-fulls[f], f)
        )[0]
        etype = Counter(loc.etype for loc in locs).most_common(1)[0][0]
        # (not validated again: the mentions are the run's facts, pydantic models or their compact records)
        entities.append(Entity.model_construct(_ENTITY_FIELDS, id=_stable_id("E", etype if etype == "person" else "other", canonical.lower()),
                                               etype=etype, canonical=canonical, mentions=tuple(mentions)))
    return sorted(entities, key=lambda e: e.id)


def acronym_kind(words: list[str], heads: frozenset[str]) -> list[str]:
    """An organization's initials without the kind of firm written after them ("K&T Accounting",
    "KVRB Holdings": K&T, KVRB), as it is also written."""
    if len(words) == 2 and re.fullmatch(r"[A-Z]+(?:&[A-Z]+)*", words[0]) and len(words[0].replace("&", "")) >= 2 \
            and words[1].lower() in heads:
        return words[:1]
    return words


def _name_forms(e: Entity, particles: frozenset[str], legal: frozenset[str], heads: frozenset[str] = frozenset()) -> list[NameForm]:
    """The distinct full forms an entity is written in, as NameForms."""
    out = {}
    for m in e.mentions:
        if m.full in out:
            continue
        words = content_tokens(m.full, particles)
        if e.etype != "person":
            while len(words) > 1 and words[-1].rstrip(".").lower() in legal:
                words = words[:-1]
            words = acronym_kind(words, heads)
        raw = m.full.split()
        n_raw = len(raw)
        while len(raw) > 1 and raw[-1].rstrip(".").lower() in legal:
            raw = raw[:-1]
        if e.etype != "person":
            raw = acronym_kind(raw, heads)
        spaced = " ".join(fold(p) for p in re.split(r"[\s-]+", " ".join(raw)) if fold(p))
        out[m.full] = NameForm(m.full, e.etype == "person", tuple(words), len(raw), fold("".join(raw)), spaced, len(raw) < n_raw)
    return list(out.values())


def _variant_keys(f: NameForm, particles: frozenset[str]) -> set[str]:
    """Index keys under which two variant spellings meet: the folded name and its one-letter
    deletions (any one keystroke apart share one), word stems, a surname without its glued particle,
    an acronym's letters."""
    keys = {"R:" + f.raw_folded} if len(f.raw_folded) >= 5 else set()
    whole = f.folded
    if 4 <= len(whole) <= 40:
        keys.add("D:" + whole)
        keys.update("D:" + whole[:i] + whole[i + 1 :] for i in range(len(whole)))
    if len(f.parts) >= 2:
        keys.add("S:" + " ".join(fold(p)[:5] for p in f.parts))
    if len(f.parts) >= 3 and not f.person:  # a name and the same shortened by its last word
        keys.add("T:" + " ".join(fold(p)[:5] for p in f.parts[:3]))
    if f.person and len(f.words) >= 2:
        sur = f.words[-1]
        keys.add("P:" + fold(f.words[0]) + "|" + fold(glued_particle(sur, particles) or sur))
    if len(f.words) == 1 and f.words[0].replace("&", "").isupper():
        keys.add("A:" + "".join(sorted(fold(f.words[0]))))
    return keys


def _shared_hashes(key_sets: Iterable[set[str]], parts: int = 64) -> tuple[set[int], list[int]]:
    """The hashes of the keys that two of the sets hold (besides, rarely, two keys of one hash), and the
    indexes of the sets that hold one of them; keeping only the keys' hashes, 8 bytes each (one part of
    them sorted at a time), never the keys of every set at once."""
    flat, ends = array("q"), array("q")
    for keys in key_sets:
        flat.extend(hash(k) for k in keys)
        ends.append(len(flat))
    by_part = [array("q") for _ in range(parts)]
    for h in flat:
        by_part[h % parts].append(h)
    shared: set[int] = set()
    for part in by_part:
        ordered = sorted(part)
        shared.update(a for a, b in zip(ordered, ordered[1:]) if a == b)
    by_part.clear()
    holders, start = [], 0
    for i, end in enumerate(ends):
        if any(flat[k] in shared for k in range(start, end)):
            holders.append(i)
        start = end
    return shared, holders


def merge_variants(entities: list[Entity], story_of: dict[str, str], lexicon: Lexicon, max_block: int = 200,
                   min_shared: int = 4) -> list[Entity]:
    """Variant spellings of one name merged into one entity, when the name pair and the corpus agree:
    a strong variant (spacing, a keystroke in a long word, a glued particle) needs the two to share a
    story or a context (four rarely used name words in common); a weak one (a keystroke in a short word,
    a plural, a swapped acronym letter) also needs one form to be a one-off against a form many
    articles use. Two full names of people in one article stay two people."""
    particles = frozenset(str(p).lower() for p in lexicon.get("name_particles", []) or [])
    legal = frozenset(str(p).lower() for p in lexicon.get("name_org_legal_suffixes", []) or [])
    suffixes = tuple(sorted((str(x) for x in lexicon.get("name_adjective_suffixes", []) or []), key=len, reverse=True))
    # (equal sets are one object: most entities are named in one article, which names many of them)
    same: dict[frozenset[str], frozenset[str]] = {}
    arts = {e.id: same.setdefault(x, x) for e in entities for x in [frozenset(m.article for m in e.mentions)]}
    stories = {e.id: same.setdefault(x, x) for e in entities for x in [frozenset(story_of.get(a, a) for a in arts[e.id])]}
    n = max(len(story_of), len({a for v in arts.values() for a in v}), 1)
    common = max(5.0, 0.1 * n)
    # Context: the words of the names an article uses (folded, four letters or more) that few other
    # articles use. Words rather than entities, so that "Arlo Brandt" and "Arlo Brandt Diamond
    # Corp" count as common ground.
    words_of: dict[str, set[str]] = defaultdict(set)
    own: dict[str, frozenset[str]] = {}
    for e in entities:
        ws = frozenset(w for m in e.mentions for w in (fold(t) for t in m.full.split()) if len(w) >= 4)
        own[e.id] = ws = same.setdefault(ws, ws)
        for a in arts[e.id]:
            words_of[a] |= ws
    df = Counter(w for ws in words_of.values() for w in ws)
    rare_in = {a: same.setdefault(x, x) for a, ws in words_of.items() for x in [frozenset(w for w in ws if 1 < df[w] <= common)]}
    del words_of, same
    context_cache: dict[str, frozenset[str]] = {}

    def context(eid: str) -> frozenset[str]:
        if eid not in context_cache:
            context_cache[eid] = frozenset(x for a in arts[eid] for x in rare_in[a])
        return context_cache[eid]

    def relation(a: Entity, b: Entity) -> str | None:
        if arts[a.id] & arts[b.id]:
            return "article"
        if stories[a.id] & stories[b.id]:
            return "story"
        # One report of each that name the same rare things: the union of many reports' names (a city
        # named across the corpus) would share four with almost any report. A name that several stories
        # use (a capital) is no name of one context: "Lorden" county a keystroke from "London" is another place.
        if max(len(stories[a.id]), len(stories[b.id])) <= 2 and \
                len((context(a.id) & context(b.id)) - own[a.id] - own[b.id]) >= min_shared:
            small, big = sorted((a.id, b.id), key=lambda e: (len(arts[e]), e))
            others = own[a.id] | own[b.id]
            if any(len((rare_in[x] & rare_in[y]) - others) >= min_shared for x in sorted(arts[small]) for y in sorted(arts[big])):
                return "context"
        return None

    heads = frozenset(str(p).lower() for p in lexicon.get("name_org_heads", []) or [])
    forms = {e.id: _name_forms(e, particles, legal, heads) for e in entities}

    def keys_of(e: Entity) -> set[str]:
        keys = {k for f in forms[e.id] for k in _variant_keys(f, particles)}
        # Inside one story, names of as many words and the same initial are all compared
        # (transliterations such as Hizbani / Hezboni differ in more than one letter).
        keys.update(f"B:{st}|{len(f.words)}|{f.folded[:1]}" for f in forms[e.id] if f.words for st in stories[e.id])
        return keys

    # Most keys (one-letter deletions) are one entity's only: the blocks are made of the keys whose hash
    # two entities hold (every key two entities share, maybe a few more), not of every key at once.
    shared, holders = _shared_hashes(keys_of(e) for e in entities)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in holders:
        for key in keys_of(entities[i]):  # members are appended in entity order whatever the key order
            if hash(key) in shared:
                blocks[key].append(i)
    uf = _UnionFind(len(entities))
    tried: set[tuple[int, int]] = set()
    # Blocks of one entity hold no pair (most one-letter deletions): only the others are sorted and walked.
    for key in sorted(k for k, idxs in blocks.items() if 1 < len(idxs) <= max_block):
        idxs = blocks[key]
        for x in range(len(idxs)):
            for y in range(x + 1, len(idxs)):
                i, j = idxs[x], idxs[y]
                if (i, j) in tried or uf.find(i) == uf.find(j):
                    continue
                tried.add((i, j))
                a, b = entities[i], entities[j]
                if _variant_evidence(a, b, forms, relation, arts, particles, suffixes):
                    uf.union(i, j)
    merged: dict[int, list[Entity]] = defaultdict(list)
    for i, e in enumerate(entities):
        merged[uf.find(i)].append(e)
    out = []
    for group in merged.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        main = max(group, key=lambda e: (len(arts[e.id]), len(e.mentions), e.canonical))
        mentions = tuple(sorted((m for e in group for m in e.mentions), key=lambda m: (m.article, m.start)))
        # A name merged with a place's or an organization's is not a person's.
        others = [e for e in group if e.etype != "person"]
        etype = main.etype if main.etype != "person" or not others else max(others, key=lambda e: len(arts[e.id])).etype
        out.append(main.model_copy(update={"mentions": mentions, "etype": etype}))
    return sorted(out, key=lambda e: e.id)


def _variant_evidence(a: Entity, b: Entity, forms: dict[str, list[NameForm]], relation, arts: dict[str, frozenset[str]],
                      particles: frozenset[str], suffixes: tuple[str, ...]) -> bool:
    """True when a name pair and the corpus together say two entities are one name spelled two ways."""
    both_people = a.etype == "person" and b.etype == "person"
    best = None
    for fa in forms[a.id]:
        for fb in forms[b.id]:
            if both_people:
                kind = person_variant(fa, fb, particles, suffixes)
            elif (fa.person or fb.person) and (
                max(fa.raw_words, fb.raw_words) < 2 or (fa.spaced == fb.spaced and not (fa.legal_form or fb.legal_form))
            ):
                # A lone word typed a person ("Jordan") is never merged with a place, and a name typed
                # a person is merged with an organization's only when written differently or when the
                # organization's form carries a legal suffix ("Acme Freight" / "Acme Freight Ltd").
                kind = None
            else:
                kind = other_variant(fa, fb, suffixes)
            rank = {"strong": 3, "derived": 2, "weak": 1}.get(kind or "", 0)
            best = max(best or 0, rank)
    if not best:
        return False
    rel = relation(a, b)
    if rel is None or (both_people and rel == "article"):
        return False
    if best >= 2:
        return best == 3 or rel != "article"
    # weak: one form is a one-off against a form that many articles use.
    rare, common = sorted((len(arts[a.id]), len(arts[b.id])))
    return rare == 1 and common >= 3


# ----------------------------------------------------------------------------------------------
# stories and events


@dataclass
class Linked:
    entities: list[Entity]
    entity_of: dict[tuple[str, str], str]  # (article, full) -> entity id
    story_of: dict[str, str]  # article id -> story id
    events: list[Event]
    event_of: dict[tuple[str, int], str]  # (article, event fact start) -> event id
    background_sentences: dict[str, frozenset[int]] = field(default_factory=dict)  # article -> sentence indexes about earlier events
    story_names: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, dt.date | None] = field(default_factory=dict)  # article -> when its story happened
    weak: frozenset[str] = frozenset()  # entities that say where, not what: places, lone words, generic institutions


_LEDE = 3  # sentences that tell an article's own event (headline and first lines)


def _article_anchor(article: Article, af: ArticleFacts) -> dt.date | None:
    """When an article's story happened: its publication date, else the day its lede gives its event.
    Dates further down an undated article are as often an earlier event's ("convicted on Nov. 1, 2004")
    as its own, so they never anchor it."""
    if article.published:
        return article.published
    # A lede that tells its event by a day it cannot resolve ("was sentenced Saturday") names its own
    # time that way; an absolute date beside it ("the March 11, 2005 escape") is then an earlier event's.
    if any(not d.resolved and d.timex_type in ("DATE", "TIME") for d in af.of("date") if d.sentence_index < _LEDE):
        return None
    for e in af.of("event"):
        if e.sentence_index < _LEDE and e.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.date):
            return dt.date.fromisoformat(e.date)
    return None


def _lede_weekdays(af: ArticleFacts, weekday_of: dict[str, int]) -> dict[str, frozenset[int]]:
    """The weekdays on which an article's lede puts its events, by event type: from a resolved day, or
    from a weekday word left unresolved ("on Sunday" in an undated article). An event whose own date is
    a day says its weekday by that date alone: in "was charged Saturday after the harbour festival
    shooting" the Saturday is the charge's, not the shooting's."""
    by_sentence: dict[int, set[int]] = defaultdict(set)
    by_span: dict[tuple[int, int], set[int]] = {}
    for d in af.of("date"):
        if d.sentence_index >= _LEDE or d.timex_type != "DATE":
            continue
        days: set[int] = set()
        if isinstance(d.value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.value):
            days = {dt.date.fromisoformat(d.value).weekday()}
        elif not d.resolved:
            days = {weekday_of[w] for w in re.findall(r"[^\W\d_]+", d.text.lower()) if w in weekday_of}
            if len(days) != 1:
                days = set()
        by_span[(d.start, d.end)] = days
        by_sentence[d.sentence_index] |= days
    out: dict[str, set[int]] = defaultdict(set)
    for e in af.of("event"):
        if e.sentence_index >= _LEDE:
            continue
        own = by_span.get(tuple(e.date_span)) if e.date_span else None
        days = own if own is not None else by_sentence.get(e.sentence_index)
        if days:
            out[e.value] |= days
    return {k: frozenset(v) for k, v in sorted(out.items())}


def _name_counts(af: ArticleFacts, entity_of: dict[tuple[str, str], str], participants: set[str],
                 skip: frozenset[int] = frozenset()) -> Counter:
    """How often an article names each entity; the people its events are about count double. Sentences
    in `skip` (background: an earlier event) do not count."""
    c: Counter = Counter()
    for n in af.of("name"):
        ent = entity_of.get((af.article, n.full))
        if ent and n.sentence_index not in skip:
            c[ent] += 1
    for ent in participants:
        c[ent] += 2
    return c


def _story_people(af: ArticleFacts, entity_of: dict[tuple[str, str], str], skip: frozenset[int] = frozenset()) -> set[str]:
    """The entities an article's events are about: event participants and attendance, else every
    person and place it names (reports of disasters and crimes often have no meeting at all); sentences
    in `skip` (background) aside."""
    people = set()
    for e in af.of("event"):
        if e.sentence_index in skip:
            continue
        for p in (*e.participants, *e.hosts):
            if (af.article, p) in entity_of:
                people.add(entity_of[(af.article, p)])
    for a in af.of("attendance"):
        if (af.article, a.person) in entity_of and a.sentence_index not in skip:
            people.add(entity_of[(af.article, a.person)])
    for n in af.of("name"):
        if (af.article, n.full) in entity_of and n.sentence_index not in skip:
            people.add(entity_of[(af.article, n.full)])
    return people


def link_stories(
    anchors: dict[str, dt.date | None], facts: list[ArticleFacts], entity_of: dict[tuple[str, str], str], max_days: int = 21,
    min_overlap: float = 0.3, max_keys: int = 8, background: dict[str, frozenset[int]] | None = None,
    weekdays: dict[str, dict[str, frozenset[int]]] | None = None, merge_overlap: float = 0.5, undated_overlap: float = 0.5,
    places: frozenset[str] = frozenset(), place_events: dict[str, frozenset[str]] | None = None,
    anchors_strong: frozenset[str] = frozenset(), full_people: frozenset[str] = frozenset(),
    lede_events: dict[str, frozenset[str]] | None = None, min_people: int = 3, weak_weight: float = 0.5, weak_idf: float = 1.0, min_weak: int = 3,
    multiword: frozenset[str] = frozenset(), lede_keys: dict[str, frozenset[tuple[str, str]]] | None = None,
    adjectives: frozenset[str] = frozenset(), spelling: dict[str, str] | None = None,
) -> dict[str, str]:
    """Group articles into stories by the names they are about (event participants, names repeated or
    in the first lines), weighted by rarity in the corpus, and by compatible time. Candidate stories
    come from an index of names, so the cost grows with the corpus, not with its square.

    `background`: sentences of each article about an earlier event; their names say nothing of what the
    article is about. `weekdays`: the weekdays an article's lede gives its events, by type; an undated
    article whose lede puts an earthquake on a Sunday never joins a story whose dated reports put theirs
    on a Thursday. A second pass joins stories that name the same rare things and whose times agree.

    `places`: entities that say where rather than what: places, and single words that are not a person's
    name ("Lyonsburg", "Varnish", "Mass."), whose type a lone word does not tell. Two reports that share
    only such names are two stories, unless both report an event that a place identifies
    (`place_events`: per article, its event types keyed by place, such as an earthquake). Such names weigh
    `weak_weight` of their rarity in the overlap, and count as that much of a shared name: a strong name and
    a city are not the two names that tie an undated report to a story.

    Reports without any date say nothing of time, so they join on names alone, which must then be
    strong: `anchors_strong` are names of several words that are not places ("Orla Brandt Jewellers"),
    `full_people` persons named in full, `lede_events` per article the event types its first lines report.
    An undated report joins an undated story through one strong name when both report an event of
    one type in their first lines (a one-sentence report of a heist at a named store); two undated
    stories that name `min_people` people in common in full are one story. `adjectives`: weak names that
    are adjectives of nationality, which do not count among the weak names two reports share beside the
    name of their country (`spelling`: each name's folded letters; see _enough_weak)."""
    background = background or {}
    lede_events = lede_events or {}
    lede_keys = lede_keys or {}
    place_events = place_events or {}
    weekdays = weekdays or {}
    skip = {af.article: background.get(af.article, frozenset()) for af in facts}
    people = {af.article: _story_people(af, entity_of, skip[af.article]) for af in facts}
    counts = {af.article: _name_counts(af, entity_of, people[af.article], skip[af.article]) for af in facts}
    # What an article is about: the people of its events, names it repeats, names in its first lines.
    lede = {af.article: {entity_of.get((af.article, n.full)) for n in af.of("name") if n.sentence_index < _LEDE} for af in facts}
    salient = {
        art: {e for e, k in c.items() if k >= 2 or e in lede[art]} or set(c)
        for art, c in counts.items()
    }
    df = Counter(e for c in salient.values() for e in c)
    n = max(len(facts), 1)
    raw_idf = {e: math.log(1 + n / c) for e, c in df.items()}
    idf = {e: v * weak_idf if e in places else v for e, v in raw_idf.items()}
    # A name no other article uses cannot link anything, and one that a tenth of a large corpus uses
    # ("New York", "Wall Street") links everything: both only blur the overlap.
    common = max(5.0, 0.1 * n)
    # Sorted, so that float sums (and so ties between stories) never depend on set iteration order,
    # which changes from one process to the next.
    vectors = {art: {e: idf[e] for e in sorted(es) if 1 < df[e] <= common} for art, es in salient.items()}
    stories: list[dict] = []  # {"articles", "centroid" (name -> weight), "names", "dates", "weekdays"}
    index: dict[str, set[int]] = defaultdict(set)

    def compatible(story: dict, day: dt.date | None, wdays: dict[str, frozenset[int]]) -> bool:
        if day is not None:
            return all(abs((day - d).days) <= max_days for d in story["dates"])
        # An undated article: the weekdays its lede gives each kind of event must meet those the story's
        # dated reports give it.
        return all(not (days and story["weekdays"].get(t)) or days & story["weekdays"][t] for t, days in wdays.items())

    def overlap(vec: dict[str, float], centroid: dict[str, float]) -> float:
        """Weighted overlap: the share of the smaller side's weight that both sides name."""
        shared = sum(v for e, v in vec.items() if e in centroid)
        return shared / (min(sum(vec.values()), sum(idf[e] for e in centroid)) or 1.0)

    def add(i: int, art: str, vec: dict[str, float], day: dt.date | None, wdays: dict[str, frozenset[int]]) -> None:
        st = stories[i]
        st["articles"].append(art)
        for e, v in vec.items():
            st["centroid"][e] = v
        st["names"] |= set(vec)
        st["salient"] |= salient[art]
        st["place_events"] = st.get("place_events", frozenset()) | place_events.get(art, frozenset())
        st["lede_events"] = st.get("lede_events", frozenset()) | lede_events.get(art, frozenset())
        st["lede_keys"] = st.get("lede_keys", frozenset()) | lede_keys.get(art, frozenset())
        st["lede_names"] = st.get("lede_names", frozenset()) | frozenset(e for e in lede[art] if e)
        if day:
            st["dates"].append(day)
            for t, days in wdays.items():
                st["weekdays"][t] = st["weekdays"].get(t, frozenset()) | days
        else:
            for t, days in wdays.items():
                st["undated_weekdays"][t] = st["undated_weekdays"].get(t, frozenset()) | days
        for e in vec:
            index[e].add(i)

    # Dated articles first, then undated ones whose lede says on which weekday their event happened,
    # then the rest: each article meets stories whose time is already as well known as can be.
    order = sorted(facts, key=lambda af: (anchors[af.article] is None, not weekdays.get(af.article),
                                          anchors[af.article] or dt.date.min, af.article))
    for af in order:
        art, vec, day = af.article, vectors[af.article], anchors[af.article]
        wdays = weekdays.get(art, {})
        # Candidate stories come through the article's rarest names only, so that a name shared by
        # many stories does not make every article meet every story.
        keys = sorted(vec, key=lambda e: (-vec[e], e))[:max_keys]
        candidates = sorted({i for e in keys for i in index.get(e, ())})
        best, best_score, runner_up = None, 0.0, 0.0
        for i in candidates:
            st = stories[i]
            if not compatible(st, day, wdays):
                continue
            score = overlap(vec, st["centroid"])
            if score > best_score:
                best, best_score, runner_up = i, score, best_score
            elif score > runner_up:
                runner_up = score
        both = set(vec) & stories[best]["names"] if best is not None else set()
        shared = len(both)
        # Two shared names, or one when both reports are dated within days of each other.
        close_in_time = day is not None and best is not None and any(abs((day - d).days) <= 3 for d in stories[best]["dates"])
        # Without a date on either side nothing but names says two reports are of one event: they must
        # name more in common than reports whose times agree.
        timeless = day is None or not stories[best]["dates"] if best is not None else True
        need = undated_overlap if timeless else min_overlap
        # Names that fit two stories equally well say nothing about which one the article is part of.
        ambiguous = timeless and runner_up >= need and best_score - runner_up < 1e-9
        # What is shared must say what happened, not only where: a person or an organization, or a
        # place when both sides report an event that its place identifies; or several weak names when
        # one side names nothing else, or the story is identified by a strong name and the report names little else.
        identifying = best is not None and _identifying(set(vec) & stories[best]["names"], places,
                                                        place_events.get(art, frozenset()) & stories[best]["place_events"],
                                                        salient[art] - stories[best]["salient"], stories[best]["salient"] - salient[art], raw_idf,
                                                        stories[best]["core"], set(vec) - stories[best]["names"])
        if identifying == "strong" and best is not None:
            # Beside a strong name, weak ones count as part of a shared name ("Arlo Vance" and a city are
            # not two names in common), unless what is shared is most of what the story names too.
            story_weight = sum(idf[e] for e in sorted(stories[best]["names"]))
            mutual = sum(idf[e] for e in sorted(both)) >= 0.5 * story_weight
            shared = shared if mutual else sum(weak_weight if e in places else 1.0 for e in both)
        # Neither side dated: one strong name and an event of one type in both ledes.
        anchored = (best is not None and len(both) == 1 and day is None and not stories[best]["dates"]
                    and _anchored({"names": set(vec), "lede_events": lede_events.get(art, frozenset()),
                                   "lede_names": frozenset(e for e in lede[art] if e)}, stories[best],
                                  both, anchors_strong, places))
        # Neither side dated, both ledes tell of one event of one type that happened to one shared name
        # ("Orkam agreed to acquire Veltrix" / "Orkam will buy Veltrix"): that names what happened, though
        # a lone word says little by itself.
        if (best is not None and day is None and not stories[best]["dates"]
                and _keyed(lede_keys.get(art, frozenset()), stories[best].get("lede_keys", frozenset()), both)):
            anchored, identifying = True, identifying or "strong"
        # Weak names alone ("Varnland", "Lanvik") tie reports whose times are known to meet; undated ones only
        # when they share enough of them (see _enough_weak): two undated reports of a robbery in one
        # country may be of two robberies.
        weak_ok = identifying != "weak" or close_in_time or _enough_weak(
            both, multiword, min_weak, bool(lede_events.get(art, frozenset()) & stories[best].get("lede_events", frozenset())),
            adjectives, spelling, _two_steps(salient[art], both, lede_events.get(art, frozenset()), stories[best]))
        if (best is not None and (best_score >= need or anchored) and not ambiguous and identifying and weak_ok
                and (shared >= 2 or (shared >= 1 and (close_in_time or anchored)))):
            add(best, art, vec, day, wdays)
            stories[best]["core"] |= identifying == "strong"
        else:
            stories.append({"articles": [], "centroid": {}, "names": set(), "dates": [], "weekdays": {}, "undated_weekdays": {},
                            "salient": set(), "core": False})
            add(len(stories) - 1, art, vec, day, wdays)
    stories = _merge_stories(stories, idf, max_days, merge_overlap, undated_overlap, max_keys, full_people, min_people,
                             anchors_strong, places, raw_idf=raw_idf, weak_weight=weak_weight, min_weak=min_weak,
                             multiword=multiword, adjectives=adjectives, spelling=spelling)
    story_of = {}
    for st in stories:
        sid = _stable_id("S", *sorted(st["articles"]))
        for art in st["articles"]:
            story_of[art] = sid
    return story_of


def _weak_names(entities: list[Entity], lexicon: Lexicon) -> frozenset[str]:
    """Entities that say where a report comes from rather than what it reports: places, single words that
    are not a person's name ("Varnland", "Varnish", "Mass."), whose type a lone word does not tell, and
    institutions whose name is made only of such place words and the generic words of institutions
    (story_generic_org_words: "the Varnland Stock Exchange", "the Orsk Foreign Ministry", "the Supreme
    Court"). Many unrelated reports name them."""
    generic = frozenset(str(w).lower() for w in lexicon.get("story_generic_org_words", []) or [])
    generic |= frozenset(str(w).lower() for w in lexicon.get("name_connectors", []) or [])
    weak = {e.id for e in entities if e.etype == "place" or (e.etype != "person" and len(e.canonical.split()) == 1)}
    place_words = {fold(w) for e in entities if e.id in weak for full in {m.full for m in e.mentions}
                   for w in re.split(r"[\s-]+", full)}
    place_words.discard("")
    for e in entities:
        # Whatever type the extractor gave it ("the Orsk Geological Survey" may look like a person's name).
        if e.id in weak:
            continue
        forms = {m.full for m in e.mentions}
        words = [fold(w) for f in forms for w in re.split(r"[\s-]+", f) if fold(w)]
        # At least one generic word: a name made of place words only is a place's ("Varna Orsk").
        if words and any(w in generic for w in words) and all(w in generic or w in place_words for w in words):
            weak.add(e.id)
    return frozenset(weak)


def _identifying(shared: set[str], places: frozenset[str], common_place_events: frozenset[str], own: set[str] = frozenset(),
                 theirs: set[str] = frozenset(), idf: dict[str, float] | None = None, core: bool = False,
                 elsewhere: set[str] = frozenset()) -> str | None:
    """Whether shared names can make two reports one story. "strong": one that is not a place nor a lone
    word nor a generic institution (`places`, see _weak_names), or a place when both reports tell of an
    event that its place identifies (an earthquake). "weak": two or more such weak names, when one side
    names no person nor organization that the other does not (`own`: the joining report's, `theirs`: the
    story's), or when the story is already identified by a strong name (`core`), the shared weak names
    outweigh the joining report's own strong ones, and none of those is a name that other reports use
    (`elsewhere`: it ties the report to another story). A first flash naming only the two capitals and the
    embassy that later reports also name joins them; a report naming the city, the island and the syndicate
    of an arrest sweep joins its story. A country, its adjective, a city and its stock exchange never bring
    together two reports that each name a company and people of their own."""
    if common_place_events or any(e not in places for e in shared):
        return "strong"
    if len(shared) < 2:
        return None
    idf = idf or {}

    def weight(names: set[str]) -> float:
        return sum(idf.get(e, 0.0) for e in sorted(names, key=str) if e and e not in places)

    mine = weight(own)
    if not mine or not weight(theirs):
        return "weak"
    if core and not weight(elsewhere) and sum(idf.get(e, 0.0) for e in sorted(shared)) >= mine:
        return "weak"
    return None


def _countable(shared: set[str], adjectives: frozenset[str], spelling: dict[str, str]) -> set[str]:
    """The shared weak names that count: an adjective of nationality beside a name that begins with its
    first two letters (its country's) says nothing more."""

    def repeats(e: str) -> bool:
        head = spelling.get(e, "")[:2]
        return bool(head) and any(o != e and o not in adjectives and spelling.get(o, "")[:2] == head for o in shared)

    return {e for e in shared if e not in adjectives or not repeats(e)}


def _two_steps(names: set[str], shared: set[str], lede_events: frozenset[str], story: dict) -> bool:
    """A report that names nothing but what a story names (`shared`), and whose first lines tell of two
    kinds of event that the story's first lines tell of too ("hanged himself hours after his arrest"):
    what happened, in two steps, says more than a third place name would."""
    return not {e for e in names if e} - shared and len(lede_events & story.get("lede_events", frozenset())) >= 2


def _enough_weak(shared: set[str], multiword: frozenset[str], min_weak: int, same_event: bool,
                 adjectives: frozenset[str] = frozenset(), spelling: dict[str, str] | None = None,
                 two_steps: bool = False) -> bool:
    """Enough weak names in common to tie two undated reports: `min_weak` of them when both ledes tell of
    one kind of event (a city, its island and its syndicate), else one more, a name of several words
    counting twice ("Orme Street" and "Tarrow Square" say where more closely than a country and a city,
    which two robberies in one country share). An adjective of nationality (`adjectives`) does not count
    beside a shared name that begins with its first two letters (`spelling`: a name's folded letters),
    "Varnish" beside "Varnland": it says again what the country's name says."""
    shared = _countable(shared, adjectives, spelling or {})
    if two_steps and len(shared) >= min_weak - 1:
        return True  # a report naming only those, whose lede tells two kinds of event the other's does (_two_steps)
    return (same_event and len(shared) >= min_weak) or len(shared) + len(shared & multiword) > min_weak


def _same_place(shared: set[str], same_events: frozenset[str], places: frozenset[str], multiword: frozenset[str],
                min_weak: int, idf: dict[str, float], own: set[str], adjectives: frozenset[str] = frozenset(),
                spelling: dict[str, str] | None = None) -> bool:
    """Whether weak names alone say that two reports of one day (or a day apart) are of one event: both
    ledes tell of an event of one kind (`same_events`); they share `min_weak` weak names (a country's
    adjective beside it aside, see _enough_weak) of which two are names of several words ("Orme Street",
    "Tarrow Square": where, closely), or one more of which one is; and what they share outweighs the
    strong names that the joining report's first lines name of their own (`own`). Two robberies in one
    city on one day share its name and the country's, not its streets, its squares and the store."""
    if not same_events or not shared & multiword or not shared <= places:
        return False
    counted = _countable(shared, adjectives, spelling or {})
    if len(counted) < min_weak + (len(counted & multiword) < 2):
        return False
    return sum(idf.get(e, 0.0) for e in sorted(shared)) >= sum(idf.get(e, 0.0) for e in sorted(own) if e and e not in places)


def _keyed(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]], shared: set[str]) -> set[str]:
    """The shared names that both sides' ledes give as what one event of one type happened to (the
    company acquired, the person arrested): (event type, entity) pairs in common."""
    return {e for _, e in a & b} & shared


def _anchored(a: dict, b: dict, shared: set[str], strong: frozenset[str], places: frozenset[str]) -> bool:
    """Two undated stories that one strong name joins: both ledes report an event of one type, and one
    side names nobody and nothing but places that the other does not name ("Armed robbers stole jewels
    from the Orla Brandt store in Varona" against a story of the heist at Orla Brandt)."""
    # the strong name is what both sides' first lines are about, not a name a later line recalls ("the
    # same store was robbed in 2009")
    lede_shared = shared & strong & a.get("lede_names", frozenset()) & b.get("lede_names", frozenset())
    if not lede_shared or not a.get("lede_events", frozenset()) & b.get("lede_events", frozenset()):
        return False
    return any(not (x["names"] - places) - y["names"] for x, y in ((a, b), (b, a)))


def _merge_stories(stories: list[dict], idf: dict[str, float], max_days: int, min_overlap: float, undated_overlap: float,
                   max_keys: int, people: frozenset[str] = frozenset(), min_people: int = 3,
                   strong: frozenset[str] = frozenset(), places: frozenset[str] = frozenset(),
                   strong_overlap: float = 0.3, raw_idf: dict[str, float] | None = None,
                   weak_weight: float = 1.0, min_weak: int = 3, multiword: frozenset[str] = frozenset(),
                   adjectives: frozenset[str] = frozenset(), spelling: dict[str, str] | None = None) -> list[dict]:
    """A second pass: two stories that name the same rare things (at least two of them, covering most of
    the smaller story's weight), whose dated reports lie within the time window of each other and whose
    ledes never put one kind of event on different weekdays, are one story. The greedy first pass splits
    a story when its first articles happen to name little in common with the later ones. A story without
    dates that fits two others equally well joins neither."""
    index: dict[str, set[int]] = defaultdict(set)
    strong_index: dict[str, set[int]] = defaultdict(set)
    place_index: dict[str, set[int]] = defaultdict(set)
    keys = {}
    for i, st in enumerate(stories):
        keys[i] = sorted(st["names"], key=lambda e: (-idf[e], e))[:max_keys]
        for e in keys[i]:
            index[e].add(i)
        # Undated stories also meet through every strong name and every person named in full, however
        # common (a large story's rarest names are seldom those a short report gives), but only to be
        # joined by strong names.
        if not st["dates"]:
            for e in st["names"] & (people | strong):
                strong_index[e].add(i)
        else:
            # Dated stories also meet through every weak name of several words (a street, a square),
            # however common: what two reports of one day share of where it happened (see _same_place).
            for e in st["names"] & places & multiword:
                place_index[e].add(i)
    weight = {i: sum(idf[e] for e in sorted(st["names"])) for i, st in enumerate(stories)}

    def times_meet(a: dict, b: dict) -> bool:
        """Dated reports within the window, and the weekdays one side's dated reports give a kind of
        event meet those the other side gives it."""
        if any(abs((x - y).days) > max_days for x in a["dates"] for y in b["dates"]):
            return False
        for x, y in ((a, b), (b, a)):
            for t, days in x["weekdays"].items():
                other = y["weekdays"].get(t, frozenset()) | y["undated_weekdays"].get(t, frozenset())
                if days and other and not days & other:
                    return False
        return True

    pairs = []
    for i, st in enumerate(stories):
        # Candidates through either side's rarest names: a pair is found from whichever side names it.
        found = {j for e in st["names"] for j in index.get(e, ()) if j != i}
        if st["dates"]:
            found |= {j for e in st["names"] & places & multiword for j in place_index.get(e, ()) if j != i}
        extra = {j for e in st["names"] for j in strong_index.get(e, ()) if j != i} - found if not st["dates"] else set()
        for j in sorted(found | extra):
            lo, hi = min(i, j), max(i, j)
            a, b = stories[i], stories[j]
            shared = a["names"] & b["names"]
            timeless = not a["dates"] and not b["dates"]
            # No time on either side, but strong names in common: several people named in full, or one
            # strong name that is all one side names.
            by_strong = timeless and (len(shared & people) >= min_people or _anchored(a, b, shared, strong, places)
                                      or bool(_keyed(a.get("lede_keys", frozenset()), b.get("lede_keys", frozenset()), shared)))
            if not times_meet(a, b) or not (by_strong or (len(shared) >= 2 and j in found)):
                continue
            # the side a strong name identifies (if one is) is the story the other joins
            joining, joined = (b, a) if a["core"] else (a, b)
            kind = _identifying(shared, places, a.get("place_events", frozenset()) & b.get("place_events", frozenset()),
                                joining["salient"] - joined["salient"], joined["salient"] - joining["salient"], raw_idf or idf,
                                joined["core"], joining["names"] - joined["names"])
            # dated reports of one day or two that share where their one kind of event happened closely
            if (kind is None and a["dates"] and b["dates"] and max(a["dates"] + b["dates"]) - min(a["dates"] + b["dates"]) <= dt.timedelta(days=1)
                    and any(_same_place(shared, x.get("lede_events", frozenset()) & y.get("lede_events", frozenset()), places, multiword,
                                        min_weak, raw_idf or idf, x.get("lede_names", frozenset()) - y["names"], adjectives, spelling)
                            for x, y in ((a, b), (b, a)))):
                kind = "weak"
            # beside a strong name, weak ones count as part of a shared name, unless what is shared is most
            # of what both stories name
            mutual = sum(idf[e] for e in sorted(shared)) >= 0.5 * max(weight[i], weight[j])
            # (a join by strong names alone needs no second name: that is what makes it strong)
            if kind == "weak" and not (a["dates"] and b["dates"]) and not _enough_weak(
                    shared, multiword, min_weak, bool(a.get("lede_events", frozenset()) & b.get("lede_events", frozenset())),
                    adjectives, spelling, any(_two_steps(x["salient"], shared, x.get("lede_events", frozenset()), y) for x, y in ((a, b), (b, a)))):
                continue  # weak names alone: as in the first pass
            if not kind or (kind == "strong" and not by_strong and not mutual
                            and sum(weak_weight if e in places else 1.0 for e in shared) < 2):
                continue
            score = sum(idf[e] for e in sorted(shared)) / (min(weight[i], weight[j]) or 1.0)
            need = min_overlap if a["dates"] and b["dates"] else max(min_overlap, undated_overlap)
            if by_strong:
                need = min(need, strong_overlap)
            if score >= need:
                pairs.append((score, lo, hi))
    pairs = sorted(set(pairs), key=lambda p: (-p[0], p[1], p[2]))
    best: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for score, i, j in pairs:
        # The smaller story is the one that joins: a large story that many small ones fit equally well
        # (each wholly contained in it) is not ambiguous, a small one that fits two stories equally is.
        joiner = min((i, j), key=lambda k: (len(stories[k]["articles"]), weight[k], k))
        best[joiner].append((score, j if joiner == i else i))
    ambiguous = {i for i, scores in best.items()
                 if not stories[i]["dates"] and len(scores) >= 2 and scores[0][0] - scores[1][0] < 1e-9}
    uf = _UnionFind(len(stories))
    merged = {i: dict(st, articles=list(st["articles"]), names=set(st["names"]), dates=list(st["dates"])) for i, st in enumerate(stories)}

    def join(i: int, j: int) -> None:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj or not times_meet(merged[ri], merged[rj]):
            return
        uf.union(ri, rj)
        keep, gone = (merged[ri], merged[rj]) if uf.find(ri) == ri else (merged[rj], merged[ri])
        keep["articles"] += gone["articles"]
        keep["names"] |= gone["names"]
        keep["dates"] += gone["dates"]
        keep["salient"] = keep["salient"] | gone["salient"]
        keep["core"] = keep["core"] or gone["core"]
        for k in ("lede_events", "lede_names", "lede_keys"):
            keep[k] = keep.get(k, frozenset()) | gone.get(k, frozenset())
        for k in ("weekdays", "undated_weekdays"):
            keep[k] = {t: keep[k].get(t, frozenset()) | gone[k].get(t, frozenset()) for t in sorted(set(keep[k]) | set(gone[k]))}
        merged[uf.find(ri)] = keep

    for score, i, j in pairs:
        if i not in ambiguous and j not in ambiguous:
            join(i, j)
    # A story that fitted two others equally joins them once they have become one story (also when they
    # became one by another such join: repeated until nothing changes).
    pending = sorted(ambiguous)
    while pending:
        left = []
        for i in pending:
            top = [k for score, k in best[i] if best[i][0][0] - score < 1e-9]
            if len({uf.find(k) for k in top}) == 1 and uf.find(i) != uf.find(top[0]):
                join(i, top[0])
            elif len({uf.find(k) for k in top}) > 1:
                left.append(i)
        if len(left) == len(pending):
            break
        pending = left
    return [merged[i] for i in range(len(stories)) if uf.find(i) == i]


def _story_keys(entities: list[Entity], particles: frozenset[str]) -> dict[str, str]:
    """For grouping articles into stories, one name written the same way is one name whatever type the
    extractor gave it in each article: "Orla Brandt" the jeweller's store, typed a person in some reports
    and an organization in others, and "Port-Aven" / "Port Aven". Names of two words or more only (a lone
    word may be a person's name in one report and a country in another). Maps each entity to the entity
    that stands for its group (itself when it has none)."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for e in entities:
        keys = set()
        for full in {m.full for m in e.mentions}:
            words = content_tokens(full, particles)
            if len([p for w in words for p in re.split(r"[-‐‑]+", w) if fold(p)]) >= 2:
                keys.add(fold("".join(words)))
        for k in sorted(keys):
            by_key[k].append(e.id)
    uf_ids = sorted({e.id for e in entities})
    pos = {eid: i for i, eid in enumerate(uf_ids)}
    uf = _UnionFind(len(uf_ids))
    for ids in by_key.values():
        for other in ids[1:]:
            uf.union(pos[ids[0]], pos[other])
    return {eid: uf_ids[uf.find(pos[eid])] for eid in uf_ids}


def link(articles: list[Article], facts: list[ArticleFacts], lexicon: Lexicon) -> Linked:
    entities = link_entities(facts, lexicon)
    entity_of = {(m.article, m.full): e.id for e in entities for m in e.mentions}
    by_id = {a.id: a for a in articles}
    # When each article's story happened, as far as the article itself tells: its publication date, else
    # the day its lede gives its event.
    own = {af.article: _article_anchor(by_id[af.article], af) for af in facts}
    weekday_of = {str(k).lower(): int(v) for k, v in (lexicon.get("date_weekdays", {}) or {}).items()}
    place_keyed_types = frozenset(lexicon.get("event_place_keyed", []) or [])
    particles = frozenset(str(p).lower() for p in lexicon.get("name_particles", []) or [])
    # Stories group articles by names written alike, whatever their type (see _story_keys): a group is
    # weak when any of its members is, strong or a person named in full when any is.
    key = _story_keys(entities, particles)
    demonyms = frozenset(fold(str(w)) for k in ("name_demonyms", "story_adjective_words") for w in lexicon.get(k, []) or [])
    story_entity = {k: key[v] for k, v in entity_of.items()}
    story_weak = frozenset(key[e] for e in _weak_names(entities, lexicon))
    story_of = link_stories(
        own, facts, story_entity,
        background={af.article: _background(af, own[af.article]) for af in facts},
        weekdays={af.article: _lede_weekdays(af, weekday_of) for af in facts},
        places=story_weak,
        place_events={af.article: frozenset(e.value for e in af.of("event") if e.value in place_keyed_types) for af in facts},
        anchors_strong=frozenset(key[e.id] for e in entities if e.etype != "place" and len(content_tokens(e.canonical, particles)) >= 2),
        full_people=frozenset(key[e.id] for e in entities if e.etype == "person" and len(content_tokens(e.canonical, particles)) >= 2),
        lede_events={af.article: frozenset(e.value for e in af.of("event") if e.sentence_index < _LEDE) for af in facts},
        # what each lede's events happened to, for events not keyed by their place (two quakes in one
        # province are two quakes)
        lede_keys={af.article: frozenset((e.value, story_entity[(af.article, e.hosts[0])]) for e in af.of("event")
                                         if e.sentence_index < _LEDE and e.hosts and e.value not in place_keyed_types
                                         and (af.article, e.hosts[0]) in story_entity) for af in facts},
        multiword=frozenset(key[e.id] for e in entities if len(content_tokens(e.canonical, particles)) >= 2),
        adjectives=frozenset(key[e.id] for e in entities if e.etype != "person" and fold(e.canonical) in demonyms),
        spelling={key[e.id]: fold(e.canonical) for e in entities if key[e.id] == e.id},
    )
    anchors = _story_anchors(own, story_of, {a.id: a.published is not None for a in articles})
    entities = merge_variants(entities, story_of, lexicon)
    entity_of = {(m.article, m.full): e.id for e in entities for m in e.mentions}
    canonical = {e.id: e.canonical for e in entities}
    subjects = lexicon.get("event_subjects", {}) or {}
    reference = _story_reference(story_of, by_id, facts, own)
    persons = {e.id for e in entities if e.etype == "person"}
    # Each mention's key inside its story and type: the person it happened to (or met), the place of an
    # event keyed by place, else the thing it happened to ("a fishing trawler").
    # A past event of a person told in an article's background ("was convicted in 2019") is one event
    # whichever story tells it: its mentions are grouped across stories (key PAST), by type and person.
    # Past means before the story began: before the earliest of its reports' times.
    past_types = frozenset(lexicon.get("event_past_types", []) or [])
    story_start: dict[str, dt.date] = {}
    for art, day in anchors.items():
        st = story_of.get(art, art)
        if day is not None and (st not in story_start or day < story_start[st]):
            story_start[st] = day
    keyed: dict[tuple[str, str], list[tuple[EventFact, str | None, str | None]]] = defaultdict(list)
    # Types whose mention in a lede, of no one named and nothing in particular ("the navy foiled an attack
    # on Thursday"), is the story's news itself: the ledes of one story's reports tell one such event.
    lede_types = frozenset(lexicon.get("event_lede_keyed", []) or [])
    openers = _side_openers(lexicon)
    background = {af.article: _background(af, anchors[af.article], openers=openers) for af in facts}
    for af in facts:
        story = story_of.get(af.article, af.article)
        redate = _story_year_dates(af, reference.get(story)) if by_id[af.article].published is None else {}
        for e in af.of("event"):
            if e.date_span and e.date_span in redate:
                e = e.model_copy(update={"date": redate[e.date_span]})
            host = e.hosts[0] if e.hosts else None
            ent = entity_of.get((af.article, host)) if host else None
            if e.value in past_types and ent in persons and _before_anchor(e.date, story_start.get(story)):
                keyed[(PAST, e.value)].append((e, ent, None))
                continue
            place_ent = entity_of.get((af.article, e.place)) if e.place else None
            if e.value in place_keyed_types:
                # Where it happened is what makes it one event: a visit or a quake named nowhere is none
                # in particular ("the slated visit of X in September" is not "a visit on Tuesday").
                if place_ent:
                    keyed[(story, e.value)].append((e, place_ent, None))
            elif ent or e.thing:
                keyed[(story, e.value)].append((e, ent, e.thing))
            elif e.value in lede_types and e.sentence_index < _LEDE and not e.hosts and (
                    _near_anchor(e.date, anchors[af.article]) if e.date else e.sentence_index not in background[af.article]):
                # a lede sentence's other date ("the fifth such operation since September") does not
                # make a mention with a date of its own near the story's time background
                keyed[(story, e.value)].append((e, None, LEDE))
    events = []
    event_of = {}
    for (story, etype), items in sorted(keyed.items()):
        for ents, mentions in _event_groups(items, persons, canonical, particles):
            mentions = sorted(mentions, key=lambda m: (m.article, m.start))
            template = subjects.get(etype, etype + " of {x}")
            named = Counter(entity_of.get((m.article, m.hosts[0])) for m in mentions if m.hosts)
            main = max(sorted(ents), key=lambda x: named.get(x, 0)) if ents else None
            things = Counter(m.thing for m in mentions if m.thing)
            thing = things.most_common(1)[0][0] if things else None
            if not ents and not thing and all(m.sentence_index < _LEDE for m in mentions) and etype in lede_types:
                thing = LEDE
            if main:
                subject, key = template.format(x=canonical[main]), canonical[main]
            elif thing == LEDE:
                # told by where it happened when the ledes say so (never by names other stories decide)
                places = Counter(m.place for m in mentions if m.place)
                where = min(places, key=lambda p: (-places[p], p)) if places else None
                subject, key = (f"{etype} in {where}" if where else etype), LEDE
            elif thing:
                subject, key = template.format(x="a " + thing), "thing:" + thing
            else:
                subject, key = etype, ""
            eid = _stable_id("V", story, etype, key)
            dates = Counter(m.date for m in mentions if m.date)
            parent: str | None = story
            if story == PAST:
                told_in = {story_of.get(m.article, m.article) for m in mentions}
                parent = told_in.pop() if len(told_in) == 1 else None  # a story's own when told in one story only
            events.append(
                Event.model_construct(  # (the values are the model's: one shared set of fields set, not one an event)
                    _EVENT_FIELDS,
                    id=eid,
                    type=etype,
                    subject=subject,
                    mentions=tuple(mentions),
                    articles=tuple(sorted({m.article for m in mentions})),
                    date=dates.most_common(1)[0][0] if dates else None,
                    parent=parent,
                )
            )
            for m in mentions:
                event_of[(m.article, m.start)] = eid
    return Linked(entities, entity_of, story_of, events, event_of, background, _story_names(facts, story_of, entities), anchors,
                  _weak_names(entities, lexicon))


PAST = "\x00past"
LEDE = "\x00lede"  # the key of a story's own event of a type, told in its reports' ledes of no one named


def _near_anchor(value: str, anchor: dt.date | None, max_days: int = 7) -> bool:
    """A date at most `max_days` from the time of its article's story (a day), or its month or year;
    any date when that time is unknown."""
    if anchor is None:
        return True
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return abs((anchor - dt.date.fromisoformat(value)).days) <= max_days
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return (int(value[:4]), int(value[5:7])) == (anchor.year, anchor.month)
    return value[:4] == str(anchor.year)


def _before_anchor(value: str | None, anchor: dt.date | None, max_days: int = 7) -> bool:
    """A date before the time of its article's story at the precision it is given: a day more than
    `max_days` before, an earlier month, an earlier year."""
    if not value or anchor is None:
        return False
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (anchor - dt.date.fromisoformat(value)).days > max_days
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return (int(value[:4]), int(value[5:7])) < (anchor.year, anchor.month)
    return bool(re.fullmatch(r"\d{4}", value)) and int(value) < anchor.year


def _event_groups(items: list[tuple[EventFact, str | None, str | None]], persons: set[str], canonical: dict[str, str],
                  particles: frozenset[str]) -> list[tuple[set[str], list[EventFact]]]:
    """The mentions of one type in one story, grouped into events: one person (or place) is one event;
    two people of one surname that no article names side by side are one ("Nikos" / "Nikolaos X");
    a mention naming no one joins the event of the thing it happened to ("sank a fishing trawler").
    A group never holds two different people: one article's two counterparts are two events."""
    uf = _UnionFind(len(items))
    by_ent: dict[str, int] = {}
    by_thing: dict[str, list[int]] = defaultdict(list)
    ents_of: dict[int, set[str]] = {i: ({ent} if ent else set()) for i, (_, ent, _) in enumerate(items)}
    arts_of: dict[str, set[str]] = defaultdict(set)
    for i, (e, ent, thing) in enumerate(items):
        if ent is not None:
            arts_of[ent].add(e.article)
            if ent in by_ent:
                uf.union(by_ent[ent], i)
            else:
                by_ent[ent] = i
        if thing:
            by_thing[thing].append(i)

    # a person's surname and initial, folded, once per person (None: fewer than two words)
    marks: dict[str, tuple[str, str] | None] = {}

    def mark(e: str) -> tuple[str, str] | None:
        if e not in marks:
            t = content_tokens(canonical[e], particles)
            marks[e] = (fold(t[-1]), fold(t[0])[:1]) if len(t) >= 2 else None
        return marks[e]

    def same_person(a: str, b: str) -> bool:
        if a == b:
            return True
        if a not in persons or b not in persons or arts_of[a] & arts_of[b]:
            return False
        ma, mb = mark(a), mark(b)
        return ma is not None and mb is not None and ma == mb

    # The people of each group, kept per root so that a join never scans every mention.
    root_ents: dict[int, set[str]] = defaultdict(set)
    for i in range(len(items)):
        root_ents[uf.find(i)] |= ents_of[i]

    def join(i: int, j: int) -> None:
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            return
        ea, eb = root_ents[ri], root_ents[rj]
        if all(same_person(a, b) for a in ea for b in eb):
            uf.union(ri, rj)
            merged = root_ents.pop(ri) | root_ents.pop(rj)
            root_ents[uf.find(ri)] = merged

    ents = sorted(by_ent)
    for x in range(len(ents)):
        for y in range(x + 1, len(ents)):
            if same_person(ents[x], ents[y]):
                join(by_ent[ents[x]], by_ent[ents[y]])
    for _, idxs in sorted(by_thing.items()):
        for i in idxs[1:]:
            join(idxs[0], i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[uf.find(i)].append(i)
    out = []
    for idxs in groups.values():
        named = {x for i in idxs for x in ents_of[i]} - {""}
        if not named and not any(items[i][2] for i in idxs) and not any(items[i][1] == "" for i in idxs):
            continue
        out.append((named, [items[i][0] for i in idxs]))
    return out


_YEARLESS = re.compile(r"XXXX-(\d{2})-(\d{2})")


def _story_reference(story_of: dict[str, str], by_id: dict[str, Article], facts: list[ArticleFacts],
                     own: dict[str, dt.date | None]) -> dict[str, dt.date]:
    """When each story happened, as far as its reports tell: the middle of its reports' publication
    dates, else of the days their ledes give, else the date written with its year that most of its
    reports give (the latest on a tie)."""
    published: dict[str, list[dt.date]] = defaultdict(list)
    ledes: dict[str, list[dt.date]] = defaultdict(list)
    written: dict[str, Counter] = defaultdict(Counter)
    for af in facts:
        story = story_of.get(af.article, af.article)
        if by_id[af.article].published:
            published[story].append(by_id[af.article].published)
        elif own.get(af.article):
            ledes[story].append(own[af.article])
        days = {d.value for d in af.of("date") if d.resolved and d.anchor == "absolute" and d.timex_type == "DATE"
                and isinstance(d.value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.value)}
        written[story].update(days)
    out = {}
    for story in sorted(set(story_of.values()) | set(story_of)):
        for days in (published.get(story), ledes.get(story)):
            if days:
                out[story] = sorted(days)[(len(days) - 1) // 2]
                break
        else:
            if written.get(story):
                value = max(written[story].items(), key=lambda kv: (kv[1], kv[0]))[0]
                out[story] = dt.date.fromisoformat(value)
    return out


def _story_year_dates(af: ArticleFacts, reference: dt.date | None) -> dict[tuple[int, int], str]:
    """In an article without a publication date, a day written without its year ("Dec. 6") takes the
    year that puts it nearest the story's time, unless the year it took from the text is trustworthy:
    the date before it, in its sentence or the one before, has its year written (or took it so)."""
    if reference is None:
        return {}
    out = {}
    trusted: dict[int, bool] = {}
    prev = None
    for d in sorted(af.of("date"), key=lambda d: d.start):
        if d.timex_type not in ("DATE", "TIME"):
            continue
        v = d.value if isinstance(d.value, str) else ""
        month_day = None
        if not d.resolved and (m := _YEARLESS.fullmatch(v)):
            month_day = (int(m.group(1)), int(m.group(2)))
        elif d.resolved and d.note == YEAR_FROM_PREVIOUS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            ok = prev is not None and d.sentence_index - prev.sentence_index <= 1 and trusted.get(prev.start, False)
            if ok:
                trusted[d.start] = True
            else:
                month_day = (int(v[5:7]), int(v[8:10]))
        elif d.resolved:
            trusted[d.start] = d.anchor == "absolute" and bool(re.match(r"\d{4}", v)) and bool(re.search(r"\d{4}", d.text)) \
                or (d.anchor == "previous" and prev is not None and trusted.get(prev.start, False))
        if month_day is not None:
            cands = []
            for y in (reference.year - 1, reference.year, reference.year + 1):
                try:
                    cands.append(dt.date(y, *month_day))
                except ValueError:
                    pass
            if cands:
                out[(d.start, d.end)] = min(cands, key=lambda c: (abs((c - reference).days), c)).isoformat()
        if d.resolved:
            prev = d
    return out


def _story_anchors(own: dict[str, dt.date | None], story_of: dict[str, str],
                   published: dict[str, bool]) -> dict[str, dt.date | None]:
    """Each article's anchor once stories are known: its own when it has one. An article with no date
    of its own, in a story that no published report dates, takes the day the other reports' ledes give
    (the median), so that reports of one undated story are compared with each other. In a story with
    published reports it stays undated: names alone never put an undated report on a dated one's day."""
    per_story: dict[str, list[dt.date]] = defaultdict(list)
    dated_story = set()
    for art in sorted(own):
        story = story_of.get(art, art)
        if published.get(art):
            dated_story.add(story)
        if own[art] is not None:
            per_story[story].append(own[art])
    middle = {s: sorted(days)[(len(days) - 1) // 2] for s, days in per_story.items() if s not in dated_story}
    return {art: own[art] if own[art] is not None else middle.get(story_of.get(art, art)) for art in own}


@lru_cache(maxsize=8)
def _side_openers(lexicon: Lexicon) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Sentence openings (lexicon side_story_openers, continuation_openers) as regexes."""
    out = []
    for key, tail in (("side_story_openers", r"(?:,|\s)"), ("continuation_openers", r"\b")):
        words = sorted((str(w) for w in lexicon.get(key, []) or []), key=len, reverse=True)
        alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        out.append(re.compile(rf"[\s\"'“‘(]*(?:{alt}){tail}", re.IGNORECASE) if alt else None)
    return out[0], out[1]


def _background(af: ArticleFacts, anchor: dt.date | None, max_days: int = 7,
                openers: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None)) -> frozenset[int]:
    """Sentences dated away from the article's own event ("On April 20, a 6.4-magnitude earthquake
    jolted ..."): their facts belong to an earlier event, not to this story. So do sentences that open
    a side story ("Meanwhile, ..."; `openers[0]`), and a sentence after one of either kind that goes
    on about it (opening with a pronoun or a quotation mark, `openers[1]`) and gives no date of its own."""
    out = _dated_background(af, anchor, max_days)
    side, cont = openers
    if side is None and cont is None:
        return out
    marked = set(out)
    if side is not None:
        marked |= {s.index for s in af.sentences if s.index > 0 and side.match(s.text)}
    # A day or a time of its own ("on Tuesday", "at 4 p.m."), not a vague "now" or "recently".
    dated = {d.sentence_index for d in af.of("date") if d.timex_type in ("DATE", "TIME")
             and not (isinstance(d.value, str) and d.value.endswith("_REF"))}
    for s in sorted(af.sentences, key=lambda s: s.index):
        if (s.index - 1 in marked and s.index not in marked and s.index not in dated
                and ((cont is not None and cont.match(s.text)) or s.text.lstrip()[:1] in "\"“‘")):
            marked.add(s.index)
    return frozenset(marked)


def _dated_background(af: ArticleFacts, anchor: dt.date | None, max_days: int = 7) -> frozenset[int]:
    if anchor is None:
        return frozenset()
    out = set()
    for d in af.of("date"):
        if d.timex_type != "DATE" or not d.resolved or not isinstance(d.value, str):
            continue
        v = d.value
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            if abs((dt.date.fromisoformat(v) - anchor).days) > max_days:
                out.add(d.sentence_index)
        elif re.fullmatch(r"\d{4}-\d{2}", v):
            y, m = map(int, v.split("-"))
            if (y, m) != (anchor.year, anchor.month) and abs((y * 12 + m) - (anchor.year * 12 + anchor.month)) > 1:
                out.add(d.sentence_index)
        elif re.fullmatch(r"\d{4}", v) and int(v) < anchor.year:
            out.add(d.sentence_index)
    return frozenset(out)


def _story_names(facts: list[ArticleFacts], story_of: dict[str, str], entities: list[Entity]) -> dict[str, str]:
    """A readable name per story: its most mentioned names that other stories do not share."""
    canon = {(m.article, m.full): e.canonical for e in entities for m in e.mentions}
    per_story: dict[str, Counter] = defaultdict(Counter)
    for af in facts:
        for n in af.of("name"):
            per_story[story_of.get(af.article, af.article)][canon.get((af.article, n.full), n.full)] += 1
    spread = Counter(name for c in per_story.values() for name in c)
    names = {}
    for story, counts in per_story.items():
        top = sorted(counts, key=lambda k: (-(counts[k] / spread[k]), -counts[k], k))[:2]
        names[story] = ", ".join(top) if top else story
    return names
