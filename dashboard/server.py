"""The served application: ``dashboard/app.py`` as a Streamlit ``st.App`` plus a readiness
endpoint (``lgnet2 run`` starts this file with ``streamlit run``).

- ``/_stcore/health`` (Streamlit's own): the server process is up (liveness).
- ``/_lgnet2/ready``: the server is up, the primary database answers **and** the server has
  opened its public pages once (``dashboard.warmup``); 200 with a JSON body
  ``{"status": "ready", "database": "ok", "read_replica": "ok" | "down" | "none", "warmup":
  "done" | "off" | "failed" | "timeout"}``, or 503 with ``"database": "down"`` or ``"status":
  "warming"``. A read replica that is down does not make the server unready: page reads then
  fall back to the primary.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import runlog, warmup
from dashboard.readiness import check
from data_access import settings

READY_PATH = "/_lgnet2/ready"


async def _ready(_request: Request) -> JSONResponse:
    body = await run_in_threadpool(check)
    body["warmup"] = warmup.STATE.status
    if body["status"] == "ready" and warmup.STATE.status == "warming":
        body["status"] = "warming"
    return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)


@asynccontextmanager
async def _lifespan(_app: st.App) -> AsyncIterator[None]:
    limit = settings.current().warmup_seconds
    task = None
    host = warmup.loopback_host(str(st.get_option("server.address") or ""))
    if limit > 0 and host is not None:
        warmup.STATE.status = "warming"
        port = int(st.get_option("server.port"))
        base = str(st.get_option("server.baseUrlPath") or "").strip("/")
        url = f"http://{host}:{port}" + (f"/{base}" if base else "")
        task = asyncio.create_task(warmup.warm(url, limit))
    yield None
    if task is not None:
        task.cancel()


runlog.configure()
app = st.App(
    Path(__file__).resolve().parent / "app.py",
    routes=[Route(READY_PATH, _ready, methods=["GET", "HEAD"])],
    lifespan=_lifespan,
)
