"""Caricamento dati / Data upload: template download, upload with validation report, loading,
and the city's submission history. Logic lives in ``data_access.ingest``; this page lays out."""

from __future__ import annotations

import hashlib
from typing import Literal

import pandas as pd
import streamlit as st

from dashboard import cache, errors, shell
from dashboard.audit import actor
from dashboard.i18n import MISSING, fmt_datetime, fmt_period, t
from data_access.catalogue import programme_periods
from data_access.errors import LgnetError
from data_access.ingest import PreparedImport, build_template, commit_import, prepare_import

COLS = ("row", "column", "rule", "severity", "message")
HISTORY_COLS = (
    "period",
    "version",
    "status",
    "current",
    "file_name",
    "uploader",
    "submitted_at",
    "on_time",
    "errors",
    "warnings",
)


def _show_report(prepared: PreparedImport, name: str) -> None:
    report = prepared.report
    if report.ok:
        st.success(t("upload.ok", n=len(report.values), w=len(report.warnings)))
    else:
        st.error(t("upload.bad", e=len(report.errors)))
    if report.issues:
        st.subheader(t("upload.report"))
        records = pd.DataFrame(report.to_records(ctx.lang))
        table = records.assign(
            row=[MISSING if pd.isna(r) else str(int(r)) for r in records["row"]],
            column=[c if isinstance(c, str) and c else MISSING for c in records["column"]],
            severity=[t(f"upload.severity.{s}") for s in records["severity"]],
        ).rename(columns={c: t(f"upload.cols.{c}") for c in COLS})
        st.dataframe(table, hide_index=True, key="up_report")
        st.download_button(
            t("upload.download"),
            data=table.to_csv(index=False).encode("utf-8-sig"),
            file_name=f"esito_{name}.csv",
            mime="text/csv",
            on_click="ignore",
            key="up_report_csv",
        )
    if st.button(t("upload.load"), type="primary", disabled=not report.ok, key="up_load"):
        try:
            result = commit_import(engine, prepared, actor(viewer))
            (st.success if result.ok else st.error)(result.message(ctx.lang))
            if result.status == "loaded":
                cache.data_changed("import", actor(viewer))
            else:
                cache.clear_data()
        except LgnetError as exc:
            errors.render_error(exc)
        st.session_state.pop("up_prepared", None)


ctx = shell.context()
viewer, engine = ctx.viewer, cache.engine()
st.title(t("upload.title"))
st.caption(t("upload.intro"))
names = shell.city_names(viewer)
if viewer.role == "city":
    city = str(viewer.city)
    st.markdown(f"**{t('upload.city')}:** {names.get(city, city)} ({city})")
else:
    city = st.selectbox(
        t("upload.city"),
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        key="up_city",
        placeholder=t("widgets.choose"),
    )
can_upload = viewer.role in ("city", "admin")

if can_upload:
    c1, c2, c3 = st.columns([2, 1, 2])
    months = programme_periods()
    period = c1.selectbox(
        t("upload.period"),
        months,
        index=months.index(ctx.period) if ctx.period in months else len(months) - 1,
        key="up_period",
        format_func=lambda p: fmt_period(p, ctx.lang),
        placeholder=t("widgets.choose"),
    )
    fmt: Literal["xlsx", "csv"] = (
        "csv"
        if c2.radio(t("upload.format"), ["xlsx", "csv"], horizontal=True, key="up_fmt") == "csv"
        else "xlsx"
    )
    c3.download_button(
        t("upload.template"),
        data=lambda: build_template(engine, city, period, fmt),
        file_name=f"lgnet2_{city}_{period}.{fmt}",
        icon=":material/download:",
        on_click="ignore",
        key="up_template",
    )
    upload = st.file_uploader(t("upload.upload"), type=["csv", "xlsx"], key="up_file")
    if upload is not None:
        data = upload.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        kept = st.session_state.get("up_prepared")
        prepared = None
        try:
            if kept is not None and kept[0] == (sha, city, str(viewer)):
                prepared = kept[1]  # checked against the version the user saw: keep it
            else:
                with st.spinner(t("upload.checking")):  # gone once the verdict is shown
                    prepared = prepare_import(engine, data, upload.name, viewer)
                st.session_state["up_prepared"] = ((sha, city, str(viewer)), prepared)
        except LgnetError as exc:
            errors.render_error(exc)
        if prepared is not None:
            _show_report(prepared, upload.name)
else:
    st.info(t("upload.read_only"))

st.subheader(t("upload.history"))
try:
    hist = cache.submission_history(viewer, city)
except LgnetError as exc:
    errors.render_error(exc)
    hist = pd.DataFrame()
if hist.empty:
    st.caption(t("upload.no_history"))
else:
    shown = hist[list(HISTORY_COLS)].assign(
        status=[t(f"submission_status.{s}") for s in hist["status"]],
        period=[fmt_period(p, ctx.lang, short=True) for p in hist["period"]],
        submitted_at=[fmt_datetime(v, ctx.lang) for v in hist["submitted_at"]],
    )
    shown = shown.rename(columns={c: t(f"upload.hcols.{c}") for c in HISTORY_COLS})
    st.dataframe(shown, hide_index=True, key="up_history")
