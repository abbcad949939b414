"""Pure helpers: numbers, periods, codes, format sniffing, outlier score, deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from data_access.ingest.parse import (
    NotANumber,
    parse_code,
    parse_number,
    parse_period,
)
from data_access.ingest.reader import sniff_format
from data_access.ingest.rules import RULES, make_issue
from data_access.ingest.validate import modified_z
from data_access.periods import days_in_month, deadline_closes


@pytest.mark.parametrize(
    "cell,decimal,expected",
    [
        ("1.234", ",", 1234.0),
        ("1.234,5", ",", 1234.5),
        ("80,6", ",", 80.6),
        ("12", ",", 12.0),
        ("1.234.567", ",", 1234567.0),
        (" 7 ", ",", 7.0),
        ("1\u00a0234", ",", 1234.0),
        ("-3", ",", -3.0),
        ("80.6", ".", 80.6),
        ("1234", ".", 1234.0),
        ("12,5", "auto", 12.5),
        ("12.5", "auto", 12.5),
        (42, ".", 42.0),
        (3.25, ",", 3.25),
        (None, ",", None),
        ("", ".", None),
        ("   ", ",", None),
    ],
)
def test_parse_number(cell: object, decimal: str, expected: float | None) -> None:
    assert parse_number(cell, decimal) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell,decimal",
    [
        ("80.6", ","),
        ("1,234", "."),
        ("n.d.", ","),
        ("12a", "."),
        ("1.23.4", ","),
        ("--1", "."),
        (True, "."),
        (float("nan"), "."),
        (float("inf"), ","),
        (datetime(2023, 5, 1), "."),
        ("1.234", "auto"),
    ],
)
def test_parse_number_refuses(cell: object, decimal: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(cell, decimal)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("2023-05", "2023-05"),
        ("2023-5", "2023-05"),
        ("2023-05-01", "2023-05"),
        ("05/2023", "2023-05"),
        ("2023/05", "2023-05"),
        ("01/05/2023", "2023-05"),
        (datetime(2023, 5, 1), "2023-05"),
        (date(2024, 3, 31), "2024-03"),
        ("2023-13", None),
        ("maggio 2023", None),
        ("", None),
        (None, None),
        (202305, None),
        ("1999-05", None),
    ],
)
def test_parse_period(cell: object, expected: str | None) -> None:
    assert parse_period(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("037006", "037006"),
        (37006, "037006"),
        (37006.0, "037006"),
        ("1272", "001272"),
        (" 058091 ", "058091"),
        ("X01001", "X01001"),
        (None, ""),
    ],
)
def test_parse_code(cell: object, expected: str) -> None:
    assert parse_code(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "head,kind",
    [
        (b"PK\x03\x04garbage", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
        (b"%PDF-1.7", "pdf"),
        (b"\x89PNG\r\n", "png"),
        (b"\x1f\x8b\x08", "gzip"),
        (b"<html><table>", "xml/html"),
        (b"\xef\xbb\xbf<?xml version", "xml/html"),
        (b"a\x00b\x00c", "binary"),
        (b"city_code;period\n", "csv"),
        (b"\xef\xbb\xbfcity_code,period\n", "csv"),
    ],
)
def test_sniff_format(head: bytes, kind: str) -> None:
    assert sniff_format(head) == kind


@pytest.mark.parametrize(
    "value,history,expected",
    [
        (10, [10, 11, 9, 10, 12, 8], 0.0),
        (30, [10, 11, 9, 10, 12, 8], 0.6745 * 20 / 1.0),
        (30, [10, 11, 9, 10, 12], None),  # too short
        (30, [10] * 8, None),  # no spread
    ],
)
def test_modified_z(value: float, history: list[float], expected: float | None) -> None:
    got = modified_z(value, history)
    assert got == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    "period,due,days",
    [
        ("2023-05", datetime(2023, 6, 16), 31),
        ("2023-12", datetime(2024, 1, 16), 31),
        ("2024-02", datetime(2024, 3, 16), 29),
        ("2023-11", datetime(2023, 12, 16), 30),
    ],
)
def test_deadline_and_days(period: str, due: datetime, days: int) -> None:
    assert deadline_closes(period) == due and days_in_month(period) == days


def test_every_rule_has_both_languages() -> None:
    for rule, (severity, it, en) in RULES.items():
        assert severity in ("error", "warning") and it and en and it != en, rule
    issue = make_issue("VALUE_RANGE", 4, "value", value="140", low="0", high="100")
    assert (
        (issue.row, issue.column) == (4, "value")
        and "140" in issue.message_it
        and "140" in issue.message_en
    )
