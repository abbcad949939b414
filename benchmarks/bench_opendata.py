"""Time to build the public open-data release (``lgnet2 open-data``, the methodology page's ZIP)
and its size, on the demo database, SQLite and PostgreSQL.

Run: ``.venv/bin/python -m benchmarks.bench_opendata`` (PostgreSQL on 127.0.0.1:5432 as in the
tests).
"""

from __future__ import annotations

import os
import tempfile

from benchmarks.common import measure, report
from data_access import queries
from data_access.config import make_engine
from data_access.db import create_scratch_database, drop_database
from data_access.demo import build_demo
from data_access.opendata import build_release, zip_bytes
from data_access.viewer import Viewer

PG_ADMIN = os.environ.get(
    "LGNET2_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def main() -> None:
    rows = []
    tmp = tempfile.mkdtemp()
    for kind in ("sqlite", "postgresql"):
        pg_name = None
        if kind == "sqlite":
            url = f"sqlite:///{tmp}/bench_opendata.sqlite"
        else:
            pg_name, url = create_scratch_database(PG_ADMIN, "lgnet2_bench_od")
        eng = make_engine(url, must_exist=False)
        try:
            build_demo(eng, force=True)
            print(f"... {kind}", flush=True)
            files = build_release(eng, "it")
            packed = zip_bytes(files)
            for operation, fn in (
                (
                    "public disclosure alone (part of the build)",
                    lambda: queries.load_disclosed(eng, Viewer()),
                ),
                ("build the release (all files, in memory)", lambda: build_release(eng, "it")),
                ("zip the built files", lambda: zip_bytes(files)),
            ):
                rows.append(
                    {
                        "engine": kind,
                        "operation": operation,
                        **measure(fn, repeat=3, warmup=0),
                        "files": len(files),
                        "bytes": sum(len(b) for b in files.values()),
                        "zip_bytes": len(packed),
                    }
                )
        finally:
            eng.dispose()
            if pg_name:
                drop_database(PG_ADMIN, pg_name)
    report("bench_opendata", rows)


if __name__ == "__main__":
    main()
