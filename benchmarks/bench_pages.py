"""Dashboard speed (issue 3): warm rerun per page, map HTML sizes, time until a map is visible.

- Warm rerun: every page through the router with ``streamlit.testing.v1.AppTest`` on the demo
  data, for the roles ``public`` and ``steering``; the first run of each page (cold caches) is
  excluded, then the median of repeated reruns is reported. Budget: 150 ms.
- Map HTML: ``geo.maps.html_size`` of the national map (with the bundled regions and city labels)
  and of city maps with their bundled municipal boundary (Bologna; Roma, the largest), as the
  pages build them. Budgets (issue 14): 200 KB national, 400 KB city.
- Static maps: time to build ``geo.static.build_national_figure`` / ``build_city_figure``.
- Map visible: ``streamlit run`` on 127.0.0.1 in the default configuration (no tiles, bundled base
  layer) and headless Chromium; the time from navigation start (``performance.now()`` of the
  page) until a ``path.leaflet-interactive`` with a size is inside the ``st_folium`` iframe,
  checked on every animation frame (not with Playwright's backing-off locator polls). The server
  is warmed first (one visit per page); every visit is a new browser context (empty cache, as a
  first visit). Budget: 2 s (issue 14). The server's very first view (overview, right after
  its start: module imports and cold caches included) is reported apart, and so is the first
  view on a server started as ``lgnet2 run`` starts it (``dashboard/server.py``: it opens its
  public pages once, ``dashboard.warmup``) when ``/_lgnet2/ready`` says ready, as a balancer
  sends the first visitor; issue 13 compares it at 10x with 1x (``--db`` a ``lgnet2 demo
  --scale 10`` database).
- Drill-down: on the overview, a real click on a city's bubble (Palermo) until that city's
  territorial map has drawn its peripheries. Budget: 1.5 s.
- All charts drawn: on the map pages with charts, the time until every Plotly chart has its SVG
  (they follow the map: ``dashboard.deferred``). No budget; it shows the charts are not later.

Run: ``.venv/bin/python -m benchmarks.bench_pages [--db URL] [--repeat N] [--skip-browser]
[--quiet NAME] [--out NAME]``. Without ``--db`` a demo SQLite file is built in a temporary folder.
With ``--quiet`` the timed parts wait for the machine's quiet flag and hold it while they run (the
cold first opening of every page, minutes at 100x, does not). Writes
``benchmarks/results/<out>.json`` (default ``bench_pages``; with the load average). Nothing here
asserts a time. The Chromium measurements are in ``pages_browser``, the pages and cities both
parts open in ``pages_visited``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import measure, report
from benchmarks.pages_browser import (
    bench_drilldown,
    bench_first_view_after_ready,
    bench_map_visible,
)
from benchmarks.pages_visited import BOLOGNA, PAGES, ROMA

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
ROLES = ("public", "steering")
#: While it exists, another engineer's benchmark runs: heavy work waits (``--quiet``).
QUIET_FLAG = Path("/tmp/bench/QUIET")


def _demo_db(tmp: str) -> str:
    from data_access.config import make_engine
    from data_access.demo import build_demo

    url = f"sqlite:///{tmp}/bench_pages.sqlite"
    engine = make_engine(url, must_exist=False)
    build_demo(engine)
    engine.dispose()
    return url


@contextmanager
def _quiet(name: str | None) -> Iterator[None]:
    """The machine's quiet-benchmark protocol around the timed part (``--quiet NAME``): wait
    until ``/tmp/bench/QUIET`` is gone, write ``NAME`` into it, remove it afterwards. Without a
    name, nothing."""
    if not name:
        yield
        return
    flag = QUIET_FLAG
    while flag.exists():
        time.sleep(5)
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.write_text(f"{name}\n")
    try:
        yield
    finally:
        flag.unlink(missing_ok=True)


def bench_reruns(url: str, repeat: int, quiet: str | None = None) -> list[dict[str, Any]]:
    """Warm rerun median per page and role (AppTest, in this process).

    Every page is opened first for every role (cold caches: at 100x minutes of computing, timed
    as ``first_ms`` but not quiet); then, inside :func:`_quiet`, each is rerun ``repeat`` times
    after one warm-up rerun. Each row carries the 1-minute load average after its reruns."""
    from streamlit.testing.v1 import AppTest

    os.environ["LGNET2_DATABASE_URL"] = url
    os.environ["LGNET2_TILES_URL"] = "none"
    opened: list[tuple[str, str, Any, float]] = []
    for role in ROLES:
        os.environ["LGNET2_LOCAL_ROLE"] = role
        for page, params in PAGES.items():
            at = AppTest.from_file(str(APP), default_timeout=900)
            for k, v in params.items():
                at.query_params[k] = v
            t0 = time.perf_counter()
            at.run()  # the default page (overview): its first run
            boot_ms = (time.perf_counter() - t0) * 1000
            at.switch_page(str(ROOT / "pages" / f"{page}.py"))
            t0 = time.perf_counter()
            at.run()  # first run of the page: cold caches, excluded from the median
            first_ms = boot_ms if page == "overview" else (time.perf_counter() - t0) * 1000
            if at.exception:
                raise RuntimeError(f"{page} as {role}: {[e.message for e in at.exception]}")
            opened.append((role, page, at, first_ms))
    rows = []
    with _quiet(quiet):
        for role, page, at, first_ms in opened:
            os.environ["LGNET2_LOCAL_ROLE"] = role
            stats = measure(at.run, repeat=repeat, warmup=1)
            rows.append(
                {
                    "what": f"rerun {page}",
                    "role": role,
                    "first_ms": first_ms,
                    "median_ms": stats["median_ms"],
                    "min_ms": stats["min_ms"],
                    "load_1m": round(os.getloadavg()[0], 2),
                    "budget": "150 ms",
                }
            )
    return rows


def bench_map_sizes(url: str) -> list[dict[str, Any]]:
    """HTML size of the overview's national map and of Bologna's map, built from the same
    functions the pages use (``data_access.metrics.kpi.national_bubbles``, ``geo.maps.build_*_map``)."""
    from dashboard.i18n import fmt_auto, fmt_number
    from dashboard.maps_ui import map_labels
    from data_access import metrics, queries
    from data_access.config import make_engine
    from data_access.metrics import kpi
    from data_access.viewer import Viewer
    from geo import base_layer
    from geo.maps import build_city_map, build_national_map, html_size
    from geo.static import build_city_figure, build_national_figure

    engine = make_engine(url)
    rows = []
    try:
        for role in ROLES:
            viewer = Viewer.parse(role)
            obs = queries.load_observations(engine, viewer)
            period = str(obs["period"].max())
            cities = queries.load_cities(engine, viewer)
            indicator = kpi.HEADLINE_INDICATORS["WP2"]
            bubbles = kpi.national_bubbles(
                cities,
                metrics.compute_cumulative(obs, period),
                kpi.city_status(obs, queries.load_targets(engine, viewer), period),
                indicator,
            )
            bubbles["value_text"] = [fmt_auto(v, "it") for v in bubbles["value"]]
            national = build_national_map(bubbles, indicator, labels=map_labels("it"), tiles=None)
            rows.append(
                {
                    "what": "national map HTML",
                    "role": role,
                    "size_kb": html_size(national) / 1024,
                    "budget": "200 KB",
                }
            )
            sites = queries.load_protected_places(engine, viewer)
            for code in (BOLOGNA, ROMA):
                per = queries.load_peripheries(engine, viewer, code)
                per = per.assign(
                    value=per["risk_index"].astype(float),
                    value_text=[fmt_number(v, "it", 2) for v in per["risk_index"]],
                )
                located = sites[(sites["city_code"] == code) & (sites["level"] == "periphery")]
                city = build_city_map(
                    per,
                    queries.load_hubs(engine, viewer, code),
                    "value",
                    "risk",
                    labels=map_labels("it"),
                    tiles=None,
                    protected_places=located[["periphery_id", "places"]],
                    boundary=base_layer.municipal_boundary(code, environ={}),
                )
                rows.append(
                    {
                        "what": f"city map HTML with its boundary ({code})",
                        "role": role,
                        "size_kb": html_size(city) / 1024,
                        "budget": "400 KB",
                    }
                )
            if role == "public":
                stats = measure(
                    lambda: build_national_figure(bubbles, indicator), repeat=5, warmup=1
                )
                rows.append({"what": "static national figure built", "role": role, **stats})
                stats = measure(
                    lambda: build_city_figure(
                        per, None, "value", "risk", boundary=base_layer.municipal_boundary(ROMA)
                    ),
                    repeat=5,
                    warmup=1,
                )
                rows.append({"what": "static city figure built (Roma)", "role": role, **stats})
    finally:
        engine.dispose()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="database URL (default: a fresh demo SQLite file)")
    ap.add_argument("--repeat", type=int, default=7, help="timed reruns per page")
    ap.add_argument("--skip-browser", action="store_true", help="no Chromium measurement")
    ap.add_argument(
        "--quiet",
        metavar="NAME",
        default=None,
        help="hold /tmp/bench/QUIET (as NAME) during the timed reruns only, after waiting for it",
    )
    ap.add_argument(
        "--out", default="bench_pages", help="results file name (benchmarks/results/OUT.json)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lgnet2-bench-") as tmp:
        url = args.db or _demo_db(tmp)
        rows = bench_reruns(url, args.repeat, args.quiet)
        if args.skip_browser:
            report(args.out, rows, db=url)  # the reruns are the point: keep them whatever next
        rows += bench_map_sizes(url)
        if not args.skip_browser:
            with _quiet(args.quiet):
                rows += bench_first_view_after_ready(url)
                rows += bench_map_visible(url, max(3, args.repeat // 2))
                rows += bench_drilldown(url, max(3, args.repeat // 2))
        report(args.out, rows, db=url)


if __name__ == "__main__":
    main()
