"""The benchmarking page's frames, figures and sentences (``pages/benchmark.py``): one city
against its peers on the indicators that count people or events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.benchmark import funnel_plot, peer_trend
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS
from data_access.disclosure import FLAG_PARTIAL
from data_access.locale import indicator_label, translate
from data_access.metrics.benchmark import Funnel, compute_funnel, compute_peer_trend
from data_access.metrics.text import build_funnel_sentence, indicator_phrase

#: What can be compared per 10,000 residents: every indicator but the ratios.
COUNT_INDICATORS = [i.code for i in INDICATORS if i.kind != "ratio"]


def peers_caption(peers: Sequence[str], names: dict[str, str], lang: str) -> str:
    """ "N cities in the group: A, B, C" (names in alphabetical order)."""
    listed = ", ".join(sorted(names[c] for c in peers))
    return translate(lang, "bench.group_size", n=len(peers), names=listed)


def funnel(cumulative: pd.DataFrame, cities: pd.DataFrame, indicator: str) -> Funnel:
    """The funnel of ``indicator`` over every city: the control limits come from the
    programme-wide pooled rate, whatever the peer group."""
    one = cumulative[cumulative["indicator_code"] == indicator]
    return compute_funnel(
        one[["city_code", "value"]], cities, direction=INDICATOR_BY_CODE[indicator].direction
    )


@dataclass(frozen=True)
class Comparison:
    """What the page compares: ``city`` against ``peers`` on ``indicator``, in ``lang``
    (``names``: city code -> name)."""

    names: dict[str, str]
    city: str
    peers: tuple[str, ...]
    indicator: str
    lang: str

    @property
    def y_title(self) -> str:
        return indicator_label(self.indicator, self.lang)


def funnel_figure(data: Funnel, c: Comparison) -> go.Figure:
    """The funnel plot with the city highlighted and its peers marked."""
    return funnel_plot(
        data.points,
        data.limits,
        data.pooled_rate,
        c.names,
        c.lang,
        highlight=c.city,
        peers=list(c.peers),
        y_title=c.y_title,
    )


def funnel_sentence(data: Funnel, c: Comparison) -> str | None:
    """Where the city sits in the funnel, in words; None when it is not in the plot."""
    point = data.points[data.points["city_code"] == c.city]
    if not len(point):
        return None
    phrase = indicator_phrase(c.indicator, c.lang)
    return build_funnel_sentence(c.names[c.city], point["position"].iloc[0], phrase, c.lang)


def trend_figure(series: pd.DataFrame, cities: pd.DataFrame, c: Comparison) -> go.Figure:
    """The city's cumulative series per 10,000 against its peers' median and range."""
    trend = compute_peer_trend(series, cities, c.city, c.indicator, list(c.peers))
    return peer_trend(trend, c.names[c.city], c.lang, y_title=c.y_title)


def comparable(cumulative: pd.DataFrame, indicator: str) -> bool:
    """Whether at least two cities have a value of ``indicator`` the viewer sees: a protected
    viewer has the cities' totals of a count of people only for the latest month published."""
    one = cumulative[(cumulative["indicator_code"] == indicator) & cumulative["value"].notna()]
    return bool(one["city_code"].nunique() >= 2)


def has_partial(series: pd.DataFrame) -> bool:
    """Whether a month of ``series`` adds up values some of which were hidden."""
    return bool((series["flag"] == FLAG_PARTIAL).any())
