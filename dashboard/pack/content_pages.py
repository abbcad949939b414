"""Content assembly, continued: one page per WP, one per city, reporting, methodology annex."""

from __future__ import annotations

import re

from dashboard.i18n import (
    amif_label,
    fmt_auto,
    fmt_number,
    fmt_percent,
    indicator_label,
    translate,
    unit_label,
)
from dashboard.pack import figures, maps
from dashboard.pack.content import (
    Section,
    is_partial,
    localized,
    progress_text,
    reporting_summary,
    shown_value,
    status_label,
)
from dashboard.pack.data import PackData, indicator_codes
from data_access.catalogue import (
    ACTION_BY_CODE,
    INDICATOR_BY_CODE,
    INDICATORS,
    WP_BY_CODE,
    Indicator,
)
from data_access.disclosure import BELOW
from data_access.metrics import benchmark as metrics_benchmark
from data_access.metrics import kpi
from data_access.metrics import text as metrics_text
from data_access.metrics.progress import DEFAULT_THRESHOLDS


def _ind(code: str) -> Indicator:
    return INDICATOR_BY_CODE[code]


def wp_page(data: PackData, wp: str, lang: str) -> Section:
    """The WP's national figures on every indicator, its trajectory and the cities compared."""
    status = data.national_status.set_index("indicator_code")
    reached = data.national_cumulative.set_index("indicator_code")["value"]
    rows = []
    for code in indicator_codes(wp):
        r = status.loc[code] if code in status.index else None
        proj = data.trajectories.get(code, {}).get("projection") or {}
        # Indicators without a national target still have a value (the national cumulated
        # value, as in the status): they are marked "no target", not "no data".
        state = str(r["status"]) if r is not None else "no_data"
        rows.append(
            {
                "action": _ind(code).action,
                "indicator": localized(_ind(code), "name", lang),
                "unit": unit_label(_ind(code).unit, lang),
                "value": fmt_auto(r["value"] if r is not None else reached.get(code), lang),
                "target": fmt_auto(r["end_value"], lang) if r is not None else "–",
                "achieved": fmt_percent(r["achievement"], lang) if r is not None else "–",
                "progress": fmt_percent(r["progress"], lang) if r is not None else "–",
                "status": state,
                "status_label": status_label(state, lang)
                if r is not None
                else translate(lang, "pack.no_target"),
                "projected": fmt_percent(proj.get("projected_achievement"), lang),
            }
        )
    code = kpi.HEADLINE_INDICATORS[wp]
    w = WP_BY_CODE[wp]
    charts = {"trajectory": figures.wp_trajectory(data, wp, lang)}
    bars = figures.wp_city_bars(data, wp, lang)
    if any(len(tr.x) for tr in bars.data):  # a protected role may see no city's value yet
        charts["bars"] = bars
    return Section(
        f"wp-{wp}",
        f"{wp} · {localized(w, 'name', lang)}",
        "wp",
        {
            "description": localized(w, "description", lang),
            "rows": rows,
            "headline": indicator_label(code, lang),
        },
        charts,
        group=translate(lang, "pack.group_wp"),
    )


def city_page(data: PackData, city: str, lang: str) -> Section:
    """A city's headline figures and status, its standing sentences, trend and map."""
    name = data.names[city]
    cum = data.cumulative[data.cumulative["city_code"] == city].set_index("indicator_code")
    st = data.status[data.status["city_code"] == city].set_index("indicator_code")
    wps = data.wp_status[data.wp_status["city_code"] == city].set_index("wp")
    figures_rows = []
    for wp, code in kpi.HEADLINE_INDICATORS.items():
        c = cum.loc[code] if code in cum.index else None
        s = st.loc[code] if code in st.index else None
        figures_rows.append(
            {
                "wp": wp,
                "indicator": localized(_ind(code), "name", lang),
                "value": shown_value(c["value"], c["flag"], c[BELOW], code, lang)
                if c is not None
                else "–",
                "target": fmt_auto(s["end_value"], lang) if s is not None else "–",
                "achieved": fmt_percent(s["achievement"], lang) if s is not None else "–",
                "status": s["status"] if s is not None else "no_data",
                "status_label": status_label(s["status"] if s is not None else "no_data", lang),
            }
        )
    chips = []
    for wp in kpi.HEADLINE_INDICATORS:
        r = wps.loc[wp] if wp in wps.index else None
        s = str(r["status"]) if r is not None else "no_data"
        chips.append(
            {
                "wp": wp,
                "status": s,
                "status_label": status_label(s, lang),
                "progress": progress_text(r, lang),
                "partial": is_partial(r),
                "worst": indicator_label(r["worst_indicator"], lang)
                if r is not None and isinstance(r["worst_indicator"], str)
                else "",
            }
        )
    bench = metrics_benchmark.compute_city_benchmark(data.cumulative, data.cities, city)
    sentences = metrics_text.build_city_sentences(bench, name, lang)
    info = data.cities[data.cities["code"].astype(str) == city].iloc[0]
    per = data.peripheries[data.peripheries["city_code"] == city]
    hubs = data.hubs[data.hubs["city_code"] == city]
    return Section(
        f"city-{city}",
        name,
        "city",
        {
            "region": str(info["region"]),
            "foreign": fmt_number(info["foreign_residents"], lang),
            "population": fmt_number(info["population"], lang),
            "figures": figures_rows,
            "chips": chips,
            "partial": any(ch["partial"] for ch in chips),
            "sentences": sentences,
            "n_peripheries": len(per),
            "n_hubs": len(hubs),
            "trend_title": translate(lang, "bench.trend")
            + " — "
            + indicator_label(figures.TREND_INDICATOR, lang),
        },
        {
            **(
                {"trend": figures.city_trend(data, city, lang)}
                if metrics_benchmark.has_peer_values(data.trend_series, city)
                else {}
            ),
            "map": maps.city_map(per, hubs, city, lang),
        },
        group=translate(lang, "pack.group_cities"),
    )


def completeness(data: PackData, lang: str) -> Section:
    rows = [
        {
            "city": data.names.get(str(r.city_code), str(r.city_code)),
            "due": int(r.n_due),
            "on_time": int(r.n_on_time),
            "late": int(r.n_late),
            "missing": int(r.n_missing),
            "completeness": fmt_percent(r.completeness, lang),
            "timeliness": fmt_percent(r.timeliness, lang),
        }
        for r in data.completeness_by_city.itertuples()
    ]
    rows.sort(key=lambda r: str(r["city"]))
    return Section(
        "completeness",
        translate(lang, "pack.completeness"),
        "completeness",
        {
            "rows": rows,
            "caption": reporting_summary(data, lang, rule=True),
        },
        {"heatmap": figures.completeness(data, lang)},
    )


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _markdown_bold(text: str) -> str:
    """The locale files' ``**bold**`` as ``<strong>`` (the template escapes the rest)."""
    return _BOLD.sub(r"\1", text)


def methodology(data: PackData, lang: str) -> Section:
    """Definitions, computing rules, disclosure, data sources with their quality, AMIF
    crosswalk: the methodology page's own texts."""
    rules = []
    for key in ("cumulation", "plan", "status", "projection", "benchmark", "completeness"):
        text = translate(
            lang,
            f"method.{key}",
            on_track=fmt_percent(DEFAULT_THRESHOLDS.on_track, lang),
            at_risk=fmt_percent(DEFAULT_THRESHOLDS.at_risk, lang),
        )
        head, _, rest = text.partition("**")[2].partition("**")
        rules.append({"head": head, "text": rest.strip() or _markdown_bold(text)})
    disclosure = translate(lang, "method.disclosure")
    catalogue = [
        {
            "code": i.code,
            "action": f"{i.action} · {localized(ACTION_BY_CODE[i.action], 'name', lang)}",
            "name": localized(i, "name", lang),
            "unit": unit_label(i.unit, lang),
            "kind": translate(lang, f"kind.{i.kind}"),
            "amif": amif_label(i.amif_code, lang),
            "definition": localized(i, "definition", lang),
        }
        for i in INDICATORS
    ]
    sources = [
        {
            "city": r.name,
            "region": r.region,
            "population": fmt_number(r.population, lang),
            "population_ref": r.population_ref,
            "population_quality": _quality(r.population_quality, lang),
            "foreign": fmt_number(r.foreign_residents, lang),
            "foreign_quality": _quality(r.foreign_quality, lang),
        }
        for r in data.cities.sort_values("name").itertuples()
    ]
    return Section(
        "methodology",
        translate(lang, "pack.methodology"),
        "methodology",
        {
            "rules": rules,
            "disclosure": _markdown_bold(disclosure).split(".", 1)[-1].strip(),
            "disclosure_head": _BOLD.findall(disclosure)[0] if _BOLD.findall(disclosure) else "",
            "catalogue": catalogue,
            "sources": sources,
            "licences": _markdown_bold(translate(lang, "method.licences")),
        },
    )


def _quality(raw: object, lang: str) -> str:
    key = "quality." + "_".join(str(raw).lower().split())
    text = translate(lang, key)
    return str(raw) if text == key else text


def city_order(data: PackData) -> list[str]:
    """City codes in alphabetical order of name (the pack's order)."""
    return sorted(data.names, key=data.names.__getitem__)
