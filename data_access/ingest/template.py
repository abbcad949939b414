"""The monthly report template (contract columns, ARCHITECTURE.md): CSV or protected XLSX."""

from __future__ import annotations

import csv
import io
from typing import Literal

from sqlalchemy import Engine

from data_access.errors import InvalidInput, UnknownCode
from data_access.ingest.reference import Reference, load_reference
from data_access.ingest.validate import COLUMNS
from data_access.periods import check_programme_period

TemplateFormat = Literal["csv", "xlsx"]


def build_template_rows(ref: Reference, city_code: str, period: str) -> list[list[str]]:
    """The template's data rows (value and note empty): one per indicator, and one per periphery
    of the city for indicators reported by periphery.

    Raises:
        UnknownCode: unknown city.
        InvalidInput: bad period.
    """
    if city_code not in ref.cities:
        raise UnknownCode.of("errors.unknown_city_code", code=city_code)
    check_programme_period(period)
    names = sorted(ref.peripheries.get(city_code, {}).items(), key=lambda kv: kv[1])
    rows: list[list[str]] = []
    for code, ind in ref.indicators.items():
        if ind.by_periphery and names:
            for _key, pid in names:
                rows.append(
                    [
                        city_code,
                        period,
                        code,
                        ind.name_it,
                        ind.unit,
                        ref.periphery_names[pid],
                        "",
                        "",
                    ]
                )
        else:
            rows.append([city_code, period, code, ind.name_it, ind.unit, "", "", ""])
    return rows


def build_template(
    engine: Engine, city_code: str, period: str, fmt: TemplateFormat = "xlsx"
) -> bytes:
    """The template file as bytes. CSV is written the way Italian Excel reads it (UTF-8 with BOM,
    semicolons); XLSX has every label cell locked, the value and note cells open, and data
    validation on the value cells (whole numbers >= 0 for counts, the allowed range for ratios).

    Raises:
        UnknownCode, InvalidInput: unknown city, bad period or format.
    """
    ref = load_reference(engine)
    rows = build_template_rows(ref, city_code, period)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx(ref, rows)
    raise InvalidInput.of("errors.template_format", fmt=fmt)


def _xlsx(ref: Reference, rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Report"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Valore non valido",
        error="Numero intero maggiore o uguale a 0.",
    )
    ws.add_data_validation(whole)
    ranges: dict[tuple[float, float], DataValidation] = {}
    open_fill = PatternFill("solid", fgColor="FFF8E1")
    for i, r in enumerate(rows, start=2):
        for col in range(1, len(COLUMNS) + 1):
            c = ws.cell(row=i, column=col)
            c.number_format = "@" if col != 7 else "General"
            c.protection = Protection(locked=col not in (7, 8))
            if col in (7, 8):
                c.fill = open_fill
        ind = ref.indicators[r[2]]
        ref_cell = f"G{i}"
        if ind.whole:
            whole.add(ref_cell)
        else:
            hi = ind.max_value if ind.max_value is not None else 1e12
            key = (ind.min_value, hi)
            if key not in ranges:
                dv = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1=f"{ind.min_value:g}",
                    formula2=f"{hi:g}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Valore non valido",
                    error=f"Numero tra {ind.min_value:g} e {hi:g}.",
                )
                ws.add_data_validation(dv)
                ranges[key] = dv
            ranges[key].add(ref_cell)
    for letter, width in zip("ABCDEFGH", (10, 9, 26, 48, 11, 26, 12, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.protection.sheet = True  # labels locked; no password: this guards against slips, not people
    ws.protection.formatColumns = False
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
