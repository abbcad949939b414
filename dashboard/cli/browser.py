"""Run the dashboard in a child process and photograph its pages in headless Chromium.

Shared by ``lgnet2 snapshot`` (``dashboard.cli.snapshot``) and the browser tests, so that both
start the server, wait for it and wait for a page (maps included) in exactly the same way.
Nothing here imports streamlit: the app runs in its own process (``streamlit run``).

What a caller may rely on:
- :class:`AppServer` is a context manager; on exit the child process is gone (terminate, then kill).
- :func:`wait_for_page` returns once the script has finished running, no exception element is on
  the page and every ``st_folium`` map has drawn its Leaflet container and its vector layers.
- No function sleeps: waits are on the child process, HTTP answers or Playwright conditions.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dashboard.nav import PAGE_BY_KEY
from data_access.errors import LgnetError

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
HOST = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: The pages ``lgnet2 snapshot --page`` knows (keys of ``dashboard.nav``).
SNAPSHOT_PAGES = (
    "overview",
    "work_package",
    "benchmark",
    "territorial_map",
    "public_summary",
    "methodology",
)


def _page_paths() -> dict[str, str]:
    """Page name -> URL path given by the router (``dashboard.nav``; the default page is ``/``)."""
    return {k: PAGE_BY_KEY[k].route for k in SNAPSHOT_PAGES}


PAGE_PATHS: dict[str, str] = _page_paths()
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Hides Streamlit's chrome for a clean picture (a fixed string, never data).
CHROME_CSS = (
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],"
    " [data-testid='stHeader'], [data-testid='stToolbar'], [data-testid='stDecoration'],"
    " [data-testid='stStatusWidget'], [data-testid='stExpandSidebarButton'],"
    " .st-key-lg_screenshot_toggle, #MainMenu, footer { display: none !important; }"
)


def free_port(candidates: Iterable[int] | None = None) -> int:
    """A TCP port on 127.0.0.1 that nobody listens on (the first free one of ``candidates``,
    or one chosen by the system). Raises LgnetError when every candidate is taken."""
    ports = list(candidates) if candidates is not None else [0]
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise LgnetError.of("errors.no_free_port", first=ports[0], last=ports[-1])


def page_url(
    base: str,
    page: str,
    lang: str = "it",
    screenshot: bool = False,
    extra: Mapping[str, str] | None = None,
) -> str:
    """The URL of a named page (see :data:`PAGE_PATHS`) with ``lang`` (and ``screenshot=1``)."""
    if page not in PAGE_PATHS:
        raise LgnetError.of("errors.unknown_page", page=page, pages=", ".join(PAGE_PATHS))
    params = {"lang": lang, **({"screenshot": "1"} if screenshot else {}), **dict(extra or {})}
    query = "&".join(f"{k}={urllib.parse.quote(str(v))}" for k, v in params.items())
    return f"{base.rstrip('/')}/{PAGE_PATHS[page]}?{query}"


class AppServer:
    """``streamlit run dashboard/app.py`` (or another app script) on 127.0.0.1 in a child process.

    Args:
        port: the port to listen on (see :func:`free_port`).
        env: extra environment for the app (e.g. ``LGNET2_DATABASE_URL``, ``LGNET2_TILES_URL``).
        startup_timeout: seconds to wait for ``/_stcore/health`` before giving up.
        app: the script to run (default the dashboard); ``cwd``: where to run it (Streamlit
            reads ``.streamlit/`` from there); ``args``: extra ``streamlit run`` options.
    """

    def __init__(
        self,
        port: int,
        env: Mapping[str, str] | None = None,
        startup_timeout: float = 60.0,
        log_path: Path | None = None,
        *,
        app: Path = APP,
        cwd: Path = ROOT,
        args: Sequence[str] = (),
    ):
        self.port = port
        self.app, self.cwd, self.args = app, cwd, list(args)
        self.base_url = f"http://{HOST}:{port}"
        self.env = dict(env or {})
        self.startup_timeout = startup_timeout
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.app),
            "--server.address",
            HOST,
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
            *self.args,
        ]
        env = {**os.environ, **self.env}
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self) -> None:
        assert self.proc is not None
        url = f"{self.base_url}/_stcore/health"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (127.0.0.1)
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            # Wait on the child itself: returns at once if the server died, else after 0.2 s.
            try:
                code = self.proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            raise LgnetError.of(
                "errors.server_stopped",
                hint="errors.see_log" if self.log_path else "",
                code=code,
                path=self.log_path,
            )
        raise LgnetError.of("errors.server_silent", url=url)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self._log = None


def launch_browser(playwright: Any) -> Any:
    """Headless Debian Chromium with the team's flags."""
    if not Path(CHROMIUM).exists():
        raise LgnetError.of("errors.chromium_missing", path=CHROMIUM)
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
    )


def wait_for_page(page: Any, timeout_ms: float = 60_000) -> int:
    """Wait until the script finished and every map drew; return the number of maps.

    A map has drawn when its iframe holds a ``.leaflet-container`` with at least one vector path
    or marker.
    """
    page.wait_for_selector(
        "[data-test-script-state='notRunning']", state="attached", timeout=timeout_ms
    )
    # The app shell first reports notRunning before the first run: wait for real content too.
    page.wait_for_selector(
        "[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']",
        state="attached",
        timeout=timeout_ms,
    )
    page.wait_for_selector(
        "[data-test-script-state='notRunning']", state="attached", timeout=timeout_ms
    )
    # Elements whose frontend code is still loading (dataframes, widgets, the map component)
    # show as skeletons; the map iframes can only be counted once they are gone.
    from dashboard.deferred import (
        PLACEHOLDER_SELECTOR,  # imports streamlit: only when a page is open
    )

    # Charts held until the maps drew (dashboard.deferred) arrive with one more run.
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stSkeleton']\")"
        f' && !document.querySelector("{PLACEHOLDER_SELECTOR}")'
        " && document.querySelector(\"[data-test-script-state='notRunning']\")",
        timeout=timeout_ms,
    )
    n = page.locator(MAP_IFRAME).count()
    for i in range(n):
        frame = page.frame_locator(MAP_IFRAME).nth(i)
        frame.locator(".leaflet-container").wait_for(state="attached", timeout=timeout_ms)
        frame.locator("path.leaflet-interactive, .leaflet-marker-icon").first.wait_for(
            state="attached", timeout=timeout_ms
        )
    return int(n)


def hide_chrome(page: Any) -> None:
    """Hide Streamlit's sidebar, header and toolbar in the open page (fixed CSS)."""
    page.add_style_tag(content=CHROME_CSS)


#: Choices that do not change what the page shows (the meeting pack's file format): a snapshot
#: hides them without a line. Streamlit marks a keyed widget's container ``st-key-<key>``.
UNSTATED = "[class*='st-key-pack_']"
#: Replaces each choice widget by a line "Label: chosen value", then hides every control:
#: a snapshot says which city, indicator and month it shows, with no buttons or fields in it.
FREEZE_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']") || document.body;
  const top = main.querySelector("[data-testid='stMainBlockContainer']") || main;
  const side = document.querySelector("[data-testid='stSidebar']");
  const said = (w, value, where) => {
    if (w.closest("@UNSTATED@")) return;
    const label = (w.querySelector("[data-testid='stWidgetLabel']") || {}).innerText || "";
    if (!value) return;
    const p = document.createElement("p");
    p.className = "lg-frozen";
    p.style.cssText = "margin:0 0 .4rem 0;font-weight:600;color:#17324D";
    p.textContent = label ? `${label.trim()}: ${value}` : value;
    if (where) where.insertBefore(p, where.firstChild); else w.parentElement.insertBefore(p, w);
  };
  if (side) {  // the sidebar's choices (month, city...) go to the top of the picture
    for (const w of [...side.querySelectorAll("[data-testid='stSelectbox']")].reverse()) {
      const input = w.querySelector("input");
      said(w, input ? input.value : "", top);
    }
  }
  for (const w of main.querySelectorAll("[data-testid='stSelectbox']")) {
    const input = w.querySelector("input");
    said(w, input ? input.value : "");
  }
  for (const w of main.querySelectorAll("[data-testid='stRadio'], [data-testid='stButtonGroup']")) {
    const on = w.querySelector("input:checked, [aria-checked='true'], [aria-pressed='true'], [kind$='Active']");
    said(w, on ? (on.closest('label') || on).innerText.trim() : "");
  }
}""".replace("@UNSTATED@", UNSTATED)
#: Every interactive control, hidden in a snapshot (fixed CSS).
CONTROLS_CSS = (
    "[data-testid='stSelectbox'], [data-testid='stRadio'], [data-testid='stButtonGroup'],"
    " [data-testid='stButton'], [data-testid='stDownloadButton'], [data-testid='stTextInput'],"
    " [data-testid='stFileUploader'], [data-testid='stCheckbox'], [data-testid='stToggle'],"
    " [data-testid='stSegmentedControl'], [data-testid='stElementToolbar'], .modebar-container,"
    " [data-testid='stTooltipIcon'] { display: none !important; }"
)


def freeze_controls(page: Any) -> None:
    """Write each widget's choice as text and hide the controls (for ``lgnet2 snapshot``)."""
    page.evaluate(FREEZE_JS)
    page.add_style_tag(content=CONTROLS_CSS)


def full_page_screenshot(page: Any, out: Path) -> None:
    """A PNG of the whole page. Streamlit scrolls inside its main block, not the document, so the
    viewport is first made as tall as the content."""
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\") ||"
        " document.querySelector('section.main');"
        " const c = document.querySelector(\"[data-testid='stMainBlockContainer']\");"
        " return Math.ceil(Math.max(c ? c.scrollHeight + 40 : 0, m ? m.scrollHeight : 0,"
        " document.body.scrollHeight)); }"
    )
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.set_viewport_size({"width": width, "height": max(600, min(int(height), 16000))})
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
