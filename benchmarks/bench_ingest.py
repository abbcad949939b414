"""City reports: one city-month report validated and loaded (CSV and XLSX), and a bulk CSV
import of about 1,000,000 observation rows, on SQLite and PostgreSQL.

Run: ``.venv/bin/python -m benchmarks.bench_ingest [--rows N] [--engine sqlite|postgresql|both]
[--skip-reports] [--bulk-runs K]``. The bulk import is measured ``K`` times (each on a database
holding only the demo data, as a history back-fill would find it); best and median are printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from benchmarks.bench_data import drop_pg_database, scratch_pg_database
from benchmarks.common import measure, report
from data_access.catalogue import INDICATORS
from data_access.config import make_engine
from data_access.demo import build_demo
from data_access.ingest import build_template, import_report
from data_access.ingest.bulk import bulk_load_observations
from data_access.queries import city_codes
from data_access.schema import Observation
from data_access.viewer import Viewer

CITY, PERIOD = "037006", "2024-03"


def _filled_csv(engine, k: int) -> bytes:  # type: ignore[no-untyped-def]
    """Bologna's March 2024 template filled with plausible, consistent numbers (+k each run)."""
    text = build_template(engine, CITY, PERIOD, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    iv, ii = header.index("value"), header.index("indicator")
    fixed = {
        "WP3_PLACES": 30,
        "WP3_PLACE_NIGHTS": 930,
        "WP3_BED_NIGHTS": 800,
        "WP3_OCCUPANCY": "",
        "WP3_EXITS": 6,
        "WP3_EXITS_AUTONOMY": 3,
        "WP3_STAY_DAYS": 720,
        "WP3_AVG_STAY": "",
    }
    for r in body:
        code = r[ii]
        r[iv] = str(fixed.get(code, 20 + k)) if code in fixed else str(20 + k)
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *body])
    return out.getvalue().encode("utf-8-sig")


def _as_xlsx(engine, csv_bytes: bytes) -> bytes:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(build_template(engine, CITY, PERIOD, "xlsx")))
    ws = wb.active
    values = [r[6] for r in csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";")][
        1:
    ]
    for i, v in enumerate(values, start=2):
        ws.cell(row=i, column=7, value=float(v) if v else None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bulk_csv(path: Path, cities: list[str], n_rows: int) -> int:
    """``n_rows`` unique cells in months before the programme (history back-fill)."""
    months = [f"{y:04d}-{m:02d}" for y in range(1990, 2022) for m in range(1, 13)]
    codes = [i.code for i in INDICATORS]
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["city_code", "indicator", "period", "value"])
        for period in months:
            for city in cities:
                w.writerows(
                    [city, code, period, str((written + j) % 97)] for j, code in enumerate(codes)
                )
                written += len(codes)
                if written >= n_rows:
                    return written
    return written


def _bulk_runs(eng, src: Path, n: int, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Wall times (ms) of ``runs`` bulk imports of ``src``, each undone before the next."""
    with eng.connect() as conn:
        first_id = conn.scalar(select(func.max(Observation.id))) or 0
    times = []
    for k in range(runs):
        t0 = time.perf_counter()
        res = bulk_load_observations(eng, src, "bench")
        times.append((time.perf_counter() - t0) * 1000)
        assert res.rows == n, (res.rows, n)
        print(f"    bulk run {k + 1}/{runs}: {n / (times[-1] / 1000):,.0f} rows/s", flush=True)
        with eng.begin() as conn:
            conn.execute(delete(Observation).where(Observation.id > first_id))
        # Same starting point for every run: no dead rows (PostgreSQL), no WAL backlog (SQLite).
        with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM ANALYZE observation"
                if eng.dialect.name == "postgresql"
                else "PRAGMA wal_checkpoint(TRUNCATE)"
            )
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--skip-reports", action="store_true", help="measure the bulk import only")
    ap.add_argument("--bulk-runs", type=int, default=3, help="bulk imports measured per engine")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    kinds = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    rows = []
    for kind in kinds:
        print(f"... {kind}", flush=True)
        pg = None
        url = f"sqlite:///{tmp}/ingest.sqlite"
        if kind == "postgresql":
            pg, url = scratch_pg_database()
        eng = make_engine(url, must_exist=False)
        try:
            build_demo(eng, synthetic_copies=9, force=True)
            viewer = Viewer("city", CITY)
            counter = iter(range(1000))
            for fmt in () if args.skip_reports else ("csv", "xlsx"):

                def one(fmt: str = fmt) -> None:
                    data = _filled_csv(eng, next(counter))
                    if fmt == "xlsx":
                        data = _as_xlsx(eng, data)
                    res = import_report(eng, data, f"report.{fmt}", viewer, "bench")
                    assert res.status == "loaded", res.message("en")

                r = measure(one, repeat=7)
                rows.append(
                    {
                        "engine": kind,
                        "operation": f"one city-month report ({fmt}): validate + load",
                        "rows": 30,
                        **r,
                        "rows_per_s": None,
                    }
                )
            src = tmp / "bulk.csv"
            n = _bulk_csv(src, city_codes(eng), args.rows)
            times = _bulk_runs(eng, src, n, args.bulk_runs)
            med, best = statistics.median(times), min(times)
            rows.append(
                {
                    "engine": kind,
                    "operation": "bulk CSV import (read, validate, insert)",
                    "rows": n,
                    "median_ms": med,
                    "min_ms": best,
                    "runs": len(times),
                    "rows_per_s": round(n / (med / 1000)),
                    "best_rows_per_s": round(n / (best / 1000)),
                }
            )
        finally:
            eng.dispose()
            if pg:
                drop_pg_database(pg)
    print()
    out = report("ingest", rows)
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
