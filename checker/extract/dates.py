"""Temporal expressions: find them with regexes built from the date lexicon, normalize TimeML-style.

Candidates come from our own patterns (never from a free-text date parser); each pattern kind has
an acceptance guard (is this really temporal here?) and a normalizer (its TimeML value against the
publication date or against the previous date in the text). All word lists live in
rules/lexicon/dates.yml.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from checker import fastre
from checker.lexicon import Lexicon


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str | None
    timex_type: str
    resolved: bool
    anchor: str
    note: str | None = None
    weekday_conflict: str | None = None


NO_PUBLICATION = "unresolved: no publication date"
# A day and month written without a year, in an article without a publication date, that took its year
# from the previous date in the text ("In 1966 ... on Nov. 17"); linking may give it the story's year.
YEAR_FROM_PREVIOUS = "year from the previous date"
# "two days later", "the next day" with no earlier date in the text: counted from publication, and said so
FROM_PUBLICATION = "approximate: relative to an earlier date the text does not give; counted from publication"

# ---------------------------------------------------------------------------------------------
# calendar arithmetic


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _shift(d: dt.date, gran: str, n: float) -> dt.date:
    n = int(n) if float(n).is_integer() else n
    if gran == "D":
        return d + dt.timedelta(days=n)
    if gran in ("W", "WE"):
        return d + dt.timedelta(weeks=n)
    if gran == "M":
        return _add_months(d, int(n))
    if gran == "Q":
        return _add_months(d, int(3 * n))
    if gran == "H":
        return _add_months(d, int(6 * n))
    if gran in ("Y", "S"):
        return _add_months(d, int(12 * n))
    if gran == "DE":
        return _add_months(d, int(120 * n))
    if gran == "CE":
        return _add_months(d, int(1200 * n))
    raise ValueError(gran)


# granularities from fine to coarse
_GRAN_RANK = {"D": 0, "W": 1, "WE": 1, "M": 2, "S": 3, "Q": 3, "H": 4, "Y": 5, "DE": 6, "CE": 7}


def _fmt(d: dt.date, gran: str) -> str:
    if gran == "D":
        return d.isoformat()
    if gran in ("W", "WE"):
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}" + ("-WE" if gran == "WE" else "")
    if gran == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "Q":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "H":
        return f"{d.year:04d}-H{1 if d.month <= 6 else 2}"
    if gran == "Y":
        return f"{d.year:04d}"
    if gran == "DE":
        return f"{d.year // 10:03d}"  # TimeML: a decade is its first three digits ("the 1990s": 199)
    if gran == "CE":
        return f"{d.year // 100:02d}"
    raise ValueError(gran)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if dt.date(year, month, d).weekday() == weekday]
    return dt.date(year, month, days[nth - 1] if nth > 0 else days[nth])


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _pick(cands: list[Any], ref: Any, tense: str | None, close: Any = None) -> Any:
    """The candidate a year-less date means: the last one not after `ref` in the past tense, the
    first one not before it in the future tense, else the nearest; one within `close` of `ref` wins."""
    nearest = min(cands, key=lambda c: abs(c[0] - ref))
    if close is not None and abs(nearest[0] - ref) <= close:
        return nearest[1]
    if tense == "past":
        le = [c for c in cands if c[0] <= ref]
        if le:
            return max(le)[1]
    if tense == "future":
        ge = [c for c in cands if c[0] >= ref]
        if ge:
            return min(ge)[1]
    return min(cands, key=lambda c: abs(c[0] - ref))[1]


# ---------------------------------------------------------------------------------------------
# the grammar: regexes compiled from the lexicon


def _alt(words: Any, cap: bool = False) -> str:
    """A regex alternation of `words`, longest first; `cap`: only Capitalized or UPPER forms.

    Written as a trie where that matches the same (checker.fastre), else as the plain alternation."""
    words = sorted({str(w) for w in words}, key=len, reverse=True)
    if not words:
        return "(?!)"
    if cap:
        forms: list[str] = []
        for w in words:
            for f in (w[:1].upper() + w[1:], w.title(), w.upper()):
                if f not in forms:
                    forms.append(f)
        trie = fastre.trie(forms, cased=True)
        return "(?-i:" + (trie if trie is not None else "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)) + ")"
    trie = fastre.trie(words, cased=False)
    return "(?:" + (trie if trie is not None else "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)) + ")"


_SPACES = fastre.lazy(r"\s+")


@lru_cache(maxsize=1 << 14)
def _key(s: str) -> str:
    """A phrase as the grammar's tables spell it: lowercase, single spaces, no final period (pure, and
    asked of the same few words again and again: cached)."""
    return _SPACES.sub(" ", s.strip().lower()).rstrip(".")


# the tokens that windows are counted in: runs of letters, runs of digits
_RUN = fastre.lazy(r"[^\W\d_]+|\d+")
# the parts of a run written in camel case ("foundMarch")
_CAMEL = fastre.lazy(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _digits(n: int) -> str:
    """The trigger name of a run of `n` digits."""
    return f"<digits:{n}>"


def _head_word(phrase: str) -> str:
    """The word a phrase is found by: its longest run of letters."""
    runs = [r for r in _RUN.findall(phrase.lower()) if not r.isdigit()]
    if not runs:
        raise ValueError(f"a date phrase without letters: {phrase!r}")
    return max(runs, key=len)


class _Grammar:
    def __init__(self, lex: Lexicon) -> None:
        g = lex.get
        self.months: dict[str, int] = {k.lower(): int(v) for k, v in (g("date_months") or {}).items()}
        self.month_names: list[str] = list(g("date_month_names") or [])
        self.full_month_names = {w.lower() for w in self.month_names}
        self.ambiguous_months = {w.lower() for w in g("date_ambiguous_months") or []}
        self.month_context = [w.lower() for w in g("date_month_context_before") or []]
        self.month_name_after_re = fastre.lazy(r"\s+(?:" + _alt(g("date_month_name_after") or []) + r")\s+[A-Z]")
        self.weekdays: dict[str, int] = {k.lower(): int(v) for k, v in (g("date_weekdays") or {}).items()}
        self.wd_abbrevs = {w.lower() for w in g("date_weekday_abbrevs") or []}
        self.weekday_names: list[str] = list(g("date_weekday_names") or [])
        self.wd_title_after = [w.lower() for w in g("date_weekday_title_after") or []]
        self.wd_title_before = [w.lower() for w in g("date_weekday_title_before") or []]
        self.rel_days: dict[str, int] = {k.lower(): int(v) for k, v in (g("date_relative_days") or {}).items()}
        self.rel_days.update({_key(k): int(v) for k, v in (g("date_day_before_after") or {}).items()})
        self.rel_day_parts: dict[str, str] = {k.lower(): v for k, v in (g("date_relative_day_parts") or {}).items()}
        self.parts: dict[str, str] = {_key(k): v for k, v in (g("date_day_parts") or {}).items()}
        self.deictic_parts: dict[str, int] = {_key(k): int(v) for k, v in (g("date_deictic_day_parts") or {}).items()}
        self.deictic: dict[str, int] = {_key(k): int(v) for k, v in (g("date_deictic") or {}).items()}
        self.deictic_prev = {_key(w) for w in g("date_deictic_previous") or []}
        self.mods = [_key(w) for w in g("date_modifiers") or []]
        units = g("date_units") or {}
        self.units: dict[str, dict[str, Any]] = {k.lower(): dict(v) for k, v in units.items()}
        self.unit_plurals: dict[str, str] = {k.lower(): v.lower() for k, v in (g("date_unit_plurals") or {}).items()}
        for u in list(self.units):
            self.unit_plurals.setdefault(u + "s", u)
        self.nontime_after = {w.lower() for w in g("date_duration_nontime_after") or []}
        self.approx = [_key(w) for w in g("date_approx_words") or []]
        self.approx_after = [_key(w) for w in g("date_approx_after_words") or []]
        self.dur_openers = [_key(w) for w in g("date_duration_openers") or []]
        self.dur_approx = [_key(w) for w in g("date_duration_approx_words") or []]
        self.unit_qualifiers = [_key(w) for w in g("date_unit_qualifiers") or []]
        self.numbers: dict[str, float] = {_key(k): float(v) for k, v in (g("date_number_words") or {}).items()}
        self.vague = [_key(w) for w in g("date_vague_numbers") or []]
        self.ordinals: dict[str, int] = {_key(k): int(v) for k, v in (g("date_ordinals") or {}).items()}
        self.half_ordinals: dict[str, int] = {_key(k): int(v) for k, v in (g("date_half_ordinals") or {}).items()}
        self.part_of_other_re = fastre.lazy(r"\s+(?:" + _alt(g("date_part_of_other") or []) + r")(?!\w)", re.I)
        self.period_current = [_key(w) for w in g("date_period_current") or []]
        self.year_ago_adj = [_key(w) for w in g("date_year_ago_adjectives") or []]
        self.same_period = [_key(w) for w in g("date_same_period_words") or []]
        self.year_back = [_key(w) for w in g("date_year_back_phrases") or []]
        self.year_back_possessive = [_key(w) for w in g("date_year_back_possessives") or []]
        self.period_back_units = [_key(w) for w in g("date_period_back_units") or []]
        self.fiscal = [_key(w) for w in g("date_fiscal_cues") or []]
        self.seasons: dict[str, dict[str, Any]] = {k.lower(): dict(v) for k, v in (g("date_seasons") or {}).items()}
        self.season_context = [_key(w) for w in g("date_season_context_before") or []]
        self.ago: dict[str, int] = {_key(k): int(v) for k, v in (g("date_ago_words") or {}).items()}
        self.earlier_later: dict[str, int] = {_key(k): int(v) for k, v in (g("date_earlier_later_words") or {}).items()}
        self.before_after = {_key(w) for w in g("date_before_after_words") or []}
        self.refs: dict[str, str] = {_key(k): v for k, v in (g("date_references") or {}).items()}
        self.ref_needs = {_key(k): [_key(x) for x in v] for k, v in (g("date_reference_needs_following") or {}).items()}
        self.ref_blocked = {_key(k): [_key(x) for x in v] for k, v in (g("date_reference_blocked_after") or {}).items()}
        self.ref_past_present_before = [_key(w) for w in g("date_reference_past_present_before") or []]
        self.ref_blocked_before = {_key(k): [_key(x) for x in v] for k, v in (g("date_reference_blocked_before") or {}).items()}
        self.ref_before_amount = {_key(w) for w in g("date_reference_opens_amount") or []}
        self.vague_plurals = [_key(w) for w in g("date_vague_plural_units") or []]
        self.vague_plural_before = [_key(w) for w in g("date_vague_plural_before") or []]
        self.sets: dict[str, str] = {_key(k): v for k, v in (g("date_sets") or {}).items()}
        self.ordinal_units = {_key(w) for w in g("date_ordinal_units") or []}
        self.ordinal_unit_ok_before = [_key(w) for w in g("date_ordinal_unit_ok_before") or []]
        self.fraction_units = {_key(w) for w in g("date_fraction_units") or []}
        self.modal_refs = {_key(k): v for k, v in (g("date_after_modal") or {}).items()}
        self.modals = [_key(w) for w in g("date_modals") or []]
        self.thousand_words = [_key(w) for w in g("date_thousand_words") or []]
        self.oh_words = [_key(w) for w in g("date_oh_words") or []]
        fixed = g("date_fixed_durations") or {}
        self.fixed_durations = {_key(k): v["value"] for k, v in fixed.items()}
        self.fixed_duration_after = {_key(k): [_key(w) for w in v.get("after", [])] for k, v in fixed.items()}
        self.fixed_duration_before = {_key(k): [_key(w) for w in v.get("before", [])] for k, v in fixed.items()}
        self.weekend_words = [_key(w) for w in g("date_weekend_words") or []]
        self.weekend_before = [_key(w) for w in g("date_weekend_context_before") or []]
        self.year_end_words = [_key(w) for w in g("date_year_end_words") or []]
        self.part_day_units = [_key(w) for w in g("date_relative_part_units") or []]
        # the unit of one day (code D, not a clock unit): what a part of a day counts as
        # kinds whose previous-date anchor is only a preference: a day of the month alone ("on the 14th")
        # is as well read in the month of publication
        self.own_month_kinds = {"day_ordinal"}
        self.day_unit = next((k for k, v in self.units.items() if v.get("code") == "D" and not v.get("time")), "")
        self.period_edge_words = [_key(w) for w in g("date_period_edge_words") or []]
        self.period_edge_units = [_key(w) for w in g("date_period_edge_units") or []]
        self.since_words = [_key(w) for w in g("date_since_words") or []]
        self.day_range_connectors = [_key(w) for w in g("date_day_range_connectors") or []]
        self.set_coordinators = [_key(w) for w in g("date_set_coordinators") or []] or ["(?!)"]
        self.week_of_re = fastre.lazy(r"(?<!\w)(?:" + _alt(g("date_week_of") or []) + r")\s+$", re.I)
        # an amount or a plural count right before "a year": a rate ("$5m a year", "700 seats a week")
        amount = r"(?:\d[\d,.]*|\b" + _alt(g("date_amount_words") or []) + r")"
        self.amount_re = fastre.lazy(amount + r"\s*(?:[a-z]{1,2}\b|%|(?:\s+of)?\s+[a-z]{2,}s)?\s*$", re.I)
        self.set_adjectives = {_key(w) for w in g("date_set_adjectives") or []}
        self.set_adverb_followers = {_key(w) for w in g("date_set_adverb_followers") or []}
        self.period_latest = {_key(w) for w in g("date_period_latest") or []}
        self.period_end_re = fastre.lazy(r"\s+(?:" + _alt(g("date_period_end_words") or []) + r")\s+", re.I)
        self.stretch_words = {_key(w) for w in g("date_stretch_words") or []}
        self.stretch_before = [_key(w) for w in g("date_stretch_before") or []]
        self.next_with_the = {_key(w) for w in g("date_next_with_the") or []}
        self.day_around = {_key(k): int(v) for k, v in (g("date_day_around") or {}).items()}
        # the same words right before a day ("the day before last <weekday>'s hearing"): one expression
        self.day_around_before_re = re.compile(r"(?<!\w)(?P<da>" + _alt(self.day_around) + r")\s+$", re.I) if self.day_around else None
        self.month_verb_after = {_key(w) for w in g("date_month_verb_after") or []}
        self.year_comparison_words = {_key(w) for w in g("date_year_comparison_words") or []}
        self.articles = {_key(w) for w in g("date_articles") or []}
        self.articles_the = {_key(w) for w in g("date_definite_articles") or []}
        self.article_numbers = self.articles | {_key(w) for w in g("date_article_numbers") or []}
        self.duration_bad_openers = {_key(w) for w in g("date_duration_bad_openers") or []}
        self.duration_ordinal_openers = {_key(w) for w in g("date_duration_ordinal_openers") or []}
        self.part_units = [_key(w) for w in g("date_part_units") or []]
        self.period_units = [_key(w) for w in g("date_period_units") or []]
        self.month_span_units = [_key(w) for w in g("date_month_span_units") or []]
        self.century_words = [_key(w) for w in g("date_century_words") or []]
        self.century_ordinals = {_key(k): int(v) for k, v in (g("date_century_ordinals") or {}).items()}
        self.generic_nouns = {_key(w) for w in g("date_generic_nouns") or []}
        self.generic_refs = {_key(k): v for k, v in (g("date_generic_day_refs") or {}).items()}
        self.every_words = [_key(w) for w in g("date_every_words") or []]
        self.clause_periods = {_key(k): v for k, v in (g("date_clause_end_periods") or {}).items()}
        self.clause_period_before = [_key(w) for w in g("date_clause_period_before") or []]
        self.set_needs_amount = {_key(w) for w in g("date_set_needs_amount") or []}
        self.set_amount_words = [_key(w) for w in g("date_set_amount_words") or []]
        self.holidays: dict[str, dict[str, Any]] = {_key(k): dict(v) for k, v in (g("date_holidays") or {}).items()}
        self.holiday_week_words = [_key(w) for w in g("date_holiday_week_words") or []]
        self.month_year_gap_re = fastre.lazy(r"^,?\s+(?:(?:" + _alt(g("date_month_year_gap_words") or []) + r")\s+)?$", re.I)
        self.holiday_close = dt.timedelta(days=int(g("date_holiday_close_days") or 0))
        self.decade_words: dict[str, int] = {k.lower(): int(v) for k, v in (g("date_decade_words") or {}).items()}
        yr = g("date_year_range") or {"from": 1900, "to": 2099}
        self.year_lo, self.year_hi = int(yr["from"]), int(yr["to"])
        self.year_context = [_key(w) for w in g("date_year_context_before") or []]
        self.year_blocked_after = {w.lower() for w in g("date_year_blocked_after") or []}
        self.year_blocked_before = [_key(w) for w in g("date_year_blocked_before") or []]
        self.year_ok_after = [_key(w) for w in g("date_year_after_the_ok") or []]
        self.close_days = int(g("date_close_days") or 60)
        self.times_of_day: dict[str, str] = {_key(k): v for k, v in (g("date_times_of_day") or {}).items()}
        self.am = [w.lower() for w in g("date_am_words") or []]
        self.pm = [w.lower() for w in g("date_pm_words") or []]
        self.zones = [w for w in g("date_time_zones") or []]
        self.connectors = [w for w in g("date_time_connectors") or []]
        self.future_re = fastre.lazy(r"(?<![\w'])" + _alt(g("date_future_cues") or []) + r"(?!\w)", re.I)
        past_suffix = "|".join(re.escape(s) for s in g("date_past_suffixes") or []) or "(?!)"
        self.reporting = {w.lower() for w in g("date_reporting_verbs") or []}
        self.past_re = fastre.lazy(r"(?<![\w'])(?:(?P<strong>" + _alt(g("date_past_cues") or []) + r")|[a-z]{2,}(?:" + past_suffix + r"))(?!\w)", re.I)
        self.past_auxiliaries = {w.lower() for w in g("date_past_auxiliaries") or []}
        self.participle_after = {w.lower() for w in g("date_participle_after") or []}
        # a relative clause set off by commas (", which ... ,"): its tense is its own, not the main clause's
        rel_pronouns = g("date_relative_pronouns") or []
        self.relative_clause_re = fastre.lazy(r",\s*(?:" + _alt(rel_pronouns) + r")(?!\w)[^,;]*,", re.I) if rel_pronouns else fastre.lazy(r"(?!)")
        self.ahead_re = fastre.lazy(r"(?<![\w'])" + _alt(g("date_weekday_ahead_cues") or []) + r"(?!\w)", re.I)
        self.present_re = fastre.lazy(r"(?<![\w'])" + _alt(g("date_present_cues") or []) + r"(?!\w)", re.I)
        self.present_reach = int(g("date_present_reach") or 30)
        self.past_preps = {w.lower() for w in g("date_past_prepositions") or []}
        self.future_preps = {w.lower() for w in g("date_future_prepositions") or []}
        span_num = r"(?P<n>\d+|" + _alt([w for w in self.numbers if " " not in w]) + r")"
        self.month_span_re = fastre.lazy(r"(?<![\w-])" + span_num + r"[\s-]+" + _alt(self.month_span_units) + r"(?!\w)", re.I)
        self._compile()

    # -- patterns ---------------------------------------------------------------------------
    def _compile(self) -> None:
        I = re.I
        full_months = {w.lower() for w in self.month_names}
        MON = (r"(?P<mon>" + _alt([w for w in self.months if w in full_months], cap=True) + r"(?!\w)|"
               + _alt([w for w in self.months if w not in full_months], cap=True) + r"(?!\w)\.?)")
        full_wd = [w for w in self.weekdays if w not in self.wd_abbrevs]
        WDANY = r"(?P<wd>" + _alt(self.weekdays, cap=True) + r")(?!\w)\.?"
        WDFULL = r"(?P<wd>" + _alt(full_wd, cap=True) + r")(?!\w)"
        # a weekday before a part of day in the plural ("<weekday> nights"), or joined to another that is
        # ("<weekday> and <weekday> nights"): a recurring time, a SET
        plural_part = r"(?P<pp>" + _alt(self.parts) + r")s(?!\w)"
        self.plural_part_re = re.compile(r"\s+" + plural_part, I)
        self.plural_part_coord_re = re.compile(r"\s*(?:" + _alt(self.set_coordinators) + r")\s+" + _alt(full_wd, cap=True) + r"\s+" + plural_part, I)
        DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\w|:\d)"
        # a second day joined to the first (month-day-and-day, day-and-day-month): date_day_range_connectors
        CONJ = r"(?:\s*(?:" + "|".join(re.escape(c) for c in self.day_range_connectors if not c[:1].isalpha()) + r")\s*|\s+(?:" + _alt([c for c in self.day_range_connectors if c[:1].isalpha()]) + r")\s+)"
        DAY2 = r"(?:" + CONJ + r"(?P<day2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w%]|:\d|[.,]\d))?"
        DAY0 = r"(?:(?P<day0>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?" + CONJ + r")?"
        YEAR = r"(?P<year>(?:1[0-9]|20)\d\d|['’]\d\d)(?![\d%])"
        MODS = _alt(self.mods)
        DEI = _alt(self.deictic)
        singular_units = list(self.units)
        UNIT = r"(?P<unit>" + _alt(singular_units + list(self.unit_plurals)) + r")(?!\w)"
        UNIT1 = r"(?P<unit>" + _alt(singular_units) + r")(?!\w)"
        UNIT1P = r"(?P<unit>" + _alt(singular_units + self.part_day_units) + r")(?!\w)"
        tens = [w for w, v in self.numbers.items() if v >= 20 and v % 10 == 0 and v < 100]
        ones = [w for w, v in self.numbers.items() if 1 <= v <= 9 and w not in self.articles]
        NUMW = r"(?:" + _alt(tens) + r"(?:[\s-]" + _alt(ones) + r")?|" + _alt(self.numbers) + r")"
        cent_words = [w for w, v in self.numbers.items() if v in (19, 20)]
        teens = [w for w, v in self.numbers.items() if 10 <= v <= 19]
        two_words = [w for w, v in self.numbers.items() if v == 2 and " " not in w]
        ones_o = [f"{o} {w}" for o in self.oh_words for w in ones] + [f"{o}-{w}" for o in self.oh_words for w in ones]
        NUM = r"(?P<n>\d+(?:\.\d+)?(?:\s+1/2)?|" + NUMW + r"(?:\s+and\s+a\s+half)?|" + _alt(self.vague) + r")"
        APPROX = r"(?:(?P<approx>" + _alt(self.approx) + r")\s+)?"
        OPEN = r"(?:(?P<open>" + _alt(self.dur_openers) + r")\s+)?"
        SEAS = r"(?P<season>" + _alt(self.seasons) + r")(?!\w)"
        AMPM = r"(?P<ap>" + _alt(self.am + self.pm) + r")(?![\w])\.?"
        TZ = r"(?:\s*(?P<tz>(?-i:" + "|".join(re.escape(z.upper()) for z in self.zones) + r"|" + "|".join(re.escape(z) for z in self.zones) + r"))(?:[+-]\d\d?(?::?\d\d)?)?(?!\w))?"
        ORD = r"(?P<ord>" + _alt([w for w in self.ordinals if w != "last"] + list(self.half_ordinals)) + r")"
        QUNIT = r"(?P<qunit>" + _alt(self.part_units) + r")(?!\w)"
        REL_YEAR = r"(?P<yrel>" + _alt([f"{d} year" for d in self.deictic] + ["the year"]) + r")"
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            ("iso", fastre.lazy(r"(?<![\d-])(?P<y>(?:1[5-9]|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)(?::[0-5]\d)?)?(?![\d-])")),
            ("numeric", fastre.lazy(r"(?<![\d/.,$])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")),
            ("mdy", fastre.lazy(r"(?:(?<!\w)|(?<=[a-z])(?=[A-Z][a-z]))(?:" + WDANY + r",?\s+|(?P<rel>" + DEI + r")\s+)?" + MON + r"\s*(?:-\s*)?" + DAY + DAY2 + r"(?:(?:,?\s*|\s*-\s*)" + YEAR + r"|-(?P<yy>\d\d)(?![\d:]))?", I)),
            ("dmy", fastre.lazy(r"(?<!\w)(?:" + WDANY + r",?\s+)?(?:the\s+)?" + DAY0 + DAY + r"(?:\s+of)?\s+" + MON + r"(?:,?\s*" + YEAR + r")?", I)),
            ("my", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")[\s-]+)?" + MON + r",?\s+(?:of\s+)?" + YEAR, I)),
            ("month_relyear", fastre.lazy(r"(?<!\w)" + MON + r",?\s+(?P<yrel>" + DEI + r")\s+year(?!\w)", I)),
            ("month", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")[\s-]+)?(?:(?P<rel>" + DEI + r")\s+)?" + MON, I)),
            ("decade", fastre.lazy(r"(?<!\w)(?:the\s+)?(?:(?P<mod>" + MODS + r")[\s-]+)?(?P<dec>(?:1[0-9]|20)\d0|['’]\d0)['’]?s(?!\w)", I)),
            ("decade_word", fastre.lazy(r"(?<!\w)(?:the\s+)?(?:(?P<mod>" + MODS + r")[\s-]+)?(?P<decw>" + _alt(self.decade_words) + r")(?!\w)", I)),
            ("century", fastre.lazy(r"(?<!\w)(?:the\s+)?(?:(?P<mod>" + MODS + r")[\s-]+)?(?:(?P<c>\d{1,2})(?:st|nd|rd|th)|(?P<cw>" + _alt(self.century_ordinals) + r"))[\s-]+" + _alt(self.century_words) + r"(?!\w)", I)),
            ("year", fastre.lazy(r"(?<!\w)(?:(?P<pre>" + _alt(self.fiscal + self.mods + ["post", "pre", "the year", "year"]) + r")[\s-]*)?(?<![\d$£€.,/:])(?<!\d-)(?P<year>(?:1[0-9]|20)\d\d)(?:-(?P<y2>\d\d))?(?![\d%/]|[.,]\d|:\d|\s?-\s?\d)", I)),
            ("numyear", fastre.lazy(r"(?<!\w)(?:the\s+year\s+)?(?P<nw>(?P<cent>" + _alt(cent_words) + r")[\s-]+(?P<rest>" + _alt(tens) + r"(?:[\s-]" + _alt(ones) + r")?|" + _alt(teens) + r"|" + _alt(ones_o) + r")|(?P<two>" + _alt(two_words) + r")\s+(?P<thou>" + _alt(self.thousand_words) + r")(?:(?:\s+and)?[\s-]+(?P<rest2>" + _alt(ones + teens) + r"))?)(?!\w)", I)),
            ("fy", fastre.lazy(r"(?<!\w)(?-i:FY)\s?(?P<year>(?:19|20)?\d\d)(?!\d)", I)),
            ("quarter", fastre.lazy(r"(?<!\w)(?:(?P<the>the)\s+)?(?:(?P<yr>" + YEAR + r"|" + _alt([f"{d} year's" for d in self.deictic] + ["the year's"]) + r")\s+|(?P<yago>" + _alt(self.year_ago_adj) + r")\s+)?(?:(?:fiscal|calendar)\s+)?" + ORD + r"(?:\s+|(?P<hy>-))(?:fiscal\s+|calendar\s+)?" + QUNIT + r"(?:\s+of\s+(?:(?:fiscal|calendar)\s+)?(?:(?P<yr2>(?:1[0-9]|20)\d\d)(?!\d)|" + REL_YEAR + r"))?", I)),
            ("qcode", fastre.lazy(r"(?<!\w)(?-i:Q)(?P<q>[1-4])(?:\s*(?P<year>(?:19|20)\d\d))?(?!\w)")),
            ("hcode", fastre.lazy(r"(?<!\w)(?-i:H)(?P<h>[12])\s*(?P<year>(?:19|20)\d\d)(?!\w)")),
            ("dotted", fastre.lazy(r"(?<![\d.,$])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d\d)(?![\d.]\d)")),
            ("ymd_slash", fastre.lazy(r"(?<![\d/])(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])")),
            ("day_ordinal", fastre.lazy(r"(?<=\bon\s)the\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)(?!\w)(?!\s+(?:of\s+)?" + _alt(self.months, cap=True) + r")", I)),
            ("day_around", fastre.lazy(r"(?<!\w)(?P<da>" + _alt(self.day_around) + r")(?=\s*[,.;:)]|\s*$)", I)),
            ("period_ref", fastre.lazy(r"(?<!\w)(?:(?P<the>the)\s+)?(?:(?P<cur>" + _alt(self.period_current) + r")|(?P<ago>" + _alt(self.year_ago_adj) + r"))(?:\s+(?:(?:" + _alt(self.fiscal) + r")\s+)?(?P<punit>" + _alt(self.period_units) + r"))?(?!\w)", I)),
            ("period_back", fastre.lazy(r"(?<!\w)(?:(?:(?P<the>the)\s+)?(?:(?P<cmp>" + _alt(self.same_period) + r")\s+)?(?:fiscal\s+)?(?P<punit>" + _alt(self.period_back_units) + r")\s+(?:of\s+)?(?P<yback>" + _alt(self.year_back) + r")|(?P<yrs>" + _alt(self.year_back_possessive) + r")\s+(?:fiscal\s+)?(?P<punit2>" + _alt(self.period_back_units) + r"))(?!\w)", I)),
            ("the_quarter", fastre.lazy(r"(?<!\w)the\s+(?:fiscal\s+)?(?P<punit>quarter)(?!\w)", I)),
            ("holiday", fastre.lazy(r"(?<!\w)(?:(?P<rel>" + DEI + r")\s+)?(?P<hol>" + _alt(self.holidays) + r")(?!\w)(?:\s+(?P<hweek>" + _alt(self.holiday_week_words) + r")(?!\w))?(?:,?\s+" + YEAR + r")?", I)),
            ("season", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")[\s-]+)?(?:(?P<rel>" + DEI + r")\s+|(?P<the>the)\s+)?" + SEAS + r"(?:\s+(?:of\s+)?" + YEAR + r")?", I)),
            ("relday", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")\s+)?(?P<rd>" + _alt(self.rel_days) + r")(?!\w)(?:\s+(?P<part>" + _alt(self.parts) + r")(?!\w))?", I)),
            ("deictic_part", fastre.lazy(r"(?<!\w)(?P<rel>" + _alt(self.deictic_parts) + r")\s+(?P<part>" + _alt(self.parts) + r")(?!\w)", I)),
            ("weekday", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")\s+)?(?:(?:the\s+)?(?P<rel>" + DEI + r")\s+)?" + WDFULL + r"(?:['’]s)?(?:\s+(?P<part>" + _alt(self.parts) + r")(?!\w))?", I)),
            ("relunit", fastre.lazy(r"(?<!\w)(?:(?P<mod>" + MODS + r")\s+)?(?:(?P<the>the)\s+)?(?P<rel>" + DEI + r")\s+(?:(?:" + _alt(self.fiscal) + r")\s+)?" + UNIT1P, I)),
            ("fixed_duration", fastre.lazy(r"(?<!\w)(?P<fd>" + _alt(self.fixed_durations) + r")(?!\w)", I)),
            ("year_period", fastre.lazy(r"(?<!\w)the\s+(?P<year>(?:19|20)\d\d)\s+(?:fiscal\s+)?(?:quarter|period)(?!\w)", I)),
            ("every", fastre.lazy(r"(?<!\w)(?P<every>" + _alt(self.every_words) + r")\s+(?:(?P<wd>" + _alt(full_wd, cap=True) + r")|(?P<mon>" + _alt([w for w in self.months if w in full_months], cap=True) + r")|(?P<unit>" + _alt(singular_units) + r"))(?!\w)", I)),
            ("clause_period", fastre.lazy(r"(?<!\w)(?P<cp>" + _alt(self.clause_periods) + r")(?![\w'’-])", I)),
            ("weekend", fastre.lazy(r"(?<!\w)the\s+(?P<we>" + _alt(self.weekend_words) + r")(?!\w)", I)),
            ("year_end", fastre.lazy(r"(?<!\w)(?P<ye>" + _alt(self.year_end_words) + r")(?!\w)", I)),
            ("period_edge", fastre.lazy(r"(?<!\w)(?P<edge>" + _alt(self.period_edge_words) + r")\s+the\s+(?P<punit>" + _alt(self.period_edge_units) + r")(?![\w'’-])", I)),
            ("ago", fastre.lazy(r"(?<!\w)" + APPROX + NUM + r"(?:\s+|\s*-\s*)" + UNIT + r"(?:,?\s+" + _alt(self.approx_after) + r",?)?\s+(?P<dir>" + _alt(list(self.ago) + list(self.earlier_later)) + r")(?!\w)", I)),
            ("duration", fastre.lazy(r"(?<!\w)(?:(?P<approx>" + _alt(self.dur_approx) + r")\s+)?" + OPEN + NUM + r"(?:\s+|\s*-\s*)(?:(?P<qual>" + _alt(self.unit_qualifiers) + r")\s+)?" + UNIT + r"(?:-long(?!\w))?", I)),
            ("vague_plural", fastre.lazy(r"(?<=\b)(?P<pre>" + _alt(self.vague_plural_before) + r")\s+(?P<unit>" + _alt(self.vague_plurals) + r")(?!\w)", I)),
            ("ref", fastre.lazy(r"(?<![\w-])(?P<ref>" + _alt(self.refs) + r")(?![\w-])", I)),
            ("set", fastre.lazy(r"(?<![\w-])(?P<set>" + _alt(self.sets) + r")(?![\w-])", I)),
            ("clock", fastre.lazy(r"(?:(?<=(?:19|20)\d\d\.)|(?<![\d:.,$]))(?P<h>[01]?\d|2[0-4])(?:\s?:\s?(?P<mi>[0-5]\d)(?:\s?:\s?(?P<s>[0-5]\d))?(?:\s*" + AMPM + r")?|\.(?P<mi2>[0-5]\d)\s*" + AMPM.replace("?P<ap>", "?P<ap2>") + r"|\s*" + AMPM.replace("?P<ap>", "?P<ap3>") + r")" + TZ + r"(?![\d:])", I)),
            ("timeword", fastre.lazy(r"(?<!\w)(?P<tw>" + _alt(self.times_of_day) + r")(?!\w)", I)),
        ]
        conn = "|".join(re.escape(c) for c in sorted(self.connectors, key=len, reverse=True))
        self.connector_re = fastre.lazy(r"^\s*(?:(?:" + conn + r")\s*)?$", re.I)
        self._compile_triggers(full_wd, cent_words)
        # each pattern without case folding for the lowercased text, where that matches the same
        self.uncased = fastre.UncasedForms(dict(self.patterns))  # worked out when first asked for
        tense = fastre.UncasedForms({"future": self.future_re, "present": self.present_re, "past": self.past_re})
        self.tense_low = tense.get

    @property
    def future_low(self) -> re.Pattern[str] | None:
        return self.tense_low("future")

    @property
    def present_low(self) -> re.Pattern[str] | None:
        return self.tense_low("present")

    @property
    def past_low(self) -> re.Pattern[str] | None:
        return self.tense_low("past")

    def _compile_triggers(self, full_wd: list[str], cent_words: list[str]) -> None:
        """For each pattern, the words one of which every match of it contains (its triggers).

        A pattern runs only in windows of text around its triggers (see _all_candidates); a
        multi-word phrase triggers on its longest word, digits on the length of their run.
        """
        units = list(self.units) + list(self.unit_plurals)
        needs: dict[str, list[Any]] = {
            # digits by the length of their run: a day or an hour has one or two, a year four
            **{k: [_digits(1), _digits(2)] for k in ("numeric", "dotted", "day_ordinal", "clock")},
            **{k: [_digits(4)] for k in ("iso", "year", "ymd_slash", "year_period")},
            "decade": [_digits(2), _digits(4)],       # 1990s, '90s
            "century": self.century_words,
            # the letters written in these patterns: FY89, Q3, H1 1990
            "fy": ["fy"], "qcode": ["q"], "hcode": ["h"],
            **{k: list(self.months) for k in ("mdy", "dmy", "my", "month_relyear", "month")},
            "decade_word": list(self.decade_words),
            "numyear": cent_words + self.thousand_words,
            "quarter": self.part_units,
            "day_around": list(self.day_around),
            "period_ref": self.period_current + self.year_ago_adj,
            "the_quarter": ["quarter"],
            "period_back": self.period_back_units,
            "holiday": list(self.holidays),
            "season": list(self.seasons),
            "relday": list(self.rel_days),
            "deictic_part": list(self.parts),
            "weekday": full_wd,
            "relunit": list(self.units) + self.part_day_units,
            "fixed_duration": list(self.fixed_durations),
            "every": self.every_words,
            "clause_period": list(self.clause_periods),
            "weekend": self.weekend_words,
            "year_end": self.year_end_words,
            "period_edge": self.period_edge_units,
            "ago": units,
            "duration": units,
            "vague_plural": self.vague_plurals,
            "ref": list(self.refs),
            "set": list(self.sets),
            "timeword": list(self.times_of_day),
        }
        missing = {k for k, _ in self.patterns} - set(needs)
        if missing:
            raise ValueError(f"date patterns without triggers: {sorted(missing)}")
        self.triggers: dict[str, set[str]] = {}
        for kind, phrases in needs.items():
            for ph in phrases:
                head = ph if str(ph).startswith("<digits") else _head_word(str(ph))
                self.triggers.setdefault(head, set()).add(kind)
        # what a run of n digits triggers
        self.digit_triggers = [self.triggers.get(_digits(n)) for n in range(12)]


@lru_cache(maxsize=8)
def _grammar(lex: Lexicon) -> _Grammar:
    """The compiled grammar of a lexicon (lexicons are cached objects: one grammar each)."""
    return _Grammar(lex)


# ---------------------------------------------------------------------------------------------
# acceptance guards: is the candidate temporal in this context?


_BEFORE_WORD = fastre.lazy(r"[\w$£€¥#'’.-]+")
_NEXT_WORD = fastre.lazy(r"[\s-]*([\w'’]+)")
_NEXT_WORDS = fastre.lazy(r"[\w'’-]+")


def _word_before(text: str, start: int, n: int = 3) -> str:
    """Up to `n` words before `start`, lower-cased, joined by single spaces."""
    chunk = text[max(0, start - 60):start]
    words = _BEFORE_WORD.findall(chunk)
    return " ".join(words[-n:]).lower()


def _ends_with_phrase(before: str, phrases: Any) -> bool:
    return any(before == p or before.endswith(" " + p) for p in phrases)


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text[end:end + 40])
    return m.group(1).lower() if m else ""


def _next_words(text: str, end: int, n: int = 2) -> str:
    return " ".join(w.lower() for w in _NEXT_WORDS.findall(text[end:end + 60])[:n])


# an opening quotation mark right before an expression
_OPEN_QUOTE = fastre.lazy(r"(?:``|[\"“‘'])$")
# "quarter-to-quarter", "year-to-year": a comparison, no period of its own
_TO_SAME = fastre.lazy(r"-to-[a-z]", re.I)


def _quoted_title(text: str, s: int, e: int) -> bool:
    """Two or more words, each capitalized, right after an opening quote: a title ("This Week")."""
    words = re.findall(r"[^\W\d_]+", text[s:e])
    return len(words) >= 2 and all(w[0].isupper() for w in words) and bool(_OPEN_QUOTE.search(text[max(0, s - 2):s]))


def _accept(g: _Grammar, kind: str, m: re.Match[str], text: str) -> bool:
    s, e = m.start(), m.end()
    before = _word_before(text, s)
    nxt = _next_word(text, e)
    if kind in ("relunit", "relday", "weekday", "period_ref", "the_quarter", "month", "season", "holiday") and _quoted_title(text, s, e):
        return False
    if kind in ("relunit", "period_ref", "the_quarter") and _TO_SAME.match(text, e):
        return False
    if kind == "my" and (nxt in g.year_blocked_after or nxt.rstrip("s") in g.year_blocked_after):
        return False  # "In January, 2000 people marched": a count, not the year
    if kind == "month":
        mon = _key(m.group("mon"))
        if mon not in g.full_month_names and not m.group("mon").endswith("."):
            return False  # "Jan" alone, without its period, is a name
        if not m.group("mod") and not m.group("rel") and g.month_name_after_re.match(text, e):
            return False  # "the March of the Veterans": a name
        if mon in g.ambiguous_months and not m.group("mod") and not m.group("rel"):
            if not _ends_with_phrase(before, g.month_context):
                return False
            if nxt in g.month_verb_after:
                return False  # "... may be", "... may not": the verb
        if m.group("mon").rstrip(".").isupper() and len(m.group("mon").rstrip(".")) > 1 and not m.group("mod") and not m.group("rel"):
            # an all-caps month alone is a date only after a date context word
            if not _ends_with_phrase(before, g.month_context):
                return False
        return True
    if kind == "weekday":
        wdtxt = m.group("wd")
        follow = re.match(r"(?:['’]s)?\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)", text[m.end("wd"):m.end("wd") + 40])
        if follow and (follow.group(1).split()[0].lower() in g.wd_title_after or follow.group(1).lower() in g.wd_title_after):
            return False
        if _ends_with_phrase(before, g.wd_title_before):
            return False
        return bool(wdtxt)
    if kind == "year":
        y = int(m.group("year"))
        pre = m.group("pre")
        if pre:
            return True
        nextw = nxt.rstrip("s") if nxt.endswith("s") and nxt[:-1] in g.year_blocked_after else nxt
        if nxt in g.year_blocked_after or nextw in g.year_blocked_after:
            return False
        if not (g.year_lo <= y <= g.year_hi) and not _ends_with_phrase(before, g.year_context):
            return False
        if text[max(0, s - 1):s] in ("$", "#", "£", "€", "¥"):
            return False
        last = before.split(" ")[-1] if before else ""
        if last in g.year_blocked_before or _ends_with_phrase(before, g.year_blocked_before):
            if last == "the" and (nxt in g.year_ok_after or _next_words(text, e) in g.year_ok_after):
                return True
            if last in g.year_comparison_words and _ends_with_phrase(before, g.year_context):
                return True
            return False
        return True
    if kind == "season":
        if m.group("rel") or m.group("year") or m.group("mod"):
            return True
        return _ends_with_phrase(before, g.season_context) if m.group("the") else False
    if kind in ("duration", "ago"):
        if nxt in g.nontime_after:
            return False
        n = _key(m.group("n"))
        if kind == "duration" and n in g.article_numbers and not m.group("open") and not m.groupdict().get("approx"):
            unit = _key(m.group("unit"))
            # "a year" after an amount is a SET ("$5 a year"); "one day" alone is vague
            if _ends_with_phrase(before, g.set_amount_words) or g.amount_re.search(text[max(0, s - 40):s]):
                return False
            if unit in g.ordinal_units and n in g.article_numbers and not _ends_with_phrase(before, g.ordinal_unit_ok_before):
                return False  # "a second" is mostly the ordinal
        unit = g.unit_plurals.get(_key(m.group("unit")), _key(m.group("unit")))
        if unit in g.fraction_units and (nxt == "of" or re.match(r"-\w", text[e:e + 2])):
            return False  # "a quarter of the market"
        if unit in g.fraction_units and re.search(r"-\s*$", text[m.start("n"):m.start("unit")]) and not re.match(r"\d", n):
            return False  # "three-quarters" is a fraction
        if re.match(r"\d", n) and text[max(0, s - 1):s] in ("$", "£", "€", "#"):
            return False
        if re.fullmatch(r"(?:1[5-9]|20)\d\d", n):
            return False  # "the 1988 quarter" is a year, not 1988 quarters
        if re.match(r"\d", n) and m.group("unit")[:1].isupper() and not m.group("unit").isupper():
            return False  # "60 Minutes": a title
        if kind == "ago" and _key(m.group("dir")) in g.before_after:
            after = text[m.end():m.end() + 3]
            if after[:1] not in (".", ",", ";", ")", "") and not after.startswith("\n"):
                return False  # "two days before the vote": a duration and a signal
        return True
    if kind == "ref":
        ref = _key(m.group("ref"))
        if ref in g.ref_needs:
            allowed = g.ref_needs[ref]
            nx = _next_words(text, e, 2)
            if not any(nx == a or nx.startswith(a + " ") for a in allowed):
                return False
        if ref in g.ref_blocked and nxt in g.ref_blocked[ref]:
            return False
        if ref in g.ref_blocked_before and _ends_with_phrase(before, g.ref_blocked_before[ref]):
            return False  # "from now" belongs to "two weeks from now"
        if ref in g.ref_before_amount and (nxt.isdigit() or nxt in g.numbers or nxt in g.vague):
            return False  # "the past three summers": an amount of time follows, "the past" is no reference of its own
        return True
    if kind == "set":
        st = _key(m.group("set"))
        if st in g.set_adjectives and re.match(r"[A-Za-z]", nxt) and nxt not in g.set_adverb_followers:
            return False  # "the daily newspaper": an adjective, not a recurrence
        if st in g.set_needs_amount:
            return bool(_ends_with_phrase(before, g.set_amount_words) or g.amount_re.search(text[max(0, s - 40):s]))
        return True
    if kind == "clock":
        has_ap = m.group("ap") or m.group("ap2") or m.group("ap3")
        if not has_ap and m.group("mi") is None:
            return False
        if not has_ap and not m.group("tz"):
            # "21:09" alone: a time only when followed by nothing numeric-looking (scores, ratios)
            if re.match(r"\s*(?:-|to|\d)", text[e:e + 4]):
                return False
        return True
    if kind == "clause_period":
        # "for the year." at a clause end, or "for the year" / "earlier in the year" before anything
        # but the date that closes a fiscal year ("for the year ended March 31" is a duration)
        if re.match(r"\s*[,.;:]", text[e:e + 3]):
            return True
        cp = _key(m.group("cp"))
        closing = g.fixed_duration_after.get(cp) or g.fixed_duration_after.get("the year") or []
        return _ends_with_phrase(before, g.clause_period_before) and nxt not in closing
    if kind == "timeword":
        return True
    if kind == "relday":
        # "USA Today", "VOA Today": a capitalized day word right after a capitalized word, mid-sentence, is a name
        word = m.group("rd")
        prev = re.search(r"(?:^|[^\w.!?:;\"'`“‘])\s*([A-Z](?:[\w.&-]*[\w&-])?)\s+$", text[max(0, s - 40):s])
        return not (word[:1].isupper() and not word.isupper() and not m.group("mod") and prev is not None)
    if kind == "weekend":
        return _ends_with_phrase(before, g.weekend_before)
    if kind == "fixed_duration":
        fd = _key(m.group("fd"))
        after, before_ok = g.fixed_duration_after.get(fd), g.fixed_duration_before.get(fd)
        if after and nxt not in after:
            return False
        if before_ok and not _ends_with_phrase(before, before_ok):
            return False
        return True
    if kind == "numyear":
        unit = g.unit_plurals.get(nxt, nxt)
        return unit not in g.units
    if kind == "holiday":
        return m.group("hol")[:1].isupper()
    if kind == "decade_word":
        return bool(m.group(0).lower().startswith("the") or m.group("mod"))
    if kind == "century":
        # "Twentieth Century Fox", "21st Century Insurance": a capitalized century before a name is a name
        return not (text[e - 1:e].isalpha() and re.search(r"[A-Z]\w*$", text[s:e]) and re.match(r"\s+[A-Z]", text[e:e + 2]))
    if kind == "vague_plural":
        return True
    return True


# ---------------------------------------------------------------------------------------------
# tense around an expression


# a sentence or clause end: not the dot of "U.S." or "Mr."
# A run of whitespace after a sentence's end ("ab." / "ab.”" / "1." / ";"), or a newline. Written to open on
# the whitespace (each lookbehind also reaching over the first space), which lets the regex engine skip
# ahead to whitespace: the same matches as r"(?:(?<=[a-z]{2}[.!?])|(?<=[a-z]{2}[.!?][\"'”’])|(?<=\d[.!?])|(?<=;))\s+|\n",
# several times faster.
_SENTENCE_END = fastre.lazy(r"\s(?:(?:(?<=[a-z]{2}[.!?]\s)|(?<=[a-z]{2}[.!?][\"'”’]\s)|(?<=\d[.!?]\s)|(?<=;\s))\s*|(?<=\n))")


def _tense(g: _Grammar, text: str, start: int, end: int) -> str | None:
    """'future' or 'past' from the verbs around an expression in its sentence, or None."""
    return _tense_cue(g, text, start, end)[0]


def _cues(regex: re.Pattern[str], uncased: re.Pattern[str] | None, chunk: str, low: str | None) -> Iterator[re.Match[str]]:
    """regex.finditer(chunk), or its uncased form's on the lowercased chunk: the same offsets."""
    return uncased.finditer(low) if uncased is not None and low is not None else regex.finditer(chunk)


def _tense_cue(g: _Grammar, text: str, start: int, end: int, preps: bool = True) -> tuple[str | None, bool]:
    """The tense around an expression, and whether only a weak cue says so.

    Strong cues (auxiliaries, future phrases, irregular past forms) beat weak ones (a word in -ed,
    a preposition like "until" right before the expression); nearer beats farther, and words
    before the expression count more than words after it. `preps=False`: the verbs alone ("by the
    end of the month, it had fallen" is past whatever "by" says).
    """
    lo = max(0, start - 120)
    cuts = list(_SENTENCE_END.finditer(text, lo, start))
    left = text[cuts[-1].end() if cuts else lo:start]
    if "," in left:
        # a relative clause set off by commas before the expression has its own tense ("The sale,
        # which had been expected, is part of a plan to repay the loan by <month>"): blanked out when
        # a verb follows it (else its second comma only parts a list inside it: "who left as chair,
        # president and chief in <month>")
        def blank(r: re.Match[str]) -> str:
            rest = left[r.end():]
            main_verb = g.future_re.search(rest) or g.past_re.search(rest) or g.present_re.search(rest)
            return " " * len(r.group(0)) if main_verb else r.group(0)
        left = g.relative_clause_re.sub(blank, left)
    # searched in the text itself, so that the sentence's last word counts ("... the weekend. The")
    m = _SENTENCE_END.search(text, end, end + 80)
    right = text[end:m.start() if m else end + 80]
    best: dict[int, tuple[int, str]] = {}
    # the nearest auxiliary after the expression ("had", "was", "will"): the tense of a clause's verb
    verb_after: tuple[int, str] | None = None

    def consider(tier: int, dist: int, label: str) -> None:
        if tier not in best or dist < best[tier][0]:
            best[tier] = (dist, label)

    for side, chunk in (("l", left), ("r", right)):
        shift = 0 if side == "l" else 2
        # the cue patterns on the chunk lowercased where their uncased forms match the same: only
        # offsets, whether "strong" matched and the lowercased word are read from a match
        low = fastre.lowered(chunk)
        for mm in _cues(g.future_re, g.future_low, chunk, low):
            dist = len(chunk) - mm.end() if side == "l" else mm.start()
            consider(shift, dist, "future")
            if side == "r" and (verb_after is None or dist < verb_after[0]):
                verb_after = (dist, "future")
        for mm in _cues(g.present_re, g.present_low, chunk, low):
            # a scheduled present just before ("the trial begins Monday") points ahead, weakly
            dist = len(chunk) - mm.end()
            if side == "l" and dist <= g.present_reach:
                consider(1, dist, "future")
        for mm in _cues(g.past_re, g.past_low, chunk, low):
            word = mm.group(0).lower()
            if word in g.reporting and side == "l":
                continue  # "said on Monday that ... in March": the report, not the event
            dist = len(chunk) - mm.end() if side == "l" else mm.start()
            # a participle after a form of "be" or "have" is no past tense of its own
            pre = re.findall(r"[\w']+", chunk[:mm.start()])[-1:]
            if pre and pre[0].lower() in g.participle_after and word not in g.past_auxiliaries:
                continue
            strong = mm.group("strong") or word in g.reporting  # "In May, it announced ..."
            consider(shift + (0 if strong else 1), dist + 1, "past")
            if side == "r" and word in g.past_auxiliaries and (verb_after is None or dist < verb_after[0]):
                verb_after = (dist, "past")
    # the word before the expression, looking past a clock time ("until 9 a.m. Tuesday")
    prep = re.search(r"([\w-]+)\s+(?:[\d:.]+\s*(?:[ap]\.?\s?m\b\.?)?\s*(?:[A-Z]{2,4}\s+)?)?$", left)
    prep_label = None
    if preps and prep and prep.group(1).lower() in g.future_preps:
        prep_label = "future"
    elif preps and prep and prep.group(1).lower() in g.past_preps:
        prep_label = "past"
    if prep_label is not None and 0 not in best and verb_after is not None and verb_after[1] != prep_label:
        # a preposition only bounds a stretch of time ("until Thursday"); the tense of the clause's
        # own verb says which side of now it lies ("Until Thursday, they had not named him")
        return verb_after[1], False
    if prep_label is not None:
        consider(1, -1, prep_label)
    for tier in (0, 1, 2, 3):
        if tier in best:
            return best[tier][1], tier in (1, 3)
    return None, False


# ---------------------------------------------------------------------------------------------
# normalization


@dataclass
class _Ctx:
    text: str
    published: dt.date | None
    g: _Grammar
    prev: tuple[dt.date, str] | None = None      # last resolved calendar date and its granularity
    last_quarter: dt.date | None = None
    fell_back: bool = False                       # the expression wanted a previous date and had none


@dataclass
class _Norm:
    value: str | None
    timex_type: str = "DATE"
    anchor: str = "absolute"
    resolved: bool = True
    note: str | None = None
    conflict: str | None = None
    start: int | None = None   # span adjustments
    end: int | None = None
    point: tuple[dt.date, str] | None = None
    extra: tuple[tuple[int, int, str | None], ...] = ()   # more days in one phrase (month-day-and-day)


def _period_end(g: _Grammar, text: str, pos: int, ref: dt.date) -> dt.date | None:
    """The first day of the calendar quarter that holds most of the three months closed by
    "ended <month> <day>" right after `pos`, if written (its middle month: "ended July 31" is Q2)."""
    m = g.period_end_re.match(text, pos)
    if not m:
        return None
    mdy = dict(g.patterns)["mdy"].match(text, m.end())
    if not mdy:
        return None
    mo = g.months[_key(mdy.group("mon"))]
    y = _year_of(mdy.group("year"), ref) if mdy.group("year") else (ref.year if mo <= ref.month else ref.year - 1)
    middle = _add_months(dt.date(y, mo, 1), -1)
    return dt.date(middle.year, (middle.month - 1) // 3 * 3 + 1, 1)


def _note_quarter(ctx: _Ctx, d: dt.date) -> None:
    """Remember the quarter a story reports on: the first one named, then the latest one named that
    is over by publication. An earlier one is a comparison ("after a flat second quarter"), one not
    yet over a forecast; neither changes what "the period" or "a year ago" refer to."""
    over = ctx.published is None or _add_months(d, 3) <= ctx.published
    if ctx.last_quarter is None or (over and d > ctx.last_quarter):
        ctx.last_quarter = d


def _month_span_in_sentence(g: _Grammar, text: str, start: int) -> bool:
    """A stretch of months other than a quarter counted earlier in the sentence ("For the nine months,
    ... a year earlier"): what a comparison there refers to, a period no quarter or half names."""
    lo = max(0, start - 200)
    cuts = list(_SENTENCE_END.finditer(text, lo, start))
    left = text[cuts[-1].end() if cuts else lo:start]
    for mm in g.month_span_re.finditer(left):
        n = _num(g, mm.group("n"))
        if n is not None and n not in (3, 12):
            return True
    return False


def _clock(ctx: _Ctx, hhmm: str) -> _Norm:
    """A clock time on the day of the previous date in the text, else of publication."""
    if ctx.prev is not None and ctx.prev[1] == "D":
        return _Norm(f"{ctx.prev[0].isoformat()}{hhmm}", "TIME", "previous")
    if ctx.published is not None:
        return _Norm(f"{ctx.published.isoformat()}{hhmm}", "TIME", "publication")
    return _Norm(f"XXXX-XX-XX{hhmm}", "TIME", "none", False, NO_PUBLICATION)


def _unresolved(timex_type: str = "DATE", anchor: str = "none") -> _Norm:
    return _Norm(None, timex_type, anchor, False, NO_PUBLICATION)


def _year_of(tok: str, ref: dt.date | None) -> int:
    tok = tok.strip("'’")
    if len(tok) == 2:
        y = int(tok)
        return 2000 + y if y < 50 else 1900 + y
    return int(tok)


def _num(g: _Grammar, tok: str) -> float | None:
    k = _key(tok)
    if k in (v for v in g.vague):
        return None
    k = re.sub(r"\s+and\s+a\s+half$", "", k)
    half = 0.5 if k != _key(tok) else 0.0
    if re.fullmatch(r"\d+(?:\.\d+)?", k):
        return float(k) + half
    m = re.fullmatch(r"(\d+)\s+1/2", k)
    if m:
        return float(m.group(1)) + 0.5
    if k in g.numbers:
        return g.numbers[k] + half
    parts = re.split(r"[\s-]+", k)
    if all(p in g.numbers for p in parts):
        return sum(g.numbers[p] for p in parts) + half
    return None


def _unit(g: _Grammar, tok: str) -> tuple[str, dict[str, Any]]:
    k = _key(tok)
    k = g.unit_plurals.get(k, k)
    return k, g.units[k]


def _dur_value(g: _Grammar, n: float | None, unit: str) -> str:
    info = g.units[unit]
    code = info["code"]
    times = info.get("times", 1)
    if code == "WE":
        code, times = "D", 2
    prefix = "PT" if info.get("time") else "P"
    if n is None:
        return f"{prefix}X{code}"
    total = n * times
    if not float(total).is_integer():
        # a fraction goes down one unit: 2 1/2 years is P2Y6M, 5 1/2 hours PT5H30M
        smaller = {"Y": ("M", 12), "M": ("D", 30) if prefix == "P" else ("S", 60), "W": ("D", 7),
                   "D": ("H", 24), "H": ("M", 60), "Q": ("M", 3)}.get(code)
        if smaller:
            whole, rest = int(total), round((total % 1) * smaller[1])
            lead = f"{whole}{code}" if whole else ""
            if code == "D":
                return f"P{lead}T{rest}H"
            return f"{prefix}{lead}{rest}{smaller[0]}"
        return f"{prefix}{total:g}{code}"
    return f"{prefix}{int(total)}{code}"


def _gran_of_unit(unit_info: dict[str, Any]) -> str:
    code = unit_info["code"]
    times = unit_info.get("times", 1)
    if code == "Y" and times == 10:
        return "DE"
    if code == "Y" and times >= 100:
        return "CE"
    return {"D": "D", "W": "W", "WE": "WE", "M": "M", "Q": "Q", "Y": "Y"}.get(code, "D")


def _weekday_date(wd: int, ref: dt.date, direction: int | None, tense: str | None) -> dt.date:
    back = (ref.weekday() - wd) % 7
    ahead = (wd - ref.weekday()) % 7
    if direction == -1:
        return ref - dt.timedelta(days=back or 7)
    if direction == 1:
        return ref + dt.timedelta(days=ahead or 7)
    if direction == 0:
        return ref + dt.timedelta(days=ahead) if tense != "past" else ref - dt.timedelta(days=back)
    if tense == "future":
        return ref + dt.timedelta(days=ahead or 7)
    return ref - dt.timedelta(days=back)


def _conflict(g: _Grammar, d: dt.date, wd_text: str | None) -> str | None:
    if not wd_text:
        return None
    wd = g.weekdays.get(_key(wd_text))
    if wd is None or wd == d.weekday():
        return None
    name = g.weekday_names[d.weekday()] if len(g.weekday_names) == 7 else str(d.weekday())
    month = g.month_names[d.month - 1] if len(g.month_names) == 12 else str(d.month)
    return f"{month} {d.day}, {d.year} is a {name}"


def _anchor_for(ctx: _Ctx, previous: bool) -> tuple[tuple[dt.date, str] | None, str]:
    if previous and ctx.prev is not None:
        return ctx.prev, "previous"
    ctx.fell_back = previous
    if ctx.published is not None:
        return (ctx.published, "D"), "publication"
    return None, "none"


def _norm_day_month(ctx: _Ctx, kind: str, m: re.Match[str]) -> _Norm | None:
    """A day of a month, month first or day first: the year written, else the nearest fitting one."""
    g, text, pub = ctx.g, ctx.text, ctx.published
    gd = m.groupdict()

    def tense() -> str | None:
        return _tense(g, text, m.start(), m.end())

    mo = g.months[_key(gd["mon"])]
    day = int(gd["day"])
    wd_text = gd.get("wd")
    start = None
    if wd_text and _key(wd_text) in g.wd_abbrevs and _word_before(text, m.start(), 1) == "the":
        start = m.start("mon") if kind == "mdy" else m.start("day")
        wd_text = None
    if gd.get("year") or gd.get("yy"):
        y = _year_of(gd.get("year") or gd["yy"], pub)
        d = _safe_date(y, mo, day)
        if d is None:
            return None
        return _Norm(d.isoformat(), conflict=_conflict(g, d, wd_text), start=start, point=(d, "D"))
    ref = pub or (ctx.prev[0] if ctx.prev else None)
    if ref is None:
        return _Norm(f"XXXX-{mo:02d}-{day:02d}", "DATE", "none", False, NO_PUBLICATION, start=start)
    cands = [(c, c) for c in (_safe_date(ref.year + k, mo, day) for k in (-1, 0, 1)) if c]
    if not cands:
        return None
    if wd_text and _key(wd_text) in g.weekdays:
        wd = g.weekdays[_key(wd_text)]
        match = [c for c in cands if c[0].weekday() == wd]
        if match:
            cands = match
    t = tense()
    direction = g.deictic.get(_key(gd["rel"])) if gd.get("rel") else None
    if direction:
        t, close = ("past" if direction < 0 else "future"), None  # "last Oct. 23"
    else:
        close = dt.timedelta(days=g.close_days)
    d = _pick(cands, ref, t, close)
    return _Norm(d.isoformat(), anchor="publication" if pub else "previous",
                 note=None if pub else YEAR_FROM_PREVIOUS,
                 conflict=_conflict(g, d, wd_text), start=start, point=(d, "D"))


def _norm(ctx: _Ctx, kind: str, m: re.Match[str]) -> _Norm | None:
    g, text, pub = ctx.g, ctx.text, ctx.published
    gd = m.groupdict()

    def tense() -> str | None:
        return _tense(g, text, m.start(), m.end())

    if kind == "iso":
        d = _safe_date(int(gd["y"]), int(gd["m"]), int(gd["d"]))
        if d is None:
            return None
        if gd.get("h"):
            return _Norm(f"{d.isoformat()}T{gd['h']}:{gd['mi']}", "TIME", point=(d, "D"))
        return _Norm(d.isoformat(), point=(d, "D"))

    if kind in ("dotted", "ymd_slash"):
        d = _safe_date(int(gd["y"]), int(gd["m"]), int(gd["d"]))
        if d is None:
            return None
        return _Norm(d.isoformat(), point=(d, "D"))

    if kind == "hcode":
        y, h = int(gd["year"]), int(gd["h"])
        return _Norm(f"{y:04d}-H{h}", point=(dt.date(y, (h - 1) * 6 + 1, 1), "H"))

    if kind == "day_ordinal":
        anchor, how = _anchor_for(ctx, True)
        day = int(gd["day"])
        if anchor is None:
            return _Norm(f"XXXX-XX-{day:02d}", "DATE", "none", False, NO_PUBLICATION)
        ref = anchor[0]
        cands = [(c, c) for c in (_safe_date(r.year, r.month, day) for r in (_add_months(ref, k) for k in (-1, 0, 1))) if c]
        if not cands:
            return None
        d = _pick(cands, ref, tense())
        return _Norm(d.isoformat(), "DATE", how, point=(d, "D"))

    if kind == "day_around":
        anchor, how = _anchor_for(ctx, True)
        if anchor is None or anchor[1] != "D":
            return None
        d = anchor[0] + dt.timedelta(days=g.day_around[_key(gd["da"])])
        return _Norm(d.isoformat(), "DATE", how, point=(d, "D"))

    if kind == "numeric":
        a, b = int(gd["a"]), int(gd["b"])
        y = _year_of(gd["y"], pub)
        mo, da = (a, b) if a <= 12 else (b, a)
        d = _safe_date(y, mo, da)
        if d is None:
            return None
        return _Norm(d.isoformat(), point=(d, "D"))

    if kind in ("mdy", "dmy"):
        n = _norm_day_month(ctx, kind, m)
        second = gd.get("day2") or gd.get("day0")
        week_of = g.week_of_re.search(text, max(0, m.start() - 30), m.start())
        if n is not None and week_of and n.resolved and n.point is not None and not second:
            # "the week of March 6": the calendar week that holds the day
            d = n.point[0]
            return _Norm(_fmt(d, "W"), n.timex_type, n.anchor, start=week_of.start(), point=(d, "W"))
        if n is None or not second:
            return n
        # a second day of the same month: its own expression
        first = int(second) if gd.get("day0") else int(gd["day"])
        other = int(gd["day"]) if gd.get("day0") else int(second)
        if gd.get("day0"):
            sec_start = m.start("day0")
            sec_end = sec_start + re.match(r"\d+(?:st|nd|rd|th)?", text[sec_start:]).end()
        else:
            sec_start, sec_end = m.start("day2"), m.end()
        value = None
        if n.value and re.fullmatch(r"[\dX]{4}-\d\d-\d\d", n.value) and other > first:
            value = n.value[:8] + f"{int(second):02d}"
            if "X" not in value and _safe_date(int(value[:4]), int(value[5:7]), int(second)) is None:
                value = None
        if value is None or _next_word(text, m.end("day2") if gd.get("day2") else m.end()) in g.year_blocked_after:
            dash = text[m.end("day"):m.start("day2")].strip() == "-" if gd.get("day2") else False
            if dash and len(gd["day2"]) == 2 and other <= first and not gd.get("year"):
                # month-day-yy written with dashes: no second day, a two-digit year
                d = _safe_date(_year_of(gd["day2"], pub), g.months[_key(gd["mon"])], int(gd["day"]))
                if d is not None:
                    return _Norm(d.isoformat(), conflict=_conflict(g, d, gd.get("wd")), start=n.start, point=(d, "D"))
            if gd.get("day0"):
                return _Norm(n.value, n.timex_type, n.anchor, n.resolved, n.note, None, m.start("day"), n.end, n.point)
            return _Norm(n.value, n.timex_type, n.anchor, n.resolved, n.note, n.conflict, n.start, m.end("day"), n.point)
        while sec_end > sec_start and not text[sec_end - 1].isalnum():
            sec_end -= 1
        if gd.get("day0"):
            return _Norm(n.value, n.timex_type, n.anchor, n.resolved, n.note, None, m.start("day"), n.end,
                         n.point, extra=((m.start("day0"), sec_end, value),))
        return _Norm(n.value, n.timex_type, n.anchor, n.resolved, n.note, n.conflict, n.start, m.end("day"),
                     n.point, extra=((sec_start, sec_end, value),))

    if kind == "my":
        mo = g.months[_key(gd["mon"])]
        y = _year_of(gd["year"], pub)
        d = dt.date(y, mo, 1)
        return _Norm(f"{y:04d}-{mo:02d}", point=(d, "M"))

    if kind == "month_relyear":
        mo = g.months[_key(gd["mon"])]
        rel = _key(gd["yrel"])
        if rel not in g.deictic:
            return None
        anchor, how = _anchor_for(ctx, rel in g.deictic_prev)
        if anchor is None:
            return _Norm(f"XXXX-{mo:02d}", "DATE", "none", False, NO_PUBLICATION)
        d = dt.date(anchor[0].year + g.deictic[rel], mo, 1)
        return _Norm(f"{d.year:04d}-{d.month:02d}", anchor=how, point=(d, "M"))

    if kind == "month":
        mo = g.months[_key(gd["mon"])]
        rel = _key(gd["rel"]) if gd.get("rel") else None
        use_prev = rel in g.deictic_prev
        anchor, how = _anchor_for(ctx, use_prev)
        if anchor is None:
            return _Norm(f"XXXX-{mo:02d}", "DATE", "none", False, NO_PUBLICATION)
        ref = anchor[0]
        refm = ref.year * 12 + ref.month - 1
        cands = [((ref.year + k) * 12 + mo - 1, dt.date(ref.year + k, mo, 1)) for k in (-1, 0, 1)]
        if rel is not None and g.deictic.get(rel) == -1:
            d = max((c for c in cands if c[0] < refm), key=lambda c: c[0])[1]
        elif rel is not None and g.deictic.get(rel) == 1:
            d = min((c for c in cands if c[0] > refm), key=lambda c: c[0])[1]
        elif rel is not None:
            d = dt.date(ref.year, mo, 1)
        else:
            t, weak = _tense_cue(g, text, m.start(), m.end())
            ahead = (mo - ref.month) % 12   # months forward to the next such month
            if t is None:
                # no tense: the nearest such month
                d = _add_months(dt.date(ref.year, ref.month, 1), ahead if ahead <= 6 else ahead - 12)
            else:
                d = dt.date(ref.year, mo, 1)
                # a weak cue (a preposition, a word in -ed) moves a month only to a near year;
                # a month just ahead stays in this year whatever the tense ("the visit in September")
                if t == "future" and mo < ref.month and not (weak and ahead > 6):
                    d = dt.date(ref.year + 1, mo, 1)
                elif t == "past" and mo > ref.month + 1:
                    d = dt.date(ref.year - 1, mo, 1)
        return _Norm(f"{d.year:04d}-{d.month:02d}", anchor="publication" if how != "previous" else how, point=(d, "M"))

    if kind == "decade":
        tok = gd["dec"].strip("'’")
        y = int(tok) if len(tok) == 4 else 1900 + int(tok)
        return _Norm(_fmt(dt.date(y, 1, 1), "DE"), point=(dt.date(y, 1, 1), "DE"))

    if kind == "decade_word":
        dig = g.decade_words[gd["decw"].lower()]
        base = (pub.year // 100) if pub else 19
        if pub and base * 100 + dig * 10 > pub.year:
            base -= 1
        return _Norm(f"{base:02d}{dig}")

    if kind == "century":
        c = int(gd["c"]) if gd.get("c") else g.century_ordinals[_key(gd["cw"])]
        return _Norm(f"{c - 1:02d}")

    if kind == "year":
        y = int(gd["year"])
        pre = _key(gd["pre"]) if gd.get("pre") else ""
        end = m.end()
        if gd.get("y2") and pre not in g.fiscal:
            end = m.start("y2") - 1
        return _Norm(f"{y:04d}", end=end, point=(dt.date(y, 1, 1), "Y"))

    if kind == "every":
        if gd.get("wd"):
            return _Norm(f"XXXX-WXX-{g.weekdays[_key(gd['wd'])] + 1}", "SET", "absolute")
        if gd.get("mon"):
            return _Norm(f"XXXX-{g.months[_key(gd['mon'])]:02d}", "SET", "absolute")
        unit, info = _unit(g, gd["unit"])
        return _Norm(_dur_value(g, 1, unit), "SET", "absolute")

    if kind == "clause_period":
        anchor, how = _anchor_for(ctx, False)
        if anchor is None:
            return _unresolved()
        gran = g.clause_periods[_key(gd["cp"])]
        return _Norm(_fmt(anchor[0], gran), "DATE", how, point=(anchor[0], gran))

    if kind == "weekend":
        anchor, how = _anchor_for(ctx, False)
        if anchor is None:
            return _unresolved()
        ref = anchor[0]
        d = ref
        if ref.weekday() < 5 and tense() != "future":
            d = ref - dt.timedelta(days=7)  # on a weekday, "the weekend" just past
        return _Norm(_fmt(d, "WE"), "DATE", how, point=(d, "W"))

    if kind == "period_edge":
        # "the end of the month", "earlier in the week": the unit that holds the anchor; in the past
        # tense after a date as fine as the unit, that date's ("In March ... by the end of the month")
        gran = _gran_of_unit(g.units[g.unit_plurals.get(_key(gd["punit"]), _key(gd["punit"]))])
        prev_fits = ctx.prev is not None and _GRAN_RANK.get(ctx.prev[1], 9) <= _GRAN_RANK[gran]
        anchor, how = _anchor_for(ctx, prev_fits and _tense_cue(g, text, m.start(), m.end(), preps=False)[0] == "past")
        if anchor is None:
            return _unresolved()
        d = anchor[0]
        return _Norm(_fmt(d, gran), "DATE", how, point=(d, gran))

    if kind == "year_end":
        anchor, how = _anchor_for(ctx, False)
        if anchor is None:
            return _unresolved()
        y = anchor[0].year
        if _ends_with_phrase(_word_before(text, m.start(), 1), g.since_words) or tense() == "past":
            y -= 1
        return _Norm(f"{y:04d}", "DATE", how, point=(dt.date(y, 12, 31), "Y"))

    if kind == "numyear":
        if gd.get("cent"):
            y = int(g.numbers[_key(gd["cent"])]) * 100
            rest = _key(gd["rest"])
            for o in g.oh_words:
                rest = re.sub(r"^" + re.escape(o) + r"[\s-]+", "", rest)
            v = _num(g, rest)
        else:
            y, v = 2000, (_num(g, gd["rest2"]) if gd.get("rest2") else 0)
        if v is None:
            return None
        y += int(v)
        return _Norm(f"{y:04d}", point=(dt.date(y, 1, 1), "Y"))

    if kind == "fy":
        y = _year_of(gd["year"], pub)
        return _Norm(f"{y:04d}", point=(dt.date(y, 1, 1), "Y"))

    if kind in ("quarter", "qcode"):
        if kind == "qcode":
            q, unit = int(gd["q"]), "quarter"
        else:
            unit = _key(gd["qunit"])
            if _key(gd["ord"]) in g.half_ordinals:
                if unit != "half":
                    return None  # "the last quarter" is the one before, not the fourth
                q = g.half_ordinals[_key(gd["ord"])]
            else:
                q = g.ordinals[_key(gd["ord"])]
        if unit == "half" and q > 2:
            return None
        if kind == "quarter" and not gd.get("yr2") and not gd.get("yrel") and g.part_of_other_re.match(text, m.end()):
            return None  # "the first half of the match", "the last half of the '80s": not a part of a year
        if unit == "quarter" and q > 4:
            return None
        year = None
        yr = gd.get("yr2") or gd.get("yr") or (gd.get("year") if kind == "qcode" else None)
        how = "absolute"
        if yr and re.search(r"\d", yr):
            year = _year_of(re.search(r"['’]?\d+", yr).group(0), pub)
        else:
            rel_txt = gd.get("yrel") or yr or ""
            rel_txt = _key(rel_txt.replace("'s", "").replace("’s", ""))
            anchor, how = _anchor_for(ctx, False)
            if anchor is None:
                return _Norm(None, "DATE", "none", False, NO_PUBLICATION)
            ref = anchor[0]
            if rel_txt and rel_txt.split(" ")[0] in g.deictic:
                year = ref.year + g.deictic[rel_txt.split(" ")[0]]
            else:
                year = ref.year
                first_month = (q - 1) * (3 if unit == "quarter" else 6) + 1
                if dt.date(year, first_month, 1) > ref and tense() != "future":
                    year -= 1
                if gd.get("yago"):
                    year -= 1  # "the year-earlier third quarter": that quarter a year before
        start = None
        if kind == "quarter" and gd.get("the") and gd.get("hy"):
            start = m.start("yr") if gd.get("yr") else m.start("ord")  # "the third-quarter loss": an adjective
        if unit == "quarter":
            d = dt.date(year, (q - 1) * 3 + 1, 1)
            _note_quarter(ctx, d)
            return _Norm(f"{year:04d}-Q{q}", anchor=how, point=(d, "Q"), start=start)
        d = dt.date(year, (q - 1) * 6 + 1, 1)
        return _Norm(f"{year:04d}-H{q}", anchor=how, point=(d, "H"), start=start)

    if kind == "period_back":
        # "the corresponding period last year", "the quarter a year ago", "last year's quarter":
        # the period being discussed (the last quarter named, else the last one completed), a year back
        anchor, how = _anchor_for(ctx, False)
        if anchor is None:
            return _unresolved()
        unit = _key(gd.get("punit") or gd.get("punit2") or "")
        if unit == "half":
            base, gran = _add_months(anchor[0], -6), "H"
        else:
            base, gran = ctx.last_quarter or _add_months(anchor[0], -3), "Q"
        base = _add_months(base, -12)
        return _Norm(_fmt(base, gran), anchor="previous" if ctx.last_quarter else how, point=(base, gran))

    if kind in ("period_ref", "the_quarter"):
        unit = _key(gd.get("punit") or "")
        is_ago = bool(gd.get("ago"))
        if kind == "period_ref" and not unit and not is_ago:
            return None
        latest = bool(gd.get("cur")) and _key(gd["cur"]) in g.period_latest
        if kind == "period_ref" and not is_ago and unit in ("month", "year") and not (latest and unit == "year"):
            return None
        anchor, how = _anchor_for(ctx, False)
        if anchor is None:
            return _unresolved()
        ref = anchor[0]
        if latest and unit == "year" and not is_ago:
            d = dt.date(ref.year - 1, 1, 1)  # "the latest fiscal year": the last one completed
            return _Norm(_fmt(d, "Y"), anchor=how, point=(d, "Y"))
        ended = _period_end(g, text, m.end(), ref) if unit in ("quarter", "period") else None
        latest = bool(gd.get("cur")) and _key(gd["cur"]) in g.period_latest
        if ended is not None and not is_ago:
            # "the quarter ended Sept. 30": the quarter that date closes
            ctx.last_quarter = ended
            return _Norm(_fmt(ended, "Q"), anchor=how, point=(ended, "Q"))
        if latest and unit in ("quarter", "period") and not is_ago:
            base = _add_months(ref, -3)  # the latest quarter: the last one completed
            ctx.last_quarter = base
            return _Norm(_fmt(base, "Q"), anchor=how, point=(base, "Q"))
        if ctx.last_quarter is not None:
            base, gran = ctx.last_quarter, "Q"
        elif unit in ("quarter", "period", "") :
            base, gran = _add_months(ref, -3), "Q"
        elif unit == "half":
            base, gran = _add_months(ref, -6), "H"
        else:
            base, gran = ref, "Y"
        if unit == "year":
            gran = "Y"
        if unit == "month":
            base, gran = ref, "M"
        if is_ago:
            base = _add_months(base, -12)
            if unit in ("", "period") and gran in ("Q", "H") and _month_span_in_sentence(g, text, m.start()):
                gran = "Y"  # "For the nine months, ... compared with year-earlier net income"
            start = m.start("ago") if gd.get("the") and not unit else None  # "the year-ago results"
            # like "a year ago", no anchor for what follows: "a year earlier" after it means the same period
            return _Norm(_fmt(base, gran), anchor="previous" if ctx.last_quarter else how, start=start)
        if unit == "period" and ctx.last_quarter is None:
            return None
        return _Norm(_fmt(base, gran), anchor="previous" if ctx.last_quarter else how, point=(base, gran))

    if kind == "holiday":
        info = g.holidays[_key(gd["hol"])]
        rel = _key(gd["rel"]) if gd.get("rel") else None
        anchor, how = _anchor_for(ctx, False)

        def on(year: int) -> dt.date:
            if "easter" in info:
                return _easter(year) + dt.timedelta(days=int(info["easter"]))
            if "nth" in info:
                d0 = _nth_weekday(year, int(info["month"]), int(info["weekday"]), int(info["nth"]))
                return d0 + dt.timedelta(days=int(info.get("after_day", 0)))
            return dt.date(year, int(info["month"]), int(info["day"]))

        def out(d: dt.date, how: str) -> _Norm:
            if gd.get("hweek"):
                return _Norm(_fmt(d, "W"), anchor=how, point=(d, "W"))  # "Easter week": the week that holds it
            return _Norm(d.isoformat(), anchor=how, point=(d, "D"))

        if gd.get("year"):
            return out(on(_year_of(gd["year"], pub)), "absolute")
        if anchor is None:
            return _unresolved()
        ref = anchor[0]
        cands = [(on(ref.year + k), on(ref.year + k)) for k in (-1, 0, 1)]
        if rel is not None and g.deictic.get(rel) == -1:
            d = max(c[0] for c in cands if c[0] < ref)
        elif rel is not None and g.deictic.get(rel) == 1:
            d = min(c[0] for c in cands if c[0] > ref)
        else:
            # a holiday only days away is that one, whatever the tense ("as Easter week began")
            d = _pick(cands, ref, tense(), g.holiday_close)
        return out(d, how)

    if kind == "season":
        info = g.seasons[gd["season"].lower()]
        code, smonth = info["code"], int(info["start"])
        if gd.get("year"):
            y = _year_of(gd["year"], pub)
            return _Norm(f"{y:04d}-{code}", point=(dt.date(y, smonth, 1), "S"))
        rel = _key(gd["rel"]) if gd.get("rel") else None
        anchor, how = _anchor_for(ctx, rel in g.deictic_prev if rel else False)
        if anchor is None:
            return _Norm(f"XXXX-{code}", "DATE", "none", False, NO_PUBLICATION)
        ref = anchor[0]
        starts = [(dt.date(ref.year + k, smonth, 1), ref.year + k) for k in (-2, -1, 0, 1)]
        current = [y for s, y in starts if s <= ref < _add_months(s, 3)]
        direction = g.deictic.get(rel) if rel else None
        if direction == -1:
            y = max(y for s, y in starts if _add_months(s, 3) <= ref)
        elif direction == 1:
            y = min(y for s, y in starts if s > ref)
        elif current:
            y = current[0]
        else:
            t = tense()
            if t == "future":
                y = min(y for s, y in starts if s > ref)
            elif t == "past":
                y = max(y for s, y in starts if _add_months(s, 3) <= ref)
            else:
                y = ref.year if smonth != 12 or ref.month == 12 else ref.year - 1
        return _Norm(f"{y:04d}-{code}", anchor=how, point=(dt.date(y, smonth, 1), "S"))

    if kind == "relday":
        rd = _key(gd["rd"])
        off = g.rel_days[rd]
        generic = re.match(r"['’]s\s+([\w-]+)", text[m.end("rd"):m.end("rd") + 30])
        if generic and generic.group(1).lower() in g.generic_nouns and rd in g.generic_refs:
            return _Norm(g.generic_refs[rd], "DATE", "absolute", end=m.end("rd"))  # "today's youth"
        part = g.parts.get(_key(gd["part"])) if gd.get("part") else g.rel_day_parts.get(rd)
        if pub is None:
            return _unresolved("TIME" if part else "DATE")
        d = pub + dt.timedelta(days=off)
        if part:
            return _Norm(f"{d.isoformat()}T{part}", "TIME", "publication", point=(d, "D"))
        return _Norm(d.isoformat(), "DATE", "publication", point=(d, "D"))

    if kind == "deictic_part":
        off = g.deictic_parts[_key(gd["rel"])]
        part = g.parts[_key(gd["part"])]
        if pub is None:
            return _unresolved("TIME")
        d = pub + dt.timedelta(days=off)
        return _Norm(f"{d.isoformat()}T{part}", "TIME", "publication", point=(d, "D"))

    if kind == "weekday":
        wd = g.weekdays[_key(gd["wd"])]
        rel = _key(gd["rel"]) if gd.get("rel") else None
        part = g.parts.get(_key(gd["part"])) if gd.get("part") else None
        end = m.end("wd") if not part else m.end()
        use_prev = rel in g.deictic_prev if rel else False
        anchor, how = _anchor_for(ctx, use_prev)
        if anchor is None:
            return _Norm(None, "DATE", "none", False, NO_PUBLICATION, end=end)
        ref = anchor[0]
        direction = g.deictic.get(rel) if rel else None
        t = _tense(g, text, m.start("wd"), m.end())
        said = re.search(r"([\w'’]+)\s+(?:on\s+)?$", text[max(0, m.start() - 30):m.start()])
        if (said and said.group(1).lower() in g.reporting) or re.match(r"['’]s\b", text[m.end("wd"):m.end("wd") + 3]):
            t = "past"  # right after a reporting verb, or possessive: told or done by then
        if direction is None and t == "future" and wd == ref.weekday():
            # the day of publication itself, unless something says it is a week ahead
            left = text[max(0, m.start() - 40):m.start()]
            if not g.ahead_re.search(left):
                t = None
        if direction is None and not part:
            pm = g.plural_part_re.match(text, m.end("wd")) or g.plural_part_coord_re.match(text, m.end("wd"))
            if pm:
                # "<weekday> nights": every such night (TimeML: a SET, XXXX-WXX-2TNI for the second weekday)
                code = g.parts[_key(pm.group("pp"))]
                # the part of day joins this weekday's span only when it follows it directly
                own = pm.re is g.plural_part_re
                return _Norm(f"XXXX-WXX-{wd + 1}T{code}", "SET", "absolute", end=pm.end() if own else m.end("wd"))
        d = _weekday_date(wd, ref, direction, t)
        note = None
        if direction is None and d == ref and how == "publication":
            note = "ambiguous weekday: the day of publication, taken as that day"
        if part:
            # a weekday with a part of day is that day, comparable with a written date; the part goes in the note
            part_note = f"part of day: {part}" + (f"; {note}" if note else "")
            return _Norm(d.isoformat(), "DATE", how, note=part_note, end=end, point=(d, "D"))
        return _Norm(d.isoformat(), "DATE", how, note=note, end=end, point=(d, "D"))

    if kind == "relunit":
        rel = _key(gd["rel"])
        part_note = None
        if _key(gd["unit"]) in g.part_day_units:
            # "the next morning", "that evening": the day, the part of it in the note
            part_note = f"part of day: {g.parts.get(_key(gd['unit']), _key(gd['unit']))}"
            unit, info = g.day_unit, g.units[g.day_unit]
        else:
            unit, info = _unit(g, gd["unit"])
        gran = _gran_of_unit(info)
        if info.get("time"):
            return None
        direction = g.deictic[rel]
        use_prev = rel in g.deictic_prev
        if (gd.get("the") and rel in g.stretch_words and not gd.get("mod")
                and (gran == "CE" or _ends_with_phrase(_word_before(text, m.start(), 1), g.stretch_before))):
            # "over the past year": a stretch of time up to now; "in the past year" is the year before
            return _Norm(_dur_value(g, 1, unit), "DURATION", "absolute")
        if gd.get("the") and rel in g.next_with_the:
            use_prev = True  # "the next day": the day after the one just told
        anchor, how = _anchor_for(ctx, use_prev)
        if anchor is None:
            return _unresolved()
        base, bgran = anchor
        if how == "previous" and _GRAN_RANK.get(bgran, 0) > _GRAN_RANK.get(gran, 0):
            # "In 2005 ... the next day": a day after a year is somewhere in that year, not its January 2
            return _Norm(_fmt(base, bgran), "DATE", how, note="approximate: the previous date is coarser than the offset")
        d = _shift(base, gran, direction)
        if gran == "Q":
            _note_quarter(ctx, d)
        if gran == "WE":
            if direction == 0 and d.weekday() < 5 and tense() == "past":
                d = d - dt.timedelta(days=7)
        return _Norm(_fmt(d, gran), "DATE", how, note=part_note, point=(d, gran if gran != "WE" else "W"))

    if kind == "ago":
        n = _num(g, gd["n"])
        unit, info = _unit(g, gd["unit"])
        word = _key(gd["dir"])
        if word in g.before_after:
            nxt = text[m.end():m.end() + 3]
            if nxt[:1] not in (".", ",", ";", ")", "") and not nxt.startswith("\n"):
                return None  # "two days before the vote": a duration and a signal
        gran = _gran_of_unit(info)
        if info.get("time"):
            return _Norm(_dur_value(g, n, unit), "DURATION", "absolute", end=m.end("unit"))
        if n is None:
            ref_value = "PAST_REF" if (g.ago.get(word, g.earlier_later.get(word, -1)) < 0) else "FUTURE_REF"
            return _Norm(ref_value, "DATE", "absolute")
        direction = g.ago.get(word)
        use_prev = direction is None
        if direction is None:
            direction = g.earlier_later[word]
        anchor, how = _anchor_for(ctx, use_prev)
        if anchor is None:
            return _unresolved()
        base, bgran = anchor
        times = info.get("times", 1)
        if gran in ("DE", "CE"):
            gran = "Y"
        if gran == "WE":
            gran = "W"
        if gran == "Q":
            d = _add_months(base, int(direction * n * 3))
        else:
            d = _shift(base, gran, direction * n * times)
        out_gran, note = gran, None
        if gran == "Y" and how == "previous" and bgran in ("Q", "D", "H"):
            out_gran = bgran
        elif how == "previous" and _GRAN_RANK.get(bgran, 0) > _GRAN_RANK.get(gran, 0):
            out_gran = bgran  # "In March ... two days later": no finer than the anchor
            note = "approximate: the previous date is coarser than the offset"
        elif gran == "Y" and how == "publication" and ctx.last_quarter is not None:
            # a year ago, in a story about quarters: the same quarter a year back
            d = _shift(ctx.last_quarter, "Y", direction * n)
            out_gran = "Q"
        if gran == "Y" and out_gran in ("Q", "H") and note is None and _month_span_in_sentence(g, text, m.start()):
            out_gran = "Y"  # "For the nine months, ... a year earlier": that stretch a year back
        # "a year earlier" after "a year ago" means the same period: coarse relatives keep the anchor
        keep = out_gran in ("Y", "Q", "H")
        return _Norm(_fmt(d, out_gran), "DATE", how, note=note, point=None if keep else (d, out_gran))

    if kind == "duration":
        n = _num(g, gd["n"])
        unit, info = _unit(g, gd["unit"])
        start = None
        opener = _key(gd["open"]) if gd.get("open") else ""
        if opener in g.duration_bad_openers:
            return None  # "the other two days"
        if opener and opener.split(" ")[-1] in g.duration_ordinal_openers and n is None:
            return None  # "the first few days" of something
        phrase = _key(m.group(0))
        if phrase in g.modal_refs and _ends_with_phrase(_word_before(text, m.start(), 2), g.modals):
            return _Norm(g.modal_refs[phrase], "DATE", "absolute")  # "will one day be"
        if opener in g.articles_the and "-" in text[m.end("n"):m.start("unit")] and not gd.get("approx"):
            start = m.start("n")  # "the 30-day period": the adjective alone, as TimeML marks it
        value = _dur_value(g, n, unit)
        return _Norm(value, "DURATION", "absolute", start=start)

    if kind == "vague_plural":
        unit, info = _unit(g, gd["unit"])
        return _Norm(_dur_value(g, None, unit), "DURATION", "absolute", start=m.start("unit"))

    if kind == "ref":
        value = g.refs[_key(gd["ref"])]
        if value == "PRESENT_REF" and _ends_with_phrase(_word_before(text, m.start()), g.ref_past_present_before):
            value = "PAST_REF"  # "the then current price": the present of a past time
        return _Norm(value, "DURATION" if re.match(r"PT?[\dX]", value) else "DATE", "absolute", end=m.end("ref"))

    if kind == "fixed_duration":
        return _Norm(g.fixed_durations[_key(gd["fd"])], "DURATION", "absolute", start=m.start("fd"), end=m.end("fd"))

    if kind == "year_period":
        y = int(gd["year"])
        q = None
        if not re.search(r"quarter$", m.group(0), re.I) and _month_span_in_sentence(g, text, m.start()):
            return _Norm(f"{y:04d}", point=(dt.date(y, 1, 1), "Y"))  # "In the nine months, ... the 1988 period"
        if ctx.last_quarter is not None:
            q = (ctx.last_quarter.month - 1) // 3 + 1
        elif pub is not None:
            q = (_add_months(pub, -3).month - 1) // 3 + 1
        if q is None:
            return _Norm(f"{y:04d}", point=(dt.date(y, 1, 1), "Y"))
        return _Norm(f"{y:04d}-Q{q}", point=(dt.date(y, (q - 1) * 3 + 1, 1), "Q"))

    if kind == "set":
        return _Norm(g.sets[_key(gd["set"])], "SET", "absolute")

    if kind == "clock":
        h = int(gd["h"])
        mi = int(gd.get("mi") or gd.get("mi2") or 0)
        ap = (gd.get("ap") or gd.get("ap2") or gd.get("ap3") or "").lower().replace(" ", "")
        if ap:
            if h > 12 or h == 0:
                return None
            if ap.rstrip(".") in [w.rstrip(".") for w in g.pm] and h != 12:
                h += 12
            elif ap.rstrip(".") in [w.rstrip(".") for w in g.am] and h == 12:
                h = 0
        if h > 24:
            return None
        return _clock(ctx, f"T{h:02d}:{mi:02d}")

    if kind == "timeword":
        return _clock(ctx, "T" + g.times_of_day[_key(gd["tw"])])

    return None


# ---------------------------------------------------------------------------------------------
# the driver

_PRIORITY = {k: i for i, k in enumerate([
    "iso", "numeric", "dotted", "ymd_slash", "hcode", "mdy", "dmy", "my", "month_relyear", "quarter", "qcode", "holiday", "ago", "relday", "day_around", "day_ordinal", "deictic_part",
    "weekday", "relunit", "period_back", "period_ref", "the_quarter", "season", "decade", "decade_word", "century",
    "fy", "year_period", "year", "year_end", "period_edge", "weekend", "clause_period", "fixed_duration", "month", "duration", "vague_plural", "set", "every", "clock", "timeword", "ref"])}


# a match reaches at most this many runs of letters or digits either side of its trigger word
_REACH = 12
# ... and its lookahead at most this many more
_LOOK = 6


def _trigger_windows(g: _Grammar, text: str) -> dict[str, list[tuple[int, int, int]]]:
    """For each pattern, the windows (start, end, end of lookahead) of text around its trigger words."""
    runs = [m.span() for m in _RUN.finditer(text)]
    get = g.triggers.get
    by_length = g.digit_triggers
    hits: dict[str, list[int]] = {}
    for i, (a, b) in enumerate(runs):
        w = text[a:b]
        if w[0].isdigit():
            kinds = by_length[b - a] if b - a < len(by_length) else None
        else:
            kinds = get(w.lower())
            if kinds is None and not w.islower() and not w.istitle() and not w.isupper():
                # written on to another word ("foundMarch"): each part
                kinds = set().union(*(get(p.lower(), ()) for p in _CAMEL.findall(w))) or None
        if kinds:
            for k in kinds:
                hits.setdefault(k, []).append(i)
    last = len(runs) - 1
    out: dict[str, list[tuple[int, int, int]]] = {}
    for kind, idx in hits.items():
        wins: list[tuple[int, int, int]] = []
        for i in idx:
            ws = runs[i - _REACH][0] if i - _REACH > 0 else 0
            we = runs[i + _REACH][1] if i + _REACH <= last else len(text)
            look = runs[i + _REACH + _LOOK][1] if i + _REACH + _LOOK <= last else len(text)
            if wins and ws <= wins[-1][1]:
                wins[-1] = (wins[-1][0], we, look)
            else:
                wins.append((ws, we, look))
        out[kind] = wins
    return out


# The patterns every match of which starts a run of digits (each opens on a digit after a lookbehind
# that refuses a digit before it): they are tried only where a run of digits starts, as a scan would
# find them (tests/test_dates.py: test_windows_find_what_a_full_scan_finds).
_DIGIT_LED = frozenset({"iso", "numeric", "dotted", "ymd_slash", "clock"})
_DIGIT_RUN = fastre.lazy(r"(?<!\d)\d")


def _digit_led(regex: re.Pattern[str], text: str, starts: list[int], ws: int, we: int, look: int) -> Iterator[re.Match[str]]:
    """regex.finditer(text, ws, look) up to the first match at or after `we`, for a pattern whose
    matches start only at `starts` (the starts of runs of digits): a match tried only there."""
    done = ws
    for i in range(bisect.bisect_left(starts, ws), len(starts)):
        p = starts[i]
        if p >= we:
            return
        if p < done:
            continue
        m = regex.match(text, p, look)
        if m is not None:
            yield m
            done = m.end()


def _all_candidates(g: _Grammar, text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every accepted match of every pattern; each pattern is run only around its trigger words."""
    found = []
    windows = _trigger_windows(g, text)
    digit_starts: list[int] | None = None
    low: str | None = None  # the text lowercased for the uncased patterns ("" when it cannot be)
    for kind, regex in g.patterns:
        wins = windows.get(kind)
        if not wins:
            continue
        if kind in _DIGIT_LED:
            if digit_starts is None:
                digit_starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
            for ws, we, look in wins:
                for m in _digit_led(regex, text, digit_starts, ws, we, look):
                    if m.end() <= m.start():
                        continue
                    if not _accept(g, kind, m, text):
                        continue
                    found.append((m.start(), m.end(), kind, m))
            continue
        uncased = g.uncased.get(kind)
        if uncased is not None and low is None:
            low = fastre.lowered(text) or ""
        for ws, we, look in wins:
            for m in fastre.finditer(regex, uncased, text, low, ws, look, stop=we):
                if m.start() >= we:
                    break
                if m.end() <= m.start():
                    continue
                if not _accept(g, kind, m, text):
                    continue
                found.append((m.start(), m.end(), kind, m))
    return found


def _all_candidates_everywhere(g: _Grammar, text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """The same as _all_candidates, every pattern run over the whole text (the reference for tests)."""
    found = []
    for kind, regex in g.patterns:
        for m in regex.finditer(text):
            if m.end() <= m.start():
                continue
            if not _accept(g, kind, m, text):
                continue
            found.append((m.start(), m.end(), kind, m))
    return found


def _select(found: list[tuple[int, int, str, re.Match[str]]]) -> list[tuple[int, int, str, re.Match[str]]]:
    """Longest first, then pattern priority; keep the candidates that overlap nothing kept."""
    found = list(found)
    # longest first, then pattern priority; keep those that overlap nothing kept
    found.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY.get(c[2], 99), c[0]))
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for c in found:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        kept.append(c)
        taken.append((c[0], c[1]))
    kept.sort(key=lambda c: c[0])
    return kept


_DAY_VALUE = fastre.lazy(r"^\d{4}-\d\d-\d\d$")
_CLOCK_VALUE = fastre.lazy(r"T\d\d:\d\d$")


def _merge_datetimes(g: _Grammar, text: str, out: list[DateMention]) -> list[DateMention]:
    """A day and a clock time written together (a dateline with its time) become one TIME."""
    merged: list[DateMention] = []
    i = 0
    while i < len(out):
        a = out[i]
        if i + 1 < len(out):
            b = out[i + 1]
            gap = text[a.end:b.start]
            day, clock = None, None
            if a.value and b.value and _DAY_VALUE.match(a.value) and b.timex_type == "TIME" and _CLOCK_VALUE.search(b.value):
                day, clock = a, b
            elif a.value and b.value and _DAY_VALUE.match(b.value) and a.timex_type == "TIME" and _CLOCK_VALUE.search(a.value):
                day, clock = b, a
            if day is not None and clock is not None and len(gap) <= 4 and g.connector_re.match(gap):
                value = f"{day.value}T{clock.value[-5:]}"
                merged.append(DateMention(a.start, b.end, text[a.start:b.end], value, "TIME", day.resolved,
                                          day.anchor, day.note, day.weekday_conflict))
                i += 2
                continue
        merged.append(a)
        i += 1
    return merged


_MONTH_OR_SEASON_VALUE = fastre.lazy(r"^\d{4}-(?:\d\d|[A-Z]{2})$")
_YEAR_VALUE = fastre.lazy(r"^\d{4}$")


def _merge_month_year(g: _Grammar, text: str, out: list[DateMention]) -> list[DateMention]:
    """A month or season whose year was guessed, right before a year written apart from it ("the
    winter of nineteen ninety-four", "<month> nineteen ninety-seven"): one date in that year."""
    merged: list[DateMention] = []
    i = 0
    while i < len(out):
        a = out[i]
        if i + 1 < len(out) and a.anchor != "absolute" and a.value and _MONTH_OR_SEASON_VALUE.match(a.value):
            b = out[i + 1]
            if b.value and _YEAR_VALUE.match(b.value) and b.timex_type == "DATE" and g.month_year_gap_re.match(text[a.end:b.start]):
                merged.append(DateMention(a.start, b.end, text[a.start:b.end], b.value + a.value[4:], "DATE", True,
                                          "absolute", None, None))
                i += 2
                continue
        merged.append(a)
        i += 1
    return merged


def _merge_day_around(g: _Grammar, text: str, out: list[DateMention]) -> list[DateMention]:
    """"The day before" / "the day after" written right before a day ("the day before last <weekday>'s
    hearing"): one expression, that day moved by one (TimeML marks the whole phrase with the day it means)."""
    if g.day_around_before_re is None:
        return out
    merged: list[DateMention] = []
    for a in out:
        if a.value and a.timex_type == "DATE" and _DAY_VALUE.match(a.value):
            lo = max(0, a.start - 24, merged[-1].end if merged else 0)
            mm = g.day_around_before_re.search(text, lo, a.start)
            if mm:
                d = dt.date.fromisoformat(a.value) + dt.timedelta(days=g.day_around[_key(mm.group("da"))])
                merged.append(DateMention(mm.start(), a.end, text[mm.start():a.end], d.isoformat(), "DATE", a.resolved,
                                          a.anchor, a.note, None))
                continue
        merged.append(a)
    return merged


def _inside(regions: tuple[tuple[int, int], ...] | None, start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the regions (all of the text when there are none):
    some region that starts at or before `start` reaches `end`, read from the regions' starts in
    order and the farthest end among each prefix of them (see _region_index)."""
    if regions is None:
        return True
    starts, reach = _region_index(regions)
    k = bisect.bisect_right(starts, start)
    return k > 0 and reach[k - 1] >= end


@lru_cache(maxsize=64)
def _region_index(regions: tuple[tuple[int, int], ...]) -> tuple[list[int], list[int]]:
    """The regions' starts in order, and for each the farthest end of the regions up to it."""
    ordered = sorted(regions)
    reach: list[int] = []
    for _, e in ordered:
        reach.append(max(e, reach[-1]) if reach else e)
    return [s for s, _ in ordered], reach


@lru_cache(maxsize=4096)
def _cached_find(text: str, published: dt.date | None, g: _Grammar,
                 regions: tuple[tuple[int, int], ...] | None) -> tuple[DateMention, ...]:
    """One document's expressions, normalized once per (text, publication date, regions)."""
    found = _all_candidates(g, text)
    memo: dict = {}
    while True:
        out, dropped = _normalize_all(g, text, published, _select(found), regions, memo)
        if not dropped:
            out = _merge_day_around(g, text, _merge_month_year(g, text, _merge_datetimes(g, text, out)))
            return tuple(d for d in out if _inside(regions, d.start, d.end))
        # a candidate its normalizer refused: drop it and let the shorter readings compete
        found = [c for c in found if (c[0], c[1], c[2]) not in dropped]


def _normalize_all(g: _Grammar, text: str, published: dt.date | None,
                   kept: list[tuple[int, int, str, re.Match[str]]],
                   regions: tuple[tuple[int, int], ...] | None = None,
                   memo: dict | None = None) -> tuple[list[DateMention], set[tuple[int, int, str]]]:
    """The kept candidates normalized in text order, each against the dates before it; and those whose
    normalizer refused them. `memo` (one dict for the passes over one document): what each candidate
    gave in the state it was normalized in, so that a later pass normalizes only the candidates that
    are new or that meet another state (another previous date) than before."""
    ctx = _Ctx(text, published, g)
    out: list[DateMention] = []
    dropped: set[tuple[int, int, str]] = set()
    for s, e, kind, m in kept:
        if memo is None:
            _normalize_one(ctx, s, e, kind, m, regions, out, dropped)
            continue
        key = (s, e, kind, ctx.prev, ctx.last_quarter)
        done = memo.get(key)
        if done is None:
            at = len(out)
            refused = _normalize_one(ctx, s, e, kind, m, regions, out, dropped)
            memo[key] = (tuple(out[at:]), refused, ctx.prev, ctx.last_quarter)
        else:
            made, refused, ctx.prev, ctx.last_quarter = done
            out.extend(made)
            if refused:
                dropped.add((s, e, kind))
    out.sort(key=lambda d: d.start)
    return out, dropped


def _normalize_one(ctx: _Ctx, s: int, e: int, kind: str, m: re.Match[str], regions: tuple[tuple[int, int], ...] | None,
                   out: list[DateMention], dropped: set[tuple[int, int, str]]) -> bool:
    """One candidate normalized in the context: its mentions appended to `out`, the context moved on;
    True (and the candidate added to `dropped`) when its normalizer refused it."""
    g, text = ctx.g, ctx.text
    ctx.fell_back = False
    n = _norm(ctx, kind, m)
    if n is None:
        dropped.add((s, e, kind))
        return True
    if ctx.fell_back and n.anchor == "publication" and n.note is None and kind not in g.own_month_kinds:
        n.note = FROM_PUBLICATION
    start = n.start if n.start is not None else s
    end = n.end if n.end is not None else e
    while end > start and text[end - 1] in " ,-":
        end -= 1
    if end <= start:
        return False
    out.append(DateMention(start, end, text[start:end], n.value, n.timex_type, n.resolved,
                           n.anchor, n.note, n.conflict))
    for xs, xe, xv in n.extra:
        out.append(DateMention(xs, xe, text[xs:xe], xv, n.timex_type, n.resolved, n.anchor, n.note))
    if n.point is not None and n.resolved and n.timex_type in ("DATE", "TIME") and _inside(regions, start, end):
        ctx.prev = n.point  # only dates of the searched text anchor what follows
    return False


def find_dates(text: str, published: dt.date | None, lexicon: Lexicon,
               regions: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """All temporal expressions in text (only inside `regions` when given), in text order, normalized against `published`."""
    if isinstance(published, dt.datetime):
        published = published.date()
    key = tuple(sorted((int(a), int(b)) for a, b in regions)) if regions is not None else None
    return list(_cached_find(text, published, _grammar(lexicon), key))


__all__: list[str] = ["DateMention", "find_dates", "NO_PUBLICATION", "YEAR_FROM_PREVIOUS", "FROM_PUBLICATION"]
