"""Sentences in Italian and English, written from the metrics.

Italian first: ``lang="it"`` is the default everywhere; any other value than ``"en"`` is Italian.
The words are the locale files' ``[text]`` table and the numbers and dates use the shared
formatters of :mod:`data_access.locale` (``1.234,5`` / ``1,234.5``; ``31 marzo 2024``), so a
sentence writes a number exactly as the tables and charts beside it do.
"""

from __future__ import annotations

import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, PROGRAMME_END_DATE
from data_access.locale import (
    MISSING,
    fmt_date,
    fmt_number,
    fmt_ordinal,
    fmt_percent,
    normalize_lang,
    translate,
)
from data_access.metrics.cumulative import Catalogue, require_indicator

__all__ = [
    "MISSING",
    "build_city_sentences",
    "build_funnel_sentence",
    "build_median_sentence",
    "build_needed_pace_sentence",
    "build_projection_sentence",
    "build_rank_sentence",
    "indicator_phrase",
]


def _num(x: float | None, lang: str) -> str:
    """A number inside a sentence: at most one decimal."""
    return fmt_number(x, lang, 1, trim=True)


def _text(lang: str, key: str, **kwargs: object) -> str:
    return translate(normalize_lang(lang), f"text.{key}", **kwargs)


def _mid_sentence(name: str) -> str:
    """Lower-case a leading capital for use inside a sentence, but keep acronyms."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def indicator_phrase(
    indicator_code: str,
    lang: str = "it",
    per_10k: bool = True,
    *,
    catalogue: Catalogue | None = None,
) -> str:
    """``persone prese in carico ogni 10.000 residenti stranieri`` and the like.

    The per-10,000 suffix is added only for flows and stocks (ratios are compared as they are).
    """
    ind = require_indicator(indicator_code, catalogue or INDICATOR_BY_CODE)
    name = _mid_sentence(ind.name_en if normalize_lang(lang) == "en" else ind.name_it)
    if per_10k and ind.kind != "ratio":
        return _text(lang, "per_10k", name=name)
    return name


def build_rank_sentence(
    city_name: str, rank: int, n: int, phrase: str, lang: str = "it", tied: bool = False
) -> str:
    """``Bologna è 2ª su 16 per <phrase>.`` / ``Bologna ranks 2nd of 16 for <phrase>.``"""
    key = "rank_tied" if tied else "rank"
    return _text(lang, key, city=city_name, rank=fmt_ordinal(rank, lang), n=n, phrase=phrase)


def build_median_sentence(
    city_name: str, value: float, median: float, phrase: str, lang: str = "it"
) -> str:
    """How far the city is from the median of its group, e.g. ``Bologna: 12,3 <phrase>, il 35%
    sopra la mediana del gruppo (9,1).``"""
    v, m = _num(value, lang), _num(median, lang)
    if v == MISSING or m == MISSING or median == 0:
        return _text(lang, "value", city=city_name, value=v, phrase=phrase)
    diff = value / median - 1
    where = "at_median" if round(100 * diff) == 0 else ("above" if diff > 0 else "below")
    pct = fmt_percent(abs(diff), lang)
    return _text(lang, where, city=city_name, value=v, phrase=phrase, pct=pct, median=m)


def build_projection_sentence(
    city_name: str,
    scope: str,
    projected_achievement: float,
    lang: str = "it",
    end_date: str = PROGRAMME_END_DATE,
) -> str:
    """``A questo ritmo Taranto raggiunge il 64% del suo obiettivo WP3 entro il 31 marzo 2024.``
    / ``At this pace Taranto reaches 64% of its WP3 target by 31 March 2024.``"""
    pct, when = fmt_percent(projected_achievement, lang), fmt_date(end_date, lang)
    return _text(lang, "projection", city=city_name, pct=pct, scope=scope, date=when)


def build_needed_pace_sentence(
    city_name: str, phrase: str, needed_pace: float, pace: float, lang: str = "it"
) -> str:
    """``Per raggiungere l'obiettivo Taranto deve arrivare a 12,7 <phrase> al mese (ora 4).``"""
    need, now = _num(needed_pace, lang), _num(pace, lang)
    return _text(lang, "needed_pace", city=city_name, need=need, phrase=phrase, now=now)


def build_funnel_sentence(city_name: str, position: str, phrase: str, lang: str = "it") -> str:
    """Plain-language reading of a funnel position (see ``metrics.benchmark.FUNNEL_POSITIONS``)."""
    where = _text(lang, f"funnel_{position}")
    return _text(lang, "funnel", phrase=phrase, city=city_name, position=where)


def _selected_sentences(
    benchmark: pd.DataFrame, city_name: str, indicator: str, lang: str, cat: Catalogue
) -> list[str]:
    rows = benchmark[benchmark["indicator_code"] == indicator]
    if rows.empty or pd.isna(rows["rank"].iloc[0]):
        return []
    r = rows.iloc[0]
    phrase = indicator_phrase(indicator, lang, catalogue=cat)
    out = [
        build_rank_sentence(
            city_name,
            int(r["rank"]),
            int(r["n_ranked"]),
            phrase,
            lang,
            bool(r.get("n_tied", 1) > 1),
        )
    ]
    out.append(build_median_sentence(city_name, r["benchmark_value"], r["median"], phrase, lang))
    return out


def build_city_sentences(
    benchmark: pd.DataFrame,
    city_name: str,
    lang: str = "it",
    max_sentences: int = 3,
    *,
    indicator: str | None = None,
    catalogue: Catalogue | None = None,
) -> list[str]:
    """A few sentences on a city, from ``metrics.benchmark.compute_city_benchmark``.

    With ``indicator`` (the page's selection): its rank and its distance from the group median,
    nothing about the other indicators (they are in the table). Without: the best-ranked
    indicator first, then the worst-ranked, then the next best; ties broken by indicator code so
    the text is stable. Unranked indicators are skipped.
    """
    cat = catalogue or INDICATOR_BY_CODE
    if indicator is not None:
        return _selected_sentences(benchmark, city_name, indicator, lang, cat)
    b = benchmark[benchmark["rank"].notna()].copy()
    if b.empty or max_sentences <= 0:
        return []
    b["_share"] = (b["rank"].astype(float) - 1) / (b["n_ranked"].astype(float) - 1).clip(lower=1)
    b = b.sort_values(["_share", "indicator_code"], ignore_index=True)
    order = [0]
    if len(b) > 1:
        order.append(len(b) - 1)
    order += [i for i in range(1, len(b) - 1)]
    out = []
    for i in order[:max_sentences]:
        r = b.iloc[i]
        tied = bool(r.get("n_tied", 1) > 1)
        out.append(
            build_rank_sentence(
                city_name,
                int(r["rank"]),
                int(r["n_ranked"]),
                indicator_phrase(str(r["indicator_code"]), lang, catalogue=cat),
                lang,
                tied,
            )
        )
    return out
