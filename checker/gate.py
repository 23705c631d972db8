"""The gate between the pipeline's Report and what a run reports: rule selection, ignored paths, drafts,
changed articles, suppressions, baselines and the minimum severity. Every step takes a Report and returns
a new one; nothing here prints or decides the exit status.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from checker.models import SEVERITY_RANK, Claim, Finding, Report

BASELINE_VERSION = 1


class GateError(Exception):
    """A baseline, suppressions file or draft that cannot be used; the message names the file (and line, key)."""


# --------------------------------------------------------------------------------------------------
# Rules: enable / disable by id prefix, severity by id


def select_rules(report: Report, enable: Iterable[str] = (), disable: Iterable[str] = (),
                 severity: dict[str, str] | None = None) -> Report:
    """Keep rules whose id starts with an `enable` prefix (all when none) and no `disable` prefix; override severities."""
    enable, disable, severity = tuple(enable), tuple(disable), dict(severity or {})

    def kept(rule_id: str) -> bool:
        if enable and not any(rule_id.startswith(p) for p in enable):
            return False
        return not any(rule_id.startswith(p) for p in disable)

    def level(rule_id: str, current: str) -> str:
        for pattern, sev in severity.items():
            if rule_id == pattern or fnmatch.fnmatchcase(rule_id, pattern):
                return sev
        return current

    rules = tuple(
        r.model_copy(update={"severity": level(r.id, r.severity)}) if hasattr(r, "model_copy") else r
        for r in report.rules
        if kept(r.id)
    )
    findings = tuple(
        f.model_copy(update={"severity": level(f.rule, f.severity)}) for f in report.findings if kept(f.rule)
    )
    return report.model_copy(update={"rules": rules, "findings": findings})


# --------------------------------------------------------------------------------------------------
# Which articles a run is about


def article_ids_at(report: Report, files: set[Path]) -> set[str]:
    """Ids of the articles read from any of `files` (absolute, resolved)."""
    return {a.id for a in report.articles if Path(a.path).resolve() in files}


def drop_articles(report: Report, ids: set[str]) -> Report:
    """Leave out articles and every finding that involves one of them."""
    if not ids:
        return report
    return report.model_copy(update={
        "articles": tuple(a for a in report.articles if a.id not in ids),
        "findings": tuple(f for f in report.findings if not any(c.article in ids for c in f.claims)),
    })


def focus(report: Report, ids: set[str]) -> Report:
    """Only findings that involve one of the articles `ids`; their claims from those articles come first."""
    kept = []
    for f in report.findings:
        if not any(c.article in ids for c in f.claims):
            continue
        kept.append(_claims_first(f, lambda c: c.article in ids))
    return report.model_copy(update={"findings": tuple(kept)})


def _claims_first(f: Finding, first: Callable[[Claim], bool]) -> Finding:
    ordered = sorted(f.claims, key=lambda c: 0 if first(c) else 1)  # stable: keeps the order within each group
    return f if list(ordered) == list(f.claims) else f.model_copy(update={"claims": tuple(ordered)})


def min_severity(report: Report, level: str | None) -> Report:
    """Leave out findings below `level`."""
    if not level:
        return report
    rank = SEVERITY_RANK[level]
    return report.model_copy(update={"findings": tuple(f for f in report.findings if SEVERITY_RANK[f.severity] >= rank)})


# --------------------------------------------------------------------------------------------------
# Baselines


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def baseline_dict(report: Report) -> dict[str, Any]:
    """What a baseline keeps of each finding: the fingerprint, and rule, subject and sides for a looser match."""
    entries = []
    for f in sorted(report.findings, key=lambda f: f.fingerprint):
        sides = sorted({(c.article, _value_key(c.value)) for c in f.claims})
        entries.append({
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "subject": f.subject,
            "sides": [{"article": a, "value": json.loads(v)} for a, v in sides],
        })
    return {"version": BASELINE_VERSION, "tool": "crosscheck", "findings": entries}


def write_baseline(report: Report, path: Path) -> int:
    data = baseline_dict(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(data["findings"])


@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    sides: dict[tuple[str, str], list[set[tuple[str, str]]]]  # (rule, subject) -> each entry's (article, value) pairs


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(f"{path}: no such baseline (create one with `crosscheck baseline create`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GateError(f"{path}:{exc.lineno}: the baseline is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise GateError(f"{path}: not a crosscheck baseline (a JSON object with a `findings` list)")
    if data.get("version") != BASELINE_VERSION:
        raise GateError(f"{path}: baseline version {data.get('version')!r}, this crosscheck reads version {BASELINE_VERSION}")
    fps, sides = set(), {}
    for i, e in enumerate(data["findings"]):
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str):
            raise GateError(f"{path}: findings[{i}]: key 'fingerprint' must be a string")
        fps.add(e["fingerprint"])
        if isinstance(e.get("rule"), str) and isinstance(e.get("subject"), str) and isinstance(e.get("sides"), list):
            pairs = {(str(s.get("article")), _value_key(s.get("value"))) for s in e["sides"] if isinstance(s, dict)}
            sides.setdefault((e["rule"], e["subject"]), []).append(pairs)
    return Baseline(frozenset(fps), sides)


def apply_baseline(report: Report, baseline: Baseline, keep_unchanged: bool = False) -> Report:
    """Mark each finding "new" or "unchanged"; leave out the unchanged ones unless `keep_unchanged`.

    Unchanged: the same fingerprint, or the same rule and subject where every value the sources give now was
    already among the values of a baselined finding (a new article that sides with a known spelling is not a
    new contradiction; a new spelling is). Claims that are new since the baseline come first.
    """
    out = []
    for f in report.findings:
        entries = baseline.sides.get((f.rule, f.subject), [])
        values = {_value_key(c.value) for c in f.claims}
        known = f.fingerprint in baseline.fingerprints or any(values <= {v for _, v in e} for e in entries)
        if known:
            if keep_unchanged:
                out.append(f.model_copy(update={"baseline": "unchanged"}))
            continue
        seen = set().union(*entries) if entries else set()
        f = _claims_first(f, lambda c: (c.article, _value_key(c.value)) not in seen)
        out.append(f.model_copy(update={"baseline": "new"}))
    return report.model_copy(update={"findings": tuple(out)})


# --------------------------------------------------------------------------------------------------
# Suppressions file


@dataclass(frozen=True)
class Suppression:
    """One entry of a suppressions file: a fingerprint, or a rule with a subject and/or articles; always a reason."""

    where: str  # file:line
    reason: str
    fingerprint: str | None = None
    rule: str | None = None
    subject: str | None = None
    articles: tuple[str, ...] = ()
    expires: dt.date | None = None  # after this day the suppression no longer applies

    def matches(self, f: Finding) -> bool:
        if self.fingerprint is not None:
            return f.fingerprint == self.fingerprint
        if self.rule is not None and not (f.rule == self.rule or fnmatch.fnmatchcase(f.rule, self.rule)):
            return False
        if self.subject is not None and self.subject.casefold() != f.subject.casefold():
            return False
        involved = {c.article for c in f.claims} | {c.path for c in f.claims} | {Path(c.path).as_posix() for c in f.claims}
        return all(a in involved or any(p.endswith("/" + a) for p in involved) for a in self.articles)


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of each mapping and each of its keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # type: ignore[override]
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {getattr(k, "value", None): k.start_mark.line + 1 for k, _ in node.value}
        return mapping


_SUPPRESSION_KEYS = ("fingerprint", "rule", "subject", "articles", "reason", "expires")


def load_suppressions(path: Path) -> list[Suppression]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GateError(f"{name}: no such suppressions file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"{name}: cannot read: {exc}") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise GateError(f"{name}:{mark.line + 1 if mark else 1}: malformed YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return []
    if isinstance(data, dict):
        extra = [k for k in data if k not in ("suppressions", "__line__", "__lines__")]
        if extra:
            raise GateError(f"{name}:{data['__lines__'].get(extra[0], 1)}: key {extra[0]!r}: unknown top-level key (expected `suppressions:`)")
        items = data.get("suppressions") or []
        top_line = data["__lines__"].get("suppressions", 1)
    else:
        items, top_line = data, 1
    if not isinstance(items, list):
        raise GateError(f"{name}:{top_line}: key 'suppressions': expected a list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise GateError(f"{name}:{top_line}: each suppression must be a mapping with a reason")
        line, lines = item["__line__"], item["__lines__"]

        def fail(key: str, message: str) -> GateError:
            return GateError(f"{name}:{lines.get(key, line)}: key {key!r}: {message}")

        for key in item:
            if key not in (*_SUPPRESSION_KEYS, "__line__", "__lines__"):
                raise fail(key, f"unknown key (known: {', '.join(_SUPPRESSION_KEYS)})")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise fail("reason", "required: say why this finding is accepted")
        for key in ("fingerprint", "rule", "subject"):
            if key in item and not isinstance(item[key], str):
                raise fail(key, "expected a string")
        articles = item.get("articles", [])
        if isinstance(articles, str):
            articles = [articles]
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise fail("articles", "expected a list of article ids or paths")
        expires = item.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise fail("expires", f"{expires!r} is not a date (YYYY-MM-DD)") from None
        if expires is not None and (not isinstance(expires, dt.date) or isinstance(expires, dt.datetime)):
            raise fail("expires", "expected a date (YYYY-MM-DD)")
        if "fingerprint" not in item and "rule" not in item:
            raise fail("fingerprint", "give a `fingerprint`, or a `rule` with a `subject` and/or `articles`")
        if "fingerprint" not in item and "subject" not in item and not articles:
            raise fail("rule", "a rule alone would hide every finding of it: add `subject` or `articles` (or disable the rule in crosscheck.toml)")
        out.append(Suppression(
            where=f"{name}:{line}",
            reason=reason.strip(),
            fingerprint=item.get("fingerprint"),
            rule=item.get("rule"),
            subject=item.get("subject"),
            articles=tuple(articles),
            expires=expires,
        ))
    return out


def apply_suppressions(report: Report, suppressions: list[Suppression], today: dt.date | None = None) -> tuple[Report, list[Suppression]]:
    """Mark matching findings suppressed (they stay in the report); return the suppressions that matched nothing.

    An expired suppression (its `expires` day is past) applies to nothing and is returned as unused.
    """
    today = today or dt.date.today()
    used: set[int] = set()
    out = []
    for f in report.findings:
        for i, s in enumerate(suppressions):
            if s.expires is not None and s.expires < today:
                continue
            if s.matches(f):
                used.add(i)
                if not f.suppressed:
                    f = f.model_copy(update={"suppressed": True, "suppression_reason": s.reason})
                break
        out.append(f)
    unused = [s for i, s in enumerate(suppressions) if i not in used]
    return report.model_copy(update={"findings": tuple(out)}), unused


# --------------------------------------------------------------------------------------------------
# Drafts: an article checked against a corpus before it is published


@dataclass(frozen=True)
class StagedDraft:
    """A draft as given, and the copy that is checked (with a publication date when it had none)."""

    original: Path
    checked: Path
    chars: int = 0  # characters added before the draft's body in the copy
    lines: int = 0  # lines added before the draft's body in the copy
    text: str | None = None  # the draft's own text, when the copy differs from it

    @property
    def shown(self) -> str:
        return self.original.as_posix()


_FM_OPEN = re.compile(r"---[ \t]*\r?\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
_PUBLISHED_LINE = re.compile(r"^published[ \t]*:.*(?:\r?\n|$)", re.M)


def _with_date(text: str, day: dt.date) -> tuple[str, int, int]:
    """The text with `published: day` in its front matter (added when there is none); (text, chars, lines) added."""
    m = _FM_OPEN.match(text)
    close = _FM_CLOSE.search(text, m.end()) if m else None
    if m is None or close is None:
        head = f"---\npublished: {day.isoformat()}\n---\n"
        return head + text, len(head), head.count("\n")
    block = _PUBLISHED_LINE.sub("", text[m.end():close.start()])
    new_head = text[:m.end()] + f"published: {day.isoformat()}\n" + block
    old_head = text[:close.start()]
    return new_head + text[close.start():], len(new_head) - len(old_head), new_head.count("\n") - old_head.count("\n")


def stage_draft(draft: Path, folder: Path, published: dt.date | None, today: dt.date, has_date: bool) -> StagedDraft:
    """Copy a draft into `folder`, dated `published` (or today when it gives no date of its own)."""
    if not draft.is_file():
        raise GateError(f"{draft}: the draft must be one article file")
    suffix = draft.suffix.lower()
    if suffix == ".jsonl":
        raise GateError(f"{draft}: a draft is one article (.md, .txt or .json), not a .jsonl collection")
    if published is None and has_date:
        return StagedDraft(draft, draft)
    day = published or today
    try:
        raw = draft.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateError(f"{draft}: cannot read the draft as UTF-8 text: {exc}") from None
    target = folder / draft.name
    if suffix == ".json":
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GateError(f"{draft}:{exc.lineno}: invalid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise GateError(f"{draft}: expected a JSON object with a 'text' key")
        obj["published"] = day.isoformat()
        target.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        return StagedDraft(draft, target)
    text, chars, lines = _with_date(raw, day)
    target.write_text(text, encoding="utf-8", newline="")
    return StagedDraft(draft, target, chars, lines, raw)


def restore_drafts(report: Report, drafts: list[StagedDraft]) -> Report:
    """Point everything read from a draft's copy back at the draft: path, lines and offsets."""
    by_path = {d.checked.as_posix(): d for d in drafts if d.checked != d.original}
    if not by_path:
        return report

    def claim(c: Claim) -> Claim:
        d = by_path.get(c.path)
        if d is None:
            return c
        return c.model_copy(update={"path": d.shown, "line": max(1, c.line - d.lines),
                                    "start": max(0, c.start - d.chars), "end": max(0, c.end - d.chars)})

    articles = []
    for a in report.articles:
        d = by_path.get(a.path)
        if d is not None:
            update: dict[str, Any] = {"path": d.shown, "published_from": "option"}
            if d.text is not None:
                update.update(text=d.text, body_start=max(0, a.body_start - d.chars),
                              furniture=tuple((max(0, s - d.chars), max(0, e - d.chars)) for s, e in a.furniture))
            a = a.model_copy(update=update)
        articles.append(a)
    findings = tuple(f.model_copy(update={"claims": tuple(claim(c) for c in f.claims)}) for f in report.findings)
    errors = tuple(e.model_copy(update={"path": by_path[e.path].shown}) if e.path in by_path else e for e in report.errors)
    return report.model_copy(update={"articles": tuple(articles), "findings": findings, "errors": errors})


# --------------------------------------------------------------------------------------------------
# A view of the corpus without some files (ignored paths, a draft's own copy inside the corpus)


def _is_dot(name: str) -> bool:
    return name.startswith(".")


def files_matching(paths: list[Path], patterns: Iterable[str], root: Path) -> set[Path]:
    """Files under `paths` whose path relative to `root` matches an ignore glob (absolute, resolved)."""
    patterns = [p.strip().removeprefix("./") for p in patterns if p.strip()]
    if not patterns:
        return set()
    root = root.resolve()
    out: set[Path] = set()

    def hit(full: Path) -> bool:
        try:
            rel = full.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = full.as_posix()
        for pat in patterns:
            folder = pat.rstrip("/")
            if fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel, folder + "/*") or rel.startswith(folder + "/"):
                return True
        return False

    for top in paths:
        if top.is_file():
            if hit(top):
                out.add(top.resolve())
            continue
        seen: set[tuple[int, int]] = set()
        for folder, dirs, files in os.walk(top, followlinks=True):
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not _is_dot(d))
            for name in files:
                full = Path(folder) / name
                if not _is_dot(name) and hit(full):
                    out.add(full.resolve())
    return out


@dataclass
class View:
    """Corpus roots as the pipeline should read them, and how to map what it read back to the real paths."""

    paths: list[Path]
    back: dict[str, str] = field(default_factory=dict)  # view root (posix) -> the root as given

    def restore(self, report: Report) -> Report:
        if not self.back:
            return report

        def real(p: str) -> str:
            for view, given in self.back.items():
                if p == view or p.startswith(view + "/"):
                    rest = p[len(view):].lstrip("/")
                    return (Path(given) / rest).as_posix() if rest else Path(given).as_posix()
            return p

        return report.model_copy(update={
            "articles": tuple(a.model_copy(update={"path": real(a.path)}) for a in report.articles),
            "findings": tuple(f.model_copy(update={"claims": tuple(c.model_copy(update={"path": real(c.path)}) for c in f.claims)})
                              for f in report.findings),
            "errors": tuple(e.model_copy(update={"path": real(e.path)}) for e in report.errors),
            "skipped": tuple(real(x.rstrip("/")) + ("/" if x.endswith("/") else "") for x in report.skipped),
        })


def _mirror(src: Path, dest: Path, excluded: set[Path]) -> None:
    """`dest` shows `src` without the `excluded` files: folders that hold none are linked whole."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sorted(os.scandir(src), key=lambda e: e.name):
        path = src / entry.name
        target = dest / entry.name
        try:
            real = path.resolve()
        except OSError:
            real = path
        if real in excluded:
            continue
        if entry.is_dir() and any(x == real or real in x.parents for x in excluded):
            _mirror(path, target, excluded)
        else:
            os.symlink(path.absolute(), target, target_is_directory=entry.is_dir())


def corpus_view(paths: list[Path], excluded: set[Path], folder: Path) -> View | None:
    """Roots that leave out `excluded` files, built from links in `folder`; None when links cannot be made."""
    if not excluded:
        return View(list(paths))
    view = View([])
    try:
        for i, top in enumerate(paths):
            real = top.resolve()
            if real in excluded:
                continue
            if top.is_dir() and any(real in x.parents for x in excluded):
                dest = folder / f"root{i}"
                _mirror(top, dest, excluded)
                view.paths.append(dest)
                view.back[dest.as_posix()] = top.as_posix()
            else:
                view.paths.append(top)
    except (OSError, NotImplementedError):
        return None
    return view


# --------------------------------------------------------------------------------------------------
# One run of the gate


@dataclass
class Plan:
    """Everything that decides what a run reports, after config and command line are merged."""

    paths: list[Path]
    root: Path
    drafts: list[Path] = field(default_factory=list)
    published: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    changed_since: str | None = None
    suppressions: Path | None = None
    baseline: Path | None = None
    keep_unchanged: bool = False
    min_severity: str | None = None


@dataclass
class Outcome:
    report: Report
    notes: list[str] = field(default_factory=list)  # warnings for stderr (unused suppressions, ...)


def dates_itself(path: Path) -> bool:
    """True when the article in `path` gives its own publication date (front matter, dateline, address)."""
    from checker.corpus import load_corpus

    load = load_corpus([path])
    return bool(load.articles) and load.articles[0].published_from in ("front_matter", "dateline", "url")


def run_gate(plan: Plan, check: Callable[[list[Path], dt.date | None], Report],
             draft_has_date: Callable[[Path], bool] | None = None) -> Outcome:
    """Check the corpus (and drafts), then narrow and mark findings as the plan says.

    `check(paths, published)` runs the pipeline; `draft_has_date(path)` tells whether a draft dates itself.
    Ignored files, and the corpus's own copy of a draft being checked, are left out of what the pipeline reads.
    """
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="crosscheck-") as tmp:
        staged = []
        for i, d in enumerate(plan.drafts):
            folder = Path(tmp) / f"draft{i}"
            folder.mkdir()
            dated = plan.published is None and (draft_has_date or dates_itself)(d)
            staged.append(stage_draft(d, folder, plan.published, plan.today, dated))
        drafts = {s.original.resolve() for s in staged}
        excluded = files_matching(plan.paths, plan.ignore, plan.root) - drafts
        excluded |= {s.original.resolve() for s in staged if s.checked != s.original}
        view = corpus_view(plan.paths, excluded, Path(tmp) / "view")
        if view is None:  # no links on this system: read everything, leave out afterwards
            view = View(list(plan.paths))
            notes.append("could not link a corpus view; ignored files were read and their findings left out")
        report = check([*view.paths, *(s.checked for s in staged)], None if plan.drafts else plan.published)
        report = restore_drafts(view.restore(report), staged)
    inside = {s.original.resolve() for s in staged if s.checked != s.original}
    leftovers = {a.id for a in report.articles
                 if Path(a.path).resolve() in (excluded - drafts) or (Path(a.path).resolve() in inside and a.published_from != "option")}
    report = drop_articles(report, leftovers)
    draft_ids = {a.id for a in report.articles if Path(a.path).resolve() in drafts}
    report = select_rules(report, plan.enable, plan.disable, plan.severity)
    if plan.drafts:
        report = focus(report, draft_ids)
    if plan.changed_since:
        from checker.gitdiff import changed_files

        files: set[Path] = set()
        for p in plan.paths:
            files |= changed_files(p, plan.changed_since)
        report = focus(report, article_ids_at(report, files))
    if plan.suppressions is not None:
        report, unused = apply_suppressions(report, load_suppressions(plan.suppressions), plan.today)
        notes.extend(f"{s.where}: suppression expired on {s.expires} (reason: {s.reason})"
                     for s in unused if s.expires is not None and s.expires < plan.today)
        if not plan.changed_since and not plan.drafts and not plan.min_severity:
            notes.extend(f"{s.where}: suppression matched no finding (reason: {s.reason})"
                         for s in unused if s.expires is None or s.expires >= plan.today)
    if plan.baseline is not None:
        report = apply_baseline(report, load_baseline(plan.baseline), plan.keep_unchanged)
    report = min_severity(report, plan.min_severity)
    return Outcome(report, notes)


# --------------------------------------------------------------------------------------------------
# explain


def find_finding(report: Report, key: str) -> Finding | None:
    """The finding whose fingerprint is `key` or starts with it (at least 6 characters, unambiguous)."""
    exact = [f for f in report.findings if f.fingerprint == key]
    if exact:
        return exact[0]
    if len(key) < 6:
        return None
    hits = [f for f in report.findings if f.fingerprint.startswith(key)]
    return hits[0] if len(hits) == 1 else None
