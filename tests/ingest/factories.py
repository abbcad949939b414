"""Factories for report files in every dialect cities send and for bulk-load files, and a checksum
of stored rows."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from sqlalchemy import Engine, func, insert, select, text

from data_access.catalogue import INDICATORS
from data_access.ingest.validate import COLUMNS
from data_access.reference_load import insert_reference, load_neighbourhoods
from data_access.schema import AuditLog, City, Periphery

CITY = "037006"  # Bologna
OTHER_CITY = "058091"  # Roma
PERIOD = "2023-05"


def seed_reference(engine: Engine) -> None:
    """Cities, WPs, actions, indicators and peripheries (the lead's loader when it exists)."""
    try:
        from data_access.demo import load_reference  # type: ignore[attr-defined]
    except ImportError:
        load_reference = None
    if load_reference is not None:
        load_reference(engine)
        return
    with engine.begin() as conn:
        if conn.execute(select(City.code).limit(1)).first() is not None:
            return
        insert_reference(conn)
        seen: set[tuple[str, str]] = set()
        rows = []
        for n in load_neighbourhoods():
            key = (str(n["city_code"]), str(n["name"]))
            if key in seen:
                continue
            seen.add(key)
            lat, lon = float(n["lat"]), float(n["lon"])  # type: ignore[arg-type]
            ring = [
                [lon - 0.003, lat - 0.003],
                [lon + 0.003, lat - 0.003],
                [lon + 0.003, lat + 0.003],
                [lon - 0.003, lat + 0.003],
                [lon - 0.003, lat - 0.003],
            ]
            rows.append(
                {
                    "city_code": key[0],
                    "name": key[1],
                    "centre_lat": lat,
                    "centre_lon": lon,
                    "geometry": json.dumps({"type": "Polygon", "coordinates": [ring]}),
                    "geometry_quality": "indicative",
                }
            )
        conn.execute(insert(Periphery), rows)


def peripheries_of(engine: Engine, city: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(Periphery.name).where(Periphery.city_code == city).order_by(Periphery.id)
            )
        )


def db_checksum(engine: Engine) -> str:
    """SHA-256 of every row of submission and observation, ordered by key."""
    h = hashlib.sha256()
    with engine.connect() as conn:
        for table, key in (("submission", "id"), ("observation", "id")):
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {key}")):
                h.update(repr(tuple(row)).encode())
            h.update(b"|")
    return h.hexdigest()


BULK_HEADER = "city_code,indicator,period,value,periphery"


def bulk_csv(lines: list[str], header: str = BULK_HEADER, newline: str = "\n") -> io.BytesIO:
    """A bulk-load file (``lgnet2 import --bulk``): ``header`` and ``lines``, each ended by
    ``newline``, in UTF-8."""
    return io.BytesIO((newline.join([header, *lines]) + newline).encode())


def stored_state(engine: Engine) -> tuple[str, int]:
    """What a refused or failed load leaves as it was: the checksum of the stored rows
    (:func:`db_checksum`) and the number of audit entries."""
    with engine.connect() as conn:
        audits = conn.scalar(select(func.count()).select_from(AuditLog))
    return db_checksum(engine), int(audits or 0)


BASE_VALUES = {
    "WP1_PROJECTS": 3,
    "WP1_PARTICIPANTS": 41,
    "WP1_SAFETY_TRAINED": 12,
    "WP1_EVENTS": 2,
    "WP1_ATTENDEES": 1234,
    "WP2_OUTINGS": 17,
    "WP2_TAKEN_IN_CHARGE": 25,
    "WP2_DESK_CONTACTS": 140,
    "WP2_LEGAL": 19,
    "WP2_PSYCH": 7,
    "WP2_HUB_ACTIVITIES": 4,
    "WP2_HUB_PARTICIPANTS": 30,
    "WP3_PLACES": 20,
    "WP3_HOUSED": 6,
    "WP3_BED_NIGHTS": 500,
    "WP3_PLACE_NIGHTS": 620,
    "WP3_OCCUPANCY": 80.6,
    "WP3_STAY_DAYS": 600,
    "WP3_EXITS": 5,
    "WP3_AVG_STAY": 120.0,
    "WP3_CONTRIBUTIONS": 9,
    "WP3_LANDLORD_INCENTIVES": 1,
    "WP3_TUTORING": 8,
    "WP3_JOB_PLACEMENT": 2,
    "WP3_EXITS_AUTONOMY": 2,
    "WP3_COMMUNITY_MEETINGS": 3,
}


def report_rows(
    peripheries: list[str],
    city: str = CITY,
    period: str = PERIOD,
    values: dict[str, float] | None = None,
) -> list[list[object]]:
    """Valid rows in contract column order; values are numbers (formatted by the writer)."""
    vals = {**BASE_VALUES, **(values or {})}
    rows: list[list[object]] = []
    for ind in INDICATORS:
        if ind.by_periphery:
            for k, p in enumerate(peripheries):
                rows.append(
                    [city, period, ind.code, ind.name_it, ind.unit, p, vals[ind.code] + k, ""]
                )
        else:
            rows.append([city, period, ind.code, ind.name_it, ind.unit, "", vals[ind.code], ""])
    return rows


def it_number(v: object) -> str:
    """Italian Excel: thousands dot, decimal comma."""
    if not isinstance(v, (int, float)):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def to_csv(
    rows: list[list[object]], dialect: str = "it-utf8", header: tuple[str, ...] = COLUMNS
) -> bytes:
    """``it-utf8`` (semicolon, decimal comma, BOM), ``it-cp1252``, ``comma`` (plain UTF-8)."""
    buf = io.StringIO(newline="")
    italian = dialect.startswith("it")
    w = csv.writer(buf, delimiter=";" if italian else ",", lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([it_number(c) if italian and j == 6 else c for j, c in enumerate(r)])
    s = buf.getvalue()
    if dialect == "it-utf8":
        return s.encode("utf-8-sig")
    if dialect == "it-cp1252":
        return s.encode("cp1252")
    return s.encode("utf-8")


def to_xlsx(rows: list[list[object]], header: tuple[str, ...] = COLUMNS) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_file(rows: list[list[object]], fmt: str) -> bytes:
    return to_xlsx(rows) if fmt == "xlsx" else to_csv(rows, fmt)
