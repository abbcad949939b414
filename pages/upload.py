"""Caricamento dati / Data upload: template download, upload with validation report, loading,
and the city's submission history. Logic lives in ``data_access.ingest``; this page lays out."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import cache, errors, shell
from data_access.catalogue import programme_periods
from data_access.errors import LgnetError
from data_access.ingest import PreparedImport, build_template, commit_import, prepare_import
from data_access.ingest.history import load_submission_history

_TEXT = {
    "it": {"title": "Caricamento dati", "intro": "Il report mensile della città: scaricare il modello, "
           "compilarlo, caricarlo. Il file viene controllato per intero prima di scrivere qualsiasi dato.",
           "city": "Città", "period": "Mese", "format": "Formato", "template": "Scarica il modello",
           "upload": "Report compilato (CSV o XLSX)", "checking": "Controllo del file…",
           "ok": "Nessun errore: il file può essere caricato ({n} valori, {w} avvisi).",
           "bad": "Il file ha {e} errori: correggerli e ricaricarlo. Nulla è stato scritto.",
           "report": "Esito del controllo", "load": "Carica i dati", "history": "Cronologia dei caricamenti",
           "no_history": "Nessun caricamento per questa città.", "download": "Scarica l'esito (CSV)",
           "read_only": "Il tuo ruolo può consultare la cronologia ma non caricare report.",
           "cols": {"row": "Riga", "column": "Colonna", "rule": "Regola", "severity": "Gravità",
                    "message": "Messaggio"},
           "hcols": {"period": "Mese", "version": "Versione", "status": "Stato", "current": "In uso",
                     "file_name": "File", "uploader": "Caricato da", "submitted_at": "Ricevuto il",
                     "on_time": "Nei termini", "errors": "Errori", "warnings": "Avvisi"}},
    "en": {"title": "Data upload", "intro": "The city's monthly report: download the template, fill "
           "it in, upload it. The whole file is checked before any data is written.",
           "city": "City", "period": "Month", "format": "Format", "template": "Download the template",
           "upload": "Completed report (CSV or XLSX)", "checking": "Checking the file…",
           "ok": "No errors: the file can be loaded ({n} values, {w} warnings).",
           "bad": "The file has {e} errors: fix them and upload it again. Nothing was written.",
           "report": "Validation report", "load": "Load the data", "history": "Upload history",
           "no_history": "No uploads for this city yet.", "download": "Download the report (CSV)",
           "read_only": "Your role can see the history but cannot upload reports.",
           "cols": {"row": "Row", "column": "Column", "rule": "Rule", "severity": "Severity",
                    "message": "Message"},
           "hcols": {"period": "Month", "version": "Version", "status": "Status", "current": "In use",
                     "file_name": "File", "uploader": "Uploaded by", "submitted_at": "Received",
                     "on_time": "On time", "errors": "Errors", "warnings": "Warnings"}},
}


def _uploader(viewer: object) -> str:
    try:
        email = st.user.get("email")
    except Exception:  # no sign-in configured: the role is the only identity we have
        email = None
    return str(email or f"app:{viewer}")


def _show_report(prepared: PreparedImport, name: str) -> None:
    report = prepared.report
    if report.ok:
        st.success(T["ok"].format(n=len(report.values), w=len(report.warnings)))
    else:
        st.error(T["bad"].format(e=len(report.errors)))
    if report.issues:
        st.subheader(T["report"])
        table = pd.DataFrame(report.to_records(ctx.lang)).rename(columns=T["cols"])
        st.dataframe(table, hide_index=True, key="up_report")
        st.download_button(T["download"], data=table.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"esito_{name}.csv", mime="text/csv", on_click="ignore",
                           key="up_report_csv")
    if st.button(T["load"], type="primary", disabled=not report.ok, key="up_load"):
        try:
            result = commit_import(engine, prepared, _uploader(viewer))
            (st.success if result.ok else st.error)(result.message(ctx.lang))
            cache.clear_data()
        except LgnetError as exc:
            errors.render_error(exc)
        st.session_state.pop("up_prepared", None)


ctx = shell.context()
T = _TEXT["en" if ctx.lang == "en" else "it"]
viewer, engine = ctx.viewer, cache.engine()
st.title(T["title"])
st.caption(T["intro"])
names = shell.city_names(viewer)
if viewer.role == "city":
    city = str(viewer.city)
    st.markdown(f"**{T['city']}:** {names.get(city, city)} ({city})")
else:
    city = st.selectbox(T["city"], list(names), format_func=lambda c: f"{names[c]} ({c})", key="up_city")
can_upload = viewer.role in ("city", "admin")

if can_upload:
    c1, c2, c3 = st.columns([2, 1, 2])
    months = programme_periods()
    period = c1.selectbox(T["period"], months, index=months.index(ctx.period) if ctx.period in months
                          else len(months) - 1, key="up_period")
    fmt = c2.radio(T["format"], ["xlsx", "csv"], horizontal=True, key="up_fmt")
    c3.download_button(T["template"], data=lambda: build_template(engine, city, period, fmt),
                       file_name=f"lgnet2_{city}_{period}.{fmt}", icon=":material/download:",
                       on_click="ignore", key="up_template")
    upload = st.file_uploader(T["upload"], type=["csv", "xlsx"], key="up_file")
    if upload is not None:
        data = upload.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        kept = st.session_state.get("up_prepared")
        prepared = None
        try:
            if kept is not None and kept[0] == (sha, city, str(viewer)):
                prepared = kept[1]  # checked against the version the user saw: keep it
            else:
                with st.status(T["checking"], expanded=False) as status:
                    prepared = prepare_import(engine, data, upload.name, viewer)
                    status.update(state="complete" if prepared.report.ok else "error")
                st.session_state["up_prepared"] = ((sha, city, str(viewer)), prepared)
        except LgnetError as exc:
            errors.render_error(exc)
        if prepared is not None:
            _show_report(prepared, upload.name)
else:
    st.info(T["read_only"])

st.subheader(T["history"])
try:
    hist = load_submission_history(engine, viewer, city)
except LgnetError as exc:
    errors.render_error(exc)
    hist = pd.DataFrame()
if hist.empty:
    st.caption(T["no_history"])
else:
    shown = hist[list(T["hcols"])].rename(columns=T["hcols"])
    st.dataframe(shown, hide_index=True, key="up_history")
