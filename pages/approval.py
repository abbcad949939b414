"""Approvazione / Approval (administrators): the cities' monthly reports by city and month with
their status; approve a validated month (it is then locked), unlock an approved or locked one
with a reason; the recent audit log. The rules and the audit entries are ``data_access.ingest``'s
(``approve``/``unlock`` refuse anyone but an administrator and impossible transitions)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, computed, errors, shell
from dashboard.approval_ui import action_panel
from dashboard.components import show_reporting_summary
from dashboard.i18n import fmt_datetime, fmt_period, t
from data_access.ingest.history import AUDIT_COLUMNS

FROZEN = ("approved", "locked")
AUDIT_ROWS = 50


def _mark(row: pd.Series) -> str:
    if not row["received"]:
        return "✖" if row["due"] else "·"
    return {"validated": "✔", "approved": "🔒", "locked": "🔒"}.get(row["approval"], "✎")


ctx = shell.context()
viewer, lang, engine = ctx.viewer, ctx.lang, cache.engine()
names = shell.city_names(viewer)
st.title(t("approval.title"))
st.caption(t("approval.intro"))
if flash := st.session_state.pop("ap_flash", None):
    st.success(flash, icon=":material/verified:")

reporting = computed.reporting(viewer)
reporting = reporting.assign(city=reporting["city_code"].map(names))
codes = sorted(names, key=names.__getitem__)
city = st.selectbox(
    t("approval.city"),
    ["", *codes],
    key="ap_city",
    placeholder=t("widgets.choose"),
    format_func=lambda c: names.get(c) or t("approval.all_cities"),
    on_change=lambda: st.session_state.update(ap_act_city=st.session_state["ap_city"] or codes[0]),
)
shown = reporting[reporting["city_code"] == city] if city else reporting
st.caption(
    t(
        "approval.counts",
        validated=int((shown["approval"] == "validated").sum()),
        approved=int(shown["approval"].isin(FROZEN).sum()),
        missing=int((shown["status"] == "missing").sum()),
    )
)
show_reporting_summary(viewer, ctx.period, city or None)

st.subheader(t("approval.grid"))
st.caption(t("approval.legend"))
grid = shown.assign(mark=shown.apply(_mark, axis=1)).pivot(
    index="city", columns="period", values="mark"
)
grid = grid[list(reversed(grid.columns))]  # the latest month first, in view without scrolling
grid.columns = [fmt_period(p, lang, short=True) for p in grid.columns]
grid.index.name = t("approval.cols.city")
st.dataframe(grid, key="ap_grid")

st.subheader(t("approval.act"))
action_panel(engine, viewer, lang, names, reporting, city)

st.subheader(t("approval.audit", n=AUDIT_ROWS))
with errors.guard():
    audit = cache.recent_audit(viewer, AUDIT_ROWS)
    ACTIONS = {
        a: t(f"approval.actions.{a}") for a in ("upload", "rejection", "approval", "lock", "unlock")
    }
    if audit.empty:
        st.caption(t("approval.no_audit"))
    else:
        audit = audit.assign(
            at=[fmt_datetime(v, lang) for v in audit["at"]],
            period=[fmt_period(p, lang, short=True) if p else "" for p in audit["period"]],
            city_code=audit["city_code"].map(lambda c: names.get(c, c or "")),
            action=audit["action"].map(lambda a: ACTIONS.get(a, a)),
            sha256=audit["sha256"].fillna("").str[:12],
        )
        st.dataframe(
            audit.rename(
                columns={
                    c: t(f"approval.cols.{'city' if c == 'city_code' else c}")
                    for c in AUDIT_COLUMNS
                }
            ),
            hide_index=True,
            key="ap_audit",
        )
