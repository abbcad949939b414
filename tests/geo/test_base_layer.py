"""The bundled base layer: real boundaries, drawn under every map, attributed, overridable."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from geo_checks import of_type
from geo_factories import CITIES, make_cities, make_hubs, make_peripheries
from shapely.geometry import Point, box

from data_access.errors import InvalidInput
from data_access.reference_load import REFERENCE_DIR
from geo import base_layer
from geo.city import HUB_ICON_ZOOM
from geo.layers import (
    CityLabels,
    FeatureId,
    Outline,
    ZoomClass,
    choose_sides,
    crowded,
    place_labels,
)
from geo.maps import MapLabels, TileSource, build_city_map, build_national_map, render_html
from geo.style import Legend, SafeTooltip

ROOT = Path(__file__).resolve().parents[2]
CITY_CODES = sorted(c[0] for c in CITIES)


@pytest.mark.parametrize("zoom", base_layer.LEVELS["regions"])
def test_twenty_regions_at_every_level(zoom: int) -> None:
    regions = base_layer.regions(zoom)
    assert len(regions) == 20
    assert regions["code"].tolist() == sorted(regions["code"])
    assert regions.crs == "EPSG:4326"
    assert all(g.is_valid and not g.is_empty for g in regions.geometry)
    # Italy, roughly: Lampedusa to the Brenner pass, Sardinia to Otranto.
    minx, miny, maxx, maxy = regions.total_bounds
    assert 6 < minx < 7 and 35 < miny < 36 and 18 < maxx < 19 and 46.9 < maxy < 47.2


@pytest.mark.parametrize("zoom", base_layer.LEVELS["municipalities"])
def test_the_sixteen_cities_at_every_level(zoom: int) -> None:
    cities = base_layer.municipalities(zoom)
    assert cities["code"].tolist() == CITY_CODES
    assert all(g.is_valid and not g.is_empty for g in cities.geometry)
    # Each city's centre (the factories' approximate one) lies inside its own boundary.
    for code, _, lat, lon in CITIES:
        assert cities.loc[cities["code"] == code, "geometry"].iloc[0].contains(Point(lon, lat))


def test_city_codes_are_the_programme_cities() -> None:
    with open(REFERENCE_DIR / "cities.csv", encoding="utf-8", newline="") as f:
        codes = {row["city_code"] for row in csv.DictReader(f)}
    assert codes == set(CITY_CODES)


def test_coarser_levels_are_smaller_and_the_right_level_is_picked() -> None:
    for layer, levels in base_layer.LEVELS.items():
        sizes = [base_layer.layer_path(layer, z).stat().st_size for z in levels]  # type: ignore[arg-type]
        assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
        assert base_layer.level_for(layer, 0) == levels[0]  # type: ignore[arg-type]
        assert base_layer.level_for(layer, 99) == levels[-1]  # type: ignore[arg-type]
    assert base_layer.level_for("regions", 5.5) == 6


def test_files_carry_only_code_and_name() -> None:
    for path in sorted(base_layer.DATA_DIR.glob("*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert {k for f in data["features"] for k in f["properties"]} == {"code", "name"}


def test_municipal_boundary_is_bundled_and_overridable(tmp_path: Path) -> None:
    bologna = base_layer.municipal_boundary("037006", environ={})
    assert bologna is not None and bologna.contains(Point(11.3426, 44.4949))
    assert base_layer.municipal_boundary("999999", environ={}) is None
    # An operator's file wins for the cities it has; the others stay bundled.
    square = box(11.0, 44.0, 12.0, 45.0)
    path = tmp_path / "own.geojson"
    gpd.GeoDataFrame({"pro_com_t": ["037006"]}, geometry=[square], crs="EPSG:4326").to_file(path)
    env = {"LGNET2_BOUNDARIES": str(path)}
    assert base_layer.municipal_boundary("037006", environ=env).equals(square)
    assert base_layer.municipal_boundary("058091", environ=env) is not None
    with pytest.raises(InvalidInput):
        base_layer.municipal_boundary("037006", environ={"LGNET2_BOUNDARIES": str(tmp_path / "x")})


def test_attribution_travels_with_the_data() -> None:
    text = base_layer.ATTRIBUTION
    assert "ISTAT" in text and "openpolis" in text and "CC-BY 3.0" in text and "CC-BY 4.0" in text
    assert text in (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert text in (ROOT / "README.md").read_text(encoding="utf-8")
    assert text in render_html(build_national_map(make_cities(), "X"))
    p = make_peripheries()
    bologna = base_layer.municipal_boundary("037006", environ={})
    assert text in render_html(build_city_map(p, make_hubs(p), "risk_index", "R", boundary=bologna))


def test_national_map_draws_regions_and_sixteen_labels() -> None:
    m = build_national_map(make_cities(), "X")
    (outline,) = of_type(m, Outline)
    assert len(outline.data["features"]) == 20
    assert outline.style["fill"] is True and outline.container_class == "lg-sea"
    (labels,) = of_type(m, CityLabels)
    assert len(labels.labels) == 16
    texts = " ".join(label[2] for label in labels.labels)
    for _, name, _, _ in CITIES:
        assert f">{name}</div>" in texts


def test_with_tiles_regions_are_outlines_only() -> None:
    m = build_national_map(
        make_cities(), "X", tiles=TileSource("http://127.0.0.1:9/{z}/{x}/{y}.png", "t")
    )
    (outline,) = of_type(m, Outline)
    assert outline.style["fill"] is False and outline.container_class == ""


def test_labels_are_escaped() -> None:
    evil = "<img src=x onerror=alert(1)>"
    m = build_national_map(make_cities({"037006": evil}), "X")
    assert evil not in render_html(m)
    (labels,) = of_type(m, CityLabels)
    assert any("&lt;img src=x" in label[2] for label in labels.labels)


def test_close_cities_get_labels_that_do_not_collide() -> None:
    # Napoli and Caserta are 25 km apart: about 10 px at the national zoom.
    pts = [
        ("063049", "Napoli", 40.8518, 14.2681, 20.0),
        ("061022", "Caserta", 41.0732, 14.3329, 5.0),
    ]
    a, b = place_labels(pts, zoom=6)
    assert (a.side, b.side) != ("right", "right")
    assert place_labels(pts, zoom=6) == [a, b]  # deterministic
    (solo,) = place_labels([pts[0]], zoom=6)
    assert solo.side == "right" and solo.offset == 23.0


def test_a_name_is_not_put_where_it_reads_as_its_neighbours() -> None:
    # B just above where A's name would go on the right: the name clears B's dot but lies
    # nearer B than A, as if it named B. Counted only when asked (the charts), so the maps'
    # names stay where they were.
    circles = [("A", 100.0, 100.0, 4.0), ("B", 120.0, 88.0, 4.0)]
    widths = {"A": 40.0}
    frame = (0.0, 0.0, 300.0, 200.0)
    assert choose_sides(circles, widths, frame, ("right", "left")) == {"A": "right"}
    assert choose_sides(circles, widths, frame, ("right", "left"), unambiguous=True) == {
        "A": "left"
    }
    # A corner too: the name at A's top right would end at B's dot.
    beside = [("A", 100.0, 100.0, 4.0), ("B", 149.0, 88.0, 4.0)]
    sides = ("top right", "bottom right")
    assert choose_sides(beside, widths, frame, sides) == {"A": "top right"}
    assert choose_sides(beside, widths, frame, sides, unambiguous=True) == {"A": "bottom right"}


def test_names_are_placed_in_the_order_given_when_asked() -> None:
    # Two names that want the same side: the first placed keeps it.
    circles = [("B", 100.0, 100.0, 4.0), ("A", 104.0, 102.0, 4.0)]
    widths = {"A": 40.0, "B": 40.0}
    frame = (0.0, 0.0, 300.0, 200.0)
    by_code = choose_sides(circles, widths, frame, ("top", "bottom"))
    given = choose_sides(circles, widths, frame, ("top", "bottom"), in_order=True)
    assert by_code == {"A": "top", "B": "bottom"}
    assert given == {"B": "top", "A": "bottom"}


def test_names_that_would_cover_another_at_a_lower_zoom_are_marked_for_it() -> None:
    # Roma, Latina and Napoli: clear at the zoom the names are placed for, piling up further
    # out (a phone); the largest bubble keeps its name longest.
    pts = [
        ("058091", "Roma", 41.8933, 12.4829, 20.0),
        ("059011", "Latina", 41.4676, 12.9036, 8.0),
        ("063049", "Napoli", 40.8518, 14.2681, 14.0),
        ("082053", "Palermo", 38.1157, 13.3615, 12.0),
    ]
    placed = place_labels(pts, zoom=6)
    radii = {p[0]: p[4] for p in pts}
    assert crowded(placed, radii, 6) == frozenset()
    assert crowded(placed, radii, 5) == {"059011"}
    assert crowded(placed, radii, 4.5) == {"059011", "063049"}
    (labels,) = of_type(build_national_map(make_cities(), "X"), CityLabels)
    assert any("lg-crowded-" in label[2] for label in labels.labels)  # each step's class


def test_every_clickable_feature_is_named_for_the_drill_down() -> None:
    m = build_national_map(make_cities(), "X")
    ids = sorted(f.fid for f in of_type(m, FeatureId))
    assert ids == sorted(f"city:{code}" for code in CITY_CODES)
    p = make_peripheries()
    h = make_hubs(p)
    city = build_city_map(p, h, "risk_index", "R")
    assert sorted(f.fid for f in of_type(city, FeatureId)) == sorted(f"hub:{i}" for i in h["id"])
    (layer,) = [g for g in of_type(city, folium.GeoJson)]
    assert sorted(f["id"] for f in layer.data["features"]) == sorted(
        f"periphery:{i}" for i in p["id"]
    )


def test_hint_and_selection() -> None:
    p = make_peripheries()
    h = make_hubs(p)
    labels = MapLabels(open_details="Clic: dettagli", open_city="Clic: città")
    first = f"periphery:{sorted(p['id'])[0]}"
    city = build_city_map(p, h, "risk_index", "R", labels=labels, selected=first)
    (layer,) = of_type(city, folium.GeoJson)
    feats = layer.data["features"]
    assert all("Clic: dettagli" in f["properties"]["tt"] for f in feats)
    weights = {f["id"]: layer.style_function(f)["weight"] for f in feats}
    assert weights[first] > max(w for k, w in weights.items() if k != first)
    national = build_national_map(make_cities(), "X", labels=labels)
    assert all("Clic: città" in t.html for t in of_type(national, SafeTooltip))
    # Hubs shrink to dots below the zoom where the peripheries are large enough.
    (zoom,) = of_type(city, ZoomClass)
    assert zoom.name == "lg-hubs-small" and zoom.below == HUB_ICON_ZOOM


def test_city_map_is_fitted_to_its_peripheries() -> None:
    p = make_peripheries()
    far_hub = make_hubs(p).iloc[:1].copy()
    far_hub["geometry"] = [Point(11.0, 44.0)]  # far outside the peripheries
    bologna = base_layer.municipal_boundary("037006", environ={})
    m = build_city_map(p, far_hub, "risk_index", "R", boundary=bologna)
    (legend,) = of_type(m, Legend)
    minx, miny, maxx, maxy = p.total_bounds
    assert legend.bounds == [
        [round(miny, 5), round(minx, 5)],
        [round(maxy, 5), round(maxx, 5)],
    ]
