"""The same corpus gives byte-identical JSON whatever the order files are found in, their names and
folders (ids in front matter), the number of workers, and the state of the fact cache."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from checker.cli import main_group

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SHARED = Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))
ECB = SHARED / "corpora" / "ecbplus-dev"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def report(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(main_group, ["check", str(folder), "--format", "json", "--fail-on", "never", "-q", "--no-config", *args])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    return result.stdout


def copy_in_order(files: list[Path], root: Path, dest: Path, order: list[int]) -> None:
    """The same relative names, created in another order (the order a folder lists them in follows it)."""
    for i in order:
        target = dest / files[i].relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files[i], target)


def renamed(files: list[Path], dest: Path, rng: random.Random) -> dict[str, str]:
    """Copies under new random names and folders; new path -> old path."""
    mapping = {}
    for f in rng.sample(files, len(files)):
        target = dest / f"d{rng.randrange(5)}" / f"x{rng.randrange(10**9):09d}{f.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        mapping[str(target)] = str(f)
    return mapping


def unmap(doc: Any, mapping: dict[str, str]) -> Any:
    if isinstance(doc, dict):
        return {k: unmap(v, mapping) for k, v in doc.items()}
    if isinstance(doc, list):
        return [unmap(v, mapping) for v in doc]
    if isinstance(doc, str):
        return mapping.get(doc, doc)
    return doc


def articles_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".txt", ".json", ".jsonl"))


def check_independence(corpus: Path, tmp_path: Path, jobs: bool) -> None:
    files = articles_of(corpus)
    base_dir = tmp_path / "base"
    copy_in_order(files, corpus, base_dir, list(range(len(files))))
    base = report(base_dir, "--no-cache", "--jobs", "1")
    doc = json.loads(base)
    assert doc["articles"], "nothing was read"

    # the order files are found in
    rng = random.Random(1234)
    for n, order in enumerate([list(reversed(range(len(files)))), rng.sample(range(len(files)), len(files))]):
        other = tmp_path / f"order{n}"
        copy_in_order(files, corpus, other, order)
        assert report(other, "--no-cache", "--jobs", "1").replace(str(other), str(base_dir)) == base

    # names and folders: the same JSON once paths are mapped back
    shuffled = tmp_path / "shuffled"
    mapping = renamed(articles_of(base_dir), shuffled, rng)
    moved = json.loads(report(shuffled, "--no-cache", "--jobs", "1"))
    assert json.dumps(unmap(moved, mapping), sort_keys=True) == json.dumps(doc, sort_keys=True)

    # cache state: cold, warm, none
    cache = tmp_path / "cache"
    assert report(base_dir, "--cache-dir", str(cache), "--jobs", "1") == base
    assert report(base_dir, "--cache-dir", str(cache), "--jobs", "1") == base
    if jobs:  # worker count, cold and warm
        assert report(base_dir, "--no-cache", "--jobs", "2") == base
        assert report(base_dir, "--cache-dir", str(tmp_path / "cache2"), "--jobs", "2") == base
        assert report(base_dir, "--cache-dir", str(tmp_path / "cache2"), "--jobs", "2") == base


def test_seeds_give_the_same_json_whatever_the_order_names_and_cache(tmp_path: Path) -> None:
    check_independence(SEEDS, tmp_path, jobs=False)


def test_a_generated_corpus_gives_the_same_json_with_one_or_two_workers(tmp_path: Path) -> None:
    made = subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "64", str(tmp_path / "gen"), "--seed", "11"],
                          cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    check_independence(tmp_path / "gen" / "articles", tmp_path / "runs", jobs=True)


@pytest.mark.skipif(not ECB.is_dir(), reason="../shared/corpora/ecbplus-dev is absent")
def test_an_ecbplus_slice_gives_the_same_json_whatever_the_order_workers_and_cache(tmp_path: Path) -> None:
    files = articles_of(ECB)
    picked = files[::3][:60]  # a slice across every topic
    corpus = tmp_path / "ecb"
    for f in picked:
        target = corpus / f.relative_to(ECB)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    check_independence(corpus, tmp_path / "runs", jobs=True)
