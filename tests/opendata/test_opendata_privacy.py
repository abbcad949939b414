"""The public release, like every public output, holds no count of people from 1 to 9 and no
protected-shelter location (the same checks as the public export and the pages)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from leak_scan import near_sites
from sqlalchemy import select

from data_access.catalogue import INDICATORS
from data_access.config import make_engine
from data_access.opendata import zip_bytes
from data_access.schema import ProtectedSite

PEOPLE = {i.code for i in INDICATORS if i.counts_people and i.kind != "ratio"}


@pytest.fixture(scope="module")
def sites(demo_sqlite_url: str) -> list[tuple[float, float]]:
    eng = make_engine(demo_sqlite_url)
    with eng.connect() as c:
        rows = [(r.lat, r.lon) for r in c.execute(select(ProtectedSite.lat, ProtectedSite.lon))]
    eng.dispose()
    assert rows
    return rows


def _people_values(release: dict[str, bytes], name: str, code: str, value: str) -> pd.Series:
    frame = pd.read_csv(io.BytesIO(release[name]), dtype=str, keep_default_na=False)
    people = frame[frame[code].isin(PEOPLE)]
    return pd.to_numeric(people[value], errors="coerce")


@pytest.mark.parametrize(
    ("name", "code", "value"),
    [
        ("observations.csv", "indicator", "value"),
        ("observations.sdmx.csv", "INDICATOR", "OBS_VALUE"),
    ],
)
def test_no_small_count_of_people(
    release: dict[str, bytes], name: str, code: str, value: str
) -> None:
    values = _people_values(release, name, code, value)
    assert not values.between(1, 9).any()
    shown = values.dropna()
    assert (shown % 5 == 0).all()


def test_people_are_counted_somewhere(release: dict[str, bytes]) -> None:
    """The checks above look at real rows: the release does publish counts of people."""
    assert len(_people_values(release, "observations.csv", "indicator", "value").dropna()) > 100


def test_no_protected_place_in_any_file_or_the_zip(
    release: dict[str, bytes], sites: list[tuple[float, float]]
) -> None:
    texts = {name: data.decode("utf-8") for name, data in release.items()}
    with zipfile.ZipFile(io.BytesIO(zip_bytes(release))) as zf:
        texts.update({f"zip:{n}": zf.read(n).decode("utf-8") for n in zf.namelist()})
    hits = {name: near_sites(text, sites)[:3] for name, text in texts.items()}
    assert not any(hits.values()), hits
    assert not any("protected" in n or "sites" in n for n in release)


def test_the_scan_would_see_a_leak(
    release: dict[str, bytes], sites: list[tuple[float, float]]
) -> None:
    lat, lon = sites[0]
    doctored = release["hubs.geojson"].decode("utf-8") + f"[{lon:.6f}, {lat:.6f}]"
    assert near_sites(doctored, sites) != []
    values = pd.Series([3.0])
    assert values.between(1, 9).any()


def test_release_files_are_the_only_files(release_dir: Path, release: dict[str, bytes]) -> None:
    assert sorted(p.name for p in release_dir.iterdir()) == sorted(release)
