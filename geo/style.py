"""Colours, labels, legend and tiles shared by the map builders.

Palettes are colour-blind safe: status uses Okabe-Ito colours, the choropleth uses ColorBrewer's
5-class YlOrRd (marked colour-blind safe by ColorBrewer), hub types are told apart by their glyph
as well as their colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import folium
from branca.element import MacroElement
from jinja2 import Template

from data_access.catalogue import HUB_TYPES, ONE_STOP_SHOP
from data_access.locale import translate
from data_access.sanitize import escape_html as _escape_html
from data_access.settings import Settings

_JS_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def esc(value: object) -> str:
    """Text from a file or a user, made safe inside HTML (tooltips, legends).

    Besides ``< > & " '``, the backtick, ``$`` and backslash become character references too, so
    the result is also inert inside a JavaScript template literal (folium puts some HTML there).
    """
    return _escape_html(str(value)).translate(_JS_LITERAL)


STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "no_data")
STATUS_COLOURS: dict[str, str] = {
    "on_track": "#009E73",  # Okabe-Ito bluish green
    "at_risk": "#E69F00",  # Okabe-Ito orange
    "off_track": "#D55E00",  # Okabe-Ito vermillion
    "no_data": "#999999",
}
#: ColorBrewer YlOrRd, 5 classes (colour-blind safe, print friendly).
SEQUENTIAL: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_FILL = "#d9d9d9"
#: Italy's regions under the national map: land with thin borders (no fill over tiles).
REGION_STYLE: dict[str, object] = {
    "color": "#8a9bb0",
    "weight": 0.8,
    "opacity": 1,
    "fill": True,
    "fillColor": "#f7f5f0",
    "fillOpacity": 1,
}
#: The municipal boundary under a city map.
BOUNDARY_STYLE: dict[str, object] = {"fill": False, "color": "#17324d", "weight": 2, "opacity": 0.9}

#: Hub type -> (Font Awesome 6 solid glyph, background colour, glyph is dark).
HUB_STYLES: dict[str, tuple[str, str, bool]] = {
    "centro_anziani": ("fa-person-cane", "#0072B2", False),
    "scuola_comunale": ("fa-school", "#D55E00", False),
    "ludoteca": ("fa-puzzle-piece", "#CC79A7", True),
    "biblioteca": ("fa-book", "#009E73", False),
    "centro_sportivo": ("fa-futbol", "#E69F00", True),
    "spazio_culturale": ("fa-masks-theater", "#56B4E9", True),
    "sportello_unico": ("fa-handshake-angle", "#000000", False),
}


_STATUSES = ("on_track", "at_risk", "off_track", "no_data")
_FIELDS = (
    "status_title",
    "size_note",
    "peripheries",
    "hubs",
    "one_stop_shops",
    "boundary",
    "indicative",
    "protected_places",
    "no_data",
    "opened",
    "legend",
)


def _word(lang: str, field_name: str) -> Callable[[], str]:
    return lambda: translate(lang, f"map.{field_name}")


@dataclass(frozen=True)
class MapLabels:
    """Every word a map shows, already in the user's language.

    The words are the locale files' (``status``, ``hub_type`` and ``map`` tables): ``MapLabels()``
    is the Italian set, :meth:`in_lang` any language; a field given explicitly wins. Strings are
    escaped by the builders, so they may contain any character.
    """

    status: Mapping[str, str] = field(
        default_factory=lambda: {s: translate("it", f"status.{s}") for s in _STATUSES}
    )
    hub_types: Mapping[str, str] = field(
        default_factory=lambda: {
            h: translate("it", f"hub_type.{h}") for h in (*HUB_TYPES, ONE_STOP_SHOP)
        }
    )
    status_title: str = field(default_factory=_word("it", "status_title"))
    size_note: str = field(default_factory=_word("it", "size_note"))
    peripheries: str = field(default_factory=_word("it", "peripheries"))
    hubs: str = field(default_factory=_word("it", "hubs"))
    one_stop_shops: str = field(default_factory=_word("it", "one_stop_shops"))
    boundary: str = field(default_factory=_word("it", "boundary"))
    indicative: str = field(default_factory=_word("it", "indicative"))
    protected_places: str = field(default_factory=_word("it", "protected_places"))
    no_data: str = field(default_factory=_word("it", "no_data"))
    opened: str = field(default_factory=_word("it", "opened"))
    legend: str = field(default_factory=_word("it", "legend"))
    #: Tooltip hint on a clickable national bubble ("" for none: a map nobody can click).
    open_city: str = ""
    #: Tooltip hint on a clickable periphery or hub ("" for none).
    open_details: str = ""

    @classmethod
    def in_lang(cls, lang: str) -> MapLabels:
        """The words of a map in ``lang`` (``"it"``/``"en"``)."""
        return cls(
            status={s: translate(lang, f"status.{s}") for s in _STATUSES},
            hub_types={h: translate(lang, f"hub_type.{h}") for h in (*HUB_TYPES, ONE_STOP_SHOP)},
            **{f: translate(lang, f"map.{f}") for f in _FIELDS},
            open_city=translate(lang, "map.open_city"),
            open_details=translate(lang, "map.open_details"),
        )

    @classmethod
    def english(cls) -> MapLabels:
        return cls.in_lang("en")


@dataclass(frozen=True)
class TileSource:
    """A raster tile server. The map still draws its vector layers when it cannot be reached."""

    url: str
    attribution: str
    name: str = "OpenStreetMap"
    max_zoom: int = 19

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TileSource | None:
        """Tiles from ``LGNET2_TILES_URL`` / ``LGNET2_TILES_ATTRIBUTION``, or None (no tiles).

        Unset, empty or ``none`` means no tiles: the maps draw the bundled base layer and no
        visitor's address reaches a third party. Tiles are a deliberate choice of a server the
        operator may use (their own, see README "Map tiles"), never OpenStreetMap's by default.
        """
        env = Settings.from_env(environ)
        url = env.tiles_url
        if not url or url.lower() == "none":
            return None
        from urllib.parse import urlsplit

        # folium refuses tiles without attribution: name the tile host at least.
        attribution = env.tiles_attribution or esc(f"Tiles: {urlsplit(url).hostname or url}")
        return cls(url=url, attribution=attribution, name="Tiles")


OSM_TILES = TileSource(
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


#: The legend's ``max-width`` in ``lgnet2-map.css`` (pixels).
LEGEND_MAX_WIDTH = 260
#: Room kept for a folded legend (its summary button), in pixels.
LEGEND_FOLDED_WIDTH = 110
#: Pages narrower than this (pixels: a phone, where Streamlit stacks its columns) draw a map's
#: legend under the map, not over it.
PHONE_PAGE_WIDTH = 640


class Legend(MacroElement):
    """A foldable Leaflet control holding ready-made (already escaped) HTML, that keeps clear of
    the features it describes.

    Used instead of branca colormaps, which would make streamlit-folium fetch d3 from a CDN.

    - The legend is a ``<details>`` element whose ``<summary>`` is ``summary`` (escaped here):
      one click folds or unfolds it. It starts folded on maps narrower than ``fold_below`` pixels
      (a half-page column), where it would hide much of the map.
    - On pages narrower than ``phone_below`` pixels (a phone: Streamlit stacks its columns) it
      leaves the map: it is drawn folded in a strip under the map, whose height the map gives
      up, so it covers no bubble, shape or figure; unfolded, it grows the component's frame
      downwards instead of shrinking the map.
    - With ``bounds`` (``[[south, west], [north, east]]``), the map is fitted to them once the
      legend is drawn, with the legend's side of the map (its width plus a margin) kept free, so
      no feature starts under the legend. This replaces ``Map.fit_bounds``.

    The output is the same bytes for the same arguments (the map stays deterministic).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "lg-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        (function (map, box) {
            var fold = box.querySelector("details");
            var folded = fold && map.getSize().x < {{ this.fold_below|tojson }};
            var page = window.innerWidth;
            try { page = window.top.innerWidth; } catch (e) { /* a foreign page: this frame */ }
            var below = fold && page < {{ this.phone_below|tojson }};
            if (folded) { fold.open = false; }
            if (below) {
                // Phones: the legend goes under the map, in the frame st_folium sized; the map
                // gives up the folded legend's height, and an unfolded legend grows the frame.
                var holder = map.getContainer(), frame = holder.parentNode;
                var total = frame.offsetHeight || holder.offsetHeight;
                box.classList.add("lg-legend-below");
                frame.appendChild(box);
                var layout = function () {
                    var height = total;
                    if (fold.open) {
                        height = holder.offsetHeight + box.offsetHeight;
                    } else {
                        holder.style.height = Math.max(total - box.offsetHeight, 120) + "px";
                    }
                    frame.style.height = height + "px";
                    window.parent.postMessage({isStreamlitMessage: true,
                        type: "streamlit:setFrameHeight", height: height}, "*");
                    map.invalidateSize();
                };
                layout();
                if (window.ResizeObserver) { new ResizeObserver(layout).observe(box); }
                fold.addEventListener("toggle", layout);
            }
            {%- if this.bounds %}
            // The stylesheets may still be loading (an unstyled legend spans the whole map), so
            // the room kept is the styled legend's: its max-width open, its summary folded.
            var width = below ? 0 : folded ? {{ this.folded_width|tojson }}
                                           : Math.min(box.offsetWidth, {{ this.max_width|tojson }});
            var room = [width + {{ this.margin|tojson }}, {{ this.margin|tojson }}];
            var edge = [{{ this.margin|tojson }}, {{ this.margin|tojson }}];
            var left = {{ this.position|tojson }}.indexOf("left") >= 0;
            map.fitBounds({{ this.bounds|tojson }}, {
                paddingTopLeft: left ? room : edge,
                paddingBottomRight: left ? edge : room
            });
            {%- endif %}
        })({{ this._parent.get_name() }}, {{ this.get_name() }}.getContainer());
        {% endmacro %}
        """
    )

    def __init__(
        self,
        html: str,
        position: str = "bottomright",
        *,
        summary: str = "Legenda",
        bounds: Sequence[Sequence[float]] | None = None,
        fold_below: int = 460,
        phone_below: int = PHONE_PAGE_WIDTH,
        margin: int = 16,
    ):
        super().__init__()
        self._name = "Legend"
        self.html = f"<details open><summary>{esc(summary)}</summary>{html}</details>"
        self.position = position
        self.bounds = [[float(v) for v in corner] for corner in bounds] if bounds else None
        self.fold_below = int(fold_below)
        self.phone_below = int(phone_below)
        self.margin = int(margin)
        self.max_width = LEGEND_MAX_WIDTH
        self.folded_width = LEGEND_FOLDED_WIDTH


class SafeTooltip(MacroElement):
    """A tooltip whose (already escaped) HTML reaches Leaflet as a JSON string literal.

    ``folium.Tooltip`` pastes its text into a JavaScript template literal unescaped; this element
    never lets data touch JavaScript syntax.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.html|tojson }}, {"sticky": true});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "SafeTooltip"
        self.html = html


def legend_html(title: str, items: Sequence[tuple[str, str]], note: str = "") -> str:
    """Legend markup. ``title``, ``note`` and item labels are escaped here; each item's first
    element is trusted swatch HTML built by this package."""
    rows = "".join(f"<li>{swatch}<span>{esc(label)}</span></li>" for swatch, label in items)
    note_html = f'<div class="lg-note">{esc(note)}</div>' if note else ""
    return f"<h4>{esc(title)}</h4><ul>{rows}</ul>{note_html}"


def swatch(colour: str, round_: bool = False, dashed: bool = False) -> str:
    cls = "lg-swatch" + (" lg-round" if round_ else "") + (" lg-dashed" if dashed else "")
    style = "" if dashed else f' style="background:{colour}"'
    return f'<span class="{cls}"{style}></span>'


def hub_icon_html(hub_type: str) -> str:
    """The marker's inner HTML for a hub type (also used as the legend swatch)."""
    glyph, colour, dark = HUB_STYLES.get(hub_type, ("fa-location-dot", "#5c6f82", False))
    cls = (
        "lg-hub"
        + (" lg-dark-glyph" if dark else "")
        + (" lg-oss" if hub_type == "sportello_unico" else "")
    )
    return f'<div class="{cls}" style="background:{colour}"><i class="fa-solid {glyph}"></i></div>'


def class_breaks(values: Sequence[float], n: int = len(SEQUENTIAL)) -> list[float]:
    """Equal-interval class edges (``n + 1`` of them) over the finite values; a single
    value or no value gives one class. Deterministic and rounded for a readable legend."""
    finite = sorted(v for v in values if v is not None and math.isfinite(v))
    if not finite:
        return []
    lo, hi = finite[0], finite[-1]
    if hi == lo:
        return [lo, hi]
    step = (hi - lo) / n
    digits = max(0, 2 - int(math.floor(math.log10(step))))
    edges = [round(lo + i * step, digits) for i in range(n)] + [hi]
    return edges


def class_colour(value: float | None, edges: Sequence[float]) -> str:
    """The fill colour of ``value`` for the class edges from :func:`class_breaks`."""
    if value is None or not math.isfinite(value) or not edges:
        return NO_DATA_FILL
    if len(edges) == 2 and edges[0] == edges[1]:
        return SEQUENTIAL[len(SEQUENTIAL) // 2]
    for i in range(len(edges) - 1):
        if value <= edges[i + 1] or i == len(edges) - 2:
            return SEQUENTIAL[min(i, len(SEQUENTIAL) - 1)]
    return SEQUENTIAL[-1]  # pragma: no cover


def add_tiles(m: folium.Map, tiles: TileSource | None) -> None:
    """Add the base layer, if any (``tiles=None``: no tile requests at all)."""
    if tiles is None:
        return
    import xyzservices

    # A TileProvider, not a URL string: folium would otherwise search xyzservices' whole
    # catalogue for a provider named like the URL on every map (tens of milliseconds).
    provider = xyzservices.TileProvider(
        name=tiles.name,
        url=tiles.url,
        attribution=tiles.attribution,
        html_attribution=tiles.attribution,
    )
    folium.TileLayer(
        tiles=provider, name=tiles.name, max_zoom=tiles.max_zoom, control=False
    ).add_to(m)


def default_format(value: float) -> str:
    """Italian number style (``1.234`` / ``0,35``); the app passes its own locale formatter."""
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    text = f"{value:,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
