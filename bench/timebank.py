"""Benchmark the date extractor on TimeBank 1.2 + AQUAINT (TempEval-3 TBAQ-cleaned, TimeML).

Run: python bench/timebank.py [--corpus DIR] [--examples N] [--out FILE]
Scores TIMEX3 inside <TEXT> against find_dates(plain text, DCT): span P/R/F1 (strict and overlapping),
value accuracy on overlapping matches and value F1 (overlap + equal value), for DATE and for all types.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.extract import dates as dates_module  # noqa: E402
from checker.extract.dates import find_dates  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "timebank"
SPEED_CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus-dev"
_TOKEN = re.compile(r"<(/?)(\w+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


def parse_tml(raw: str) -> tuple[str, dt.date | None, list[Gold]]:
    """Plain text of <TEXT>, the document creation date, and the gold TIMEX3s mapped into the plain text."""
    dct = None
    m = re.search(r"<DCT>.*?value=\"(\d{4}-\d\d-\d\d)", raw, re.S)
    if m:
        dct = dt.date.fromisoformat(m.group(1))
    body = raw[raw.index("<TEXT>") + len("<TEXT>"):raw.index("</TEXT>")]
    out: list[str] = []
    pos, length = 0, 0
    gold: list[Gold] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    for t in _TOKEN.finditer(body):
        chunk = body[pos:t.start()]
        out.append(chunk)
        length += len(chunk)
        pos = t.end()
        if t.group(4) is not None:
            ch = html.unescape("&" + t.group(4) + ";")
            out.append(ch)
            length += len(ch)
            continue
        closing, tag, attrs = t.group(1), t.group(2), t.group(3)
        if tag != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            s, a = open_timex
            gold.append(Gold(s, length, "", a.get("type", ""), a.get("value", "")))
            open_timex = None
    out.append(body[pos:])
    text = "".join(out)
    gold = [Gold(g.start, g.end, text[g.start:g.end], g.type, g.value) for g in gold]
    return text, dct, gold


def shape(s: str, lex) -> str:
    """An error class: the expression with digits, month and weekday names abstracted."""
    months = {k.lower() for k in (lex.get("date_months") or {})}
    wds = {k.lower() for k in (lex.get("date_weekdays") or {})}
    words = []
    for w in re.findall(r"[A-Za-z]+\.?|\d+|[^\sA-Za-z\d]", s.lower()):
        if w.rstrip(".") in months:
            words.append("MONTH")
        elif w.rstrip(".") in wds:
            words.append("WEEKDAY")
        elif w.isdigit():
            words.append("9" * len(w))
        else:
            words.append(w)
    return " ".join(words)


def canonical(value: str | None) -> str | None:
    """The same value in one ISO spelling: week numbers with two digits (W7 -> W07), hours with minutes (T17 -> T17:00)."""
    if value is None:
        return None
    value = re.sub(r"-W(\d)(?!\d)", r"-W0\1", value)
    return re.sub(r"T(\d\d)$", r"T\1:00", value)


def prf(tp: int, nsys: int, ngold: int) -> tuple[float, float, float]:
    p = tp / nsys if nsys else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs, want: set[str] | None, lex):
    strict = over = correct = canon = nsys = ngold = 0
    errors: dict[str, collections.Counter] = {k: collections.Counter() for k in ("missed", "spurious", "wrong value")}
    examples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for name, text, gold, sys_out in docs:
        G = [g for g in gold if want is None or g.type in want]
        S = [s for s in sys_out if want is None or s.timex_type in want]
        ngold += len(G)
        nsys += len(S)
        strict += len({(g.start, g.end) for g in G} & {(s.start, s.end) for s in S})
        used: set[int] = set()
        for s in S:
            hit = None
            for i, g in enumerate(G):
                if i not in used and s.start < g.end and g.start < s.end:
                    if hit is None or (g.start, g.end) == (s.start, s.end):
                        hit = i
            if hit is None:
                k = shape(s.text, lex)
                errors["spurious"][k] += 1
                examples[("spurious", k)].append(f"{s.text!r}={s.value} [{name}]")
                continue
            used.add(hit)
            over += 1
            g = G[hit]
            if canonical(s.value) == canonical(g.value):
                canon += 1
            if s.value == g.value:
                correct += 1
            else:
                k = shape(g.text, lex)
                errors["wrong value"][k] += 1
                examples[("wrong value", k)].append(f"{g.text!r} gold={g.value} got {s.text!r}={s.value} [{name}]")
        for i, g in enumerate(G):
            if i not in used:
                k = shape(g.text, lex)
                errors["missed"][k] += 1
                ctx = text[max(0, g.start - 30):g.end + 20].replace("\n", " ")
                examples[("missed", k)].append(f"{g.text!r}={g.value} …{ctx}… [{name}]")
    return dict(strict=prf(strict, nsys, ngold), overlap=prf(over, nsys, ngold),
                value_acc=correct / over if over else 0.0, value=prf(correct, nsys, ngold),
                value_canonical=prf(canon, nsys, ngold),
                nsys=nsys, ngold=ngold, errors=errors, examples=examples)


def speed(corpus: Path, lex, repeats: int = 3) -> str | None:
    """find_dates per article over a folder of news articles: CPU ms per article, best of `repeats`."""
    files = sorted(corpus.rglob("*.md")) if corpus.is_dir() else []
    if not files:
        return None
    texts = [f.read_text(encoding="utf-8") for f in files]
    published = dt.date(2010, 1, 1)
    find_dates("warm-up on May 3", published, lex)
    best = None
    for _ in range(repeats):
        dates_module._cached_find.cache_clear()  # time the extraction, not the cache
        t0 = time.process_time()
        for t in texts:
            find_dates(t, published, lex)
        el = time.process_time() - t0
        best = el if best is None else min(best, el)
    kb = sum(len(t) for t in texts) / len(texts) / 1000
    return (f"speed: find_dates {1000 * best / len(texts):.2f} ms/article (CPU, best of {repeats}) "
            f"over {len(texts)} {corpus.name} articles of {kb:.1f} KB on average")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--examples", type=int, default=2, help="examples per error class")
    ap.add_argument("--classes", type=int, default=12, help="error classes shown per kind")
    ap.add_argument("--out", default=None, help="also write the figures to this file")
    ap.add_argument("--lexicon", default=None, help="lexicon folder (default: the bundled rules/lexicon)")
    ap.add_argument("--speed-corpus", default=str(SPEED_CORPUS), help="news articles (*.md) to time find_dates on")
    ap.add_argument("--halves", action="store_true",
                    help="also print value P/R/F1 on two splits of the corpus: by collection (TimeBank vs "
                         "AQUAINT folders) and by document (even vs odd in name order), to check a change helps on both")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    files = sorted(corpus.rglob("*.tml")) if corpus.is_dir() else []
    if not files:
        print(f"skipped: no TimeBank corpus at {corpus}")
        return 0
    lex = load_lexicon(args.lexicon)
    t0 = time.perf_counter()
    docs = []
    for f in files:
        text, dct, gold = parse_tml(f.read_text(encoding="utf-8"))
        docs.append((f.stem, text, gold, find_dates(text, dct, lex)))
    elapsed = time.perf_counter() - t0
    lines = [f"{corpus.name} (TimeBank+AQUAINT TimeML): {len(files)} documents, {sum(len(d[2]) for d in docs)} gold TIMEX3; "
             f"extraction {elapsed:.1f}s"]
    timing = speed(Path(args.speed_corpus), lex)
    if timing:
        lines.append(timing)
    lines.append("")
    results = {}
    for label, want in (("DATE", {"DATE"}), ("ALL", None)):
        r = score(docs, want, lex)
        results[label] = r
        lines.append(f"{label}: gold {r['ngold']}, system {r['nsys']}")
        for k in ("strict", "overlap"):
            p, rr, f = r[k]
            lines.append(f"  span {k:8s} P {p:.3f}  R {rr:.3f}  F1 {f:.3f}")
        lines.append(f"  value accuracy on overlapping matches {r['value_acc']:.3f}")
        p, rr, f = r["value"]
        lines.append(f"  value            P {p:.3f}  R {rr:.3f}  F1 {f:.3f}")
        p, rr, f = r["value_canonical"]
        lines.append(f"  value, ISO spelling of gold and system evened (W7=W07, T17=T17:00)  F1 {f:.3f}")
        lines.append("")
    if args.halves:
        lines.append("Halves (value P/R/F1, DATE | all types):")
        splits = [(f"collection {name}", lambda i, f, name=name: f.parent.name == name)
                  for name in sorted({f.parent.name for f in files})]
        splits += [("documents even", lambda i, f: i % 2 == 0), ("documents odd", lambda i, f: i % 2 == 1)]
        for label, keep in splits:
            part = [d for i, (f, d) in enumerate(zip(files, docs)) if keep(i, f)]
            if not part:
                continue
            cells = []
            for want in ({"DATE"}, None):
                p, rr, f1 = score(part, want, lex)["value"]
                cells.append(f"P {p:.3f} R {rr:.3f} F1 {f1:.3f}")
            lines.append(f"  {label:22s} {len(part):3d} docs  DATE {cells[0]}  |  all {cells[1]}")
        lines.append("")
    r = results["ALL"]
    lines.append("Worst error classes (all types):")
    for kind in ("missed", "spurious", "wrong value"):
        lines.append(f"  {kind}:")
        for k, n in r["errors"][kind].most_common(args.classes):
            ex = r["examples"][(kind, k)][:args.examples]
            lines.append(f"    {n:4d}  {k}")
            for e in ex:
                lines.append(f"            {e}")
    report = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
