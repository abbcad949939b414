"""Drill-down from Italy to a single hub: national map -> a city's map -> a periphery or a hub.

Every level is a link: ``/mappa-territoriale?city=037006`` (a city), ``...&periphery=12`` (a
periphery and its side panel), ``...&hub=34`` (a hub). A click moves one level down and adds a
browser history entry, so the back button returns up the same path; breadcrumbs
(Italia › Bologna › Pilastro) link back up.

- National maps (overview, public summary): ``show_cached_map(..., on_click=city_click)`` then
  :func:`follow_city_click` opens the clicked city's territorial map through a link the browser
  follows at once (not ``st.switch_page``, which adds two history entries: see there).
- The territorial map owns ``city``, ``periphery`` and ``hub``; it reads no other page's
  parameters. :func:`focus` reads and validates its place, :func:`place_click` is its map's
  click handler, :func:`breadcrumbs`, :func:`periphery_panel` and :func:`hub_panel` draw.

Values in the panels are the viewer's disclosed cells (``data_access.metrics.places``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import filters, nav
from dashboard.i18n import fmt_number, fmt_period, t
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS
from data_access.disclosure import format_value
from data_access.metrics.places import periphery_month
from data_access.sanitize import escape_markdown

PERIPHERY = "periphery"
HUB = "hub"
CITY = "city"
filters.register_param(PERIPHERY)
filters.register_param(HUB)

#: Indicators reported per periphery (what a periphery's panel shows for the month).
PERIPHERY_INDICATORS: tuple[str, ...] = tuple(i.code for i in INDICATORS if i.by_periphery)

_GOTO = "_lg_drill_city"  # the city clicked on a national map, until the page follows it
#: The territorial map's own parameter for what colours the peripheries, and its default.
MEASURE = "map_value"
DEFAULT_MEASURE = "risk_index"
#: Parameters every page writes (``dashboard.shell``): carried along so that opening a level
#: writes its whole URL at once (one browser history entry, one step back).
_SHARED = ("lang", "period")


def territorial_params(city: str, **place: str) -> dict[str, str]:
    """The full query string of the territorial map of ``city`` (and ``periphery``/``hub``)."""
    shared = {k: str(filters.get(k)) for k in _SHARED if filters.get(k) is not None}
    measure = str(filters.get(MEASURE) or DEFAULT_MEASURE)
    return {**shared, CITY: city, MEASURE: measure, **place}


def city_click(kind: str, key: str) -> None:
    """``on_click`` of a national map: remember the clicked city (callbacks cannot switch page)."""
    if kind == CITY:
        st.session_state[_GOTO] = key


#: Follows the drill-down link as soon as it is on the page (a fixed script, no data in it).
_FOLLOW_JS = """<script>
(() => {
  const go = () => {
    const a = document.querySelector(".st-key-lg_drill_go a[href]");
    if (!a || a.dataset.lgFollowed) return false;
    a.dataset.lgFollowed = "1";
    a.click();
    return true;
  };
  if (go()) return;
  const watch = new MutationObserver(() => { if (go()) watch.disconnect(); });
  watch.observe(document.body, {childList: true, subtree: true});
})();
</script>"""


def follow_city_click() -> None:
    """Open the territorial map of the city clicked on the national map, if any. Call it at the
    top of the page: the click callback has already run.

    ``st.switch_page(..., query_params=...)`` would add two browser history entries (the new
    parameters on this page's URL, then the new page), so the back button showed this page
    twice. A page link adds one, as the breadcrumbs do: the page draws the link to the city's
    map (a fallback anyone can click) and a script follows it at once.
    """
    code = st.session_state.pop(_GOTO, None)
    if code:
        with st.container(key="lg_drill_go"):
            st.page_link(
                nav.PAGE_BY_KEY["territorial_map"].path,
                label=t("nav.territorial_map"),
                icon=":material/map:",
                query_params=territorial_params(code),
            )
        st.html(_FOLLOW_JS, unsafe_allow_javascript=True)
        # Nothing else of this page: the run ends here, so the browser follows the link with
        # no script of this page still running (its rerun would win over the new page).
        st.stop()


def place_click(kind: str, key: str) -> None:
    """``on_click`` of a city map: show the clicked periphery or hub (one URL parameter)."""
    if kind not in (PERIPHERY, HUB):
        return
    params: dict[str, str] = {
        k: st.query_params[k] for k in st.query_params.keys() if k not in (HUB, PERIPHERY)
    }
    params[kind] = key
    st.query_params.from_dict(params)  # one update: one browser history entry per click


def focus(peripheries: Collection[str], hubs: Collection[str]) -> tuple[str, str] | None:
    """The place this page shows in detail: ``("hub", id)``, ``("periphery", id)`` or None.

    Read from this page's own URL parameters only (``hub`` wins over ``periphery``), and kept
    in the URL for the end of the run. An id that is not one of the city's shows the whole
    city with a one-line notice.
    """
    for name, known in ((HUB, hubs), (PERIPHERY, peripheries)):
        raw = st.query_params.get(name)
        if raw is None:
            continue
        if raw in known:
            filters.keep_param(name, raw)
            return name, raw
        st.info(t("drilldown.unknown"))
    return None


def breadcrumbs(city: str, city_name: str, steps: list[tuple[str, Mapping[str, str]]]) -> None:
    """Italia › <city> › <periphery> › <hub>: every level but the last is a link.

    Args:
        city: the city's ISTAT code; ``city_name`` its name.
        steps: the levels below the city, ``(name, query parameters of its link)``.
    """
    territorial = nav.PAGE_BY_KEY["territorial_map"].path
    shared = {k: str(filters.get(k)) for k in _SHARED if filters.get(k) is not None}
    levels: list[tuple[str, Any, Mapping[str, str] | None]] = [
        (t("drilldown.italy"), nav.PAGE_BY_KEY["overview"].path, shared),
        (city_name, territorial, territorial_params(city)),
        *((name, territorial, territorial_params(city, **params)) for name, params in steps),
    ]
    with st.container(horizontal=True, gap="small", key="lg_breadcrumbs"):
        for i, (label, page, params) in enumerate(levels):
            if i:
                st.markdown("›")
            if i == len(levels) - 1:
                st.markdown(f"**{escape_markdown(label)}**")
            else:
                st.page_link(page, label=label, query_params=params)


def _month_metrics(values: pd.DataFrame, lang: str) -> None:
    for row in values.itertuples(index=False):
        name = getattr(INDICATOR_BY_CODE[row.indicator_code], f"name_{lang}")
        text = format_value(
            None if pd.isna(row.value) else float(row.value),
            str(row.flag),
            None if pd.isna(row.suppressed_below) else float(row.suppressed_below),
            lang,
        )
        st.metric(name, text)


def periphery_panel(
    periphery: Mapping[str, Any],
    hubs: pd.DataFrame,
    cells: pd.DataFrame,
    period: str,
    lang: str,
    hub_types: Mapping[str, str],
    places: str | None,
) -> None:
    """A periphery's side panel: its indicators for ``period`` (disclosed cells), risk index,
    protected places (already disclosed text, or None), and its hubs and one-stop shops, each a
    link one level down."""
    st.subheader(str(periphery["name"]))
    if periphery.get("geometry_quality") != "official":
        st.caption(t("territorial.indicative"))
    st.caption(t("drilldown.month", period=fmt_period(period, lang)))
    _month_metrics(periphery_month(cells, int(periphery["id"]), period, PERIPHERY_INDICATORS), lang)
    risk = periphery.get("risk_index")
    if risk is not None and not pd.isna(risk):
        st.metric(t("drilldown.risk"), fmt_number(float(risk), lang, 2))
    if places is not None:
        st.metric(t("territorial.places"), places)
    st.markdown(f"**{t('drilldown.hubs_here')}**")
    mine = hubs[hubs["periphery_id"] == periphery["id"]].sort_values(["type", "name"])
    if mine.empty:
        st.caption(t("drilldown.no_hubs"))
    territorial = nav.PAGE_BY_KEY["territorial_map"].path
    for hub in mine.itertuples(index=False):
        st.page_link(
            territorial,
            label=str(hub.name),
            help=hub_types.get(hub.type, hub.type),
            query_params=territorial_params(str(hub.city_code), **{HUB: str(hub.id)}),
        )


def hub_panel(
    hub: Mapping[str, Any],
    periphery: Mapping[str, Any] | None,
    cells: pd.DataFrame,
    period: str,
    lang: str,
    hub_types: Mapping[str, str],
) -> None:
    """A hub's side panel: its type, opening month, periphery (a link up) and that periphery's
    activity in ``period`` (activity is reported per periphery, not per hub)."""
    st.subheader(str(hub["name"]))
    st.markdown(f"**{t('drilldown.type')}:** {escape_markdown(hub_types.get(hub['type'], ''))}")
    opened = hub.get("opened")
    if isinstance(opened, str) and opened:
        st.markdown(t("drilldown.opened", period=fmt_period(opened[:7], lang)))
    if periphery is None:
        return
    st.markdown(f"**{t('drilldown.periphery')}:** {escape_markdown(str(periphery['name']))}")
    st.caption(t("drilldown.periphery_activity") + " — " + fmt_period(period, lang))
    _month_metrics(periphery_month(cells, int(periphery["id"]), period, PERIPHERY_INDICATORS), lang)
    st.caption(t("drilldown.activity_note"))


def _row(frame: pd.DataFrame, key: str) -> dict[str, Any] | None:
    hit = frame[frame["id"].astype(str) == key]
    return hit.iloc[0].to_dict() if len(hit) else None


def path_steps(
    place: tuple[str, str] | None, peripheries: pd.DataFrame, hubs: pd.DataFrame
) -> list[tuple[str, Mapping[str, str]]]:
    """The breadcrumb levels below the city for ``place`` (see :func:`breadcrumbs`)."""
    if place is None:
        return []
    kind, key = place
    if kind == PERIPHERY:
        row = _row(peripheries, key)
        return [(str(row["name"]), {PERIPHERY: key})] if row else []
    hub = _row(hubs, key)
    if hub is None:
        return []
    steps: list[tuple[str, Mapping[str, str]]] = []
    pid = hub.get("periphery_id")
    per = None if pid is None or pd.isna(pid) else _row(peripheries, str(int(pid)))
    if per is not None:
        steps.append((str(per["name"]), {PERIPHERY: str(per["id"])}))
    return [*steps, (str(hub["name"]), {HUB: key})]


def side_panel(
    place: tuple[str, str] | None,
    peripheries: pd.DataFrame,
    hubs: pd.DataFrame,
    places: Mapping[Any, Any],
    load_cells: Callable[[], pd.DataFrame],
    period: str,
    lang: str,
    hub_types: Mapping[str, str],
) -> None:
    """The panel beside a city map: the focused periphery or hub, else how to get one.
    ``load_cells`` gives the viewer's disclosed cells, read only when a place is focused."""
    if place is None:
        st.caption(t("map.open_details"))
        return
    cells = load_cells()
    kind, key = place
    if kind == PERIPHERY:
        per = _row(peripheries, key)
        if per is not None:
            shown = fmt_number(places[per["id"]], lang) if per["id"] in places else None
            periphery_panel(per, hubs, cells, period, lang, hub_types, shown)
        return
    hub = _row(hubs, key)
    if hub is not None:
        pid = hub.get("periphery_id")
        per = None if pid is None or pd.isna(pid) else _row(peripheries, str(int(pid)))
        hub_panel(hub, per, cells, period, lang, hub_types)
