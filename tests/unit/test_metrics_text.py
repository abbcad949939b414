"""Numbers and sentences in Italian and English (metrics.text, with data_access.locale's formats)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import pytest

from data_access.locale import fmt_date, fmt_number, fmt_ordinal, fmt_percent, fmt_period
from data_access.metrics.text import (
    build_city_sentences,
    build_funnel_sentence,
    build_median_sentence,
    build_needed_pace_sentence,
    build_projection_sentence,
    build_rank_sentence,
    indicator_phrase,
)

TIC, AVG, OCC = "WP2_TAKEN_IN_CHARGE", "WP3_AVG_STAY", "WP3_OCCUPANCY"
format_number = partial(fmt_number, decimals=1, trim=True)  # as numbers inside sentences


@pytest.mark.parametrize(
    "func, args, it, en",
    [
        (format_number, (1234.5,), "1.234,5", "1,234.5"),
        (partial(fmt_number, decimals=2, trim=True), (1234.56,), "1.234,56", "1,234.56"),
        (format_number, (12.0,), "12", "12"),
        (partial(fmt_number, decimals=0, trim=True), (1234567.0,), "1.234.567", "1,234,567"),
        (format_number, (0.04,), "0", "0"),
        (format_number, (float("nan"),), "–", "–"),
        (format_number, (None,), "–", "–"),
        (fmt_percent, (0.644,), "64%", "64%"),
        (partial(fmt_percent, decimals=1), (0.644,), "64,4%", "64.4%"),
        (fmt_percent, (12.5,), "1.250%", "1,250%"),
        (fmt_percent, (float("nan"),), "–", "–"),
        (fmt_date, ("2024-03-31",), "31 marzo 2024", "31 March 2024"),
        (fmt_date, (dt.date(2022, 10, 15),), "15 ottobre 2022", "15 October 2022"),
        (fmt_period, ("2024-03",), "marzo 2024", "March 2024"),
        (fmt_ordinal, (1,), "1ª", "1st"),
        (fmt_ordinal, (2,), "2ª", "2nd"),
        (fmt_ordinal, (3,), "3ª", "3rd"),
        (fmt_ordinal, (4,), "4ª", "4th"),
        (fmt_ordinal, (11,), "11ª", "11th"),
        (fmt_ordinal, (12,), "12ª", "12th"),
        (fmt_ordinal, (13,), "13ª", "13th"),
        (fmt_ordinal, (21,), "21ª", "21st"),
        (fmt_ordinal, (16,), "16ª", "16th"),
    ],
)
def test_formats(func, args, it, en):
    assert func(*args, lang="it") == it
    assert func(*args, lang="en") == en


def test_italian_is_the_default():
    assert build_rank_sentence("Bari", 2, 16, "x") == "Bari è 2ª su 16 per x."
    assert fmt_number(1234.5, "fr", 1) == "1.234,5"


@pytest.mark.parametrize(
    "code, per_10k, it, en",
    [
        (
            TIC,
            True,
            "persone prese in carico ogni 10.000 residenti stranieri",
            "people taken in charge per 10,000 foreign residents",
        ),
        (TIC, False, "persone prese in carico", "people taken in charge"),
        (AVG, True, "permanenza media", "average stay"),
        (OCC, True, "tasso di occupazione", "occupancy rate"),
    ],
)
def test_indicator_phrase(code, per_10k, it, en):
    assert indicator_phrase(code, "it", per_10k) == it
    assert indicator_phrase(code, "en", per_10k) == en


SENTENCE_CASES = [
    (
        "rank",
        lambda lang: build_rank_sentence("Bologna", 2, 16, indicator_phrase(TIC, lang), lang),
        "Bologna è 2ª su 16 per persone prese in carico ogni 10.000 residenti stranieri.",
        "Bologna ranks 2nd of 16 for people taken in charge per 10,000 foreign residents.",
    ),
    (
        "tied rank",
        lambda lang: build_rank_sentence("Roma", 1, 4, "x", lang, tied=True),
        "Roma è 1ª a pari merito su 4 per x.",
        "Roma ranks joint 1st of 4 for x.",
    ),
    (
        "projection",
        lambda lang: build_projection_sentence("Taranto", "WP3", 0.644, lang),
        "A questo ritmo Taranto raggiunge il 64% del suo obiettivo WP3 entro il 31 marzo 2024.",
        "At this pace Taranto reaches 64% of its WP3 target by 31 March 2024.",
    ),
    (
        "above the median",
        lambda lang: build_median_sentence("Bologna", 12.3, 9.1, "x", lang),
        "Bologna: 12,3 x, il 35% sopra la mediana del gruppo (9,1).",
        "Bologna: 12.3 x, 35% above the group median (9.1).",
    ),
    (
        "below the median",
        lambda lang: build_median_sentence("Bari", 5.0, 10.0, "x", lang),
        "Bari: 5 x, il 50% sotto la mediana del gruppo (10).",
        "Bari: 5 x, 50% below the group median (10).",
    ),
    (
        "at the median",
        lambda lang: build_median_sentence("Bari", 10.02, 10.0, "x", lang),
        "Bari: 10 x, in linea con la mediana del gruppo (10).",
        "Bari: 10 x, at the group median (10).",
    ),
    (
        "no median",
        lambda lang: build_median_sentence("Bari", 3.0, float("nan"), "x", lang),
        "Bari: 3 x.",
        "Bari: 3 x.",
    ),
    (
        "needed pace",
        lambda lang: build_needed_pace_sentence("Taranto", "x", 1234.56, 4.0, lang),
        "Per raggiungere l'obiettivo Taranto deve arrivare a 1.234,6 x al mese (ora 4).",
        "To reach its target Taranto needs 1,234.6 x a month (now 4).",
    ),
    (
        "funnel",
        lambda lang: build_funnel_sentence("Roma", "above_998", "x", lang),
        "Per x, Roma è molto sopra l'intervallo atteso per la sua dimensione (limite 99,8%).",
        "For x, Roma is well above the range expected for its size (99.8% limit).",
    ),
]


@pytest.mark.parametrize(
    "build, it, en", [c[1:] for c in SENTENCE_CASES], ids=[c[0] for c in SENTENCE_CASES]
)
def test_sentences(build, it, en):
    assert build("it") == it
    assert build("en") == en


def make_benchmark(*rows: tuple) -> pd.DataFrame:
    """Rows ``(indicator, rank, n_ranked, n_tied)`` as compute_city_benchmark returns them."""
    df = pd.DataFrame(rows, columns=["indicator_code", "rank", "n_ranked", "n_tied"])
    df["rank"] = df["rank"].astype("Int64")
    return df


@pytest.mark.parametrize(
    "rows, max_sentences, expected",
    [
        (
            [(TIC, 2, 16, 1), (AVG, 15, 16, 1), (OCC, 5, 16, 2), ("WP2_LEGAL", None, 0, 0)],
            3,
            [
                "Bologna è 2ª su 16 per persone prese in carico ogni 10.000 residenti stranieri.",
                "Bologna è 15ª su 16 per permanenza media.",
                "Bologna è 5ª a pari merito su 16 per tasso di occupazione.",
            ],
        ),
        (
            [(TIC, 2, 16, 1), (AVG, 15, 16, 1)],
            1,
            ["Bologna è 2ª su 16 per persone prese in carico ogni 10.000 residenti stranieri."],
        ),
        ([(TIC, None, 0, 0)], 3, []),
    ],
    ids=["best, worst, next", "one sentence", "nothing ranked"],
)
def test_build_city_sentences(rows, max_sentences, expected):
    assert build_city_sentences(make_benchmark(*rows), "Bologna", "it", max_sentences) == expected
