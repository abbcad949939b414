"""Content assembly: the pack's sections, in the issue's order, as words and figures in one
language. Numbers come formatted from :mod:`dashboard.pack.data` (no arithmetic here beyond
picking rows); sentences reuse the dashboard's locale strings and ``metrics.text``.

A :class:`Section` is what both renderers consume: the PDF through its Jinja template
(``template``), the PPTX through ``context`` and ``figures``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import (
    fmt_auto,
    fmt_date,
    fmt_eur,
    fmt_percent,
    fmt_period,
    indicator_label,
    normalize_lang,
    translate,
)
from dashboard.pack import figures, maps
from dashboard.pack.data import PackData
from data_access.catalogue import INDICATOR_BY_CODE, PROGRAMME_END_DATE, WORK_PACKAGES
from data_access.disclosure import format_value
from data_access.metrics import kpi
from data_access.metrics.status import attention_reason, fmt_progress

Progress = Callable[[str], None]
#: The projections listed on the decisions page (the furthest from target first).
MAX_SHORT = 6


@dataclass
class Section:
    """One part of the pack: ``key`` is stable (``summary``, ``wp-WP1``, ``city-001272``...)."""

    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, go.Figure] = field(default_factory=dict)
    group: str = ""


def localized(obj: object, field: str, lang: str) -> str:
    """``obj.<field>_<lang>`` (an indicator's or work package's name, definition...), Italian
    when the English one is empty."""
    value = getattr(obj, f"{field}_{normalize_lang(lang)}", None)
    return str(value if value else getattr(obj, f"{field}_it", ""))


def status_label(status: str, lang: str) -> str:
    return translate(lang, f"status.{status}")


def shown_value(value: float, flag: str, below: float | None, code: str, lang: str) -> str:
    """A cumulated value as the viewer may see it ("<10", "n.d." for hidden people counts)."""
    if INDICATOR_BY_CODE[code].kind == "ratio":
        return fmt_auto(value, lang)
    return format_value(value, flag or "", below, lang)


def reporting_summary(data: PackData, lang: str, rule: bool = False) -> str:
    """National reporting completeness, timeliness and late reports in the words of the pages'
    reporting summary (``reporting.*``; ``components.show_reporting_summary``), with the rule
    in words when ``rule``."""
    nat = data.completeness_national.iloc[0] if len(data.completeness_national) else None
    parts = [
        f"{translate(lang, 'reporting.completeness')}: "
        + fmt_percent(nat["completeness"] if nat is not None else None, lang, 1),
        f"{translate(lang, 'reporting.timeliness')}: "
        + fmt_percent(nat["timeliness"] if nat is not None else None, lang, 1),
        f"{translate(lang, 'reporting.late')}: "
        + translate(
            lang,
            "reporting.late_value",
            n=int(nat["n_late"]) if nat is not None else 0,
            due=int(nat["n_due"]) if nat is not None else 0,
        ),
    ]
    text = " · ".join(parts) + "."
    if rule:
        text += " " + translate(
            lang,
            "reporting.rule",
            period=fmt_period(data.period, lang),
            as_of=fmt_date(data.reporting_as_of, lang),
        )
    return text


def cover(data: PackData, lang: str) -> dict[str, Any]:
    """Cover and provenance facts (also used by the running header and the annex)."""
    prov = data.provenance
    return {
        # The committee's pack, or the edition for the public / a city manager, by its name.
        "title": translate(lang, f"pack.title_{data.viewer.role}"),
        "programme": translate(lang, "pack.programme"),
        "project": "PROG-OE3846",
        "period": fmt_period(data.period, lang),
        "cutoff": fmt_date(prov.get("cutoff") or None, lang),
        "demo": data.is_demo,
        "demo_mark": translate(lang, "demo.mark"),
        "funding": translate(lang, "funding.attribution"),
        "role": translate(lang, f"pack.role_{data.viewer.role}"),
        "role_full": data.viewer.full_detail,
        "role_city": data.names.get(data.viewer.city or "", ""),
        "data_version": prov.get("data_version", ""),
        "last_import": prov.get("last_import", "") or "–",
        "publication": prov.get("publication", ""),
    }


def summary(data: PackData, lang: str) -> Section:
    wps = {w.code: localized(w, "name", lang) for w in WORK_PACKAGES}
    cards = []
    for row in data.headline.to_dict("records"):
        cards.append(
            {
                "wp": row["wp"],
                "wp_name": wps[row["wp"]],
                "indicator": localized(INDICATOR_BY_CODE[row["indicator_code"]], "name", lang),
                "value": fmt_auto(row["value"], lang),
                "achieved": fmt_percent(row["achievement"], lang),
                "planned": fmt_percent(row["planned_share"], lang),
                "status": row["status"],
                "status_label": status_label(row["status"], lang),
            }
        )
    total = data.spend[data.spend["wp"] == "TOTAL"].iloc[0]
    spend = {
        "share": fmt_percent(total["share"], lang),
        "spent": fmt_eur(total["spent"], lang),
        "budget": fmt_eur(total["budget"], lang),
    }
    notes = []
    for wp, code in kpi.HEADLINE_INDICATORS.items():
        proj = data.trajectories.get(code, {}).get("projection")
        if proj is not None and pd.notna(proj.get("projected_achievement")):
            notes.append(
                translate(
                    lang,
                    "overview.projection_sentence",
                    pct=fmt_percent(proj["projected_achievement"], lang),
                    indicator=f"{wp} · {localized(INDICATOR_BY_CODE[code], 'name', lang)}",
                    date=fmt_date(PROGRAMME_END_DATE, lang),
                )
            )
    if len(data.completeness_national):
        notes.append(reporting_summary(data, lang))
    counts = data.wp_status["status"].value_counts()
    notes.append(
        translate(
            lang,
            "pack.summary_status_note",
            off=int(counts.get("off_track", 0)),
            risk=int(counts.get("at_risk", 0)),
            n=len(data.wp_status),
        )
    )
    return Section(
        "summary",
        translate(lang, "pack.summary"),
        "summary",
        {"cards": cards, "spend": spend, "notes": notes},
        {
            "progress": figures.summary_progress(data, lang),
            "spending": figures.summary_spending(data, lang),
        },
    )


def is_partial(row: object) -> bool:
    """Whether a ``wp_status`` row (a tuple or a Series; None: no row) has its progress from
    figures the reader does not see in full (``progress_partial``)."""
    return bool(getattr(row, "progress_partial", False)) if row is not None else False


def progress_text(row: object, lang: str) -> str:
    """A row's progress beside its status (``status.fmt_progress``), starred when
    :func:`is_partial` (the section says why)."""
    progress = getattr(row, "progress", None) if row is not None else None
    return fmt_progress(progress, lang) + (" *" if is_partial(row) else "")


def matrix(data: PackData, lang: str) -> Section:
    rows = []
    lookup = {(r.city_code, r.wp): r for r in data.wp_status.itertuples()}
    for code in sorted(data.names, key=data.names.__getitem__):
        cells = []
        for wp in kpi.HEADLINE_INDICATORS:
            r = lookup.get((code, wp))
            status = r.status if r is not None else "no_data"
            cells.append({"status": status, "progress": progress_text(r, lang)})
        rows.append({"city": data.names[code], "cells": cells})
    bubbles = kpi.national_bubbles(
        data.cities, data.cumulative, data.status, kpi.HEADLINE_INDICATORS["WP2"]
    )
    return Section(
        "matrix",
        translate(lang, "pack.matrix"),
        "matrix",
        {
            "rows": rows,
            "partial": bool(data.wp_status["progress_partial"].any()),
            "wps": list(kpi.HEADLINE_INDICATORS),
            "map_caption": translate(
                lang,
                "overview.map_caption",
                indicator=indicator_label(kpi.HEADLINE_INDICATORS["WP2"], lang),
            ),
        },
        {
            "matrix": figures.status_matrix(data, lang),
            "map": maps.national_map(bubbles, kpi.HEADLINE_INDICATORS["WP2"], lang),
        },
    )


def decisions(data: PackData, lang: str) -> Section:
    """What the committee should look at: WPs off track or at risk per city, national
    indicators behind plan, projections short of target with the pace they need, reports."""
    attention = []
    for code, group in data.attention.groupby("city_code", sort=False):
        reasons = [
            attention_reason(r, lang) for r in group.to_dict("records") if r["status"] != "reports"
        ]
        severity = next((r.status for r in group.itertuples() if r.status != "reports"), "reports")
        if group["n_missing"].iloc[0] > 0:
            reasons.append(
                translate(
                    lang, "overview.attention_reason_reports", n=int(group["n_missing"].iloc[0])
                )
            )
        attention.append(
            {"city": data.names.get(str(code), str(code)), "reasons": reasons, "status": severity}
        )
    behind = data.national_status[data.national_status["status"].isin(["off_track", "at_risk"])]
    indicators = [
        {
            "indicator": indicator_label(r.indicator_code, lang),
            "status": r.status,
            "status_label": status_label(r.status, lang),
            "progress": fmt_percent(r.progress, lang),
        }
        for r in behind.sort_values(["progress", "indicator_code"]).itertuples()
    ]
    short = []
    for code, path in data.trajectories.items():
        proj = path.get("projection")
        if proj is None or not pd.notna(proj.get("projected_achievement")):
            continue
        if proj["projected_achievement"] >= 1.0:
            continue
        short.append(
            {
                "indicator": indicator_label(code, lang),
                "projected": fmt_percent(proj["projected_achievement"], lang),
                "needed": fmt_auto(proj.get("needed_pace"), lang),
                "pace": fmt_auto(proj.get("pace"), lang),
                "_sort": float(proj["projected_achievement"]),
            }
        )
    short.sort(key=lambda r: float(str(r["_sort"])))
    more = max(0, len(short) - MAX_SHORT)
    reports = []
    comp = data.completeness_by_city
    for r in comp[(comp["n_missing"] > 0) | (comp["n_late"] > 0)].itertuples():
        reports.append(
            {
                "city": data.names.get(str(r.city_code), str(r.city_code)),
                "missing": int(r.n_missing),
                "late": int(r.n_late),
                "timeliness": fmt_percent(r.timeliness, lang),
            }
        )
    reports.sort(key=lambda r: (-int(str(r["missing"])), -int(str(r["late"])), str(r["city"])))
    return Section(
        "decisions",
        translate(lang, "pack.decisions"),
        "decisions",
        {
            "attention": attention,
            "indicators": indicators,
            "short": short[:MAX_SHORT],
            "more": more,
            "reports": reports,
        },
    )
