"""Who acts, for the audit log written by the approval page (the reader of the log is
``data_access.ingest.history.load_recent_audit``)."""

from __future__ import annotations

import streamlit as st

from data_access.viewer import Viewer


def actor(viewer: Viewer) -> str:
    """Who acts, for the audit log: the signed-in e-mail, else ``app:<role>``."""
    try:
        email = st.user.get("email")
    except Exception:  # no sign-in configured: the role is the only identity there is
        email = None
    return str(email or f"app:{viewer}")
