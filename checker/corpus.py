"""Files and front matter -> Article. (Minimal first version; dateline and furniture to deepen.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import urlparse

import yaml

from checker.models import Article, InputError

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".json", ".jsonl"}


class CorpusLoad:
    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.errors: list[InputError] = []
        self.skipped: list[str] = []


def _front_matter(text: str) -> tuple[dict, int]:
    if not text.startswith("---"):
        return {}, 0
    end = text.find("\n---", 3)
    if end < 0:
        return {}, 0
    meta = yaml.safe_load(text[3:end]) or {}
    body = text.find("\n", end + 1)
    return meta, (body + 1 if body >= 0 else len(text))


def _article(meta: dict, text: str, body_start: int, rel: str) -> Article:
    published = meta.get("published")
    at = None
    if isinstance(published, dt.datetime):
        at, published = published, published.date()
    elif isinstance(published, str):
        published = dt.date.fromisoformat(published[:10])
    source = meta.get("source") or (urlparse(meta["url"]).hostname if meta.get("url") else None) or "unknown"
    return Article(
        id=str(meta.get("id") or rel.rsplit(".", 1)[0]),
        path=rel,
        source=str(source),
        title=meta.get("title"),
        url=meta.get("url"),
        published=published,
        published_at=at,
        published_from="front_matter" if published else "unknown",
        language=meta.get("language"),
        text=text,
        body_start=body_start,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def load_corpus(paths: list[Path]) -> CorpusLoad:
    out = CorpusLoad()
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        base = root.parent if root.is_file() else root
        for f in files:
            rel = f.relative_to(base).as_posix()
            if f.suffix.lower() not in ARTICLE_SUFFIXES:
                out.skipped.append(str(f))
                continue
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".json":
                obj = json.loads(text)
                out.articles.append(_article(obj, obj["text"], 0, rel))
                continue
            meta, body = _front_matter(text)
            out.articles.append(_article(meta, text, body, rel))
    return out
