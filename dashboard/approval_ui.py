"""The approval page's action panel: pick a city and a month, see its status, approve or unlock
it after a confirmation that names the city, the month and what will happen (issue 11, point 1).

Widget identity never depends on data that changes: the month selector is keyed by the city and
its labels carry only the month (the status is shown beside it), the reason field and the buttons
are keyed by city and month, so after an action the selection stays where the person left it and
a click can only act on the month it was drawn for. The rule for what may be done is
``data_access.ingest.transitions`` (the command line uses the same one).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import cache, errors
from dashboard.audit import actor
from dashboard.i18n import fmt_period, t
from data_access.ingest.store import approve, unlock
from data_access.ingest.transitions import Action, allowed_action
from data_access.viewer import Viewer

PENDING = "ap_pending"


@dataclass(frozen=True)
class Pending:
    """An action asked for and not yet confirmed."""

    action: Action
    city: str
    period: str
    status: str
    version: int
    reason: str = ""


def _run(engine: Engine, viewer: Viewer, p: Pending, names: dict[str, str], lang: str) -> None:
    """Do the confirmed action, then refresh every cached view."""
    with errors.guard():
        if p.action == "approve":
            approve(engine, p.city, p.period, viewer, actor(viewer))
        else:
            unlock(engine, p.city, p.period, viewer, actor(viewer), p.reason)
        done = "approval.approved_ok" if p.action == "approve" else "approval.unlocked_ok"
        cache.data_changed("approval" if p.action == "approve" else "unlock", actor(viewer))
        st.session_state["ap_flash"] = t(
            done, city=names[p.city], period=fmt_period(p.period, lang)
        )
        st.rerun()


def _confirm(engine: Engine, viewer: Viewer, p: Pending, names: dict[str, str], lang: str) -> None:
    """The box that says what is about to happen, with Confirm and Cancel."""
    what = t(
        f"approval.confirm_{p.action}",
        city=names[p.city],
        period=fmt_period(p.period, lang),
        version=p.version,
        reason=p.reason,
    )
    with st.container(border=True, key=f"ap_confirm_box_{p.city}_{p.period}"):
        st.warning(what, icon=":material/help:")
        c1, c2 = st.columns(2)
        if c1.button(
            t(f"approval.do_{p.action}", city=names[p.city], period=fmt_period(p.period, lang)),
            type="primary",
            key=f"ap_confirm_{p.action}_{p.city}_{p.period}",
        ):
            st.session_state.pop(PENDING, None)
            _run(engine, viewer, p, names, lang)
        if c2.button(t("approval.cancel"), key=f"ap_cancel_{p.city}_{p.period}"):
            st.session_state.pop(PENDING, None)
            st.rerun()


def action_panel(
    engine: Engine,
    viewer: Viewer,
    lang: str,
    names: dict[str, str],
    reporting: pd.DataFrame,
    city: str,
) -> None:
    """City and month selectors, the month's status, the action and its confirmation."""
    codes = sorted(names, key=names.__getitem__)
    if "ap_act_city" not in st.session_state:
        st.session_state["ap_act_city"] = city or codes[0]
    c1, c2, c3 = st.columns([2, 2, 1.4], vertical_alignment="bottom")
    act_city = c1.selectbox(
        t("approval.city"),
        codes,
        key="ap_act_city",
        format_func=names.__getitem__,
        placeholder=t("widgets.choose"),
    )
    received = reporting[(reporting["city_code"] == act_city) & reporting["received"]]
    periods = list(reversed(received["period"].tolist()))
    if not periods:
        st.info(t("approval.nothing"))
        return
    rows = received.set_index("period")
    key = f"ap_period_{act_city}"
    if key not in st.session_state:  # first view of this city: the oldest month awaiting approval
        waiting = [p for p in reversed(periods) if rows.at[p, "approval"] == "validated"]
        st.session_state[key] = waiting[0] if waiting else periods[0]
    period = c2.selectbox(
        t("approval.period"),
        periods,
        key=key,
        format_func=lambda p: fmt_period(p, lang),
        placeholder=t("widgets.choose"),
    )
    status, versions = str(rows.at[period, "approval"]), int(rows.at[period, "versions"])
    c3.markdown(t("approval.status_badge", status=t(f"submission_status.{status}")))
    st.caption(t("approval.versions", n=versions))  # the status is said once, beside the month

    pending = st.session_state.get(PENDING)
    if pending is not None and (pending.city, pending.period, pending.status) != (
        act_city,
        period,
        status,
    ):
        st.session_state.pop(PENDING, None)  # the selection or the status moved: ask again
        pending = None
    action = allowed_action(status)
    where = f"{act_city}_{period}"
    if action == "approve":
        if st.button(
            t("approval.approve"),
            type="primary",
            key=f"ap_approve_{where}",
            help=t("approval.approve_help"),
            icon=":material/verified:",
            disabled=pending is not None,
        ):
            pending = Pending("approve", act_city, period, status, versions)
            st.session_state[PENDING] = pending
    elif action == "unlock":
        reason = st.text_input(
            t("approval.reason"),
            key=f"ap_reason_{where}",
            help=t("approval.reason_help"),
            max_chars=300,
        )
        # Enabled before a reason is typed: a greyed button that wakes up only after Enter
        # read as broken. A click without a reason says what is missing.
        if st.button(
            t("approval.unlock"),
            key=f"ap_unlock_{where}",
            disabled=pending is not None,
            icon=":material/lock_open:",
        ):
            if reason.strip():
                pending = Pending("unlock", act_city, period, status, versions, reason.strip())
                st.session_state[PENDING] = pending
            else:
                st.warning(t("approval.reason_missing"), icon=":material/edit_note:")
    else:
        st.info(t("approval.not_approvable"))
    if pending is not None:
        _confirm(engine, viewer, pending, names, lang)


__all__ = ["action_panel"]
