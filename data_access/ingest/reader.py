"""Safe reading of what cities send: XLSX (no macros), Italian-Excel CSV, plain comma CSV.

The format is decided by the content, never by the file name alone. Caps on size and rows are
checked before parsing; an XLSX zip is checked for its declared uncompressed size, for macros
and for DTD/entity declarations before openpyxl opens it (openpyxl itself parses with defusedxml
when it is installed, as it is here).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import ElementTree as SafeET

from data_access.ingest.rules import Issue, make_issue

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200

Cell = str | float | int | datetime | date | None

_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_CT = "application/vnd.ms-excel.sheet.macroenabled.main+xml"


class ReadFailure(Exception):
    """The file cannot be read at all; ``issue`` says why (a file-level rule)."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message_en)
        self.issue = issue


@dataclass
class RawTable:
    """The header and the data rows as read. ``rows`` holds ``(line_number, cells)``, line 1
    being the header. ``decimal`` is the decimal mark text cells are expected to use."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    dialect: str = ""
    decimal: str = "."
    issues: list[Issue] = field(default_factory=list)


def sniff_format(data: bytes) -> str:
    """``xlsx`` | ``csv`` | a short name of what else it is (``xls``, ``pdf``, ``zip``...)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx" if _looks_like_ooxml(data) else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    for magic, name in (
        (b"%PDF", "pdf"),
        (b"\x89PNG", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF8", "gif"),
        (b"\x1f\x8b", "gzip"),
        (b"7z\xbc\xaf", "7z"),
        (b"Rar!", "rar"),
        (b"{\\rtf", "rtf"),
        (b"\x7fELF", "elf"),
        (b"MZ", "exe"),
    ):
        if head.startswith(magic):
            return name
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary"
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<?xml", b"<html", b"<!doctype", b"<table")):
        return "xml/html"
    return "csv"


def _looks_like_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def read_table(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> RawTable:
    """Read a report file into a RawTable.

    Raises:
        ReadFailure: empty, too large, not CSV/XLSX, macros, zip bomb, unsafe XML, damaged,
            undecodable text or too many rows (the issue names the rule).
    """
    if not data:
        raise ReadFailure(make_issue("FILE_EMPTY"))
    if len(data) > max_bytes:
        raise ReadFailure(make_issue("FILE_TOO_LARGE", limit=max_bytes))
    kind = sniff_format(data)
    if kind == "xlsx":
        table = _read_xlsx(data)
    elif kind == "csv":
        table = _read_csv(data)
    else:
        raise ReadFailure(make_issue("FILE_TYPE", detected=kind))
    if len(table.rows) > max_rows:
        raise ReadFailure(make_issue("TOO_MANY_ROWS", limit=max_rows))
    return table


# --- XLSX ------------------------------------------------------------------------------------
def check_xlsx_container(data: bytes, max_uncompressed: int = MAX_UNCOMPRESSED) -> None:
    """Check an OOXML zip before any XML in it is parsed.

    Raises:
        ReadFailure: XLSX_ZIP_BOMB, XLSX_MACROS, XLSX_UNSAFE_XML or XLSX_CORRUPT.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            declared = sum(i.file_size for i in infos)
            if declared > max_uncompressed or len(infos) > MAX_ZIP_ENTRIES:
                raise ReadFailure(
                    make_issue("XLSX_ZIP_BOMB", size=declared, limit=max_uncompressed)
                )
            names = [i.filename.lower() for i in infos]
            if any(
                n.endswith("vbaproject.bin") or n.endswith(".bin") and "vba" in n for n in names
            ):
                raise ReadFailure(make_issue("XLSX_MACROS"))
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                # Read through a bounded stream: the declared size could lie.
                with zf.open(info) as fh:
                    part = fh.read(info.file_size + 1)
                if len(part) > info.file_size:
                    raise ReadFailure(
                        make_issue(
                            "XLSX_ZIP_BOMB", size=">" + str(info.file_size), limit=max_uncompressed
                        )
                    )
                low = part[:4096].lower()
                if b"<!doctype" in low or b"<!entity" in part.lower():
                    raise ReadFailure(make_issue("XLSX_UNSAFE_XML"))
                if info.filename == "[Content_Types].xml":
                    _check_content_types(part)
    except ReadFailure:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ReadFailure(make_issue("XLSX_CORRUPT", detail=type(exc).__name__)) from exc


def _check_content_types(xml: bytes) -> None:
    try:
        root = SafeET.fromstring(xml)
    except Exception as exc:  # defusedxml raises several types, all mean "unsafe or broken"
        raise ReadFailure(make_issue("XLSX_UNSAFE_XML")) from exc
    types = {el.attrib.get("ContentType", "").lower() for el in root}
    if _MACRO_CT in types or any("macroenabled" in t or "vbaproject" in t for t in types):
        raise ReadFailure(make_issue("XLSX_MACROS"))
    if _SHEET_CT not in types:
        raise ReadFailure(make_issue("FILE_TYPE", detected="ooxml (non xlsx)"))


def _read_xlsx(data: bytes) -> RawTable:
    check_xlsx_container(data)
    import openpyxl  # imported here: no work at import time, and CSV users never pay for it

    try:
        wb_values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        wb_formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise ReadFailure(make_issue("XLSX_CORRUPT", detail=type(exc).__name__)) from exc
    try:
        ws_v = wb_values.worksheets[0]
        ws_f = wb_formulas.worksheets[0]
        issues: list[Issue] = []
        rows: list[tuple[int, list[Cell]]] = []
        header: list[str] | None = None
        for line, (vals, forms) in enumerate(
            zip(ws_v.iter_rows(values_only=True), ws_f.iter_rows(values_only=True), strict=False),
            start=1,
        ):
            cells = list(vals)
            for j, (v, f) in enumerate(zip(cells, forms, strict=False)):
                # A formula keeps its cached value (data_only); without one there is no number.
                if isinstance(f, str) and f.startswith("=") and v is None:
                    col = header[j] if header and j < len(header) else None
                    issues.append(make_issue("XLSX_FORMULA", line, col, formula=f[:40]))
            if header is None:
                header = [str(c).strip() if c is not None else "" for c in cells]
                continue
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                break
    except ReadFailure:
        raise
    except Exception as exc:
        raise ReadFailure(make_issue("XLSX_CORRUPT", detail=type(exc).__name__)) from exc
    finally:
        wb_values.close()
        wb_formulas.close()
    if header is None:
        raise ReadFailure(make_issue("NO_ROWS"))
    return RawTable(_trim_header(header), rows, "xlsx", "auto", issues)


def _trim_header(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header


# --- CSV -------------------------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else Windows-1252. Returns (text, encoding).

    Raises:
        ReadFailure: ENCODING when neither fits (e.g. UTF-16 or control bytes).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReadFailure(make_issue("ENCODING")) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadFailure(make_issue("ENCODING")) from exc
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise ReadFailure(make_issue("ENCODING"))
    return text, "cp1252"


def _read_csv(data: bytes) -> RawTable:
    text, encoding = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for line, cells in enumerate(reader, start=1):
            if header is None:
                header = _trim_header([c.strip() for c in cells])
                continue
            if not any(c.strip() for c in cells):
                continue
            rows.append((line, list(cells)))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise ReadFailure(make_issue("ENCODING")) from exc
    if header is None:
        raise ReadFailure(make_issue("NO_ROWS"))
    decimal = "," if delimiter == ";" else "."
    name = {";": "csv-it", ",": "csv", "\t": "tsv"}[delimiter]
    return RawTable(header, rows, f"{name} ({encoding})", decimal)
