"""Protected-shelter places by area of a city, adding up to the WP3 indicator (issue 11.5).

The territorial map listed only the places inside peripheries (Roma: 13 in Corviale) while the
WP3 indicator counts every place of the city (126). The places outside any periphery (and, for
the public, those of peripheries too small to be shown apart) get their own row, "fuori dalle
periferie": the indicator's value minus the places shown in peripheries, so the table adds up
to the indicator. When the indicator has no value, the row holds the registry's own count.
"""

from __future__ import annotations

import math

import pandas as pd

#: The indicator the map's places column must add up to.
PLACES_INDICATOR = "WP3_PLACES"


def places_by_area(
    sites: pd.DataFrame, city: str, indicator_total: float | None
) -> tuple[dict[int, int], float]:
    """``({periphery id: places}, places outside the peripheries)`` for ``city``.

    Args:
        sites: ``disclose_protected_places`` output as the viewer may see it.
        indicator_total: the city's WP3 places as the viewer sees them (NaN/None: unknown).

    The outside row is never negative: when the registry counts more places in peripheries
    than the indicator, it is 0 (the two sources disagree; the indicator is the reported one).
    """
    own = sites[sites["city_code"].astype(str) == str(city)]
    located = own[own["level"] == "periphery"]
    inside = {
        int(i): int(p) for i, p in zip(located["periphery_id"], located["places"], strict=True)
    }
    if indicator_total is None or (
        isinstance(indicator_total, float) and math.isnan(indicator_total)
    ):
        outside = float(own.loc[own["level"] == "city", "places"].sum())
    else:
        outside = max(0.0, float(indicator_total) - sum(inside.values()))
    return inside, outside


__all__ = ["PLACES_INDICATOR", "places_by_area"]
