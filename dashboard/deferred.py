"""Charts after the map: the first page a browser tab opens draws its maps before any chart.

Why: Streamlit's Plotly renderer is a 4.7 MB script that the browser loads the first time a
page shows a chart, and evaluating it blocks the page's main thread for 0.7-0.8 s in headless
Chromium on this machine. The map's iframe shares that thread (it is same-origin), so a map page
with a chart showed its map only after Plotly was ready (3.1-3.7 s instead of 1.8-2.0 s).

How: a page with a map calls :func:`hold_charts_until_maps` first. Until this session has seen
its maps drawn, :func:`holding` is true and ``components.show_chart`` draws a placeholder of the
chart's height instead of the chart. A tiny component (``st.components.v2``, no iframe) watches
the page; when every map iframe holds a drawn vector or marker (or after
``LGNET2_CHARTS_FALLBACK_MS`` (4 s by default) at most, so a map that cannot draw never hides the charts) it sends one
trigger, the script reruns from its caches and the charts replace the placeholders. Plotly
then loads once per tab: the session stays "ready", later pages draw their charts at once.
Measured (``benchmarks/bench_pages.py``): the map appears about a second earlier and the charts
no later than before, because the browser does the same work in a better order.

Nothing here changes what a chart or a map shows; every chart still reaches the page.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from data_access import settings

#: Session flag: this browser tab has drawn a page's maps (Plotly may load now).
READY = "lg_charts_ready"
_HOLD = "_lg_hold_charts"

# Runs in the app page (not an iframe). Selector strings are fixed; no data goes in here.
_WATCH_JS = """
const FALLBACK_MS = @FALLBACK@;
export default function ({ setTriggerValue }) {
  const start = performance.now();
  const drawn = () => {
    const frames = document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]');
    if (!frames.length) return false;
    return [...frames].every((f) => {
      try {
        return !!f.contentDocument.querySelector(
          '.leaflet-overlay-pane path, .leaflet-marker-pane .leaflet-marker-icon');
      } catch (e) {
        return true;
      }
    });
  };
  const timer = setInterval(() => {
    if (drawn() || performance.now() - start > FALLBACK_MS) {
      clearInterval(timer);
      setTriggerValue('ready', true);
    }
  }, 40);
  return () => clearInterval(timer);
}
"""


def _watcher():  # type: ignore[no-untyped-def]
    """The watcher component. Registered with the running app's registry at each use (once per
    session): registering the same definition again is a no-op, and a registration made at import
    time could land in a registry that is not the running app's."""
    fallback = settings.current().charts_fallback_ms
    js = _WATCH_JS.replace("@FALLBACK@", str(fallback))
    return st.components.v2.component("lgnet2_charts_after_maps", js=js)


def begin_run() -> None:
    """Start of every script run (router): charts are drawn unless the page holds them."""
    st.session_state[_HOLD] = False


def _release() -> None:
    st.session_state[READY] = True


def hold_charts_until_maps() -> bool:
    """For a page with a map, before anything else: hold its charts until its maps drew.

    Returns:
        Whether charts are held in this run (the first run of the session's first map page).
    """
    hold = not st.session_state.get(READY, False)
    st.session_state[_HOLD] = hold
    if hold:
        with st.sidebar:
            _watcher()(key="lg_charts_after_maps", on_ready_change=_release)
    return hold


def holding() -> bool:
    """Whether charts of this run are to be drawn as placeholders."""
    return bool(st.session_state.get(_HOLD, False))


#: Class prefix of a held chart's placeholder (``st-key-<key>``), for tests and ``snapshot``.
PLACEHOLDER_KEY = "lg_chart_wait"
#: CSS selector of any held chart's placeholder.
PLACEHOLDER_SELECTOR = f"[class*='st-key-{PLACEHOLDER_KEY}']"


def placeholder(key: str, height: int) -> None:
    """What stands in for the held chart ``key``: the same height, so nothing jumps later."""
    with st.container(height=height, border=False, key=f"{PLACEHOLDER_KEY}_{key}"):
        st.caption(t("chart.loading"))
