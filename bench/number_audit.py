"""Dump every number fact of a corpus as a check reads it, with its story and background flag, for a hand audit.

Usage: python bench/number_audit.py CORPUS [--out FILE.jsonl] [--sample N] [--seed S]

One JSON object a line: id (article:start), attribute, value, low, high, unit, hedge, figure, text, holder,
story, background (the sentence tells of an earlier event: the number rule skips it; linking's background and
the rule's past periods), sentence. Judging is by
hand (bench/results/number_audit.md holds the counts).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.corpus import load_corpus  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402
from checker.link import link  # noqa: E402
from checker.pipeline import Options, _read_as, extract_all  # noqa: E402
from checker.rules.base import Context  # noqa: E402
from checker.rules.number import _past_sentences  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    lexicon = load_lexicon()
    corpus = load_corpus([a.corpus], lexicon=lexicon)
    opts = Options(paths=[a.corpus])
    articles = _read_as(opts, corpus.articles, lexicon)
    facts, _ = extract_all(articles, lexicon, jobs=1)
    linked = link(articles, facts, lexicon)
    rows = []
    ctx = Context(articles={x.id: x for x in articles}, facts={af.article: af for af in facts}, linked=linked,
                  lexicon=lexicon)
    for af in facts:
        # what the number rule sets aside: linking's background and the figures of an earlier period
        bg = linked.background_sentences.get(af.article, frozenset()) | _past_sentences(
            ctx, af, linked.anchors.get(af.article), 7)
        for n in af.of("number"):
            rows.append({
                "id": f"{n.article}:{n.start}", "attribute": n.attribute, "value": n.value, "low": n.low,
                "high": n.high, "unit": n.unit, "hedge": n.hedge, "figure": n.figure, "text": n.text,
                "holder": n.holder, "story": linked.story_of.get(n.article),
                "background": n.sentence_index in bg, "sentence": " ".join(n.sentence.split()),
            })
    if a.sample and a.sample < len(rows):
        rows = sorted(random.Random(a.seed).sample(rows, a.sample), key=lambda r: r["id"])
    out = open(a.out, "w") if a.out else sys.stdout
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
    if a.out:
        out.close()
        print(f"{len(rows)} number facts -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
