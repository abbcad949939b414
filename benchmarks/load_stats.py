"""What ``bench_load`` records and reports: one sample per script run, percentiles per page and
role, the servers' own run times and memory."""

from __future__ import annotations

import json
import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.load_mix import PAGE_NAMES
from dashboard.cli.stclient import RunResult


@dataclass
class Sample:
    page: str
    role: str
    action: str
    seconds: float
    ok: bool


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    since_epoch: float = 0.0  # wall clock at the start (after the warm-up), for the server logs
    killed_at: float | None = None  # perf_counter of --kill-replica-after
    back: list[float] = field(default_factory=list)  # seconds from the kill to a page shown


def record(stats: Stats, page: str, role: str, action: str, res: RunResult | None) -> None:
    ok = res is not None and res.ok and not res.page_not_found
    seconds = res.seconds if res is not None else float("nan")
    stats.samples.append(Sample(PAGE_NAMES.get(page, page), role, action, seconds, ok))


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the server processes have used so far (``/proc/PID/stat``).
    CPU per script run, unlike times, hardly moves with what else the machine is doing."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def pctl(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def server_runs(
    logs: list[Path], since: float, field: str = "duration_ms"
) -> dict[str, list[float]]:
    """Script-run durations (s) per page from the servers' JSON run logs (``dashboard.runlog``),
    for runs logged after ``since`` (epoch seconds): the time the script itself took, without
    the wait for a free core or the network."""
    out: dict[str, list[float]] = defaultdict(list)
    for log in logs:
        try:
            lines = log.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            if '"script_run"' not in line:
                continue
            try:
                rec = json.loads(line)
                when = datetime.fromisoformat(rec["ts"]).timestamp()
            except (ValueError, KeyError):
                continue
            if when >= since:
                page = "" if rec["page"] == "panoramica" else rec["page"]
                out[PAGE_NAMES.get(page, page)].append(rec.get(field, float("nan")) / 1000)
    return out


def summary_rows(
    stats: Stats,
    target: str,
    server: dict[str, list[float]] | None = None,
    cpu: dict[str, list[float]] | None = None,
) -> list[dict[str, Any]]:
    """The printed table: a row per page and role, a row per action (``arrive``: a person's
    first page, as they come; then ``open`` another page, ``filter``, ``language``),
    then ``all`` per role (runs, errors, p50/p95/max seconds of the runs that succeeded; the
    servers' own p50/p95 with ``server``)."""
    groups: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    for s in stats.samples:
        groups[(s.page, s.role)].append(s)
        groups[(f"by action: {s.action}", s.role)].append(s)
        groups[("all", s.role)].append(s)

    def order(item: tuple[tuple[str, str], list[Sample]]) -> tuple[int, str, str]:
        page, role = item[0]
        return (2 if page == "all" else 1 if page.startswith("by action") else 0), page, role

    rows = []
    for (page, role), samples in sorted(groups.items(), key=order):
        times = [s.seconds for s in samples if s.ok]
        rows.append(
            {
                "target": target,
                "page": page,
                "role": role,
                "runs": len(samples),
                "errors": sum(not s.ok for s in samples),
                "p50_s": round(pctl(times, 50), 3),
                "p95_s": round(pctl(times, 95), 3),
                "max_s": round(max(times), 3) if times else float("nan"),
            }
        )
        if server is not None:
            runs = server.get(page, []) if page != "all" else sum(server.values(), [])
            rows[-1]["server_p50_s"] = round(pctl(runs, 50), 3)
            rows[-1]["server_p95_s"] = round(pctl(runs, 95), 3)
        if cpu is not None:  # the script thread's CPU per run, median (ms)
            used = cpu.get(page, []) if page != "all" else sum(cpu.values(), [])
            rows[-1]["server_cpu_p50_ms"] = round(1000 * pctl(used, 50), 1)
    return rows
