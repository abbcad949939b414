"""Base-layer elements for folium maps: outlines drawn under the data, and city name labels.

Both are lean Leaflet code (one ``L.geoJSON`` with one constant style; one ``L.marker`` per label)
in their own panes, never interactive, so they add little HTML and never catch a click meant for
the data. Label placement (:func:`place_labels`) is shared with the static figures
(``geo.static``), so a city's name sits on the same side of its bubble everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.style import esc

Side = Literal[
    "right", "left", "top", "bottom", "top right", "top left", "bottom right", "bottom left"
]
#: The sides a map's names take (the map's CSS places these four).
SIDES: tuple[Side, ...] = ("right", "left", "top", "bottom")

#: Approximate advance of one character of a 12 px label (px) and a label's height.
CHAR_PX = 6.6
LABEL_HEIGHT_PX = 14.0
#: Gap between a bubble's edge and its label (px).
LABEL_GAP_PX = 3.0

#: Panes: outlines under the data (overlayPane is 400), labels above the bubbles but below
#: markers and tooltips; neither takes pointer events.
BASE_PANE = "lgBase"
LABEL_PANE = "lgLabels"


@dataclass(frozen=True)
class Label:
    """A city's name beside its bubble: ``side`` of the bubble, ``offset`` px from its centre."""

    code: str
    text: str
    lat: float
    lon: float
    side: Side
    offset: float


def _project(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web-mercator pixel coordinates at ``zoom`` (y grows southwards)."""
    scale = 256.0 * 2.0**zoom
    s = math.sin(math.radians(max(-85.0, min(85.0, lat))))
    return (lon + 180.0) / 360.0 * scale, (
        0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    ) * scale


def _box(x: float, y: float, w: float, h: float, side: Side, r: float) -> tuple[float, ...]:
    d = r + LABEL_GAP_PX
    if side == "right":
        return (x + d, y - h / 2, x + d + w, y + h / 2)
    if side == "left":
        return (x - d - w, y - h / 2, x - d, y + h / 2)
    if side == "top":
        return (x - w / 2, y - d - h, x + w / 2, y - d)
    if side == "bottom":
        return (x - w / 2, y + d, x + w / 2, y + d + h)
    c = d * 0.7  # a corner: the name starts beside the circle's diagonal
    x0 = x + c if side.endswith("right") else x - c - w
    y0 = y - c - h if side.startswith("top") else y + c
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def place_labels(
    points: Sequence[tuple[str, str, float, float, float]], zoom: float = 6.0
) -> list[Label]:
    """Put each name on the side of its bubble where it overlaps least with the names already
    placed, with the other bubbles and with the outside of the bubbles' frame (the map is
    fitted to it), at map zoom ``zoom`` (deterministic, greedy: :func:`choose_sides`).

    Args:
        points: ``(code, name, lat, lon, radius_px)`` per city; the largest bubbles are placed
            first (ties by code), so the small ones move around them.
        zoom: the zoom the map opens at.

    Returns:
        One :class:`Label` per point, in the input order.
    """
    px = {code: _project(lat, lon, zoom) for code, _, lat, lon, _ in points}
    circles = [(c, px[c][0], px[c][1], r) for c, _, _, _, r in points]
    # The map is fitted to the bubbles: a name past their outer edge could leave the map.
    edge = (
        (min(x - r for _, x, _, r in circles), min(y - r for _, _, y, r in circles))
        + (max(x + r for _, x, _, r in circles), max(y + r for _, _, y, r in circles))
        if circles
        else (0.0, 0.0, 0.0, 0.0)
    )
    widths = {code: CHAR_PX * len(name) + 4 for code, name, _, _, _ in points}
    sides = choose_sides(circles, widths, edge)
    return [
        Label(c, name, lat, lon, sides[c], round(r + LABEL_GAP_PX, 1))
        for c, name, lat, lon, r in points
    ]


def choose_sides(
    circles: Sequence[tuple[str, float, float, float]],
    widths: Mapping[str, float],
    frame: Sequence[float],
    sides: Sequence[Side] = SIDES,
    height: float = LABEL_HEIGHT_PX,
    *,
    in_order: bool = False,
    unambiguous: bool = False,
) -> dict[str, Side]:
    """The side of each named circle its name goes on, in pixels (y downwards): the side where
    the name overlaps least with the names already placed, the other circles and the outside of
    ``frame`` (x0, y0, x1, y1); ties go to the first of ``sides``. Deterministic, greedy.

    Args:
        circles: ``(code, x, y, radius)``; the largest are placed first (ties by code), or in
            the order given with ``in_order``. Circles without a width are obstacles only.
        widths: a name's width (px) per code that has a name.
        unambiguous: also count a name that lies nearer another circle's centre than its own
            (it would read as that circle's name), as if it covered a strip of its height.
    """
    boxes = [(x - r, y - r, x + r, y + r) for _, x, y, r in circles]
    placed: list[tuple[float, ...]] = []
    out: dict[str, Side] = {}
    order = list(enumerate(circles))
    if not in_order:
        order.sort(key=lambda e: (-e[1][3], e[1][0]))
    for i, (code, x, y, r) in order:
        if code not in widths:
            continue
        w = widths[code]
        best: tuple[int, int, Side] | None = None
        for rank, side in enumerate(sides):
            b = _box(x, y, w, height, side, r)
            outside = (b[2] - b[0]) * (b[3] - b[1]) - _overlap(b, frame)
            cost = round(  # whole pixels: float noise must not beat the order of sides
                sum(_overlap(b, o) for o in placed)
                + sum(_overlap(b, c) for j, c in enumerate(boxes) if j != i)
                + outside
                + (_ambiguity(b, i, circles, height) if unambiguous else 0.0)
            )
            if best is None or (cost, rank) < best[:2]:
                best = (cost, rank, side)
        assert best is not None
        placed.append(_box(x, y, w, height, best[2], r))
        out[code] = best[2]
    return out


def _distance(box: Sequence[float], x: float, y: float) -> float:
    """From the point ``x, y`` to the nearest point of ``box``."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return math.hypot(dx, dy)


def _ambiguity(
    box: Sequence[float], own: int, circles: Sequence[tuple[str, float, float, float]], h: float
) -> float:
    """How much nearer (px, times ``h``) other circles' centres are to a name than its own."""
    mine = _distance(box, circles[own][1], circles[own][2])
    return sum(
        max(0.0, mine + LABEL_GAP_PX - _distance(box, x, y)) * h
        for j, (_, x, y, _) in enumerate(circles)
        if j != own
    )


def _covers(box: Sequence[float], x: float, y: float, r: float) -> bool:
    """Whether a label's box covers more than a pixel's rim of the bubble at ``x, y``."""
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nx - x) ** 2 + (ny - y) ** 2 < (r - 1.0) ** 2


def crowded(labels: Sequence[Label], radii: Mapping[str, float], zoom: float) -> frozenset[str]:
    """The labels that, on the sides :func:`place_labels` chose, would cover another name or
    another city's bubble at the lower ``zoom`` (a phone shows Italy below the zoom the names
    were placed for, and a bubble keeps its size in pixels). In order of bubble size, as they
    were placed: a name that would cover one already kept is left out.

    Args:
        labels: :func:`place_labels`'s result; radii: city code -> bubble radius (px).
    """
    px = {lb.code: _project(lb.lat, lb.lon, zoom) for lb in labels}
    kept: list[tuple[float, ...]] = []
    out = set()
    for lb in sorted(labels, key=lambda lb: (-radii.get(lb.code, 0.0), lb.code)):
        x, y = px[lb.code]
        w = CHAR_PX * len(lb.text) + 4
        box = _box(x, y, w, LABEL_HEIGHT_PX, lb.side, radii.get(lb.code, 0.0))
        if any(_overlap(box, k) >= 4.0 for k in kept) or any(
            _covers(box, *px[code], r)
            for code, r in radii.items()
            if code != lb.code and code in px
        ):
            out.add(lb.code)
        else:
            kept.append(box)
    return frozenset(out)


def _crowded_classes(code: str, crowded: Mapping[int, frozenset[str]] | None) -> str:
    return "".join(
        f" lg-crowded-{z}" for z, codes in sorted((crowded or {}).items()) if code in codes
    )


class Outline(MacroElement):
    """Polygons drawn under the data in one constant style (no tooltip, no click), with the
    base layer's attribution added to the map's attribution control.

    ``geoms`` are drawn in the given order; coordinates are used as given (simplify first).
    ``container_class``: a class added to the map's container (``lg-sea``, ``lg-outside``: the
    background colour of a map without tiles, in ``lgnet2-map.css``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            if (!map.getPane({{ this.pane|tojson }})) {
                var pane = map.createPane({{ this.pane|tojson }});
                pane.style.zIndex = 350;
                pane.style.pointerEvents = "none";
            }
            L.geoJSON({{ this.data|tojson }}, {
                style: {{ this.style|tojson }}, interactive: false, pane: {{ this.pane|tojson }}
            }).addTo(map);
            {%- if this.container_class %}
            L.DomUtil.addClass(map.getContainer(), {{ this.container_class|tojson }});
            {%- endif %}
            {%- if this.attribution %}
            map.attributionControl.addAttribution({{ this.attribution|tojson }});
            {%- endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        geoms: Sequence[BaseGeometry],
        style: Mapping[str, Any],
        *,
        attribution: str = "",
        pane: str = BASE_PANE,
        container_class: str = "",
    ):
        super().__init__()
        self._name = "Outline"
        self.data = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": mapping(g)}
                for g in geoms
                if g is not None and not g.is_empty
            ],
        }
        self.style = dict(style)
        self.attribution = attribution
        self.pane = pane
        self.container_class = container_class


class CityLabels(MacroElement):
    """City names beside their bubbles (see :func:`place_labels`), never catching a click.

    Each label is a ``div.lg-city-label`` (text escaped here) with ``data-code`` set to the
    city's ISTAT code, so tests and styles can find it. ``crowded`` maps a zoom (x 100) to the
    names that would cover another there (:func:`crowded`): they carry ``lg-crowded-<zoom>``,
    hidden while the map is at or below that zoom (``lgnet2-map.css``, :class:`ZoomClass`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            if (!map.getPane({{ this.pane|tojson }})) {
                var pane = map.createPane({{ this.pane|tojson }});
                pane.style.zIndex = 450;
                pane.style.pointerEvents = "none";
            }
            {{ this.labels|tojson }}.forEach(function (l) {
                L.marker([l[0], l[1]], {
                    icon: L.divIcon({html: l[2], className: "lg-city-label-icon", iconSize: [0, 0]}),
                    interactive: false, keyboard: false, pane: {{ this.pane|tojson }}
                }).addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        labels: Sequence[Label],
        *,
        pane: str = LABEL_PANE,
        crowded: Mapping[int, frozenset[str]] | None = None,
    ):
        super().__init__()
        self._name = "CityLabels"
        self.pane = pane
        self.labels = [
            [
                round(lb.lat, 5),
                round(lb.lon, 5),
                f'<div class="lg-city-label lg-{lb.side}{_crowded_classes(lb.code, crowded)}" '
                f'data-code="{esc(lb.code)}" style="--d:{lb.offset}px">{esc(lb.text)}</div>',
            ]
            for lb in labels
        ]


class FeatureId(MacroElement):
    """Names a marker for ``st_folium``: after a click it returns the marker as GeoJSON with this
    ``id`` (``geo.render.clicked_feature`` reads it). Only the id, never any data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.feature = {"type": "Feature", "id": {{ this.fid|tojson }}, "properties": {}};
        {% endmacro %}
        """
    )

    def __init__(self, fid: str):
        super().__init__()
        self._name = "FeatureId"
        self.fid = fid


class MetricScale(MacroElement):
    """Leaflet's scale bar in kilometres and metres only (folium's ``control_scale`` adds miles
    under them)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({{ this.options|tojson }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"
        self.options = {"imperial": False, "metric": True}


class ZoomClass(MacroElement):
    """Sets the class ``name`` on the map's container while its zoom is below ``below`` (CSS in
    ``lgnet2-map.css`` then restyles layers, e.g. hub icons shrink to dots at low zoom)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var set = function () {
                var low = map.getZoom() < {{ this.below|tojson }};
                (low ? L.DomUtil.addClass : L.DomUtil.removeClass)(map.getContainer(), {{ this.name|tojson }});
            };
            map.on("zoomend", set);
            map.whenReady(set);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, *, below: float):
        super().__init__()
        self._name = "ZoomClass"
        self.name = name
        self.below = below
