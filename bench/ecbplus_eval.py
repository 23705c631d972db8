"""Score a crosscheck JSON report against the ECB+ dev expectations.

Usage:
    python bench/ecbplus_eval.py [--corpus ../shared/corpora/ecbplus-dev]
                                 [--report report.json]
                                 [--expectations bench/expectations/ecbplus_dev.yml]

Without --report the checker is run: ``python -m checker check <corpus> --format json``.
Prints TP / FP / unjudged / FN, precision and recall per kind and overall, the
missed discrepancies, the false positives with the entry or reason they hit, and
a sample of unjudged findings. It is a measurement, not a gate: the exit status
is always 0 (also when the corpus or the checker is missing).

Matching semantics (documented in full in the header of the expectations file):

* A claim (article, value) is put on a side of an entry when the article is
  listed there and the value equals the side value (numbers also after a unit
  conversion); an article listed on one side only is also placed there when its
  value is unparsable for the kind, or (spelling/quote/role) related to the side
  text - never when it equals another side's value.
* A finding matches an entry when its kind equals the entry kind and it has
  claims on at least two different sides whose values differ (hedges count:
  "more than 200" differs from 200).
* Findings of severity ``info`` are never conflicts: they are neither TP nor FP
  and are only scored against ``updates`` (info recall). Findings marked
  ``"suppressed": true`` are ignored.
* Every other finding is TP if it matches a discrepancy; FP if it matches a
  false alarm or an update, or if (any kind but spelling) its claims pair the
  ecb and ecbplus files of one topic or articles of two topics; else unjudged.
* Recall of a kind = discrepancies matched by at least one non-info finding /
  discrepancies of that kind. Precision = TP / (TP + FP); the lower bound
  TP / (TP + FP + unjudged) is printed too.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "ecbplus-dev"
DEFAULT_EXPECTATIONS = REPO / "bench" / "expectations" / "ecbplus_dev.yml"

KINDS = ("spelling", "attendance", "date", "sequence", "number", "role", "quote")
SECTIONS = ("discrepancies", "false_alarms", "updates")
REQUIRED_KEYS = ("id", "kind", "topic", "subject", "sides")
ARTICLE_ID = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)$")
# Kinds for which pairing the two events of a topic (or two topics) is wrong by
# construction. A spelling of a place or a name does not depend on the event.
EVENT_BOUND_KINDS = frozenset(KINDS) - {"spelling"}

# --------------------------------------------------------------------------
# loose values


_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
    "a dozen": 12, "a hundred": 100,
}
_MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
}
_NUM_RE = re.compile(
    r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?|\.\d+)[\s-]*(thousand|million|billion|mn|bn|k|m|b)?\b",
    re.IGNORECASE,
)
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?([T ].*)?$")
_TIME_RE = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")
_FRACTION_RE = re.compile(r"(?<![\d/])(?:(\d+)\s+)?(\d+)/(\d+)(?![\d/])")
_DOZENS_RE = re.compile(
    r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten)[\s-]+dozen\b", re.IGNORECASE
)
_VALUE_KEYS = ("normalized", "value", "amount", "number", "text", "surface")


def _scalar(value: Any) -> Any:
    """Reduce a claim value (scalar, dict or list) to one scalar."""
    if isinstance(value, dict):
        for key in _VALUE_KEYS:
            if key in value and value[key] is not None:
                return _scalar(value[key])
        return None
    if isinstance(value, (list, tuple)):
        return _scalar(value[0]) if value else None
    if hasattr(value, "isoformat"):  # date / datetime from YAML
        return value.isoformat()
    return value


def parse_number(value: Any) -> float | None:
    """The first number in a value: 12, "1,150", "$2.6 million", ".38", "a dozen"."""
    value = _scalar(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().lower()
    if _DATE_RE.match(text) or _TIME_RE.search(text):
        return None
    frac = _FRACTION_RE.search(text)
    if frac:
        whole = float(frac.group(1) or 0)
        return whole + float(frac.group(2)) / float(frac.group(3))
    dozens = _DOZENS_RE.search(text)
    if dozens:  # "two dozen", "3 dozen": a multiple of twelve
        n = dozens.group(1)
        return float(n if n.isdigit() else _WORD_NUMBERS[n]) * 12
    m = _NUM_RE.search(text)
    if m:
        raw = m.group(1).replace(",", "")
        try:
            number = float(raw)
        except ValueError:
            return None
        mult = (m.group(2) or "").lower()
        return number * _MULTIPLIERS.get(mult, 1.0)
    for word in sorted(_WORD_NUMBERS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(word)}\b", text):
            return float(_WORD_NUMBERS[word])
    return None


def _norm_text(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" \"'.,;:")


def _as_date(value: Any) -> str | None:
    value = _scalar(value)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return None
    text = str(value).strip()
    if _DATE_RE.match(text):
        return text[:10]
    return None


def _as_time(value: Any) -> str | None:
    if not isinstance(value, str) or _DATE_RE.match(value.strip()):
        return None
    m = _TIME_RE.search(value)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


TEXT_KINDS = frozenset({"spelling", "quote", "role"})

# Hedge phrases and the class they normalise to ("more than" = "over", ...).
_HEDGES = (
    ("no fewer than", ">="), ("at least", ">="), ("upwards of", ">"), ("in excess of", ">"),
    ("more than", ">"), ("over", ">"), ("nearly", "<~"), ("almost", "<~"), ("just under", "<~"),
    ("as many as", "<="), ("up to", "<="), ("fewer than", "<"), ("less than", "<"),
    ("under", "<"), ("approximately", "~"), ("an estimated", "~"), ("estimated", "~"),
    ("roughly", "~"), ("around", "~"), ("about", "~"), ("some", "~"), ("close to", "~"),
)
_HEDGE_CLASSES = {cls for _, cls in _HEDGES}


def hedge_of(value: Any) -> str:
    """Normalised hedge class of a value ('' when unhedged)."""
    if isinstance(value, dict):
        for key in ("hedge", "qualifier", "modifier", "approx"):
            h = value.get(key)
            if isinstance(h, str) and h:
                return h if h in _HEDGE_CLASSES else hedge_of(h)
            if h is True:
                return "~"
        for key in ("text", "surface", "raw"):
            if isinstance(value.get(key), str):
                return hedge_of(value[key])
        return ""
    if not isinstance(value, str):
        return ""
    text = " " + re.sub(r"\s+", " ", value.casefold()) + " "
    for phrase, cls in _HEDGES:
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text):
            return cls
    return ""


def _as_time(value: Any) -> str | None:
    if not isinstance(value, str) or _DATE_RE.match(value.strip()):
        return None
    m = _TIME_RE.search(value)
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def loose_equal(a: Any, b: Any, kind: str | None = None) -> bool:
    """Same value, ignoring hedges: text kinds (spelling, quote, role) compare the
    text case-insensitively; otherwise times, ISO dates (common prefix) and numbers
    (numerically) first, then text."""
    a, b = _scalar(a), _scalar(b)
    if a is None or b is None:
        return False
    if kind in TEXT_KINDS:
        return _norm_text(a) == _norm_text(b)
    ta, tb = _as_time(a), _as_time(b)
    if ta is not None or tb is not None:
        return ta == tb
    da, db = _as_date(a), _as_date(b)
    if da is not None and db is not None:
        n = min(len(da), len(db))
        return da[:n] == db[:n]
    if da is None and db is None:
        na, nb = parse_number(a), parse_number(b)
        if na is not None and nb is not None:
            return math.isclose(na, nb, rel_tol=1e-6, abs_tol=1e-9)
    return _norm_text(a) == _norm_text(b)


def same_value(a: Any, b: Any, kind: str | None = None) -> bool:
    """loose_equal and, for numbers, the same hedge class ("more than 200" != 200)."""
    if not loose_equal(a, b, kind):
        return False
    if kind in TEXT_KINDS:
        return True
    if parse_number(a) is None or parse_number(b) is None:
        return True
    return hedge_of(a) == hedge_of(b)


# --------------------------------------------------------------------------
# expectations


@dataclass
class Entry:
    section: str
    id: str
    kind: str
    topic: int
    subject: str
    sides: list[dict]
    severity: str | None = None
    raw: dict = field(default_factory=dict)

    def articles(self) -> set[str]:
        return {a for side in self.sides for a in side.get("articles", [])}


def load_expectations(path: Path) -> dict[str, list[Entry]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: dict[str, list[Entry]] = {}
    for section in SECTIONS:
        entries = []
        for raw in data.get(section) or []:
            entries.append(
                Entry(
                    section=section,
                    id=str(raw.get("id")),
                    kind=str(raw.get("kind", "")).lower(),
                    topic=int(raw.get("topic", -1)),
                    subject=str(raw.get("subject", "")),
                    sides=list(raw.get("sides") or []),
                    severity=raw.get("severity_expected"),
                    raw=raw,
                )
            )
        out[section] = entries
    return out


def validate_expectations(data: dict, corpus_ids: set[str] | None = None) -> list[str]:
    """Problems in a raw expectations mapping (empty list when well-formed)."""
    problems: list[str] = []
    seen: set[str] = set()
    for section in SECTIONS:
        entries = data.get(section)
        if entries is None:
            if section != "updates":
                problems.append(f"missing section {section}")
            continue
        if not isinstance(entries, list):
            problems.append(f"{section} is not a list")
            continue
        for i, e in enumerate(entries):
            where = f"{section}[{i}] {e.get('id', '?') if isinstance(e, dict) else '?'}"
            if not isinstance(e, dict):
                problems.append(f"{where}: not a mapping")
                continue
            for key in REQUIRED_KEYS:
                if key not in e:
                    problems.append(f"{where}: missing key {key}")
            if section != "discrepancies" and "why" not in e:
                problems.append(f"{where}: missing key why")
            if e.get("id") in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(e.get("id"))
            if e.get("kind") not in KINDS:
                problems.append(f"{where}: unknown kind {e.get('kind')!r}")
            sev = e.get("severity_expected")
            if sev is not None and sev not in ("error", "warning", "info"):
                problems.append(f"{where}: bad severity_expected {sev!r}")
            if section == "discrepancies" and sev == "info":
                problems.append(f"{where}: info belongs in updates, not discrepancies")
            sides = e.get("sides") or []
            if len(sides) < 2:
                problems.append(f"{where}: fewer than two sides")
            values = []
            for j, side in enumerate(sides):
                if not isinstance(side, dict) or not side.get("articles") or "value" not in side:
                    problems.append(f"{where}: side {j} needs articles and value")
                    continue
                values.append(side["value"])
                for art in side["articles"]:
                    m = ARTICLE_ID.match(str(art))
                    if not m:
                        problems.append(f"{where}: bad article id {art!r}")
                    elif str(e.get("topic")) != m.group(1):
                        problems.append(f"{where}: article {art} is not in topic {e.get('topic')}")
                    if corpus_ids is not None and art not in corpus_ids:
                        problems.append(f"{where}: article {art} not in corpus")
            for a in range(len(values)):
                for b in range(a + 1, len(values)):
                    if same_value(values[a], values[b], e.get("kind")) and _unit(sides[a]) == _unit(sides[b]):
                        problems.append(f"{where}: sides {a} and {b} have the same value")
    return problems


def _unit(side: dict) -> str | None:
    return side.get("unit") if isinstance(side, dict) else None


# --------------------------------------------------------------------------
# matching


_UNIT_FACTORS = {
    # unit -> factors that turn a value in this unit into the other units of its family
    "miles": (1.609344, 1609.344), "mile": (1.609344, 1609.344), "mi": (1.609344, 1609.344),
    "km": (0.621371, 1000.0, 0.539957), "kilometres": (0.621371, 1000.0), "kilometers": (0.621371, 1000.0),
    "nautical miles": (1.852, 1.150779, 1852.0), "nmi": (1.852, 1.150779),
    "mph": (1.609344,), "km/h": (0.621371,), "kph": (0.621371,),
    "square feet": (0.09290304,), "sq ft": (0.09290304,), "square metres": (10.7639,), "m2": (10.7639,),
    "feet": (0.3048,), "ft": (0.3048,), "metres": (3.28084,), "meters": (3.28084,), "m": (3.28084,),
    "minutes": (1 / 60,), "hours": (60.0,),
    "caliber": (0.01, 0.001),  # 38 -> .38, 357 -> .357
}


def _number_matches_side(value: Any, side: dict, entry_unit: str | None = None) -> bool:
    """A claimed number equals the side value, also after a unit conversion
    (the side's unit, else the entry's)."""
    if loose_equal(value, side.get("value")):
        return True
    num, ref = parse_number(value), parse_number(side.get("value"))
    if num is None or ref is None:
        return False
    unit = str(side.get("unit") or entry_unit or "").lower()
    return any(math.isclose(num, ref * f, rel_tol=0.015) for f in _UNIT_FACTORS.get(unit, ()))


def _text_related(value: Any, side_value: Any) -> bool:
    """A claimed text is about the side value: containment or close spelling."""
    a, b = _scalar(value), _scalar(side_value)
    if a is None or b is None:
        return False
    a, b = _norm_text(a), _norm_text(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    if difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
        return True
    ta, tb = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.5


def _unparsable(value: Any, kind: str) -> bool:
    if _scalar(value) is None:
        return True
    if kind == "date":
        return _as_date(value) is None
    if kind in ("number", "attendance"):
        return parse_number(value) is None
    return False


def assign_side(entry: Entry, article: str, value: Any) -> int | None:
    """Index of the side of ``entry`` a claim belongs to, or None.

    The article must be listed on the side. Then the claimed value must equal
    the side value (numbers also after a unit conversion; a hedge class that
    agrees wins a tie). Failing that, an article listed on exactly one side is
    still placed there when its value is unparsable for the kind (an unresolved
    "Sunday"), or, for spelling/quote/role, when the text is related to the side
    value (containment or close spelling) - and never when the value equals
    another side's value.
    """
    kind = entry.kind
    candidates = [i for i, s in enumerate(entry.sides) if article in s.get("articles", [])]
    if not candidates:
        return None
    same = [i for i in candidates if same_value(value, entry.sides[i].get("value"), kind)]
    if len(same) == 1:
        return same[0]
    if kind in TEXT_KINDS:
        loose = [i for i in candidates if loose_equal(value, entry.sides[i].get("value"), kind)]
    else:
        loose = [i for i in candidates if _number_matches_side(value, entry.sides[i], entry.raw.get("unit"))
                 or loose_equal(value, entry.sides[i].get("value"), kind)]
    if len(loose) == 1:
        return loose[0]
    if loose or len(candidates) != 1:
        return None
    only = candidates[0]
    others = [s for i, s in enumerate(entry.sides) if i != only]
    if any(loose_equal(value, s.get("value"), kind) for s in others):
        return None
    if _unparsable(value, kind):
        return only
    if kind in TEXT_KINDS and _text_related(value, entry.sides[only].get("value")):
        return only
    return None


def finding_matches(finding: dict, entry: Entry) -> bool:
    """Kind equal and claims on two different sides whose values differ."""
    if str(finding.get("kind", "")).lower() != entry.kind:
        return False
    placed: list[tuple[int, Any]] = []
    for claim in finding.get("claims") or []:
        if not isinstance(claim, dict):
            continue
        side = assign_side(entry, str(claim.get("article")), claim.get("value"))
        if side is not None:
            placed.append((side, claim.get("value")))
    for i, (side_a, val_a) in enumerate(placed):
        for side_b, val_b in placed[i + 1:]:
            if side_a == side_b:
                continue
            if _scalar(val_a) is None or _scalar(val_b) is None:
                return True
            if not same_value(val_a, val_b, entry.kind):
                return True
    return False


def article_event(article: str) -> tuple[str, str] | None:
    m = ARTICLE_ID.match(str(article))
    return (m.group(1), m.group(3)) if m else None


def structural_fp(finding: dict) -> str | None:
    """'cross-topic' / 'cross-event' when the claims pair what must stay apart."""
    if str(finding.get("kind", "")).lower() not in EVENT_BOUND_KINDS:
        return None
    events = {article_event(c.get("article")) for c in finding.get("claims") or [] if isinstance(c, dict)}
    events.discard(None)
    topics = {t for t, _ in events}
    if len(topics) > 1:
        return "cross-topic"
    if len(events) > 1:
        return "cross-event"
    return None


def is_info(finding: dict) -> bool:
    return str(finding.get("severity", "")).lower() == "info"


@dataclass
class Score:
    per_kind: dict[str, dict[str, int]]
    missed: list[Entry]
    matched: dict[str, list[int]]
    false_positives: list[tuple[int, str]]
    unjudged: list[int]
    info_matched_updates: dict[str, list[int]]
    info_only_discrepancies: list[str]
    findings: list[dict]
    expectations: dict[str, list[Entry]]


def score(report: dict, expectations: dict[str, list[Entry]]) -> Score:
    # findings the checker itself marks as suppressed are not reported
    findings = [f for f in (report or {}).get("findings") or []
                if isinstance(f, dict) and not f.get("suppressed")]
    discrepancies = expectations.get("discrepancies", [])
    negatives = expectations.get("false_alarms", []) + expectations.get("updates", [])
    kinds = list(KINDS)
    for f in findings:
        k = str(f.get("kind", "")).lower() or "?"
        if k not in kinds:
            kinds.append(k)
    per_kind = {k: {"tp": 0, "fp": 0, "unjudged": 0, "fn": 0, "expected": 0, "found": 0, "info": 0} for k in kinds}
    matched: dict[str, list[int]] = {e.id: [] for e in discrepancies}
    info_hits: dict[str, list[int]] = {}
    info_updates: dict[str, list[int]] = {e.id: [] for e in expectations.get("updates", [])}
    fps: list[tuple[int, str]] = []
    unjudged: list[int] = []

    for idx, f in enumerate(findings):
        kind = str(f.get("kind", "")).lower() or "?"
        if is_info(f):
            per_kind[kind]["info"] += 1
            for e in expectations.get("updates", []):
                if finding_matches(f, e):
                    info_updates[e.id].append(idx)
            for e in discrepancies:
                if finding_matches(f, e):
                    info_hits.setdefault(e.id, []).append(idx)
            continue
        hits = [e for e in discrepancies if finding_matches(f, e)]
        if hits:
            per_kind[kind]["tp"] += 1
            for e in hits:
                matched[e.id].append(idx)
            continue
        neg = next((e for e in negatives if finding_matches(f, e)), None)
        if neg is not None:
            per_kind[kind]["fp"] += 1
            fps.append((idx, f"{neg.section[:-1] if neg.section.endswith('s') else neg.section}:{neg.id}"))
            continue
        reason = structural_fp(f)
        if reason:
            per_kind[kind]["fp"] += 1
            fps.append((idx, reason))
            continue
        per_kind[kind]["unjudged"] += 1
        unjudged.append(idx)

    missed = []
    for e in discrepancies:
        per_kind.setdefault(e.kind, {"tp": 0, "fp": 0, "unjudged": 0, "fn": 0, "expected": 0, "found": 0, "info": 0})
        per_kind[e.kind]["expected"] += 1
        if matched[e.id]:
            per_kind[e.kind]["found"] += 1
        else:
            per_kind[e.kind]["fn"] += 1
            missed.append(e)
    info_only = [e.id for e in missed if info_hits.get(e.id)]
    return Score(per_kind, missed, matched, fps, unjudged, info_updates, info_only, findings, expectations)


# --------------------------------------------------------------------------
# report loading and printing


def run_checker(corpus: Path) -> tuple[dict | None, str]:
    cmd = [sys.executable, "-m", "checker", "check", str(corpus), "--format", "json"]
    try:
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"could not run the checker: {exc}"
    try:
        return json.loads(proc.stdout), ""
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-5:]
        return None, f"checker exited {proc.returncode} without a JSON report: " + " | ".join(tail)


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "-"


def _describe(f: dict, limit: int = 4) -> str:
    claims = f.get("claims") or []
    parts = []
    for c in claims[:limit]:
        if isinstance(c, dict):
            parts.append(f"{c.get('article')}={_scalar(c.get('value'))!r}")
    more = f" +{len(claims) - limit}" if len(claims) > limit else ""
    subject = f.get("subject") or ""
    return f"[{f.get('kind')}/{f.get('severity')}] {subject} :: {', '.join(parts)}{more}"


def print_score(s: Score, out=None, sample: int = 10) -> None:
    w = (out or sys.stdout).write
    w(f"{'kind':<11}{'TP':>5}{'FP':>5}{'unj':>6}{'FN':>5}{'found':>7}{'exp':>5}{'info':>6}"
      f"{'prec':>7}{'prec_lb':>9}{'recall':>8}\n")
    tot = {k: 0 for k in ("tp", "fp", "unjudged", "fn", "found", "expected", "info")}
    for kind, c in s.per_kind.items():
        if not any(c.values()):
            continue
        for k in tot:
            tot[k] += c[k]
        w(f"{kind:<11}{c['tp']:>5}{c['fp']:>5}{c['unjudged']:>6}{c['fn']:>5}{c['found']:>7}{c['expected']:>5}"
          f"{c['info']:>6}{_ratio(c['tp'], c['tp'] + c['fp']):>7}"
          f"{_ratio(c['tp'], c['tp'] + c['fp'] + c['unjudged']):>9}{_ratio(c['found'], c['expected']):>8}\n")
    c = tot
    w(f"{'overall':<11}{c['tp']:>5}{c['fp']:>5}{c['unjudged']:>6}{c['fn']:>5}{c['found']:>7}{c['expected']:>5}"
      f"{c['info']:>6}{_ratio(c['tp'], c['tp'] + c['fp']):>7}"
      f"{_ratio(c['tp'], c['tp'] + c['fp'] + c['unjudged']):>9}{_ratio(c['found'], c['expected']):>8}\n")
    w("(TP/FP/unjudged count non-info findings; found/exp count discrepancies; "
      "prec = TP/(TP+FP), prec_lb counts unjudged as FP)\n")

    if s.missed:
        w(f"\nmissed discrepancies ({len(s.missed)}):\n")
        for e in s.missed:
            vals = " vs ".join(f"{_scalar(x.get('value'))!r}{x.get('articles')}" for x in e.sides)
            info = "  [reported only as info]" if e.id in s.info_only_discrepancies else ""
            w(f"  {e.kind:<10} {e.id}: {e.subject} :: {vals}{info}\n")
    if s.false_positives:
        w(f"\nfalse positives ({len(s.false_positives)}):\n")
        for idx, reason in s.false_positives:
            w(f"  {reason:<40} {_describe(s.findings[idx])}\n")
    if s.unjudged:
        w(f"\nunjudged findings ({len(s.unjudged)}; sample of {min(sample, len(s.unjudged))}):\n")
        for idx in s.unjudged[:sample]:
            w(f"  {_describe(s.findings[idx])}\n")
    ups = s.info_matched_updates
    if ups:
        hit = sum(1 for v in ups.values() if v)
        w(f"\nupdates reported as info: {hit}/{len(ups)}\n")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--report", type=Path, help="score a saved JSON report instead of running the checker")
    parser.add_argument("--expectations", type=Path, default=DEFAULT_EXPECTATIONS)
    parser.add_argument("--sample", type=int, default=10, help="unjudged findings to print")
    args = parser.parse_args(list(argv) if argv is not None else None)

    try:
        expectations = load_expectations(args.expectations)
    except (OSError, yaml.YAMLError) as exc:
        print(f"cannot read expectations {args.expectations}: {exc}")
        return 0

    if args.report is not None:
        try:
            report = json.loads(args.report.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"cannot read report {args.report}: {exc}; scoring an empty report")
            report = {"version": 1, "articles": [], "findings": [], "errors": []}
    else:
        if not args.corpus.is_dir():
            print(f"corpus not found: {args.corpus} (nothing to measure)")
            return 0
        report, problem = run_checker(args.corpus)
        if report is None:
            print(problem + "; scoring an empty report")
            report = {"version": 1, "articles": [], "findings": [], "errors": []}

    if not isinstance(report, dict):
        print("report is not a JSON object; scoring an empty report")
        report = {}
    if report.get("version") not in (1, None):
        print(f"warning: report version {report.get('version')!r}, expected 1")
    n_articles = len(report.get("articles") or [])
    n_errors = len(report.get("errors") or [])
    print(f"report: {n_articles} articles, {len(report.get('findings') or [])} findings, {n_errors} errors")
    print_score(score(report, expectations), sample=args.sample)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(0)
