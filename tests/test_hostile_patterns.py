"""Lexicon patterns: an invalid regular expression, or one that can backtrack catastrophically, stops the
load with file, line and key (exit 2 from the command line); the bundled lexicon passes; the time limit
stops code that hangs."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli import main_group
from checker.lexicon import LexiconError, load_lexicon_dir
from checker.patterns import (
    ExtractionTimeout,
    check_lexicon,
    compile_checked,
    fact_limit,
    lexicon_patterns,
    pattern_problem,
    time_limit,
    time_limit_available,
)
from checker.resources import bundled_rules_dir

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
BUNDLED = bundled_rules_dir() / "lexicon"

CATASTROPHIC = [
    r"(a+)+$",
    r"(\w+\s?)*$",
    r"^(\s*\w+\s*)*$",
    r"(a|a)*$",
    r"(a*)*b",
    r"(a|ab|b)*c",
    r"(?:x+x+)+y",
    r"(?:\d+|\w+)*!",
    r"(?:(a+)+b|c)*",
    r"((a+)+b)?",
    r"(?=(a+)+$)b",  # inside a lookahead
    r"(?>(a+)+$)",  # inside an atomic group
    r"(?:[\w-]+ ?){5,}\.",  # a large bound counts as unbounded
]

SAFE = [
    r"(a+)+",  # nothing after the loop can fail: the first way round matches
    r"a+b+",
    r"(a+b)*c",
    r"\d+(?:,\d{3})*(?:\.\d+)?",
    r"(\s+[A-Z][^\s,]*)*$",
    r"by\s+(?-i:[A-Z][^\s,]*(?:\s+(?:[A-Z][^\s,]*|and|&))*)",
    r"(?:[\w'’.-]+\s+){0,5}?x",
    r"[^\n]{0,200}[^\n]{0,40}$",
    r"(?>a+)+b",
    r"(?:ab|a)*c",
    r"(?:one|two|three)(?:[ \t]*[|/,][ \t]*|[ \t]+)?(?:(?:one|two|three)(?:[ \t]*[|/,][ \t]*|[ \t]+)?){0,9}$",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_are_refused(pattern: str) -> None:
    problem = pattern_problem(pattern)
    assert problem and "backtrack catastrophically" in problem


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_pass(pattern: str) -> None:
    assert pattern_problem(pattern) is None


@pytest.mark.parametrize("pattern", [r"(unclosed", r"[z-a]", r"a{3,1}", r"(?<=a+)b", r"(?P<x>a)(?P<x>b)", r"\p{L}"])
def test_invalid_patterns_are_refused(pattern: str) -> None:
    problem = pattern_problem(pattern)
    assert problem and problem.startswith("invalid regular expression")
    with pytest.raises(ValueError, match="where-it-came-from: invalid"):
        compile_checked(pattern, 0, "where-it-came-from")


@pytest.mark.skipif(not time_limit_available(), reason="no SIGALRM here")
@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\s?)*$", r"(a|a)*$"])
def test_what_the_check_refuses_really_hangs(pattern: str) -> None:
    """The alarms are real: each refused pattern is still running when a 1 s limit stops it."""
    with pytest.raises(ExtractionTimeout, match="timed out after 1 s"):
        with time_limit(1):
            re.match(pattern, "a" * 60 + "!")


def test_every_bundled_pattern_passes_and_all_are_seen() -> None:
    data = load_lexicon_dir(BUNDLED)  # raises on any refused pattern
    pats = list(lexicon_patterns(data))
    keys = {p.path[0] for p in pats}
    assert {"furniture_lines", "furniture_inline", "furniture_blocks", "dateline_timezones", "attendance_cues",
            "number_macros", "number_attributes"} <= keys
    assert len(pats) > 100
    assert list(check_lexicon(data)) == []


# --------------------------------------------------------------------------------------------------
# a bad pattern in a copy of the bundled lexicon: file, line and key


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "lexicon"
    shutil.copytree(BUNDLED, dest, ignore=shutil.ignore_patterns("__*"))
    return dest


def _append(path: Path, text: str) -> int:
    """Append lines to a lexicon file; the 1-based line where they start."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def _insert_after(path: Path, anchor_key: str, item: str) -> int:
    """Insert `item` as the first list item under the line `anchor_key:`; its 1-based line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.strip() == f"{anchor_key}:")
    lines.insert(i + 1, item)
    path.write_text("\n".join(lines), encoding="utf-8")
    return i + 2


@pytest.mark.parametrize(
    "file, anchor, item, key",
    [
        ("boilerplate.yml", "furniture_lines", "  - 'share (this|that'", "furniture_lines[0]"),
        ("boilerplate.yml", "furniture_lines", r"  - '(?:\w+\s?)*read more$'", "furniture_lines[0]"),
        ("boilerplate.yml", "furniture_inline", r"  - '\((\w+ ?)+\)'", "furniture_inline[0]"),
        ("datelines.yml", "dateline_timezones", "  - '(?:GMT|UTC'", "dateline_timezones[0]"),
        ("events.yml", "present", r"    - '(?:\w+\w)*attended by {P}'", "attendance_cues.present[0]"),
        ("events.yml", "absent", "    - 'barred {P} from (entering'", "attendance_cues.absent[0]"),
    ],
)
def test_a_bad_pattern_is_named_by_file_line_and_key(tmp_path: Path, file: str, anchor: str, item: str, key: str) -> None:
    lex = _copy(tmp_path)
    line = _insert_after(lex / file, anchor, item)
    with pytest.raises(LexiconError) as info:
        load_lexicon_dir(lex)
    err = info.value
    assert err.path == str(lex / file) and err.line == line
    assert f"key {key!r}" in str(err) and str(err).startswith(f"{lex / file}:{line}: ")


def test_a_number_pattern_is_checked_as_the_extractor_compiles_it(tmp_path: Path) -> None:
    """Text before {N} is anchored at the number (so an ambiguous loop there can fail and backtrack)."""
    lex = _copy(tmp_path)
    numbers = lex / "numbers.yml"
    text = numbers.read_text(encoding="utf-8")
    anchor = "    patterns:\n"
    at = text.index(anchor) + len(anchor)
    numbers.write_text(text[:at] + "      - '\\bclaimed\\s+(?:\\w+\\s*)+{N}\\s+lives\\b'\n" + text[at:], encoding="utf-8")
    line = text[:at].count("\n") + 1
    with pytest.raises(LexiconError, match=r"number_attributes\[0\]\.patterns\[0\]'.*backtrack") as info:
        load_lexicon_dir(lex)
    assert info.value.line == line


def test_a_generic_patterns_key_is_checked(tmp_path: Path) -> None:
    lex = _copy(tmp_path)
    line = _append(lex / "dates.yml", "date_extra_patterns:\n  - '[0-9]+'\n  - '([0-9]+ ?)+x'\n")
    with pytest.raises(LexiconError, match=r"date_extra_patterns\[1\]") as info:
        load_lexicon_dir(lex)
    assert info.value.line == line + 2


def test_lexicon_alias_bomb_is_refused(tmp_path: Path) -> None:
    lex = _copy(tmp_path)
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghi"):
        prev = "a" if i == 0 else "bcdefghi"[i - 1]
        bomb.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    (lex / "zz_bomb.yml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="alias"):
        load_lexicon_dir(lex)


def test_lexicon_objects_are_never_constructed(tmp_path: Path) -> None:
    lex = _copy(tmp_path)
    (lex / "zz_obj.yml").write_text("evil: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="zz_obj.yml:1"):
        load_lexicon_dir(lex)


def test_non_string_item_and_duplicate_key_name_their_line(tmp_path: Path) -> None:
    lex = _copy(tmp_path)
    line = _append(lex / "text.yml", "odd_list:\n  - fine\n  - no\n")
    with pytest.raises(LexiconError, match="odd_list") as info:
        load_lexicon_dir(lex)
    assert info.value.line == line + 2
    (lex / "text.yml").write_text((lex / "text.yml").read_text(encoding="utf-8").replace("  - no\n", "  - 'no'\n"), encoding="utf-8")
    line = _append(lex / "zz_dup.yml", "odd_list: [a]\n")
    with pytest.raises(LexiconError, match="defined twice") as info:
        load_lexicon_dir(lex)
    assert info.value.path.endswith("zz_dup.yml") and info.value.line == line


def test_check_with_a_bad_lexicon_exits_2_naming_file_line_and_key(tmp_path: Path) -> None:
    lex = _copy(tmp_path)
    line = _insert_after(lex / "events.yml", "absent", r"    - '(\w+\s?)*kept away {P}'")
    for args in (["check", str(SEEDS), "--no-cache"], ["facts", str(SEEDS)]):
        result = CliRunner().invoke(main_group, [*args, "--lexicon", str(lex)])
        assert result.exit_code == 2, result.output
        assert f"{lex / 'events.yml'}:{line}: key 'attendance_cues.absent[0]'" in result.output
        assert "backtrack catastrophically" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------------------------------
# the time limit itself


@pytest.mark.skipif(not time_limit_available(), reason="no SIGALRM here")
def test_time_limit_stops_a_hang_and_puts_back_what_was_there() -> None:
    import signal

    def mine(signum, frame):  # pragma: no cover - never fires
        raise AssertionError("the outer handler fired")

    before = signal.signal(signal.SIGALRM, mine)
    try:
        with pytest.raises(ExtractionTimeout) as info:
            with time_limit(0.5):
                while True:
                    pass
        assert info.value.seconds == 0.5 and "timed out after 0.5 s" in str(info.value)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with time_limit(5):
            pass  # finishing in time leaves no timer running
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with time_limit(None), time_limit(0):
            pass
    finally:
        signal.signal(signal.SIGALRM, before)


def test_time_limit_is_a_no_op_off_the_main_thread() -> None:
    out = []

    def work() -> None:
        with time_limit(0.01):
            out.append(sum(range(1000)))

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert out == [499500]


def test_timeout_is_not_an_exception_an_extractor_could_swallow() -> None:
    assert not issubclass(ExtractionTimeout, Exception)


def test_fact_limit_leaves_out_whole_articles_and_names_the_limit() -> None:
    from checker.models import ArticleFacts, NameFact

    def facts(article: str, n: int) -> ArticleFacts:
        fs = tuple(NameFact(article=article, text="X", start=0, end=1, line=1, sentence="X", sentence_index=0) for _ in range(n))
        return ArticleFacts(article=article, sentences=(), facts=fs)

    kept, errors = fact_limit([facts("a", 3), facts("b", 4), facts("c", 0)], {"a": "a.md", "b": "b.md"}, 3)
    assert [af.article for af in kept] == ["a", "c"] and len(kept[0].facts) == 3
    assert [(e.path, e.message) for e in errors] == [("b.md", "4 facts, over max_facts_per_article (3): not checked")]
    assert fact_limit([facts("a", 9)], {}, None)[1] == []
