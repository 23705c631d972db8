"""Fuzz the whole pipeline (load, extract, link, compare, JSON) with mutated real articles for a given time.

    python bench/fuzz.py --seconds 60 [--seed S] [--jobs 1] [--out DIR]

Each input is a small corpus (1-4 files) built from the seed fixtures and, when present,
../shared/corpora/ecbplus-dev: real texts cut, spliced, duplicated and sprinkled with hostile bytes
(control and escape sequences, markup, BOMs, CR/CRLF, stray front matter fences, odd front matter
values, long lines), written as .md, .txt, .json or .jsonl in various encodings. Each is checked for:

- no exception escapes the pipeline, and no input runs past --input-timeout seconds;
- every fact and every finding's claim has 0 <= start <= end <= len(text), text[start:end] == its span,
  and its line is the line of its start offset; the text of a .md/.txt article is its file as decoded;
- every few inputs, a second run of the same corpus gives byte-identical JSON.

Prints how many inputs were tried and every failure found (the failing corpus is kept under --out).
The invariant checks are shared with tests/test_properties.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("CROSSCHECK_SHARED", ROOT.parent / "shared"))
SOURCES = [ROOT / "fixtures" / "seeds", SHARED / "corpora" / "ecbplus-dev"]

# Hostile or awkward fragments: nothing here names a person, place or phrase of any fixture.
JUNK = [
    "\x00", "\x1b[2J", "\x1b[31m", "\x07", "[bold]", "[/]", "[link=http://x]", "\u202e", "\u200b", "\ufeff",
    "\r\n", "\r", "\n\n\n", "\t", "\u00a0", "\u2028", "e\u0301", "\U0001d518", "😀", "---", "\n---\n", "...",
    "{", "}", "[", "]", ":", "'", '"', "“", "”", "«", "‹", "|", "#", "*", "`", "<script>", "&amp;",
    "1", "12", "3.5", "1,000", "2019", "19:30", "10/11/12", "Monday", "May", "last week", "two days later",
    "Mr.", "Dr", "al-", "U.S.", "said", "met", "killed", "at least", "about", "magnitude", "$", "%",
    "A" * 300, "x" * 5000, " " * 200, ". " * 50, "(" * 40, ")" * 40,
]
FRONT_VALUES = [
    "yesterday", "2019-02-30", "2019-02-28", "12", "[a, b]", "{x: 1}", "null", "''", "'2019-13-01'",
    "2020-01-01T10:00:00", "~", "&a x", "*a", "!!python/object:os.system", "| \n  block", "\"\\u0000\"",
]
FRONT_KEYS = ["id", "source", "title", "url", "published", "language", "unknown_key", "published"]


def load_texts() -> list[str]:
    texts: list[str] = []
    for folder in SOURCES:
        if folder.is_dir():
            for f in sorted(folder.rglob("*.md")):
                try:
                    texts.append(f.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
    return texts


def _span(rng: random.Random, n: int) -> tuple[int, int]:
    if n <= 0:
        return 0, 0
    a = rng.randrange(n + 1)
    b = min(n, a + rng.choice([1, 2, 5, 20, 100, 1000]))
    return a, b


def mutate(text: str, rng: random.Random, others: list[str]) -> str:
    """A few random edits of a real text."""
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(10)
        a, b = _span(rng, len(text))
        if op == 0:
            text = text[:a] + text[b:]
        elif op == 1:
            text = text[:a] + text[a:b] * rng.randint(2, 5) + text[a:]
        elif op == 2:
            text = text[:a] + rng.choice(JUNK) + text[a:]
        elif op == 3 and others:
            other = rng.choice(others)
            c, d = _span(rng, len(other))
            text = text[:a] + other[c : d + rng.randint(0, 400)] + text[b:]
        elif op == 4:
            lines = text.split("\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 5:
            text = text.replace("\n", rng.choice(["\r\n", "\r", "\n \n", "\u2028"]))
        elif op == 6:
            text = text[:a] + text[a:b].upper() + text[b:]
        elif op == 7:
            text = text[: max(0, b)]
        elif op == 8:
            text = text[:a] + text[a:b].replace(" ", rng.choice(["\u00a0", "  ", "\t", ""])) + text[b:]
        else:
            text = _front(text, rng)
    return text


def _front(text: str, rng: random.Random) -> str:
    """Front matter edited: a key set to an odd value, the fence broken, or a new block put in front."""
    choice = rng.randrange(4)
    if choice == 0 and text.startswith("---"):
        return text.replace("---", rng.choice(["--", "----", "--- x", ""]), 1)
    if choice == 1 and text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0:
            key = rng.choice(FRONT_KEYS)
            return text[:end] + f"\n{key}: {rng.choice(FRONT_VALUES)}" + text[end:]
    if choice == 2:
        return f"---\nid: {rng.choice(['x', 'dup', '', '1'])}\n{rng.choice(FRONT_KEYS)}: {rng.choice(FRONT_VALUES)}\n---\n" + text
    return text


def write_corpus(folder: Path, bodies: list[str], rng: random.Random) -> list[Path]:
    """Write bodies as articles in assorted formats and encodings."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, body in enumerate(bodies):
        kind = rng.choice(["md", "md", "md", "txt", "json", "jsonl"])
        path = folder / f"a{i}.{kind}"
        if kind == "json":
            data = json.dumps({"id": f"j{i}", "source": f"S{i}", "text": body}, ensure_ascii=rng.random() < 0.5).encode()
        elif kind == "jsonl":
            lines = [json.dumps({"id": f"l{i}-{k}", "text": body[k * 500 : k * 500 + 2000]}) for k in range(rng.randint(1, 3))]
            if rng.random() < 0.3:
                lines.insert(rng.randrange(len(lines) + 1), "{broken")
            data = ("\n".join(lines) + "\n").encode()
        else:
            enc = rng.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])
            data = body.encode(enc, errors="replace") if enc != "utf-8" else body.encode("utf-8", errors="surrogatepass")
        path.write_bytes(data)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------------
# invariants


def _offset_problems(where: str, text: str, start: int, end: int, span: str | None, line: int | None) -> list[str]:
    out = []
    if not (0 <= start <= end <= len(text)):
        return [f"{where}: offsets {start}:{end} outside the text (length {len(text)})"]
    if span is not None and text[start:end] != span:
        out.append(f"{where}: text[{start}:{end}] is {text[start:end]!r}, span says {span!r}")
    if line is not None and line != text.count("\n", 0, start) + 1:
        out.append(f"{where}: line {line}, but offset {start} is on line {text.count(chr(10), 0, start) + 1}")
    return out


def file_text_problems(article: Any) -> list[str]:
    """The text of a .md/.txt article read as UTF-8 is its file as decoded (offsets index into the file)."""
    path = Path(article.path)
    if path.suffix not in (".md", ".txt", ".markdown") or article.encoding not in ("utf-8", "utf-8-sig"):
        return []
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    if decoded != article.text:
        return [f"{article.path}: article text differs from the decoded file (lengths {len(article.text)} and {len(decoded)})"]
    return []


def report_json(folder: Path, jobs: int = 1) -> tuple[Any, str]:
    """The report of a corpus folder (no cache) and its JSON."""
    from checker.pipeline import Options, run_check
    from checker.report import text_renderer

    report = run_check(Options(paths=[folder], jobs=jobs, use_cache=False))
    return report, text_renderer("json")(report)


def check_corpus(folder: Path, jobs: int = 1, twice: bool = False) -> list[str]:
    """Every invariant broken by the pipeline on one corpus folder (empty when all hold)."""
    from checker.corpus import load_corpus
    from checker.lexicon import load_lexicon
    from checker.pipeline import extract_all

    problems: list[str] = []
    try:
        report, first = report_json(folder, jobs)
    except Exception:  # noqa: BLE001 - that is the finding
        return ["exception in run_check:\n" + traceback.format_exc()]
    texts = {a.id: a.text for a in report.articles}
    for a in report.articles:
        problems += file_text_problems(a)
    for f in report.findings:
        for c in f.claims:
            if c.article not in texts:
                problems.append(f"finding {f.fingerprint}: claim of unknown article {c.article!r}")
                continue
            problems += _offset_problems(f"finding {f.rule} claim {c.article}", texts[c.article], c.start, c.end, c.span_text, c.line)
    try:
        lexicon = load_lexicon()
        corpus = load_corpus([folder], lexicon=lexicon)
        facts, _errors = extract_all(corpus.articles, lexicon)
    except Exception:  # noqa: BLE001
        return problems + ["exception in load/extract:\n" + traceback.format_exc()]
    by_id = {a.id: a.text for a in corpus.articles}
    for af in facts:
        text = by_id[af.article]
        for s in af.sentences:
            problems += _offset_problems(f"{af.article} sentence {s.index}", text, s.start, s.end, s.text if text[s.start:s.end] == s.text else None, s.line)
        for fact in af.facts:
            problems += _offset_problems(f"{af.article} {fact.kind} fact", text, fact.start, fact.end, fact.text, fact.line)
    if twice:
        try:
            _, second = report_json(folder, jobs)
        except Exception:  # noqa: BLE001
            return problems + ["exception in the second run:\n" + traceback.format_exc()]
        if second != first:
            problems.append("a second run of the same corpus gave different JSON")
    return problems


# --------------------------------------------------------------------------------------------------
# the loop


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes per run (1: in-process)")
    ap.add_argument("--input-timeout", type=float, default=60.0, help="an input running longer is a failure (a hang)")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "crosscheck-fuzz", help="where failing corpora are kept")
    args = ap.parse_args(argv)
    from checker.patterns import ExtractionTimeout, time_limit

    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    texts = load_texts()
    if not texts:
        print("no source texts found", file=sys.stderr)
        return 2
    print(f"fuzzing for {args.seconds:g} s, seed {seed}, {len(texts)} source texts", flush=True)
    work = Path(tempfile.mkdtemp(prefix="crosscheck-fuzz-"))
    tried = failures = 0
    started = time.monotonic()
    try:
        while time.monotonic() - started < args.seconds:
            folder = work / f"in{tried}"
            bodies = [mutate(rng.choice(texts), rng, texts) for _ in range(rng.randint(1, 4))]
            write_corpus(folder, bodies, rng)
            try:
                with time_limit(args.input_timeout):
                    problems = check_corpus(folder, args.jobs, twice=tried % 10 == 0)
            except ExtractionTimeout:
                problems = [f"input ran past {args.input_timeout:g} s"]
            tried += 1
            if problems:
                failures += 1
                keep = args.out / f"seed{seed}-input{tried}"
                shutil.rmtree(keep, ignore_errors=True)
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder, keep)
                print(f"FAILURE {failures} (input {tried}, kept in {keep}):", flush=True)
                for p in problems[:10]:
                    print("  " + p.replace("\n", "\n  "), flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    print(f"tried {tried} inputs in {elapsed:.0f} s ({tried / max(elapsed, 1e-9):.1f}/s), seed {seed}: {failures} failing")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
