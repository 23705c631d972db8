"""Scale benchmark: the full check on generated corpora of 1k, 4k and 16k articles (64k and 100k with
--large), cold (empty cache), warm (nothing changed) and incremental (one article changed), with 1 and
2 worker processes; plus the floor (read every file, one compiled regex pass) and the naive way
(dateparser's search over every article, timed on a sample and extrapolated).

    python bench/scale.py [--sizes 1000,4000,16000] [--large] [--jobs 1,2] [--work /tmp/crosscheck-bench]
                          [--naive-sample 20] [--out bench/results/scale.txt]

Every check runs in a fresh process (no warm in-process caches); its stages are timed by wrapping the
pipeline's own functions. Wall times on a shared machine move with its load, so CPU seconds (the
process and its workers) are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

UPDATE = "\n\nThis article was updated with additional reporting.\n"
# An edit that does change linking: a sentence with a name no article uses and a date (a new entity, a
# new date fact). Invented for the benchmark; it names nobody in any corpus.
LINK_EDIT = "\n\nOn March 3, 2014, Oriel Quastenbrook told reporters the talks would resume.\n"
FLOOR_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|\d{4})\b|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b")


# ----------------------------------------------------------------------------------------------
# one check, in its own process


def run_one(corpus: Path, jobs: int, cache: Path | None, executor: str | None) -> dict:
    """Run the real run_check with timed stages; return figures as a dict."""
    t_import = time.perf_counter()
    import checker.parallel as parallel
    import checker.pipeline as pipeline

    import_s = time.perf_counter() - t_import
    stages: dict[str, float] = Counter()
    extract_stats: dict = {}

    def timed(name: str, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stages[name] += time.perf_counter() - t

        return wrapper

    real_many = parallel.extract_many

    def many(*a, **k):
        facts, errors, stats = real_many(*a, **k)
        extract_stats.update(cached=stats.cached, extracted=stats.extracted, executor=stats.executor, workers=stats.workers)
        return facts, errors, stats

    parallel.extract_many = many
    # incremental: the partial re-check from a stored record (its extraction of the changed articles is
    # counted in extract too); compare: the rules over the whole corpus (a run that linked it).
    for name, attr in (("rules+lexicon", "load_rules"), ("load", "load_corpus"), ("load", "_load_memo"), ("load", "_store_load_memo"),
                       ("extract", "extract_all"), ("link", "link"),
                       ("compare", "scoped_compare"), ("compare", "_compare_reusing"), ("incremental", "try_incremental")):
        setattr(pipeline, attr, timed(name, getattr(pipeline, attr)))
    original_lexicon = pipeline.load_lexicon
    pipeline.load_lexicon = timed("rules+lexicon", original_lexicon)

    t0 = time.perf_counter()
    report = pipeline.run_check(
        pipeline.Options(paths=[corpus], jobs=jobs, cache_dir=cache, use_cache=cache is not None, executor=executor)
    )
    wall = time.perf_counter() - t0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    fps = sorted(f.fingerprint for f in report.findings)
    return {
        "wall": wall,
        "import": import_s,
        "stages": dict(stages),
        "cpu_self": me.ru_utime + me.ru_stime,
        "cpu_children": kids.ru_utime + kids.ru_stime,
        "rss_self_mb": me.ru_maxrss / 1024,
        "rss_child_mb": kids.ru_maxrss / 1024,
        "articles": len(report.articles),
        "facts": report.facts_count,
        "findings": len(report.findings),
        "by_rule": dict(Counter(f.rule for f in report.findings)),
        "findings_digest": hashlib.sha256("\n".join(fps).encode()).hexdigest()[:12],
        "errors": len(report.errors),
        "extract_stats": extract_stats,
        "found_claims": [[f.rule, sorted({c.article for c in f.claims}), [str(c.value) for c in f.claims]] for f in report.findings],
    }


def check(corpus: Path, jobs: int, cache: Path | None, executor: str | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(corpus), "--jobs", str(jobs)]
    if cache is not None:
        cmd += ["--cache", str(cache)]
    if executor:
        cmd += ["--executor", executor]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    process = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"check failed ({' '.join(cmd)}):\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = process
    return result


# ----------------------------------------------------------------------------------------------
# references


def floor(corpus: Path) -> tuple[float, int]:
    """Read every file and run one compiled regex over all text: the least any checker must do."""
    t = time.perf_counter()
    hits = 0
    files = 0
    for dirpath, _, names in os.walk(corpus):
        for name in names:
            if name.endswith(".md"):
                text = Path(dirpath, name).read_bytes().decode("utf-8")
                hits += sum(1 for _ in FLOOR_RE.finditer(text))
                files += 1
    return time.perf_counter() - t, files


def naive(corpus: Path, sample: int) -> float:
    """Seconds per article for dateparser.search.search_dates over the text (a sample)."""
    from dateparser.search import search_dates

    files = sorted(corpus.rglob("*.md"))
    step = max(1, len(files) // sample)
    chosen = files[::step][:sample]
    search_dates("warm up on Monday, March 3, 2014", languages=["en"])
    t = time.perf_counter()
    for f in chosen:
        text = f.read_text(encoding="utf-8")
        m = re.search(r"^published: '?(\d{4}-\d\d-\d\d)", text, re.M)
        base = dt.datetime.fromisoformat(m.group(1)) if m else dt.datetime(2014, 1, 1)
        search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base})
    return (time.perf_counter() - t) / len(chosen)


# ----------------------------------------------------------------------------------------------
# the table


def corpus_for(n: int, work: Path) -> tuple[Path, dict]:
    out = work / f"n{n}"
    manifest = out / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("articles") == n:
            return out / "articles", m
        shutil.rmtree(out)
    sys.path.insert(0, str(ROOT / "bench"))
    from gen_corpus import build

    m = build(n, out)
    return out / "articles", m


def injected_found(manifest: dict, result: dict) -> int:
    found = 0
    for inj in manifest["injected"]:
        arts = set(inj["articles"])
        for rule, articles, values in result["found_claims"]:
            if rule != inj["rule"] or not arts & set(articles):
                continue
            if inj["kind"] == "spelling" and not any(inj["variant"] in v for v in values):
                continue
            found += 1
            break
    return found


def fmt_row(n: int, mode: str, jobs: int, r: dict) -> str:
    s = r["stages"]
    cpu = r["cpu_self"] + r["cpu_children"]
    ex = r["extract_stats"]
    return (
        f"{n:>7} {mode:<11} {jobs:>4} {r['wall']:>8.2f} {r['process']:>8.2f} {cpu:>8.1f} {n / r['wall']:>8.0f} "
        f"{s.get('load', 0):>7.2f} {s.get('extract', 0):>8.2f} {s.get('link', 0):>7.2f} {s.get('compare', 0):>7.2f} {s.get('incremental', 0):>7.2f} "
        f"{r['rss_self_mb']:>7.0f} {r['rss_child_mb']:>7.0f} {r['findings']:>6} {ex.get('extracted', 0):>6} {r['findings_digest']}"
    )


HEADER = (
    f"{'N':>7} {'mode':<11} {'jobs':>4} {'wall s':>8} {'proc s':>8} {'cpu s':>8} {'art/s':>8} "
    f"{'load':>7} {'extract':>8} {'link':>7} {'compare':>7} {'incr':>7} {'rss MB':>7} {'wkr MB':>7} {'finds':>6} {'extr.':>6} digest"
)


def exponent(a: float, b: float, na: int, nb: int) -> float:
    return math.log(b / a) / math.log(nb / na) if a > 0 and b > 0 else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,4000,16000")
    ap.add_argument("--large", action="store_true", help="also 64k and 100k articles")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--work", type=Path, default=Path("/tmp/crosscheck-scale-bench"))
    ap.add_argument("--naive-sample", type=int, default=20)
    ap.add_argument("--summary-only", action="store_true", help="print the targets from the results stored in --work, run nothing")
    ap.add_argument("--one-worker-max", type=int, default=0,
                    help="above this N run only the largest --jobs (0: no limit); results of earlier runs in --work are reused")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.txt")
    ap.add_argument("--modes", default="cold,warm,incremental,incr-link",
                    help="runs per size and jobs: cold, warm, incremental (an edit that changes no link input), "
                         "incr-link (an edit that adds a name and a date: relinks)")
    ap.add_argument("--keep-cache", action="store_true",
                    help="do not empty the cache before the cold run (its facts may be reused: a 'cold' run then "
                         "only relinks and compares; for quick development measurements)")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--executor", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, int(args.jobs), args.cache, args.executor)))
        return 0

    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - {"cold", "warm", "incremental", "incr-link"}
    if unknown:
        ap.error(f"unknown modes: {sorted(unknown)}")
    sizes = [int(x) for x in args.sizes.split(",")] + ([64000, 100000] if args.large else [])
    jobs_list = [int(x) for x in args.jobs.split(",")]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sink = args.out.open("w", encoding="utf-8")

    def emit(line: str = "") -> None:
        print(line, flush=True)
        sink.write(line + "\n")
        sink.flush()

    commit = os.environ.get("CROSSCHECK_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    emit(f"# crosscheck scale benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}")
    emit(f"# command: python bench/scale.py {' '.join(argv if argv is not None else sys.argv[1:])}")
    emit(f"# machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start")
    emit("# wall s: run_check; proc s: the whole process (start-up, imports, lexicon); cpu s: process + workers;")
    emit("# rss MB: peak of the main process; wkr MB: peak of the largest worker; extr.: articles extracted (not cached)")
    emit("# incr: the incremental re-check from the stored record (its extraction of changed articles is in extract too)")
    store = args.work / "results.json"
    saved = json.loads(store.read_text()) if store.exists() else {}
    results: dict[tuple[int, str, int], dict] = {
        (int(k.split("/")[0]), k.split("/")[1], int(k.split("/")[2])): v for k, v in saved.get("results", {}).items()
    }
    refs: dict[int, dict] = {int(k): v for k, v in saved.get("refs", {}).items()}

    def save() -> None:
        args.work.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps({"results": {f"{n}/{m}/{j}": v for (n, m, j), v in results.items()},
                                     "refs": {str(n): v for n, v in refs.items()}}))

    for n in ([] if args.summary_only else sizes):
        corpus, manifest = corpus_for(n, args.work)
        emit()
        emit(f"## N = {n}: {manifest['articles']} articles, {len(manifest['stories'])} stories, mean {manifest['mean_bytes']} bytes, "
             f"{len(manifest['injected'])} injected discrepancies {manifest['counts']}")
        fl, files = floor(corpus)
        fl, files = min((fl, files), floor(corpus))
        nv = naive(corpus, args.naive_sample)
        refs[n] = {"floor": fl, "naive_per_article": nv}
        emit(f"floor (read + one regex pass): {fl:.2f} s = {fl / files * 1000:.3f} ms/article; "
             f"naive (dateparser search_dates, {args.naive_sample} sampled): {nv * 1000:.0f} ms/article -> {nv * n:.0f} s extrapolated on 1 core")
        save()
        emit(HEADER)
        for jobs in (jobs_list if not args.one_worker_max or n <= args.one_worker_max else jobs_list[-1:]):
            cache = args.work / f"cache-n{n}-j{jobs}"
            if not args.keep_cache:
                shutil.rmtree(cache, ignore_errors=True)
            for mode in modes:
                if mode in ("cold", "warm"):
                    r = check(corpus, jobs, cache)
                else:
                    # The edited article is put back afterwards; the next run is then a lookup again.
                    target = sorted(corpus.rglob("*.md"))[n // 2]
                    original = target.read_bytes()
                    try:
                        target.write_bytes(original + (UPDATE if mode == "incremental" else LINK_EDIT).encode())
                        r = check(corpus, jobs, cache)
                    finally:
                        target.write_bytes(original)
                results[(n, mode, jobs)] = r
                emit(fmt_row(n, mode, jobs, r))
                save()
        if (n, "cold", jobs_list[-1]) not in results:
            continue
        cold = results[(n, "cold", jobs_list[-1])]
        digests = {results[(n, m, j)]["findings_digest"] for m in ("cold", "warm") for j in jobs_list if (n, m, j) in results}
        emit(f"findings identical across jobs and cold/warm: {'yes' if len(digests) == 1 else 'NO ' + str(digests)}; "
             f"by rule {cold['by_rule']}; injected found {injected_found(manifest, cold)}/{len(manifest['injected'])}")
        if (n, "cold", 1) in results:
            c1 = results[(n, "cold", 1)]
            per_article = c1["stages"]["extract"] / n
            emit(f"extraction on 1 core: {n / c1['stages']['extract']:.0f} articles/s ({per_article * 1000:.1f} ms/article); "
                 f"{per_article / (fl / files):.0f}x the floor per article; naive is {nv / per_article:.1f}x slower than our extraction")
    emit()
    try:
        targets(results, refs, sizes, jobs_list, emit)
    except KeyError as e:  # a run of --modes left out
        emit(f"## targets: not all runs present ({e})")
    sink.close()
    return 0


def targets(results: dict, refs: dict, sizes: list[int], jobs_list: list[int], emit) -> None:
    emit("## targets")
    big = max(sizes)
    jmax = max(jobs_list)
    with_one = [n for (n, m, j) in results if j == 1 and m == "cold"]
    n1 = big if (big, "cold", 1) in results else max(with_one, default=big)
    j1 = 1 if (n1, "cold", 1) in results else jmax

    def status(ok: bool) -> str:
        return "met" if ok else "MISSED"

    c1 = results[(n1, "cold", j1)]
    rate = n1 / c1["stages"]["extract"] / j1
    emit(f"extraction >= 500 articles/s/core: {rate:.0f} at N={n1}, jobs={j1} -> {status(rate >= 500)}")
    cj = results[(big, "cold", jmax)]
    emit(f"cold check of {big} on {jmax} cores <= 60 s: {cj['wall']:.1f} s (process {cj['process']:.1f} s) -> {status(cj['wall'] <= 60)}")
    w = results[(big, "warm", jmax)]
    emit(f"warm <= 5% of cold: {w['wall']:.2f} s = {100 * w['wall'] / cj['wall']:.1f}% (process {w['process']:.2f} s) -> {status(w['wall'] <= 0.05 * cj['wall'])}")
    inc = results[(big, "incremental", jmax)]
    emit(f"one changed article in {big} <= 2 s: {inc['wall']:.2f} s in run_check, {inc['process']:.2f} s as a process -> {status(inc['process'] <= 2)}")
    if (big, "incr-link", jmax) in results:
        il = results[(big, "incr-link", jmax)]
        emit(f"  the same with an edit that changes linking (a new name and date): {il['wall']:.2f} s in run_check, "
             f"{il['process']:.2f} s as a process -> {status(il['process'] <= 2)}")
    if (4000, "cold", jmax) in results and (16000, "cold", jmax) in results:
        a, b = results[(4000, "cold", jmax)], results[(16000, "cold", jmax)]
        e = exponent(a["wall"], b["wall"], 4000, 16000)
        parts = ", ".join(
            f"{k} {exponent(a['stages'].get(k, 0), b['stages'].get(k, 0), 4000, 16000):.2f}" for k in ("load", "extract", "link", "compare")
        )
        ecpu = exponent(a["cpu_self"] + a["cpu_children"], b["cpu_self"] + b["cpu_children"], 4000, 16000)
        emit(f"growth exponent 4k->16k <= 1.15: {e:.2f} on wall, {ecpu:.2f} on cpu ({parts}) -> {status(e <= 1.15)}")
        wa, wb = results[(4000, "warm", jmax)], results[(16000, "warm", jmax)]
        ia, ib = results[(4000, "incremental", jmax)], results[(16000, "incremental", jmax)]
        # a warm run is a lookup of the stored run (no linking); an incremental one links and compares again
        emit(f"  warm run exponent 4k->16k: {exponent(wa['wall'], wb['wall'], 4000, 16000):.2f}; incremental: "
             f"{exponent(ia['wall'], ib['wall'], 4000, 16000):.2f} (link {exponent(ia['stages'].get('link', 0), ib['stages'].get('link', 0), 4000, 16000):.2f})")
    peak = cj["rss_self_mb"] + jmax * cj["rss_child_mb"]
    emit(f"peak memory at {big} <= 1 GB: main {cj['rss_self_mb']:.0f} MB + {jmax} workers x {cj['rss_child_mb']:.0f} MB "
         f"(at most {peak:.0f} MB together) -> {status(cj['rss_self_mb'] <= 1024)} for the main process, {status(peak <= 1024)} together")
    fl = refs[n1]["floor"]
    ratio = (c1["stages"]["extract"] / n1) / (fl / n1)
    emit(f"extraction within 20x of the floor per article: {ratio:.0f}x -> {status(ratio <= 20)}")
    nv = refs[n1]["naive_per_article"]
    ours = c1["stages"]["extract"] / n1 * j1  # seconds per article on one core
    emit(f"faster than naive dateparser search: {nv * 1000:.0f} ms vs {ours * 1000:.1f} ms per article on one core -> {status(nv > ours)}")


if __name__ == "__main__":
    raise SystemExit(main())
