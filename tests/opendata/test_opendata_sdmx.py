"""observations.sdmx.csv read back by an SDMX library (sdmx1) with the release's own DSD gives
the public export's values, and every disclosure flag its SDMX status."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import sdmx

from data_access.opendata.sdmx_csv import sdmx_frame

# The disclosure flag of the public export and the SDMX codes it must become
# (CL_OBS_STATUS 2.2, CL_CONF_STATUS 1.3).
EXPECTED_STATUS = {
    "": ("A", "F"),
    "arrotondato": ("E", "F"),
    "soppresso": ("Q", "C"),
}


@pytest.fixture(scope="module")
def flow(release_dir: Path):  # type: ignore[no-untyped-def]
    structure = sdmx.read_sdmx(release_dir / "structure.xml")
    return structure.dataflow["DF_LGNET2_OBS"]


@pytest.fixture(scope="module")
def read_back(release_dir: Path, flow) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    message = sdmx.read_sdmx(release_dir / "observations.sdmx.csv", structure=flow)
    rows = []
    for dataset in message.data:
        for obs in dataset.obs:
            key = obs.dimension.values
            attrs = {k: v.value for k, v in obs.attached_attribute.items()}
            rows.append(
                {
                    "city_code": key["CITY"].value,
                    "indicator": key["INDICATOR"].value,
                    "period": key["TIME_PERIOD"].value,
                    "sdmx_value": float(obs.value) if obs.value not in ("", None) else math.nan,
                    "obs_status": attrs["OBS_STATUS"],
                    "conf_status": attrs["CONF_STATUS"],
                    "demo": attrs.get("DEMO", ""),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def exported(public_export: Path) -> pd.DataFrame:
    """The public export's monthly city values (the rows SDMX carries; published totals, when
    the export has them as rows of another ``level``, stay in observations.csv)."""
    frame = pd.read_csv(
        public_export / "observations.csv",
        dtype={"city_code": str, "period": str, "flag": str},
        keep_default_na=False,
        na_values={"value": [""]},
    )
    return frame[frame["level"] == "month"] if "level" in frame else frame


def test_sdmx_values_equal_the_public_export(read_back: pd.DataFrame, exported) -> None:  # type: ignore[no-untyped-def]
    key = ["city_code", "indicator", "period"]
    both = exported.merge(read_back, on=key, how="outer", indicator=True)
    assert (both["_merge"] == "both").all()
    assert len(read_back) == len(exported) > 1000
    same = (both["value"] == both["sdmx_value"]) | (
        both["value"].isna() & both["sdmx_value"].isna()
    )
    assert same.all(), both[~same].head()


def test_disclosure_flags_become_sdmx_statuses(read_back: pd.DataFrame, exported) -> None:  # type: ignore[no-untyped-def]
    both = exported.merge(read_back, on=["city_code", "indicator", "period"])
    got = set(zip(both["flag"], both["obs_status"], both["conf_status"], strict=True))
    assert got <= {(flag, *codes) for flag, codes in EXPECTED_STATUS.items()} and got
    assert both.loc[both["flag"] == "soppresso", "sdmx_value"].isna().all()


def test_every_flag_has_its_status() -> None:
    """The mapping on a table holding every flag (the public release may not show them all)."""
    obs = pd.DataFrame(
        {
            "city_code": ["037006"] * 3,
            "city": ["Bologna"] * 3,
            "indicator": ["WP3_HOUSED"] * 3,
            "period": ["2023-01", "2023-02", "2023-03"],
            "value": [0.0, 15.0, math.nan],
            "flag": list(EXPECTED_STATUS),
        }
    )
    indicators = pd.DataFrame({"code": ["WP3_HOUSED"], "unit": ["persone"]})
    frame = sdmx_frame(obs, indicators, demo=False)
    got = dict(
        zip(obs["flag"], zip(frame["OBS_STATUS"], frame["CONF_STATUS"], strict=True), strict=True)
    )
    assert got == EXPECTED_STATUS
    assert list(frame["UNIT_MEASURE"]) == ["PERSONE"] * 3 and "DEMO" not in frame


def test_codes_are_in_the_dsd_code_lists(read_back: pd.DataFrame, flow, exported) -> None:  # type: ignore[no-untyped-def]
    dims = {d.id: d for d in flow.structure.dimensions}
    cities = {c.id for c in dims["CITY"].local_representation.enumerated}
    indicators = {c.id for c in dims["INDICATOR"].local_representation.enumerated}
    assert set(read_back["city_code"]) <= cities and len(cities) == 16
    assert "037006" in cities  # ISTAT codes keep their leading zero
    assert set(read_back["indicator"]) <= indicators


def test_demo_data_is_marked_on_every_observation(read_back: pd.DataFrame) -> None:
    assert (read_back["demo"] == "DATI DIMOSTRATIVI / demo data").all()
