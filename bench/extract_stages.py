"""Extraction speed per stage: CPU milliseconds per article for sentences, names, dates, events,
attendance, quotes, numbers and building the ArticleFacts model, best of a few passes.

    python bench/extract_stages.py CORPUS [N] [--repeat 3]

e.g. on generated 4 KB articles (bench/gen_corpus.py) and on ECB+ dev:

    python bench/extract_stages.py /tmp/crosscheck-scale-bench/n1000/articles 200
    python bench/extract_stages.py /work/shared/corpora/ecbplus-dev 187

Each pass runs `extract_article` itself over every article, with its stage timer (so the stages are
exactly those of a check); the dates stage's per-document cache and the names stage's per-run shapes
are cleared before each pass. CPU time (time.process_time), not wall time: a shared machine moves
both, but CPU time less. Prints figures only; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.corpus import load_corpus  # noqa: E402
from checker.extract import dates as dates_module  # noqa: E402
from checker.extract import extract_article  # noqa: E402
from checker.extract import names as names_module  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    lex = load_lexicon(None)
    arts = load_corpus([args.corpus], lexicon=lex).articles[: args.n]
    extract_article(arts[0], lex)  # compile every grammar once
    clear_dates = getattr(dates_module._cached_find, "cache_clear", lambda: None)
    shapes = getattr(names_module._lex(lex), "shapes", {})

    def clear() -> None:  # each pass starts cold: no document's dates, no run's shape known
        clear_dates()
        shapes.clear()
    chars = sum(len(a.text) for a in arts) / len(arts)
    print(f"{len(arts)} articles from {args.corpus}, mean {chars:.0f} chars; CPU ms/article, best of {args.repeat}")
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        clear()
        spent: dict[str, float] = defaultdict(float)

        def timer(stage: str, seconds: float) -> None:
            spent[stage] += seconds

        for a in arts:
            extract_article(a, lex, timer=timer)
        for stage, seconds in spent.items():
            best[stage] = min(best.get(stage, float("inf")), seconds)
    total = 0.0
    for stage, seconds in best.items():
        ms = seconds / len(arts) * 1000
        total += ms
        print(f"  {stage:11s} {ms:6.2f}")
    print(f"  {'total':11s} {total:6.2f}  ({1000 / total:.0f} articles/s per core)")


if __name__ == "__main__":
    main()
