"""What one protected viewer reads: the published release, and a city manager's own city live.

- public: the release as published (approved months, disclosed).
- city manager: the release for the other cities at city level (their periphery rows and
  periphery totals dropped) and its own city live and exact (every month it stored), with
  the release's national totals. Every city manager reads the same protected release of the
  other cities: the public one, which any manager can read anyway, so a manager learns nothing
  about another city beyond what the public release already tells everyone; and one release for
  all managers costs one solver run instead of one per city (issue 13).

Pure functions: no database, no solver (the own city's exact totals come from
``disclose_table`` with a full-detail viewer, which never protects anything).
"""

from __future__ import annotations

import pandas as pd

from data_access.disclosure import BELOW, DisclosedTable, disclose_table
from data_access.viewer import Viewer

ROW_COLUMNS = ["city_code", "periphery_id", "indicator_code", "period", "value", "flag", BELOW]
_EXACT = Viewer("steering")


def release_for_viewer(
    published: DisclosedTable, own: pd.DataFrame | None, viewer: Viewer
) -> tuple[pd.DataFrame, DisclosedTable]:
    """The rows and the table ``viewer`` may see.

    Args:
        published: the latest publication (``store.load_published``).
        own: a city manager's own city, raw (``queries.fetch_all_observations`` rows of that
            city); ignored for other viewers.
        viewer: a protected viewer (public or city manager).

    Returns:
        ``(rows, table)``: ``rows`` are the table's cells (columns ``ROW_COLUMNS``), the input
        the per-viewer metrics (``metrics.viewer``) take in place of raw values.
    """
    if viewer.full_detail:
        raise ValueError("full-detail viewers read live data, not a publication")
    if viewer.role != "city":
        return published.cells[ROW_COLUMNS], published
    city = viewer.city
    cells = published.cells
    others = cells[(cells["city_code"] != city) & cells["periphery_id"].isna()]
    mine = disclose_table(own, _EXACT) if own is not None and not own.empty else None
    own_cells = mine.cells[ROW_COLUMNS] if mine is not None else others.iloc[:0]
    merged = pd.concat([others[ROW_COLUMNS], own_cells], ignore_index=True)
    merged["periphery_id"] = merged["periphery_id"].astype("Int64")
    merged = merged.assign(_p=merged["periphery_id"].notna()).sort_values(
        ["_p", "city_code", "indicator_code", "period", "periphery_id"], kind="stable"
    )
    merged = merged.drop(columns="_p").reset_index(drop=True)

    def city_part(name: str) -> pd.DataFrame:
        pub = getattr(published, name)
        pub = pub[pub["city_code"] != city] if name == "city_totals" else pub.iloc[:0]
        if mine is None:
            return pub.reset_index(drop=True)
        return pd.concat([pub, getattr(mine, name)], ignore_index=True)

    table = DisclosedTable(
        cells=merged,
        city_totals=city_part("city_totals"),
        national_by_period=published.national_by_period,
        national_totals=published.national_totals,
        periphery_totals=city_part("periphery_totals"),
    )
    if not table.periphery_totals.empty:
        table.periphery_totals["periphery_id"] = table.periphery_totals["periphery_id"].astype(
            "Int64"
        )
    return merged, table
