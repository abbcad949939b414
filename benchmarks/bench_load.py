"""Load test: N simulated people, each a real Streamlit session over the websocket.

Every simulated person is a :class:`dashboard.cli.stclient.StSession` (the browser's protocol:
the page is fetched first, so the balancer's sticky cookie is set, then ``BackMsg`` reruns over
``/_stcore/stream``). Each person opens a first page, then follows a scripted, seeded mix for the
role: open another page, change a filter (the reference month, through the URL as a shared link
does), switch the language; with a think time between steps. Map pages get their second pass as
in a browser (the map-drawn trigger of ``dashboard.deferred``), included in the page's time.

Reported per page and role: script runs, errors (an exception element, a closed socket, a
timeout, a "page not found"), p50/p95/max seconds from the request to the last delta; overall
runs per second; server memory (RSS of the server processes) per idle session: measured when
every person has done their steps and sits idle with the session open, minus the RSS after the
warm-up (so it also counts whatever the steps left behind: an upper bound).

Each person starts their steps as soon as their own first page is shown: with ``--ramp 30`` the
steps of the first arrivals overlap the later arrivals, a steady flow, not a crowd that waits for
the last arrival and then clicks all at once.

Mixes (``--role``): ``public`` (mostly the public summary and the overview, some city comparison,
maps and methodology), ``steering``, and ``city`` (a city manager of Bologna: a fifth of the
steps open the upload page and send the month's report, which is checked and reported; the
server must run as that city: ``LGNET2_LOCAL_ROLE=city:037006``; ``--target single`` sets it).
``--kill-replica-after S`` (cluster) kills the first dashboard replica S seconds after the last arrival:
its people reconnect through the balancer at once, as a browser does, and the time from the kill
to their page shown again is reported.

Targets:
- ``--target single``: starts one ``lgnet2 run`` on a free port (``--db``, default the local
  cluster's primary when ``.cluster/`` exists, else a demo SQLite file in a temporary folder),
  no read replica; stops it at the end.
- ``--target cluster``: the balancer of ``scripts/cluster.sh`` (``LGNET2_CLUSTER_PORT``), server
  PIDs from ``.cluster/run``.

Bounded: ``--sessions`` people, ``--steps`` steps each, ``--max-seconds`` overall; loopback only.
Run: ``.venv/bin/python -m benchmarks.bench_load --target single --sessions 20``.
Writes ``benchmarks/results/bench_load_<target>.json``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.common import report
from benchmarks.load_mix import MIX, MONTHS, ROLE_SPECS, pick, report_file
from benchmarks.load_stats import Stats, cpu_seconds, record, rss_kb, server_runs, summary_rows
from dashboard.cli.browser import free_port
from dashboard.cli.stclient import StSession

ROOT = Path(__file__).resolve().parent.parent
CLUSTER_DIR = Path(os.environ.get("LGNET2_CLUSTER_DIR", ROOT / ".cluster"))
LGNET2 = Path(sys.executable).parent / "lgnet2"


async def person(
    i: int, base: str, role: str, args: argparse.Namespace, stats: Stats, deadline: float
) -> StSession | None:
    """One simulated person: arrives, then does their steps; returns the session (left open)
    for the idle-memory reading, or None when it could not arrive."""
    sess = await arrive(i, base, role, args, stats)
    if sess is not None:
        await steps(i, sess, role, args, stats, deadline)
    return sess


async def arrive(
    i: int, base: str, role: str, args: argparse.Namespace, stats: Stats
) -> StSession | None:
    """A person's first page, at their place in the ramp."""
    rng = random.Random(args.seed * 1000 + i)
    await asyncio.sleep(args.ramp * i / max(args.sessions, 1))
    sess = StSession(base)
    page = pick(rng, role)
    lang = "it"
    try:
        await sess.connect(page)
        res = await sess.run(page, f"lang={lang}")
        record(stats, page, role, "arrive", res)
    except Exception:
        record(stats, page, role, "arrive", None)
        return None
    return sess


async def steps(
    i: int, sess: StSession, role: str, args: argparse.Namespace, stats: Stats, deadline: float
) -> None:
    rng = random.Random(args.seed * 7919 + i)
    page, lang, month = sess.page, "it", MONTHS[-1]
    for _ in range(args.steps):
        if time.monotonic() > deadline:
            break
        think = rng.expovariate(1 / args.think) if args.think > 0 else 0
        try:  # thinking; a browser reconnects at once when its websocket closes
            await asyncio.wait_for(sess.closed.wait(), think)
        except TimeoutError:
            pass
        if sess.closed.is_set():
            if stats.killed_at is None or not await _reconnect(sess, role, stats):
                break
            continue
        roll = rng.random()
        if roll < 0.5:
            page, action = pick(rng, role), "open"
        elif roll < 0.8:
            month, action = rng.choice(MONTHS), "filter"
        else:
            lang, action = ("en" if lang == "it" else "it"), "language"
        try:
            res = await sess.run(page, f"lang={lang}&period={month}")
        except Exception:
            res = None
        if res is not None and res.status == "closed" and stats.killed_at is not None:
            record(stats, page, role, action + "_cut", None)
            if not await _reconnect(sess, role, stats):
                break
            continue
        record(stats, page, role, action, res)
        if res is None or res.status == "closed":
            break
        if page == "caricamento" and args.upload is not None and res.ok:
            await _upload(sess, role, args.upload, stats)


async def _upload(sess: StSession, role: str, data: bytes, stats: Stats) -> None:
    """A city manager sends the month's report: the file goes up and is checked (the check
    and its report are the measured run; nothing is written, the person does not press Load)."""
    start = time.perf_counter()
    try:
        state = await sess.upload(sess.widget("file_uploader"), "report.csv", data)
        res = await sess.run(widgets=[state])
        res.seconds = time.perf_counter() - start if res.deltas else res.seconds
    except Exception:
        res = None
    record(stats, "upload_check", role, "upload", res)


async def _reconnect(sess: StSession, role: str, stats: Stats) -> bool:
    """What the browser does when its replica died: reconnect through the balancer to the same
    URL (page and filters); records the time from the kill to the page shown again."""
    try:
        await sess.connect(sess.page)
        res = await sess.run()
    except Exception:
        res = None
    if res is not None and res.ok and stats.killed_at is not None:
        stats.back.append(time.perf_counter() - stats.killed_at)
    record(stats, sess.page, role, "reconnect", res)
    return res is not None and res.ok


async def _kill_later(pid: int, after: float, stats: Stats) -> None:
    """SIGKILL one dashboard replica ``after`` seconds into the scripted steps."""
    await asyncio.sleep(after)
    stats.killed_at = time.perf_counter()
    os.kill(pid, signal.SIGKILL)


def _wait_health(base: str, seconds: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit("bench_load: the server exited while starting")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)  # polling the server's health endpoint, with a deadline
    raise SystemExit(f"bench_load: {base} did not answer within {seconds:.0f} s")


def _default_db() -> str:
    ports = CLUSTER_DIR / "ports"
    if ports.exists():
        conf = dict(line.split("=", 1) for line in ports.read_text().split())
        return f"postgresql+psycopg://postgres@127.0.0.1:{conf['PG_PORT']}/lgnet2"
    from data_access.config import make_engine
    from data_access.demo import build_demo

    url = f"sqlite:///{tempfile.mkdtemp(prefix='lgnet2_load_')}/demo.sqlite"
    build_demo(make_engine(url, must_exist=False))
    return url


def start_single(db: str, role: str, log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = dict(os.environ, LGNET2_TILES_URL="none")
    env.pop("LGNET2_READ_DATABASE_URL", None)
    if role != "public":
        env["LGNET2_LOCAL_ROLE"] = ROLE_SPECS[role]
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [str(LGNET2), "run", "--db", db, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    base = f"http://127.0.0.1:{port}"
    _wait_health(base, 120, proc)
    return base, proc


def cluster_target() -> tuple[str, list[int]]:
    ports = CLUSTER_DIR / "ports"
    if not ports.exists():
        raise SystemExit("bench_load: no local cluster (run scripts/cluster.sh up)")
    conf = dict(line.split("=", 1) for line in ports.read_text().split())
    pids = [int(p.read_text().split()[0]) for p in sorted((CLUSTER_DIR / "run").glob("app-*.pid"))]
    return f"http://127.0.0.1:{conf['BAL_PORT']}", pids


async def warm_up(base: str, role: str, visits: int, every_month: bool = False) -> None:
    """Every page of the mix once per visit in both languages (fills the server's caches), at
    the default month, or at each month of the mix (``--warm all``: the steady state of a
    server that has served its public for a while), then closed."""
    months = MONTHS if every_month else [None]
    for _ in range(visits):
        sess = StSession(base)
        await sess.connect()
        for page, _w in MIX[role]:
            for lang in ("it", "en"):
                for month in months:
                    await sess.run(page, f"lang={lang}" + (f"&period={month}" if month else ""))
        await sess.close()


async def drive(base: str, pids: list[int], role: str, args: argparse.Namespace) -> dict[str, Any]:
    # Warm every replica: distinct sessions land on distinct replicas through the balancer.
    visits = max(1, len(pids)) * 2 if args.target == "cluster" else 1
    await warm_up(base, role, visits, every_month=args.warm == "all")
    baseline_kb = rss_kb(pids)
    cpu_start, own_start = cpu_seconds(pids), time.process_time()
    load_start = os.getloadavg()[0]
    stats = Stats(started=time.monotonic(), since_epoch=time.time())
    deadline = stats.started + args.max_seconds
    killer = None
    if args.kill_replica_after is not None:  # counted from the last arrival
        after = args.ramp + args.kill_replica_after
        killer = asyncio.create_task(_kill_later(pids[0], after, stats))
    sessions = await asyncio.gather(
        *(person(i, base, role, args, stats, deadline) for i in range(args.sessions))
    )
    live = [s for s in sessions if s is not None]
    if killer is not None:
        await killer
    stats.finished = time.monotonic()
    idle_kb = rss_kb(pids)
    cpu, own = cpu_seconds(pids) - cpu_start, time.process_time() - own_start
    await asyncio.gather(*(s.close() for s in live), return_exceptions=True)
    wall = stats.finished - stats.started
    return {
        "stats": stats,
        "summary": {
            "target": args.target,
            "role": role,
            "sessions": args.sessions,
            "connected": len(live),
            "steps_per_session": args.steps,
            "think_s": args.think,
            "warm": args.warm,
            "wall_s": round(wall, 1),
            "runs": len(stats.samples),
            "errors": sum(not s.ok for s in stats.samples),
            "runs_per_s": round(len(stats.samples) / wall, 2) if wall > 0 else None,
            "server_processes": len(pids),
            # The servers' CPU (every thread: script runs, websockets, caches) per script run.
            # (Not known when a replica was killed: its CPU went with it.)
            "server_cpu_ms_per_run": None
            if stats.killed_at is not None
            else round(1000 * cpu / max(len(stats.samples), 1), 1),
            # Cores busy on average: the servers, and this load generator on the same machine.
            "server_cores_busy": round(cpu / wall, 2)
            if wall > 0 and stats.killed_at is None
            else None,
            "generator_cores_busy": round(own / wall, 2) if wall > 0 else None,
            # The machine's 1-minute load average at the start and end (2 cores: > 2 = queued).
            "loadavg_start": round(load_start, 1),
            "loadavg_end": round(os.getloadavg()[0], 1),
            "rss_baseline_mb": round(baseline_kb / 1024, 1),
            "rss_idle_mb": round(idle_kb / 1024, 1),
            # (Not known when a replica was killed: its memory went with it.)
            "rss_per_idle_session_mb": None
            if stats.killed_at is not None
            else round((idle_kb - baseline_kb) / 1024 / max(len(live), 1), 2),
            "replica_killed": stats.killed_at is not None,
            "sessions_back_after_kill": len(stats.back),
            "max_s_kill_to_page": round(max(stats.back), 2) if stats.back else None,
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.bench_load")
    p.add_argument("--target", choices=["single", "cluster"], default="single")
    p.add_argument("--db", help="single: the database (default: the cluster's primary, or demo)")
    p.add_argument("--role", choices=sorted(MIX), default="public")
    p.add_argument("--sessions", type=int, default=10)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--think", type=float, default=1.0, help="mean think time between steps (s)")
    p.add_argument("--ramp", type=float, default=5.0, help="sessions start over this many s")
    p.add_argument("--max-seconds", type=float, default=300.0)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument(
        "--warm",
        choices=["default", "all"],
        default="default",
        help="before measuring, open every page at the default month (default) or at every "
        "month of the mix (all: steady state, no first computation of a month is measured)",
    )
    p.add_argument(
        "--kill-replica-after",
        type=float,
        help="cluster: SIGKILL the first dashboard replica this many s after the last arrival "
        "(restart it afterwards with scripts/cluster.sh up)",
    )
    args = p.parse_args(argv)
    if args.sessions < 1 or args.sessions > 500 or args.steps < 0 or args.steps > 200:
        p.error("--sessions must be 1..500 and --steps 0..200")
    if args.kill_replica_after is not None and args.target != "cluster":
        p.error("--kill-replica-after needs --target cluster")
    proc = None
    db = args.db or _default_db()
    args.upload = report_file(db) if args.role == "city" else None
    if args.target == "single":
        logs = [Path(tempfile.mkdtemp(prefix="lgnet2_load_log_")) / "server.log"]
        base, proc = start_single(db, args.role, logs[0])
        pids = [proc.pid]  # `lgnet2 run` execs the server: same PID
    else:
        base, pids = cluster_target()
        logs = sorted((CLUSTER_DIR / "log").glob("app-*.log"))
    try:
        out = asyncio.run(drive(base, pids, args.role, args))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    since = out["stats"].since_epoch
    table = summary_rows(
        out["stats"],
        args.target,
        server_runs(logs, since),
        server_runs(logs, since, "cpu_ms"),
    )
    path = report(f"bench_load_{args.target}", table)
    saved = json.loads(path.read_text())
    saved["summary"] = out["summary"]
    path.write_text(json.dumps(saved, indent=2))
    print()
    for k, v in out["summary"].items():
        print(f"{k}: {v}")
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
