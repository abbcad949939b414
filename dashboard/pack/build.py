"""One entry point for the CLI and the buttons: numbers -> sections -> PDF or PPTX bytes.

``progress`` is called with one line per step (in the pack's language), so the command line can
print it and the button can show it in ``st.status``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Literal

from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine

from dashboard.i18n import normalize_lang, translate
from dashboard.pack import content, content_pages, pdf, slides
from dashboard.pack.content import Section
from dashboard.pack.data import PackData, load_pack_data
from data_access.catalogue import WP_BY_CODE
from data_access.viewer import Viewer

Format = Literal["pdf", "pptx"]
FORMATS: tuple[Format, ...] = ("pdf", "pptx")


#: The sections a PPTX carries (native charts); the PDF has them all.
PPTX_PARTS = frozenset({"summary", "matrix", "wp"})


def build_sections(
    data: PackData,
    lang: str,
    progress: Callable[[str], None] = lambda _m: None,
    parts: frozenset[str] | None = None,
) -> list[Section]:
    """The sections of the pack in the issue's order (cover apart); ``parts`` limits them to
    some of ``summary, matrix, decisions, wp, cities, completeness, methodology``."""
    builders: list[tuple[str, Callable[[], list[Section]]]] = [
        ("summary", lambda: [content.summary(data, lang)]),
        ("matrix", lambda: [content.matrix(data, lang)]),
        ("decisions", lambda: [content.decisions(data, lang)]),
        ("wp", lambda: [content_pages.wp_page(data, wp, lang) for wp in WP_BY_CODE]),
        (
            "cities",
            lambda: [
                content_pages.city_page(data, c, lang) for c in content_pages.city_order(data)
            ],
        ),
        ("completeness", lambda: [content_pages.completeness(data, lang)]),
        ("methodology", lambda: [content_pages.methodology(data, lang)]),
    ]
    sections: list[Section] = []
    for name, build in builders:
        if parts is not None and name not in parts:
            continue
        progress(translate(lang, f"pack.step_{name}", n=len(data.names)))
        sections += build()
    return sections


def build_pack(
    engine: Engine,
    viewer: Viewer,
    period: str,
    lang: str = "it",
    fmt: Format = "pdf",
    progress: Callable[[str], None] = lambda _m: None,
) -> bytes:
    """The pack of ``viewer`` for ``period`` as PDF or PPTX bytes.

    Raises ``InvalidInput`` (month without data, malformed month), ``UnknownCode`` (unknown
    city) and ``LgnetError`` (Chromium missing), each with a message in both languages.
    """
    lang = normalize_lang(lang)
    progress(translate(lang, "pack.step_data"))
    data = load_pack_data(engine, viewer, period)
    sections = build_sections(data, lang, progress, PPTX_PARTS if fmt == "pptx" else None)
    cover = content.cover(data, lang)
    progress(translate(lang, "pack.step_render", fmt=fmt.upper()))
    if fmt == "pptx":
        return slides.render_pptx(sections, cover, lang)
    return pdf.render_pdf(sections, cover, lang)


def count_units(payload: bytes, fmt: str) -> tuple[int, str]:
    """How many pages (PDF) or slides (PPTX) a pack has, with the locale key that names them."""
    if fmt == "pptx":
        return len(Presentation(io.BytesIO(payload)).slides), "pack.slides"
    return len(PdfReader(io.BytesIO(payload)).pages), "pack.pages"
