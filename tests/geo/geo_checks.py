"""Assertions shared by the map tests (walking a folium tree, finding external URLs)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import folium
from branca.element import Element

CDN_WORDS = ("cdn", "unpkg", "jsdelivr", "cdnjs", "googleapis", "bootstrap", "code.jquery")
_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'\\)<>]*""")


def walk(el: Element) -> Iterator[Element]:
    yield el
    for child in el._children.values():
        yield from walk(child)


def of_type(m: folium.Map, kind: type) -> list[Element]:
    return [e for e in walk(m) if type(e) is kind]


def foreign_urls(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every absolute URL in ``html`` that is not inside one of the ``allowed`` strings."""
    from jinja2.utils import htmlsafe_json_dumps

    for text in allowed:
        # As written, and as folium's |tojson writes it inside scripts.
        html = html.replace(text, "").replace(str(htmlsafe_json_dumps(text))[1:-1], "")
    return _URL.findall(html)


def cdn_words(html: str) -> list[str]:
    low = html.lower()
    return [w for w in CDN_WORDS if w in low]


def streamlit_folium_links(m: folium.Map) -> list[str]:
    """The script and stylesheet URLs streamlit-folium would load in its iframe (same walk as
    ``streamlit_folium.st_folium``: every JSCSSMixin under the map, plus d3 for colormaps)."""
    import branca.colormap
    import folium.elements

    links: list[str] = []
    for el in walk(m):
        if isinstance(el, branca.colormap.ColorMap):
            links.append("https://d3js.org/d3.v4.min.js")
        if isinstance(el, folium.elements.JSCSSMixin):
            links += [u for _, u in getattr(el, "default_js", [])]
            links += [u for _, u in getattr(el, "default_css", [])]
    return links
