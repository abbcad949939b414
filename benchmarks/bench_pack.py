"""The meeting pack (issue 15): full steering pack as PDF and as PPTX, and the public PDF, on the
demo data (SQLite), end to end as ``lgnet2 pack`` runs it (data, sections, rendering), with the
time of each stage of the PDF.

Targets on the 2-core machine: steering PDF (about 30 pages) <= 20 s, PPTX <= 10 s.
Run: ``.venv/bin/python -m benchmarks.bench_pack [--repeat N] [--period YYYY-MM]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time

from pypdf import PdfReader

from benchmarks.common import report
from dashboard.pack import build_pack, build_sections, pdf
from dashboard.pack.content import cover
from dashboard.pack.data import load_pack_data
from data_access.config import make_engine
from data_access.demo import build_demo
from data_access.viewer import Viewer

TARGETS_S = {("steering", "pdf"): 20.0, ("steering", "pptx"): 10.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--period", default="2023-12")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench_pack.sqlite"
    engine = make_engine(url, must_exist=False)
    build_demo(engine)
    rows = []
    for role, fmt in (("steering", "pdf"), ("steering", "pptx"), ("public", "pdf")):
        times, size = [], 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            payload = build_pack(engine, Viewer.parse(role), args.period, "it", fmt)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
            size = len(payload)
        pages = len(PdfReader(io.BytesIO(payload)).pages) if fmt == "pdf" else None
        target = TARGETS_S.get((role, fmt))
        rows.append(
            {
                "pack": f"{role} {fmt.upper()}",
                "pages": pages,
                "median_s": round(statistics.median(times), 2),
                "best_s": round(min(times), 2),
                "target_s": target,
                "met": None if target is None else statistics.median(times) <= target,
                "kB": round(size / 1024),
                "runs": args.repeat,
            }
        )
    # Where the steering PDF's time goes (one run).
    stages: dict[str, float] = {}
    t0 = time.perf_counter()
    data = load_pack_data(engine, Viewer("steering"), args.period)
    stages["numbers (data_access)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sections = build_sections(data, "it")
    stages["sections and figures"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf.render_pdf(sections, cover(data, "it"), "it")
    stages["Chromium: draw and print twice"] = time.perf_counter() - t0
    for stage, seconds in stages.items():
        rows.append({"pack": f"  steering PDF stage: {stage}", "median_s": round(seconds, 2)})
    engine.dispose()
    report("bench_pack", rows)


if __name__ == "__main__":
    main()
