"""Writes the corpus of defective report files to ``tests/ingest/corpus/`` with ``MANIFEST.csv``
(file, rule, viewer, defect). One defect per file; every other cell is valid.

Run ``.venv/bin/python -m tests.ingest.make_corpus`` from the project root to regenerate. The
peripheries of Bologna (037006) are those of ``data_access/reference/neighbourhoods.csv``.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from data_access.reference_load import load_neighbourhoods

from .factories import CITY, COLUMNS, OTHER_CITY, report_rows, to_csv, to_xlsx

HERE = Path(__file__).resolve().parent / "corpus"
Rows = list[list[object]]


def bologna_peripheries() -> list[str]:
    out: list[str] = []
    for n in load_neighbourhoods():
        if n["city_code"] == CITY and n["name"] not in out:
            out.append(str(n["name"]))
    return out


def _rows() -> Rows:
    return report_rows(bologna_peripheries())


def _edit(code: str, col: int, value: object, periphery: str = "") -> Rows:
    rows = _rows()
    for r in rows:
        if r[2] == code and (not periphery or r[5] == periphery):
            r[col] = value
            return rows
    raise KeyError(code)


def _drop(code: str, rows: Rows | None = None) -> Rows:
    return [r for r in (rows if rows is not None else _rows()) if r[2] != code]


def _csv(rows: Rows, **kw: object) -> bytes:
    return to_csv(rows, "it-utf8", **kw)  # type: ignore[arg-type]


def _xlsx_with(extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    """A valid report XLSX with parts added or replaced inside the zip."""
    src = zipfile.ZipFile(io.BytesIO(to_xlsx(_rows())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info.filename))
            zf.writestr(info.filename, data)
        for name, data in extra.items():
            zf.writestr(name, data)
    return out.getvalue()


def _macro_xlsx() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(to_xlsx(_rows())))
    ct = src.read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _xlsx_with(
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0fake vba project"}, {"[Content_Types].xml": ct}
    )


def _zip_bomb() -> bytes:
    return _xlsx_with({"xl/media/padding.xml": b"<a>" + b"0" * (60 * 1024 * 1024) + b"</a>"})


def _laughs() -> bytes:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>'
    )
    return _xlsx_with({"xl/sharedStrings2.xml": bomb})


def _corrupt_xlsx() -> bytes:
    return _xlsx_with({}, {"xl/workbook.xml": b"<workbook>this is not a workbook"})


def _formula_xlsx() -> bytes:
    rows = _edit("WP1_PROJECTS", 6, "=1+2")
    return to_xlsx(rows)


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _bad_encoding() -> bytes:
    return _csv(_rows()).replace(b"Bolognina", b"Bologn\x81na", 1)[3:]


def _dup_col() -> bytes:
    rows = [r + [r[6]] for r in _rows()]
    return _csv(rows, header=(*COLUMNS, "value"))


def _missing_col() -> bytes:
    rows = [r[:6] + r[7:] for r in _rows()]
    return _csv(rows, header=tuple(c for c in COLUMNS if c != "value"))


def _dup_row() -> Rows:
    rows = _rows()
    return rows + [list(rows[0])]


# (file, rule, viewer, defect, builder)
CASES: list[tuple[str, str, str, str, Callable[[], bytes]]] = [
    ("empty.csv", "FILE_EMPTY", "admin", "zero bytes", lambda: b""),
    ("report.pdf.csv", "FILE_TYPE", "admin", "a PDF with a .csv name", lambda: b"%PDF-1.4\n%...\n"),
    (
        "old_excel.xlsx",
        "FILE_TYPE",
        "admin",
        "an OLE2 .xls renamed .xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    ),
    (
        "image.csv",
        "FILE_TYPE",
        "admin",
        "a PNG renamed .csv",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    ),
    (
        "page.xlsx",
        "FILE_TYPE",
        "admin",
        "an HTML table saved as .xlsx",
        lambda: b"<html><body><table><tr><td>037006</td></tr></table></body></html>",
    ),
    ("letter.xlsx", "FILE_TYPE", "admin", "a Word document renamed .xlsx", _docx),
    (
        "macros.xlsx",
        "XLSX_MACROS",
        "admin",
        "an XLSM with vbaProject.bin renamed .xlsx",
        _macro_xlsx,
    ),
    ("zipbomb.xlsx", "XLSX_ZIP_BOMB", "admin", "declares 60 MB uncompressed", _zip_bomb),
    ("laughs.xlsx", "XLSX_UNSAFE_XML", "admin", "XML entity expansion (billion laughs)", _laughs),
    ("broken.xlsx", "XLSX_CORRUPT", "admin", "workbook.xml is not XML", _corrupt_xlsx),
    ("formula.xlsx", "XLSX_FORMULA", "admin", "a formula with no cached value", _formula_xlsx),
    (
        "encoding.csv",
        "ENCODING",
        "admin",
        "byte 0x81, neither UTF-8 nor Windows-1252",
        _bad_encoding,
    ),
    ("header_only.csv", "NO_ROWS", "admin", "the header and no rows", lambda: _csv([])),
    ("no_value_col.csv", "COL_MISSING", "admin", "the value column is missing", _missing_col),
    ("dup_col.csv", "COL_DUPLICATE", "admin", "the value column twice", _dup_col),
    (
        "steering.csv",
        "ROLE_NOT_ALLOWED",
        "steering",
        "a steering user uploads",
        lambda: _csv(_rows()),
    ),
    (
        "city_unknown.csv",
        "CITY_UNKNOWN",
        "admin",
        "city 999999 in every row",
        lambda: _csv([["999999", *r[1:]] for r in _rows()]),
    ),
    (
        "city_mixed.csv",
        "CITY_MIXED",
        "admin",
        "one row for another city",
        lambda: _csv(_edit("WP1_EVENTS", 0, OTHER_CITY)),
    ),
    (
        "not_yours.csv",
        "CITY_NOT_YOURS",
        f"city:{OTHER_CITY}",
        "Roma's manager uploads Bologna",
        lambda: _csv(_rows()),
    ),
    (
        "period_format.csv",
        "PERIOD_FORMAT",
        "admin",
        "'maggio 2023' in one row",
        lambda: _csv(_edit("WP1_EVENTS", 1, "maggio 2023")),
    ),
    (
        "period_outside.csv",
        "PERIOD_OUTSIDE",
        "admin",
        "2022-05, before the programme",
        lambda: _csv([[r[0], "2022-05", *r[2:]] for r in _rows()]),
    ),
    (
        "period_future.csv",
        "PERIOD_FUTURE",
        "admin",
        "2099-01",
        lambda: _csv([[r[0], "2099-01", *r[2:]] for r in _rows()]),
    ),
    (
        "period_mixed.csv",
        "PERIOD_MIXED",
        "admin",
        "one row for June",
        lambda: _csv(_edit("WP1_EVENTS", 1, "2023-06")),
    ),
    (
        "indicator_unknown.csv",
        "INDICATOR_UNKNOWN",
        "admin",
        "indicator WP9_FOO",
        lambda: _csv(_edit("WP1_EVENTS", 2, "WP9_FOO")),
    ),
    (
        "periphery_unknown.csv",
        "PERIPHERY_UNKNOWN",
        "admin",
        "periphery 'Atlantide'",
        lambda: _csv(_edit("WP2_HUB_ACTIVITIES", 5, "Atlantide")),
    ),
    (
        "periphery_not_allowed.csv",
        "PERIPHERY_NOT_ALLOWED",
        "admin",
        "a periphery on a city-level indicator",
        lambda: _csv(_edit("WP1_PROJECTS", 5, "Pilastro")),
    ),
    (
        "periphery_missing.csv",
        "PERIPHERY_MISSING",
        "admin",
        "a hub row without its periphery",
        lambda: _csv(_edit("WP2_HUB_ACTIVITIES", 5, "")),
    ),
    (
        "not_number.csv",
        "VALUE_NOT_NUMBER",
        "admin",
        "'n.d.' as a value",
        lambda: _csv(_edit("WP1_EVENTS", 6, "n.d.")),
    ),
    (
        "dot_decimal_it.csv",
        "VALUE_NOT_NUMBER",
        "admin",
        "'80.6' in an Italian CSV (ambiguous)",
        lambda: _csv(_edit("WP3_OCCUPANCY", 6, "80.6")),
    ),
    (
        "not_whole.csv",
        "VALUE_NOT_WHOLE",
        "admin",
        "3,5 projects",
        lambda: _csv(_edit("WP1_PROJECTS", 6, 3.5)),
    ),
    (
        "negative.csv",
        "VALUE_NEGATIVE",
        "admin",
        "-2 events",
        lambda: _csv(_edit("WP1_EVENTS", 6, -2)),
    ),
    (
        "ratio_range.xlsx",
        "VALUE_RANGE",
        "admin",
        "occupancy 140%",
        lambda: to_xlsx(_edit("WP3_OCCUPANCY", 6, 140.0)),
    ),
    ("dup_row.csv", "ROW_DUPLICATE", "admin", "the first row twice", lambda: _csv(_dup_row())),
    (
        "autonomy.csv",
        "CONS_AUTONOMY_EXITS",
        "admin",
        "9 exits to autonomy, 5 exits",
        lambda: _csv(_edit("WP3_EXITS_AUTONOMY", 6, 9)),
    ),
    (
        "bed_nights.csv",
        "CONS_BED_NIGHTS",
        "admin",
        "700 bed nights, 620 available",
        lambda: _csv(_drop("WP3_OCCUPANCY", _edit("WP3_BED_NIGHTS", 6, 700))),
    ),
    (
        "place_nights.csv",
        "CONS_PLACE_NIGHTS",
        "admin",
        "620 place nights with 10 places in May",
        lambda: _csv(_edit("WP3_PLACES", 6, 10)),
    ),
    (
        "ratio_mismatch.xlsx",
        "CONS_RATIO",
        "admin",
        "average stay 50 for 600 days / 5 exits",
        lambda: to_xlsx(_edit("WP3_AVG_STAY", 6, 50.0)),
    ),
]


def main(out: Path = HERE) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "MANIFEST.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "rule", "viewer", "defect"])
        for name, rule, viewer, defect, build in CASES:
            (out / name).write_bytes(build())
            w.writerow([name, rule, viewer, defect])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
