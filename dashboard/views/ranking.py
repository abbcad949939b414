"""Charts that rank cities, at any number of cities: which cities a ranking shows.

With the programme's 16 cities a ranking shows every city. With hundreds (``lgnet2 demo --scale
100``: 1,600) a chart of every bar is unreadable and slow to send (the browser gets every bar,
label and hover text on each rerun), so beyond :data:`MAX_SHOWN` cities it shows the top and the
bottom of the ranking plus the reader's own city, and says so (:func:`note`); the full ranking
stays in the page's table download. Nothing is recomputed: the rows shown are rows of the full
frame, with the same values ("one fact, one figure"). Pure (no Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.locale import fmt_number, translate

#: Up to this many cities a ranking shows every one of them.
MAX_SHOWN = 40
#: Beyond :data:`MAX_SHOWN`: this many cities from the top, and as many from the bottom.
EDGE = 15


@dataclass(frozen=True)
class Ranked:
    """What a ranking chart shows.

    Attributes:
        rows: the rows of the full frame that are shown (same columns, same values), in the
            frame's order.
        total: cities in the full frame.
        trimmed: whether some cities are left out (then :func:`note` says which are shown).
        top, bottom: how many cities with a value are shown from each end (0 when not trimmed).
        own: the reader's city when it is shown besides the top and bottom, else None.
    """

    rows: pd.DataFrame
    total: int
    trimmed: bool
    top: int = 0
    bottom: int = 0
    own: str | None = None


def rank_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (``city_code, name, value``) from the highest value down, ties by name; the
    cities without a value (NaN) last, by name."""
    valued = frame[frame["value"].notna()].sort_values(["value", "name"], ascending=[False, True])
    holes = frame[frame["value"].isna()].sort_values("name")
    return pd.concat([valued, holes])


def select_ranked(
    frame: pd.DataFrame,
    own: str | None = None,
    *,
    limit: int = MAX_SHOWN,
    edge: int = EDGE,
) -> Ranked:
    """The rows of ``frame`` (``city_code, name, value``) a ranking chart shows.

    Up to ``limit`` cities: every row. Beyond: the ``edge`` highest and the ``edge`` lowest
    values, and ``own`` (the reader's city) wherever it stands, even without a value; the cities
    without a value are then left out of the chart (the note says how many cities there are).
    """
    total = len(frame)
    if total <= limit:
        return Ranked(frame, total, trimmed=False)
    ordered = rank_order(frame[frame["value"].notna()])
    top = ordered.head(edge)
    bottom = ordered.iloc[max(len(top), len(ordered) - edge) :]
    keep = set(top["city_code"]) | set(bottom["city_code"])
    extra = own if own is not None and own not in keep and own in set(frame["city_code"]) else None
    if extra is not None:
        keep.add(extra)
    rows = frame[frame["city_code"].isin(keep)]
    return Ranked(rows, total, trimmed=True, top=len(top), bottom=len(bottom), own=extra)


def note(ranked: Ranked, lang: str, own_name: str | None = None) -> str | None:
    """What a trimmed ranking shows, in words ("The 15 highest and the 15 lowest of 1,600
    cities, and Bologna; every city is in the table download"); None when it shows every city."""
    if not ranked.trimmed:
        return None
    text = translate(
        lang,
        "ranking.note",
        top=ranked.top,
        bottom=ranked.bottom,
        n=fmt_number(ranked.total, lang),
    )
    if ranked.own is not None and own_name:
        text += translate(lang, "ranking.note_own", city=own_name)
    return text + translate(lang, "ranking.note_download")


__all__ = ["EDGE", "MAX_SHOWN", "Ranked", "note", "rank_order", "select_ranked"]
