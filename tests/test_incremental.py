"""Incremental runs give the cold run's answer: for every kind of edit, the JSON report of a run that reuses
the stored record equals the report of a run without any cache on the same files."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

import checker.pipeline as pipeline
from checker.cache import DB_NAME
from checker.corpus import load_corpus
from checker.extract import extract_article
from checker.incremental import LINK_KINDS, link_digest
from checker.lexicon import load_lexicon
from checker.link import Linked, link
from checker.models import ArticleFacts
from checker.pipeline import Options, run_check
from checker.resources import bundled_rules_dir
from checker.rules.loader import load_rules

from conftest import write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
UPDATE = "\n\nThis article was updated with additional reporting.\n"


def _articles() -> list[dict]:
    """Every article of the rule cases (each case a small story or two, every rule with findings), ids
    made unique, plus the seed articles."""
    out = []
    for f in sorted((ROOT / "tests" / "rule_cases").glob("*.yml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for k, case in enumerate(data["cases"]):
            for art in case["articles"]:
                out.append({**art, "id": f"{f.stem}-{k}-{art['id']}"})
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("incremental-base")
    corpus = write_corpus(folder / "corpus", _articles())
    for f in SEEDS.iterdir():
        if f.suffix == ".md":
            shutil.copy(f, corpus / f.name)
    return corpus


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture
def corpus(base, tmp_path) -> Path:
    out = tmp_path / "corpus"
    shutil.copytree(base, out)
    return out


@pytest.fixture
def links(monkeypatch):
    """How many times the whole corpus was linked."""
    calls = []
    real = pipeline.link

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(pipeline, "link", counting)
    return calls


def _same_as_cold(corpus: Path, cache: Path) -> pipeline.Report:
    """The run with `cache` (incremental when it can be) against a cold run: one that links and compares
    the whole corpus (its facts come from a cache of their own, which holds no run and no record)."""
    incremental = run_check(Options(paths=[corpus], jobs=1, cache_dir=cache))
    reference = cache.parent / "reference-cache"
    if (reference / DB_NAME).exists():
        with sqlite3.connect(reference / DB_NAME) as conn:
            conn.execute("DELETE FROM runs")
            conn.execute("DELETE FROM incremental")
    cold = run_check(Options(paths=[corpus], jobs=1, cache_dir=reference))
    assert incremental.model_dump_json() == cold.model_dump_json()
    return incremental


def _facts(path: Path, lexicon) -> tuple[str, ArticleFacts]:
    art = load_corpus([path], lexicon=lexicon).articles[0]
    return art.text, extract_article(art, lexicon)


def _edit_span(path: Path, start: int, end: int, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:start] + new + text[end:], encoding="utf-8")


def _articles_with(corpus: Path, lexicon, kind: str) -> list[tuple[Path, ArticleFacts]]:
    out = []
    for f in sorted(corpus.glob("*.md")):
        _, af = _facts(f, lexicon)
        if af.of(kind):
            out.append((f, af))
    return out


def _rule_runs(monkeypatch, scope: str, measure) -> list[int]:
    """What `measure` gives of the context of each run of an incremental re-check's rules of `scope`
    ("story", "entity"), in the order they run (a list filled as the re-check goes)."""
    import checker.incremental as incremental

    seen: list[int] = []
    real = incremental._run_rule

    def recording(rule, ctx, story_of, groups=None):
        if rule.finding_scope == scope:
            seen.append(measure(ctx))
        return real(rule, ctx, story_of, groups)

    monkeypatch.setattr(incremental, "_run_rule", recording)
    return seen


def _warm(corpus: Path, cache: Path) -> pipeline.Report:
    return run_check(Options(paths=[corpus], jobs=1, cache_dir=cache))


# ----------------------------------------------------------------------------------------------
# edits that cannot change linking: the stored link decisions are reused


def test_an_appended_paragraph_reuses_linking(corpus, tmp_path, links):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    assert len(links) == 1
    for f in sorted(corpus.glob("*.md"))[::61]:
        f.write_text(f.read_text(encoding="utf-8") + UPDATE, encoding="utf-8")
        n = len(links)
        _same_as_cold(corpus, cache)
        assert len(links) == n + 1  # the cold run only: the incremental one linked nothing


def test_a_changed_number_reuses_linking_and_gives_the_cold_findings(corpus, tmp_path, links):
    cache = tmp_path / "c"
    before = _warm(corpus, cache)
    edited = 0
    for f in [f for f in before.findings if f.rule == "number-conflict"][:4]:
        c = next((c for c in f.claims if re.search(r"\d", c.span_text)), None)
        if c is None:
            continue
        digit = re.search(r"\d", c.span_text)
        path = Path(c.path)
        _edit_span(path, c.start + digit.start(), c.start + digit.start() + 1, "7" if digit.group(0) != "7" else "3")
        count = len(links)
        after = _same_as_cold(corpus, cache)
        assert len(links) == count + 1  # the cold run only
        edited += 1
    assert edited >= 2
    assert after.findings != before.findings  # the edits changed what the rules say


def test_a_changed_quotation_reuses_linking(corpus, tmp_path, links, lexicon):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    reused = 0
    for f, af in _articles_with(corpus, lexicon, "quote")[:5]:
        q = af.of("quote")[0]
        words = list(re.finditer(r"\b[a-z]{4,}\b", q.text))
        if not words:
            continue
        w = words[-1]
        _edit_span(f, q.start + w.start(), q.start + w.end(), w.group(0)[::-1])
        count = len(links)
        _same_as_cold(corpus, cache)
        reused += len(links) == count + 1
    assert reused >= 1


def test_a_renamed_file_is_rechecked(corpus, tmp_path, links):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    f = sorted(corpus.glob("*.md"))[3]
    f.rename(f.with_name("renamed-" + f.name))  # the id is in the front matter: only the path changes
    report = _same_as_cold(corpus, cache)
    assert any(a.path.endswith("renamed-" + f.name) for a in report.articles)


# ----------------------------------------------------------------------------------------------
# edits that change linking: the corpus is linked again


def test_a_respelled_name(corpus, tmp_path, links, lexicon, monkeypatch):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    # After the relink, the story rules are run on the stories whose inputs changed only.
    seen = _rule_runs(monkeypatch, "story", lambda ctx: len(ctx.facts))
    done = 0
    for f, af in _articles_with(corpus, lexicon, "name")[::5][:4]:
        n = max(af.of("name"), key=lambda n: len(n.text))
        word = max(re.finditer(r"[A-Za-z]{4,}", n.text), key=lambda m: len(m.group(0)), default=None)
        if word is None:
            continue
        w = word.group(0)
        _edit_span(f, n.start + word.start(), n.start + word.end(), w[0] + w[2] + w[1] + w[3:])
        count = len(links)
        _same_as_cold(corpus, cache)
        assert len(links) == count + 2  # relinked, and the cold run
        done += 1
    assert done >= 2
    total = len(list(corpus.glob("*.md")))
    assert seen and min(seen) < total / 4  # the cold runs' contexts hold every article


def test_a_changed_date(corpus, tmp_path, links, lexicon):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    done = 0
    for f, af in _articles_with(corpus, lexicon, "date"):
        d = next((d for d in af.of("date") if re.search(r"\b\d{1,2}\b", d.text)), None)
        if d is None or done == 4:
            continue
        day = re.search(r"\b\d{1,2}\b", d.text)
        new = "2" if day.group(0) != "2" else "3"
        _edit_span(f, d.start + day.start(), d.start + day.end(), new)
        _same_as_cold(corpus, cache)
        done += 1
    assert done >= 2


def test_an_added_and_a_removed_article(corpus, tmp_path, links):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    files = sorted(corpus.glob("*.md"))
    src = files[5].read_text(encoding="utf-8")
    added = re.sub(r"(?m)^id: .*$", "id: added-copy", src, count=1)
    assert added != src
    (corpus / "added-copy.md").write_text(added, encoding="utf-8")
    _same_as_cold(corpus, cache)
    files[8].unlink()
    _same_as_cold(corpus, cache)


def test_a_chain_of_edits_and_back(corpus, tmp_path, links):
    """Each incremental run starts from the previous one's record; going back is a lookup."""
    cache = tmp_path / "c"
    first = _warm(corpus, cache)
    files = sorted(corpus.glob("*.md"))
    originals = {f: f.read_text(encoding="utf-8") for f in files[:3]}
    for f in originals:
        f.write_text(originals[f] + UPDATE, encoding="utf-8")
        _same_as_cold(corpus, cache)
    files[0].write_text(originals[files[0]] + "\n\nOn March 3, 2014, Oriel Quastenbrook spoke to reporters.\n", encoding="utf-8")
    _same_as_cold(corpus, cache)
    for f, text in originals.items():
        f.write_text(text, encoding="utf-8")
    assert _warm(corpus, cache).model_dump_json() == first.model_dump_json()


def test_edits_in_stories_that_a_past_event_joins(corpus, tmp_path, links):
    """A person's conviction years before, told in several stories, is one event of no one story: its
    stories are re-checked together. An appended paragraph still reuses linking; a changed year of that
    conviction relinks; both give the cold run's report."""
    cache = tmp_path / "c"
    _warm(corpus, cache)
    joined = corpus / "date-conflict-21-a.md"
    text = joined.read_text(encoding="utf-8")
    joined.write_text(text + UPDATE, encoding="utf-8")
    n = len(links)
    report = _same_as_cold(corpus, cache)
    assert len(links) == n + 1  # the cold run only
    assert any(f.kind == "date" and len({c.article.rsplit("-", 1)[0] for c in f.claims}) > 1 for f in report.findings)
    year = re.search(r"\b(19|20)\d\d\b", text)
    assert year
    joined.write_text(text[:year.start()] + str(int(year.group()) - 3) + text[year.end():] + UPDATE, encoding="utf-8")
    _same_as_cold(corpus, cache)


def test_a_changed_occupation_gives_the_cold_findings(corpus, tmp_path, links):
    """Occupations are compared per person (an entity rule reading role facts): changing one article's
    trade for a kin or a person gives the cold run's report."""
    cache = tmp_path / "c"
    _warm(corpus, cache)
    done = reused = 0
    for f in sorted(corpus.glob("role-conflict-*.md")):
        text = f.read_text(encoding="utf-8")
        if " a baker" in text:
            f.write_text(text.replace(" a baker", " a tailor"), encoding="utf-8")
            n = len(links)
            _same_as_cold(corpus, cache)
            # ", a baker" after a name is part of the name fact (linking may read it); "His father was a
            # baker" is not: that edit links nothing again
            reused += len(links) == n + 1
            done += 1
    assert done >= 2 and reused >= 1


# ----------------------------------------------------------------------------------------------
# what the early cutoff rests on


def test_link_reads_nothing_outside_the_digest(base, lexicon):
    """Facts that differ only where the digest does not look (a fact's sentence and line, and every fact of
    a kind link does not read) are linked the same way."""
    corpus = load_corpus([base], lexicon=lexicon)
    facts = [extract_article(a, lexicon) for a in corpus.articles]

    def blur(af: ArticleFacts) -> ArticleFacts:
        kept = [f.model_copy(update={"sentence": "?", "line": 999}) for f in af.facts if f.kind in LINK_KINDS]
        return ArticleFacts(article=af.article, sentences=af.sentences, facts=tuple(kept))

    blurred = [blur(af) for af in facts]
    by_id = {a.id: a for a in corpus.articles}
    assert all(link_digest(by_id[a.article], a) == link_digest(by_id[b.article], b) for a, b in zip(facts, blurred))
    one, two = link(corpus.articles, facts, lexicon), link(corpus.articles, blurred, lexicon)

    def decisions(linked):
        return (
            [(e.id, e.etype, e.canonical, [(m.article, m.start) for m in e.mentions]) for e in linked.entities],
            [(v.id, v.type, v.subject, v.articles, v.date, v.parent, [(m.article, m.start, m.date) for m in v.mentions])
             for v in linked.events],
            linked.entity_of, linked.story_of, linked.event_of, linked.background_sentences, linked.story_names, linked.anchors,
        )

    assert decisions(one) == decisions(two)
    assert len(set(one.story_of.values())) > 5 and one.events


def test_a_sentence_opening_that_makes_background_is_seen(lexicon, tmp_path):
    """'Meanwhile, ...' makes a sentence and the one that goes on about it background without changing any
    fact: the incremental run must see it (its figures are no longer the story's) and equal a cold run."""
    story = "Rioters burned cars in Tessaly on Tuesday, police said.\nFive officers were hurt in Tessaly, police said.\n"
    side = "{}four officers were hurt in a clash in Lanvik.\nThey were taken to a hospital.\n"
    corpus = write_corpus(tmp_path / "corpus", [
        {"id": "a", "source": "A", "published": "2014-04-02", "text": story},
        {"id": "b", "source": "B", "published": "2014-04-02", "text": story.replace("Five", "Six") + side.format("Later, ")},
    ])
    cache = tmp_path / "c"
    _warm(corpus, cache)
    f = corpus / "b.md"
    f.write_text(f.read_text(encoding="utf-8").replace("Later, four", "Meanwhile, four"), encoding="utf-8")
    _same_as_cold(corpus, cache)


def test_every_bundled_rule_declares_its_scope():
    for rule in load_rules([bundled_rules_dir()]):
        assert rule.finding_scope in ("story", "entity"), rule.id


def test_recorded_comparison_equals_the_plain_one(base, lexicon):
    from checker.compare import compare
    from checker.incremental import scoped_compare
    from checker.rules.base import Context

    corpus = load_corpus([base], lexicon=lexicon)
    facts = [extract_article(a, lexicon) for a in corpus.articles]
    linked = link(corpus.articles, facts, lexicon)
    rules = load_rules([bundled_rules_dir()])
    ctx = Context(articles={a.id: a for a in corpus.articles}, facts={af.article: af for af in facts}, linked=linked, lexicon=lexicon)
    plain = compare(rules, ctx)
    recorded, scopes = scoped_compare(rules, ctx, linked.story_of)
    assert recorded == plain and len({f.rule for f in plain}) >= 6
    assert scopes is not None and len(scopes) == len(plain)


def test_a_damaged_record_falls_back_to_a_full_run(corpus, tmp_path, links):
    cache = tmp_path / "c"
    _warm(corpus, cache)
    with sqlite3.connect(cache / DB_NAME) as conn:
        assert conn.execute("UPDATE incremental SET data = ?", (b"not zlib",)).rowcount >= 2
    f = sorted(corpus.glob("*.md"))[10]
    f.write_text(f.read_text(encoding="utf-8") + UPDATE, encoding="utf-8")
    count = len(links)
    _same_as_cold(corpus, cache)
    assert len(links) == count + 2  # linked in full, and the cold run
    f.write_text(f.read_text(encoding="utf-8") + UPDATE, encoding="utf-8")
    count = len(links)
    _same_as_cold(corpus, cache)
    assert len(links) == count + 1  # the full run stored a good record again


def test_an_edit_that_recases_an_unchanged_all_caps_article(tmp_path, links):
    """An article in capitals takes its case from the other articles (checker/recase.py): an edit of another
    article can change what is read from it although its file is unchanged; the run still equals a cold one."""
    corpus = write_corpus(tmp_path / "corpus", [
        {"id": "a", "source": "Outlet A", "published": "2021-03-02",
         "text": "Governor Tobin Haile said the new bridge over the river would open on Monday.\n"},
        {"id": "b", "source": "Outlet B", "published": "2021-03-02",
         "text": "GOVERNOR TOBIN HALE SAID THE NEW BRIDGE OVER THE RIVER WOULD OPEN ON MONDAY.\n"},
        {"id": "c", "source": "Outlet C", "published": "2021-03-02",
         "text": "The new bridge over the river would open on Monday, the council said.\n"},
    ])
    cache = tmp_path / "c"
    first = _warm(corpus, cache)
    assert any(f.kind == "spelling" for f in first.findings)
    (corpus / "a.md").unlink()
    report = _same_as_cold(corpus, cache)
    assert not any(f.kind == "spelling" for f in report.findings)
    write_corpus(corpus, [{"id": "a", "source": "Outlet A", "published": "2021-03-02",
                           "text": "Governor Tobin Haile said the new bridge over the river would open on Monday.\n"}])
    assert _same_as_cold(corpus, cache).model_dump_json() == first.model_dump_json()


# ----------------------------------------------------------------------------------------------
# entity rules: a changed article whose part in its entities is unchanged redoes none of them


@pytest.fixture
def rechecked(monkeypatch):
    """The Incremental outcome of each incremental run (None: it linked in full)."""
    import checker.incremental as incremental

    outcomes = []
    real = incremental.try_incremental

    def recording(*a, **k):
        out = real(*a, **k)
        outcomes.append(out)
        return out

    monkeypatch.setattr(incremental, "try_incremental", recording)
    return outcomes


def test_entity_rules_read_nothing_outside_an_entitys_part(base, lexicon):
    """Each entity's findings are the same when each of its articles keeps only its part in it (the
    entity's mentions, the role facts of their full names, id, source, path and publication date, and the
    text as far as the rules' `entity_reach` from those facts): other facts dropped, title and url changed
    and the text past that point replaced."""
    from checker.compare import compare
    from checker.incremental import entity_readers
    from checker.rules.base import Context

    corpus = load_corpus([base], lexicon=lexicon)
    facts = {af.article: af for af in (extract_article(a, lexicon) for a in corpus.articles)}
    linked = link(corpus.articles, list(facts.values()), lexicon)
    rules = [r for r in load_rules([bundled_rules_dir()]) if r.finding_scope == "entity"]
    readers = entity_readers(rules)
    assert readers is not None and {r.kind for r in readers} >= {"spelling", "role"}
    by_id = {a.id: a for a in corpus.articles}
    tails = [", who heads the Varnel Harbour Authority, said Brill.\nDirector Brill of the Osk Water Board.\n", "\n"]
    blurred_texts = found = 0
    for ent in linked.entities:
        if len({m.article for m in ent.mentions}) < 2:
            continue
        one = Linked(entities=[ent], entity_of={}, story_of={}, events=[], event_of={})
        for tail in tails:
            articles, kept = dict(by_id), {}
            for art in {m.article for m in ent.mentions}:
                ms = [m for m in ent.mentions if m.article == art]
                fulls = {m.full for m in ms}
                roles = [r for r in facts[art].of("role") if r.person in fulls or r.owner in fulls]
                a = by_id[art]
                reach = max(r.entity_reach(a.text, f) for r in readers for f in [*ms, *roles])
                text = a.text[:reach] + tail if len(a.text) >= reach else a.text
                blurred_texts += text != a.text
                articles[art] = a.model_copy(update={"text": text, "title": "Other title", "url": "https://example.invalid/x"})
                kept[art] = ArticleFacts(article=art, facts=tuple(sorted([*ms, *roles], key=lambda f: (f.start, f.kind))))
            plain = compare(rules, Context(articles=by_id, facts=facts, linked=one, lexicon=lexicon))
            assert compare(rules, Context(articles=articles, facts=kept, linked=one, lexicon=lexicon)) == plain, ent.canonical
            found += len(plain)
    assert blurred_texts >= 40 and found >= 10


def test_a_roles_reach_past_a_name():
    """The role rule reads a relative clause after a name only when a comma follows it."""
    from checker.models import NameFact

    rule = next(r for r in load_rules([bundled_rules_dir()]) if r.kind == "role")
    text = "They met Lena Fischer, who heads the water authority. Later Lena Fischer  left."
    first, second = (NameFact(article="a", text="Lena Fischer", start=m.start(), end=m.end(), line=1, sentence=text,
                              sentence_index=0, full="Lena Fischer") for m in re.finditer("Lena Fischer", text))
    assert rule.entity_reach(text, first) == first.end + 160
    assert rule.entity_reach(text, second) == second.end + 3  # the spaces and the "l" that ends the match


def test_an_edit_far_from_names_redoes_no_entity(corpus, tmp_path, links, rechecked, lexicon):
    """Text appended past the reach of the entity rules from every name of an article: no entity is redone."""
    from checker.incremental import entity_readers

    cache = tmp_path / "c"
    _warm(corpus, cache)
    readers = entity_readers(load_rules([bundled_rules_dir()]))
    far = []
    for f in sorted(corpus.glob("*.md")):
        text, af = _facts(f, lexicon)
        if af.of("name") and max(r.entity_reach(text, n) for r in readers for n in [*af.of("name"), *af.of("role")]) < len(text):
            far.append(f)
    assert len(far) >= 3
    none_redone = 0
    for f in far[:: max(1, len(far) // 4)][:4]:
        f.write_text(f.read_text(encoding="utf-8") + UPDATE, encoding="utf-8")
        n = len(links)
        _same_as_cold(corpus, cache)
        inc = rechecked[-2]  # the incremental run's (the cold run's is the last)
        assert len(links) == n + 1 and inc is not None  # the cold run only
        none_redone += inc.entities_rechecked == 0
    assert none_redone >= 2


def test_text_a_role_rule_reads_after_a_name_is_rechecked(corpus, tmp_path, links, rechecked):
    """', who heads X' after a name is read by the role rule from the text: changing X (no fact of link's
    changes) redoes the person and gives the cold run's report."""
    cache = tmp_path / "c"
    before = _warm(corpus, cache)
    done = 0
    for f in sorted(corpus.glob("role-conflict-*.md")):
        text = f.read_text(encoding="utf-8")
        if "who heads the regional water authority" in text:
            f.write_text(text.replace("who heads the regional water authority", "who heads the national weather service"),
                         encoding="utf-8")
            after = _same_as_cold(corpus, cache)
            assert rechecked[-2] is not None and rechecked[-2].entities_rechecked >= 1
            done += 1
    assert done >= 1
    assert [f for f in after.findings if f.rule == "role-conflict"] != [f for f in before.findings if f.rule == "role-conflict"]


def test_a_new_name_relinks_and_redoes_only_the_entities_whose_part_changed(corpus, tmp_path, links, lexicon, monkeypatch):
    """A sentence with a new name and a date appended to an article relinks; after it, the entities of that
    article whose part in it is unchanged keep their stored findings (their rules run on fewer entities
    than the article names), and the report is the cold run's."""
    cache = tmp_path / "c"
    _warm(corpus, cache)
    seen = _rule_runs(monkeypatch, "entity", lambda ctx: len(ctx.linked.entities))
    done = 0
    for f, af in _articles_with(corpus, lexicon, "name")[::9]:
        if len({n.full for n in af.of("name")}) < 4 or done == 3:
            continue
        f.write_text(f.read_text(encoding="utf-8") + "\n\nOn March 3, 2014, Oriel Quastenbrook told reporters the talks "
                     "would resume.\n", encoding="utf-8")
        seen.clear()
        n = len(links)
        _same_as_cold(corpus, cache)
        assert len(links) == n + 2  # relinked, and the cold run
        assert min(seen) < len({n.full for n in af.of("name")})
        done += 1
    assert done >= 2
