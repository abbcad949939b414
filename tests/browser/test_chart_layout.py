"""Charts as plotly.js lays them out in Chromium: a chart's title, legend and plot never overlap,
on a desktop and on a phone (on a phone the overview's "Cifre principali" title sat under the
legend's first row, which wraps there). Only a browser knows where the text lands, so the
figures are drawn with the bundled plotly.js in a local page, no server needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from dashboard import charts

pytestmark = pytest.mark.browser

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
HEADLINE = pd.DataFrame(
    {
        "wp": ["WP1", "WP2", "WP3"],
        "achievement": [0.89, 0.84, 0.83],
        "planned_share": [0.89, 0.87, 0.89],
    }
)
SPEND = pd.DataFrame(
    {
        "wp": ["WP1", "WP2", "WP3"],
        "budget": [1.3e6, 1.6e6, 1.8e6],
        "spent": [1.0e6, 1.2e6, 1.3e6],
        "share": [0.77, 0.74, 0.72],
    }
)
PERIODS = ["2023-10", "2023-11", "2023-12", "2024-01"]
WP_LABELS = {"WP1": "WP1", "WP2": "WP2", "WP3": "WP3"}
FIGURES: dict[str, Callable[[str], go.Figure]] = {
    "progress": lambda lang: charts.wp_progress_bars(
        HEADLINE, lang, WP_LABELS, title="Cifre principali del programma"
    ),
    "spending": lambda lang: charts.spending_bars(
        SPEND, lang, WP_LABELS, title="Spesa rispetto al budget per work package"
    ),
    "trajectory": lambda lang: charts.trajectory(
        pd.DataFrame({"period": PERIODS, "value": [10.0, 20.0, 30.0, 40.0]}),
        pd.DataFrame({"period": PERIODS, "planned": [12.0, 24.0, 36.0, 48.0]}),
        lang,
        projection={"projected_value": 60.0},
        end_value=70.0,
        title="Andamento nazionale rispetto al previsto",
    ),
}
#: Bounding boxes of the title, every legend entry and the plot area, in page pixels.
BOXES_JS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  return {
    title: [...document.querySelectorAll('.gtitle')].map(box),
    legend: [...document.querySelectorAll('.legend .traces')].map(box),
    plot: [...document.querySelectorAll('.cartesianlayer .bg, .nsewdrag')].map(box),
  };
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x0"] < b["x1"] - 1
        and b["x0"] < a["x1"] - 1
        and a["y0"] < b["y1"] - 1
        and b["y0"] < a["y1"] - 1
    )


@contextmanager
def _drawn(
    browser: Any,
    tmp_path: Path,
    fig: go.Figure,
    width: int,
    height: int,
    wait: str,
    config: str = "{}",
    room: int = 0,
) -> Iterator[Any]:
    """A page with ``fig`` drawn by plotly.js in a ``width`` px box, once ``wait`` is there
    (a viewport ``room`` px wide, else just wider than the box)."""
    html = tmp_path / "chart.html"
    html.write_text(
        "<html><body style='margin:0'><script>"
        + PLOTLY_JS.read_text(encoding="utf-8")
        + f"</script><div id='g' style='width:{width}px'></div><script>"
        + f"const f = {fig.to_json()}; Plotly.newPlot('g', f.data, f.layout, {config});</script>"
        + "</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": room or width + 20, "height": height})
    try:
        page = context.new_page()
        page.goto(html.as_uri())
        page.wait_for_selector(wait, state="attached")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("width", [340, 900])
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_chart_title_never_sits_on_its_legend(
    browser: Any, tmp_path: Path, name: str, width: int
) -> None:
    with _drawn(browser, tmp_path, FIGURES[name]("it"), width, 800, ".legend .traces") as page:
        boxes = page.evaluate(BOXES_JS)
    assert boxes["title"] and boxes["legend"] and boxes["plot"]
    title = boxes["title"][0]
    clashes = [e for e in boxes["legend"] if _overlap(title, e)]
    assert not clashes, (title, clashes)
    plot_top = min(p["y0"] for p in boxes["plot"])
    assert title["y1"] <= plot_top, (title, plot_top)


def test_the_status_matrix_legend_stays_under_the_cities_when_the_chart_widens(
    browser: Any, tmp_path: Path
) -> None:
    # Hiding the sidebar (a snapshot, or a person closing it) widens a drawn chart; plotly then
    # kept the two-row legend's margin for a one-row legend, over the last city's row.
    names = {f"{i:06d}": f"Città {i:02d}" for i in range(16)}
    rows = pd.DataFrame(
        [
            {"city_code": c, "wp": w, "status": "on_track", "progress": 1.0}
            for c in names
            for w in ("WP1", "WP2", "WP3")
        ]
    )
    fig = charts.status_matrix(rows, names, "it")
    with _drawn(
        browser, tmp_path, fig, 420, 800, ".legend .traces", "{responsive: true}", 700
    ) as page:
        page.evaluate(
            "() => new Promise(done => { document.getElementById('g').style.width = '600px';"
            " window.dispatchEvent(new Event('resize'));"
            " document.getElementById('g').on('plotly_relayout', () => done());"
            " setTimeout(done, 2000); })"
        )
        page.wait_for_function(
            "() => document.querySelector('.main-svg').getBoundingClientRect().width > 590"
        )
        boxes = page.evaluate(BOXES_JS)
    bottom = max(p["y1"] for p in boxes["plot"])
    assert all(e["y0"] >= bottom for e in boxes["legend"]), (bottom, boxes["legend"])


@pytest.mark.parametrize("width", [340, 900])
def test_small_multiples_month_labels_do_not_run_into_each_other(
    browser: Any, tmp_path: Path, width: int
) -> None:
    # On a phone each of the four panels is ~65 px wide: "mar 2023ago 2023mar 2024" ran together.
    periods = (
        [f"{y}-{m:02d}" for y, m in [(2022, 10), (2022, 11), (2022, 12)]]
        + [f"2023-{m:02d}" for m in range(1, 13)]
        + ["2024-01", "2024-02", "2024-03"]
    )
    names = {f"{i:06d}": f"Città {i:02d}" for i in range(16)}
    monthly = pd.DataFrame(
        [{"city_code": c, "period": p, "value": 1.0} for c in names for p in periods]
    )
    fig = charts.small_multiples(monthly, names, "it")
    with _drawn(browser, tmp_path, fig, width, 1200, ".xaxislayer-above text") as page:
        ticks = page.evaluate(
            "() => [...document.querySelectorAll('.xaxislayer-above text')].map(t => { const r ="
            " t.getBoundingClientRect(); return {x0: r.left, x1: r.right, y0: r.top,"
            " y1: r.bottom}; })"
        )
        titles = page.evaluate(
            "() => [...document.querySelectorAll('.annotation-text')].map(t => { const r ="
            " t.getBoundingClientRect(); return {x0: r.left, x1: r.right, y0: r.top,"
            " y1: r.bottom}; })"
        )
    rows: dict[int, list[dict[str, float]]] = {}
    for box in ticks:
        rows.setdefault(round(box["y0"]), []).append(box)
    assert len(rows) == 4 and all(len(r) >= 8 for r in rows.values()), rows.keys()
    clashes = [
        (a, b)
        for row in rows.values()
        for a, b in zip(
            sorted(row, key=lambda b: b["x0"]), sorted(row, key=lambda b: b["x0"])[1:], strict=False
        )
        if _overlap(a, b)
    ]
    assert not clashes, clashes[:3]
    # ... nor into the city names of the row below.
    pad = 4  # pixels of air between a month label and a city name
    under = [(t, n) for t in ticks for n in titles if _overlap({**t, "y1": t["y1"] + pad}, n)]
    assert len(titles) == 16 and not under, under[:3]
