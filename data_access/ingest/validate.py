"""Validation of one city-month report: every finding at once, with row, column and rule."""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from data_access.catalogue import PROGRAMME_END, PROGRAMME_START
from data_access.ingest.parse import (
    NotANumber,
    parse_code,
    parse_number,
    parse_period,
    parse_text,
)
from data_access.ingest.reader import Cell, RawTable, ReadFailure, read_table
from data_access.ingest.reference import Reference, load_history, load_reference
from data_access.ingest.rules import ValidationReport
from data_access.periods import days_in_month
from data_access.viewer import Viewer

COLUMNS = (
    "city_code",
    "period",
    "indicator",
    "indicator_name",
    "unit",
    "periphery",
    "value",
    "note",
)
REQUIRED = ("city_code", "period", "indicator", "value")
UPLOAD_ROLES = ("city", "admin")
OUTLIER_Z = 3.5
OUTLIER_MIN_HISTORY = 6
_ALIASES = {
    "codice_citta": "city_code",
    "codice_comune": "city_code",
    "periodo": "period",
    "indicatore": "indicator",
    "valore": "value",
    "periferia": "periphery",
}


@dataclass
class _Row:
    line: int
    indicator: str
    periphery_id: int | None
    value: float


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_period(today: date | None = None) -> str:
    d = today or date.today()
    return f"{d.year:04d}-{d.month:02d}"


def validate_report(
    engine: Engine,
    data: bytes,
    file_name: str,
    viewer: Viewer,
    *,
    today: date | None = None,
    reference: Reference | None = None,
) -> ValidationReport:
    """Read and check one report file without writing anything.

    Returns a report listing every error and warning; ``report.ok`` tells whether it can be
    loaded and ``report.values`` holds the parsed values. Never raises for a bad file.
    """
    report = ValidationReport(file_name=file_name, sha256=sha256_of(data))
    if viewer.role not in UPLOAD_ROLES:
        report.add("ROLE_NOT_ALLOWED", role=viewer.role)
        return report
    try:
        table = read_table(data)
    except ReadFailure as exc:
        report.issues.append(exc.issue)
        return report
    ref = reference or load_reference(engine)
    check_table(table, report, ref, viewer, today=today)
    if report.city_code and report.period and not report.errors:
        history = load_history(engine, report.city_code, report.period)
        flag_outliers(report, history)
    return report


def _column_map(table: RawTable, report: ValidationReport) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for j, raw in enumerate(table.header):
        name = raw.strip().lstrip("\ufeff").lower().replace(" ", "_")
        name = _ALIASES.get(name, name)
        if not name:
            continue
        if name in cols:
            report.add("COL_DUPLICATE", 1, name, name=name)
        elif name not in COLUMNS:
            report.add("COL_UNKNOWN", 1, raw, name=raw)
        cols.setdefault(name, j)
    missing = [c for c in REQUIRED if c not in cols]
    for c in missing:
        report.add("COL_MISSING", 1, c, name=c)
    return None if missing or report.errors else cols


def check_table(
    table: RawTable,
    report: ValidationReport,
    ref: Reference,
    viewer: Viewer,
    *,
    today: date | None = None,
) -> None:
    """Pure checks of a read table against the reference data (no database access)."""
    report.dialect = table.dialect
    report.issues.extend(table.issues)
    cols = _column_map(table, report)
    if cols is None:
        return
    report.rows = len(table.rows)
    if not table.rows:
        report.add("NO_ROWS")
        return

    def cell(cells: list[Cell], name: str) -> Cell:
        j = cols.get(name)
        return cells[j] if j is not None and j < len(cells) else None

    cities: dict[str, int] = {}
    periods: dict[str, int] = {}
    for line, cells in table.rows:
        code = parse_code(cell(cells, "city_code"))
        cities.setdefault(code, line)
        raw_period = cell(cells, "period")
        period = parse_period(raw_period)
        if period is None:
            report.add("PERIOD_FORMAT", line, "period", value=parse_text(raw_period))
        else:
            periods.setdefault(period, line)
    _check_city(report, ref, viewer, cities)
    _check_period(report, periods, today)
    city = report.city_code
    rows = _check_rows(table, report, ref, city, cell)
    if rows and report.period:
        _check_consistency(report, rows, report.period)
    if not report.errors:
        report.values = [(r.indicator, r.periphery_id, r.value) for r in rows]
        report.lines = [r.line for r in rows]
        if not rows:
            report.add("NO_ROWS")


def _check_city(
    report: ValidationReport, ref: Reference, viewer: Viewer, cities: dict[str, int]
) -> None:
    if len(cities) > 1:
        report.add(
            "CITY_MIXED", min(cities.values()), "city_code", values=", ".join(sorted(cities))
        )
    for code, line in sorted(cities.items(), key=lambda kv: kv[1]):
        if code not in ref.cities:
            report.add("CITY_UNKNOWN", line, "city_code", value=code)
        elif viewer.role == "city" and code != viewer.city:
            report.add("CITY_NOT_YOURS", line, "city_code", value=code, own=viewer.city)
    if len(cities) == 1:
        code = next(iter(cities))
        if code in ref.cities:
            report.city_code = code


def _check_period(report: ValidationReport, periods: dict[str, int], today: date | None) -> None:
    if len(periods) > 1:
        report.add(
            "PERIOD_MIXED", min(periods.values()), "period", values=", ".join(sorted(periods))
        )
    now = current_period(today)
    for period, line in sorted(periods.items(), key=lambda kv: kv[1]):
        if period > now:
            report.add("PERIOD_FUTURE", line, "period", value=period)
        elif not PROGRAMME_START <= period <= PROGRAMME_END:
            report.add(
                "PERIOD_OUTSIDE",
                line,
                "period",
                value=period,
                start=PROGRAMME_START,
                end=PROGRAMME_END,
            )
    if len(periods) == 1 and not report.rule_ids("error") & {"PERIOD_FUTURE", "PERIOD_OUTSIDE"}:
        report.period = next(iter(periods))


def _check_rows(
    table: RawTable,
    report: ValidationReport,
    ref: Reference,
    city: str | None,
    cell: Callable[[list[Cell], str], Cell],
) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    city_peripheries = ref.peripheries.get(city or "", {})
    for line, cells in table.rows:
        code = parse_text(cell(cells, "indicator")).upper()
        periphery = parse_text(cell(cells, "periphery"))
        key = (code, periphery.casefold())
        if key in seen:
            report.add("ROW_DUPLICATE", line, "indicator", first=seen[key])
            continue
        seen[key] = line
        rule = ref.indicators.get(code)
        if rule is None:
            report.add("INDICATOR_UNKNOWN", line, "indicator", value=code)
            continue
        pid: int | None = None
        if not periphery and rule.by_periphery and city_peripheries:
            report.add("PERIPHERY_MISSING", line, "periphery", indicator=code)
            continue
        if periphery:
            if not rule.by_periphery:
                report.add("PERIPHERY_NOT_ALLOWED", line, "periphery", indicator=code)
                continue
            if city is not None:
                pid = city_peripheries.get(periphery.casefold())
                if pid is None:
                    report.add("PERIPHERY_UNKNOWN", line, "periphery", value=periphery)
                    continue
        raw = cell(cells, "value")
        try:
            value = parse_number(raw, table.decimal)
        except NotANumber:
            report.add("VALUE_NOT_NUMBER", line, "value", value=parse_text(raw)[:40])
            continue
        if value is None:
            report.add("VALUE_MISSING", line, "value")
            continue
        if value < 0:
            report.add("VALUE_NEGATIVE", line, "value", value=value)
            continue
        if rule.whole and not value.is_integer():
            report.add("VALUE_NOT_WHOLE", line, "value", value=value)
            continue
        if value < rule.min_value or (rule.max_value is not None and value > rule.max_value):
            high = "∞" if rule.max_value is None else rule.max_value
            report.add("VALUE_RANGE", line, "value", value=value, low=rule.min_value, high=high)
            continue
        rows.append(_Row(line, code, pid, value))
    return rows


def _check_consistency(report: ValidationReport, rows: list[_Row], period: str) -> None:
    """Rules between indicators of the same city, month and periphery (documented in the
    module README of the report): exits to autonomy <= exits; bed nights <= available place
    nights; available place nights <= places x days in the month; a reported ratio equals the
    value recomputed from its numerator and denominator (within rounding)."""
    groups: dict[int | None, dict[str, _Row]] = {}
    for r in rows:
        groups.setdefault(r.periphery_id, {})[r.indicator] = r
    days = days_in_month(period)
    for g in groups.values():

        def le(a: str, b: str, rule: str, factor: float = 1.0, g: dict[str, _Row] = g) -> None:
            if a in g and b in g and g[a].value > g[b].value * factor:
                report.add(rule, g[a].line, "value", a=g[a].value, b=g[b].value * factor)

        le("WP3_EXITS_AUTONOMY", "WP3_EXITS", "CONS_AUTONOMY_EXITS")
        le("WP3_BED_NIGHTS", "WP3_PLACE_NIGHTS", "CONS_BED_NIGHTS")
        le("WP3_PLACE_NIGHTS", "WP3_PLACES", "CONS_PLACE_NIGHTS", float(days))
        for ratio, num, den, scale in (
            ("WP3_OCCUPANCY", "WP3_BED_NIGHTS", "WP3_PLACE_NIGHTS", 100.0),
            ("WP3_AVG_STAY", "WP3_STAY_DAYS", "WP3_EXITS", 1.0),
        ):
            if ratio in g and num in g and den in g and g[den].value > 0:
                expected = scale * g[num].value / g[den].value
                if abs(g[ratio].value - expected) > max(0.5, 0.01 * expected):
                    report.add(
                        "CONS_RATIO",
                        g[ratio].line,
                        "value",
                        indicator=ratio,
                        a=g[ratio].value,
                        b=round(expected, 1),
                    )


def modified_z(value: float, history: list[float]) -> float | None:
    """Iglewicz-Hoaglin modified z-score of ``value`` against ``history``; ``None`` when the
    history is too short (< 6 months) or has no spread (MAD = 0)."""
    if len(history) < OUTLIER_MIN_HISTORY:
        return None
    med = statistics.median(history)
    mad = statistics.median(abs(x - med) for x in history)
    if mad == 0:
        return None
    return 0.6745 * (value - med) / mad


def flag_outliers(
    report: ValidationReport, history: dict[tuple[str, int | None], list[float]]
) -> None:
    """Add an OUTLIER warning for every value whose |modified z| exceeds 3.5."""
    for (code, pid, value), line in zip(report.values, report.lines, strict=True):
        past = history.get((code, pid), [])
        z = modified_z(value, past)
        if z is not None and abs(z) > OUTLIER_Z:
            report.add(
                "OUTLIER",
                line,
                "value",
                value=value,
                median=round(statistics.median(past), 2),
                z=round(z, 1),
            )
