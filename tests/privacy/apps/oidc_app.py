"""Tiny app for the OIDC browser test: the account box and the resolved Viewer, nothing else."""

import streamlit as st

from dashboard.auth import render_account_box, resolve

render_account_box(lang="en")
res = resolve()
st.markdown(f"VIEWER={res.viewer} SOURCE={res.source}")
