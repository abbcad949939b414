"""build_national_map: one bubble per city, status colours, legend, escaped tooltips, offline."""

from __future__ import annotations

import math

import folium
import pandas as pd
import pytest
from geo_checks import cdn_words, foreign_urls, of_type, streamlit_folium_links
from geo_factories import CITIES, make_cities

from geo.maps import MapLabels, TileSource, build_national_map, html_size, render_html
from geo.national import MAX_RADIUS, MIN_RADIUS, bubble_radius
from geo.style import OSM_TILES, STATUS_COLOURS, Legend, SafeTooltip

PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><img src=x onerror=alert(1)>",
    "`${alert(1)}`",
    "\\u003cscript\\u003e",
    'Forlì "d\'Italia" & co',
]


def _tooltips(m: folium.Map) -> list[str]:
    return [t.html for t in of_type(m, SafeTooltip)]


def test_one_bubble_per_city_with_status_colour() -> None:
    cities = make_cities()
    m = build_national_map(cities, "Persone raggiunte")
    markers = of_type(m, folium.CircleMarker)
    assert len(markers) == len(CITIES) == 16
    expected = {
        (round(r.lat, 5), round(r.lon, 5)): STATUS_COLOURS[
            r.status if pd.notna(r.value) else "no_data"
        ]
        for r in cities.itertuples()
    }
    got = {tuple(mk.location): mk.options["fillColor"] for mk in markers}
    assert got == expected


def test_missing_value_is_no_data_whatever_the_status() -> None:
    cities = make_cities().assign(status="on_track")
    cities.loc[0, "value"] = float("nan")
    m = build_national_map(cities, "X")
    nodata = [
        mk
        for mk in of_type(m, folium.CircleMarker)
        if mk.options["fillColor"] == STATUS_COLOURS["no_data"]
    ]
    assert len(nodata) == int(cities["value"].isna().sum()) == 5
    assert {mk.options["radius"] for mk in nodata} == {MIN_RADIUS}


@pytest.mark.parametrize(
    ("value", "vmax", "radius"),
    [
        (None, 100, MIN_RADIUS),
        (0, 100, MIN_RADIUS),
        (-5, 100, MIN_RADIUS),
        (100, 100, MAX_RADIUS),
        (25, 100, round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * 0.5, 1)),
        (float("nan"), 1, MIN_RADIUS),
        (5, 0, MIN_RADIUS),
    ],
)
def test_bubble_area_grows_with_value(value, vmax, radius) -> None:  # type: ignore[no-untyped-def]
    assert math.isclose(bubble_radius(value, vmax), radius)


@pytest.mark.parametrize("labels", [MapLabels(), MapLabels.english()], ids=["it", "en"])
def test_legend_lists_every_status_in_the_language(labels: MapLabels) -> None:
    m = build_national_map(make_cities(), "Value", labels=labels)
    (legend,) = of_type(m, Legend)
    for status, colour in STATUS_COLOURS.items():
        assert labels.status[status] in legend.html
        assert colour in legend.html
    assert labels.size_note in legend.html


def test_tooltip_has_name_and_formatted_value() -> None:
    cities = make_cities().assign(value_text=lambda f: [f"{v} pers." for v in f["value"]])
    m = build_national_map(cities, "Persone")
    tips = _tooltips(m)
    assert len(tips) == 16
    first = cities.iloc[0]
    assert any(first["name"] in t and f"Persone: {first['value_text']}" in t for t in tips)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_and_labels_are_escaped(payload: str) -> None:
    cities = make_cities({"015146": payload})
    m = build_national_map(cities, payload, labels=MapLabels(status_title=payload))
    html = render_html(m)
    for raw in ("<script>alert", "<img src=x", "`${", '"d\'Italia"'):
        if raw in payload:
            assert raw not in html
    assert html.count("<script>") == html.count("</script>") - html.count("<script src=")


@pytest.mark.parametrize(
    "tiles", [OSM_TILES, None, TileSource("http://127.0.0.1:9/{z}/{x}/{y}.png", "local")]
)
def test_nothing_is_loaded_from_another_host(tiles: TileSource | None) -> None:
    m = build_national_map(make_cities(), "X", tiles=tiles)
    html = render_html(m)
    allowed = (tiles.url, tiles.attribution) if tiles else ()
    assert foreign_urls(html, allowed) == []
    assert cdn_words(html.replace(tiles.url, "") if tiles else html) == []
    assert all(u.startswith("/app/static/vendor/") for u in streamlit_folium_links(m))
    assert ("L.tileLayer" in html) == (tiles is not None)


def test_same_input_same_bytes() -> None:
    assert render_html(build_national_map(make_cities(), "X")) == render_html(
        build_national_map(make_cities(), "X")
    )


def test_size_budget() -> None:
    assert html_size(build_national_map(make_cities(), "X")) <= 200 * 1024


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f: f.drop(columns=["lat"]), "missing"),
        (lambda f: f.assign(status="late"), "unknown status"),
    ],
)
def test_bad_input_is_refused(change, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        build_national_map(change(make_cities()), "X")


def test_empty_frame_gives_a_map_of_italy() -> None:
    m = build_national_map(make_cities().iloc[0:0], "X")
    assert of_type(m, folium.CircleMarker) == []
    assert m.location == [42.5, 12.5]


def test_the_scale_bar_is_metric_only() -> None:
    # An Italian public-sector map measures in km; "100 mi" under "200 km" was noise.
    html = render_html(build_national_map(make_cities(), "X"))
    assert "L.control.scale(" in html
    assert '"imperial": false' in html
    assert "L.control.scale()" not in html
