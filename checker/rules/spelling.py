"""spelling: one entity written differently across sources (Darvishi / Darvichi)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import ClassVar, Literal

from pydantic import Field

from checker.link import _generation, acronym_kind, content_tokens
from checker.models import Finding
from checker.rules.base import Context, RuleBase, claim, entity_scope, finding
from checker.translit import diff_marks, fold, morph_variant


class SpellingRule(RuleBase):
    """Flags an entity whose name is spelled differently in different articles."""

    kind: Literal["spelling"] = "spelling"
    finding_scope: ClassVar[str | None] = "entity"
    entity_reads: ClassVar[str | None] = "names"  # mentions, and claims on their spans (checker/rules/base.py)
    entity_types: list[Literal["person", "org", "place"]] = Field(default_factory=lambda: ["person", "org", "place"])
    accepted_variants: list[list[str]] = Field(default_factory=list, description="Groups of spellings that are not flagged.")
    preferred: dict[str, str] = Field(default_factory=dict, description="Canonical name -> the house spelling to show.")
    min_articles: int = Field(2, ge=2)

    def check(self, ctx: Context) -> list[Finding]:
        particles = frozenset(str(p).lower() for p in ctx.lexicon.get("name_particles", []) or [])
        legal = frozenset(str(p).lower() for p in ctx.lexicon.get("name_org_legal_suffixes", []) or [])
        heads = frozenset(str(p).lower() for p in ctx.lexicon.get("name_org_heads", []) or [])
        generations = frozenset(str(p).lower() for p in ctx.lexicon.get("name_generational_suffixes", []) or [])
        accepted = [{fold(v) for v in group} for group in self.accepted_variants]
        suffixes = tuple(sorted((str(x) for x in ctx.lexicon.get("name_adjective_suffixes", []) or []), key=len, reverse=True))
        out = []
        for ent in ctx.linked.entities:
            entity_scope(ent.id)
            etype = ent.etype if ent.etype in ("person", "org", "place") else "org"
            if etype not in self.entity_types:
                continue
            if len({m.article for m in ent.mentions}) < self.min_articles:
                continue
            slots: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
            # (an organization's initials with and without its kind, "K&T Accounting" / "K&T", are one spelling)
            kind = heads if ent.etype != "person" else frozenset()
            words = {(m.article, m.start): acronym_kind(_words(m.text, particles, legal), kind) for m in ent.mentions}
            raw = {(m.article, m.start): acronym_kind(_raw_words(m.text, legal), kind) for m in ent.mentions}
            # Words compared one by one when every source writes as many; else the whole name, where
            # a space or none counts ("Blue Stone" / "BlueStone") but a hyphen for a space does not.
            by_word = len({len(w) for w in raw.values() if w}) <= 1
            last_slot = f"word {max((len(w) for w in words.values() if w), default=0)}"
            for m in ent.mentions:
                toks = words[(m.article, m.start)]
                if not toks or (ent.etype != "person" and m.text != m.full):
                    continue  # a place or organization is spelled by its full mentions
                if ent.etype == "person":
                    toks = _generation(toks, generations)[0]  # "Jr." is no surname
                    named = {"surname": toks[-1]}
                    if len(toks) >= 2:
                        named["given name"] = toks[0]
                elif by_word:
                    named = {f"word {i + 1}": t for i, t in enumerate(toks)}
                else:
                    whole = " ".join(raw[(m.article, m.start)])
                    slots["name"][" ".join(fold(p) for p in re.split(r"[\s-]+", whole))].append((m, whole))
                    continue
                for slot, tok in named.items():
                    slots[slot][fold(tok)].append((m, tok))
            claims, parts = [], []
            for slot, variants in sorted(slots.items()):
                if len(variants) < 2:
                    continue
                keys = set(variants)
                if any(keys <= group for group in accepted):
                    continue
                # a place's or organization's adjective or plural ("North Tavia" / "North Tavian",
                # "Chilean Americans" / "Chilean American") is another word of one stem, not a spelling
                if ent.etype != "person" and slot == last_slot and _one_stem(keys, suffixes):
                    continue  # (inside a name a plural is a slip: "Marshals Service" / "Marshal Service")
                arts = {m.article for vs in variants.values() for m, _ in vs}
                if len(arts) < self.min_articles:
                    continue
                shown = []
                for key, vs in sorted(variants.items(), key=lambda kv: (-len({m.article for m, _ in kv[1]}), kv[0])):
                    seen = set()
                    for m, tok in vs:
                        if m.article in seen:
                            continue
                        seen.add(m.article)
                        claims.append(claim(ctx, m, m.text))
                    shown.append(f"{vs[0][1]} ({len(seen)} article{'s' if len(seen) > 1 else ''})")
                if len(shown) >= 2:
                    first = sorted(variants.items(), key=lambda kv: -len(kv[1]))
                    a, b = diff_marks(first[0][1][0][1], first[1][1][0][1])
                    parts.append(f"{slot}: " + " vs ".join(shown) + f" [{a} / {b}]")
            if not parts:
                continue
            uniq = {(c.article, c.start): c for c in claims}
            subject = self.preferred.get(ent.canonical, ent.canonical)
            out.append(finding(self, "spelling", subject, ent.id, list(uniq.values()), variants="; ".join(parts)))
        return out


def _one_stem(words: set[str], suffixes: tuple[str, ...]) -> bool:
    """The words are one stem's forms, each an ending away from another ("africa", "african", "africans")."""
    todo, seen = [min(words)], {min(words)}
    while todo:
        w = todo.pop()
        for x in words - seen:
            if morph_variant(w, x, suffixes):
                seen.add(x)
                todo.append(x)
    return seen == words


def _words(text: str, particles: frozenset[str], legal: frozenset[str]) -> list[str]:
    """The words of a name that carry its spelling; an organization's legal form ("Ltd") left out."""
    toks = content_tokens(text, particles)
    while len(toks) > 1 and toks[-1].rstrip(".").lower() in legal:
        toks = toks[:-1]
    return toks


def _raw_words(text: str, legal: frozenset[str]) -> list[str]:
    """A name's words as written (particles kept), without a possessive or a legal form."""
    toks = [re.sub(r"['’]s$|['’]$", "", w) for w in text.split()]
    while len(toks) > 1 and toks[-1].rstrip(".").lower() in legal:
        toks = toks[:-1]
    return [t for t in toks if t]
