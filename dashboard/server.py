"""The served application: ``dashboard/app.py`` as a Streamlit ``st.App`` plus a readiness
endpoint (``lgnet2 run`` starts this file with ``streamlit run``).

- ``/_stcore/health`` (Streamlit's own): the server process is up (liveness).
- ``/_lgnet2/ready``: the server is up **and** the primary database answers; 200 with a JSON
  body ``{"status": "ready", "database": "ok", "read_replica": "ok" | "down" | "none"}``, or 503
  with ``"database": "down"``. A read replica that is down does not make the server unready:
  page reads then fall back to the primary.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import runlog
from dashboard.readiness import check

READY_PATH = "/_lgnet2/ready"


async def _ready(_request: Request) -> JSONResponse:
    body = await run_in_threadpool(check)
    return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)


runlog.configure()
app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=[Route(READY_PATH, _ready, methods=["GET", "HEAD"])],
)
