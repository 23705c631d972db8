"""Property-based tests over random and mutated article text and front matter, through the whole pipeline
(load, extract, link, compare, JSON): no exception escapes, every fact's and claim's offsets lie inside its
text and cut out exactly its span, line numbers match offsets, the text of a .md/.txt article is its file,
and a second run gives the same JSON. The invariants are those of bench/fuzz.py, which runs them at length."""

from __future__ import annotations

import importlib.util
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _fuzz():
    spec = importlib.util.spec_from_file_location("bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz()
TEXTS = FUZZ.load_texts()
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# front matter: known keys with odd values, unknown keys, broken fences
yaml_scalars = st.one_of(
    st.sampled_from(FUZZ.FRONT_VALUES),
    st.text(max_size=30).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'),
    st.integers(-10**6, 10**6).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
)
front_matter = st.lists(st.tuples(st.sampled_from(FUZZ.FRONT_KEYS), yaml_scalars), max_size=6).map(
    lambda kv: "---\n" + "".join(f"{k}: {v}\n" for k, v in kv) + "---\n"
)
fences = st.sampled_from(["", "---\n", "---\nid: x\n", "---\r\nid: y\r\n---\r\n", "\ufeff---\nid: z\n---\n"])
words = st.sampled_from([w for w in FUZZ.JUNK if len(w) < 50] + ["The", "storm", "on", "Monday,", "killed", "5", "people", "officials", "said.", "\n\n"])
random_body = st.lists(st.one_of(words, st.text(max_size=20)), max_size=60).map(" ".join)


@st.composite
def mutated_body(draw: st.DrawFn) -> str:
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    return FUZZ.mutate(rng.choice(TEXTS), rng, TEXTS)


article_body = st.tuples(st.one_of(front_matter, fences), st.one_of(random_body, mutated_body())).map("".join)


def check(bodies: list[str], seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        FUZZ.write_corpus(folder, bodies, random.Random(seed))
        problems = FUZZ.check_corpus(folder, twice=True)
    assert problems == [], "\n".join(problems)


@SETTINGS
@given(st.lists(article_body, min_size=1, max_size=3), st.integers(0, 1000))
def test_random_articles_through_the_whole_pipeline(bodies: list[str], seed: int) -> None:
    check(bodies, seed)


@SETTINGS
@given(st.lists(mutated_body(), min_size=2, max_size=4), st.integers(0, 1000))
def test_mutated_real_articles_through_the_whole_pipeline(bodies: list[str], seed: int) -> None:
    check(bodies, seed)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_mutated_pairs_of_one_story_keep_claims_inside_their_files(seed: int) -> None:
    """Two close variants of one real article: findings (and their claims) are likely, and must point right."""
    rng = random.Random(seed)
    base = rng.choice(TEXTS)
    check([base, FUZZ.mutate(base, rng, [base]), FUZZ.mutate(base, rng, [base])], seed)
