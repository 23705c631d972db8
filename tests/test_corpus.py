"""Corpus loading: files and front matter -> Article, datelines, page furniture, ids, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from checker.corpus import Limits, load_corpus, parse_dateline
from checker.lexicon import Lexicon
from tests.conftest import corpus_lexicon

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
ECB = ROOT.parent / "shared" / "corpora" / "ecbplus-dev"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return corpus_lexicon()


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def furniture_texts(article) -> list[str]:
    return [article.text[a:b] for a, b in article.furniture]


def one(load):
    assert len(load.articles) == 1, (load.articles, load.errors)
    return load.articles[0]


# ---- the seeds


def test_seed_bodies_are_exactly_the_shared_seeds_with_the_default_lexicon():
    load = load_corpus([SEEDS])
    assert load.errors == [] and load.skipped == []
    assert [a.id for a in load.articles] == sorted(p.stem for p in SEEDS.glob("*.md"))
    for article in load.articles:
        shared = SHARED_SEEDS / (Path(article.path).stem + ".txt")
        if shared.exists():
            assert article.text[article.body_start :] == shared.read_text(encoding="utf-8")


def test_seed_dates(lex):
    by_id = {a.id[:3]: a for a in load_corpus([SEEDS], lexicon=lex).articles}
    a = by_id["004"]
    assert (a.published, a.published_from, a.published_text) == (dt.date(2018, 3, 28), "dateline", "March 28, 2018 21:09")
    assert a.published_at == dt.datetime(2018, 3, 28, 21, 9)
    for key in ("000", "001"):
        assert (by_id[key].published, by_id[key].published_from) == (None, "unknown")
    assert (by_id["002"].published, by_id["002"].published_from) == (dt.date(2019, 7, 23), "front_matter")


def test_seed_furniture(lex):
    by_id = {a.id[:3]: a for a in load_corpus([SEEDS], lexicon=lex).articles}
    f000 = furniture_texts(by_id["000"])
    assert "Skip to content" in f000
    assert "Jerusalem Center for Public Affairs" in f000  # the outlet's name as a page header (its `source`)
    f003 = furniture_texts(by_id["003"])
    assert "View image on Twitter" in f003
    assert f003[-1].startswith("Leave a Reply") and f003[-1].endswith("Connecting to %s")
    f004 = furniture_texts(by_id["004"])
    assert "3 minute read." in f004
    assert "(photo credit: TASNIM NEWS AGENCY/HANDOUT VIA REUTERS)" in f004
    appeal = next(t for t in f004 if t.startswith("Dear Reader,"))
    assert appeal.endswith("Editor-in-Chief")  # the signature goes with it
    assert any(t.startswith("Join ") and t.endswith("Click here>>") for t in f004)
    assert f004[-1].startswith("Related Content")
    # The caption itself is article text (it dates a meeting); only its credit is furniture.
    body = by_id["004"].text
    caption = body.index("Iran October 21, 2017")
    assert not any(a <= caption < b for a, b in by_id["004"].furniture)
    # Nothing that reads as the article is furniture.
    for article in by_id.values():
        for text in furniture_texts(article):
            assert "Musa Abu Marzouk has said" not in text and "delegation met with" not in text


# ---- datelines


@pytest.mark.parametrize(
    "line, date, at",
    [
        ("March 28, 2018 21:09", "2018-03-28", "21:09"),
        ("Tue Jul 2, 2013 1: 28PM GMT", "2013-07-02", "13:28"),
        ("Last Updated: Monday, 28 November 2005, 02:24 GMT", "2005-11-28", "02:24"),
        ("Posted: 03/14/2013 06:37 AM PDT", "2013-03-14", "06:37"),
        ("Posted: 03/14/2013 06:37: 46 AM PDT", "2013-03-14", "06:37:46"),
        ("27 NOVEMBER, 2005", "2005-11-27", None),
        ("11/30/09 05:40 PM ET", "2009-11-30", "17:40"),
        ("# Updated: November 11, 2011 20:09 IST", "2011-11-11", "20:09"),
        ("POSTED: 1052 GMT (1852 HKT), April 10, 2007", "2007-04-10", "10:52"),
        ("PUBLISHED: 02:31 GMT, 12 March 2013 | UPDATED: 22:19 GMT, 12 March 2013", "2013-03-12", "02:31"),
        ("on April 30, 2008 at 4:31 AM, updated April 30, 2008 at 8:33 AM", "2008-04-30", "04:31"),
        ("Edited on Mon Dec-19-05 03:49 PM", "2005-12-19", "15:49"),
        ("Published: Tuesday, Dec. 20 2005 12:00 a.m. MST", "2005-12-20", "00:00"),
        ("TNN Nov 12, 2011, 05.51AM IST MUMBAI:", "2011-11-12", "05:51"),
        ("Wednesday, Sept. 08, 2010", "2010-09-08", None),
        ("Posted: March 14th, 2013", "2013-03-14", None),
        ("Updated 4/9 / 2007 6:04 PM", "2007-04-09", "18:04"),
        ("11: 39am UK, Monday 09 September 2013", "2013-09-09", "11:39"),
        ("2013-03-14", "2013-03-14", None),
    ],
)
def test_dateline_forms(lex, line, date, at):
    m = parse_dateline(line, lex)
    assert m is not None, line
    assert m.date.isoformat() == date
    assert (m.at.time().isoformat(timespec="seconds") if m.at else None) == (
        None if at is None else dt.time.fromisoformat(at).isoformat(timespec="seconds")
    )


@pytest.mark.parametrize(
    "line",
    [
        "He was arrested on March 3, 2013 in the north of the city.",
        "A man meets an official in a capital city October 21, 2017. . (photo credit: AGENCY)",
        "Mumbai, Nov 11 -",  # no year
        "The vote is set for 12 May.",
        "Routes 4/9 and 12/30 were closed on 3/14/2013 after the storm hit",
        "February 30, 2013",  # not a date
        "Headline about a storm againJuly 23, 2008.4:49 pm",
    ],
)
def test_not_a_dateline(lex, line):
    assert parse_dateline(line, lex) is None


def test_dateline_only_in_the_first_lines_and_not_in_furniture(tmp_path, lex):
    late = "\n".join(f"Paragraph {i} of the story." for i in range(9)) + "\nMarch 3, 2013\n"
    write(tmp_path / "late.md", late)
    story = "The story is told in this one long paragraph, long enough to put its tail past the middle.\n"
    write(tmp_path / "furn.md", "Headline\n\n" + story + "\nRelated Content\n\nMarch 3, 2013\n")
    write(tmp_path / "sentence.md", "Headline\n\nIt happened on March 3, 2013 in the valley, officials said.\n")
    load = load_corpus([tmp_path], lexicon=lex)
    assert [(a.id, a.published_from) for a in load.articles] == [
        ("furn", "unknown"),
        ("late", "unknown"),
        ("sentence", "unknown"),
    ]


def test_dateline_in_body_sets_published_and_is_furniture(tmp_path, lex):
    text = "A headline\n\n# Posted: 03/14/2013 06:37 AM PDT\nUpdated: 03/15/2013 07:00 AM PDT\n\nThe story starts here.\n"
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert (a.published, a.published_at, a.published_from) == (
        dt.date(2013, 3, 14),
        dt.datetime(2013, 3, 14, 6, 37),
        "dateline",
    )
    assert a.published_text == "Posted: 03/14/2013 06:37 AM PDT"
    assert furniture_texts(a) == ["# Posted: 03/14/2013 06:37 AM PDT", "Updated: 03/15/2013 07:00 AM PDT"]
    assert "The story starts here." not in "".join(furniture_texts(a))


def test_front_matter_date_wins_over_dateline(tmp_path, lex):
    text = "---\npublished: 2020-01-02T10:30:00\n---\nHeadline\nMarch 28, 2018 21:09\nBody.\n"
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert "March 28, 2018 21:09" in furniture_texts(a)  # still page metadata, not article text
    assert (a.published, a.published_at, a.published_from, a.published_text) == (
        dt.date(2020, 1, 2),
        dt.datetime(2020, 1, 2, 10, 30),
        "front_matter",
        None,
    )


def test_published_option_is_the_last_fallback(tmp_path, lex):
    write(tmp_path / "plain.md", "Headline\n\nNo date anywhere here.\n")
    write(tmp_path / "dated.md", "Headline\nMarch 28, 2018\nBody.\n")
    load = load_corpus([tmp_path], published=dt.date(2021, 5, 6), lexicon=lex)
    by_id = {a.id: a for a in load.articles}
    assert (by_id["plain"].published, by_id["plain"].published_from) == (dt.date(2021, 5, 6), "option")
    assert (by_id["dated"].published, by_id["dated"].published_from) == (dt.date(2018, 3, 28), "dateline")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://news.example.org/2013/03/11/riot-in-the-square.php", dt.date(2013, 3, 11)),
        ("http://example.com/world/2009/4/7/story", dt.date(2009, 4, 7)),
        ("example.net/news/2016-02-29-leap-day", dt.date(2016, 2, 29)),
        ("https://example.fr/20130909/raiders-hit-a-store", dt.date(2013, 9, 9)),
        ("https://example.com/2013/02/30/no-such-day", None),  # no calendar day
        ("https://example.com/2013/03/story-of-the-month", None),  # a month is no publication day
        ("https://example.com/articles/84721-store-hit", None),
        ("https://2013.example.com/page?date=2013/03/11", None),  # host and query are not the path
        ("https://example.com/story/1139218/a-raid", None),
    ],
)
def test_publication_date_from_the_address(tmp_path, lex, url, expected):
    a = one(load_corpus([write(tmp_path / "a.md", f"---\nurl: '{url}'\n---\nHeadline\n\nBody of the story.\n")], lexicon=lex))
    assert (a.published, a.published_from) == ((expected, "url") if expected else (None, "unknown"))


def test_dateline_and_front_matter_win_over_the_address_and_the_address_over_the_option(tmp_path, lex):
    url = "---\nurl: https://example.com/2013/03/14/a-story\n---\n"
    write(tmp_path / "dateline.md", url + "Headline\nMarch 13, 2013\nBody.\n")
    write(tmp_path / "front.md", "---\nurl: https://example.com/2013/03/14/a-story\npublished: 2013-03-12\n---\nBody.\n")
    write(tmp_path / "address.md", url + "Headline\n\nBody.\n")
    load = load_corpus([tmp_path], published=dt.date(2021, 5, 6), lexicon=lex)
    by_id = {a.id: (a.published, a.published_from) for a in load.articles}
    assert by_id == {
        "dateline": (dt.date(2013, 3, 13), "dateline"),
        "front": (dt.date(2013, 3, 12), "front_matter"),
        "address": (dt.date(2013, 3, 14), "url"),
    }


@pytest.mark.skipif(not ECB.is_dir(), reason="shared ECB+ corpus not present")
def test_ecbplus_datelines(lex):
    load = load_corpus([ECB], lexicon=lex)
    assert load.errors == []
    by_id = {a.id: a for a in load.articles}
    assert by_id["38_2ecbplus"].published_at == dt.datetime(2013, 3, 14, 6, 37, 46)
    assert by_id["26_4ecbplus"].published_at == dt.datetime(2005, 12, 20, 10, 39)
    assert by_id["3_1ecbplus"].published == dt.date(2009, 11, 30)
    assert by_id["26_5ecbplus"].published_from == "unknown"  # a date inside a sentence
    dated = [a for a in load.articles if a.published_from == "dateline"]
    assert len(dated) >= 70
    # Topic files without url and date stay undated: no dateline invented from the story's dates.
    assert all(a.id.endswith("ecbplus") for a in dated)


# ---- metadata and formats


def test_front_matter_keys_and_defaults(tmp_path, lex):
    write(
        tmp_path / "a" / "full.md",
        "---\nid: art-1\nsource: The Daily\ntitle: A title\nurl: https://www.example.org/x\n"
        "published: 2019-07-23\nlanguage: en\nunknown_key: [1, 2]\n---\nBody text.\n",
    )
    write(tmp_path / "a" / "b" / "bare.markdown", "Body text.\n")
    write(tmp_path / "hosted.txt", "---\nurl: https://www.news.example.com/story\n---\nBody text.\n")
    load = load_corpus([tmp_path], lexicon=lex)
    assert load.errors == []
    by_id = {a.id: a for a in load.articles}
    assert set(by_id) == {"art-1", "a/b/bare", "hosted"}
    full = by_id["art-1"]
    assert (full.source, full.title, full.url, full.published, full.language) == (
        "The Daily",
        "A title",
        "https://www.example.org/x",
        dt.date(2019, 7, 23),
        "en",
    )
    assert full.text[full.body_start :] == "Body text.\n"
    assert by_id["hosted"].source == "news.example.com"
    assert by_id["a/b/bare"].source == "unknown" and by_id["a/b/bare"].body_start == 0
    assert by_id["a/b/bare"].path == (tmp_path / "a" / "b" / "bare.markdown").as_posix()


def test_content_hash_and_encoding(tmp_path, lex):
    raw = "---\nid: x\n---\nCafé déjà vu.\n".encode()
    a = one(load_corpus([write(tmp_path / "x.md", raw)], lexicon=lex))
    assert a.content_hash == hashlib.sha256(raw).hexdigest()
    assert a.encoding == "utf-8"


def test_json_article(tmp_path, lex):
    obj = {"text": "Headline\nMarch 28, 2018\nThe story.", "source": "Wire", "title": "T", "extra": {"a": 1}}
    raw = json.dumps(obj).encode()
    write(tmp_path / "sub" / "story.json", raw)
    a = one(load_corpus([tmp_path], lexicon=lex))
    assert (a.id, a.text, a.body_start, a.source, a.title) == ("sub/story", obj["text"], 0, "Wire", "T")
    assert (a.published, a.published_from) == (dt.date(2018, 3, 28), "dateline")
    assert a.content_hash == hashlib.sha256(raw).hexdigest()


def test_jsonl_articles(tmp_path, lex):
    lines = [
        json.dumps({"text": "First story.", "published": "2019-07-22"}),
        "",
        json.dumps({"id": "named", "text": "Second story.", "url": "http://site.example/a"}),
    ]
    load = load_corpus([write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")], lexicon=lex)
    assert load.errors == []
    by_id = {a.id: a for a in load.articles}
    assert set(by_id) == {"feed.jsonl#1", "named"}
    assert (by_id["feed.jsonl#1"].published, by_id["feed.jsonl#1"].published_from) == (
        dt.date(2019, 7, 22),
        "front_matter",
    )
    assert by_id["named"].source == "site.example" and by_id["named"].text == "Second story."
    assert by_id["named"].content_hash == hashlib.sha256(lines[2].encode()).hexdigest()


def test_other_files_are_listed_as_skipped(tmp_path, lex):
    write(tmp_path / "a.md", "Story.\n")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    write(tmp_path / "img" / "photo.jpg", b"\xff\xd8")
    write(tmp_path / ".hidden.md", "Story.\n")
    write(tmp_path / ".git" / "notes.md", "Tool state, not the corpus.\n")
    load = load_corpus([tmp_path], lexicon=lex)
    assert [a.id for a in load.articles] == ["a"]
    assert load.skipped == sorted(
        [(tmp_path / n).as_posix() for n in (".hidden.md", "img/photo.jpg", "notes.pdf")]
    )
    assert load.errors == []


def test_single_file_path(tmp_path, lex):
    f = write(tmp_path / "deep" / "story.txt", "Story.\n")
    a = one(load_corpus([f], lexicon=lex))
    assert a.id == "story"


def test_order_of_files_and_paths_does_not_matter(tmp_path, lex):
    for i in range(5):
        write(tmp_path / "one" / f"{i}.md", f"---\nid: dup\n---\nStory {i}.\n" if i % 2 else f"Story {i}.\n")
        write(tmp_path / "two" / f"{9 - i}.md", f"Story {i}.\n")
    a = load_corpus([tmp_path / "one", tmp_path / "two"], lexicon=lex)
    b = load_corpus([tmp_path / "two", tmp_path / "one"], lexicon=lex)
    assert [x.model_dump() for x in a.articles] == [x.model_dump() for x in b.articles]
    assert a.errors == b.errors
    assert [x.id for x in a.articles] == sorted(x.id for x in a.articles)


def test_symlinked_folder_read_once(tmp_path, lex):
    write(tmp_path / "real" / "a.md", "Story.\n")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    load = load_corpus([tmp_path], lexicon=lex)
    assert [a.id for a in load.articles] == ["link/a"] or [a.id for a in load.articles] == ["real/a"]
    assert len(load.skipped) == 1 and load.errors == []


# ---- furniture and suppressions


def test_furniture_patterns(tmp_path, lex):
    text = (
        "---\nsource: Example Times\n---\n"
        "Skip to content\n"
        "Example Times\n"
        "A headline about a council vote\n"
        "5 min read\n"
        "Share this article\n"
        "The council voted on Monday to close the bridge. (Photo credit: Some Agency)\n"
        "The mayor said the vote was final.\n"
        "Dear Reader,\n"
        "Please support us.\n"
        "Thank you,\n\n"
        "The Editor\n\n"
        "The bridge will reopen next year, officials said, after repairs are finished.\n"
        "More text of the story follows here so that the tail blocks start late enough.\n"
        "Even more text of the story follows here.\n"
        "Leave a Reply\n"
        "You are commenting using your Example account. Log Out / Change )\n"
    )
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    f = furniture_texts(a)
    assert "Skip to content" in f
    assert "Example Times" in f
    assert "5 min read" in f
    assert "Share this article" in f
    assert "(Photo credit: Some Agency)" in f
    assert "Dear Reader,\nPlease support us.\nThank you,\n\nThe Editor" in f
    assert f[-1].startswith("Leave a Reply") and f[-1].endswith("Change )\n")
    body = "".join(a.text[s:e] for s, e in _complement(a))
    for kept in ("A headline about a council vote", "The council voted on Monday", "The bridge will reopen"):
        assert kept in body


def _complement(a):
    pos = a.body_start
    for s, e in a.furniture:
        yield pos, s
        pos = e
    yield pos, len(a.text)


def test_block_without_its_end_is_not_furniture(tmp_path, lex):
    text = "Dear Reader,\n" + "".join(f"Line {i} of an open letter that is the article.\n" for i in range(80))
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert a.furniture == ()


def test_tail_block_early_in_the_text_is_not_furniture(tmp_path, lex):
    text = "Headline\nRelated Content\n" + "".join(f"Sentence {i} of the story.\n" for i in range(20))
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert a.furniture == ()


def test_inline_suppressions(tmp_path, lex):
    text = "Story line one.\n<!-- crosscheck-ignore spelling attendance -->\nMore. <!-- crosscheck-ignore date -->\n"
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert a.ignored_rules == ("spelling", "attendance", "date")
    assert "<!-- crosscheck-ignore spelling attendance -->" in furniture_texts(a)
    assert "<!-- crosscheck-ignore date -->" in furniture_texts(a)


def test_furniture_spans_are_inside_the_body_and_sorted(lex):
    for a in load_corpus([SEEDS], lexicon=lex).articles:
        prev = a.body_start
        for s, e in a.furniture:
            assert prev <= s < e <= len(a.text)
            prev = e


def test_limits_dataclass_defaults():
    assert Limits().max_article_bytes == 10 * 1024 * 1024
    assert Limits().max_articles == 200_000


@pytest.mark.parametrize(
    "line, furniture",
    [
        ("By Jane Doe and John Roe, Example News", True),
        ("By land and by sea, the troops advanced on the town", False),
        ("Reporting by Jane Doe; Editing by John Roe", True),
        ("Associated Press writer Jane Doe contributed to this report.", True),
        ("Copyright 2019 The Example Press. All rights reserved.", True),
        ("Copyright lawsuits rose sharply last year, the court said.", False),
        ("Share on Facebook", True),
        ("Advertisement", True),
        ("Image copyright Example Agency", True),
        ("We use cookies to improve your experience. Accept", True),
        ("Read more", True),
        ("Related: Another headline about something else", True),
        ("The council said it would read more of the report on Monday.", False),
    ],
)
def test_furniture_line(tmp_path, lex, line, furniture):
    text = "A headline\n\n" + line + "\n\nThe story itself is told in this paragraph, which is not furniture.\n"
    a = one(load_corpus([write(tmp_path / "a.md", text)], lexicon=lex))
    assert (line in furniture_texts(a)) is furniture
    assert "The story itself" not in "".join(furniture_texts(a))


def test_nested_roots_in_any_order(tmp_path, lex):
    write(tmp_path / "outer" / "inner" / "a.md", "Story.\n")
    one_way = load_corpus([tmp_path / "outer", tmp_path / "outer" / "inner"], lexicon=lex)
    other_way = load_corpus([tmp_path / "outer" / "inner", tmp_path / "outer"], lexicon=lex)
    assert [a.id for a in one_way.articles] == [a.id for a in other_way.articles] == ["inner/a"]


# --------------------------------------------------------------------------------------------------
# the fast path for simple front matter reads exactly what YAML reads


def _yaml_front_matter(block: str):
    from checker.corpus import _MetaProblem, _parse_front_matter

    import checker.corpus as corpus_mod

    real = corpus_mod._fast_front_matter
    corpus_mod._fast_front_matter = lambda b: None
    try:
        return _parse_front_matter(block)
    except _MetaProblem as e:
        return ("problem", e.message, e.line)
    finally:
        corpus_mod._fast_front_matter = real


def _front_matter_blocks() -> list[str]:
    from checker.corpus import _split_front_matter

    roots = [ROOT / "fixtures", ECB, ROOT / "tests"]
    out = []
    for root in roots:
        if not root.exists():
            continue
        for f in sorted(root.rglob("*.md")):
            try:
                block, _ = _split_front_matter(f.read_text(encoding="utf-8"))
            except Exception:  # noqa: BLE001 - unreadable test inputs are not front matter
                continue
            if block is not None:
                out.append(block)
    return out


def test_fast_front_matter_equals_yaml_on_the_corpora():
    from checker.corpus import _fast_front_matter

    blocks = _front_matter_blocks()
    fast = 0
    for block in blocks:
        got = _fast_front_matter(block)
        if got is not None:
            fast += 1
            assert got == _yaml_front_matter(block), block
    assert fast >= 5


_TRICKY = [
    "id: a\n", "id: 12\n", "id: 012\n", "id: 0\n", "id: 1_000\n", "id: 0x1f\n", "id: 1:20\n", "id: 1.5\n",
    "published: 2014-05-03\n", "published: 2014-02-30\n", "published: 2014-5-3\n", "published: '2014-05-03'\n",
    "published: 2014-05-03T10:00:00Z\n", "published: 2014-05-03 10:00\n",
    "title: yes\n", "title: Yes\n", "title: no\n", "title: on\n", "title: OFF\n", "title: null\n", "title: Null\n",
    "title: ~\n", "title: y\n", "title: n\n", "title: .inf\n", "title: .nan\n", "title: NaN\n", "title: nan\n",
    "title:\n", "title: \n", "title:   spaced\n", "title: trailing \n", "title: a: b\n", "title: a:b\n", "title: a #b\n",
    "title: a#b\n", "title: C# and F#\n", "title: ends with colon:\n", "title: 'quoted ''inner'' quote'\n",
    "title: 'unclosed\n", "title: 'a' b\n", "title: \"double\"\n", "title: \"with \\\\ escape\"\n", "title: \"a\\nb\"\n",
    "title: \"  lead\"\n", "title: '  lead and trail  '\n", "title: it's fine\n", "title: say \"hi\" now\n",
    "title: a [b] {c}, d\n", "title: [a, b]\n", "title: {a: b}\n", "title: - a\n", "title: &anchor a\n", "title: *alias\n",
    "title: !tag a\n", "title: |\n  block\n", "title: >\n  folded\n", "title: a\n  continued\n", "title: a\ttab\n",
    "title: café — “quotes”\n", "title: a\u2028b\n", "title: a\x85b\n", "title: a\ufeffb\n", "title: a\x7fb\n",
    "on: a\n", "yes: a\n", "key-with-dash: a\n", "_under: a\n", "title: a\nTitle: b\n", "title: a\ntitle: b\n",
    "# comment\ntitle: a\n", "title: a\n\n\nsource: b\n", "   \ntitle: a\n", "title: a\n   \n",
    "url: https://example.org/a?b=c#frag\n", "url: http://x.example/a: b\n", "title: %percent\n", "title: @at\n",
    "title: `tick\n", "title: a %b @c `d\n", "title: ''\n", "title: \"\"\n", "title: '#'\n", "title: a \u00a0b\n",
    "title: <<\n", "title: =\n", "title: a\r\n", "id: 9999999999999999999999\n", "a: 1\nb: 2014-01-01\nc: x y z\n",
]


@pytest.mark.parametrize("block", _TRICKY)
def test_fast_front_matter_accepts_only_what_yaml_reads_the_same(block):
    from checker.corpus import _fast_front_matter

    got = _fast_front_matter(block)
    if got is not None:
        assert got == _yaml_front_matter(block)


def test_fast_front_matter_fuzz():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checker.corpus import _fast_front_matter

    alphabet = st.sampled_from(list("aZy0 1-:#'\"\\,.[]{}&*!|>%@`~\t\u00e9\u2028\x85\ufeff") + ["yes", "no", "2014-05-03", "on"])
    value = st.lists(alphabet, max_size=12).map("".join)
    key = st.sampled_from(["id", "title", "on", "source", "a-b", "Yes", "x"])
    line = st.tuples(key, st.sampled_from([": ", ":", ":  ", " : "]), value).map("".join)

    @settings(max_examples=400, deadline=None, database=None)
    @given(st.lists(line, min_size=1, max_size=4))
    def check(lines):
        block = "\n".join(lines) + "\n"
        got = _fast_front_matter(block)
        if got is not None:
            assert got == _yaml_front_matter(block), block

    check()


def test_furniture_phrases_found_through_short_lines_equal_the_full_search():
    """The short-line prefilter of _phrase_lines finds exactly what searching the whole text finds."""
    from checker.corpus import _body_lines, _patterns, _phrase_lines, _split_front_matter
    from checker.lexicon import load_lexicon

    p = _patterns(load_lexicon())
    assert p.phrases
    phrase = p.phrases[0]
    texts = [
        f"Title\n\n  {phrase.upper()}  \n\nA long paragraph " + "word " * 80 + f"{phrase} in a long line.\n",
        f"{phrase}\n{phrase} {phrase}\n\t{phrase}\t\n" + "x" * (p.phrase_line_max - len(phrase)) + f"{phrase}\n",
        "Ünïcödé ΣΑΣ " + phrase + "\nİstanbul " + phrase.title() + "\n",
        "no phrase at all\n\nshort\n",
    ]
    for root in (ROOT / "fixtures", ECB):
        if root.exists():
            texts += [f.read_text(encoding="utf-8") for f in sorted(root.rglob("*.md"))]
    hits = 0
    for text in texts:
        try:
            _, body = _split_front_matter(text)
        except Exception:  # noqa: BLE001
            body = 0
        full = list(_phrase_lines(text, body, p))
        assert list(_phrase_lines(text, body, p, _body_lines(text, body))) == full
        hits += bool(full)
    assert hits >= 3


def test_a_load_memo_gives_the_articles_reading_gives(tmp_path):
    """Articles read through a memo of an earlier load (hits and misses) equal articles read without it."""
    import shutil

    from checker.corpus import LoadMemo
    from checker.lexicon import load_lexicon

    lexicon = load_lexicon()
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "fixtures" / "seeds", corpus)
    if ECB.exists():
        shutil.copytree(ECB, corpus / "ecb")
    (corpus / "dated.md").write_text("---\nid: dated\npublished: 2014-05-03T10:00:00+02:00\n---\nBody text here.\n", encoding="utf-8")
    (corpus / "naive.md").write_text("---\nid: naive\npublished: '2014-05-03 10:00'\n---\nBody text.\n", encoding="utf-8")
    (corpus / "bad.md").write_text("---\nid: [unclosed\n---\nBody.\n", encoding="utf-8")
    (corpus / "plain.txt").write_text("WASHINGTON (Reuters) - A plain text article without front matter.\n", encoding="utf-8")

    def dump(load):
        return ([a.model_dump_json() for a in load.articles], [e.model_dump_json() for e in load.errors], load.skipped)

    for published in (None, dt.date(2020, 1, 2)):
        plain = dump(load_corpus([corpus], lexicon=lexicon, published=published))
        memo = LoadMemo("test")
        first = dump(load_corpus([corpus], lexicon=lexicon, published=published, memo=memo))
        assert memo.added >= 5 and first == plain
        assert not any("\0bad.md\0" in k for k in memo.entries)  # a file read with an error is not kept
        again = LoadMemo("test", memo.kept())
        second = load_corpus([corpus], lexicon=lexicon, published=published, memo=again)
        assert again.added == 0 and len(again.used) == memo.added and dump(second) == plain
        assert [a for a in second.articles] == load_corpus([corpus], lexicon=lexicon, published=published).articles
    # an edited file is read again; a damaged entry is no entry (a memo is for one configuration: the
    # caller keys it by the options, as the pipeline does)
    memo = LoadMemo("test")
    load_corpus([corpus], lexicon=lexicon, memo=memo)
    (corpus / "dated.md").write_text("---\nid: dated\npublished: 2014-05-04\n---\nOther text.\n", encoding="utf-8")
    entries = dict(memo.kept())
    entries[next(iter(entries))] = ["too", "short"]
    again = LoadMemo("test", entries)
    assert dump(load_corpus([corpus], lexicon=lexicon, memo=again)) == dump(load_corpus([corpus], lexicon=lexicon))
    assert again.added == 2 and again.changed


def test_articles_built_from_the_load_memo_are_those_model_construct_builds() -> None:
    import datetime as dt

    from checker.corpus import _construct_article
    from checker.models import Article

    values = dict(id="quill/one", path="quill/one.md", source="Quill Times", title="Quorvel wins", url=None,
                  published=dt.date(2021, 3, 4), published_at=dt.datetime(2021, 3, 4, 9, 30), published_from="dateline",
                  published_text="March 4", language="en", text="Quorvel won.\n", body_start=0, furniture=((0, 3),),
                  content_hash="ab12", ignored_rules=("spelling",), encoding="utf-8")
    fast, plain = _construct_article(**values), Article.model_construct(**values)
    assert fast == plain and list(fast.__dict__) == list(plain.__dict__)
    assert fast.model_fields_set == plain.model_fields_set and fast.__pydantic_extra__ == plain.__pydantic_extra__
    assert fast.model_dump_json() == plain.model_dump_json()
    assert fast.model_copy(update={"text": "x"}).text == "x" and fast.text == "Quorvel won.\n"
    partial = {k: v for k, v in values.items() if k != "language"}  # not every field: pydantic's own way
    assert _construct_article(**partial) == Article.model_construct(**partial)
