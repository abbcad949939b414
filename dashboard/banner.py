"""The demo-data mark and the data cut-off line shown on every page.

``demo_mark(lang)`` is the single wording of the mark; charts (PNG titles) and downloads
(first line / first sheet) use the same text through ``dashboard.downloads``.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import fmt_date, translate

_CSS = """
<style>
.lg-demo {background:#FFF3CD; border:2px solid #B8860B; color:#17324D; padding:.45rem .9rem;
  border-radius:4px; font-weight:600; letter-spacing:.02em; margin-bottom:.6rem;}
.lg-demo strong {color:#17324D; font-weight:700;}
</style>
"""


def demo_mark(lang: str) -> str:
    """``"DATI DIMOSTRATIVI / demo data"`` style label in ``lang`` (both wordings, it first)."""
    return translate(lang, "demo.mark")


def render_demo_banner(lang: str) -> None:
    """The visible mark at the top of a page built on demo data (static text only)."""
    text = translate(lang, "demo.banner")
    # st.html, not st.markdown(unsafe_allow_html=True): the latter makes every first visit load
    # and parse Streamlit's raw-HTML markdown plugin (~190 KB of JS) before the page's map.
    st.html(
        f'{_CSS}<div class="lg-demo" role="note"><strong>{demo_mark(lang)}</strong> — {text}</div>'
    )


def cutoff_line(meta: dict[str, str], lang: str) -> str:
    """ "Dati aggiornati al 20 aprile 2024" from the dataset's ``cutoff`` (empty if unknown)."""
    cutoff = meta.get("cutoff")
    return translate(lang, "data.cutoff", date=fmt_date(cutoff, lang)) if cutoff else ""
