"""Reporting completeness and timeliness (metrics_completeness)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access.catalogue import programme_periods
from data_access.errors import InvalidInput
from data_access.metrics.completeness import (
    compute_completeness,
    compute_reporting,
    report_deadline,
    reporting_as_of,
)


def make_submissions(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, period, submitted_at, status)``."""
    return pd.DataFrame(rows, columns=["city_code", "period", "submitted_at", "status"])


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.mark.parametrize(
    "period, deadline",
    [
        ("2022-10", dt.date(2022, 11, 15)),
        ("2023-12", dt.date(2024, 1, 15)),
        ("2024-03", dt.date(2024, 4, 15)),
    ],
)
def test_report_deadline(period, deadline):
    assert report_deadline(period) == deadline


REPORTING_CASES = [
    (
        "on the 15th, late evening, is on time",
        [("A", "2022-10", at("2022-11-15T23:59"), "approved")],
        None,
        "on_time",
    ),
    ("on the 16th is late", [("A", "2022-10", at("2022-11-16T00:00"), "approved")], None, "late"),
    ("early is on time", [("A", "2022-10", at("2022-10-31T10:00"), "received")], None, "on_time"),
    ("nothing sent: missing", [], None, "missing"),
    (
        "a rejected file does not count",
        [("A", "2022-10", at("2022-11-02T09:00"), "rejected")],
        None,
        "missing",
    ),
    (
        "rejected first, accepted after the deadline: late",
        [
            ("A", "2022-10", at("2022-11-02T09:00"), "rejected"),
            ("A", "2022-10", at("2022-11-20T09:00"), "validated"),
        ],
        None,
        "late",
    ),
    (
        "a later version does not make it late",
        [
            ("A", "2022-10", at("2022-11-10T09:00"), "locked"),
            ("A", "2022-10", at("2022-12-20T09:00"), "received"),
        ],
        None,
        "on_time",
    ),
    ("deadline still ahead: pending", [], at("2022-11-15T12:00"), "pending"),
    ("the day before the deadline: pending", [], dt.date(2022, 11, 14), "pending"),
    (
        "a date as_of means the end of that day: the deadline day is over",
        [],
        dt.date(2022, 11, 15),
        "missing",
    ),
    (
        "sent before as_of, deadline ahead: on time",
        [("A", "2022-10", at("2022-11-03T09:00"), "received")],
        "2022-11-05",
        "on_time",
    ),
    (
        "sent after as_of is not seen yet",
        [("A", "2022-10", at("2022-11-20T09:00"), "received")],
        "2022-11-18",
        "missing",
    ),
    (
        "time-zone-aware times are read in Italian time (00:30 on the 16th)",
        [("A", "2022-10", pd.Timestamp("2022-11-15T23:30", tz="UTC"), "approved")],
        None,
        "late",
    ),
    (
        "another city's report does not count",
        [("B", "2022-10", at("2022-11-01T09:00"), "approved")],
        None,
        "missing",
    ),
]


@pytest.mark.parametrize(
    "rows, as_of, status", [c[1:] for c in REPORTING_CASES], ids=[c[0] for c in REPORTING_CASES]
)
def test_compute_reporting(rows, as_of, status):
    got = compute_reporting(make_submissions(*rows), ["A"], ["2022-10"], as_of=as_of)
    assert list(got["status"]) == [status]


def test_reporting_grid_covers_every_city_and_programme_month():
    got = compute_reporting(make_submissions(), ["B", "A"])
    assert len(got) == 2 * 18
    assert list(got["period"][:18]) == programme_periods()
    assert list(got["city_code"].unique()) == ["A", "B"]


def test_reporting_rejects_missing_columns():
    with pytest.raises(InvalidInput):
        compute_reporting(pd.DataFrame({"city_code": ["A"]}), ["A"])


def test_compute_completeness_per_city_and_month():
    subs = make_submissions(
        ("A", "2022-10", at("2022-11-10T09:00"), "approved"),
        ("A", "2022-11", at("2022-12-20T09:00"), "approved"),
        ("B", "2022-10", at("2022-11-16T09:00"), "approved"),
    )
    rep = compute_reporting(
        subs, ["A", "B", "C"], ["2022-10", "2022-11", "2022-12"], as_of="2023-01-10"
    )
    by_city = compute_completeness(rep).set_index("city_code")
    assert by_city.loc["A"].to_dict() == pytest.approx(
        {
            "n_due": 2,
            "n_on_time": 1,
            "n_late": 1,
            "n_missing": 0,
            "n_pending": 1,
            "n_received": 2,
            "n_approved": 2,
            "completeness": 1.0,
            "timeliness": 0.5,
        }
    )
    assert by_city.loc["C", "completeness"] == 0.0
    by_month = compute_completeness(rep, by="period").set_index("period")
    assert by_month.loc["2022-10", "completeness"] == pytest.approx(2 / 3)
    assert by_month.loc["2022-10", "timeliness"] == pytest.approx(1 / 3)
    assert by_month.loc["2022-12", "n_due"] == 0
    assert pd.isna(by_month.loc["2022-12", "completeness"])


def test_reporting_counts_versions_and_keeps_the_latest_approval_status():
    subs = pd.DataFrame(
        [
            ("A", "2022-10", at("2022-11-20T09:00"), "approved", 2),
            ("A", "2022-10", at("2022-11-10T09:00"), "validated", 1),
            ("A", "2022-11", at("2022-12-01T09:00"), "rejected", 1),
        ],
        columns=["city_code", "period", "submitted_at", "status", "version"],
    )
    rep = compute_reporting(subs, ["A"], ["2022-10", "2022-11"], as_of="2023-01-10")
    assert list(rep["status"]) == ["on_time", "missing"]  # the first version dates the report
    assert list(rep["versions"]) == [2, 0]
    assert list(rep["approval"]) == ["approved", ""]
    assert compute_completeness(rep)["n_approved"].tolist() == [1]


@pytest.mark.parametrize(
    ("cutoff", "rows", "as_of"),
    [
        ("2024-04-20", [("A", "2024-03", at("2024-04-02T09:00"), "validated")], "2024-04-20"),
        ("2024-04-20", [("A", "2024-03", at("2026-11-30T09:00"), "validated")], "2026-11-30"),
        ("2024-04-20", [("A", "2024-03", at("2026-11-30T09:00"), "rejected")], "2024-04-20"),
        ("2024-04-20", [], "2024-04-20"),
        (None, [("A", "2024-03", at("2024-04-02T09:00"), "validated")], "2026-12-01"),
    ],
)
def test_reporting_is_judged_at_the_data_cutoff(cutoff, rows, as_of):
    assert reporting_as_of(cutoff, make_submissions(*rows), dt.date(2026, 12, 1)) == as_of
