"""What surrounds every page: the shared sidebar and the top of the page.

Sidebar (under the page menu): language switch, reference month (``period``), the account box
from ``dashboard.auth`` when present, the funding attribution. Top of the page: the demo-data
banner when the data is the demo dataset, then notices about invalid URL parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import cache, filters, nav
from dashboard.auth import current_viewer, render_account_box
from dashboard.banner import cutoff_line, render_demo_banner
from dashboard.i18n import fmt_period, translate
from data_access.catalogue import PROGRAMME_END, programme_periods
from data_access.viewer import Viewer


@dataclass(frozen=True)
class PageContext:
    """What every page starts from: who looks, at which month, in which language."""

    viewer: Viewer
    period: str
    lang: str


def context() -> PageContext:
    """The page's context; works under the router and when a page file runs on its own."""
    viewer = current_viewer()
    period = filters.get("period")
    if period is None:
        period = select_period(viewer, st.sidebar)
    return PageContext(viewer=viewer, period=period, lang=filters.current_lang())


@st.cache_data(ttl=cache.TTL_SECONDS, show_spinner=False, max_entries=64)
def _city_names(key: str, viewer_spec: str) -> dict[str, str]:
    cities = cache.cities(Viewer.parse(viewer_spec))
    return dict(zip(cities["code"].astype(str), cities["name"], strict=True))


def city_names(viewer: Viewer) -> dict[str, str]:
    """ISTAT code -> city name, for every city of the programme (kept per data version: with
    1,600 cities, unpickling the cities and walking their Arrow-backed names was a third of a
    warm overview rerun)."""
    return _city_names(cache.data_key(), str(viewer))


def available_periods(viewer: Viewer) -> list[str]:
    """Programme months up to the last one with data (all 18 if there is none yet)."""
    months = programme_periods()
    latest = cache.last_period(viewer)
    if latest is None:
        return months
    last = min(latest, PROGRAMME_END)
    return [m for m in months if m <= last] or months


def released_period(viewer: Viewer, period: str) -> str:
    """``period``, or the latest month ``viewer`` has data for when that is earlier: a page that
    shows the public's numbers to whoever looks (the public summary) must not label January's
    figures with the March a steering session has chosen."""
    latest = cache.last_period(viewer)
    return min(period, latest) if latest is not None else period


def compared_period(viewer: Viewer, period: str) -> str:
    """The month a page that sums or ranks the cities (overview, city comparison) shows
    ``viewer``: ``period``, or for a city manager the public release's latest month when
    ``period`` is later. A city manager sees the other cities as the release has them: their
    totals at its month, labelled with a later month they were January's figures against
    March's plan."""
    if viewer.role != "city":
        return period
    return released_period(Viewer(), period)


def note_moved_period(key: str, chosen: str, shown: str) -> None:
    """A caption (locale ``key``, with ``{shown}`` and ``{chosen}``) when the page shows an
    earlier month than the one chosen (:func:`released_period`, :func:`compared_period`)."""
    if shown != chosen:
        lang = filters.current_lang()
        st.caption(
            translate(lang, key, shown=fmt_period(shown, lang), chosen=fmt_period(chosen, lang))
        )


def select_period(viewer: Viewer, container: object = None) -> str:
    """The reference month shared by every page (``period`` in the URL); default the latest."""
    lang = filters.current_lang()
    options = available_periods(viewer)
    return filters.select(
        "period",
        list(reversed(options)),
        label=translate(lang, "filters.period"),
        default=options[-1],
        format_func=lambda p: fmt_period(p, lang),
        container=container,
        help=translate(lang, "filters.period_help"),
    )


def render_sidebar_top() -> None:
    """The language switch: drawn before anything that needs the database."""
    filters.select_language(st.sidebar)


def render_sidebar_data(viewer: Viewer) -> str:
    """Period, account box and cut-off; returns the chosen period."""
    period = select_period(viewer, st.sidebar)
    render_account_box()
    lang = filters.current_lang()
    line = cutoff_line(cache.dataset_meta(), lang)
    if line:
        st.sidebar.caption(line)
    return period


def render_sidebar_footer() -> None:
    lang = filters.current_lang()
    st.sidebar.divider()
    st.sidebar.caption(translate(lang, "funding.attribution"))


#: Card titles wrap instead of being cut ("Partecipanti ai progett…", issue 11.12); no Plotly
#: toolbar on a phone.
PAGE_CSS = (
    "<style>[data-testid='stMetricLabel'], [data-testid='stMetricLabel'] * "
    "{white-space: normal !important; overflow: visible !important;"
    " text-overflow: clip !important; height: auto !important;}"
    # On a phone Plotly's toolbar (zoom, pan) sat on the charts' titles and legends; a touch
    # screen zooms the page itself, and each chart keeps its own PNG button.
    "@media (max-width: 640px){.modebar-container{display:none !important;}}</style>"
)


def render_page_top() -> None:
    """Shared page styles, then the demo banner (when on demo data) at the top of the body."""
    st.html(PAGE_CSS)
    if cache.is_demo():
        render_demo_banner(filters.current_lang())


REFUSED = "lg_refused_page"


def requested_path() -> str | None:
    """The page address the browser asked for (before Streamlit fell back to the default)."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    return getattr(manager, "intended_page_name", None)


def render_refusal(viewer: Viewer, showing_default: bool) -> None:
    """Say why a page the role may not open was replaced by the default one (issue 11.13). The
    notice stays while the default page is shown (its reruns no longer carry the address)."""
    page = nav.refused_page(requested_path(), viewer)
    if page is not None:
        st.session_state[REFUSED] = page.key
    elif not showing_default:
        st.session_state.pop(REFUSED, None)
    key = st.session_state.get(REFUSED)
    if showing_default and key in nav.PAGE_BY_KEY:
        message = nav.refusal_message(nav.PAGE_BY_KEY[key], filters.current_lang())
        st.warning(message, icon=":material/lock:")


def render_notices(box: object) -> None:
    """Messages about URL parameters that fell back to defaults (into a placeholder)."""
    for message in filters.notices():
        box.info(message, icon=":material/link_off:")  # type: ignore[attr-defined]
