"""PDF: the HTML printed by Chromium (Playwright, the system ``/usr/bin/chromium``).

Two documents: the cover (full bleed, no running header) and the body (table of contents and
sections, running header with the reference month, page numbers). The body is printed twice in
the same browser page: the first print tells on which page each section starts (the TOC links
become named destinations in the PDF), the TOC numbers are filled in, and the second print is
kept. pypdf joins cover and body and labels the pages so a viewer shows the printed numbers.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import PdfMargins, sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle

from dashboard.pack import html
from dashboard.pack.content import Section
from data_access.errors import LgnetError

CHROMIUM = "/usr/bin/chromium"  # Debian's, as everywhere in the project (scripts/setup.sh)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MARGIN: PdfMargins = {"top": "15mm", "bottom": "13mm", "left": "12mm", "right": "12mm"}
NO_MARGIN: PdfMargins = {"top": "0", "bottom": "0", "left": "0", "right": "0"}
TIMEOUT_MS = 120_000


def section_pages(pdf: bytes) -> dict[str, int]:
    """Section key -> 1-based page of the body where it starts, from the named destinations
    Chromium writes for the TOC's internal links (``#sec-<key>``)."""
    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        key = str(name).lstrip("/")
        if key.startswith("sec-"):
            page = reader.get_destination_page_number(dest)
            if page is not None:
                out[key[4:]] = page + 1
    return out


def _merge(cover: bytes, body: bytes) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    writer.append(PdfReader(io.BytesIO(body)))
    # The cover is unnumbered; the body's pages show the numbers printed in their footer.
    writer.set_page_label(0, 0, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(1, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_metadata({"/Title": "LGNet2", "/Producer": "lgnet2 pack"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def render_pdf(
    sections: Sequence[Section],
    cover: dict[str, Any],
    lang: str,
    progress: Callable[[str], None] = lambda _msg: None,
) -> bytes:
    """The whole pack as PDF bytes (A4 landscape). Raises ``LgnetError`` when Chromium cannot
    be started or a chart fails to draw."""
    with tempfile.TemporaryDirectory(prefix="lgnet2-pack-") as tmp:
        body_file = Path(tmp) / "body.html"
        cover_file = Path(tmp) / "cover.html"
        body_file.write_text(html.render_body(sections, cover, lang), "utf-8")
        cover_file.write_text(html.render_cover(cover, lang), "utf-8")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(
                        viewport={"width": html.CONTENT_WIDTH_PX, "height": 800}
                    )
                    page.emulate_media(media="print")
                    page.goto(cover_file.as_uri())
                    page.evaluate("document.fonts.ready.then(() => true)")
                    cover_pdf = page.pdf(
                        format="A4",
                        landscape=True,
                        print_background=True,
                        margin=NO_MARGIN,
                    )
                    progress("charts")
                    page.goto(body_file.as_uri())
                    page.wait_for_function(
                        "document.body.dataset.ready !== undefined", timeout=TIMEOUT_MS
                    )
                    state = page.evaluate("document.body.dataset.ready")
                    if state != "1":
                        raise LgnetError.of("errors.chart_failed", state=state)
                    options: dict[str, Any] = {
                        "format": "A4",
                        "landscape": True,
                        "print_background": True,
                        "margin": MARGIN,
                        "display_header_footer": True,
                        "header_template": html.running_header(cover, lang),
                        "footer_template": html.running_footer(cover, lang),
                        "outline": True,
                    }
                    progress("layout")
                    first = page.pdf(**options)
                    pages = section_pages(first)
                    page.evaluate(
                        """(pages) => document.querySelectorAll('.toc .pg').forEach(
                            (el) => { el.textContent = pages[el.dataset.key] ?? ''; })""",
                        pages,
                    )
                    body_pdf = page.pdf(**options)
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise LgnetError.of(
                "errors.chromium_print_failed", detail=str(exc).splitlines()[0]
            ) from exc
    return _merge(cover_pdf, body_pdf)
