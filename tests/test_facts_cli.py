"""`crosscheck facts`: what was extracted from each article, before any comparison (issue 3)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
A000, A002 = "000_78a2d50a8d225616", "002_6edf6845c80aa0a0"


def _facts(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "checker", "facts", *args, "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _meeting_dates(data: dict) -> dict[tuple[str, str], str | None]:
    """(article, counterpart) -> the date the article gives each meeting."""
    return {(f["article"], f["hosts"][0]): f["date"] for f in data["facts"]
            if f["kind"] == "event" and f["value"] == "meeting" and f["hosts"]}


def test_seed_meeting_dates():
    data = _facts(str(SEEDS))
    assert data["version"] == 1
    got = _meeting_dates(data)
    assert got[(A000, "Ali Khamenei")] == "2019-07-22"
    assert got[(A002, "Ali Khamenei")] == "2019-07-22"
    assert got[(A002, "Kamal Kharazi")] == "2019-07-21"
    dates = {(f["article"], f["text"]): f["value"] for f in data["facts"] if f["kind"] == "date"}
    assert dates[(A000, "July 22, 2019")] == "2019-07-22"
    assert dates[(A002, "Sunday")] == "2019-07-21"
    for f in data["facts"]:
        assert {"article", "kind", "text", "start", "end", "line", "value"} <= set(f)


def test_yesterday_unresolved_without_publication_date(tmp_path):
    src = (SEEDS / f"{A002}.md").read_text(encoding="utf-8")
    assert "published: 2019-07-23\n" in src
    (tmp_path / f"{A002}.md").write_text(src.replace("published: 2019-07-23\n", ""), encoding="utf-8")
    data = _facts(str(tmp_path), "--kind", "date")
    yesterdays = [f for f in data["facts"] if f["text"] == "Yesterday"]
    assert yesterdays and all(f["value"] is None and f["resolved"] is False for f in yesterdays)
    assert all("publication" in (f["note"] or "") for f in yesterdays)
    # --published gives the anchor back.
    data = _facts(str(tmp_path), "--kind", "date", "--published", "2019-07-23")
    assert {f["value"] for f in data["facts"] if f["text"] == "Yesterday"} == {"2019-07-22"}


def test_offsets_and_lines_point_into_the_file(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    data = _facts(str(tmp_path / "seeds"))
    texts = {a["id"]: (tmp_path / "seeds" / f"{a['id']}.md").read_text(encoding="utf-8") for a in data["articles"]}
    for f in data["facts"]:
        t = texts[f["article"]]
        assert t[f["start"] : f["end"]] == f["text"], f
        assert t.count("\n", 0, f["start"]) + 1 == f["line"]
