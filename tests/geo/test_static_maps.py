"""geo.static: the map layers as plotly figures, for snapshots and the meeting pack, offline."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import pytest
from geo_checks import foreign_urls
from geo_factories import CITIES, make_cities, make_hubs, make_peripheries
from shapely.geometry import Point, box

from geo import base_layer
from geo.figure_base import polygon_xy
from geo.national import bubble_radius
from geo.static import build_city_figure, build_national_figure
from geo.style import SEQUENTIAL, STATUS_COLOURS, MapLabels


def _rings(trace: go.Scatter) -> int:
    return 1 + sum(1 for x in trace.x if x is None)


def _json_urls(fig: go.Figure) -> list[str]:
    return foreign_urls(fig.to_json())


def test_national_figure_layers() -> None:
    cities = make_cities()
    fig = build_national_figure(cities, "Persone raggiunte", title="T", note="DATI DIMOSTRATIVI")
    regions, *bubbles = fig.data
    assert regions.fill == "toself" and regions.hoverinfo == "skip"
    assert _rings(regions) >= 20  # 20 regions, more rings with the islands
    assert sum(len(t.x) for t in bubbles) == len(CITIES)
    assert sorted(n for t in bubbles for n in t.text) == sorted(c[1] for c in CITIES)
    # One trace per status, named and coloured as on the web map.
    labels = MapLabels()
    for t in bubbles:
        (status,) = [s for s, w in labels.status.items() if w == t.name]
        assert t.marker.color == STATUS_COLOURS[status]
    # Bubble sizes are the web map's radii (diameter = 2 * radius).
    values = pd.to_numeric(cities["value"])
    vmax = float(values.max())
    by_name = {n: s for t in bubbles for n, s in zip(t.text, t.marker.size, strict=True)}
    for row in cities.itertuples():
        v = None if pd.isna(row.value) else float(row.value)
        assert by_name[row.name] == 2 * bubble_radius(v, vmax)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert base_layer.ATTRIBUTION in notes and "DATI DIMOSTRATIVI" in notes
    assert fig.layout.title.text == "T"


def test_national_figure_keeps_distances_equal() -> None:
    fig = build_national_figure(make_cities(), "X")
    lo, hi = fig.layout.yaxis.range
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians((lo + hi) / 2)))


@pytest.mark.parametrize("build", ["national", "city"])
def test_figures_are_offline_and_deterministic(build: str) -> None:
    def make() -> go.Figure:
        if build == "national":
            return build_national_figure(make_cities(), "X")
        p = make_peripheries()
        return build_city_figure(
            p, make_hubs(p), "risk_index", "R", boundary=base_layer.municipal_boundary("037006")
        )

    a, b = make(), make()
    assert a.to_json() == b.to_json()
    assert _json_urls(a) == []
    kinds = {t.type for t in a.data}
    assert kinds == {"scatter"}  # no mapbox/geo trace: nothing to fetch (tiles, topojson)
    assert "mapbox" not in json.loads(a.to_json())["layout"]


def test_city_figure_layers() -> None:
    p = make_peripheries()
    h = make_hubs(p)
    bologna = base_layer.municipal_boundary("037006")
    fig = build_city_figure(p, h, "risk_index", "Indice", boundary=bologna)
    boundary, *rest = fig.data
    assert boundary.name == MapLabels().boundary and boundary.fill == "toself"
    classes = [t for t in rest if t.legendgroup == "classes"]
    assert {t.fillcolor for t in classes} <= set(SEQUENTIAL)
    assert sum(_rings(t) for t in classes) == len(p)
    dashed = [t for t in classes if t.line.dash == "dash"]
    assert bool(dashed) == bool((p["geometry_quality"] != "official").any())
    names = [a.text for a in fig.layout.annotations if a.name == "place-name"]
    assert sorted(names) == sorted(p["name"])
    hub_traces = [t for t in rest if t.legendgroup == "hubs"]
    assert sum(len(t.x) for t in hub_traces) == len(h)
    assert len(hub_traces) == h["type"].nunique()
    # The frame holds the whole municipality.
    minx, miny, maxx, maxy = bologna.bounds
    assert fig.layout.xaxis.range[0] < minx and fig.layout.xaxis.range[1] > maxx
    assert fig.layout.yaxis.range[0] < miny and fig.layout.yaxis.range[1] > maxy


def test_city_figure_never_draws_something_that_is_not_a_hub() -> None:
    p = make_peripheries()
    shelter = gpd.GeoDataFrame(
        {"id": ["S1"], "name": ["Casa"], "type": ["accoglienza_protetta"]},
        geometry=[Point(11.31, 44.48)],
    )
    with pytest.raises(ValueError, match="not a hub type"):
        build_city_figure(p, shelter, "risk_index", "R")


def test_city_figure_without_hubs_or_boundary() -> None:
    p = make_peripheries()
    fig = build_city_figure(p, None, "risk_index", "R")
    assert all(t.legendgroup != "hubs" for t in fig.data)
    minx, _, maxx, _ = p.total_bounds
    assert fig.layout.xaxis.range[0] < minx < maxx < fig.layout.xaxis.range[1]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda f: f.drop(columns=["lat"]), "missing"),
        (lambda f: f.assign(status="late"), "unknown status"),
    ],
)
def test_national_figure_refuses_bad_input(change, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        build_national_figure(change(make_cities()), "X")


def test_polygon_xy_separates_rings_and_keeps_holes() -> None:
    donut = box(0, 0, 4, 4).difference(box(1, 1, 2, 2))
    xs, ys = polygon_xy([donut, box(10, 10, 11, 11)])
    assert xs.count(None) == 2 and len(xs) == len(ys) == 5 + 1 + 5 + 1 + 5


def test_national_figure_names_every_programme_city_and_at_most_the_largest_of_many() -> None:
    from geo.static import MAX_CITY_NAMES

    def named(fig: go.Figure, names: set[str]) -> set[str]:
        return {a.text for a in fig.layout.annotations if a.text in names}

    few = make_cities()
    assert named(build_national_figure(few, "X"), set(few["name"])) == set(few["name"])
    # Five copies of the 16 cities, a little apart, each copy larger than the one before.
    copies = []
    for k in range(5):
        c = make_cities().assign(
            name=lambda d, k=k: d["name"] + f" {k}",
            lat=lambda d, k=k: d["lat"] + 0.05 * k,
            value=lambda d, k=k: d["value"] * (k + 1),
        )
        copies.append(c)
    many = pd.concat(copies, ignore_index=True)
    shown = named(build_national_figure(many, "X"), set(many["name"]))
    largest = many.dropna(subset=["value"]).nlargest(MAX_CITY_NAMES, "value")["name"]
    assert len(many) > MAX_CITY_NAMES and shown == set(largest)
