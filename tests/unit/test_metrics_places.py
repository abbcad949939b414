"""data_access.metrics.places: one periphery, one month, from the disclosed cells."""

from __future__ import annotations

import math

import pandas as pd

from data_access.metrics.places import PLACE_MONTH_COLUMNS, periphery_month


def _cells() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city_code": ["037006"] * 5,
            "periphery_id": [19, 19, 19, 20, None],
            "indicator_code": ["A", "B", "A", "A", "A"],
            "period": ["2024-03", "2024-03", "2024-02", "2024-03", "2024-03"],
            "value": [12.0, None, 7.0, 3.0, 100.0],
            "flag": ["", "soppresso", "", "", ""],
            "suppressed_below": [None, 10.0, None, None, None],
        }
    )


def test_one_row_per_indicator_in_order() -> None:
    out = periphery_month(_cells(), 19, "2024-03", ["B", "A", "C"])
    assert tuple(out.columns) == PLACE_MONTH_COLUMNS
    assert out["indicator_code"].tolist() == ["B", "A", "C"]
    b, a, c = out.itertuples(index=False)
    assert a.value == 12.0 and a.flag == ""
    assert b.flag == "soppresso" and b.suppressed_below == 10.0 and math.isnan(b.value)
    assert math.isnan(c.value) and c.flag == ""  # not reported that month


def test_other_months_peripheries_and_city_rows_are_not_mixed_in() -> None:
    assert periphery_month(_cells(), 20, "2024-03", ["A"])["value"].tolist() == [3.0]
    assert periphery_month(_cells(), 19, "2024-02", ["A"])["value"].tolist() == [7.0]
    assert math.isnan(periphery_month(_cells(), 21, "2024-03", ["A"])["value"].iloc[0])
