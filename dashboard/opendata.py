"""The "Dati aperti / Open data" download: the public open-data release as one ZIP (issue 16).

Whoever is signed in, the ZIP is the public's release (``data_access.opendata`` builds it for
``Viewer()`` only, from the same tables as ``lgnet2 export --role public``), byte for byte what
``lgnet2 open-data`` writes. It is built from the primary database once per data version
(``cache.data_key``) and language, and cached: building runs the public disclosure (a second
or two); the button shows its size.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.filters import current_lang
from dashboard.i18n import fmt_number, translate
from data_access.opendata import build_release, zip_bytes
from data_access.settings import current


@st.cache_resource(ttl=cache.TTL_SECONDS, show_spinner=False, max_entries=4)
def _release_zip(key: str, lang: str) -> bytes:
    # A resource, not data: bytes are immutable, so every rerun shares them instead of
    # unpickling a copy (megabytes with 1,600 cities).
    # ``key`` is cache.data_key(): a write by any process changes it, so the ZIP is rebuilt.
    settings = current()
    files = build_release(
        cache.engine(),
        lang,
        base_url=settings.opendata_base_url,
        contact_email=settings.opendata_contact or None,
    )
    return zip_bytes(files)


def open_data_zip(lang: str) -> bytes:
    """The ZIP of the public release in ``lang`` for the served database (cached)."""
    return _release_zip(cache.data_key(), lang)


cache.on_clear(_release_zip.clear)


def fmt_size(n_bytes: int, lang: str) -> str:
    """``93473`` -> ``"91 KB"``; ``1_610_687`` -> ``"1,5 MB"`` (it) / ``"1.5 MB"`` (en)."""
    if n_bytes >= 1024 * 1024:
        return f"{fmt_number(n_bytes / 1024 / 1024, lang, decimals=1)} MB"
    return f"{fmt_number(max(n_bytes / 1024, 1), lang)} KB"


def show_open_data_download() -> None:
    """A heading, one line on what the release holds, and the ZIP button with its size."""
    lang = current_lang()
    data = open_data_zip(lang)
    st.subheader(translate(lang, "opendata.title"))
    st.caption(translate(lang, "opendata.caption"))
    demo = "_demo" if cache.is_demo() else ""
    st.download_button(
        translate(lang, "opendata.button", size=fmt_size(len(data), lang)),
        data=lambda: data,  # handed over on click, not stored on every rerun
        file_name=f"lgnet2_dati_aperti{demo}.zip"
        if lang == "it"
        else f"lgnet2_open_data{demo}.zip",
        mime="application/zip",
        key="opendata_zip",
        icon=":material/folder_zip:",
        on_click="ignore",
    )
