"""Extraction speed per stage: CPU milliseconds per article for sentences, names, dates, events,
attendance, quotes, numbers and building the ArticleFacts model, best of a few passes.

    python bench/extract_stages.py CORPUS [N] [--repeat 3]

e.g. on generated 4 KB articles (bench/gen_corpus.py) and on ECB+ dev:

    python bench/extract_stages.py /tmp/crosscheck-scale-bench/n1000/articles 200
    python bench/extract_stages.py /work/shared/corpora/ecbplus-dev 187

Each stage runs on the outputs of the earlier ones, computed once beforehand; the dates stage clears
its per-document cache before each pass. CPU time (time.process_time), not wall time: a shared
machine moves both, but CPU time less. Prints figures only; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.corpus import load_corpus  # noqa: E402
from checker.extract import _date_facts, extract_article  # noqa: E402
from checker.extract import dates as dates_module  # noqa: E402
from checker.extract.attendance import extract_attendance  # noqa: E402
from checker.extract.events import extract_events  # noqa: E402
from checker.extract.names import extract_names  # noqa: E402
from checker.extract.numbers_facts import number_facts  # noqa: E402
from checker.extract.quotes import extract_quotes  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402
from checker.models import ArticleFacts  # noqa: E402
from checker.text import split_sentences  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    lex = load_lexicon(None)
    arts = load_corpus([args.corpus], lexicon=lex).articles[: args.n]
    extract_article(arts[0], lex)  # compile every grammar once
    inputs = []
    for a in arts:
        s = split_sentences(a, lex)
        n = extract_names(a, s, lex)
        d = _date_facts(a, s, lex)
        e = extract_events(a.text, s, n, d, lex, article=a.id)
        at = extract_attendance(a.text, s, n, lex)
        q = extract_quotes(a.text, s, n, lex, article=a.id)
        nu = number_facts(a, s, lex)
        inputs.append((a, s, n, d, (*n, *d, *e, *at, *q, *nu)))

    stages = {
        "sentences": lambda a, s, n, d, f: split_sentences(a, lex),
        "names": lambda a, s, n, d, f: extract_names(a, s, lex),
        "dates": lambda a, s, n, d, f: _date_facts(a, s, lex),
        "events": lambda a, s, n, d, f: extract_events(a.text, s, n, d, lex, article=a.id),
        "attendance": lambda a, s, n, d, f: extract_attendance(a.text, s, n, lex),
        "quotes": lambda a, s, n, d, f: extract_quotes(a.text, s, n, lex, article=a.id),
        "numbers": lambda a, s, n, d, f: number_facts(a, s, lex),
        "model": lambda a, s, n, d, f: ArticleFacts(article=a.id, sentences=s, facts=f),
    }
    clear = getattr(dates_module._cached_find, "cache_clear", lambda: None)
    chars = sum(len(a.text) for a in arts) / len(arts)
    print(f"{len(arts)} articles from {args.corpus}, mean {chars:.0f} chars; CPU ms/article, best of {args.repeat}")
    total = 0.0
    for name, run in stages.items():
        best = float("inf")
        for _ in range(args.repeat):
            clear()
            t = time.process_time()
            for inp in inputs:
                run(*inp)
            best = min(best, time.process_time() - t)
        ms = best / len(arts) * 1000
        total += ms
        print(f"  {name:11s} {ms:6.2f}")
    print(f"  {'total':11s} {total:6.2f}  ({1000 / total:.0f} articles/s per core)")


if __name__ == "__main__":
    main()
