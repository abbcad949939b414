"""Colours and chart styling (pure: no streamlit).

Designers Italia (the Italian public administration's design system) for the interface, and the
Okabe-Ito palette for data, which stays distinguishable with the common colour-vision
deficiencies. Status colours are never the only cue: charts also print the status as text.
Every text colour chosen here reaches WCAG AA (4.5:1) on its background; ``tests/app`` checks it.
"""

from __future__ import annotations

from typing import Any

from geo.style import STATUS_COLOURS as _GEO_STATUS

# Designers Italia / Bootstrap Italia
PRIMARY = "#0066CC"
PRIMARY_DARK = "#004D99"
TEXT = "#17324D"
TEXT_MUTED = "#5C6F82"  # 5.0:1 on white
BACKGROUND = "#FFFFFF"
BACKGROUND_ALT = "#F2F7FC"
GRID = "#D9DADB"
FONT_FAMILY = "Titillium Web, Helvetica Neue, Arial, sans-serif"

# Okabe-Ito (Okabe & Ito 2008)
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Categorical order for series (blue first, the yellow last: it is weak on white).
SERIES = [
    OKABE_ITO[k]
    for k in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
]
WP_COLORS = {"WP1": OKABE_ITO["blue"], "WP2": OKABE_ITO["orange"], "WP3": OKABE_ITO["bluish_green"]}

STATUSES = ("on_track", "at_risk", "off_track", "no_data")
# One definition with the maps (geo.style): Okabe-Ito bluish green / orange / vermillion. Colour
# is never the only cue: cells carry a large bold symbol (WCAG "large text", 3:1) and the name.
STATUS_COLORS: dict[str, str] = dict(_GEO_STATUS)
OFF_TRACK = STATUS_COLORS["off_track"]
STATUS_SYMBOLS = {"on_track": "✓", "at_risk": "!", "off_track": "✗", "no_data": "–"}

COMPLETENESS = ("on_time", "late", "missing", "pending")  # metrics_completeness.REPORT_STATUSES
COMPLETENESS_COLORS = {
    "on_time": OKABE_ITO["blue"],
    "late": OKABE_ITO["orange"],
    "missing": OFF_TRACK,
    "pending": "#F2F2F2",
}

HIGHLIGHT = OKABE_ITO["vermillion"]  # the chosen city among the others
NEUTRAL = "#8FA3B8"  # the other cities (bars, thin lines)
PLAN = TEXT_MUTED
PROJECTION = OKABE_ITO["orange"]
DEMO_MARK = "#B8860B"


# ------------------------------------------------------------------------------- contrast
def _channel(c: float) -> float:
    c = c / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_on(bg: str) -> str:
    """The text colour (dark ``TEXT`` or white) with the higher contrast on ``bg``."""
    return TEXT if contrast_ratio(TEXT, bg) >= contrast_ratio("#FFFFFF", bg) else "#FFFFFF"


# ------------------------------------------------------------------------------- plotly
#: Pixels above a chart's title; from the figure's top to its legend's first row.
TITLE_PAD = 10
LEGEND_BELOW_TITLE = 40


def base_layout(title: str | None = None, *, height: int = 420) -> dict[str, Any]:
    """Layout shared by every chart: fonts, colours, margins, hover labels."""
    layout: dict[str, Any] = {
        "font": {"family": FONT_FAMILY, "color": TEXT, "size": 13},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "colorway": SERIES,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        # ",~f": whole numbers with the language's thousands separator (10.000, not "10k").
        "xaxis": {"gridcolor": GRID, "linecolor": GRID, "automargin": True, "tickformat": ",~f"},
        "yaxis": {"gridcolor": GRID, "linecolor": GRID, "automargin": True, "tickformat": ",~f"},
        "separators": None,
    }
    if title:
        # Title pinned to the top of the figure and the legend hung below it, both measured
        # from the container: a legend that wraps to more rows (on a phone) pushes the plot
        # down instead of climbing over the title.
        layout["title"] = {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": TITLE_PAD},
            "font": {"size": 16, "color": TEXT},
        }
        layout["legend"] |= {
            "yref": "container",
            "y": 1 - LEGEND_BELOW_TITLE / height,
            "yanchor": "top",
        }
    return layout


def separators(lang: str) -> str:
    """Plotly's ``separators`` (decimal, thousands): ``",."`` in Italian, ``".,"`` in English."""
    return ".," if lang == "en" else ",."
