"""Names on the static maps, placed so that none covers another name, a marker or the map's edge.

A name starts on its place (a periphery's representative point; beside a city's bubble, which
it keeps clear of) and, when that spot is taken, moves out ring by ring in eight directions,
with a thin leader line back to its place when it ends up away from it: the first spot that
costs least wins (overlap with names already placed, with the hubs' markers,
with the outside of the map, then distance), so the same input always gives the same picture.
Sizes are measured with ``figure_base.text_width``, which never underestimates the text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geo.figure_base import INK, LINE_HEIGHT, Box, Frame, overlap, text_width

#: Font size of the names (px) and the padding plotly draws around an annotation's text
#: (``borderpad`` 1 + ``borderwidth`` 1 on each side).
NAME_SIZE = 10
PAD = 2.0
#: How far a name may move from its place (px from its box's edge), and the directions tried:
#: above, below, right, left, then the diagonals.
RINGS = (2, 6, 12, 20, 30, 42, 56, 72, 90)
DIRECTIONS = ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))
#: Half the side of a hub marker's box (size 10 plus its white outline), px.
MARKER_HALF = 7.0
#: Gap between a bubble's edge and the name beside it (px).
LABEL_GAP = 2.0


@dataclass(frozen=True)
class PlacedName:
    """A name drawn ``(dx, dy)`` px from its place at ``lon, lat``; ``box`` is where it lies."""

    text: str
    lon: float
    lat: float
    dx: float
    dy: float
    box: Box
    #: The radius (px) of the bubble the name stands beside (0: a place with no marker).
    clearance: float = 0.0


def name_box(cx: float, cy: float, text: str, size: float = NAME_SIZE) -> Box:
    """The box of an annotation's text centred on ``(cx, cy)``, its padding included."""
    w = text_width(text, size) + 2 * PAD
    h = LINE_HEIGHT * size + 2 * PAD
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def marker_box(x: float, y: float) -> Box:
    return (x - MARKER_HALF, y - MARKER_HALF, x + MARKER_HALF, y + MARKER_HALF)


def _offsets(w: float, h: float, clearance: float) -> list[tuple[float, float]]:
    out = [] if clearance else [(0.0, 0.0)]
    for r in (0, *RINGS) if clearance else RINGS:
        for ux, uy in DIRECTIONS:
            k = 0.75 if ux and uy else 1.0
            d = k * (r + clearance + (LABEL_GAP if clearance else 0))
            out.append((ux * (w / 2 + d), uy * (h / 2 + d)))
    return out


def place_names(
    names: Sequence[tuple[str, float, float]],
    frame: Frame,
    obstacles: Sequence[Box] = (),
    size: float = NAME_SIZE,
    clearances: Sequence[float] | None = None,
    avoid: Sequence[Box] = (),
) -> list[PlacedName]:
    """Place ``names`` (``(text, lon, lat)``, in this order) on the map of ``frame``, clear of
    the ``obstacles`` (markers' boxes) as far as they can; ``clearances``: per name, the radius
    of a bubble at its place that it must stand beside (default none); ``avoid``: boxes no
    name may cover (a legend drawn over the map), like the names already placed.

    Returns:
        One :class:`PlacedName` per input, in its order. No two boxes overlap and none leaves
        the map whenever the rings leave room for it (with four or fewer names per city they
        always do; the tests check the 16 cities).
    """
    placed: list[Box] = list(avoid)
    out: list[PlacedName] = []
    for i, (text, lon, lat) in enumerate(names):
        clearance = float(clearances[i]) if clearances is not None else 0.0
        x, y = frame.to_px(lon, lat)
        probe = name_box(0.0, 0.0, text, size)
        w, h = probe[2] - probe[0], probe[3] - probe[1]
        best: tuple[int, int, float, float, Box] | None = None
        for rank, (dx, dy) in enumerate(_offsets(w, h, clearance)):
            b = name_box(x + dx, y + dy, text, size)
            area = (b[2] - b[0]) * (b[3] - b[1])
            cost = round(
                1000 * sum(overlap(b, o) for o in placed)
                + 1000 * (area - overlap(b, frame.box))
                + 20 * sum(overlap(b, o) for o in obstacles)
                + math.hypot(dx, dy)
            )
            if best is None or (cost, rank) < best[:2]:
                best = (cost, rank, dx, dy, b)
            if cost == 0:
                break
        assert best is not None
        placed.append(best[4])
        dx, dy = round(best[2], 1), round(best[3], 1)
        out.append(PlacedName(text, lon, lat, dx, dy, best[4], clearance))
    return out


def name_annotation(name: PlacedName, size: float = NAME_SIZE) -> dict[str, object]:
    """The plotly annotation of a placed name: centred on its box, a leader line to its place
    when it had to move off it, a light background so an outline never crosses the letters."""
    # Away from its place (or from its bubble's edge): a leader line joins them.
    gap = math.hypot(
        max(0.0, abs(name.dx) - (name.box[2] - name.box[0]) / 2),
        max(0.0, abs(name.dy) - (name.box[3] - name.box[1]) / 2),
    )
    moved = gap > name.clearance + LABEL_GAP + 2
    ann: dict[str, object] = {
        "text": name.text,
        "x": round(name.lon, 5),
        "y": round(name.lat, 5),
        "xref": "x",
        "yref": "y",
        "font": {"size": size, "color": INK},
        "bgcolor": "rgba(255,255,255,0.78)",
        "borderpad": 1,
        "borderwidth": 1,
        "bordercolor": "rgba(0,0,0,0)",
        "name": "place-name",
    }
    if moved:
        ann.update(
            showarrow=True,
            ax=name.dx,
            ay=name.dy,
            axref="pixel",
            ayref="pixel",
            arrowhead=0,
            arrowwidth=0.8,
            arrowcolor=INK,
            standoff=0,
        )
    else:
        ann.update(showarrow=False, xshift=name.dx, yshift=-name.dy)
    return ann
