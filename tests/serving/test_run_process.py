"""``lgnet2 run`` as a supervisor sees it: one process that answers /_stcore/health and
/_lgnet2/ready, and that stops (port released, no orphan) on SIGTERM or SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.cli.browser import free_port

ROOT = Path(__file__).resolve().parents[2]
LGNET2 = Path(sys.executable).parent / "lgnet2"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait(condition, deadline_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {deadline_s:.0f} s")
        time.sleep(0.1)  # polling a condition, with a deadline


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _healthy(port: int) -> bool:
    try:
        return _get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200
    except OSError:
        return False


def _ready_body(port: int) -> tuple[int, dict[str, str]]:
    status, body = _get(f"http://127.0.0.1:{port}/_lgnet2/ready")
    return status, json.loads(body)


@pytest.mark.parametrize(
    "signum, warmup",
    [(signal.SIGTERM, "default"), (signal.SIGINT, "0")],
    ids=["sigterm-after-warmup", "sigint-no-warmup"],
)
def test_lgnet2_run_is_ready_then_stops_on_a_signal(
    demo_sqlite_url: str, signum: signal.Signals, warmup: str, tmp_path: Path
) -> None:
    from dashboard.warmup import LANGS, public_routes

    port = free_port()
    env = dict(os.environ)
    env.pop("LGNET2_WARMUP_SECONDS", None)
    if warmup != "default":
        env["LGNET2_WARMUP_SECONDS"] = warmup
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [str(LGNET2), "run", "--db", demo_sqlite_url, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        _wait(lambda: _healthy(port) or proc.poll() is not None, 90, "health")
        assert proc.poll() is None, "lgnet2 run exited"
        seen: list[tuple[int, dict[str, str]]] = []
        _wait(lambda: seen.append(_ready_body(port)) or seen[-1][0] == 200, 180, "ready")
        expected = "off" if warmup == "0" else "done"
        assert seen[-1][1] == {
            "status": "ready",
            "database": "ok",
            "read_replica": "none",
            "warmup": expected,
        }
        # Before it was ready, it said why: the warm-up was running, never another fault.
        assert all(s == 503 and b["status"] == "warming" for s, b in seen[:-1]), seen
        events = [
            json.loads(line)
            for line in log.read_text(errors="replace").splitlines()
            if line.startswith("{") and '"event": "warmup"' in line
        ]
        if warmup == "0":
            assert events == [] and len(seen) == 1
        else:  # every public page, in each language, opened once before ready
            assert [(e["status"], e["pages"]) for e in events] == [
                ("done", len(public_routes()) * len(LANGS))
            ]
        proc.send_signal(signum)
        assert proc.wait(timeout=60) is not None
        assert not _listening(port), "the server is still serving: an orphan on the port"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_readiness_says_unready_when_the_database_is_down(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dashboard import readiness

    monkeypatch.setenv("LGNET2_DATABASE_URL", f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x")
    monkeypatch.delenv("LGNET2_READ_DATABASE_URL", raising=False)
    assert readiness.check() == {"status": "unready", "database": "down", "read_replica": "none"}
