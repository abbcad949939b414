"""The pack's maps: ``geo.static`` (the maps issue's static builders, the same layers and
classes as the web maps, bundled ISTAT/openpolis boundaries, no tiles), sized for paper.

The city map shows what the territorial page shows everyone: the municipal boundary, the
periphery areas coloured by their risk index (the page's default measure) and the public hubs.
Protected shelters are never drawn, for any role: ``geo.static.build_city_figure`` takes no
shelter argument and refuses a hub of another type.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import fmt_auto, fmt_number, indicator_label, translate
from geo import base_layer
from geo.static import build_city_figure, build_national_figure
from geo.style import MapLabels

RISK = "risk_index"


def map_labels(lang: str) -> MapLabels:
    """The maps' words in ``lang`` (``geo.style``'s own Italian and English sets)."""
    return MapLabels.english() if lang == "en" else MapLabels()


def city_map(
    peripheries: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    city_code: str,
    lang: str,
    width: int = 470,
    height: int = 540,
) -> go.Figure:
    """One city's static map (``geo.static.build_city_figure``) coloured by risk index."""
    # The legends under the map, so the map takes the column's whole width.
    fig = build_city_figure(
        peripheries,
        hubs,
        RISK,
        translate(lang, "pack.map_risk"),
        boundary=base_layer.municipal_boundary(city_code),
        labels=map_labels(lang),
        format_value=lambda v: fmt_number(v, lang, 2),
        width=width,
        height=height,
        legend="below",
        legend_size=10,
    )
    fig.update_layout(font={"size": 12})
    return fig


def national_map(
    bubbles: pd.DataFrame, indicator: str, lang: str, width: int = 430, height: int = 560
) -> go.Figure:
    """The overview's national map (``kpi.national_bubbles`` rows) as a static figure."""
    frame = bubbles.assign(value_text=[fmt_auto(v, lang) for v in bubbles["value"]])
    return build_national_figure(
        frame,
        indicator_label(indicator, lang),
        labels=map_labels(lang),
        format_value=lambda v: fmt_auto(v, lang),
        width=width,
        height=height,
    )
