"""LGNet2 dashboard entry point: ``streamlit run dashboard/app.py`` (or ``lgnet2 run``)."""

from __future__ import annotations

from functools import partial

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import cache, deferred, errors, filters, nav, runlog, shell, widget_strings
from dashboard.auth import current_viewer
from dashboard.i18n import translate
from data_access.viewer import Viewer

# Served by the app (dashboard/static/): a ":material/...:" page icon makes the browser fetch the
# favicon from Google Fonts, and a file path is read and re-encoded on every script run.
FAVICON = "/app/static/favicon.png"

st.set_page_config(
    page_title="LGNet2", page_icon=FAVICON, layout="wide", initial_sidebar_state="auto"
)
filters.begin_run()
deferred.begin_run()
lang = filters.current_lang()
viewer = Viewer()
with errors.guard():
    viewer = current_viewer()
st_pages = {
    p.key: st.Page(
        p.path,
        title=translate(lang, f"nav.{p.key}"),
        icon=p.icon,
        url_path=p.url_path,
        default=p.default,
    )
    for p in nav.visible_pages(viewer)
}
menu = {
    section: [st_pages[p.key] for p in pages]
    for section, pages in nav.sections(viewer, lang).items()
}


def leave_reserved_page(default: StreamlitPage) -> None:
    """The body of a reserved page's hidden address: go to the default page, keeping the query
    parameters (language); ``shell.render_refusal`` has noted which page was refused."""
    st.switch_page(default, query_params=dict(st.query_params))


# A reserved page's address is known to the router (hidden, leading to the default page), so
# Streamlit never shows its own English "Page not found" over the app's refusal (issue 11.13).
menu[next(iter(menu))].extend(
    st.Page(
        partial(leave_reserved_page, st_pages[nav.PAGES[0].key]),
        title=translate(lang, f"nav.{p.key}"),
        url_path=p.url_path,
        visibility="hidden",
    )
    for p in nav.reserved_pages(viewer)
)
page = st.navigation(menu, position="sidebar")
filters.set_page(page.url_path)
with runlog.script_run(viewer.role) as run:
    run["page"] = page.url_path or "panoramica"
    shell.render_sidebar_top()
    widget_strings.render(filters.current_lang())
    notices = st.container()
    try:
        with errors.guard():
            st.session_state["viewer"] = viewer
            st.session_state["period"] = shell.render_sidebar_data(viewer)
            shell.render_page_top()
            shell.render_refusal(
                viewer, showing_default=page.url_path in ("", nav.PAGES[0].url_path)
            )
            page.run()
    finally:
        run["read"] = cache.read_source()
        shell.render_sidebar_footer()
        shell.render_notices(notices)
        filters.finish_run()
