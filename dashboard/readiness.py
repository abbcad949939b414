"""Is this server ready to serve: does the primary database answer, and the read replica?

Plain functions (no streamlit), used by ``/_lgnet2/ready`` (``dashboard.server``) and
``python -m dashboard.readiness --port N`` (a container health check without curl).
Engines are made once per process and reused, so a probe costs one ``select 1`` per database.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import urllib.request

from sqlalchemy import Engine, text

from data_access.config import make_engine, resolve_read_url, resolve_url
from data_access.errors import DatabaseUnavailable

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def _answers(url: str) -> bool:
    try:
        with _LOCK:
            engine = _ENGINES.get(url)
            if engine is None:
                engine = _ENGINES[url] = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except DatabaseUnavailable:
        return False
    except Exception:
        return False


def check() -> dict[str, str]:
    """``{"status": "ready"|"unready", "database": "ok"|"down", "read_replica": ...}``."""
    primary = _answers(resolve_url(None))
    replica_url = resolve_read_url()
    replica = "none" if replica_url is None else ("ok" if _answers(replica_url) else "down")
    return {
        "status": "ready" if primary else "unready",
        "database": "ok" if primary else "down",
        "read_replica": replica,
    }


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the server on ``--port`` says it is ready (a container health check)."""
    p = argparse.ArgumentParser(prog="python -m dashboard.readiness")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="127.0.0.1")
    args = p.parse_args(argv)
    url = f"http://{args.host}:{args.port}/_lgnet2/ready"
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (loopback URL)
            body = json.loads(resp.read())
    except Exception as exc:
        print(f"not ready: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(body))
    return 0 if body.get("status") == "ready" else 1


if __name__ == "__main__":
    raise SystemExit(main())
