"""role: a person's title as given by different sources ("head of X" vs "head of Y")."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar, Literal

from pydantic import Field
from rapidfuzz import fuzz

from checker.models import Finding
from checker.rules.base import Context, RuleBase, claim, entity_scope, fact_end, finding

RELATIVE_WINDOW = 160  # characters after a name in which a relative clause gives a role (", who heads ...")
_OF = re.compile(r"\b(?P<head>[\w-]+)\s+of\s+(?P<what>[^,;]+)", re.IGNORECASE)


def _roles(apposition: str, titles: frozenset[str]) -> list[tuple[str, str, int, int]]:
    """(title word, object, start, end) for each "<title> of <object>" in a role phrase."""
    out = []
    for part in re.split(r"\s+and\s+", apposition):
        m = _OF.search(part)
        if m and m.group("head").lower() in titles:
            off = apposition.find(part)
            out.append((m.group("head").lower(), m.group("what").strip(), off + m.start(), off + m.end()))
    return out


def _relative_roles(text: str, end: int, limit: int, verbs: dict[str, str], titles: frozenset[str],
                    not_objects: frozenset[str] = frozenset()) -> list[tuple[str, str, int, int]]:
    """(title word, object, start, end) from a relative clause right after a name: ", who heads the
    water authority" (a verb the lexicon maps to a title), ", who is the director of the agency"."""
    m = re.match(r"\s*,\s*who\s+(?:(?:is|was|has been|had been|serves as|served as)\s+(?:the\s+|a\s+|an\s+)?)?(?P<rest>[^,;:.()]+)",
                 text[end:limit])
    if not m:
        return []
    rest, base = m.group("rest"), end + m.start("rest")
    first = re.match(r"(?P<verb>[\w-]+)\s+(?P<what>.+)", rest)
    if first and first.group("verb").lower() in verbs and not rest.lower().startswith(("is ", "was ")):
        what = first.group("what").strip()
        if set(re.findall(r"[\w-]+", what.lower())[:4]) & not_objects:
            return []
        return [(verbs[first.group("verb").lower()], what, base, base + len(rest.rstrip()))]
    return [(h, w, base + s, base + e) for h, w, s, e in _roles(rest, titles)]


def _content(phrase: str, function_words: frozenset[str]) -> str:
    """The words that carry a role's meaning: lowercased, possessives and function words dropped."""
    words = re.findall(r"[\w-]+", re.sub(r"['’]s\b", "", phrase.lower()))
    return " ".join(w for w in words if w not in function_words)


def _head_title(title: str, titles: frozenset[str], generic: frozenset[str]) -> str | None:
    """The rank a pre-name title gives ("Union Deputy Chief" -> chief), generic words excluded."""
    words = [w.lower().rstrip(".") for w in re.findall(r"[\w.-]+", title)]
    heads = [w for w in words if w in titles and w not in generic]
    return heads[-1] if heads else None


def _title_start(text: str, start: int, titles: frozenset[str], qualifiers: frozenset[str]) -> int:
    """Where a title begins once the qualifiers before it are counted ("U.S. District", "state"): up to
    four capitalized or title words, and a lowercase qualifier word before them, on the same line."""
    pos, taken = start, 0
    lo = max(0, start - 60)
    for m in reversed(list(re.finditer(r"[\w.'’-]+", text[lo:start]))):
        a = lo + m.start()
        if not re.fullmatch(r"[ \t]*", text[a + len(m.group()) : pos]) or taken >= 4:
            break
        w = m.group()
        if w[:1].isupper() or w.lower() in titles:
            pos, taken = a, taken + 1
        elif w.lower() in qualifiers:
            pos = a  # "state District Judge": a lowercase qualifier ends the title's start
            break
        else:
            break
    return pos


class RoleRule(RuleBase):
    """Flags a person given a different "<title> of <organization>" by different articles."""

    kind: Literal["role"] = "role"
    finding_scope: ClassVar[str | None] = "entity"
    entity_reads: ClassVar[str | None] = "names"  # mentions, role facts, text before a title and after a name
    variant_similarity: float = Field(60, ge=0, le=100, description="Token-set similarity (0-100) above which two wordings are one role.")
    variant_severity: Literal["info", "warning", "error"] = "info"

    def entity_reach(self, text: str, fact: Any) -> int:
        """A name's relative clause is read when a comma follows it (after spaces): then RELATIVE_WINDOW
        characters past it; otherwise up to the first character that is not a space, which ends the match."""
        end = fact_end(fact)
        if getattr(fact, "kind", None) != "name":
            return end
        limit = min(len(text), fact.end + RELATIVE_WINDOW)
        k = fact.end
        while k < limit and text[k].isspace():  # what \s matches in a str pattern
            k += 1
        if k < limit and text[k] != ",":
            return max(end, k + 1)
        return max(end, fact.end + RELATIVE_WINDOW)

    def check(self, ctx: Context) -> list[Finding]:
        titles = frozenset(str(t).lower() for t in ctx.lexicon.get("name_title_words", []) or [])
        fw = frozenset(str(w).lower() for w in ctx.lexicon.get("function_words", []) or [])
        generic = frozenset(str(t).lower() for t in ctx.lexicon.get("role_generic_titles", []) or [])
        synonym = {}
        for group in ctx.lexicon.get("role_synonyms", []) or []:
            for w in group:
                synonym[str(w).lower()] = str(group[0]).lower()
        relative_verbs = {str(k).lower(): str(v).lower() for k, v in (ctx.lexicon.get("role_relative_verbs", {}) or {}).items()}
        not_objects = frozenset(str(w).lower() for w in ctx.lexicon.get("role_relative_not_objects", []) or [])
        out = self._occupations(ctx)
        for ent in ctx.linked.entities:
            entity_scope(ent.id)
            if ent.etype != "person":
                continue
            f = self._titles(ctx, ent, titles, generic, synonym)
            if f is not None:
                out.append(f)
            f = self._levels(ctx, ent, titles, generic)
            if f is not None:
                out.append(f)
            by_head: dict[str, dict[str, tuple]] = defaultdict(dict)
            for m in ent.mentions:
                found = []
                if m.apposition and m.apposition_span:
                    found = [(h, w, m.apposition_span[0] + s, m.apposition_span[0] + e) for h, w, s, e in _roles(m.apposition, titles)]
                else:
                    text = ctx.articles[m.article].text
                    found = _relative_roles(text, m.end, min(len(text), m.end + RELATIVE_WINDOW), relative_verbs, titles, not_objects)
                for head, what, s, e in found:
                    # one title in other words is one role ("head of X" / "director of X")
                    by_head[synonym.get(head, head)].setdefault(m.article, (m, what, s, e))
            for head, per_article in sorted(by_head.items()):
                if len(per_article) < 2:
                    continue
                objs = {a: v[1] for a, v in per_article.items()}
                norm = {a: _content(o, fw) for a, o in objs.items()}
                if len(set(norm.values())) < 2:
                    continue
                vals = list(norm.values())
                same = all(fuzz.token_set_ratio(x, y) >= self.variant_similarity for x in vals for y in vals)
                severity = self.variant_severity if same else self.severity
                claims = [claim(ctx, m, ctx.articles[a].text[s:e], s, e) for a, (m, _, s, e) in sorted(per_article.items())]
                out.append(finding(self, "role", ent.canonical, f"{ent.id}:{head}", claims, severity=severity,
                                   title=head, roles=" vs ".join(sorted({c.value for c in claims})),
                                   how="wording variants of one role" if same else "different roles"))
        return out

    def _occupations(self, ctx: Context) -> list[Finding]:
        """Occupations one person cannot hold at once ("an inmate" / "a visitor"; a father who was "a
        baker" / "a tailor"), from role facts: each head word's classes within a group of
        role_exclusive_classes; two articles whose classes in one group share none are a warning, other
        wordings info. A role of another moment ("former") and an article that itself gives two
        exclusive classes are left out. Kin facts ("his father was a baker") are compared per kin word
        and owner ("father of <person>")."""
        from checker.extract.roles import role_head

        groups = ctx.lexicon.get("role_exclusive_classes", {}) or {}
        classes: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)  # word -> group -> classes
        for group, table in groups.items():
            acc: dict[str, set[str]] = defaultdict(set)
            for cls, words in (table or {}).items():
                for w in words or []:
                    acc[str(w).lower()].add(str(cls))
            for w, cs in acc.items():
                classes[w][str(group)] = frozenset(cs)
        if not classes:
            return []
        # Each person's role facts: those whose person (or, for kin, owner) is one of its mentions. Per
        # entity, so that an incremental run can redo the entities of the changed articles only.
        canonical = {e.id: e.canonical for e in ctx.linked.entities}
        by_article: dict[str, list] = defaultdict(list)
        for art, af in sorted(ctx.facts.items()):
            by_article[art] = [f for f in af.of("role") if not f.past]
        # (kin, entity) -> group -> article -> [(fact, classes)]
        found: dict[tuple[str, str], dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for e in ctx.linked.entities:
            if e.etype != "person":
                continue
            mine = {(m.article, m.full) for m in e.mentions}
            for art in sorted({m.article for m in e.mentions}):
                for f in by_article.get(art, ()):
                    if f.kin:
                        if not f.owner or (art, f.owner) not in mine:
                            continue
                        key = (f.kin, e.id)
                    elif f.person and (art, f.person) in mine:
                        key = ("", e.id)
                    else:
                        continue
                    for part in re.split(r"\s+and\s+", f.value):
                        head = role_head(part)
                        for group, cs in classes.get(head or "", {}).items():
                            found[key][group][art].append((f, cs))
        out = []
        for (kin, ent), per_group in sorted(found.items()):
            for group, per_article in sorted(per_group.items()):
                sides = {}
                for art, hits in per_article.items():
                    union = frozenset().union(*(cs for _, cs in hits))
                    if any(not (a & b) for _, a in hits for _, b in hits):
                        continue  # the article itself gives two: not one description
                    sides[art] = (hits[0][0], union)
                if len(sides) < 2 or len({f.value for f, _ in sides.values()}) < 2:
                    continue
                clash = any(not (a & b) for _, a in sides.values() for _, b in sides.values())
                severity = self.severity if clash else self.variant_severity
                # an unnamed participant's role is its value ("visitor" for "was visiting")
                claims = [claim(ctx, f, f.value if f.how == "participant" else f.text) for art, (f, _) in sorted(sides.items())]
                entity_scope(ent)
                subject = f"{kin} of {canonical.get(ent, ent)}" if kin else canonical.get(ent, ent)
                if kin and any(f.how == "participant" for f, _ in sides.values()):
                    slot, _, thing = kin.partition(":")
                    subject = f"the {slot} in the {thing} ({canonical.get(ent, ent)})"
                out.append(finding(self, "role", subject, f"{ent}:{kin or 'self'}:{group}", claims, severity=severity,
                                   title=group, roles=" vs ".join(sorted({c.value for c in claims})),
                                   how="occupations that cannot both hold" if clash else "wordings of one occupation"))
        return out

    def _levels(self, ctx: Context, ent: Any, titles: frozenset[str], generic: frozenset[str]) -> Finding | None:
        """One rank at two levels of government ("state District Judge" / "U.S. District Judge"): the
        words just before a title ("U.S. District", "state") say the level; two levels are a warning."""
        levels = {str(k): frozenset(str(w).lower() for w in v) for k, v in (ctx.lexicon.get("role_levels", {}) or {}).items()}
        if not levels:
            return None
        qualifiers = frozenset().union(*levels.values())
        per_rank: dict[str, dict[str, tuple]] = defaultdict(dict)
        for m in ent.mentions:
            if not m.title or not m.title_span:
                continue
            rank = _head_title(m.title, titles, generic)
            if rank is None:
                continue
            text = ctx.articles[m.article].text
            start = _title_start(text, m.title_span[0], titles, qualifiers)
            phrase = text[start : m.title_span[1]]
            low = " " + " ".join(w.strip(",;:").lower() for w in phrase.split()) + " "
            found = frozenset(k for k, words in levels.items() if any(f" {w} " in low for w in words))
            if len(found) == 1:
                per_rank[rank].setdefault(m.article, (m, found, start, m.title_span[1]))
        for rank, per_article in sorted(per_rank.items()):
            if len({found for _, found, _, _ in per_article.values()}) < 2:
                continue
            claims = [claim(ctx, m, ctx.articles[a].text[s:e], s, e) for a, (m, _, s, e) in sorted(per_article.items())]
            return finding(self, "role", ent.canonical, f"{ent.id}:level:{rank}", claims, severity=self.severity,
                           title=rank, roles=" vs ".join(sorted({c.value for c in claims})), how="different levels")
        return None

    def _apposition_ranks(self, ctx: Context, ent: Any, titles: frozenset[str]) -> list[tuple[str, Any, str]]:
        """(article, role fact, rank) for a rank told in an apposition after the person's name ("Arun Patil, a
        navy commander"): the head word of the role phrase, when it is one of role_apposition_ranks and the word
        before it is no title word ("attorney general", "lieutenant general" name other things or ranks not
        told whole). A role of another moment ("a former captain") gives none; an article whose appositions give
        two ranks gives none."""
        from checker.extract.roles import role_head

        ranks = frozenset(str(r).lower() for r in ctx.lexicon.get("role_apposition_ranks", []) or [])
        if not ranks:
            return []
        mine = {(m.article, m.full) for m in ent.mentions}
        found: dict[str, dict[str, Any]] = defaultdict(dict)
        for art in sorted({m.article for m in ent.mentions}):
            for f in ctx.facts[art].of("role"):
                if f.how != "apposition" or f.past or f.kin or (art, f.person) not in mine:
                    continue
                for part in re.split(r"\s+and\s+", f.value):
                    head = role_head(part)
                    core = re.split(r"\s+(?:of|for|with|in|at|from|to)\s+", part, maxsplit=1)[0]
                    words = re.findall(r"[\w'’-]+", core.lower())
                    if head in ranks and not (len(words) >= 2 and words[-2].strip("'’") in titles):
                        found[art].setdefault(head, f)
        return [(art, next(iter(r.values())), next(iter(r))) for art, r in sorted(found.items()) if len(r) == 1]

    def _titles(self, ctx: Context, ent: Any, titles: frozenset[str], generic: frozenset[str],
                synonym: dict[str, str]) -> Finding | None:
        """Titles written before the name. Titles that fit inside one of them ("Grand Mufti",
        "Sheikh", "Grand Mufti Sheikh") agree; the same rank in other words (deputy chief /
        deputy leader) is info; ranks that cannot both hold (Commodore / Commander) are a warning."""
        abbrev = {str(k).lower(): str(v).lower() for k, v in (ctx.lexicon.get("role_abbreviations", {}) or {}).items()}
        ranks = frozenset(str(r).lower() for r in ctx.lexicon.get("role_ranks", []) or [])
        if len(ent.canonical.split()) < 2:
            return None  # "King Hussein" / "President Hussein": a surname alone may be two people
        per_article: dict[str, tuple] = {}
        for m in ent.mentions:
            if not m.title or not m.title_span:
                continue
            words = [abbrev.get(w, w) for w in re.findall(r"[\w-]+", m.title.lower().replace(".", ""))]
            raw = frozenset(w for w in words if w in titles and w not in generic)
            if raw:
                per_article.setdefault(m.article, (m, raw))
        # A rank given after the name (", a navy commander"), where the article writes none before it.
        for art, f, rank in self._apposition_ranks(ctx, ent, titles):
            if art not in per_article:
                per_article[art] = (f, frozenset({rank}))
        if len(per_article) < 2:
            return None
        raw_sets = {raw for _, raw in per_article.values()}
        norm_sets = {frozenset(synonym.get(w, w) for w in raw) for raw in raw_sets}
        if frozenset().union(*norm_sets) in norm_sets:
            if frozenset().union(*raw_sets) in raw_sets:
                return None
            severity, how = self.variant_severity, "wording variants of one title"
        else:
            # Two different ranks cannot both hold; other titles (leader / president) often both do.
            clash = [n for n in norm_sets if n & ranks]
            rank_sets = {frozenset(n & ranks) for n in clash}
            if len(rank_sets) > 1 and frozenset().union(*rank_sets) not in rank_sets:
                severity, how = self.severity, "different ranks"
            else:
                severity, how = self.variant_severity, "different titles"
        claims = [claim(ctx, m, m.title, *m.title_span) if getattr(m, "kind", None) != "role" else claim(ctx, m, m.text)
                  for _, (m, _raw) in sorted(per_article.items())]
        return finding(self, "role", ent.canonical, f"{ent.id}:title", claims, severity=severity, title="title",
                       roles=" vs ".join(sorted({c.value for c in claims})), how=how)
