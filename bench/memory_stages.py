"""Peak resident memory of the main process, stage by stage, in one `run_check`.

    python bench/memory_stages.py CORPUS [--cache DIR] [--jobs N] [--drop-runs]

Each stage of the pipeline (load, recase, run-cache lookup, extraction, linking, comparing, records,
storing, report) is wrapped: at its start the kernel's peak-RSS counter of the process is reset
(`/proc/self/clear_refs`, Linux), at its end it is read, so each row is the highest resident size the
process reached while the stage ran (nested stages are folded into their parent), beside the size it
left when it ended. `--drop-runs` deletes the stored run results and incremental records from a copy
of the cache first, so that a cache full of facts gives a run that decodes, links and compares
everything (the main-process part of a cold run) without extracting.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class Stages:
    def __init__(self) -> None:
        self.stack: list[list] = []  # [name, peak of finished children, started]
        self.rows: list[tuple[int, str, int, int, float]] = []

    def wrap(self, module, attr: str, name: str | None = None) -> None:
        fn = getattr(module, attr)
        label = name or attr

        def wrapper(*a, **k):
            hwm = _status("VmHWM")
            if self.stack:
                self.stack[-1][1] = max(self.stack[-1][1], hwm)
            _reset_peak()
            self.stack.append([label, 0, time.process_time()])
            try:
                return fn(*a, **k)
            finally:
                _, child, t0 = self.stack.pop()
                peak = max(_status("VmHWM"), child)
                self.rows.append((len(self.stack), label, peak, _status("VmRSS"), time.process_time() - t0))
                if self.stack:
                    self.stack[-1][1] = max(self.stack[-1][1], peak)
                _reset_peak()

        setattr(module, attr, wrapper)


def _trace(module, attr: str) -> None:
    """What the stage `attr` of `module` allocates and what it leaves allocated, by source line."""
    import tracemalloc

    fn = getattr(module, attr)

    def traced(*a, **k):
        tracemalloc.start(1)
        try:
            out = fn(*a, **k)
            kept = tracemalloc.take_snapshot()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        stats = kept.statistics("lineno")
        print(f"{attr}: kept {sum(s.size for s in stats) / 2**20:.1f} MB, traced peak {peak / 2**20:.1f} MB; kept by line:")
        for s in stats[:15]:
            print(f"  {s.size / 2**20:8.1f} MB {s.count:>9} blocks  {s.traceback[0]}")
        return out

    setattr(module, attr, traced)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--cache", type=Path, help="fact cache folder (default: none, a cold run without cache)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--drop-runs", action="store_true", help="run on a copy of --cache without stored runs and records")
    ap.add_argument("--trace", metavar="STAGE", help="tracemalloc one stage (e.g. link): what it allocated and kept, by line")
    args = ap.parse_args(argv)
    cache = args.cache
    if cache is not None and args.drop_runs:
        copy = Path(f"/tmp/memory-stages-cache-{os.getpid()}")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(cache, copy)
        conn = sqlite3.connect(copy / "facts.sqlite")
        conn.execute("DELETE FROM runs")
        conn.execute("DELETE FROM incremental WHERE key NOT LIKE 'recase:%' AND key NOT LIKE 'load:%'")
        conn.commit()
        conn.close()
        cache = copy
    if not _reset_peak():
        print("cannot reset the peak RSS counter (/proc/self/clear_refs): rows show the peak so far", file=sys.stderr)

    import checker.pipeline as pipeline

    st = Stages()
    for attr, name in (("load_corpus", "load"), ("_read_as", "recase"), ("_run_cache_key", "run key"),
                       ("_cached_run", "run lookup"), ("try_incremental", "incremental"), ("extract_all", "extract"),
                       ("fact_limit", "fact limit"), ("link", "link"), ("link_record", "link record"),
                       ("_compare_reusing", "compare (reusing)"), ("scoped_compare", "compare"),
                       ("records_of_full_run", "records"), ("_store_run", "store run"), ("_report", "report")):
        st.wrap(pipeline, attr, name)
    st.wrap(pipeline, "run_check", "run_check")
    if args.trace:
        _trace(pipeline, {"load": "load_corpus", "recase": "_read_as", "extract": "extract_all"}.get(args.trace, args.trace))
    t0 = time.process_time()
    report = pipeline.run_check(pipeline.Options(paths=[args.corpus], jobs=args.jobs, cache_dir=cache, use_cache=cache is not None))
    cpu = time.process_time() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{'stage':<22} {'peak MB':>8} {'after MB':>9} {'cpu s':>7}")
    for depth, label, peak, after, t in sorted(st.rows, key=lambda r: r[0] == 0):
        print(f"{'  ' * depth + label:<22} {peak:>8} {after:>9} {t:>7.2f}")
    import hashlib

    digest = hashlib.sha256("\n".join(sorted(f.fingerprint for f in report.findings)).encode()).hexdigest()[:12]
    whole = hashlib.sha256("\n".join([*(f.model_dump_json() for f in report.findings), *(e.model_dump_json() for e in report.events),
                                      *(s.model_dump_json() for s in report.stories)]).encode()).hexdigest()[:12]
    print(f"findings digest {digest} (as bench/scale.py); findings, events and stories digest {whole}")
    print(f"articles {len(report.articles)}, findings {len(report.findings)}, main-process cpu {cpu:.1f} s, "
          f"ru_maxrss {me.ru_maxrss // 1024} MB (the whole process, start-up included)")
    if cache is not None and args.drop_runs:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
