"""The work-package page's frames and figures (``pages/work_package.py``): each indicator of a
WP across the cities, in one of three measures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.table_frames import Frames, wp_frames
from dashboard.views.ranking import note, select_ranked
from data_access.catalogue import ACTION_BY_CODE, INDICATOR_BY_CODE, programme_periods
from data_access.locale import (
    fmt_auto,
    fmt_number,
    fmt_percent,
    fmt_period,
    translate,
    unit_label,
)
from data_access.metrics.gaps import gap_kinds, monthly_with_gaps

#: Absolute value, per 10,000 foreign residents, share of the target.
MEASURES = ("abs", "per10k", "pct")


def _name(obj: object, lang: str) -> str:
    return str(getattr(obj, f"name_{lang}"))


def shown(value: float, how: str, lang: str) -> str:
    """A value as written in the measure ``how`` (a percentage for ``pct``)."""
    return fmt_percent(value, lang) if how == "pct" else fmt_auto(value, lang)


@dataclass(frozen=True)
class Measures:
    """The three measures of every city x indicator at one month.

    Attributes:
        cumulative: ``computed.cumulative`` (``value``); per_10k: ``computed.per_10k``
            (``benchmark_value``); achievement: ``computed.achievement`` (``achievement``).
    """

    cumulative: pd.DataFrame
    per_10k: pd.DataFrame
    achievement: pd.DataFrame

    def of(self, code: str, how: str) -> pd.DataFrame:
        """``city_code, value`` of one indicator in the measure ``how``."""
        if how == "pct":
            frame = self.achievement[self.achievement["indicator_code"] == code]
            return frame[["city_code"]].assign(value=frame["achievement"].to_numpy())
        if how == "per10k":
            frame = self.per_10k[self.per_10k["indicator_code"] == code]
            return frame[["city_code"]].assign(value=frame["benchmark_value"].to_numpy())
        frame = self.cumulative[self.cumulative["indicator_code"] == code]
        return frame[["city_code", "value"]]

    def effective(self, code: str, how: str) -> str:
        """The measure that can be shown: ``pct`` falls back to ``abs`` for an indicator with no
        target in any city."""
        if how != "pct":
            return how
        own = self.achievement[self.achievement["indicator_code"] == code]
        return "abs" if own["achievement"].isna().all() else how


def indicator_intro(code: str, lang: str) -> str:
    """The indicator's line of action, name, unit and definition (markdown)."""
    ind = INDICATOR_BY_CODE[code]
    return (
        f"**{translate(lang, 'wp_page.action')}:** {ind.action} · "
        f"{_name(ACTION_BY_CODE[ind.action], lang)}  \n"
        f"**{_name(ind, lang)}** ({unit_label(ind.unit, lang)}) — "
        f"{getattr(ind, 'definition_' + lang)}"
    )


def chart_title(code: str, how: str, period: str, lang: str) -> str:
    """ "<indicator> — <measure>, <month>"."""
    measure = translate(lang, f"measure.{how}")
    return f"{_name(INDICATOR_BY_CODE[code], lang)} — {measure}, {fmt_period(period, lang)}"


def _every(measures: Measures, names: dict[str, str], code: str, how: str) -> pd.DataFrame:
    """``city_code, name, value``: every city of ``names`` with ``code`` in the measure ``how``
    (NaN where it has none)."""
    return pd.DataFrame({"city_code": list(names), "name": list(names.values())}).merge(
        measures.of(code, how), on="city_code", how="left"
    )


def compare_figure(
    measures: Measures,
    names: dict[str, str],
    code: str,
    how: str,
    lang: str,
    own: str | None = None,
) -> go.Figure:
    """Every city's value of ``code`` in the measure ``how``, sorted, with the target (``pct``)
    or the median of every city as reference, and why a city has no bar. With many cities, the
    top and bottom of the ranking and ``own`` (the reader's city), said in the chart's title
    (``ranking.select_ranked``)."""
    ind = INDICATOR_BY_CODE[code]
    every = _every(measures, names, code, how)
    reference = 1.0 if how == "pct" else every["value"].median()
    ranked = select_ranked(every, own)
    bars = ranked.rows
    x_title = (
        translate(lang, f"measure.{how}")
        if how != "abs"
        else f"{_name(ind, lang)} ({unit_label(ind.unit, lang)})"
    )
    return charts.sorted_bars(
        bars,
        lang,
        x_title=x_title,
        reference=reference,
        reference_label=translate(lang, "chart.target" if how == "pct" else "chart.median"),
        text=[shown(v, how, lang) for v in bars["value"]],
        percent=how == "pct",
        gaps=gap_kinds(bars["city_code"], bars["value"], measures.cumulative, code),
        title=note(ranked, lang, names.get(own) if own is not None else None),
    )


def compared_cities(
    measures: Measures, names: dict[str, str], code: str, how: str, own: str | None = None
) -> dict[str, str]:
    """The cities :func:`compare_figure` shows (code -> name, in the order of ``names``): every
    city up to ``ranking.MAX_SHOWN``, else the top and bottom of its ranking and ``own``. The
    monthly series and the table on screen show the same cities."""
    keep = set(select_ranked(_every(measures, names, code, how), own).rows["city_code"])
    return {c: n for c, n in names.items() if c in keep}


def subset_note(
    kind: str, shown_names: dict[str, str], names: dict[str, str], lang: str
) -> str | None:
    """What the monthly series (``kind`` ``multiples``) or the table on screen (``table``) leave
    out when they show only the cities of the comparison (:func:`compared_cities`); None when
    they show every city."""
    if len(shown_names) == len(names):
        return None
    return translate(
        lang, f"ranking.{kind}_note", shown=len(shown_names), n=fmt_number(len(names), lang)
    )


def ratio_multiples(
    series: pd.DataFrame, names: dict[str, str], lang: str, title: str | None = None
) -> go.Figure:
    """Small multiples of a ratio: its value each month (``computed.cumulative_series``) in
    the cities ``names``."""
    monthly = series.loc[series["city_code"].isin(list(names)), ["city_code", "period", "value"]]
    monthly = monthly.assign(gap=["" if pd.notna(v) else "missing" for v in monthly["value"]])
    return charts.small_multiples(monthly, names, lang, title=title)


def count_multiples(
    observations: pd.DataFrame,
    names: dict[str, str],
    period: str,
    lang: str,
    title: str | None = None,
) -> go.Figure:
    """Small multiples of a count in the cities ``names``: each month's reported value up to
    ``period``, with the months that are missing or hidden marked
    (``metrics.gaps.monthly_with_gaps``)."""
    months = [p for p in programme_periods() if p <= period]
    shown_obs = observations[
        (observations["period"] <= period) & observations["city_code"].isin(list(names))
    ]
    monthly = monthly_with_gaps(shown_obs, list(names), months)
    return charts.small_multiples(monthly, names, lang, title=title)


def wp_table(
    measures: Measures,
    codes: list[str],
    names: dict[str, str],
    how: str,
    lang: str,
    on_screen: dict[str, str] | None = None,
) -> Frames:
    """Every indicator of the WP x every city in the measure ``how``: (screen, download). The
    screen frame has the columns of the cities ``on_screen`` only (default: every city); the
    download always has every city."""
    screen, download = wp_frames(
        codes,
        lambda code: measures.of(code, how).set_index("city_code")["value"],
        names,
        lambda v: shown(v, how, lang),
        lang,
    )
    if on_screen is not None and len(on_screen) < len(names):
        keep = set(on_screen.values())
        screen = screen[[c for i, c in enumerate(screen.columns) if i < 2 or c in keep]]
    return screen, download
