"""The static maps read at a glance: on every city's map of the meeting pack no place name covers
another, a hub or the map's edge, and no legend touches the attribution line or another legend.

Boxes are measured here with the real fonts the figures name (Titillium Web, bundled for the
pack, and DejaVu Sans, the fallback), the wider of the two, not with the builders' estimate.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import pytest
from geo_factories import make_cities
from PIL import ImageFont
from shapely.geometry import Point, shape

from dashboard.pack.maps import city_map, national_map
from data_access.demo.build import DEFAULT_SEED
from data_access.demo.places import build_places
from data_access.reference_load import load_city_facts, load_neighbourhoods
from geo import base_layer
from geo.figure_base import Box, axes_frame, overlap
from geo.static import build_city_figure, build_national_figure

ROOT = Path(__file__).resolve().parents[2]
FONT_FILES = (
    ROOT / "dashboard" / "static" / "fonts" / "TitilliumWeb-Regular.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # scripts/setup.sh installs it
)


@cache
def _fonts() -> tuple[ImageFont.FreeTypeFont, ...]:
    return tuple(ImageFont.truetype(str(f), 100) for f in FONT_FILES)


def text_px(text: str, size: float) -> float:
    return max(f.getlength(text) for f in _fonts()) * size / 100


@pytest.fixture(scope="module")
def demo_places() -> tuple[dict[str, str], gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The demo's 16 cities, peripheries and public hubs, as ``lgnet2 demo`` stores them."""
    cities = load_city_facts()
    per, hubs, _sites = build_places(DEFAULT_SEED, cities, load_neighbourhoods())
    p = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k != "geometry"} for r in per],
        geometry=[shape(json.loads(r["geometry"])) for r in per],
        crs="EPSG:4326",
    )
    h = gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("lat", "lon")} for r in hubs],
        geometry=[Point(r["lon"], r["lat"]) for r in hubs],
        crs="EPSG:4326",
    )
    return {str(c["code"]): str(c["name"]) for c in cities}, p, h


def name_boxes(fig: go.Figure) -> dict[str, Box]:
    """Each place name's box in the figure's pixels (y downwards), as plotly draws it: centred
    on its place shifted by ``xshift/yshift``, or on the tail of its leader line."""
    frame = axes_frame(fig)
    out = {}
    for a in fig.layout.annotations:
        if a.name != "place-name":
            continue
        x, y = frame.to_px(a.x, a.y)
        if a.showarrow:
            cx, cy = x + a.ax, y + a.ay
        else:
            cx, cy = x + (a.xshift or 0), y - (a.yshift or 0)
        pad = a.borderpad + a.borderwidth
        w, h = text_px(a.text, a.font.size) + 2 * pad, 1.3 * a.font.size + 2 * pad
        out[a.text] = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    return out


def hub_points(fig: go.Figure) -> list[tuple[float, float]]:
    frame = axes_frame(fig)
    return [
        frame.to_px(x, y)
        for t in fig.data
        if t.legendgroup == "hubs"
        for x, y in zip(t.x, t.y, strict=True)
    ]


def _paper_px(fig: go.Figure, x: float, y: float) -> tuple[float, float]:
    lay = fig.layout
    m = lay.margin
    w, h = lay.width - m.l - m.r, lay.height - m.t - m.b
    return m.l + x * w, m.t + (1 - y) * h


def _anchored(x: float, y: float, w: float, h: float, xanchor: str, yanchor: str) -> Box:
    x0 = x - {"left": 0, "center": w / 2, "right": w}[xanchor]
    y0 = y - {"top": 0, "middle": h / 2, "bottom": h}[yanchor]
    return (x0, y0, x0 + w, y0 + h)


def note_boxes(fig: go.Figure) -> dict[str, Box]:
    """The boxes of the paper-anchored annotations (attribution, size note)."""
    out = {}
    for i, a in enumerate(fig.layout.annotations):
        if a.xref != "paper":
            continue
        x, y = _paper_px(fig, a.x, a.y)
        size = a.font.size or fig.layout.font.size
        w = text_px(a.text, size) + 2 * ((a.borderpad or 1) + (a.borderwidth or 1))
        h = 1.3 * size + 2 * ((a.borderpad or 1) + (a.borderwidth or 1))
        out[a.name or f"note {i}"] = _anchored(
            x + (a.xshift or 0), y - (a.yshift or 0), w, h, a.xanchor, a.yanchor
        )
    return out


def legend_boxes(fig: go.Figure) -> dict[str, Box]:
    """Each legend's box as plotly lays a vertical legend out: 40 px of symbol, the widest
    entry or title, rows of max(1.3 x font, 16) + 3 px, 10 px between groups, 5 px around."""
    out = {}
    for key in ("legend", "legend2"):
        try:
            lg = fig.layout[key]
        except KeyError:  # no second legend
            continue
        groups: dict[str, list[str]] = {}
        for t in fig.data:
            if t.showlegend is not False and (t.legend or "legend") == key:
                g = groups.setdefault(t.legendgroup or f"trace {t.name}", [])
                if not g and t.legendgroup and t.legendgrouptitle.text:
                    g.append(t.legendgrouptitle.text)
                g.append(t.name)
        if not groups:
            continue
        size = (lg.font.size if lg.font and lg.font.size else None) or fig.layout.font.size
        row = max(1.3 * size, 16) + 3
        texts = [n for g in groups.values() for n in g]
        w = 40 + max(text_px(n, size) for n in texts) + 2 * 5
        h = row * len(texts) + 10 * (len(groups) - 1) + 2 * 5
        if lg.title and lg.title.text:
            w = max(w, text_px(lg.title.text, size) + 2 * 5)
            h += row
        x, y = _paper_px(fig, lg.x, lg.y)
        out[key] = _anchored(x, y, w, h, lg.xanchor, lg.yanchor)
    return out


def assert_apart(boxes: dict[str, Box], where: str) -> None:
    for (a, ba), (b, bb) in combinations(boxes.items(), 2):
        assert overlap(ba, bb) == 0, f"{where}: {a!r} overlaps {b!r} ({ba} / {bb})"


def assert_inside(boxes: dict[str, Box], frame: Box, where: str) -> None:
    for name, b in boxes.items():
        assert frame[0] <= b[0] and b[2] <= frame[2], f"{where}: {name!r} leaves {frame} ({b})"
        assert frame[1] <= b[1] and b[3] <= frame[3], f"{where}: {name!r} leaves {frame} ({b})"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_place_names_never_overlap_on_the_16_city_maps(demo_places, lang: str) -> None:  # type: ignore[no-untyped-def]
    names, per, hubs = demo_places
    assert len(names) == 16
    for code, city in names.items():
        p, h = per[per["city_code"] == code], hubs[hubs["city_code"] == code]
        fig = city_map(p, h, code, lang)
        boxes = name_boxes(fig)
        assert sorted(boxes) == sorted(p["name"]), city  # every periphery named, once
        assert_apart(boxes, city)
        assert_inside(boxes, axes_frame(fig).box, city)
        for name, b in boxes.items():
            for x, y in hub_points(fig):
                assert not (b[0] <= x <= b[2] and b[1] <= y <= b[3]), f"{city}: {name} on a hub"


def bubble_boxes(fig: go.Figure) -> dict[str, Box]:
    frame = axes_frame(fig)
    out = {}
    for t in fig.data[1:]:  # the regions, then one trace per status
        for x, y, name, size in zip(t.x, t.y, t.text, t.marker.size, strict=True):
            px, py = frame.to_px(x, y)
            out[name] = (px - size / 2, py - size / 2, px + size / 2, py + size / 2)
    return out


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("values", ["foreign residents", "one large"])
def test_city_names_on_the_national_map_never_overlap(lang: str, values: str) -> None:
    cities = pd.DataFrame(
        {
            "city_code": str(c["code"]),
            "name": str(c["name"]),
            "lat": float(c["lat"]),
            "lon": float(c["lon"]),
            "value": float(c["foreign_residents"]) if values == "foreign residents" else 1.0,
            "status": "on_track",
        }
        for c in load_city_facts()
    )
    if values == "one large":
        cities.loc[cities["name"] == "Napoli", "value"] = 100.0  # a large bubble among small
    for where, fig in (
        ("pack", national_map(cities, "WP2_TAKEN_IN_CHARGE", lang)),
        ("default", build_national_figure(cities, "X")),
    ):
        names, bubbles = name_boxes(fig), bubble_boxes(fig)
        assert sorted(names) == sorted(cities["name"]), where
        assert_apart(names, where)
        assert_inside(names, axes_frame(fig).box, where)
        for name, b in names.items():
            for other, disc in bubbles.items():
                assert overlap(b, disc) == 0, f"{where}: {name!r} covers {other!r}'s bubble"
            for legend in legend_boxes(fig).values():  # drawn over the map, top right
                assert overlap(b, legend) == 0, f"{where}: {name!r} under the legend"


def test_names_that_share_a_place_are_moved_apart_with_a_leader_line() -> None:
    square = Point(12.5, 41.9).buffer(0.004)
    p = gpd.GeoDataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Tor Bella Monaca", "Torre Angela", "Torre Maura"],
            "geometry_quality": ["indicative"] * 3,
            "risk_index": [0.5, 0.6, 0.7],
        },
        geometry=[square, square, square],
        crs="EPSG:4326",
    )
    fig = build_city_figure(
        p, None, "risk_index", "R", boundary=base_layer.municipal_boundary("058091")
    )
    boxes = name_boxes(fig)
    assert len(boxes) == 3
    assert_apart(boxes, "Roma")
    assert sum(1 for a in fig.layout.annotations if a.name == "place-name" and a.showarrow) >= 2
    assert (
        fig.to_json()
        == build_city_figure(
            p, None, "risk_index", "R", boundary=base_layer.municipal_boundary("058091")
        ).to_json()
    )


def _layouts(demo_places) -> list[tuple[str, go.Figure]]:  # type: ignore[no-untyped-def]
    names, per, hubs = demo_places
    out = []
    for code in ("058091", "015146", "063049", "001272"):  # Roma, Milano, Napoli, Torino
        p, h = per[per["city_code"] == code], hubs[hubs["city_code"] == code]
        for lang in ("it", "en"):
            out.append((f"pack {names[code]} {lang}", city_map(p, h, code, lang)))
        out.append(
            (
                f"side {names[code]}",
                build_city_figure(
                    p,
                    h,
                    "risk_index",
                    "Indice di rischio",
                    note="DATI DIMOSTRATIVI",
                    boundary=base_layer.municipal_boundary(code),
                ),
            )
        )
    bubbles = make_cities().assign(indicator="WP2_TAKEN_IN_CHARGE")
    out.append(("pack national", national_map(bubbles, "WP2_TAKEN_IN_CHARGE", "it")))
    out.append(("national", build_national_figure(make_cities(), "X", note="DATI DIMOSTRATIVI")))
    return out


def test_legends_keep_clear_of_the_attribution_and_of_each_other(demo_places) -> None:  # type: ignore[no-untyped-def]
    for where, fig in _layouts(demo_places):
        notes, legends = note_boxes(fig), legend_boxes(fig)
        assert "attribution" in notes and legends, where
        assert_apart({**notes, **legends}, where)
        # Whole inside the figure: plotly never has to widen a margin, so the map (and the
        # names placed on it) stays where the builder put it.
        assert_inside({**notes, **legends}, (0, 0, fig.layout.width, fig.layout.height), where)
        # The attribution stands in the band right under the map.
        attribution = notes["attribution"]
        assert attribution[1] >= axes_frame(fig).box[3] - 0.5, where
