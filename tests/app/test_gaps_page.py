"""Issue 11, point 6, on the work-package page as the public sees it: Bolzano's WP3 series has
gaps where months are suppressed (not a flat zero), and no city disappears from the bars."""

from __future__ import annotations

import json

from .conftest import MakeApp

QUERY = {"wp": "WP3", "indicator": "WP3_HOUSED", "measure": "abs"}


def _figure(at, key: str) -> dict:  # type: ignore[no-untyped-def]
    chart = next(c for c in at.get("plotly_chart") if c.key == key)
    return json.loads(chart.proto.spec)


def test_suppressed_months_are_gaps_not_zeros(make_app: MakeApp) -> None:
    at = make_app("work_package", role="public", query=QUERY)
    assert not at.exception
    fig = _figure(at, "wp_multiples")
    bolzano = next(t for t in fig["data"] if t.get("name") == "Bolzano")
    values = bolzano["y"]
    assert None in values  # the suppressed months are holes ...
    assert fig["layout"]["shapes"]  # ... shaded ...
    names = [t.get("name") for t in fig["data"] if t.get("showlegend")]
    assert "<10: dato protetto, non pubblicato" in names  # ... and named in the legend
    assert bolzano.get("connectgaps") is False


def test_every_city_keeps_its_row_in_the_bars(make_app: MakeApp) -> None:
    at = make_app("work_package", role="public", query=QUERY)
    fig = _figure(at, "wp_bars")
    assert len(fig["layout"]["yaxis"]["categoryarray"]) == 16
    rows = [y for t in fig["data"] for y in (t.get("y") or [])]
    assert len(set(rows)) == 16
