"""``lgnet2 snapshot --page NAME --out FILE.png [--lang it|en] [--role R] [--period YYYY-MM]
[--city CODE] [--db URL] [--width N]`` (issues 3 and 11).

Starts the dashboard on a free 127.0.0.1 port in a child process, opens the page in headless
Chromium in screenshot mode, waits for the script and the maps to finish drawing, writes a
full-page PNG and stops the server. The picture carries what the page shows: the data cut-off
date, the demo mark when the data is demo, and (public summary) the funding attribution. It is
a picture, not a page: the controls are hidden and each choice (city, indicator, month) is
written as a line of text. ``--role`` (default ``public``) is whose view it is; ``--period`` the
reference month (default the latest).
"""

from __future__ import annotations

import argparse
import tempfile
from functools import partial
from pathlib import Path

from dashboard.cli.browser import PAGE_PATHS
from dashboard.cli.messages import helptext
from data_access.catalogue import programme_periods
from data_access.errors import InvalidInput, LgnetError
from data_access.locale import Lang
from data_access.viewer import Viewer


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``snapshot`` to the ``lgnet2`` subcommands (help in ``lang``)."""
    h = partial(helptext, lang)
    p = sub.add_parser("snapshot", help=h("snapshot"), description=h("snapshot"))
    p.add_argument("--page", required=True, choices=sorted(PAGE_PATHS), help=h("page"))
    p.add_argument("--out", required=True, type=Path, help=h("out_png"))
    p.add_argument("--lang", choices=("it", "en"), default="it", help=h("lang"))
    p.add_argument("--db", default=None, help=h("db"))
    p.add_argument("--width", type=int, default=1280, help=h("width"))
    p.add_argument("--city", default=None, help=h("city_page"))
    p.add_argument("--role", default="public", help=h("role_view"))
    p.add_argument("--period", default=None, help=h("period_latest"))
    p.add_argument("--timeout", type=float, default=90.0, help=h("timeout"))
    p.set_defaults(handler=run_snapshot)


def _check(args: argparse.Namespace) -> None:
    if args.out.suffix.lower() != ".png":
        raise InvalidInput.of("errors.out_suffix", suffix="png", path=args.out)
    if not 320 <= args.width <= 4000:
        raise InvalidInput.of("errors.width_invalid", width=args.width, min=320, max=4000)
    Viewer.parse(args.role)  # UnknownCode: one line, exit 2
    if args.period is not None and args.period not in programme_periods():
        raise InvalidInput.of(
            "errors.month_invalid",
            hint="errors.month_range_hint",
            period=args.period,
            start=programme_periods()[0],
            end=programme_periods()[-1],
        )
    if not args.out.parent.exists():
        raise InvalidInput.of("errors.folder_missing", path=args.out.parent)


def run_snapshot(args: argparse.Namespace) -> int:
    """Handler of ``lgnet2 snapshot``; returns 0 once the PNG is written."""
    _check(args)
    from data_access.config import make_engine, resolve_url
    from data_access.db import load_meta

    url = resolve_url(args.db)
    engine = make_engine(url)  # raises DatabaseUnavailable: a clear message, exit 2
    try:
        load_meta(engine)  # raises EmptyDatabase before we start a browser for nothing
    finally:
        engine.dispose()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise LgnetError.of("errors.playwright_missing") from exc
    from dashboard.cli.browser import (
        AppServer,
        free_port,
        freeze_controls,
        full_page_screenshot,
        hide_chrome,
        launch_browser,
        page_url,
        wait_for_page,
    )

    extra = {
        **({"city": args.city} if args.city else {}),
        **({"period": args.period} if args.period else {}),
    }
    env = {"LGNET2_DATABASE_URL": url, "LGNET2_LOCAL_ROLE": str(Viewer.parse(args.role))}
    timeout_ms = args.timeout * 1000
    with tempfile.TemporaryDirectory(prefix="lgnet2-snap-") as tmp:
        log = Path(tmp) / "streamlit.log"
        with (
            AppServer(free_port(), env=env, log_path=log) as server,
            sync_playwright() as pw,
        ):
            browser = launch_browser(pw)
            try:
                page = browser.new_page(
                    viewport={"width": args.width, "height": 900}, device_scale_factor=1
                )
                page.goto(
                    page_url(server.base_url, args.page, args.lang, screenshot=True, extra=extra),
                    wait_until="domcontentloaded",
                )
                wait_for_page(page, timeout_ms)
                hide_chrome(page)
                freeze_controls(page)
                full_page_screenshot(page, args.out)
            except PlaywrightError as exc:
                raise LgnetError.of(
                    "errors.page_not_loaded", page=args.page, detail=exc.message[:200]
                ) from exc
            finally:
                browser.close()
    print(args.out)
    return 0
