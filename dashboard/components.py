"""Small rendering helpers shared by the pages (``show_*`` draw; nothing here computes a KPI).

- :func:`provenance` — what downloads say about themselves (language, demo, cut-off).
- :func:`show_chart` — a plotly figure with the demo mark, a minimal toolbar and a PNG button;
  :func:`show_cached_chart` builds it once per key first (``memo.figure``).
- :func:`show_table` — a dataframe with CSV and XLSX buttons.
- :func:`show_metrics` — a row of bordered figures.
- :func:`show_reporting_summary` — reporting completeness, timeliness, late reports and the rule.
- :func:`publication_text` / :func:`publication_failure_text` — the publication in force.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import cache, computed, deferred, memo
from dashboard.downloads import Provenance, csv_bytes, file_name, png_bytes, xlsx_bytes
from dashboard.filters import current_lang
from dashboard.i18n import fmt_date, fmt_percent, fmt_period, has_key, t, translate
from dashboard.memo import FigureSpec
from dashboard.views.overview import Metric
from data_access.viewer import Viewer

_PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    # The browser's own PNG export would lack the demo mark and the cut-off: our button has them.
    "modeBarButtonsToRemove": ["toImage", "select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
}


def provenance(title: str = "") -> Provenance:
    """Provenance for the current session (language, demo flag and cut-off of the dataset)."""
    meta = cache.dataset_meta()
    return Provenance(
        lang=current_lang(),
        demo=meta.get("is_demo") == "true",
        cutoff=meta.get("cutoff"),
        title=title,
    )


def show_reporting_summary(viewer: Viewer, period: str, city: str | None = None) -> pd.DataFrame:
    """Reporting completeness of the months up to ``period`` (every city, or only ``city``) as
    three metrics and the rule in words: the same figures on every page that shows them
    (``computed.completeness``). Returns the per-city summary for the page's own tables."""
    lang = current_lang()
    by_city, total = computed.completeness(viewer, period, city)
    row = total.iloc[0] if len(total) else None
    c1, c2, c3 = st.columns(3)
    c1.metric(
        translate(lang, "reporting.completeness"),
        fmt_percent(row["completeness"] if row is not None else None, lang, 1),
    )
    c2.metric(
        translate(lang, "reporting.timeliness"),
        fmt_percent(row["timeliness"] if row is not None else None, lang, 1),
    )
    c3.metric(
        translate(lang, "reporting.late"),
        translate(
            lang,
            "reporting.late_value",
            n=int(row["n_late"]) if row is not None else 0,
            due=int(row["n_due"]) if row is not None else 0,
        ),
    )
    as_of = fmt_date(computed.reporting_date(), lang)
    st.caption(translate(lang, "reporting.rule", period=fmt_period(period, lang), as_of=as_of))
    return by_city


def figure_height(fig: go.Figure | FigureSpec) -> int:
    """The height a chart will take on the page (Streamlit's default when the figure has none)."""
    spec = fig.to_dict() if isinstance(fig, FigureSpec) else fig.to_plotly_json()
    height = (spec.get("layout") or {}).get("height")
    return int(height) if isinstance(height, (int, float)) else 450


def show_chart(
    fig: go.Figure | FigureSpec, *, key: str, name: str, title: str = "", png: bool = True
) -> None:
    """Draw ``fig`` (a figure, or a cached one from ``memo.figure``) and a PNG download under it.

    The page's banner carries the demo mark on screen; the PNG carries it in the image (and the
    data cut-off). The PNG is rendered only when the button is clicked (a callable payload).
    """
    prov = provenance(title)
    if deferred.holding():
        deferred.placeholder(key, figure_height(fig))
    else:
        st.plotly_chart(fig, key=key, config=_PLOTLY_CONFIG, width="stretch")
    if png:

        def png_data() -> bytes:
            return png_bytes(fig.figure() if isinstance(fig, FigureSpec) else fig, prov)

        st.download_button(
            translate(prov.lang, "downloads.png"),
            data=png_data,
            file_name=file_name(name, "png", prov),
            mime="image/png",
            key=f"{key}_png",
            icon=":material/image:",
            on_click="ignore",
            type="tertiary",
        )


def show_table(
    frame: pd.DataFrame,
    *,
    key: str,
    name: str,
    title: str = "",
    column_config: dict[str, Any] | None = None,
    height: int | Literal["auto", "stretch", "content"] = "auto",
    table: bool = True,
    download: pd.DataFrame | None = None,
    percent_columns: Sequence[str] = (),
) -> None:
    """Draw ``frame`` (unless ``table=False``: the page showed it its own way) and CSV/XLSX
    downloads of the same content as data: ``download`` when given (raw numbers in numeric
    columns, codes beside names, headers in the user's language), else ``frame``. Both files
    are built when their button is clicked (callable payloads), not on every rerun."""
    prov = provenance(title)
    data = frame if download is None else download
    if table:
        st.dataframe(frame, hide_index=True, column_config=column_config, key=key, height=height)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        translate(prov.lang, "downloads.csv"),
        data=lambda: csv_bytes(data, prov),
        file_name=file_name(name, "csv", prov),
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
        type="tertiary",
    )
    c2.download_button(
        translate(prov.lang, "downloads.xlsx"),
        data=lambda: xlsx_bytes(data, prov, percent_columns=percent_columns),
        file_name=file_name(name, "xlsx", prov),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/table:",
        on_click="ignore",
        type="tertiary",
    )


def trigger_label(trigger: str, lang: str) -> str:
    """What started a publication, in words (``import`` -> "importazione"); an unknown trigger
    as recorded."""
    key = f"publication.trigger_{trigger}"
    return translate(lang, key) if has_key(lang, key) else trigger


def publication_text(kind: str, lang: str) -> str:
    """The sentence about the publication in force: ``kind`` ``method`` (the methodology page:
    what the public release contains) or ``dq`` (the data-quality page: which one is in force,
    and a failed build if the latest one failed)."""
    info = cache.publication()
    if info is None:
        return t(f"{kind}.release_none" if kind == "method" else "dq.publication_none")
    args = {
        "version": info.version,
        "date": fmt_date(info.created_at, lang),
        "latest": fmt_period(info.latest_period, lang),
        "trigger": trigger_label(info.trigger, lang),
        "months": t(f"method.months_{info.months}"),
    }
    return t("method.release_text" if kind == "method" else "dq.publication_ok", **args)


def publication_failure_text(lang: str) -> str | None:
    """The warning about a failed publication (None when the latest build succeeded)."""
    fail = cache.publication_failure()
    if fail is None:
        return None
    return t(
        "dq.publication_failed",
        date=fmt_date(fail.get("at"), lang),  # type: ignore[arg-type]
        trigger=trigger_label(str(fail.get("trigger", "")), lang),
        error=str(fail.get("error", "")),
    )


def show_metrics(metrics: Sequence[Metric | None]) -> None:
    """A row of bordered figures, one column each (None: an empty column); the line under a
    figure is context, never a trend, so it has no colour and no arrow."""
    for col, m in zip(st.columns(len(metrics)), metrics, strict=True):
        if m is not None:
            col.metric(
                m.label,
                m.value,
                m.delta,
                delta_color="off",
                delta_arrow="off",
                border=True,
                help=m.help,
            )


def show_cached_chart(
    key: str,
    viewer: Viewer,
    *parts: Hashable,
    build: Callable[[], go.Figure],
    name: str,
    title: str = "",
) -> None:
    """:func:`show_chart` of the figure ``build()`` makes, built once per ``(key, viewer,
    *parts)`` (``memo.figure``; ``parts``: everything else the figure depends on). ``key`` is
    both the cache's name and the chart's widget key."""
    show_chart(memo.figure(key, viewer, *parts, build=build), key=key, name=name, title=title)
