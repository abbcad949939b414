"""The "Prepara il pacchetto per il comitato" button (overview) and the public pack button
(public summary): build the pack with ``st.status`` steps, then offer the file.

The pack is made by :func:`dashboard.pack.build_pack` for the page's viewer, month and
language, so it carries the numbers the page shows. It is kept in the session (not in a shared
cache: a steering pack must never be handed to another session) until the month, role, language
or format changes.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.errors import render_error
from dashboard.i18n import translate
from dashboard.pack import FORMATS, build_pack
from data_access.errors import LgnetError
from data_access.viewer import Viewer

_MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def show_pack_button(viewer: Viewer, period: str, lang: str, *, public: bool = False) -> None:
    """The format choice, the build button with its progress and, once built, the download."""
    key = "pack_public" if public else "pack_committee"
    left, mid, right = st.columns([2, 3, 3], vertical_alignment="bottom")
    fmt = (
        left.segmented_control(
            translate(lang, "pack.format"),
            list(FORMATS),
            default="pdf",
            format_func=str.upper,
            key=f"{key}_format",
        )
        or "pdf"
    )
    wanted = (str(viewer), period, lang, fmt)
    label = translate(lang, "pack.button_public" if public else "pack.button")
    # Two steps, two verbs: "Prepara" builds the file, "Scarica" (with its format) saves it.
    prepare = translate(lang, "pack.prepare_public" if public else "pack.prepare")
    if mid.button(prepare, key=f"{key}_build", icon=":material/picture_as_pdf:"):
        with st.status(translate(lang, "pack.preparing"), expanded=True) as status:
            try:
                payload = build_pack(cache.engine(), viewer, period, lang, fmt, status.write)
            except LgnetError as exc:
                status.update(label=translate(lang, "pack.failed"), state="error")
                render_error(exc)
                return
            status.update(label=translate(lang, "pack.step_done"), state="complete")
        st.session_state[key] = (wanted, payload)
    built = st.session_state.get(key)
    if built is not None and built[0] == wanted:
        right.download_button(
            f"{label} ({fmt.upper()})",
            data=built[1],
            file_name=f"lgnet2_pacchetto_{str(viewer).replace(':', '_')}_{period}_{lang}.{fmt}",
            mime=_MIME[fmt],
            key=f"{key}_download",
            icon=":material/download:",
            type="primary",
        )
