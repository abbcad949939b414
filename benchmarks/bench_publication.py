"""Publications (issue 13): build, incremental rebuild after an import or an approval, reading
the release, at 1x / 10x / 100x the demo (16 real cities plus synthetic copies) on SQLite and
PostgreSQL.

Measured per size and engine (one run each: these are seconds, and the machine is shared):

- build the demo database (no publication);
- a full publication build (every block solved, ``--workers`` processes);
- the publication after importing one city-month report (Bologna, the latest month, which is
  not approved: the release does not change, every block is reused) and after approving one
  (Bologna's first validated month enters the release: the blocks it touches are solved again);
  the import/approval itself is timed apart;
- reading the release as the public (``load_published``) and as a city manager
  (``queries.load_release``), cold;
- the peak memory (max RSS) of a fresh process that reads what a server process reads: the
  release for the public and a city manager, the raw data for steering, the cumulated metrics
  (the data part of a server process; Streamlit itself adds about 150 MB).

Run: ``.venv/bin/python -m benchmarks.bench_publication [--sizes 1,10,100] [--engines
sqlite,postgresql] [--workers 2]``. Prints a table, writes ``benchmarks/results/publication.json``.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from benchmarks.bench_data import drop_pg_database, scratch_pg_database
from benchmarks.common import report
from data_access import queries
from data_access.config import make_engine
from data_access.demo import build_demo
from data_access.ingest import approve, build_template, import_report
from data_access.publication import load_published
from data_access.publication.build import publish
from data_access.schema import Submission
from data_access.viewer import Viewer

CITY, LAST = "037006", "2024-03"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def _report_csv(engine: Engine) -> bytes:
    """Bologna's latest-month template filled with plausible, consistent numbers."""
    text = build_template(engine, CITY, LAST, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    iv, ii = header.index("value"), header.index("indicator")
    fixed = {
        "WP3_PLACES": "30",
        "WP3_PLACE_NIGHTS": "930",
        "WP3_BED_NIGHTS": "800",
        "WP3_OCCUPANCY": "",
        "WP3_EXITS": "6",
        "WP3_EXITS_AUTONOMY": "3",
        "WP3_STAY_DAYS": "720",
        "WP3_AVG_STAY": "",
    }
    for r in body:
        r[iv] = fixed.get(r[ii], "21")
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *body])
    return out.getvalue().encode("utf-8-sig")


def _first_validated(engine: Engine) -> str:
    with engine.connect() as c:
        period = c.scalar(
            select(Submission.period)
            .where(Submission.city_code == CITY, Submission.status == "validated")
            .order_by(Submission.period)
            .limit(1)
        )
    return str(period)


_READER = """
import resource, sys
from data_access import metrics, queries
from data_access.config import make_engine
from data_access.metrics.viewer import compute_viewer_cumulative
from data_access.viewer import Viewer
eng = make_engine(sys.argv[1])
for spec in ("public", "city:037006", "steering"):
    viewer = Viewer.parse(spec)
    rows, table = queries.load_release(eng, viewer)
    compute_viewer_cumulative(rows, table, viewer, str(rows["period"].max()))
metrics.compute_cumulative_series(queries.fetch_observations(eng))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _reader_rss_mb(url: str) -> float:
    """Peak memory of a fresh process that reads what a server process reads (the release for
    the public and a city manager, the raw data for steering, the cumulated metrics)."""
    out = subprocess.run(
        [sys.executable, "-c", _READER, url], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def run_one(scale: int, kind: str, workers: int, tmp: str) -> list[dict[str, Any]]:
    pg_name = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp}/bench_pub_{scale}.sqlite"
    else:
        pg_name, url = scratch_pg_database()
    eng = make_engine(url, must_exist=False)
    rows: list[dict[str, Any]] = []

    def add(op: str, ms: float, **extra: Any) -> None:
        rows.append({"size": f"{scale}x", "engine": kind, "operation": op, "ms": ms, **extra})
        print(f"  {scale}x {kind} {op}: {ms:,.0f} ms {extra}", flush=True)

    try:
        ms, counts = _timed(
            lambda: build_demo(eng, synthetic_copies=scale - 1, force=True, publish=False)
        )
        add("build demo database", ms, rows=counts["observation"], cities=counts["city"])
        ms, info = _timed(
            lambda: publish(eng, "manual", "bench", workers=workers, incremental=False)
        )
        add("full publication build", ms, blocks=info.detail["blocks"])
        data = _report_csv(eng)
        ms, res = _timed(lambda: import_report(eng, data, "bench.csv", Viewer("admin"), "bench"))
        add("import one city-month report", ms, status=res.status)
        ms, info = _timed(lambda: publish(eng, "import", "bench", workers=workers))
        add("publication after the import", ms, solved=info.detail["solved"])
        period = _first_validated(eng)
        ms, _ = _timed(lambda: approve(eng, CITY, period, Viewer("admin"), "bench"))
        add("approve one city-month", ms)
        ms, info = _timed(lambda: publish(eng, "approval", "bench", workers=workers))
        add("publication after the approval", ms, solved=info.detail["solved"])
        ms, table = _timed(lambda: load_published(eng))
        add("read the release (public)", ms, rows=len(table.cells))
        ms, _ = _timed(lambda: queries.load_release(eng, Viewer("city", CITY)))
        add("read the release (city manager)", ms)
        add("reader process max RSS (MB)", _reader_rss_mb(url))
    finally:
        eng.dispose()
        if pg_name:
            drop_pg_database(pg_name)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    rows: list[dict[str, Any]] = []
    for scale in (int(s) for s in args.sizes.split(",")):
        for kind in args.engines.split(","):
            print(f"... {scale}x {kind}", flush=True)
            rows += run_one(scale, kind, args.workers, tmp)
            report("publication", rows)  # keep what was measured if a later size is stopped
    out = report("publication", rows)
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
