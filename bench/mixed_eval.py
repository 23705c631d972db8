"""Precision where many unrelated stories meet: ECB+ dev, TimeBank + AQUAINT and the seeds as one corpus.

The three collections share no story, so a story or a finding that joins articles of two of them is wrong
by construction, and so is one that joins the two real events of one ECB+ topic. Linking weighs names by
their rarity in the whole corpus, so the same articles can link differently in a larger corpus: this is a
check that the ECB+ figures do not rest on its small size. Prints:

- stories that mix collections, or the two events of one ECB+ topic (each is a mistake);
- non-info findings per kind, and those whose claims span two collections (false by construction);
- the ECB+ expectations score (bench/ecbplus_eval.py) on the findings about ECB+ articles only.

Run: python bench/mixed_eval.py [--shared ../shared] [--keep DIR]. A measurement: exit status 0 also when
the corpora are missing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ECB = re.compile(r"^(\d+)_\d+(ecbplus|ecb)$")


def family(article_id: str) -> str:
    """Which collection an article comes from: an ECB+ event label ("24/ecb"), "seeds" or "timebank"."""
    m = ECB.match(article_id)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    return "seeds" if re.match(r"^\d{3}_", article_id) else "timebank"


def collection(article_id: str) -> str:
    return "ecb+" if ECB.match(article_id) else family(article_id)


def build(shared: Path, out: Path) -> int:
    """Writes the mixed corpus into `out`; returns the number of articles."""
    from timebank import parse_tml

    n = 0
    for src in sorted((shared / "corpora" / "ecbplus-dev").glob("*/*.md")):
        shutil.copy(src, out / src.name)
        n += 1
    for tml in sorted((shared / "corpora" / "timebank").rglob("*.tml")):
        text, dct, _ = parse_tml(tml.read_text(encoding="utf-8"))
        front = f"---\nid: {tml.stem}\n" + (f"published: {dct.isoformat()}\n" if dct else "") + "---\n\n"
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        (out / f"{tml.stem}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        n += 1
    for src in sorted((ROOT / "fixtures" / "seeds").glob("*.md")):
        shutil.copy(src, out / src.name)
        n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--keep", type=Path, help="write the mixed corpus here and keep it")
    args = parser.parse_args(argv)
    if not (args.shared / "corpora" / "ecbplus-dev").is_dir() or not (args.shared / "corpora" / "timebank").is_dir():
        print(f"corpora not found under {args.shared}: nothing to measure")
        return 0
    from checker.pipeline import Options, run_check
    from ecbplus_eval import DEFAULT_EXPECTATIONS, load_expectations, print_score, score

    tmp = None
    if args.keep:
        folder = args.keep
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="crosscheck-mixed-")
        folder = Path(tmp.name)
    try:
        n = build(args.shared, folder)
        report = run_check(Options(paths=[folder], use_cache=False))
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"mixed corpus: {n} articles, {len(report.stories)} stories, {len(report.findings)} findings, "
          f"{len(report.errors)} errors or warnings")
    mixed = [s for s in report.stories if len({family(a) for a in s.articles}) > 1]
    print(f"stories mixing collections or the two events of an ECB+ topic: {len(mixed)}")
    for s in mixed:
        print("  ", s.name, dict(Counter(family(a) for a in s.articles)))
    loud = [f for f in report.findings if f.severity != "info" and not f.suppressed]
    print("non-info findings by kind:", dict(sorted(Counter(f.kind for f in loud).items())))
    across = [f for f in loud if len({collection(c.article) for c in f.claims}) > 1]
    print(f"non-info findings whose claims span two collections: {len(across)}")
    for f in across:
        print("  ", f.kind, f.subject, [(c.article, c.value) for c in f.claims][:4])
    # each finding's claims about ECB+ articles (a spelling also found in another collection keeps its ECB+ side)
    ecb_only = []
    for f in report.findings:
        claims = [c for c in f.claims if ECB.match(c.article)]
        if len({c.article for c in claims}) >= 2 and len({str(c.value) for c in claims}) >= 2:
            ecb_only.append(f.model_copy(update={"claims": tuple(claims)}).model_dump(mode="json"))
    print("\nECB+ expectations, on the findings' claims about ECB+ articles:")
    print_score(score({"findings": ecb_only}, load_expectations(DEFAULT_EXPECTATIONS)), sample=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
