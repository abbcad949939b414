"""Pure helpers: simplification, class breaks, colours, number format, escaping, ids."""

from __future__ import annotations

import math

import folium
import pytest
import shapely
from geo_factories import make_peripheries
from shapely.geometry import Polygon, box

from geo.render import clicked_feature, html_size, render_html, returned_objects, stabilize_ids
from geo.simplify import bounds_zoom, round_coords, simplify_coverage, tolerance_for_zoom
from geo.style import (
    NO_DATA_FILL,
    SEQUENTIAL,
    TileSource,
    class_breaks,
    class_colour,
    default_format,
    esc,
)


@pytest.mark.parametrize(
    ("zoom", "tol"),
    [(0, 0.5 * 360 / 256), (12, 0.5 * 360 / 256 / 4096), (18, 0.5 * 360 / 256 / 2**18)],
)
def test_tolerance_is_half_a_pixel(zoom: int, tol: float) -> None:
    assert math.isclose(tolerance_for_zoom(zoom), tol)


@pytest.mark.parametrize(
    ("bounds", "zoom"),
    [((12.0, 41.0, 13.0, 42.0), 10), ((6.6, 36.6, 18.5, 47.1), 6), ((11.3, 44.4, 11.3, 44.4), 18)],
)
def test_bounds_zoom(bounds: tuple[float, float, float, float], zoom: int) -> None:
    assert bounds_zoom(bounds, 800) == zoom


def test_coverage_simplification_keeps_shared_borders() -> None:
    p = make_peripheries(n=3, vertices_per_side=100, wiggle=0.0003)
    out = simplify_coverage(list(p.geometry), tolerance_for_zoom(13))
    assert sum(len(g.exterior.coords) for g in out) < sum(
        len(g.exterior.coords) for g in p.geometry
    )
    union_area = shapely.union_all(out).area
    assert math.isclose(union_area, sum(g.area for g in out), rel_tol=1e-9), "no overlaps"
    for a, b in zip(out, out[1:], strict=False):
        assert a.intersection(b).length > 0.019, "neighbours still share their edge"


def test_overlapping_polygons_fall_back_to_per_polygon_simplification() -> None:
    a, b = box(0, 0, 1, 1), box(0.5, 0.5, 1.5, 1.5)
    out = simplify_coverage([a, None, b], 0.01)
    assert out[1] is None and out[0].equals(a) and out[2].equals(b)


def test_rounding() -> None:
    g = round_coords(Polygon([(11.123456789, 44.987654321), (11.2, 44.9), (11.1, 44.8)]))
    assert g.exterior.coords[0] == (11.12346, 44.98765)


@pytest.mark.parametrize(
    ("values", "edges"),
    [
        ([], []),
        ([3.0], [3.0, 3.0]),
        ([0.0, 1.0], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        ([0.2, 0.35, 0.65, float("nan")], [0.2, 0.29, 0.38, 0.47, 0.56, 0.65]),
        ([10.0, 510.0], [10.0, 110.0, 210.0, 310.0, 410.0, 510.0]),
    ],
)
def test_class_breaks(values: list[float], edges: list[float]) -> None:
    assert class_breaks(values) == edges


@pytest.mark.parametrize(
    ("value", "edges", "colour"),
    [
        (None, [0.0, 1.0], NO_DATA_FILL),
        (float("nan"), [0.0, 1.0], NO_DATA_FILL),
        (0.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], SEQUENTIAL[0]),
        (0.2, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], SEQUENTIAL[0]),
        (0.21, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], SEQUENTIAL[1]),
        (1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], SEQUENTIAL[4]),
        (7.0, [7.0, 7.0], SEQUENTIAL[2]),
        (1.0, [], NO_DATA_FILL),
    ],
)
def test_class_colour(value: float | None, edges: list[float], colour: str) -> None:
    assert class_colour(value, edges) == colour


@pytest.mark.parametrize(
    ("value", "text"), [(1234.0, "1.234"), (0.35, "0,35"), (1234567.891, "1.234.567,89"), (0, "0")]
)
def test_default_format_is_italian(value: float, text: str) -> None:
    assert default_format(value) == text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("a & b", "a &amp; b"),
        ("`${x}`", "&#96;&#36;{x}&#96;"),
        ("\"q'", "&quot;q&#x27;"),
        ("back\\slash", "back&#92;slash"),
        ("Forlì", "Forlì"),
    ],
)
def test_esc(raw: str, safe: str) -> None:
    assert esc(raw) == safe


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),  # the default sends nobody's address to a tile server
        ({"LGNET2_TILES_URL": ""}, None),
        ({"LGNET2_TILES_URL": "none"}, None),
        (
            {"LGNET2_TILES_URL": "http://127.0.0.1:8080/{z}/{x}/{y}.png"},
            "http://127.0.0.1:8080/{z}/{x}/{y}.png",
        ),
    ],
)
def test_tiles_from_env(env: dict[str, str], expected: str | None) -> None:
    tiles = TileSource.from_env(env)
    assert (tiles.url if tiles else None) == expected
    if tiles:
        assert tiles.attribution


@pytest.mark.parametrize(
    ("clickable", "objects"),
    [(False, []), (True, ["last_active_drawing", "last_object_clicked_count"])],
)
def test_returned_objects_never_include_the_view(clickable: bool, objects: list[str]) -> None:
    got = returned_objects(clickable)
    assert got == objects
    assert not {"bounds", "zoom", "center"} & set(got)


def _plain_map() -> folium.Map:
    m = folium.Map(location=[45, 9], tiles=None)
    for i in range(3):
        folium.CircleMarker([45 + i / 10, 9], radius=3).add_to(
            folium.FeatureGroup(name=f"g{i}").add_to(m)
        )
    return m


def test_stable_ids_make_renders_identical_and_unique() -> None:
    a, b = stabilize_ids(_plain_map(), "t"), stabilize_ids(_plain_map(), "t")
    assert render_html(a) == render_html(b)
    assert render_html(_plain_map()) != render_html(_plain_map()), "folium's own ids are random"
    names = []

    def collect(el):  # type: ignore[no-untyped-def]
        names.append(el.get_name())
        for child in el._children.values():
            collect(child)

    collect(a.get_root())
    assert len(names) == len(set(names))
    assert render_html(a) == render_html(a), "rendering leaves the map as it was"
    assert render_html(stabilize_ids(_plain_map(), "other")) != render_html(a)


def test_html_size_counts_utf8_bytes() -> None:
    m = stabilize_ids(_plain_map())
    assert html_size(m) == len(render_html(m).encode("utf-8"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"last_active_drawing": {"type": "Feature", "id": "city:037006"}}, ("city", "037006")),
        ({"last_active_drawing": {"id": "periphery:12", "geometry": {}}}, ("periphery", "12")),
        ({"last_active_drawing": {"id": "hub:7"}}, ("hub", "7")),
        ({"last_active_drawing": None}, None),
        ({"last_active_drawing": {"id": 5}}, None),
        ({"last_active_drawing": {"id": "nokind"}}, None),
        ({"last_active_drawing": {"id": ":x"}}, None),
        (None, None),
        ("city:1", None),
    ],
)
def test_clicked_feature(value: object, expected: tuple[str, str] | None) -> None:
    assert clicked_feature(value) == expected
