"""Incremental runs: a changed article re-checks only what it can change, with the same answer as a cold run.

Early cutoff, as build systems do it. Each run stores, beside its result (the run cache), a record of
how it got there:

- per article: its fact-cache key, its path, its number of facts and a digest of its *link projection*,
  every field that `checker.link.link` reads: the article's id and publication date, and every field
  of its name, date, event and attendance facts, in order, except the two link never reads (a fact's
  sentence text and its line). Number, quote and role facts are not read by linking at all;
- the link decisions, compactly (articles by their index in article order): each entity (id, type,
  canonical name, its mentions as (article, start) keys), the story of each article, the event of each
  event mention, background sentences, anchors and story names. The entity of each (article, full
  name) is rebuilt from the entities the way `link` builds it;
- for each finding, the rule that made it and its scope: the story its claims come from (rules whose
  `finding_scope` is "story") or the entity it is about ("entity" rules: spelling, role).

A later run over the same articles in the same order, the same rules, lexicon, code and options, in
which every changed article (a new content key or path) has the same link projection, links exactly as
the stored run did: `link` is a function of the projections and of the article order. Its decisions are
reused without linking (`try_incremental`). Its findings are the stored ones, except those of the
stories and entities a changed article is part of, which are computed again by the rules themselves,
on the facts of those stories and the mentions of those entities (rebuilt from the stored decisions and
the current facts). A rule's findings in one scope depend only on that scope's facts, articles and the
link decisions (checked per rule: see each rule's `finding_scope`), so the union is the cold run's answer.

Any other change links the whole corpus again: an added, removed or reordered article, a changed link
projection, a rule whose scope is unknown, an extraction error, a fact limit, a missing or damaged
record. After that relink, the findings of every story and entity whose inputs (articles, facts and the
link decisions its rules read) are all unchanged are still the stored ones (`compare_reusing`); the rules
run on the others only. Tests compare the JSON report of incremental runs with cold ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
import hashlib
import json
import marshal
import operator
from dataclasses import dataclass, field
from typing import Any, Callable

from checker.compact import CompactFacts, Record, Sharing
from checker.compare import merge, rule_findings, sort_key
from checker.link import Linked, _background, _side_openers
from checker.models import Article, ArticleFacts, Entity, Event, Finding, NameFact, RoleFact
from checker.rules.base import _SCOPE_LOG, Context, _ScopeLog

RECORD_VERSION = 5  # 4: each article's entity digest (entity_digest); 5: the weak entities
LINK_KINDS = ("name", "date", "event", "attendance")  # the fact kinds link reads
_UNREAD = frozenset({"sentence", "line"})  # fields of those facts that link never reads
_FIELDS: dict[type, Callable[[dict], tuple]] = {}


def link_digest(article: Article, af: ArticleFacts) -> str:
    """A digest of everything `link` reads of one article and its facts, but for the sentence openings that
    make a sentence background ("Meanwhile, ..."): try_incremental compares that background itself."""
    rows: list[Any] = [article.id, af.article, repr(article.published)]
    for kind in LINK_KINDS:
        facts = af.of(kind)
        rows.append(kind)
        if facts:
            get = _getter(type(facts[0]))
            rows.append([get(f) for f in facts] if all(type(f) is type(facts[0]) for f in facts)
                        else [_getter(type(f))(f) for f in facts])
    try:
        # marshal version 0: the same bytes for equal values (no references, no interning marks)
        data = marshal.dumps(rows, 0)
    except ValueError:  # a value marshal cannot write: its repr, which is as exact and slower
        data = repr(rows).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def entity_readers(rules: list[Any]) -> list[Any] | None:
    """The enabled entity rules, when every one declares that it reads only an entity's part of each article
    (`entity_reads` "names", see checker/rules/base.py), else None."""
    readers = [r for r in rules if r.enabled and getattr(r, "finding_scope", None) == "entity"]
    return readers if all(getattr(r, "entity_reads", None) == "names" for r in readers) else None


TEXT_BLOCK = 256  # characters of an article's text per stored block digest


def entity_digest(article: Article) -> list:
    """What an incremental run keeps of an article for the entity rules (entity_reads "names"), besides its
    facts (in the fact cache): a digest of its id, source, path and publication date and time; its text's
    length; and a digest of each TEXT_BLOCK characters of its text (see `_same_prefix`)."""
    meta = [article.id, article.source, article.path, repr(article.published), repr(article.published_at)]
    return [_digest(meta), len(article.text), _blocks(article.text, len(article.text))]


def _row(fact: Any) -> tuple:
    return (type(fact).__name__, tuple(fact) if isinstance(fact, Record) else tuple(fact.__dict__.values()))


def _digest(rows: list) -> str:
    try:
        data = marshal.dumps(rows, 0)  # version 0: the same bytes for equal values
    except ValueError:
        data = repr(rows).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def _blocks(text: str, length: int) -> str:
    """Digests of text[0:B], text[B:2B], ... up to `length` (B = TEXT_BLOCK), 16 hex digits each."""
    return "".join(hashlib.blake2b(text[i : min(i + TEXT_BLOCK, length)].encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
                   for i in range(0, min(len(text), length), TEXT_BLOCK))


def _same_prefix(old: list, text: str) -> int:
    """How many leading characters the stored text (`entity_digest`'s length and blocks) and `text`
    certainly share: the blocks of `text` cut where the stored text's were, equal up to the first that
    differs (the whole stored text when `text` only adds to it)."""
    length, blocks = old[-2], old[-1]
    new = _blocks(text, length)
    n = 0
    while n < len(blocks) and blocks[n : n + 16] == new[n : n + 16]:
        n += 16
    return min(n // 16 * TEXT_BLOCK, length, len(text))


class EntityParts:
    """Whether an entity's part in a changed article is what it was, for entity rules that read only that
    part (`readers`, see entity_reads in checker/rules/base.py): its mentions there, the role facts whose
    person or owner is the full name of one of them (every field of each), the article's id, source,
    path and publication date and time, and its text as far as the rules reach from those facts. The
    stored side is the record's `entity_digest` and the article's stored facts (read from the fact cache
    by the stored key). A reach depends only on the text before it, so an entity whose facts are equal
    and whose reach ends within the text both versions share is unchanged."""

    def __init__(self, readers: list[Any] | None, cache: Any) -> None:
        self.readers = readers
        self.cache = cache
        self.articles: dict[str, Any] = {}

    def _state(self, stored: list, article: Article, af: ArticleFacts) -> Any:
        state = self.articles.get(article.id)
        if state is None:
            new = entity_digest(article)
            before = stored[3] if len(stored) > 3 else None
            if self.readers is None or before is None or len(before) != 3 or before[0] != new[0]:
                state = False
            else:
                old = self._old_facts(stored[0], article.id)
                state = False if old is None else (_same_prefix(before, article.text), old)
            self.articles[article.id] = state
        return state

    def _old_facts(self, key: str, article: str) -> ArticleFacts | None:
        from checker.parallel import _decode

        blob = self.cache.get_many([key]).get(key)
        af = _decode(blob) if blob is not None else None
        return af if af is not None and af.article == article else None

    def unchanged(self, stored: list, article: Article, af: ArticleFacts, starts: list[int]) -> bool:
        """`stored`: the record's entry of the article; `starts`: the entity's mentions in it (the same in
        both versions)."""
        state = self._state(stored, article, af)
        if state is False:
            return False
        same, old = state
        parts = []
        for facts in (af, old):
            names = {f.start: f for f in facts.of("name")}
            if any(s not in names for s in starts):
                return False
            ms = [names[s] for s in starts]
            fulls = {m.full for m in ms}
            parts.append([*ms, *(r for r in facts.of("role") if r.person in fulls or r.owner in fulls)])
        if [_row(f) for f in parts[0]] != [_row(f) for f in parts[1]]:
            return False
        text = article.text
        return all(r.entity_reach(text, f) <= same for r in self.readers for f in parts[0])


def _getter(cls: type) -> Callable[[Any], tuple]:
    """The values of the fields link reads, as one tuple, from a fact (a pydantic model or its compact
    record, checker/compact.py: the same values in the same order)."""
    get = _FIELDS.get(cls)
    if get is None:
        if issubclass(cls, Record):
            fields = cls._fields
            at = [fields.index(n) for n in sorted(set(fields) - _UNREAD)]
            get = operator.itemgetter(*at) if len(at) > 1 else (lambda f, i=at[0]: (f[i],))
        else:
            names = tuple(sorted(set(cls.model_fields) - _UNREAD))  # type: ignore[attr-defined]
            get = ((lambda f, g=operator.itemgetter(*names): g(f.__dict__)) if len(names) > 1
                   else (lambda f, n=names[0]: (f.__dict__[n],)))
        _FIELDS[cls] = get
    return get


def _pack(obj: Any) -> bytes | None:
    from checker.cache import pack_record

    return pack_record(obj)


def _unpack(blob: bytes | None) -> Any:
    from checker.cache import unpack_record

    return unpack_record(blob)  # a damaged record is no record: the run is computed in full


# ----------------------------------------------------------------------------------------------
# recording a run


def scoped_compare(rules: list[Any], ctx: Context, story_of: dict[str, str]) -> tuple[list[Finding], list[list] | None]:
    """`compare`, with the scope of each finding: (findings, [[rule index, scope], ...] in the same order),
    or None for the scopes when they are not known exactly (a rule of unknown scope, a finding whose
    claims span two stories, one fingerprint made in two scopes)."""
    made: list[tuple[int, str | None, Finding]] = []
    known = True
    for i, rule in enumerate(rules):
        if not rule.enabled:
            continue
        found, scopes = _run_rule(rule, ctx, story_of, story_groups(ctx.linked.events, story_of))
        known = known and scopes is not None
        made.extend((i, scopes[k] if scopes is not None else None, f) for k, f in enumerate(found))
    final = merge(f for _, _, f in made)
    if not known or len(final) != len(made):
        return final, None
    where = {f.fingerprint: [i, s] for i, s, f in made}
    return final, [where[f.fingerprint] for f in final]


def story_groups(events: list[Event], story_of: dict[str, str]) -> dict[str, str]:
    """Stories that an event of no one story joins (a person's conviction years before, told in two
    stories; its `parent` is None) form one group, the scope of the story rules' findings: story -> the
    group's first story, for the stories of such events (any other story is its own group)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for ev in events:
        if ev.parent is None:
            stories = sorted({story_of[m.article] for m in ev.mentions if m.article in story_of})
            for other in stories[1:]:
                a, b = sorted((find(stories[0]), find(other)))
                if a != b:
                    parent[b] = a
            for st in stories:
                parent.setdefault(st, st)
    return {st: find(st) for st in parent}


def _run_rule(rule: Any, ctx: Context, story_of: dict[str, str], groups: dict[str, str] | None = None
              ) -> tuple[list[Finding], list[str] | None]:
    """One rule's findings and the scope of each (None when not known exactly): a story rule's finding
    is its story's group (`groups`, see story_groups), an entity rule's the entity it was made for."""
    groups = groups or {}
    kind = getattr(rule, "finding_scope", None)
    log = _ScopeLog()
    token = _SCOPE_LOG.set(log)
    try:
        found = rule_findings(rule, ctx)
    finally:
        _SCOPE_LOG.reset(token)
    scopes: list[str] = []
    for f in found:
        if kind == "story":
            stories = {story_of.get(c.article) for c in f.claims}
            if None in stories:
                return found, None
            within = {groups.get(st, st) for st in stories}
            if len(within) != 1:
                return found, None
            scopes.append(within.pop())
        elif kind == "entity":
            made_in = log.by_fingerprint.get(f.fingerprint, set())
            if len(made_in) != 1 or None in made_in:
                return found, None
            scopes.append(next(iter(made_in)))
        else:
            return found, None
    return found, scopes


def link_record(articles: list[Article], facts: list[ArticleFacts], linked: Linked) -> dict | None:
    """The link decisions of a run, compactly (articles by their index in article order), with each
    article's link digest; None when they cannot be rebuilt exactly (two name or two event facts of an
    article at one offset, an article without facts, two articles of one id)."""
    index = {a.id: i for i, a in enumerate(articles)}
    if len(index) != len(articles) or [af.article for af in facts] != [a.id for a in articles]:
        return None
    for af in facts:
        for kind in ("name", "event"):
            starts = [f.start for f in af.of(kind)]
            if len(set(starts)) != len(starts):
                return None
    events_of: list[list] = [[] for _ in articles]
    for (art, start), eid in linked.event_of.items():
        events_of[index[art]] += [start, eid]
    entities = []
    for e in linked.entities:
        flat: list[int] = []
        for m in e.mentions:
            flat += (index[m.article], m.start)
        entities.append([e.id, e.etype, e.canonical, flat])
    anchors = linked.anchors
    return {
        "order": [a.id for a in articles],
        "digests": [link_digest(a, af) for a, af in zip(articles, facts)],
        "entities": entities,
        "story_of": [linked.story_of[a.id] for a in articles],
        "event_of": events_of,
        "background": [sorted(linked.background_sentences.get(a.id, ())) for a in articles],
        "anchors": [anchors[a.id].isoformat() if anchors.get(a.id) else None for a in articles],
        "story_names": linked.story_names,
        "weak": sorted(linked.weak),
    }


def link_record_key(state_key: str, record: dict) -> str:
    h = hashlib.sha256(f"{RECORD_VERSION}\0{state_key}\0".encode())
    for art, digest in zip(record["order"], record["digests"]):
        h.update(f"{art}\0{digest}\n".encode("utf-8", "surrogatepass"))
    return "link:" + h.hexdigest()


def run_record(run_key: str, link_key: str, articles: list[Article], keys: list[str], counts: dict[str, int],
               scopes: list[list], entity_digests: dict[str, list | None]) -> dict:
    """Per article: its fact-cache key, path, number of facts and `entity_digest` (None: not known)."""
    return {
        "version": RECORD_VERSION,
        "run": run_key,
        "link": link_key,
        "order": [a.id for a in articles],
        "articles": {a.id: [k, a.path, counts.get(a.id, 0), entity_digests.get(a.id)] for a, k in zip(articles, keys)},
        "scopes": scopes,
    }


def state_key(version: str, rules_json: str, options: str) -> str:
    """Key of the incremental record: what must be equal for a stored run to be reused in part."""
    from checker.cache import _package_digest

    h = hashlib.sha256(f"incremental {RECORD_VERSION}\0{version}\0{_package_digest()}\0{options}\0".encode())
    h.update(rules_json.encode("utf-8", "surrogatepass"))
    return "state:" + h.hexdigest()


# ----------------------------------------------------------------------------------------------
# an incremental run


def previous(cache: Any, skey: str, old_result_of: Callable[[str], Any], memo: dict | None = None) -> tuple[dict, dict, Any] | None:
    """The stored record of the last run with this state key, its link record and its result (None when
    any is missing or damaged); kept in `memo` for a second caller in the same run."""
    if memo is not None and "previous" in memo:
        return memo["previous"]
    out = None
    record = _unpack(cache.get_state(skey))
    if isinstance(record, dict) and record.get("version") == RECORD_VERSION:
        link = _unpack(cache.get_state(record["link"]))
        if isinstance(link, dict) and link.get("order") == record["order"]:
            old = old_result_of(record["run"])
            if old is not None and len(old.findings) == len(record["scopes"]):
                out = (record, link, old)
    if memo is not None:
        memo["previous"] = out
    return out


def _name_facts(blob: bytes, article: str, starts: set[int]) -> tuple[dict[tuple[str, int], NameFact], list[RoleFact]] | None:
    """The name facts at `starts` of one article's cached facts and all its role facts (entity rules read
    both), validated one by one (as the whole ArticleFacts would validate them), or None when the blob
    does not decode or lacks one."""
    from checker.cache import unpack

    try:
        data = json.loads(unpack(blob))
        if data.get("article") != article:
            return None
        out = {}
        roles = []
        sharing = Sharing()
        for fd in data.get("facts", ()):
            if fd.get("kind") == "name" and fd.get("start") in starts:
                out[(article, fd["start"])] = sharing.fact(fd)
            elif fd.get("kind") == "role":
                roles.append(sharing.fact(fd))
    except Exception:  # noqa: BLE001 - a damaged row: the run is computed in full
        return None
    return (out, roles) if len(out) == len(starts) else None


@dataclass
class Incremental:
    """The outcome of an incremental run: the result, the records to store and what it did."""

    findings: list[Finding]
    events: Any  # checker.runstore.StoredEvents
    stories: tuple
    facts_count: int
    records: list[tuple[str, bytes]] = field(default_factory=list)
    changed: int = 0
    stories_rechecked: int = 0
    entities_rechecked: int = 0
    articles_decoded: int = 0


def try_incremental(
    articles: list[Article],
    rules: list[Any],
    lexicon: Any,
    cache: Any,
    skey: str,
    new_run_key: str,
    keys: list[str],
    extract: Callable[[list[Article]], tuple[list[ArticleFacts], list[Any]]],
    max_facts: int | None,
    old_result_of: Callable[[str], Any],
    memo: dict | None = None,
) -> Incremental | None:
    """The result of a run over `articles` computed from the stored record of an earlier run, or None when
    this run must link the whole corpus (see the module's docstring). `extract`: facts of some articles
    (the fact cache's way); `old_result_of`: the stored RunResult of a run key."""
    from checker.parallel import _decode

    if any(getattr(r, "finding_scope", None) not in ("story", "entity") for r in rules if r.enabled):
        return None
    prev = previous(cache, skey, old_result_of, memo)
    if prev is None:
        return None
    record, link, old = prev
    order: list[str] = record["order"]
    if [a.id for a in articles] != order:
        return None
    stored = record["articles"]
    changed = [a for a, k in zip(articles, keys) if stored[a.id][0] != k or stored[a.id][1] != a.path]
    digests = dict(zip(order, link["digests"]))
    position = {a: i for i, a in enumerate(order)}
    fresh_bg: dict[str, frozenset[int]] = {}
    changed_facts, errors = extract(changed) if changed else ([], [])
    if errors or len(changed_facts) != len(changed):
        return None
    new_facts = {af.article: af for af in changed_facts}
    for a in changed:
        af = new_facts.get(a.id)
        if af is None or (max_facts and len(af.facts) > max_facts):
            return None
        if link_digest(a, af) != digests[a.id]:
            return None  # linking may change: the whole corpus is linked again
        # The one thing link reads of sentence texts: which sentences open a side story or go on about one,
        # for the background sentences it reports (link's own decisions never read them). With every other
        # input unchanged, the article's anchor is the stored one, so its background is computed here. Rules
        # read background only for the sentences of facts: a change elsewhere ("This story was updated."
        # going on about a background sentence) is no change.
        i = position[a.id]
        anchor = dt.date.fromisoformat(link["anchors"][i]) if link["anchors"][i] else None
        fresh_bg[a.id] = _background(af, anchor, openers=_side_openers(lexicon))
        with_facts = {f.sentence_index for f in af.facts}
        if fresh_bg[a.id] & with_facts != set(link["background"][i]) & with_facts:
            return None
    # The link decisions are the stored ones. What the changed articles are part of:
    story_of: dict[str, str] = dict(zip(order, link["story_of"]))
    changed_ids = {a.id for a in changed}
    changed_at = {i for i, a in enumerate(order) if a in changed_ids}
    # the stories of the changed articles, with every story an event of no one story joins them to
    groups = story_groups(old.events.of(None), story_of)  # events of no one story join stories
    touched = {groups.get(story_of[a], story_of[a]) for a in changed_ids}
    stories = {s for s in set(link["story_of"]) if groups.get(s, s) in touched}
    story_at = {i for i, s in enumerate(link["story_of"]) if s in stories}
    story_arts = [order[i] for i in sorted(story_at)]
    ents = link["entities"]
    # The entities of the changed articles whose part in them changed: an article whose entity digest is
    # the stored one gives its entities' rules what it gave them (the link decisions are the same too).
    parts = EntityParts(entity_readers(rules), cache)
    edigests = {a.id: entity_digest(a) for a in changed}
    mentions_in: dict[int, dict[str, list[int]]] = {i: {} for i in changed_at}
    for e in ents:
        flat = e[3]
        if changed_at.isdisjoint(flat[0::2]):
            continue
        for k in range(0, len(flat), 2):
            if flat[k] in mentions_in:
                mentions_in[flat[k]].setdefault(e[0], []).append(flat[k + 1])
    entity_ids = {eid for a in changed for eid, starts in mentions_in[position[a.id]].items()
                  if not parts.unchanged(stored[a.id], a, new_facts[a.id], starts)}
    # Facts: every fact of the stories' articles (story rules), the name facts of the entities (entity rules).
    facts: dict[str, ArticleFacts] = dict(new_facts)
    names: dict[tuple[str, int], Any] = {}
    entity_facts: dict[str, ArticleFacts] = {}
    wanted: dict[str, set[int]] = {}
    for e in ents:
        if e[0] in entity_ids:
            flat = e[3]
            for k in range(0, len(flat), 2):
                wanted.setdefault(order[flat[k]], set()).add(flat[k + 1])
    in_stories_set = set(story_arts)
    todo = sorted((in_stories_set | set(wanted)) - set(facts))
    blobs = cache.get_many([stored[a][0] for a in todo])
    decoded = 0
    for a in todo:
        blob = blobs.get(stored[a][0])
        if blob is None:
            return None
        if a in in_stories_set:
            af = _decode(blob)
            if af is None or af.article != a:
                return None
            facts[a] = af
        else:  # only some of its name facts are read: those are validated, not the whole article
            got = _name_facts(blob, a, wanted[a])
            if got is None:
                return None
            names.update(got[0])
            entity_facts[a] = CompactFacts(article=a, sentences=(), facts=tuple(got[1]))
        decoded += 1
    for a, af in facts.items():
        for f in af.of("name"):
            names[(a, f.start)] = f
    by_id = {a.id: a for a in articles}
    # entity_of as link made it (the last entity of a mention's (article, full name) wins), for the
    # stories' articles; the entities they name, without mentions (story rules read their names only).
    entity_of: dict[tuple[str, str], str] = {}
    for eid, _etype, _canonical, flat in ents:
        if story_at.isdisjoint(flat[0::2]):
            continue
        for k in range(0, len(flat), 2):
            art = order[flat[k]]
            if art in in_stories_set:
                entity_of[(art, names[(art, flat[k + 1])].full)] = eid
    named = set(entity_of.values())
    entities_full, entities_story = [], []
    for eid, etype, canonical, flat in ents:
        if eid in entity_ids:
            ms = tuple(names[(order[flat[k]], flat[k + 1])] for k in range(0, len(flat), 2))
            entities_full.append(Entity.model_construct(id=eid, etype=etype, canonical=canonical, mentions=ms))
        if eid in named:
            entities_story.append(Entity.model_construct(id=eid, etype=etype, canonical=canonical, mentions=()))
    # Events of the stories rechecked: the stored decisions, their mentions the current facts (with the
    # date linking gave them, when it redated one).
    # Only the stored events of these stories and of no one story are decoded (old.events: StoredEvents).
    event_facts = {(a, f.start): f for a in story_arts for f in facts[a].of("event")}
    def ours(ev: Event) -> bool:
        return ev.parent in stories or (ev.parent is None and any(story_of[m.article] in stories for m in ev.mentions))

    redone: dict[str | None, list[Event]] = {}
    for parent in [*sorted(stories), None]:
        part = list(old.events.of(parent))
        for k, ev in enumerate(part):
            if ours(ev):
                ms = []
                for m in ev.mentions:
                    f = event_facts[(m.article, m.start)]
                    ms.append(f if f.date == m.date else f.model_copy(update={"date": m.date}))
                part[k] = ev.model_copy(update={"mentions": tuple(ms)})
        if part:
            redone[parent] = part
    events = old.events.replaced(redone)
    story_events = [ev for ev in events.select({*stories, None}) if ours(ev)]
    linked_story = Linked(
        entities=entities_story,
        entity_of=entity_of,
        story_of={a: story_of[a] for a in story_arts},
        events=story_events,
        event_of={(order[i], ev[k]): ev[k + 1] for i in story_at for ev in [link["event_of"][i]] for k in range(0, len(ev), 2)},
        background_sentences={order[i]: fresh_bg.get(order[i], frozenset(link["background"][i])) for i in story_at},
        story_names={s: n for s, n in link["story_names"].items() if s in stories},
        anchors={order[i]: dt.date.fromisoformat(v) if (v := link["anchors"][i]) else None for i in story_at},
        weak=frozenset(link["weak"]),
    )
    ctx_story = Context(articles=by_id, facts={a: facts[a] for a in story_arts}, linked=linked_story, lexicon=lexicon)
    linked_entity = Linked(entities=entities_full, entity_of={}, story_of={}, events=[], event_of={})
    # the entity rules read the articles of the entities they redo (their role facts)
    entity_facts.update({a: facts[a] for a in wanted if a in facts})
    ctx_entity = Context(articles=by_id, facts=entity_facts, linked=linked_entity, lexicon=lexicon)
    made: list[tuple[int, str, Finding]] = []
    for i, rule in enumerate(rules):
        if not rule.enabled:
            continue
        ctx = ctx_story if rule.finding_scope == "story" else ctx_entity
        found, scopes = _run_rule(rule, ctx, story_of, groups)
        if scopes is None:
            return None
        made.extend((i, s, f) for s, f in zip(scopes, found))
    for (i, scope), f in zip(record["scopes"], old.findings):
        redone = touched if rules[i].finding_scope == "story" else entity_ids
        if scope not in redone:
            made.append((i, scope, f))
    final = sorted({f.fingerprint: f for _, _, f in made}.values(), key=sort_key)
    if len(final) != len(made):
        return None  # one fingerprint in two scopes: which one a cold run keeps depends on the order
    where = {f.fingerprint: [i, s] for i, s, f in made}
    counts = {a: v[2] for a, v in stored.items()}
    counts.update({a: len(af.facts) for a, af in new_facts.items()})
    kept_edigests = {a: v[3] if len(v) > 3 else None for a, v in stored.items()}
    kept_edigests.update(edigests)
    new_record = run_record(new_run_key, record["link"], articles, keys, counts, [where[f.fingerprint] for f in final],
                            kept_edigests)
    return Incremental(
        findings=final,
        events=events,
        stories=old.stories,
        facts_count=sum(counts.values()),
        records=[(skey, packed)] if (packed := _pack(new_record)) is not None else [],
        changed=len(changed),
        stories_rechecked=len(stories),
        entities_rechecked=len(entity_ids),
        articles_decoded=decoded,
    )


def records_of_full_run(skey: str, run_key: str, articles: list[Article], keys: list[str], facts: list[ArticleFacts],
                        record: dict | None, scopes: list[list] | None, rules: list[Any]) -> list[tuple[str, bytes]]:
    """The records a full run stores for later incremental runs (none when it cannot be reused exactly).
    `record`: the run's `link_record`."""
    if scopes is None or record is None:
        return []
    lkey = link_record_key(skey, record)
    counts = {af.article: len(af.facts) for af in facts}
    edigests = {a.id: entity_digest(a) for a in articles} if entity_readers(rules) is not None else {}
    out = [(lkey, _pack(record)), (skey, _pack(run_record(run_key, lkey, articles, keys, counts, scopes, edigests)))]
    return out if all(blob is not None for _, blob in out) else []


# ----------------------------------------------------------------------------------------------
# a run that linked the corpus again: the findings of scopes whose inputs did not change are reused


def compare_reusing(rules: list[Any], ctx: Context, articles: list[Article], keys: list[str], new: dict | None, cache: Any,
                    skey: str, old_result_of: Callable[[str], Any], memo: dict | None = None
                    ) -> tuple[list[Finding], list[list]] | None:
    """`scoped_compare` after a relink, reusing the stored findings of every story and entity whose every
    input is what it was in the run the stored record describes; None when there is no usable record.
    `new`: this run's link record (`link_record`).

    A story's findings are reused when it has the same articles, none of them changed, and everything
    its rules read of the link decisions is equal: the entities with a mention in its articles (each
    whole: id, type, canonical name, mentions; in order, so each (article, full name) has the entity it
    had), every entity of those ids, each article's background sentences, anchor and event of each event
    mention, the story's events (in order, whole) and its name. An entity's findings (by id) are reused
    when the entities of that id are the same whole and none of their articles changed."""
    if new is None or any(getattr(r, "finding_scope", None) not in ("story", "entity") for r in rules if r.enabled):
        return None
    prev = previous(cache, skey, old_result_of, memo)
    if prev is None:
        return None
    record, old_link, old = prev
    linked = ctx.linked
    order: list[str] = new["order"]
    old_order: list[str] = old_link["order"]
    old_weak = frozenset(old_link.get("weak", ()))
    stored = record["articles"]
    same_at = {i for i, (a, k) in enumerate(zip(articles, keys))
               if a.id in stored and stored[a.id][0] == k and stored[a.id][1] == a.path}
    # the old record in this run's article indices (an article gone: -1)
    if old_order == order:
        old_entities = old_link["entities"]
        old_at = list(range(len(order)))
    else:
        index = {a: i for i, a in enumerate(order)}
        old_at = [index.get(a, -1) for a in old_order]
        old_entities = [[eid, t, c, [old_at[v] if k % 2 == 0 else v for k, v in enumerate(flat)]]
                        for eid, t, c, flat in old_link["entities"]]
    new_entities = new["entities"]
    new_story, old_story = new["story_of"], [None] * len(order)
    for i, s in enumerate(old_link["story_of"]):
        if old_at[i] >= 0:
            old_story[old_at[i]] = s
    gone = {s for i, s in enumerate(old_link["story_of"]) if old_at[i] < 0}

    def by_id(entries: list) -> dict[str, list]:
        out: dict[str, list] = {}
        for e in entries:
            out.setdefault(e[0], []).append(e)
        return out

    # Each entity entry as a token, equal for equal entries (id, type, name, mentions), so that the entries
    # of a story are compared as tokens: an entity of many articles is compared once, not per story.
    token_of: dict[tuple, int] = {}

    def token(e: list) -> int:
        return token_of.setdefault((e[0], e[1], e[2], tuple(e[3])), len(token_of))

    def touching(entries: list, story_at: list) -> dict[str, list]:
        """story -> (token, id) of the entries with a mention in it, in entry order"""
        out: dict[str, list] = {}
        for e in entries:
            t = (token(e), e[0])
            for s in {story_at[i] for i in e[3][0::2] if i >= 0}:
                out.setdefault(s, []).append(t)
        return out

    new_ids, old_ids = by_id(new_entities), by_id(old_entities)
    new_touch, old_touch = touching(new_entities, new_story), touching(old_entities, old_story)
    old_id_tokens = {eid: [token(e) for e in es] for eid, es in old_ids.items()}
    ids_same = {eid: [token(e) for e in es] == old_id_tokens.get(eid) for eid, es in new_ids.items()}
    members: dict[str, list[int]] = {}
    for i, s in enumerate(new_story):
        members.setdefault(s, []).append(i)
    old_members: dict[str, list[int]] = {}
    for i, s in enumerate(old_story):
        if s is not None:
            old_members.setdefault(s, []).append(i)
    old_none = list(old.events.of(None))  # old.events: StoredEvents, decoded one story at a time
    new_events: dict[str, list] = {}
    for ev in linked.events:
        new_events.setdefault(ev.parent, []).append(ev)
    def pairs(flat: list) -> list:
        return sorted(zip(flat[0::2], flat[1::2]))

    old_per_article: list = [None] * len(order)
    for i, j in enumerate(old_at):
        if j >= 0:
            old_per_article[j] = [old_link["background"][i], old_link["anchors"][i], pairs(old_link["event_of"][i])]

    def story_same(s: str) -> bool:
        arts = members[s]
        if s in gone or arts != old_members.get(s) or not same_at.issuperset(arts):
            return False
        for i in arts:
            if old_per_article[i] != [new["background"][i], new["anchors"][i], pairs(new["event_of"][i])]:
                return False
        mine = new_touch.get(s, [])
        if mine != old_touch.get(s, []):
            return False
        return (all(ids_same[eid] for _, eid in mine)
                and all((eid in linked.weak) == (eid in old_weak) for _, eid in mine)
                and new_events.get(s, []) == list(old.events.of(s))
                and linked.story_names.get(s) == old_link["story_names"].get(s))

    parts = EntityParts(entity_readers(rules), cache)

    def part_same(i: int, flat: list) -> bool:
        """The entity's part in article i (changed) is what it was (EntityParts)."""
        a = articles[i]
        af = ctx.facts.get(a.id)
        return af is not None and a.id in stored and parts.unchanged(
            stored[a.id], a, af, [flat[k + 1] for k in range(0, len(flat), 2) if flat[k] == i])

    def entity_same(eid: str) -> bool:
        now = new_ids[eid]
        return ids_same[eid] and all(part_same(i, e[3]) for e in now for i in set(e[3][0::2]) - same_at)

    # Story rules' findings are kept per group of stories (story_groups): a group is kept when it is the
    # same stories, each the same, and the events of no one story that join them are the same.
    old_story_of = {a: s for a, s in zip(old_order, old_link["story_of"])}
    new_groups, old_groups = story_groups(linked.events, linked.story_of), story_groups(old_none, old_story_of)

    def grouped(groups: dict[str, str], stories) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for st in stories:
            out.setdefault(groups.get(st, st), set()).add(st)
        return out

    new_members, old_group_members = grouped(new_groups, members), grouped(old_groups, old_link["story_of"])

    def joining_index(events: list[Event], story_at: dict[str, str]) -> dict[str, list[int]]:
        """story -> the indexes of the events of no one story told in it"""
        out: dict[str, list[int]] = defaultdict(list)
        for k, ev in enumerate(events):
            if ev.parent is None:
                for st in sorted({story_at.get(m.article) for m in ev.mentions} - {None}):
                    out[st].append(k)
        return out

    new_join, old_join = joining_index(linked.events, linked.story_of), joining_index(old_none, old_story_of)

    def joining(events: list[Event], index: dict[str, list[int]], group: set[str]) -> list[Event]:
        return [events[k] for k in sorted({k for st in group for k in index.get(st, ())})]

    kept_groups = {
        g for g, group in new_members.items()
        if all(story_same(st) for st in group) and old_group_members.get(old_groups.get(g, g)) == group
        and joining(linked.events, new_join, group) == joining(old_none, old_join, group)
    }
    kept_stories = {st for g in kept_groups for st in new_members[g]}
    kept_entities = {eid for eid in new_ids if entity_same(eid)}
    redo_stories = set(members) - kept_stories
    facts = ctx.facts
    redo_arts = [order[i] for s in redo_stories for i in members[s]]
    redo_arts = [a.id for a in articles if a.id in set(redo_arts)]
    ctx_story = Context(
        articles=ctx.articles, facts={a: facts[a] for a in redo_arts if a in facts},
        linked=Linked(entities=linked.entities, entity_of=linked.entity_of, story_of=linked.story_of,
                      events=[ev for ev in linked.events if ev.parent in redo_stories or (
                          ev.parent is None and any(linked.story_of.get(m.article) in redo_stories for m in ev.mentions))],
                      event_of=linked.event_of,
                      background_sentences=linked.background_sentences, story_names=linked.story_names,
                      anchors=linked.anchors, weak=linked.weak),
        lexicon=ctx.lexicon,
    )
    ctx_entity = Context(articles=ctx.articles, facts=ctx.facts, lexicon=ctx.lexicon,
                         linked=Linked(entities=[e for e in linked.entities if e.id not in kept_entities], entity_of={},
                                       story_of={}, events=[], event_of={}))
    made: list[tuple[int, str, Finding]] = []
    for i, rule in enumerate(rules):
        if not rule.enabled:
            continue
        found, scopes = _run_rule(rule, ctx_story if rule.finding_scope == "story" else ctx_entity, linked.story_of, new_groups)
        if scopes is None:
            return None
        made.extend((i, s, f) for s, f in zip(scopes, found))
    for (i, scope), f in zip(record["scopes"], old.findings):
        if i < len(rules) and scope in (kept_groups if rules[i].finding_scope == "story" else kept_entities):
            made.append((i, scope, f))
    final = sorted({f.fingerprint: f for _, _, f in made}.values(), key=sort_key)
    if len(final) != len(made):
        return None
    where = {f.fingerprint: [i, s] for i, s, f in made}
    return final, [where[f.fingerprint] for f in final]
