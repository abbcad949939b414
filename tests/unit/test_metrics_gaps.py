"""Issue 11, point 6: monthly series keep their holes (suppressed or missing), never a zero."""

from __future__ import annotations

import math

import pandas as pd

from data_access.disclosure.tables import FLAG_SUPPRESSED
from data_access.metrics.gaps import gap_kinds, monthly_with_gaps


def _obs(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city_code": [r[0] for r in rows],
            "periphery_id": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "indicator_code": ["WP3_HOUSED"] * len(rows),
            "period": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "flag": [r[3] for r in rows],
        }
    )


def test_every_month_of_every_city_with_its_gap() -> None:
    obs = _obs(
        [
            ("021008", "2022-10", 0.0, ""),
            ("021008", "2022-11", math.nan, FLAG_SUPPRESSED),
            ("021008", "2023-01", 12.0, ""),
        ]
    )
    out = monthly_with_gaps(obs, ["021008", "076063"], ["2022-10", "2022-11", "2022-12", "2023-01"])
    assert len(out) == 8
    bz = out[out["city_code"] == "021008"]
    assert list(bz["gap"]) == ["", "suppressed", "missing", ""]
    assert bz["value"].isna().tolist() == [False, True, True, False]
    assert set(out[out["city_code"] == "076063"]["gap"]) == {"missing"}


def test_gap_kinds_from_the_viewer_cumulative() -> None:
    cum = pd.DataFrame(
        {
            "city_code": ["A", "B", "C"],
            "indicator_code": ["X", "X", "X"],
            "value": [5.0, math.nan, math.nan],
            "flag": ["", FLAG_SUPPRESSED, ""],
        }
    )
    assert gap_kinds(["A", "B", "C", "D"], [5.0, math.nan, math.nan, math.nan], cum, "X") == [
        "",
        "suppressed",
        "missing",
        "missing",
    ]
