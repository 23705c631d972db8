"""Build a benchmark corpus of N articles from the real texts in fixtures/ and ../shared/corpora/ecbplus-dev.

    python bench/gen_corpus.py N OUT [--seed S] [--inject 0.3]

Each generated story takes one group of real articles about one event (an ECB+ sub-topic, or the seed
fixtures), gives its people new names (consistent within the story, unique in the corpus), shifts its
dates by a whole number of weeks (weekdays stay right), and writes 3-7 articles from different outlets,
each recombining paragraphs of the group's articles (a few KB each). A known number of discrepancies is
injected and listed in OUT/manifest.json:

- spelling: one article of a story spells a person's surname differently (rule spelling-names);
- weekday: one article writes a date with the wrong weekday (rule date-weekday-mismatch).

Articles go to OUT/articles/<bucket>/<id>.md; the manifest lists every story and injection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))
SOURCES = [ROOT / "fixtures", SHARED / "corpora" / "ecbplus-dev"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = [
    "The Morning Ledger", "Valley Courier", "Harbor Times", "The Northern Post", "City Wire", "Coastal Herald",
    "Metro Dispatch", "The Evening Standard-Bearer", "Plains Gazette", "River Journal", "The Civic Record",
    "Summit Daily", "Lakeside Chronicle", "The Atlantic Monitor", "Frontier Press", "Capital Observer",
]
_ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "z", "sh", "ch", "j"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "o"]
_CODAS = ["n", "r", "s", "k", "v", "l", "m", "nd", "rt", "sk", "x", "z"]


# ----------------------------------------------------------------------------------------------
# reading the real texts


@dataclass
class Source:
    id: str
    group: str
    title: str | None
    published: dt.date | None
    paragraphs: list[str]
    persons: set[str] = field(default_factory=set)  # name words used as person names


def _front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            meta = yaml.safe_load(text[4:end]) or {}
            return (meta if isinstance(meta, dict) else {}), text[end + 4 :].lstrip("\n")
    return {}, text


_DATELINE = re.compile(r"^(?:posted|updated|published)?[:\s]*[\w ,:/.-]{0,40}\d{4}[\w ,:/.-]{0,30}$", re.I)


def _paragraphs(body: str) -> tuple[str | None, list[str]]:
    title = None
    out = []
    for block in re.split(r"\n\s*\n", body):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            title = title or lines[0].lstrip("#").strip()
            lines = lines[1:]
        lines = [ln for ln in lines if not (len(ln) < 60 and _DATELINE.match(ln))]  # datelines: published goes to front matter
        long_lines = [ln for ln in lines if len(ln) > 40]
        if len(long_lines) >= 3 and len(block) / max(len(lines), 1) < 400:  # one sentence a line (ECB+): 1-3 lines a paragraph
            i = 0
            while i < len(lines):
                n = 1 + (hash(lines[i]) % 3)
                out.append(" ".join(lines[i : i + n]))
                i += n
        elif lines:
            out.append("\n".join(lines))
    return title, [p for p in out if len(p) >= 40]


def read_sources() -> list[Source]:
    from checker.corpus import load_corpus
    from checker.extract import extract_article
    from checker.lexicon import load_lexicon

    lexicon = load_lexicon()
    files = [p for root in SOURCES if root.is_dir() for p in sorted(root.rglob("*.md"))]
    loaded = {Path(a.path).resolve(): a for a in load_corpus(files, lexicon=lexicon).articles}
    sources = []
    for f in files:
        article = loaded.get(f.resolve())
        if article is None:
            continue
        meta, body = _front_matter(f.read_text(encoding="utf-8"))
        m = re.match(r"(\d+)_\d+(ecbplus|ecb)$", f.stem)
        group = f"{m.group(1)}{m.group(2)}" if m else f.parent.name
        title, paras = _paragraphs(body)
        if not paras:
            continue
        facts = extract_article(article, lexicon)
        persons = set()
        for n in facts.of("name"):
            if n.etype == "person":
                persons.update(w for w in re.findall(r"[A-Z][a-z]{2,}", n.full))
        sources.append(Source(article.id, group, meta.get("title") or title, article.published, paras, persons))
    lower_words = {w for s in sources for p in s.paragraphs for w in re.findall(r"\b[a-z]{3,}\b", p)}
    for s in sources:
        s.persons = {w for w in s.persons if w.lower() not in lower_words}  # never rename ordinary words
    return sources


# ----------------------------------------------------------------------------------------------
# names and dates


class Names:
    """Invented name words, unique in the corpus down to their consonant skeleton."""

    def __init__(self, rng: random.Random) -> None:
        from checker.translit import skeleton

        self.rng = rng
        self.skeleton = skeleton
        self.used: set[str] = set()

    def new(self) -> str:
        for _ in range(1000):
            n = self.rng.choice([2, 3, 3, 4])
            word = "".join(self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) for _ in range(n)) + self.rng.choice(_CODAS)
            word = word.capitalize()
            key = self.skeleton(word)
            if key not in self.used and len(key) >= 4:
                self.used.add(key)
                return word
        raise RuntimeError("name space exhausted")


def variant(word: str, rng: random.Random) -> str:
    """Another spelling of a name word that a reader (and the checker) takes for the same name."""
    vowels = [i for i, c in enumerate(word) if c in "aeio" and 0 < i < len(word) - 1]
    if vowels and rng.random() < 0.5:
        i = rng.choice(vowels)
        swap = {"a": "e", "e": "a", "i": "e", "o": "ou"}[word[i]]
        return word[:i] + swap + word[i + 1 :]
    cons = [i for i, c in enumerate(word) if c in "lnrst" and 0 < i < len(word) - 1 and word[i - 1] in "aeiou"]
    if cons:
        i = rng.choice(cons)
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word + "e"


_MONTH = r"(?P<month>%s)\.?" % "|".join(MONTHS + [m[:3] for m in MONTHS if m != "May"])
_DATE_RE = re.compile(
    r"\b(?:"
    + rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    + rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{'|'.join(MONTHS)})(?:\s+(?P<year2>(?:19|20)\d\d))?"
    + r"|(?P<iso>(?:19|20)\d\d-\d\d-\d\d)"
    + r"|(?P<bare>(?:19[5-9]\d|20[0-3]\d))"
    + r")\b"
)


def _month_index(name: str) -> int:
    for i, m in enumerate(MONTHS):
        if m.lower().startswith(name.lower()[:3]):
            return i + 1
    raise ValueError(name)


def shift_dates(text: str, days: int, ref_year: int) -> str:
    """Every date moved by `days` (a multiple of 7), written the way it was written."""

    def sub(m: re.Match[str]) -> str:
        try:
            if m.group("iso"):
                return (dt.date.fromisoformat(m.group("iso")) + dt.timedelta(days)).isoformat()
            if m.group("bare"):
                return str(int(m.group("bare")) + round(days / 365.25))
            if m.group("month"):
                month, day, year = _month_index(m.group("month")), int(m.group("day")), m.group("year")
                d = dt.date(int(year) if year else ref_year, month, day) + dt.timedelta(days)
                written = m.group("month")
                name = MONTHS[d.month - 1] if len(written.rstrip(".")) > 3 or written == "May" else MONTHS[d.month - 1][:3]
                out = f"{name}{'.' if written.endswith('.') and name != 'May' else ''} {d.day}"
                return out + (f", {d.year}" if year else "")
            month, day, year = _month_index(m.group("month2")), int(m.group("day2")), m.group("year2")
            d = dt.date(int(year) if year else ref_year, month, day) + dt.timedelta(days)
            return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")
        except ValueError:
            return m.group(0)

    return _DATE_RE.sub(sub, text)


def rename(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, mapping), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


# ----------------------------------------------------------------------------------------------
# stories


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60] or "story"


def build(n: int, out: Path, seed: int = 0, inject: float = 0.3) -> dict:
    rng = random.Random(seed)
    sources = read_sources()
    groups: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        groups[s.group].append(s)
    group_names = sorted(groups)
    names = Names(rng)
    articles_dir = out / "articles"
    articles_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"n": n, "seed": seed, "sources": len(sources), "groups": len(groups), "stories": [], "injected": []}
    written = 0
    story_no = 0
    total_bytes = 0
    while written < n:
        story_no += 1
        gname = rng.choice(group_names)
        group = groups[gname]
        k = min(rng.randint(3, 7), n - written)
        people = sorted(set().union(*(s.persons for s in group)))
        mapping = {w: names.new() for w in people}
        base_day = next((s.published for s in group if s.published), None) or dt.date(2010, 1, 1) + dt.timedelta(rng.randint(0, 1500))
        shift = 7 * rng.randint(-300, 300)
        story_day = base_day + dt.timedelta(shift)
        story_id = f"s{story_no:06d}"
        texts = []
        for j in range(k):
            base = rng.choice(group)
            paras = [p for p in base.paragraphs if rng.random() > 0.15] or base.paragraphs[:1]
            target = rng.randint(2000, 5000)
            others = [p for s in group if s is not base for p in s.paragraphs]
            while sum(map(len, paras)) < target and others:
                paras.insert(rng.randint(1, len(paras)), others.pop(rng.randrange(len(others))))
            body = "\n\n".join(paras)
            while len(body) > 8000 and len(paras) > 1:
                paras.pop()
                body = "\n\n".join(paras)
            body = rename(shift_dates(body, shift, base_day.year), mapping)
            title = rename(shift_dates(base.title or paras[0][:80], shift, base_day.year), mapping)
            outlet = OUTLETS[(story_no + j * 5) % len(OUTLETS)]
            published = story_day + dt.timedelta(rng.randint(0, 3))
            texts.append({"title": title, "outlet": outlet, "published": published, "body": body})
        injections = _inject(texts, mapping, rng, inject, story_id)
        ids = []
        for j, t in enumerate(texts):
            aid = f"{story_id}-{j}"
            ids.append(aid)
            meta = {
                "id": aid,
                "title": t["title"],
                "source": t["outlet"],
                "url": f"https://{_slug(t['outlet'])}.example/{t['published']:%Y/%m}/{_slug(t['title'])}",
                "published": t["published"].isoformat(),
            }
            bucket = articles_dir / f"{written // 1000:03d}"
            bucket.mkdir(exist_ok=True)
            doc = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n" + t["body"] + "\n"
            (bucket / f"{aid}.md").write_text(doc, encoding="utf-8")
            total_bytes += len(doc.encode())
            written += 1
        for inj in injections:
            inj["articles"] = [ids[i] for i in inj.pop("indexes")]
            manifest["injected"].append(inj)
        manifest["stories"].append({"id": story_id, "group": gname, "articles": ids, "shift_days": shift})
    counts: dict[str, int] = defaultdict(int)
    for inj in manifest["injected"]:
        counts[inj["kind"]] += 1
    manifest["counts"] = dict(counts)
    manifest["articles"] = written
    manifest["mean_bytes"] = round(total_bytes / max(written, 1))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def _inject(texts: list[dict], mapping: dict[str, str], rng: random.Random, rate: float, story: str) -> list[dict]:
    """At most one discrepancy per story, in `rate` of the stories."""
    if len(texts) < 2 or rng.random() >= rate:
        return []
    if rng.random() < 0.7:
        # a surname that every article of the story uses, respelled in one of them
        shared = [w for w in mapping.values() if sum(bool(re.search(rf"\b{w}\b", t["body"])) for t in texts) >= 2]
        if shared:
            word = rng.choice(sorted(shared))
            holders = [i for i, t in enumerate(texts) if re.search(rf"\b{word}\b", t["body"])]
            i = rng.choice(holders)
            other = variant(word, rng)
            texts[i]["body"] = re.sub(rf"\b{word}\b", other, texts[i]["body"])
            texts[i]["title"] = re.sub(rf"\b{word}\b", other, texts[i]["title"])
            return [{"kind": "spelling", "rule": "spelling-names", "story": story, "indexes": holders, "spelling": word, "variant": other}]
    i = rng.randrange(len(texts))
    day = texts[i]["published"] + dt.timedelta(rng.randint(5, 20))
    wrong = WEEKDAYS[(day.weekday() + rng.randint(1, 6)) % 7]
    sentence = f"A further hearing in the case was set for {wrong}, {MONTHS[day.month - 1]} {day.day}, {day.year}."
    paras = texts[i]["body"].split("\n\n")
    paras.insert(min(len(paras), 1 + rng.randrange(max(len(paras) - 1, 1))), sentence)
    texts[i]["body"] = "\n\n".join(paras)
    return [{"kind": "weekday", "rule": "date-weekday-mismatch", "story": story, "indexes": [i], "text": sentence}]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", type=Path, help="output folder (articles/ and manifest.json)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--inject", type=float, default=0.3, help="share of stories with one injected discrepancy")
    args = ap.parse_args(argv)
    if (args.out / "articles").exists() and any((args.out / "articles").iterdir()):
        print(f"{args.out}/articles is not empty; choose a new folder", file=sys.stderr)
        return 2
    m = build(args.n, args.out, args.seed, args.inject)
    print(f"{m['articles']} articles in {len(m['stories'])} stories ({m['mean_bytes']} bytes on average), "
          f"{len(m['injected'])} injected discrepancies {m['counts']} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
