"""Reads on the replica, writes on the primary: routing, fallback and "database down" pages.

Real databases: the session's SQLite demo file, the PostgreSQL server on 127.0.0.1:5432, and a
closed port on 127.0.0.1 for "a database that is not there" (refused at once, like a stopped
server). The replication itself is exercised on the local topology (``test_cluster_faults``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from dashboard import deferred
from dashboard.cli.browser import free_port
from data_access import replica as rep
from data_access.config import ENV_READ_URL, make_engine, resolve_read_url
from data_access.errors import DatabaseUnavailable

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT = 120
PG_ADMIN_URL = os.environ.get(
    "LGNET2_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _closed_port_url() -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/lgnet2"


def test_read_url_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_READ_URL, raising=False)
    assert resolve_read_url() is None
    monkeypatch.setenv(ENV_READ_URL, "postgresql+psycopg://r@127.0.0.1:5/x")
    assert resolve_read_url() == "postgresql+psycopg://r@127.0.0.1:5/x"


def test_a_refused_connection_is_a_down_server_and_a_missing_table_is_not(tmp_path) -> None:
    with pytest.raises(DatabaseUnavailable) as down:
        make_engine(_closed_port_url())
    assert rep.is_connection_error(down.value)
    assert rep.is_connection_error(down.value.__cause__)  # type: ignore[arg-type]
    eng = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(OperationalError) as missing, eng.connect() as conn:
        conn.execute(text("select * from audit_log"))
    assert not rep.is_connection_error(missing.value)


@pytest.mark.postgres
def test_a_primary_has_replayed_everything_it_wrote(pg_available: bool) -> None:
    if not pg_available:
        pytest.skip("PostgreSQL not running")
    eng = make_engine(PG_ADMIN_URL)
    try:
        lsn = rep.write_position(eng)
        assert lsn is not None and "/" in lsn
        assert rep.has_replayed(eng, lsn)  # not in recovery: it has all it will ever have
        assert rep.wait_replayed(eng, lsn, timeout=0)
    finally:
        eng.dispose()


def test_sqlite_has_no_write_position(demo_sqlite_url: str) -> None:
    eng = make_engine(demo_sqlite_url)
    try:
        assert rep.write_position(eng) is None
        assert rep.data_version(eng) >= 0
    finally:
        eng.dispose()


def test_replica_health_keeps_reads_on_the_primary_for_a_while(caplog) -> None:
    now = [100.0]
    health = rep.ReplicaHealth(retry=5, clock=lambda: now[0])
    assert health.usable()
    with caplog.at_level(logging.WARNING, logger="lgnet2.replica"):
        health.failed("postgresql://u:secret@h/db", OSError("refused"))
        health.failed("postgresql://u:secret@h/db", OSError("refused"))
        assert not health.usable()
        now[0] += 5
        assert health.usable()
        health.ok("postgresql://u:secret@h/db")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines  # one line when it goes, one when it comes back
    assert "reading from the primary" in lines[0] and "secret" not in lines[0]
    assert "answers again" in lines[1]


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.info, *at.error)]
    return "\n".join(str(p) for p in parts)


def _public_app(monkeypatch: pytest.MonkeyPatch, url: str, read_url: str | None) -> AppTest:
    monkeypatch.setenv("LGNET2_DATABASE_URL", url)
    if read_url is None:
        monkeypatch.delenv(ENV_READ_URL, raising=False)
    else:
        monkeypatch.setenv(ENV_READ_URL, read_url)
    monkeypatch.setenv("LGNET2_TILES_URL", "none")
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", "steering")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[deferred.READY] = True
    return at.run()


def test_a_read_replica_that_is_down_falls_back_to_the_primary(
    demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="lgnet2.replica"):
        at = _public_app(monkeypatch, demo_sqlite_url, _closed_port_url())
    assert not at.exception, [e.message for e in at.exception]
    assert at.metric, "the overview shows its figures from the primary"
    assert at.session_state["_lg_read_source"] == "primary"
    assert any("reading from the primary" in r.getMessage() for r in caplog.records)


def test_a_database_that_is_down_says_so_not_tables_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = _public_app(monkeypatch, _closed_port_url(), None)
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Il database non risponde: il server è fermo" in shown
    assert "tabelle" not in shown
    assert at.session_state["_lg_run_error"] == "database_down"


def test_a_database_without_tables_says_so(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'no_tables.sqlite'}"
    make_engine(url, must_exist=False).dispose()
    at = _public_app(monkeypatch, url, None)
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "Il database non risponde: il server è fermo" not in shown
    assert "lgnet2 demo" in "\n".join(c.value for c in at.code)


def test_every_script_run_logs_one_json_line(
    demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from dashboard.runlog import JsonFormatter

    with caplog.at_level(logging.INFO, logger="lgnet2.run"):
        _public_app(monkeypatch, demo_sqlite_url, None)
    runs = [r for r in caplog.records if r.name == "lgnet2.run"]
    assert len(runs) == 1
    line = json.loads(JsonFormatter().format(runs[0]))
    assert line["event"] == "script_run"
    assert line["page"] == "panoramica" and line["role"] == "steering"
    assert line["error"] is None and line["read"] == "primary"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0


def test_a_run_on_a_down_database_logs_the_kind_of_error(
    monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from dashboard.runlog import JsonFormatter

    with caplog.at_level(logging.INFO, logger="lgnet2.run"):
        _public_app(monkeypatch, _closed_port_url(), None)
    (run,) = [r for r in caplog.records if r.name == "lgnet2.run"]
    assert json.loads(JsonFormatter().format(run))["error"] == "database_down"
