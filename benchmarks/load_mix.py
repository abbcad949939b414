"""What the simulated people of ``bench_load`` do: the pages each role opens and how often,
the months they pick, and the city manager's monthly report."""

from __future__ import annotations

import csv
import io
import random

#: role -> [(page url path, weight)]; "" is the overview (the default page).
MIX: dict[str, list[tuple[str, float]]] = {
    "public": [
        ("sintesi-pubblica", 0.40),
        ("", 0.30),
        ("confronto-citta", 0.10),
        ("mappa-territoriale", 0.10),
        ("metodologia", 0.10),
    ],
    "steering": [
        ("", 0.30),
        ("work-package", 0.20),
        ("confronto-citta", 0.20),
        ("mappa-territoriale", 0.15),
        ("sintesi-pubblica", 0.10),
        ("qualita-dati", 0.05),
    ],
}
MIX["city"] = [
    ("", 0.25),
    ("caricamento", 0.20),
    ("qualita-dati", 0.15),
    ("confronto-citta", 0.20),
    ("mappa-territoriale", 0.20),
]
#: The city of the ``city`` mix (a city manager of Bologna) and the month its uploads are for.
CITY, UPLOAD_PERIOD = "037006", "2024-03"
ROLE_SPECS = {"public": "public", "steering": "steering", "city": f"city:{CITY}"}
PAGE_NAMES = {
    "": "overview",
    "sintesi-pubblica": "public_summary",
    "confronto-citta": "benchmark",
    "mappa-territoriale": "territorial_map",
    "metodologia": "methodology",
    "work-package": "work_package",
    "qualita-dati": "data_quality",
    "caricamento": "upload",
}
MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01", "2024-02", "2024-03"]


def pick(rng: random.Random, role: str) -> str:
    pages, weights = zip(*MIX[role], strict=True)
    return str(rng.choices(pages, weights=weights)[0])


def report_file(db: str) -> bytes:
    """The city's monthly template (``lgnet2 template``) with a value in every row."""
    from data_access.config import make_engine
    from data_access.ingest import build_template

    engine = make_engine(db)
    try:
        text = build_template(engine, CITY, UPLOAD_PERIOD, "csv").decode("utf-8-sig")
    finally:
        engine.dispose()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([*row[:6], "3", *row[7:]])
    return out.getvalue().encode("utf-8-sig")
