"""The public pack keeps the public's rules: no count of people from 1 to 9, no protected
place; and the committee's edition carries no shelter coordinate either."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from leak_scan import near_sites
from markupsafe import escape
from sqlalchemy import select

from dashboard.i18n import translate
from dashboard.pack.data import load_pack_data
from data_access import queries
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.config import make_engine
from data_access.errors import InvalidInput
from data_access.export import build_dataset
from data_access.metrics import viewer as metrics_viewer
from data_access.metrics.benchmark import has_peer_values
from data_access.schema import ProtectedSite
from data_access.viewer import Viewer

from .conftest import PERIODS, Pack

# "WP1 Partecipanti ai progetti di impegno civico 190 185 103% In linea" (a city page row)
ROW = re.compile(r"^(WP[123]) (.+?) (<10|<5|n\.d\.|–|[\d.]+) ([\d.]+|–) (\d+%|–) ", re.M)


def city_rows(pack: Pack) -> list[tuple[str, str, str, str]]:
    """(page text, wp, indicator name, shown value) of every headline row of the city pages."""
    out = []
    for text in pack.pages():
        if "Periferie e luoghi di aggregazione" not in text:
            continue
        city = text.splitlines()[0].strip()
        out += [(city, m.group(1), m.group(2), m.group(3)) for m in ROW.finditer(text)]
    return out


def as_number(shown: str) -> float:
    return float(shown.replace(".", ""))


def test_the_row_reader_can_fail() -> None:
    """The scanner below must see a small count when there is one."""
    page = "Bari\nWP3 Persone accolte 7 60 12% In ritardo \nPeriferie e luoghi di aggregazione"
    rows = [m.group(3) for m in ROW.finditer(page)]
    assert rows == ["7"]
    assert 1 <= as_number(rows[0]) <= 9


def test_public_city_pages_show_no_count_of_people_from_1_to_9(packs: dict[str, Pack]) -> None:
    rows = city_rows(packs["public-pdf"])
    assert len(rows) == 16 * 3
    for city, wp, name, shown in rows:
        if shown in ("<10", "<5", "n.d.", "–"):
            continue
        value = as_number(shown)
        assert not 1 <= value <= 9, (city, wp, name, shown)
        assert value % 5 == 0, (city, wp, name, shown)  # public counts are rounded to 5


def test_public_pack_hides_what_the_steering_export_shows_as_small(
    packs: dict[str, Pack], demo_sqlite_url: str
) -> None:
    """Where the exact cumulated value (steering export) is 1-9, the public page shows "<10"
    or "n.d.", never the number."""
    engine = make_engine(demo_sqlite_url)
    try:
        obs = build_dataset(engine, "observations", Viewer("steering"))
    finally:
        engine.dispose()
    obs = obs[obs["period"] <= PERIODS["public"]]
    exact = obs.groupby(["city", "indicator"])["value"].sum()
    by_name = {i.name_it: i.code for i in INDICATOR_BY_CODE.values()}
    for city, _wp, name, shown in city_rows(packs["public-pdf"]):
        code = by_name[name]
        if INDICATOR_BY_CODE[code].kind == "flow" and 1 <= exact.get((city, code), 0) <= 9:
            assert shown in ("<10", "<5", "n.d."), (city, name, shown)


def test_the_public_pack_reads_the_public_release(demo_sqlite_url: str) -> None:
    """Found in review: the pack ran a disclosure of its own on live data, so the public
    edition had months the public release does not (unapproved ones included) and each city's
    month-by-month count of people, drawn in its trend. It now reads what the public's pages
    read: the same cumulated figures, the release's latest month, no other city's months."""
    engine = make_engine(demo_sqlite_url)
    try:
        rows, table = queries.load_release(engine, Viewer())
        latest = str(rows["period"].max())
        assert PERIODS["public"] == latest  # the fixtures' public pack is at that month
        data = load_pack_data(engine, Viewer(), latest)
        live = queries.fetch_all_observations(engine)
        assert str(live["period"].max()) > latest  # the demo has months not yet released
        with pytest.raises(InvalidInput):
            load_pack_data(engine, Viewer(), str(live["period"].max()))
    finally:
        engine.dispose()
    page = metrics_viewer.compute_viewer_cumulative(rows, table, Viewer(), latest)
    key = ["city_code", "indicator_code"]
    pd.testing.assert_frame_equal(
        data.cumulative.sort_values(key, ignore_index=True),
        page.sort_values(key, ignore_index=True),
    )
    assert not any(has_peer_values(data.trend_series, city) for city in data.names), (
        "no city's monthly count of people"
    )


def test_public_city_pages_say_why_there_is_no_trend(packs: dict[str, Pack]) -> None:
    html = packs["public-pdf"].html
    assert html.count(str(escape(translate("it", "bench.trend_no_peers")))) == 16
    assert re.findall(r'id="fig-city-\w+-(\w+)"', html) == ["map"] * 16  # no trend drawn


@pytest.fixture(scope="module")
def sites(demo_sqlite_url: str) -> list[tuple[float, float]]:
    engine = make_engine(demo_sqlite_url)
    try:
        with engine.connect() as c:
            rows = [(r.lat, r.lon) for r in c.execute(select(ProtectedSite.lat, ProtectedSite.lon))]
    finally:
        engine.dispose()
    assert rows
    return rows


def test_leak_scanner_finds_a_site_when_there_is_one(sites: list[tuple[float, float]]) -> None:
    lat, lon = sites[0]
    assert near_sites(f"x {lat:.5f}, {lon:.5f} y", sites)


@pytest.mark.parametrize("key", ["public-pdf", "steering-pdf"])
def test_no_protected_site_coordinate_in_the_pdf_text(
    packs: dict[str, Pack], key: str, sites: list[tuple[float, float]]
) -> None:
    assert near_sites("\n".join(packs[key].pages()), sites) == []


def test_no_protected_site_coordinate_in_the_printed_html(
    packs: dict[str, Pack], sites: list[tuple[float, float]]
) -> None:
    """The HTML Chromium prints (figures as JSON included) carries hubs and periphery outlines,
    never a shelter's point."""
    page = packs["public-pdf"].html
    assert "fig-city-" in page
    assert near_sites(page, sites) == []


def test_each_edition_is_titled_for_its_readers(packs: dict[str, Pack]) -> None:
    """The public edition is not called the steering committee's pack (cover and header)."""
    from data_access.locale import translate

    public, steering = (
        " ".join(packs[k].pages()[0].split()) for k in ("public-pdf", "steering-pdf")
    )
    assert translate("it", "pack.title_public") in public
    assert translate("it", "pack.title_steering") not in public
    assert translate("it", "pack.title_steering") in steering


def test_a_percentage_outside_its_status_band_is_starred_and_explained(
    packs: dict[str, Pack], public_partial: int
) -> None:
    # The public's rounded figures can put a work package at 93 % of plan while its status,
    # from the exact figures, is "at risk": the matrix cell and the city page's chip say "93% *",
    # and the section says what the star means. The committee's figures are exact: no star.
    from dashboard.i18n import translate

    assert public_partial >= 1, "the demo's public figures leave a band somewhere"
    html = packs["public-pdf"].html
    assert len(re.findall(r"\d%\s\*", html)) == 2 * public_partial  # matrix cell + city chip
    note = translate("it", "status.partial_note")
    assert f"* {note}" in html
    assert not any(note in page for page in packs["steering-pdf"].pages())
