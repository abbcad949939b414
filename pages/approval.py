"""Approvazione / Approval (administrators): the cities' monthly reports by city and month with
their status; approve a validated month (it is then locked), unlock an approved or locked one
with a reason; the recent audit log. The rules and the audit entries are ``data_access.ingest``'s
(``approve``/``unlock`` refuse anyone but an administrator and impossible transitions)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, errors, shell
from dashboard.audit import actor
from dashboard.i18n import fmt_period, t
from data_access.ingest.history import AUDIT_COLUMNS, load_recent_audit
from data_access.ingest.quality import compute_reporting
from data_access.ingest.store import approve, unlock

FROZEN = ("approved", "locked")
AUDIT_ROWS = 50


def _mark(row: pd.Series) -> str:
    if not row["received"]:
        return "✖" if row["expected"] else "·"
    return {"validated": "✔", "approved": "🔒", "locked": "🔒"}.get(row["status"], "✎")


def _act(city: str, period: str, unlock_reason: str | None) -> None:
    """Approve (``unlock_reason`` None) or unlock, then refresh every cached view."""
    with errors.guard():
        if unlock_reason is None:
            approve(engine, city, period, viewer, actor(viewer))
            done = t("approval.approved_ok", city=names[city], period=fmt_period(period, lang))
        else:
            unlock(engine, city, period, viewer, actor(viewer), unlock_reason)
            done = t("approval.unlocked_ok", city=names[city], period=fmt_period(period, lang))
        cache.clear_data()
        st.session_state["ap_flash"] = done
        st.rerun()


ctx = shell.context()
viewer, lang, engine = ctx.viewer, ctx.lang, cache.engine()
names = shell.city_names(viewer)
st.title(t("approval.title"))
st.caption(t("approval.intro"))
if flash := st.session_state.pop("ap_flash", None):
    st.success(flash, icon=":material/verified:")

reporting = compute_reporting(engine, viewer)
codes = sorted(names, key=names.get)
city = st.selectbox(
    t("approval.city"),
    ["", *codes],
    key="ap_city",
    format_func=lambda c: names.get(c) or t("approval.all_cities"),
)
shown = reporting[reporting["city_code"] == city] if city else reporting
due = shown[shown["expected"]]
st.caption(
    t(
        "approval.counts",
        validated=int((shown["status"] == "validated").sum()),
        approved=int(shown["status"].isin(FROZEN).sum()),
        missing=int((~due["received"]).sum()),
    )
)

st.subheader(t("approval.grid"))
st.caption(t("approval.legend"))
grid = shown.assign(mark=shown.apply(_mark, axis=1)).pivot(
    index="city", columns="period", values="mark"
)
grid.columns = [fmt_period(p, lang, short=True) for p in grid.columns]
grid.index.name = t("approval.cols.city")
st.dataframe(grid, key="ap_grid")

st.subheader(t("approval.act"))
c1, c2 = st.columns(2)
act_city = c1.selectbox(
    t("approval.city"),
    codes,
    key="ap_act_city",
    format_func=names.get,
    index=codes.index(city) if city else 0,
)
received = reporting[(reporting["city_code"] == act_city) & reporting["received"]]
periods = list(reversed(received["period"].tolist()))
if not periods:
    st.info(t("approval.nothing"))
else:
    status_of = dict(zip(received["period"], received["status"], strict=True))
    waiting = [p for p in periods if status_of[p] == "validated"]
    period = c2.selectbox(
        t("approval.period"),
        periods,
        key="ap_act_period",
        index=periods.index(waiting[0]) if waiting else 0,
        format_func=lambda p: f"{fmt_period(p, lang)} · {t(f'submission_status.{status_of[p]}')}",
    )
    row = received[received["period"] == period].iloc[0]
    status = str(row["status"])
    st.markdown(
        t("approval.status_now", status=t(f"submission_status.{status}"), n=int(row["versions"]))
    )
    if status == "validated":
        if st.button(
            t("approval.approve"),
            type="primary",
            key="ap_approve",
            help=t("approval.approve_help"),
            icon=":material/verified:",
        ):
            _act(act_city, period, None)
    elif status in FROZEN:
        reason = st.text_input(
            t("approval.reason"), key="ap_reason", help=t("approval.reason_help"), max_chars=300
        )
        if st.button(
            t("approval.unlock"),
            key="ap_unlock",
            disabled=not reason.strip(),
            icon=":material/lock_open:",
        ):
            _act(act_city, period, reason.strip())
    else:
        st.info(t("approval.not_approvable"))

st.subheader(t("approval.audit", n=AUDIT_ROWS))
with errors.guard():
    audit = load_recent_audit(engine, viewer, AUDIT_ROWS)
    ACTIONS = {
        a: t(f"approval.actions.{a}") for a in ("upload", "rejection", "approval", "lock", "unlock")
    }
    if audit.empty:
        st.caption(t("approval.no_audit"))
    else:
        audit = audit.assign(
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
