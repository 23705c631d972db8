"""Bad input (issue 7): each case is reported with its path and a clear message, and the rest is still read."""

from __future__ import annotations

import builtins
import codecs
import json
import os
from pathlib import Path

import pytest

import checker.corpus as corpus
from checker.corpus import Limits, is_warning, load_corpus
from checker.lexicon import Lexicon
from tests.conftest import corpus_lexicon

ROOT = Path(__file__).resolve().parent.parent
GOOD = "---\nid: good\n---\nA good article that must still be read.\n"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return corpus_lexicon()


def corpus_with(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """A folder holding one good article and the bad file `name`."""
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    bad = folder / name
    bad.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    return folder


def only_error(load, name: str):
    """The one error of the load; it names the bad file. The good article was read."""
    assert "good" in {a.id for a in load.articles}, load.errors
    assert len(load.errors) == 1, load.errors
    err = load.errors[0]
    assert err.path.endswith("/" + name), err
    return err


def test_invalid_utf8_is_read_with_a_cp1252_fallback_and_a_warning(tmp_path, lex):
    raw = "Caf\u00e9 story, first line.\n".encode() + b"He said \x93hello\x94 to them.\n"
    load = load_corpus([corpus_with(tmp_path, "latin.md", raw)], lexicon=lex)
    err = only_error(load, "latin.md")
    assert is_warning(err)
    assert err.message.startswith("warning: not valid UTF-8") and "cp1252" in err.message
    assert err.line == 2
    article = next(a for a in load.articles if a.id == "latin")
    assert "Café story" in article.text and "\u201chello\u201d" in article.text
    assert article.encoding == "utf-8+cp1252"


def test_utf8_bom_is_stripped_silently(tmp_path, lex):
    raw = codecs.BOM_UTF8 + "---\nid: bom\n---\nBody.\n".encode()
    load = load_corpus([corpus_with(tmp_path, "bom.md", raw)], lexicon=lex)
    assert load.errors == []
    article = next(a for a in load.articles if a.id == "bom")
    assert article.text == "---\nid: bom\n---\nBody.\n" and article.encoding == "utf-8-sig"


def test_utf16_with_bom_is_read(tmp_path, lex):
    raw = "---\nid: wide\n---\nWide body \u00e9.\n".encode("utf-16")
    load = load_corpus([corpus_with(tmp_path, "wide.md", raw)], lexicon=lex)
    assert load.errors == []
    article = next(a for a in load.articles if a.id == "wide")
    assert article.text[article.body_start :] == "Wide body \u00e9.\n" and article.encoding == "utf-16"


def test_utf16_without_bom_is_read_with_a_warning(tmp_path, lex):
    raw = "A body in UTF-16 without its byte order mark.\n".encode("utf-16-le")
    load = load_corpus([corpus_with(tmp_path, "nobom.txt", raw)], lexicon=lex)
    err = only_error(load, "nobom.txt")
    assert is_warning(err) and "UTF-16-LE" in err.message
    assert next(a for a in load.articles if a.id == "nobom").text.startswith("A body in UTF-16")


def test_binary_file_with_a_text_extension_is_not_read(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")], lexicon=lex)
    err = only_error(load, "image.md")
    assert err.message.startswith("binary file (NUL byte at offset") and "not read" in err.message
    assert not is_warning(err)
    assert [a.id for a in load.articles] == ["good"]


def test_empty_file(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "empty.md", b"")], lexicon=lex)
    assert only_error(load, "empty.md").message == "empty file: no article"
    assert [a.id for a in load.articles] == ["good"]


def test_blank_file(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "blank.txt", "\n  \n\t\n")], lexicon=lex)
    assert only_error(load, "blank.txt").message.startswith("no article text")
    assert [a.id for a in load.articles] == ["good"]


def test_only_front_matter(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "meta.md", "---\nid: meta\ntitle: T\n---\n\n")], lexicon=lex)
    assert only_error(load, "meta.md").message == "only front matter, no article text: no article"
    assert [a.id for a in load.articles] == ["good"]


def test_unclosed_front_matter_is_not_read(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "open.md", "---\nid: open\ntitle: T\nThe body.\n")], lexicon=lex)
    err = only_error(load, "open.md")
    assert "never closed" in err.message and err.line == 1
    assert [a.id for a in load.articles] == ["good"]


def test_front_matter_not_a_mapping(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "list.md", "---\n- a\n- b\n---\nThe body.\n")], lexicon=lex)
    err = only_error(load, "list.md")
    assert err.message == "front matter must be a mapping of keys to values, not a list; the article was read without it"
    assert err.line == 2
    article = next(a for a in load.articles if a.id == "list")
    assert article.text[article.body_start :] == "The body.\n"


def test_front_matter_invalid_yaml_names_the_line(tmp_path, lex):
    text = "---\nid: x\ntitle: [unclosed\nsource: S\n---\nThe body.\n"
    load = load_corpus([corpus_with(tmp_path, "syntax.md", text)], lexicon=lex)
    err = only_error(load, "syntax.md")
    assert err.message.startswith("front matter is not valid YAML") and err.line in (3, 4, 5)
    assert "syntax" in {a.id for a in load.articles}


def test_front_matter_wrong_type_names_key_and_line(tmp_path, lex):
    text = "---\nid: wrong\npublished: yesterday\ntitle: [a, b]\n---\nHeadline\nMarch 28, 2018\nBody.\n"
    load = load_corpus([corpus_with(tmp_path, "wrong.md", text)], lexicon=lex)
    errors = {e.line: e for e in load.errors}
    assert set(errors) == {3, 4}
    assert errors[3].message.startswith("front matter key 'published': 'yesterday' is not a date")
    assert errors[4].message == "front matter key 'title' must be text, not a list; ignored"
    assert all(e.path.endswith("/wrong.md") for e in load.errors)
    article = next(a for a in load.articles if a.id == "wrong")
    assert article.title is None
    assert (str(article.published), article.published_from) == ("2018-03-28", "dateline")  # the next source of a date
    assert "good" in {a.id for a in load.articles}


def test_front_matter_nested_too_deeply(tmp_path, lex):
    text = "---\nid: deep\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nThe body.\n"
    load = load_corpus([corpus_with(tmp_path, "deep.md", text)], lexicon=lex)
    assert "nested too deeply" in only_error(load, "deep.md").message


def test_article_over_max_article_bytes_is_not_read(tmp_path, lex, monkeypatch):
    folder = corpus_with(tmp_path, "huge.md", b"")
    with open(folder / "huge.md", "wb") as fh:  # a sparse 50 MB file
        fh.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    real_open = builtins.open

    def spy(path, *args, **kwargs):
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(corpus, "open", spy, raising=False)
    load = load_corpus([folder], lexicon=lex)
    err = only_error(load, "huge.md")
    assert err.message == "file is 52,428,800 bytes, over max_article_bytes (10,485,760): not read"
    assert "huge.md" not in opened  # the size is checked first
    assert [a.id for a in load.articles] == ["good"]


def test_max_article_bytes_is_a_limit(tmp_path, lex):
    folder = corpus_with(tmp_path, "big.md", "x" * 2000 + "\n")
    load = load_corpus([folder], limits=Limits(max_article_bytes=1000), lexicon=lex)
    assert "max_article_bytes (1,000)" in only_error(load, "big.md").message


def test_a_line_of_1mb_without_newline(tmp_path, lex):
    line = ("word " * 210_000)[: 1024 * 1024]
    load = load_corpus([corpus_with(tmp_path, "long.md", "Headline\n" + line)], lexicon=lex)
    assert load.errors == []
    article = next(a for a in load.articles if a.id == "long")
    assert len(article.text) == len("Headline\n") + 1024 * 1024


def test_deeply_nested_json(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "deep.json", "[" * 200_000 + "]" * 200_000)], lexicon=lex)
    assert only_error(load, "deep.json").message == "JSON nested too deeply to read"
    assert [a.id for a in load.articles] == ["good"]


def test_json_without_text(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "notext.json", json.dumps({"title": "T"}))], lexicon=lex)
    assert only_error(load, "notext.json").message == "JSON key 'text' must be a string (missing): no article"


def test_json_list_instead_of_object(tmp_path, lex):
    load = load_corpus([corpus_with(tmp_path, "many.json", json.dumps([{"text": "a"}]))], lexicon=lex)
    assert "use .jsonl" in only_error(load, "many.json").message


def test_jsonl_with_one_broken_line(tmp_path, lex):
    lines = [json.dumps({"text": "One."}), '{"text": "Two', json.dumps({"text": "Three."})]
    load = load_corpus([corpus_with(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")], lexicon=lex)
    err = only_error(load, "feed.jsonl")
    assert err.line == 2 and err.message.startswith("invalid JSON:")
    assert {a.id for a in load.articles} == {"good", "feed.jsonl#1", "feed.jsonl#3"}


def test_jsonl_line_over_the_limit(tmp_path, lex):
    lines = [json.dumps({"text": "One."}), json.dumps({"text": "x" * 5000}), json.dumps({"text": "Three."})]
    folder = corpus_with(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    load = load_corpus([folder], limits=Limits(max_article_bytes=1000), lexicon=lex)
    err = only_error(load, "feed.jsonl")
    assert err.line == 2 and "max_article_bytes (1,000)" in err.message
    assert {a.id for a in load.articles} == {"good", "feed.jsonl#1", "feed.jsonl#3"}


def test_duplicate_ids_are_kept_apart(tmp_path, lex):
    folder = corpus_with(tmp_path, "z/copy.md", "---\nid: good\n---\nAnother article with the same id.\n")
    load = load_corpus([folder], lexicon=lex)
    err = only_error(load, "copy.md")
    assert is_warning(err)
    assert err.message == (
        f"warning: duplicate id 'good' (also the id of {(folder / 'good.md').as_posix()}); "
        "this article is kept apart as 'good~z/copy.md'"
    )
    by_id = {a.id: a for a in load.articles}
    assert set(by_id) == {"good", "good~z/copy.md"}
    assert by_id["good"].path.endswith("/good.md")
    assert by_id["good~z/copy.md"].text.endswith("Another article with the same id.\n")


def test_unreadable_file(tmp_path, lex, monkeypatch):
    folder = corpus_with(tmp_path, "secret.md", "A secret.\n")
    os.chmod(folder / "secret.md", 0)  # does not bite as root: the open is refused below as well
    real_open = builtins.open

    def refuse(path, *args, **kwargs):
        if Path(path).name == "secret.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(corpus, "open", refuse, raising=False)
    load = load_corpus([folder], lexicon=lex)
    assert only_error(load, "secret.md").message == "cannot read: permission denied"
    assert [a.id for a in load.articles] == ["good"]


def test_unreadable_folder(tmp_path, lex, monkeypatch):
    folder = corpus_with(tmp_path, "locked/inner.md", "Inner.\n")
    real_scandir = os.scandir

    def refuse(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(corpus.os, "scandir", refuse)
    load = load_corpus([folder], lexicon=lex)
    assert only_error(load, "locked").message == "cannot read: permission denied"


def test_symlink_loop(tmp_path, lex):
    folder = corpus_with(tmp_path, "sub/a.md", "Article in a sub-folder.\n")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    load = load_corpus([folder], lexicon=lex)
    err = only_error(load, "back")
    assert err.message.startswith("symlink loop")
    assert {a.id for a in load.articles} == {"good", "sub/a"}


def test_self_referencing_symlink(tmp_path, lex):
    folder = corpus_with(tmp_path, "placeholder.txt", "Placeholder.\n")
    (folder / "self.md").symlink_to(folder / "self.md")
    load = load_corpus([folder], lexicon=lex)
    assert only_error(load, "self.md").message.startswith("symlink loop")


def test_broken_symlink(tmp_path, lex):
    folder = corpus_with(tmp_path, "placeholder.txt", "Placeholder.\n")
    (folder / "gone.md").symlink_to(folder / "missing.md")
    load = load_corpus([folder], lexicon=lex)
    assert only_error(load, "gone.md").message.startswith("broken symlink")


def test_folder_with_no_articles(tmp_path, lex):
    empty = tmp_path / "empty"
    (empty / "img").mkdir(parents=True)
    (empty / "img" / "a.png").write_bytes(b"\x89PNG")
    good = corpus_with(tmp_path, "other.md", "Other.\n")
    load = load_corpus([empty, good], lexicon=lex)
    err = only_error(load, "empty")
    assert err.message.startswith("no articles in this folder")
    assert load.skipped == [(empty / "img" / "a.png").as_posix()]
    assert {a.id for a in load.articles} == {"good", "other"}


def test_missing_path(tmp_path, lex):
    good = corpus_with(tmp_path, "other.md", "Other.\n")
    load = load_corpus([tmp_path / "nope", good], lexicon=lex)
    assert only_error(load, "nope").message == "no such file or folder"


def test_explicit_file_that_is_not_an_article(tmp_path, lex):
    good = corpus_with(tmp_path, "other.md", "Other.\n")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF")
    load = load_corpus([pdf, good], lexicon=lex)
    assert only_error(load, "paper.pdf").message.startswith("not an article file")


def test_max_articles_is_reported_not_silent(tmp_path, lex):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.md").write_text(f"Article {i}.\n", encoding="utf-8")
    load = load_corpus([folder], limits=Limits(max_articles=3), lexicon=lex)
    assert [a.id for a in load.articles] == ["0", "1", "2"]
    assert len(load.errors) == 1 and "max_articles (3)" in load.errors[0].message


def test_no_exception_escapes_on_a_mixed_bad_folder(tmp_path, lex):
    folder = tmp_path / "mixed"
    folder.mkdir()
    samples: dict[str, bytes] = {
        "a.md": b"---\n: : :\n---\nx\n",
        "b.md": b"---\n!!python/object/apply:os.system ['echo hi']\n---\nx\n",
        "c.json": b"{\"text\": 5}",
        "d.jsonl": b"\x00\x01\n{\"text\": \"ok\"}\n[1,2]\n",
        "e.txt": b"\xff\xfe\x00",
        "f.md": b"---\npublished: 2019-02-30\n---\nx\n",
        "g.md": b"---\nid: [1]\nurl: 'http://[::1'\n---\nx\n",
        "h.md": b"\r\n\r\n" + b"\xe2\x80" + b"Posted: 03/14/2013\r\nbody\r\n",
    }
    for name, raw in samples.items():
        (folder / name).write_bytes(raw)
    load = load_corpus([folder], lexicon=lex)
    assert load.errors  # every problem is an entry ...
    for a in load.articles:  # ... and what was read is consistent
        for s, e in a.furniture:
            assert a.body_start <= s < e <= len(a.text)


# ---- property: whatever the bytes, no exception escapes and what is read is consistent

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [
        "---\n", "id: a\n", "published: yesterday\n", "published: 2019-07-23\n", "title: [x\n", "- a\n",
        "Skip to content\n", "Dear Reader,\n", "Thank you,\n", "Leave a Reply\n", "Related Content\n",
        "March 28, 2018 21:09\n", "Posted: 03/14/2013 06:37: 46 AM PDT\n", "(photo credit: X)", "\r\n", "\n",
        "<!-- crosscheck-ignore a b -->", "Click here>>", "The story goes on.", "\ufeff", "\u0130", "\x00",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=30),
    tail=st.binary(max_size=20),
    suffix=st.sampled_from([".md", ".txt", ".json", ".jsonl"]),
)
def test_any_input_loads_without_exception(tmp_path_factory, lex, parts, tail, suffix):
    folder = tmp_path_factory.mktemp("prop")
    raw = "".join(parts).encode("utf-8", errors="surrogatepass") + tail
    (folder / f"x{suffix}").write_bytes(raw)
    a1 = load_corpus([folder], lexicon=lex)
    a2 = load_corpus([folder], lexicon=lex)
    assert a1 == a2  # deterministic
    assert a1.articles or a1.errors
    for err in a1.errors:
        assert err.path.endswith(f"/x{suffix}") and err.message
    for art in a1.articles:
        assert 0 <= art.body_start <= len(art.text)
        prev = art.body_start
        for s, e in art.furniture:
            assert prev <= s < e <= len(art.text)
            prev = e


def test_file_name_that_is_not_utf8(tmp_path, lex):
    folder = corpus_with(tmp_path, "placeholder.txt", "Placeholder.\n")
    with open(os.fsencode(folder) + b"/caf\xe9.md", "wb") as fh:
        fh.write(b"A story.\n")
    load = load_corpus([folder], lexicon=lex)
    assert load.errors == []
    article = next(a for a in load.articles if a.id.startswith("caf"))
    assert article.id == "caf\\xe9" and article.path.endswith("/caf\\xe9.md")
    article.model_dump_json()  # printable: no lone surrogates reach the reports


def test_an_unexpected_failure_is_reported_for_that_file_only(tmp_path, lex, monkeypatch):
    folder = corpus_with(tmp_path, "boom.md", "A story.\n")
    real = corpus._Loader._load_text

    def explode(self, f, *args):
        if f.path.name == "boom.md":
            raise KeyError("simulated bug")
        return real(self, f, *args)

    monkeypatch.setattr(corpus._Loader, "_load_text", explode)
    load = load_corpus([folder], lexicon=lex)
    assert only_error(load, "boom.md").message == "could not be read (KeyError: 'simulated bug')"
