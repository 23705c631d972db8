"""Shared test helpers: build a corpus in a temporary folder and run the pipeline on it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"

# An article that spells a name already in the seeds a new way ("Kharazy"), and says nothing else.
NEW_ARTICLE = """---
id: 005_new
source: Example Wire
title: Adviser meets envoys
published: 2019-07-24
---
Adviser meets envoys

Kamal Kharazy met the envoys.
"""
CORPORA = SHARED / "corpora"


def corpus_lexicon():
    """Only the corpus lexicon files (furniture and datelines), so corpus tests stand on their own."""
    import yaml

    from checker.lexicon import Lexicon

    data: dict = {}
    for name in ("boilerplate.yml", "datelines.yml"):
        data.update(yaml.safe_load((ROOT / "rules" / "lexicon" / name).read_text(encoding="utf-8")))
    return Lexicon(data)


def write_corpus(folder: Path, articles: list[dict]) -> Path:
    """Each article dict: id, text, and optional source/published/title/url -> a markdown file."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for art in articles:
        meta = {k: v for k, v in art.items() if k != "text" and v is not None}
        body = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n" + art["text"]
        (folder / f"{art['id']}.md").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def corpus_dir(tmp_path: Path):
    def make(articles: list[dict]) -> Path:
        return write_corpus(tmp_path / "corpus", articles)

    return make
