"""Tables as shown and as downloaded (issue 11, point 10).

On screen a table carries formatted text ("2.725", "+1%"); its CSV/XLSX download carries data:
raw numbers in numeric columns, the codes beside the names, headers in the user's language. Each
builder returns both frames from the same rows, so they cannot disagree. Pure (no streamlit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE
from data_access.locale import MISSING, fmt_auto, fmt_percent, translate

Frames = tuple[pd.DataFrame, pd.DataFrame]


def _name(code: str, lang: str) -> str:
    return str(getattr(INDICATOR_BY_CODE[code], f"name_{lang}"))


def _signed_percent(value: float, lang: str) -> str:
    """``+15%``, ``-3%``, and ``0%`` without a sign for what rounds to zero."""
    text = fmt_percent(value, lang)
    if text == MISSING or text.startswith("-") or text == fmt_percent(0.0, lang):
        return text
    return "+" + text


def bench_frames(bench: pd.DataFrame, lang: str) -> Frames:
    """The benchmark page's "standing on every indicator" table: (screen, download).

    ``bench``: ``metrics.benchmark.compute_city_benchmark`` (one row per indicator).
    """

    def t(key: str, **kw: object) -> str:
        return translate(lang, key, **kw)

    codes = list(bench["indicator_code"])
    actions = [INDICATOR_BY_CODE[c].action for c in codes]
    names = [_name(c, lang) for c in codes]
    screen = pd.DataFrame(
        {
            t("method.col_action"): actions,
            t("method.col_name"): names,
            t("bench.value"): [fmt_auto(v, lang) for v in bench["value"]],
            t("bench.per10k"): [fmt_auto(v, lang) for v in bench["benchmark_value"]],
            t("bench.rank"): [
                t("bench.rank_of", rank=int(r), n=int(n)) if pd.notna(r) else MISSING
                for r, n in zip(bench["rank"], bench["n_ranked"], strict=True)
            ],
            t("bench.median"): [fmt_auto(v, lang) for v in bench["median"]],
            t("bench.distance"): [_signed_percent(v, lang) for v in bench["distance_pct"]],
        }
    )
    download = pd.DataFrame(
        {
            t("method.col_code"): codes,
            t("method.col_action"): actions,
            t("method.col_name"): names,
            t("bench.value"): bench["value"].astype(float).to_numpy(),
            t("bench.per10k"): bench["benchmark_value"].astype(float).to_numpy(),
            t("bench.rank"): pd.array(bench["rank"], dtype="Int64"),
            t("downloads.col_ranked"): pd.array(bench["n_ranked"], dtype="Int64"),
            t("bench.median"): bench["median"].astype(float).to_numpy(),
            t("bench.distance"): bench["distance_pct"].astype(float).to_numpy(),
        }
    )
    return screen, download


def wp_frames(
    codes: Sequence[str],
    values: Callable[[str], pd.Series],
    city_names: Mapping[str, str],
    shown: Callable[[float], str],
    lang: str,
) -> Frames:
    """The work-package page's table (indicators x cities): (screen, download).

    ``values(code)``: the indicator's value per city code in the chosen measure; ``shown``:
    how a value is written on screen. The download's city columns are headed
    "name (ISTAT code)".
    """
    order = sorted(city_names, key=lambda c: city_names[c])
    action_h = translate(lang, "method.col_action")
    name_h = translate(lang, "method.col_name")
    screen_rows, data_rows = [], []
    for code in codes:
        v = values(code)
        action, name = INDICATOR_BY_CODE[code].action, _name(code, lang)
        screen_rows.append(
            {action_h: action, name_h: name}
            | {city_names[c]: shown(v.get(c)) if c in v.index else MISSING for c in order}
        )
        data_rows.append(
            {translate(lang, "method.col_code"): code, action_h: action, name_h: name}
            | {f"{city_names[c]} ({c})": float(v.get(c, float("nan"))) for c in order}
        )
    return pd.DataFrame(screen_rows), pd.DataFrame(data_rows)


def funnel_note(phi: float, tau: float, lang: str) -> str:
    """The funnel plot's note on the over-dispersion adjustment, with its estimates."""
    if tau > 0:
        return translate(
            lang,
            "bench.funnel_adjusted",
            phi=fmt_auto(round(phi, 1), lang),
            tau=fmt_auto(round(tau, 2), lang),
        )
    return translate(lang, "bench.funnel_poisson")


__all__ = ["Frames", "bench_frames", "funnel_note", "wp_frames"]
