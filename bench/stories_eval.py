"""How well articles are grouped into stories on ../shared/corpora/ecbplus-dev.

ECB+ file names say which real event an article is about (`<topic>_<n>ecb` vs `<topic>_<n>ecbplus`);
the checker never reads them, this script does, to measure: purity (each story holds one event),
inverse purity (each event sits in one story), and the number of story pairs that mix the two events
of one topic (the mistake that would produce false findings). Run: python bench/stories_eval.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus-dev"


def label(article_id: str) -> str:
    m = re.match(r"(\d+)_\d+(ecbplus|ecb)$", article_id)
    return f"{m.group(1)}/{m.group(2)}" if m else article_id


def main() -> int:
    if not CORPUS.is_dir():
        print(f"{CORPUS} not found: nothing to measure")
        return 0
    from checker.pipeline import Options, run_check

    report = run_check(Options(paths=[CORPUS], use_cache=False))
    stories = [st.articles for st in report.stories]
    n = sum(len(s) for s in stories)
    purity = sum(Counter(label(a) for a in s).most_common(1)[0][1] for s in stories) / n
    by_label = defaultdict(list)
    for i, s in enumerate(stories):
        for a in s:
            by_label[label(a)].append(i)
    inverse = sum(Counter(v).most_common(1)[0][1] for v in by_label.values()) / n
    mixed = [s for s in stories if len({label(a) for a in s}) > 1]
    print(f"articles {n}  stories {len(stories)}  (real events {len(by_label)})")
    print(f"purity {purity:.3f}  inverse purity {inverse:.3f}  F {2 * purity * inverse / (purity + inverse):.3f}")
    print(f"stories mixing two events: {len(mixed)}")
    for s in mixed:
        print("  ", dict(Counter(label(a) for a in s)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
