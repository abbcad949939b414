"""One place on the map, one month: the disclosed values a drill-down panel shows.

The values come from the viewer's one joint disclosure (``DisclosedTable.cells``), never from a
separate query, so a periphery's month shows the same number on the map panel, in the tables and
in exports (one fact, one figure).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PLACE_MONTH_COLUMNS = ("indicator_code", "value", "flag", "suppressed_below")


def periphery_month(
    cells: pd.DataFrame, periphery_id: int, period: str, indicators: Sequence[str]
) -> pd.DataFrame:
    """The disclosed values of one periphery in one month, one row per indicator in
    ``indicators`` (in that order); an indicator not reported that month has value NaN and an
    empty flag.

    Args:
        cells: ``DisclosedTable.cells`` of the viewer (``periphery_id``, ``indicator_code``,
            ``period``, ``value``, ``flag``, ``suppressed_below``).
        periphery_id: the periphery.
        period: the month, ``YYYY-MM``.
        indicators: the periphery-level indicators to show.
    """
    pid = pd.to_numeric(cells["periphery_id"], errors="coerce")
    mine = cells[(pid == periphery_id) & (cells["period"] == period)]
    by_code = mine.drop_duplicates("indicator_code").set_index("indicator_code")
    rows = []
    for code in indicators:
        if code in by_code.index:
            r = by_code.loc[code]
            rows.append((code, r["value"], r["flag"] or "", r["suppressed_below"]))
        else:
            rows.append((code, float("nan"), "", float("nan")))
    return pd.DataFrame(rows, columns=list(PLACE_MONTH_COLUMNS))
