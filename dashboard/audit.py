"""What the approval page needs beyond ``data_access.ingest``: the recent audit log and who acts.

``load_recent_audit`` is a read-only stand-in until ``data_access.ingest.history`` has an audit
reader (asked of the lead): one bound-parameter SELECT on the append-only ``audit_log`` table,
administrators only. File contents are never in the log; the ``detail`` JSON is reduced to the
unlock reason.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, select

from data_access.ingest.store import NotAllowed
from data_access.schema import AuditLog
from data_access.viewer import Viewer

AUDIT_COLUMNS = ("at", "actor", "action", "city_code", "period", "reason", "sha256")


def load_recent_audit(engine: Engine, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """The newest ``limit`` audit entries (:data:`AUDIT_COLUMNS`), newest first.

    Raises:
        NotAllowed: the viewer is not an administrator.
    """
    if viewer.role != "admin":
        raise NotAllowed("Il registro di controllo è riservato agli amministratori.",
                         "The audit log is for administrators only.")
    a = AuditLog
    stmt = (select(a.at, a.actor, a.action, a.city_code, a.period, a.sha256, a.detail)
            .order_by(a.at.desc(), a.id.desc()).limit(limit))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    for r in rows:
        try:
            detail = json.loads(r.pop("detail") or "{}")
        except ValueError:
            detail = {}
        r["reason"] = str(detail.get("reason", "")) if isinstance(detail, dict) else ""
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


def actor(viewer: Viewer) -> str:
    """Who acts, for the audit log: the signed-in e-mail, else ``app:<role>``."""
    try:
        email = st.user.get("email")
    except Exception:  # no sign-in configured: the role is the only identity there is
        email = None
    return str(email or f"app:{viewer}")
