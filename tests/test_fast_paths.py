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


def test_attendance_cue_required_literals() -> None:
    """Strings one of which every match contains; None where the pattern gives no safe filter."""
    from checker.extract.attendance import _required_literals

    assert _required_literals(r"(?:barred|kept)[\s,]+x") == ("barred", "kept")
    assert _required_literals(r"\bon[\s,]+behalf") == ("behalf",)  # "on" is too short to filter on
    assert _required_literals("visitors?") == ("visitor",)  # the quantified letter is not required
    # a cue that starts with a person placeholder still filters on the words after it
    assert _required_literals("\u27e8P\\d+\u27e9 (?:who )?(?:led|headed) the delegation") == (" the delegation",)
    req = _required_literals("(?:stayed away|skipped)(?: the)?")
    assert req and any(w in "she skipped it" for w in req) and any(w in "they stayed away" for w in req)
    assert not any(w in "she attended" for w in req)
    for rx in ("(?:x|)y", "[ab]c", r"\w+ x", "(?-i:abc)", "\u27e8P\\d+\u27e9", "a|b c", "(?:abc)?x"):
        assert _required_literals(rx) is None, rx
    # every match of a pattern contains one of its required literals
    import random

    rng = random.Random(7)
    pats = [r"(?:met|talks) with (?:\w+ ){0,2}leaders?", r"(?:un)?able to (?:attend|join)", r"in the absence of \w+"]
    words = ["met", "with", "talks", "the", "leader", "leaders", "unable", "able", "to", "attend", "join", "in",
             "absence", "of", "x"]
    for pat in pats:
        req = _required_literals(pat)
        rx = re.compile(pat)
        for _ in range(2000):
            text = " ".join(rng.choice(words) for _ in range(8))
            if rx.search(text):
                assert req is not None and any(w in text for w in req), (pat, text)


def test_lowercased_text_matches_like_case_folding() -> None:
    """What the uncased fast paths (events, attendance, numbers cues) rely on: besides ASCII letters,
    only these characters match an ASCII letter under re.IGNORECASE (the Turkish i forms lowercase to
    something else or change the length, the Kelvin sign lowercases to k), and lowercasing a character
    to one character keeps its \\w, \\s and \\d classes."""
    folds = re.compile("[a-z]", re.IGNORECASE)
    extra = {hex(c) for c in range(0x80, 0x110000) if folds.match(chr(c))}
    assert extra == {"0x130", "0x131", "0x17f", "0x212a"}
    assert "\u212a".lower() == "k" and len("\u0130".lower()) == 2
    classes = [re.compile(p) for p in (r"\w", r"\s", r"\d")]
    for c in map(chr, range(0x110000)):
        low = c.lower()
        if low != c and len(low) == 1:
            assert all(bool(p.match(c)) == bool(p.match(low)) for p in classes), hex(ord(c))


def test_uncased_patterns_match_as_case_folding() -> None:
    """fastre.uncased: the pattern without re.IGNORECASE on the lowercased text finds what the pattern
    finds on the text (invented patterns and texts, mixed case, the Kelvin sign, accents); refused
    where a capital, a cased non-ASCII character or a case flag would make it differ."""
    import random

    from checker import fastre

    pats = [r"(?<!\w)(?:zor(?:ble|)|quim)\s+(?P<n>\d+|dax)(?!\w)", r"\b[a-z]{2,}(?:ed|ing)\b", r"[^a-c\s]+’s?",
            r"(\w+)\s+\1", r"(?<![\w-])k[a-z]*(?=\W|$)", r"x(?:y|z)*+\.?"]
    words = ["Zor", "zorble", "ZORBLE", "quim", "QUIM", "dax", "DAX", "42", "walked", "WALKED", "Kelvin",
             "\u212aelvin", "kelvin", "abc", "ABC", "Bob’s", "bob’s", "\u00c9t\u00e9", "xyz", "XYZ.", "-", "’"]
    rng = random.Random(11)
    for pat in pats:
        rx = re.compile(pat, re.IGNORECASE)
        un = fastre.uncased(rx)
        assert un is not None, pat
        for _ in range(400):
            text = rng.choice(["", " "]).join(rng.choice(words) for _ in range(rng.randint(1, 8)))
            low = fastre.lowered(text)
            assert low is not None
            assert [m.span() for m in rx.finditer(text)] == [m.span() for m in un.finditer(low)], (pat, text)
    for pat in (r"[A-Z]x", r"Zor", r"(?-i:zor)", r"caf\u00e9", r"[\u00c0-\u00ff]"):
        assert fastre.uncased(re.compile(pat, re.IGNORECASE)) is None, pat
    assert fastre.uncased(re.compile("zor")) is None  # nothing to gain without case folding
    assert fastre.lowered("Stra\u017fe") is None and fastre.lowered("\u0130stanbul") is None


def test_sentence_end_pattern_matches_its_plain_form() -> None:
    """dates._SENTENCE_END opens on the whitespace (fast to search for); the plain form opens on
    lookbehinds. The same matches from any start to any end (invented texts)."""
    import random

    from checker.extract import dates

    plain = re.compile(r"(?:(?<=[a-z]{2}[.!?])|(?<=[a-z]{2}[.!?][\"'”’])|(?<=\d[.!?])|(?<=;))\s+|\n")
    pieces = ["ab", "a", "1", ".", "!", "?", ";", '"', "'", "”", "’", " ", "  ", "\n", "\t", "\n\n", "X", "\u00a0", "\r\n"]
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        pos = rng.randint(0, len(text))
        end = rng.randint(pos, len(text))
        got = [m.span() for m in dates._SENTENCE_END.finditer(text, pos, end)]
        assert got == [m.span() for m in plain.finditer(text, pos, end)], repr(text)


def test_needed_literals_of_a_pattern() -> None:
    """fastre.needs: literals a match cannot do without, joined through alternations; a text that
    lacks them has no match."""
    from checker import fastre

    assert fastre.needs(re.compile(r"b(?:attle|lockade)s")) == ("or", ("battle", "blockade"))
    assert fastre.needs(re.compile(r"\bthe\s+(?:straight|running)\s+(?:day|night)s?\b", re.I)) == (
        "and", ("the", ("or", ("straight", "running")), ("or", ("day", "night"))))
    assert fastre.needs(re.compile("HELLO", re.I)) == "hello"
    assert fastre.needs(re.compile(r"(?:abc)+x?")) == "abc"
    # nothing to filter on: a skippable part, a short branch, a look-around, a class
    for rx in (r"(?:abc)?x", r"a(?:bc|d)e", r"(?=abc)\w+", r"[abc]{3}", r"x|abc"):
        assert fastre.needs(re.compile(rx)) is None, rx
    # an alternation past the limit names nothing
    assert fastre.needs(re.compile("|".join(f"w{i:03d}" for i in range(20)))) is None
    assert not fastre.holds(fastre.needs(re.compile(r"b(?:attle|lockade)")), "a bat and a lock")
    assert fastre.holds(None, "")


def test_needed_literals_hold_wherever_the_lexicon_patterns_match() -> None:
    """Every match of the extractors' own patterns, on real and shuffled text, meets its needs."""
    import random

    from checker import fastre
    from checker.extract import numbers
    from checker.extract.dates import _grammar as date_grammar
    from checker.lexicon import load_lexicon

    lex = load_lexicon(None)
    ng = numbers._grammar(lex)
    pats = [*ng.day_patterns, *(p for _, p in ng.zeros), *(p for _, p in date_grammar(lex).patterns)]
    texts = ["On the third straight day of protests, no one was hurt; the 3rd day in a row.",
             "Day six of the siege. The second consecutive night of clashes. Nobody was killed.",
             "They met on Monday, March 3, 1990, and again in the 1990s; next week, two days later."]
    rng = random.Random(3)
    words = " ".join(texts).split()
    texts += [" ".join(rng.choice(words) for _ in range(30)) for _ in range(200)]
    checked = 0
    for p in pats:
        need = fastre.needs(p)
        for t in texts:
            low = fastre.lowered(t)
            if low is not None and p.search(t):
                assert fastre.holds(need, low), (p.pattern[:80], t)
                checked += need is not None
    assert checked > 10


def test_attendance_cues_to_run_are_those_the_literal_test_keeps() -> None:
    """One pass over a sentence finds the cues some required literal of which it holds: the same cues
    as testing each literal of each cue."""
    import random

    from checker.extract import attendance
    from checker.lexicon import load_lexicon

    lex = load_lexicon(None)
    words = attendance._cue_words(lex)
    lits = sorted({w for ws in words if ws is not None for w in ws})
    rng = random.Random(11)
    pieces = lits + [w[:-1] for w in lits] + [" ", "\u27e8p0\u27e9", "x", ", ", "de", "at"]
    samples = ["", "he attended the talks", "\u27e8p0\u27e9 skipped it but attended the dinner"]
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(500)]
    for low in samples:
        plain = [k for k, ws in enumerate(words) if ws is None or any(w in low for w in ws)]
        assert attendance._cues_to_run(low, lex) == plain, low
    assert any(attendance._cues_to_run(s, lex) != list(range(len(words))) for s in samples)


def test_event_key_words_are_words_of_every_trigger_match() -> None:
    """A trigger type runs on a sentence only when one of its key words is a word of it: every match
    of the type's pattern holds one."""
    from pathlib import Path

    from checker.extract import events
    from checker.lexicon import load_lexicon

    lex = load_lexicon(None)
    keys = events._key_words(lex, "event_triggers")
    assert keys["meeting"] is None or all(" " not in w for w in keys["meeting"])
    root = Path(__file__).resolve().parent.parent / "fixtures"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))]
    phrases = [str(w) for ws in (lex.get("event_triggers") or {}).values() for w in ws]
    texts.append(" ".join(p.upper() if i % 3 == 0 else p for i, p in enumerate(phrases)))
    matched = 0
    for etype, pat in events._triggers(lex):
        for text in texts:
            words = set(events._WORDS.findall(text.lower()))
            for m in pat.finditer(text):
                matched += 1
                ms = set(events._WORDS.findall(m.group().lower()))
                assert keys[etype] is None or keys[etype] & ms and keys[etype] & words, (etype, m.group())
    assert matched > 100


def test_lazy_pattern_compiles_when_first_used_and_matches_as_compiled() -> None:
    import pickle

    from checker import fastre

    src, flags = r"(?i)(?P<w>qu\w+)\s+(\d+)", re.MULTILINE
    lazy, plain = fastre.lazy(src, flags), re.compile(src, flags)
    assert "search" not in vars(lazy) and lazy.pattern == src  # not compiled by being built or asked its source
    text = "Quorvel 12 and quill 7\nquixa 3"
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert "search" in vars(lazy)  # compiled once, its methods bound
    assert lazy.flags == plain.flags and lazy.groupindex == plain.groupindex and lazy.groups == plain.groups
    assert lazy.match(text, 11) is None and lazy.search(text, 11).group("w") == "quill"
    assert lazy.sub("#", text) == plain.sub("#", text) and lazy.fullmatch("quim 4").span() == (0, 6)
    again = pickle.loads(pickle.dumps(fastre.lazy(src, flags)))
    assert again.findall(text) == plain.findall(text)
    broken = fastre.lazy("(?:x", 0, "cue 'x'")
    try:
        broken.search("x")
    except ValueError as e:
        assert str(e).startswith("cue 'x': ")
    else:
        raise AssertionError("a pattern that does not compile must fail when used")
    try:
        fastre.lazy("(?:x").search("x")
    except re.error:
        pass
    else:
        raise AssertionError("without a name, the error is re.error")


def test_uncased_forms_are_uncased_of_each_pattern_when_asked() -> None:
    from checker import fastre

    pats = {"a": fastre.lazy(r"\bquo(?:rv|x)el\b", re.I), "b": re.compile("Quorvel", re.I), "c": re.compile("x")}
    forms = fastre.UncasedForms(pats)
    assert forms.get("zzz") is None and forms.get("zzz", 5) == 5
    for k, p in pats.items():
        want = fastre.uncased(p)
        got = forms.get(k)
        assert (got is None) == (want is None), k
        if want is not None:
            assert got.pattern == want.pattern and got.flags == want.flags
            assert forms.get(k) is got  # worked out once
