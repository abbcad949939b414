"""Faults on the local production topology (``scripts/cluster.sh``): real nginx, two real
``lgnet2 run`` replicas, a real PostgreSQL primary and streaming replica on free ports in a
temporary state directory, driven by the websocket client of the load benchmark
(``dashboard.cli.stclient``). Every wait polls a condition with a deadline; no test asserts a
time. Each test leaves the topology as it found it (everything up), so they run in any order.

The replicas run as a city manager (``LGNET2_LOCAL_ROLE=city:037006``), who may upload.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from ingest.factories import peripheries_of, report_rows, to_csv
from sqlalchemy import Engine, text
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dashboard.cache import VERSION_SECONDS
from dashboard.cli.stclient import RunResult, StSession
from dashboard.i18n import translate
from data_access import replica as rep
from data_access.config import make_engine

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]
CITY = "037006"
EN = "lang=en"


def _free_pair(start: int) -> int:
    """A port p with p and p+1 free on 127.0.0.1 (PostgreSQL primary + replica, two apps)."""
    for p in range(start, start + 2000, 2):
        ok = True
        for q in (p, p + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", q))
                except OSError:
                    ok = False
        if ok:
            return p
    raise RuntimeError("no free port pair")


def poll(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.1)  # polling a condition, with a deadline


@dataclass
class Cluster:
    dir: Path
    env: dict[str, str]
    base: str
    pg_port: int
    primary_url: str
    replica_url: str

    def sh(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "scripts/cluster.sh", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def up(self) -> None:
        res = self.sh("up")
        assert res.returncode == 0, res.stderr
        poll(lambda: self.sh("status").returncode == 0, 60, "cluster status")

    def app_pid(self, i: int) -> int:
        return int((self.dir / "run" / f"app-{i}.pid").read_text().split()[0])

    def app_of(self, session_id: str) -> int:
        """Which replica served ``session_id`` (its JSON run log names the session)."""
        for i in (1, 2):
            log = (self.dir / "log" / f"app-{i}.log").read_text(errors="replace")
            if f'"session": "{session_id[:8]}"' in log:
                return i
        raise AssertionError(f"no replica logged session {session_id}")

    def kill_app(self, i: int) -> None:
        pid = self.app_pid(i)
        os.kill(pid, signal.SIGKILL)
        poll(lambda: not Path(f"/proc/{pid}").exists() or _zombie(pid), 30, "replica dies")

    def log(self, i: int) -> str:
        return (self.dir / "log" / f"app-{i}.log").read_text(errors="replace")

    def pg(self, node: str, action: str) -> None:
        pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        cmd = [str(pgbin / "pg_ctl"), "-D", str(self.dir / "pg" / node), "-m", "fast", "-w"]
        cmd += ["-l", str(self.dir / "pg" / "log" / f"{node}.log"), action]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def engine(self) -> Engine:
        return make_engine(self.primary_url)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Not under pytest's temporary root: pytest resets that to mode 0700 at every session start
    # (other pytest runs on the machine included), and the postgres user must reach its data.
    state = Path(tempfile.mkdtemp(prefix="lgnet2_cluster_"))
    os.chmod(state, 0o755)
    pg_port = _free_pair(23000 + (os.getpid() % 500) * 4)
    app_port = _free_pair(pg_port + 2)
    bal_port = _free_pair(app_port + 2)
    env = dict(
        os.environ,
        LGNET2_CLUSTER_DIR=str(state),
        LGNET2_CLUSTER_PORT=str(bal_port),
        LGNET2_CLUSTER_PG_PORT=str(pg_port),
        LGNET2_CLUSTER_APP_PORT=str(app_port),
        LGNET2_LOCAL_ROLE=f"city:{CITY}",
        LGNET2_TILES_URL="none",
    )
    c = Cluster(
        state,
        env,
        f"http://127.0.0.1:{bal_port}",
        pg_port,
        f"postgresql+psycopg://postgres@127.0.0.1:{pg_port}/lgnet2",
        f"postgresql+psycopg://postgres@127.0.0.1:{pg_port + 1}/lgnet2",
    )
    try:
        c.up()
        yield c
    finally:
        res = c.sh("down")
        assert res.returncode == 0, res.stderr
        assert not state.exists(), "down removes the state directory"


def arun(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def en(key: str) -> str:
    return translate("en", key)


# -- a dashboard replica dies ------------------------------------------------------------------
def test_sessions_of_a_killed_replica_come_back_on_the_same_page(cluster: Cluster) -> None:
    async def scenario() -> None:
        sessions = [StSession(cluster.base) for _ in range(4)]
        for s in sessions:
            await s.connect("confronto-citta")
            first = await s.run("confronto-citta", f"{EN}&period=2024-01")
            assert first.ok and first.shows(en("bench.title")), first
        victim = cluster.app_of(sessions[0].session_id)
        cluster.kill_app(victim)
        moved = 0
        for s in sessions:
            res = await s.run()
            if res.status == "closed":  # its replica died: the browser reconnects
                moved += 1
                await s.connect(s.page)
                res = await s.run()
            assert res.ok, res
            assert res.shows(en("bench.title")), res.texts[:5]
            assert "period=2024-01" in s.query and "lang=en" in s.query
            assert cluster.app_of(s.session_id) != victim
        assert moved >= 1
        for s in sessions:
            await s.close()

    try:
        arun(scenario())
    finally:
        cluster.up()  # start the killed replica again


# -- PostgreSQL: primary restart, read replica stopped, everything down -----------------------
def _upload_file(engine: Engine) -> tuple[str, bytes, int]:
    """A valid report for a city-month that is not approved or locked: (period, bytes, values)."""
    with engine.connect() as conn:
        frozen = {
            p
            for (p,) in conn.execute(
                text(
                    "select period from submission where city_code = :c"
                    " and status in ('approved', 'locked')"
                ),
                {"c": CITY},
            )
        }
    period = next(p for p in ("2024-03", "2024-02", "2024-01", "2023-12") if p not in frozen)
    rows = report_rows(peripheries_of(engine, CITY), CITY, period, {"WP1_EVENTS": 4})
    return period, to_csv(rows), len(rows)


async def _prepare_upload(s: StSession, name: str, data: bytes) -> list[WidgetState]:
    await s.connect("caricamento")
    res = await s.run("caricamento", EN)
    assert res.ok, res
    state = await s.upload(s.widget("file_uploader"), name, data)
    res = await s.run(widgets=[state])
    assert res.ok and not res.shows(en("upload.bad").split("{")[0]), res.texts
    load = s.widget("button", en("upload.load"))
    return [state, WidgetState(id=load.id, trigger_value=True)]


def _stored(engine: Engine, name: str) -> tuple[int, int]:
    """(submissions stored from file ``name``, observations carrying their ids)."""
    with engine.connect() as conn:
        ids = [
            i
            for (i,) in conn.execute(
                text("select id from submission where file_name = :n"), {"n": name}
            )
        ]
        obs = 0
        if ids:
            obs = conn.execute(
                text("select count(*) from observation where submission_id = :i"), {"i": ids[-1]}
            ).scalar_one()
    return len(ids), int(obs)


def test_primary_restart_keeps_the_import_and_the_next_rerun_shows_data(cluster: Cluster) -> None:
    engine = cluster.engine()
    _period, data, n_values = _upload_file(engine)
    name = "restart_check.csv"

    async def scenario() -> None:
        s = StSession(cluster.base)
        click = await _prepare_upload(s, name, data)
        res = await s.run(widgets=click)
        assert res.ok, res
        cluster.pg("primary", "restart")
        res = await s.run("", EN)
        assert res.ok and res.shows(en("overview.title")), res.texts[:5]
        assert not res.shows("Traceback")
        await s.close()

    try:
        arun(scenario())
        assert _stored(engine, name) == (1, n_values)
    finally:
        engine.dispose()


def test_pages_keep_working_from_the_primary_when_the_read_replica_stops(
    cluster: Cluster,
) -> None:
    async def scenario() -> None:
        s = StSession(cluster.base)
        await s.connect()
        assert (await s.run("", EN)).ok
        app = cluster.app_of(s.session_id)
        cluster.pg("replica", "stop")
        for page in ("sintesi-pubblica", "confronto-citta", ""):
            res = await s.run(page, f"{EN}&period=2023-11")
            assert res.ok, res
            assert not res.shows(en("errors.db_down")), page
        assert "reading from the primary" in cluster.log(app)
        await s.close()

    try:
        arun(scenario())
    finally:
        cluster.pg("replica", "start")
        cluster.up()


def test_database_down_says_so_and_the_page_recovers_without_a_reload(cluster: Cluster) -> None:
    async def scenario() -> None:
        s = StSession(cluster.base)
        await s.connect()
        assert (await s.run("", f"{EN}&period=2023-10")).ok
        cluster.pg("replica", "stop")
        cluster.pg("primary", "stop")
        # A run within VERSION_SECONDS of the fault reuses the data version the process read
        # last and may be answered wholly from the cache (the same figures, rightly shown); the
        # first run after that asks the database and must say that it is down.
        await asyncio.sleep(VERSION_SECONDS + 0.5)
        down = await s.run("", f"{EN}&period=2023-09")
        assert down.ok, down  # an explained page, not an exception
        assert down.shows(en("errors.db_down"))
        assert not down.shows(en("errors.db_broken"))
        assert s.auto_rerun, "the page checks the database again by itself"
        cluster.pg("primary", "start")
        cluster.pg("replica", "start")
        # What the browser's timer does; no reload, no new request from the person.
        deadline = time.monotonic() + 60
        back: RunResult | None = None
        while time.monotonic() < deadline:
            back = await s.rerun_fragments()
            if back.shows(en("overview.title")):
                break
        assert back is not None and back.ok and back.shows(en("overview.title")), back
        await s.close()

    try:
        arun(scenario())
    finally:
        cluster.up()


# -- an import while its replica dies ---------------------------------------------------------
def _history_files(res: RunResult, s: StSession) -> set[str]:
    names: set[str] = set()
    for kind, proto in s.widgets:
        if kind == "arrow_data_frame" and proto.data:
            table = pa.ipc.open_stream(io.BytesIO(proto.data)).read_all()
            for col in table.column_names:
                names.update(str(v) for v in table.column(col).to_pylist())
    return names


def test_an_import_whose_replica_dies_is_stored_whole_or_not_at_all(cluster: Cluster) -> None:
    engine = cluster.engine()
    _period, data, n_values = _upload_file(engine)
    name = "killed_replica.csv"

    async def scenario() -> tuple[int, int, set[str]]:
        s = StSession(cluster.base)
        click = await _prepare_upload(s, name, data)
        victim = cluster.app_of(s.session_id)
        pending = asyncio.create_task(s.run(widgets=click))
        await asyncio.sleep(0)  # let the click leave (the write is now under way or queued)
        cluster.kill_app(victim)
        await pending
        stored = _stored(engine, name)
        # The person reloads (or the browser reconnects) and the history tells which.
        again = StSession(cluster.base)
        again.jar = s.jar
        await again.connect("caricamento")
        res = await again.run("caricamento", EN)
        assert res.ok, res
        shown = _history_files(res, again)
        await again.close()
        return (*stored, shown)

    try:
        subs, obs, shown = arun(scenario())
        assert (subs, obs) in ((0, 0), (1, n_values)), (subs, obs)
        assert (name in shown) == (subs == 1)
    finally:
        engine.dispose()
        cluster.up()


def test_the_replica_replays_a_commit_and_the_data_version_follows(cluster: Cluster) -> None:
    """Read your own writes, on real streaming replication: after a write on the primary, the
    replica reaches its commit position and then holds the same data version."""
    primary, replica = make_engine(cluster.primary_url), make_engine(cluster.replica_url)
    try:
        with primary.begin() as conn:
            conn.execute(
                text(
                    "insert into audit_log (at, actor, action, detail)"
                    " values (now(), 'test', 'ryw-check', :d)"
                ),
                {"d": json.dumps({"test": True})},
            )
        lsn = rep.write_position(primary)
        assert lsn is not None
        assert rep.wait_replayed(replica, lsn, timeout=30)
        assert rep.data_version(replica) == rep.data_version(primary)
        assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", lsn)
    finally:
        primary.dispose()
        replica.dispose()
