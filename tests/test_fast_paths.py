"""Fast paths of the extractors stay equivalent to what they replace."""

import re

from checker.extract import names


def test_capital_class_covers_every_uppercase_character() -> None:
    cap = re.compile("[%s]" % names._CAP)
    missing = [hex(c) for c in range(0x110000) if chr(c).isupper() and not cap.match(chr(c))]
    assert missing == []


def test_word_pattern_matches_the_letter_by_letter_form() -> None:
    old = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{1,3}&[A-Z]{1,3}\b|[^\W\d_](?:[^\W\d_]|[-'’](?=[^\W\d_]))*\.?")
    text = "al-Arouri's O'Neill-Smith U.S. AT&T x--y a-'b 'quoted' end- -start Ré-Évé. J. St.John 3M"
    assert [m.span() for m in names._WORD.finditer(text)] == [m.span() for m in old.finditer(text)]


def test_attendance_cue_leading_literals() -> None:
    from checker.extract.attendance import _leading_literals

    assert _leading_literals(r"(?:barred|kept)[\s,]+x") == ("barred", "kept")
    assert _leading_literals(r"\bon[\s,]+behalf") == ("on",)
    assert _leading_literals("a|b c") == ("a", "b c")  # a top-level alternative starts a match too
    assert _leading_literals("visitors?") == ("visitor",)  # the quantified letter is not required
    for rx in ("(?:x|)y", "[ab]c", r"\w+ x", "(?-i:ab)", "\u27e8P\\d+\u27e9"):
        assert _leading_literals(rx) is None
