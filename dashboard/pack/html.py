"""HTML rendering of the pack: Jinja2 templates + one print stylesheet, figures as Plotly JSON.

The figures are drawn in the printing browser by the plotly.js that the plotly package ships
(no network), as ``staticPlot`` SVG: Chromium prints them as vectors. Drawing them in the page
that is printed costs one browser for the whole pack instead of one export per chart.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dashboard import theme
from dashboard.emblem import eu_flag_svg
from dashboard.i18n import translate
from dashboard.pack.content import Section

#: Sections laid out to fill exactly one page (the others may run over several).
FIT_TEMPLATES = ("summary", "matrix", "wp", "city", "completeness")
#: Height of a page's content in CSS pixels: A4 landscape (210 mm) minus the print margins
#: (``pdf.MARGIN``: 15 + 13 mm), less 4 px of safety.
PAGE_PX = int((210 - 15 - 13) * 96 / 25.4) - 4
#: Width of a page's content in CSS pixels (297 mm minus 2 x 12 mm), the viewport the page is
#: laid out in before printing, so that text wraps on screen as it will on paper.
CONTENT_WIDTH_PX = int((297 - 24) * 96 / 25.4)
TEMPLATES = Path(__file__).resolve().parent / "templates"
FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = lambda key, **kw: translate(lang, key, **kw)
    return env


def figure_specs(sections: Sequence[Section]) -> dict[str, dict[str, Any]]:
    """``fig-<section>-<name>`` -> the figure as plotly JSON (data and layout)."""
    out = {}
    for s in sections:
        for name, fig in s.figures.items():
            out[f"fig-{s.key}-{name}"] = json.loads(pio.to_json(fig, validate=False))
    return out


def render_body(
    sections: Sequence[Section],
    cover: dict[str, Any],
    lang: str,
    toc_pages: dict[str, int] | None = None,
) -> str:
    """The pack after the cover: table of contents then every section, one page or more each.
    ``toc_pages`` gives each section's printed page number (blank on the first pass)."""
    env = _environment(lang)
    return env.get_template("body.html.j2").render(
        lang=lang,
        cover=cover,
        sections=sections,
        toc_pages=toc_pages or {},
        fit=FIT_TEMPLATES,
        page_px=PAGE_PX,
        css=_css(),
        status_css=_status_css(),
        plotly_js=PLOTLY_JS.as_uri(),
        # "</" never closes the script element, whatever a label contains.
        figures=json.dumps(figure_specs(sections)).replace("</", "<\\/"),
    )


def render_cover(cover: dict[str, Any], lang: str) -> str:
    env = _environment(lang)
    return env.get_template("cover.html.j2").render(
        lang=lang,
        cover=cover,
        css=_css(),
        status_css=_status_css(),
        flag=eu_flag_svg('style="height:34mm"'),
    )


def running_header(cover: dict[str, Any], lang: str) -> str:
    """Chromium's header template: pack title, reference month, role, demo mark."""
    demo = f' · <b style="color:#B8860B">{cover["demo_mark"]}</b>' if cover["demo"] else ""
    role = cover["role"] + (f" · {cover['role_city']}" if cover["role_city"] else "")
    return (
        '<div style="font-family:Titillium Web,Arial,sans-serif;font-size:8.5pt;color:#5C6F82;'
        'width:100%;margin:0 12mm;display:flex;justify-content:space-between;">'
        f"<span>LGNet2 · {_esc(cover['title'])} · <b>{_esc(cover['period'])}</b>{demo}</span>"
        f"<span>{_esc(role)}</span></div>"
    )


def running_footer(cover: dict[str, Any], lang: str) -> str:
    """Chromium's footer template: project code, data version and the page number."""
    page = translate(lang, "pack.page")
    return (
        '<div style="font-family:Titillium Web,Arial,sans-serif;font-size:8.5pt;color:#5C6F82;'
        'width:100%;margin:0 12mm;display:flex;justify-content:space-between;">'
        f"<span>{_esc(cover['project'])} · {_esc(translate(lang, 'pack.data_version'))} "
        f"{_esc(cover['data_version'])}</span>"
        f'<span>{_esc(page)} <span class="pageNumber"></span> / <span class="totalPages">'
        "</span></span></div>"
    )


@lru_cache(maxsize=1)
def _css() -> str:
    """The stylesheet with the bundled Titillium Web fonts inlined as data URIs (a page opened
    from a file may not load fonts from other files: they count as cross-origin)."""
    css = (TEMPLATES / "pack.css").read_text("utf-8")
    for font in sorted(FONTS.glob("*.ttf")):
        data = base64.b64encode(font.read_bytes()).decode("ascii")
        css = css.replace(f"FONTS/{font.name}", f"data:font/ttf;base64,{data}")
    return css


def _status_css() -> dict[str, tuple[str, str]]:
    """Status chips in the dashboard's status colours, text in the contrasting colour."""
    return {s: (c, theme.text_on(c)) for s, c in theme.STATUS_COLORS.items()}


def _esc(text: object) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
