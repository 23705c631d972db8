"""Scale-out: the extraction map on a Dask cluster gives the findings of the local run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from checker import parallel
from checker.corpus import load_corpus
from checker.lexicon import load_lexicon
from checker.parallel import ExecutorUnavailable, extract_many
from checker.pipeline import Options, run_check

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


def test_missing_dask_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    lexicon = load_lexicon()
    articles = load_corpus([SEEDS], lexicon=lexicon).articles
    with pytest.raises(ExecutorUnavailable, match=r"pip install 'crosscheck\[dask\]'"):
        extract_many(articles, lexicon, executor="dask")


def test_bad_scheduler_address_is_a_clear_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(parallel, "DASK_CONNECT_TIMEOUT", "1s")
    lexicon = load_lexicon()
    articles = load_corpus([SEEDS], lexicon=lexicon).articles
    with pytest.raises(ExecutorUnavailable):
        parallel.dask_client("dask://127.0.0.1:1", 1)
    with pytest.raises(ExecutorUnavailable, match="unknown executor"):
        extract_many(articles, lexicon, executor="dask://")


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0") as c:
        yield c


def test_facts_on_dask_equal_local(cluster):
    lexicon = load_lexicon()
    articles = load_corpus([SEEDS], lexicon=lexicon).articles
    local, errors_local, _ = extract_many(articles, lexicon, jobs=1)
    address = cluster.scheduler_address.removeprefix("tcp://")
    remote, errors_remote, stats = extract_many(articles, lexicon, executor=f"dask://{address}", jobs=2)
    assert stats.executor.startswith("dask://")
    assert remote == local and errors_remote == errors_local


def test_findings_on_dask_equal_local(cluster, tmp_path):
    address = cluster.scheduler_address.removeprefix("tcp://")
    local = run_check(Options(paths=[SEEDS], jobs=1, use_cache=False))
    on_dask = run_check(Options(paths=[SEEDS], executor=f"dask://{address}", cache_dir=tmp_path / "c"))
    assert on_dask.findings == local.findings and on_dask == local
    again = run_check(Options(paths=[SEEDS], executor=f"dask://{address}", cache_dir=tmp_path / "c"))
    assert again == local  # all from the cache: nothing sent to the cluster


def test_local_cluster_of_processes(monkeypatch):
    """`--executor dask`: a local cluster of worker processes, started and closed by the run."""
    pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    lexicon = load_lexicon()
    articles = load_corpus([SEEDS], lexicon=lexicon).articles
    local, _, _ = extract_many(articles, lexicon, jobs=1)
    remote, _, stats = extract_many(articles, lexicon, executor="dask", jobs=2)
    assert stats.executor == "dask" and remote == local
