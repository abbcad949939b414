"""Every defective file of the corpus is rejected with its rule, and nothing stored changes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data_access.ingest import import_report
from data_access.ingest.reader import MAX_BYTES, MAX_ROWS
from data_access.schema import AuditLog
from data_access.viewer import Viewer

from .factories import (
    CITY,
    PERIOD,
    db_checksum,
    make_file,
    peripheries_of,
    report_rows,
    to_csv,
)

CORPUS = Path(__file__).resolve().parent / "corpus"


def _manifest() -> list[dict[str, str]]:
    with open(CORPUS / "MANIFEST.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


MANIFEST = _manifest()


def test_corpus_is_large_enough() -> None:
    assert len(MANIFEST) >= 25
    assert all((CORPUS / m["file"]).exists() for m in MANIFEST)


@pytest.fixture(scope="module")
def loaded(shared_ref_engine: Engine) -> Engine:
    """The shared database with a valid version 1 for the corpus city-month already stored."""
    data = make_file(report_rows(peripheries_of(shared_ref_engine, CITY)), "it-utf8")
    result = import_report(shared_ref_engine, data, "v1.csv", Viewer("admin"), "fixture")
    assert result.status in ("loaded", "unchanged")
    return shared_ref_engine


def _assert_rejected(engine: Engine, data: bytes, name: str, viewer: Viewer, rule: str) -> None:
    before = db_checksum(engine)
    with engine.connect() as conn:
        audits = conn.scalar(select(func.count()).select_from(AuditLog))
    result = import_report(engine, data, name, viewer, "corpus")
    assert result.status == "rejected"
    assert result.report.rule_ids("error") == {rule}, result.report.to_records("en")
    assert all(i.message_it and i.message_en for i in result.report.issues)
    assert db_checksum(engine) == before
    with engine.connect() as conn:
        last = conn.execute(
            select(AuditLog.action, AuditLog.sha256).order_by(AuditLog.id.desc())
        ).first()
        assert conn.scalar(select(func.count()).select_from(AuditLog)) == audits + 1
    assert last == ("rejection", result.report.sha256)


@pytest.mark.parametrize("case", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_defective_file_rejected_and_db_unchanged(loaded: Engine, case: dict[str, str]) -> None:
    data = (CORPUS / case["file"]).read_bytes()
    _assert_rejected(loaded, data, case["file"], Viewer.parse(case["viewer"]), case["rule"])


def _too_large() -> bytes:
    rows = report_rows(["Bolognina", "Pilastro", "Barca"])
    rows[0][7] = "x" * (MAX_BYTES + 1)
    return to_csv(rows)


def _too_many_rows() -> bytes:
    rows = report_rows(["Bolognina", "Pilastro", "Barca"])
    filler = [[CITY, PERIOD, "WP1_EVENTS", "", "", "", "", "riga"] for _ in range(MAX_ROWS + 1)]
    return to_csv(rows + filler)


@pytest.mark.parametrize(
    "rule,build", [("FILE_TOO_LARGE", _too_large), ("TOO_MANY_ROWS", _too_many_rows)]
)
def test_caps_rejected_and_db_unchanged(loaded: Engine, rule: str, build) -> None:  # type: ignore[no-untyped-def]
    _assert_rejected(loaded, build(), f"{rule}.csv", Viewer("admin"), rule)
