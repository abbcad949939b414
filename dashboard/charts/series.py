"""Monthly series per city (small multiples) and the marks for the months without a number
(issue 11, point 6): a suppressed ("<10") or missing month is a shaded gap with a legend entry,
never a zero and never a line drawn across it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from data_access.locale import fmt_period, translate

#: Fill of the band that marks a month without a number, per kind of gap.
GAP_FILL = {"suppressed": "rgba(92, 111, 130, 0.30)", "missing": "rgba(143, 163, 184, 0.14)"}


def gap_label(gap: str, lang: str) -> str:
    """The legend entry of a kind of gap: "<10 (dato protetto)" / "non disponibile"."""
    return translate(lang, f"chart.gap_{gap}")


def gap_legend(gaps: set[str], lang: str) -> list[go.Scatter]:
    """One legend entry per kind of gap present (square swatches, no data drawn)."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 12, "color": GAP_FILL[g], "line": {"width": 0}},
            name=gap_label(g, lang),
            showlegend=True,
            hoverinfo="skip",
        )
        for g in ("suppressed", "missing")
        if g in gaps
    ]


def small_multiples(
    monthly: pd.DataFrame,
    city_names: Mapping[str, str],
    lang: str,
    *,
    columns: int = 4,
    highlight: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """One small line chart per city (alphabetical), same y scale, months on x.

    Args:
        monthly: ``city_code, period, value[, gap]`` (monthly values of one indicator;
            ``metrics.gaps.monthly_with_gaps`` gives every month, NaN with a ``gap`` kind where
            there is no number). Lines break at a gap, which is shaded and named in the legend.

    Built as one layout with a grid of axes (trace i on ``x{i+1}``/``y{i+1}``, every y axis
    matching the first) rather than ``make_subplots``, which is ten times slower to build.
    """
    codes = sorted(city_names, key=lambda c: city_names[c])
    rows = max(1, -(-len(codes) // columns))
    periods = sorted(monthly["period"].unique()) if len(monthly) else []
    labels = {p: fmt_period(p, lang, short=True) for p in periods}
    # The x axis names the years where they begin ("2023" under January): a panel on a phone
    # is ~65 px wide, and month names ran into each other and into the city below.
    years = [p for p in periods if p.endswith("-01")] or periods[:1]
    ticks = [labels[p] for p in years]
    gap_x, gap_y = 0.03, 0.30 / rows
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    layout = theme.base_layout(title, height=170 * rows + 110)
    layout.update(separators=theme.separators(lang), showlegend=False, annotations=[], shapes=[])
    data = []
    seen: set[str] = set()
    by_city = {c: d.sort_values("period") for c, d in monthly.groupby("city_code")}
    for i, code in enumerate(codes):
        r, c = divmod(i, columns)
        x0, y1 = c * (width + gap_x), 1 - r * (height + gap_y)
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = {
            "domain": [max(0.0, x0), min(1.0, x0 + width)],
            "anchor": f"y{suffix}",
            "showticklabels": True,
            "tickvals": ticks,
            "ticktext": [p[:4] for p in years],
            "tickangle": 0,
            "tickfont": {"size": 9, "color": theme.TEXT_MUTED},
            "categoryorder": "array",
            "categoryarray": [labels[p] for p in periods],
            "range": [-0.5, len(periods) - 0.5],
            "gridcolor": theme.GRID,
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [max(0.0, y1 - height), min(1.0, y1)],
            "anchor": f"x{suffix}",
            "rangemode": "tozero",
            "gridcolor": theme.GRID,
            "showticklabels": c == 0,
            **({"matches": "y"} if i else {}),
        }
        layout["annotations"].append(
            {
                "text": city_names[code],
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": theme.TEXT},
            }
        )
        d = by_city.get(code, pd.DataFrame(columns=["period", "value", "gap"]))
        if "gap" in d:
            for j, p in enumerate(periods):
                kind = d.loc[d["period"] == p, "gap"]
                if len(kind) and kind.iloc[0] in GAP_FILL:
                    seen.add(str(kind.iloc[0]))
                    layout["shapes"].append(
                        {
                            "type": "rect",
                            "xref": f"x{suffix}",
                            "yref": f"y{suffix} domain",
                            "x0": j - 0.5,
                            "x1": j + 0.5,
                            "y0": 0,
                            "y1": 1,
                            "fillcolor": GAP_FILL[str(kind.iloc[0])],
                            "line": {"width": 0},
                            "layer": "below",
                        }
                    )
        data.append(
            go.Scatter(
                x=[labels[p] for p in d["period"]],
                y=list(d["value"]),
                mode="lines+markers",
                connectgaps=False,
                marker={"size": 4},
                line={"color": theme.HIGHLIGHT if code == highlight else theme.PRIMARY, "width": 2},
                name=city_names[code],
                showlegend=False,
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                hovertemplate=f"{city_names[code]}<br>%{{x}}: %{{y:,.0f}}<extra></extra>",
            )
        )
    if seen:
        data += gap_legend(seen, lang)
        layout.update(
            showlegend=True,
            legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
            margin={"b": 70},
        )
    return go.Figure(data=data, layout=layout)


__all__ = ["GAP_FILL", "gap_label", "gap_legend", "small_multiples"]
