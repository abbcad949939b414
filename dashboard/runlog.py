"""Structured logs: one JSON line per script run, and JSON for the app's other log lines.

Each script run logs ``{"event": "script_run", "page", "role", "duration_ms", "cpu_ms", "error",
"read", "session", "replica", "ts"}`` on the ``lgnet2.run`` logger (stderr): ``error`` is null,
or the kind of failure the page showed (``database_down``, ``database_broken``,
``database_empty``, ``user_error``) or the exception class of a bug. ``replica`` is
``LGNET2_REPLICA_NAME`` (set by ``scripts/cluster.sh``), ``read`` where page reads went
(``replica`` or ``primary``). The router calls :func:`script_run` around every run; the error
guard calls :func:`note_error`.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access import settings

_RUN_LOG = logging.getLogger("lgnet2.run")
_ERROR_KEY = "_lg_run_error"
#: Loggers whose lines are written as JSON (the app's own, not Streamlit's).
JSON_LOGGERS = ("lgnet2", "dashboard", "data_access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            body.update(fields)
        else:
            body["msg"] = record.getMessage()
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)


def configure() -> None:
    """Send the app's loggers to stderr as JSON lines (idempotent)."""
    for name in JSON_LOGGERS:
        logger = logging.getLogger(name)
        if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
            continue
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        # Propagates too: the root logger has no handler under `streamlit run` (nothing is
        # written twice), and test capture sees the lines.


def note_error(kind: str) -> None:
    """Record what went wrong in this run (shown to the person by ``dashboard.errors``)."""
    try:
        st.session_state[_ERROR_KEY] = kind
    except Exception:  # outside a run
        pass


@contextmanager
def script_run(role: str) -> Iterator[dict[str, Any]]:
    """Time the run; the caller fills ``page`` (and ``read``) in the yielded dict."""
    configure()
    st.session_state[_ERROR_KEY] = None
    record: dict[str, Any] = {"event": "script_run", "page": None, "role": role}
    start, cpu_start = time.perf_counter(), time.thread_time()
    try:
        yield record
    except BaseException as exc:
        # Streamlit's own control flow (rerun, stop) is not an error.
        name = type(exc).__name__
        if name not in ("RerunException", "StopException"):
            st.session_state[_ERROR_KEY] = name
        raise
    finally:
        ctx = get_script_run_ctx()
        record.update(
            duration_ms=round((time.perf_counter() - start) * 1000, 1),
            # The script thread's own CPU: what the run costs, without waiting for the GIL.
            cpu_ms=round((time.thread_time() - cpu_start) * 1000, 1),
            error=st.session_state.get(_ERROR_KEY),
            session=ctx.session_id[:8] if ctx is not None else None,
            replica=settings.current().replica_name or None,
        )
        _RUN_LOG.info("script_run", extra={"fields": record})
