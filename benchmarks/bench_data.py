"""Build time of the demo database and the main queries, at demo size and ten times the size
(160 cities: the 16 real ones plus 144 synthetic copies), on SQLite and PostgreSQL.

Run: ``.venv/bin/python -m benchmarks.bench_data`` (PostgreSQL on 127.0.0.1:5432 as in the tests).
"""

from __future__ import annotations

import os
import tempfile
import time

from benchmarks.common import measure, report
from data_access import metrics, queries
from data_access.config import make_engine
from data_access.db import create_scratch_database, drop_database
from data_access.demo import build_demo
from data_access.viewer import Viewer

PG_ADMIN = os.environ.get(
    "LGNET2_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def scratch_pg_database() -> tuple[str, str]:
    """A new scratch PostgreSQL database: ``(name, url)``."""
    return create_scratch_database(PG_ADMIN, "lgnet2_bench")


def drop_pg_database(name: str) -> None:
    """Drop a scratch database made by :func:`scratch_pg_database`."""
    drop_database(PG_ADMIN, name)


def main() -> None:
    rows = []
    tmp = tempfile.mkdtemp()
    for size, copies in (("1x (16 cities)", 0), ("10x (160 cities)", 9)):
        for engine_kind in ("sqlite", "postgresql"):
            print(f"... {size} {engine_kind}", flush=True)
            pg_name = None
            if engine_kind == "sqlite":
                url = f"sqlite:///{tmp}/bench_{copies}.sqlite"
            else:
                pg_name, url = scratch_pg_database()
            eng = make_engine(url, must_exist=False)
            try:
                t0 = time.perf_counter()
                counts = build_demo(eng, synthetic_copies=copies, force=True)
                build_ms = (time.perf_counter() - t0) * 1000
                rows.append(
                    {
                        "size": size,
                        "engine": engine_kind,
                        "operation": "build demo database",
                        "rows": counts["observation"],
                        "median_ms": build_ms,
                        "min_ms": build_ms,
                        "runs": 1,
                    }
                )
                obs = queries.fetch_observations(eng)
                ops = {
                    "fetch observations (city level)": lambda: queries.fetch_observations(eng),
                    "fetch observations (one indicator)": lambda: queries.fetch_observations(
                        eng, indicators=["WP3_HOUSED"]
                    ),
                    "fetch observations (periphery level)": lambda: queries.fetch_observations(
                        eng, level="periphery"
                    ),
                    "load observations as public (disclosure)": lambda: queries.load_observations(
                        eng, Viewer()
                    ),
                    "cumulative values, all cities (metrics)": lambda: metrics.compute_cumulative(
                        obs, "2024-03"
                    ),
                    "cumulative monthly series (metrics)": lambda: (
                        metrics.compute_cumulative_series(obs)
                    ),
                    "load peripheries + hubs (geo)": lambda: (
                        queries.load_peripheries(eng, Viewer()),
                        queries.load_hubs(eng, Viewer()),
                    ),
                }
                if copies:
                    # The joint LP check grows faster than linearly with the number of cells:
                    # at 160 cities it takes minutes. Measured at demo size only.
                    ops.pop("load observations as public (disclosure)")
                for op, fn in ops.items():
                    slow = "disclosure" in op  # the joint LP check: seconds, not milliseconds
                    r = measure(fn, repeat=2 if slow else 5, warmup=0 if slow else 1)
                    rows.append(
                        {
                            "size": size,
                            "engine": engine_kind,
                            "operation": op,
                            "rows": len(obs),
                            **r,
                        }
                    )
            finally:
                eng.dispose()
                if pg_name:
                    drop_pg_database(pg_name)
    out = report("data", rows)
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
