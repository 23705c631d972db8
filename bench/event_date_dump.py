"""Dump the dated event mentions of a corpus for a by-hand audit of the dates given to events.

Run: python bench/event_date_dump.py PATH [--labels FILE]
PATH: a corpus folder; one of TimeML files (.tml: TimeBank, AQUAINT) is read as articles published on
their document creation date.
Prints one row per event mention that has a date (its own or taken from another trigger): a key
(article:trigger offset:date offset), the type, the trigger, the date text and its value, and the
sentence with the trigger in [[...]] and the date in {{...}}. With --labels (a TSV of key <tab> label
<tab> note, as written by hand), prints the counts per label of the mentions still dated, the labelled
mentions no longer dated, and the rows not labelled yet.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.corpus import load_corpus  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402
from checker.pipeline import extract_all  # noqa: E402
from checker.recase import recase_articles  # noqa: E402


def _from_tml(path: Path, out: Path) -> Path:
    """The .tml files under `path` written as articles into `out` (as bench/mixed_eval.py does)."""
    import re

    from timebank import parse_tml

    for tml in sorted(path.rglob("*.tml")):
        text, dct, _ = parse_tml(tml.read_text(encoding="utf-8"))
        front = f"---\nid: {tml.stem}\n" + (f"published: {dct.isoformat()}\n" if dct else "") + "---\n\n"
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        (out / f"{tml.stem}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return out


def rows(path: Path) -> list[tuple[str, str]]:
    if path.is_dir() and next(path.rglob("*.tml"), None) is not None:
        import tempfile

        sys.path.insert(0, str(ROOT / "bench"))
        with tempfile.TemporaryDirectory() as tmp:
            return rows(_from_tml(path, Path(tmp)))
    lexicon = load_lexicon(None)
    corpus = load_corpus([path], lexicon=lexicon)
    read = recase_articles(corpus.articles, lexicon)
    facts, _ = extract_all(read, lexicon)
    text_of = {a.id: a.text for a in corpus.articles}
    out = []
    for af in facts:
        text = text_of[af.article]
        for f in af.facts:
            if f.kind != "event" or not f.date_span:
                continue
            s = af.sentences[f.sentence_index]
            marks = sorted([(f.start, "[["), (f.end, "]]"), (f.date_span[0], "{{"), (f.date_span[1], "}}")], reverse=True)
            lo, hi = min(s.start, f.date_span[0]), max(s.end, f.date_span[1])
            sent = text[lo:hi]
            for pos, mark in marks:
                sent = sent[:pos - lo] + mark + sent[pos - lo:]
            key = f"{af.article}:{f.start}:{f.date_span[0]}"
            out.append((key, f"{f.value}\t{f.text}\t{f.date_text} -> {f.date}\t{' '.join(sent.split())}"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--labels", type=Path)
    args = ap.parse_args(argv)
    found = rows(args.path)
    if not args.labels:
        for key, row in found:
            print(f"{key}\t{row}")
        return 0
    labels = {}
    for line in args.labels.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, label, *_ = line.split("\t")
            labels[key] = label
    keys = {k for k, _ in found}
    kept = collections.Counter(labels[k] for k in keys if k in labels)
    dropped = collections.Counter(labels[k] for k in labels if k not in keys)
    print(f"dated event mentions: {len(found)}")
    for label, n in sorted(kept.items()):
        print(f"  {label}: {n}")
    print("labelled mentions no longer dated:", dict(sorted(dropped.items())))
    for key, row in found:
        if key not in labels:
            print(f"unlabelled\t{key}\t{row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
