"""Print every NumberMention found in ../shared/corpora/ecbplus-dev, grouped by file, to eyeball precision.

Usage: python bench/numbers_dump.py [corpus folder] [--context]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.corpus import load_corpus  # noqa: E402
from checker.extract.numbers import find_numbers  # noqa: E402
from checker.lexicon import load_lexicon  # noqa: E402
from checker.text import split_sentences  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "ecbplus-dev"


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    context = "--context" in argv
    corpus = Path(args[0]) if args else DEFAULT
    if not corpus.is_dir():
        print(f"skipped: {corpus} is absent")
        return 0
    lexicon = load_lexicon()
    find_numbers("", [], lexicon)  # compile the grammar outside the timing
    articles = sorted(load_corpus([corpus]).articles, key=lambda a: a.path)
    total = 0
    by_attr: dict[str, int] = {}
    elapsed = 0.0
    for art in articles:
        sents = split_sentences(art, lexicon)
        t0 = time.process_time()
        found = find_numbers(art.text, [(s.start, s.end) for s in sents], lexicon)
        elapsed += time.process_time() - t0
        if not found:
            continue
        print(f"== {art.path}")
        for n in found:
            total += 1
            by_attr[n.attribute.split(":")[0] if n.attribute.startswith("distance") else n.attribute] = (
                by_attr.get(n.attribute.split(":")[0] if n.attribute.startswith("distance") else n.attribute, 0) + 1
            )
            rng = f"[{_f(n.low)}, {_f(n.high)}]"
            flag = " revised" if n.revised else ""
            print(f"  {n.attribute:<22} {_f(n.value):>12} {n.unit or '-':<8} {n.hedge:<10} {rng:<26} {n.text!r}{flag}")
            if context:
                s = next(s for s in sents if s.start <= n.start < s.end)
                print(f"      | {s.text}")
    print(f"\n{total} mentions in {len(articles)} articles; " + ", ".join(f"{k} {v}" for k, v in sorted(by_attr.items())))
    if elapsed:
        print(f"find_numbers: {len(articles) / elapsed:.0f} articles/s, cpu time (sentences given)")
    return 0


def _f(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:g}" if abs(x) < 1e6 else f"{x:.4g}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
