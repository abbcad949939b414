"""Numbers and sentences in Italian and English, written from the metrics.

Italian first: ``lang="it"`` is the default everywhere; any other value than ``"en"`` is Italian.
Numbers follow the language (``1.234,5`` / ``1,234.5``), dates too (``31 marzo 2024`` /
``31 March 2024``). Missing numbers are written as an en dash.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from data_access.catalogue import INDICATOR_BY_CODE, PROGRAMME_END_DATE
from data_access.metrics.cumulative import Catalogue, check_period, require_indicator

MISSING = "–"
_LOCALE = {"it": "it_IT", "en": "en_GB"}


def _loc(lang: str) -> str:
    return _LOCALE["en" if lang == "en" else "it"]


def _missing(x: Any) -> bool:
    return (
        x is None
        or (isinstance(x, float | int) and not math.isfinite(float(x)))
        or (not isinstance(x, str) and bool(pd.isna(x)))
    )


def format_number(x: float | None, lang: str = "it", decimals: int = 1) -> str:
    """``1234.5`` -> ``1.234,5`` (it) / ``1,234.5`` (en); at most ``decimals`` decimals."""
    if _missing(x):
        return MISSING
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(format_decimal(float(x), format=pattern, locale=_loc(lang)))  # type: ignore[arg-type]


def format_percent(fraction: float | None, lang: str = "it", decimals: int = 0) -> str:
    """``0.644`` -> ``64%``; ``decimals`` more digits when asked (``64,4%`` in Italian)."""
    if _missing(fraction):
        return MISSING
    return format_number(100 * float(fraction), lang, decimals) + "%"  # type: ignore[arg-type]


def format_long_date(date: dt.date | str, lang: str = "it") -> str:
    """``2024-03-31`` -> ``31 marzo 2024`` / ``31 March 2024``."""
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return str(format_date(d, "d MMMM y", locale=_loc(lang)))


def format_period(period: str, lang: str = "it") -> str:
    """``2024-03`` -> ``marzo 2024`` / ``March 2024``."""
    check_period(period)
    return str(
        format_date(dt.date(int(period[:4]), int(period[5:]), 1), "LLLL y", locale=_loc(lang))
    )


def ordinal(n: int, lang: str = "it") -> str:
    """``2`` -> ``2ª`` (Italian, feminine: "la città") / ``2nd``."""
    if lang != "en":
        return f"{n}ª"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    name = _mid_sentence(ind.name_en if lang == "en" else ind.name_it)
    if per_10k and ind.kind != "ratio":
        name += (
            " per 10,000 foreign residents" if lang == "en" else " ogni 10.000 residenti stranieri"
        )
    return name


def build_rank_sentence(
    city_name: str, rank: int, n: int, phrase: str, lang: str = "it", tied: bool = False
) -> str:
    """``Bologna è 2ª su 16 per <phrase>.`` / ``Bologna ranks 2nd of 16 for <phrase>.``"""
    if lang == "en":
        joint = "joint " if tied else ""
        return f"{city_name} ranks {joint}{ordinal(rank, lang)} of {n} for {phrase}."
    joint = " a pari merito" if tied else ""
    return f"{city_name} è {ordinal(rank, lang)}{joint} su {n} per {phrase}."


def build_median_sentence(
    city_name: str, value: float, median: float, phrase: str, lang: str = "it"
) -> str:
    """How far the city is from the median of its group, e.g. ``Bologna: 12,3 <phrase>, il 35%
    sopra la mediana del gruppo (9,1).``"""
    if _missing(value) or _missing(median) or median == 0:
        return f"{city_name}: {format_number(value, lang)} {phrase}."
    diff = value / median - 1
    v, m = format_number(value, lang), format_number(median, lang)
    pct = format_percent(abs(diff), lang)
    if lang == "en":
        where = "at" if round(100 * diff) == 0 else ("above" if diff > 0 else "below")
        amount = "" if where == "at" else f"{pct} "
        return f"{city_name}: {v} {phrase}, {amount}{where} the group median ({m})."
    where = "in linea con" if round(100 * diff) == 0 else ("sopra" if diff > 0 else "sotto")
    amount = "" if where == "in linea con" else f"il {pct} "
    return f"{city_name}: {v} {phrase}, {amount}{where} la mediana del gruppo ({m})."


def build_projection_sentence(
    city_name: str,
    scope: str,
    projected_achievement: float,
    lang: str = "it",
    end_date: str = PROGRAMME_END_DATE,
) -> str:
    """``A questo ritmo Taranto raggiunge il 64% del suo obiettivo WP3 entro il 31 marzo 2024.``
    / ``At this pace Taranto reaches 64% of its WP3 target by 31 March 2024.``"""
    pct, when = format_percent(projected_achievement, lang), format_long_date(end_date, lang)
    if lang == "en":
        return f"At this pace {city_name} reaches {pct} of its {scope} target by {when}."
    return (
        f"A questo ritmo {city_name} raggiunge il {pct} del suo obiettivo {scope} entro il {when}."
    )


def build_needed_pace_sentence(
    city_name: str, phrase: str, needed_pace: float, pace: float, lang: str = "it"
) -> str:
    """``Per raggiungere l'obiettivo Taranto deve arrivare a 12,7 <phrase> al mese (ora 4).``"""
    need, now = format_number(needed_pace, lang), format_number(pace, lang)
    if lang == "en":
        return f"To reach its target {city_name} needs {need} {phrase} a month (now {now})."
    return (
        f"Per raggiungere l'obiettivo {city_name} deve arrivare a {need} {phrase} al mese "
        f"(ora {now})."
    )


def build_funnel_sentence(city_name: str, position: str, phrase: str, lang: str = "it") -> str:
    """Plain-language reading of a funnel position (see ``metrics_benchmark.FUNNEL_POSITIONS``)."""
    en = {
        "inside": "within the range expected from chance for its size",
        "above_95": "above the range expected for its size (95% limit)",
        "above_998": "well above the range expected for its size (99.8% limit)",
        "below_95": "below the range expected for its size (95% limit)",
        "below_998": "well below the range expected for its size (99.8% limit)",
    }
    it = {
        "inside": "nell'intervallo atteso per la sua dimensione, al netto del caso",
        "above_95": "sopra l'intervallo atteso per la sua dimensione (limite 95%)",
        "above_998": "molto sopra l'intervallo atteso per la sua dimensione (limite 99,8%)",
        "below_95": "sotto l'intervallo atteso per la sua dimensione (limite 95%)",
        "below_998": "molto sotto l'intervallo atteso per la sua dimensione (limite 99,8%)",
    }
    if lang == "en":
        return f"For {phrase}, {city_name} is {en[position]}."
    return f"Per {phrase}, {city_name} è {it[position]}."


def build_city_sentences(
    benchmark: pd.DataFrame,
    city_name: str,
    lang: str = "it",
    max_sentences: int = 3,
    *,
    catalogue: Catalogue | None = None,
) -> list[str]:
    """A few sentences on a city, from ``metrics_benchmark.compute_city_benchmark``.

    The best-ranked indicator first, then the worst-ranked, then the next best; ties broken by
    indicator code so the text is stable. Unranked indicators are skipped.
    """
    cat = catalogue or INDICATOR_BY_CODE
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
