"""``lgnet2 template`` / ``lgnet2 import`` / ``approve`` / ``unlock`` and the template files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select, update

from dashboard.cli import main
from data_access.catalogue import INDICATORS
from data_access.errors import InvalidInput, UnknownCode
from data_access.ingest import build_template, import_report
from data_access.ingest.validate import COLUMNS
from data_access.schema import AuditLog, Submission
from data_access.viewer import Viewer

from .factories import (
    BASE_VALUES,
    CITY,
    PERIOD,
    db_checksum,
    make_file,
    peripheries_of,
    report_rows,
)

CORPUS = Path(__file__).resolve().parent / "corpus"


def _expected_rows(n_peripheries: int) -> int:
    return sum(n_peripheries if i.by_periphery else 1 for i in INDICATORS)


def test_csv_template_has_contract_columns_and_rows(clean_engine: Engine) -> None:
    names = peripheries_of(clean_engine, CITY)
    data = build_template(clean_engine, CITY, PERIOD, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    body = rows[1:]
    assert len(body) == _expected_rows(len(names))
    assert {r[0] for r in body} == {CITY} and {r[1] for r in body} == {PERIOD}
    assert all(r[6] == "" and r[7] == "" for r in body)
    hubs = [r[5] for r in body if r[2] == "WP2_HUB_ACTIVITIES"]
    assert hubs == names
    assert all(r[5] == "" for r in body if r[2] == "WP1_PROJECTS")


def test_xlsx_template_is_protected_validated_and_loads_once_filled(clean_engine: Engine) -> None:
    names = peripheries_of(clean_engine, CITY)
    wb = load_workbook(io.BytesIO(build_template(clean_engine, CITY, PERIOD, "xlsx")))
    ws = wb.active
    assert ws.protection.sheet
    assert tuple(c.value for c in ws[1]) == COLUMNS
    assert (
        ws["C2"].protection.locked
        and not ws["G2"].protection.locked
        and not ws["H2"].protection.locked
    )
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"whole", "decimal"}
    covered = set()
    for dv in ws.data_validations.dataValidation:
        covered |= {str(r) for r in dv.sqref.ranges}
    assert covered == {f"G{i}" for i in range(2, ws.max_row + 1)}
    # a clerk fills in the value cells and uploads the same file
    for row in ws.iter_rows(min_row=2):
        code, k = row[2].value, names.index(row[5].value) if row[5].value else 0
        row[6].value = BASE_VALUES[code] + k
    buf = io.BytesIO()
    wb.save(buf)
    result = import_report(
        clean_engine, buf.getvalue(), "filled.xlsx", Viewer("city", CITY), "clerk"
    )
    assert result.status == "loaded", result.report.to_records("en")
    assert len(result.report.values) == _expected_rows(len(names))


@pytest.mark.parametrize(
    "city,period,fmt,exc",
    [
        ("999999", PERIOD, "csv", UnknownCode),
        (CITY, "2025-01", "csv", InvalidInput),
        (CITY, "2023-13", "xlsx", InvalidInput),
        (CITY, "maggio", "xlsx", InvalidInput),
        (CITY, PERIOD, "pdf", InvalidInput),
    ],
)
def test_template_refuses_bad_input(
    clean_engine: Engine, city: str, period: str, fmt: str, exc: type
) -> None:
    with pytest.raises(exc):
        build_template(clean_engine, city, period, fmt)  # type: ignore[arg-type]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_cli_template_and_import(
    clean_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.xlsx"
    assert (
        main(
            [
                "template",
                "--city",
                CITY,
                "--period",
                PERIOD,
                "--format",
                "xlsx",
                "--out",
                str(out),
                "--db",
                _url(clean_engine),
            ]
        )
        == 0
    )
    assert out.exists() and out.read_bytes().startswith(b"PK")
    good = tmp_path / "maggio.csv"
    good.write_bytes(make_file(report_rows(peripheries_of(clean_engine, CITY)), "it-cp1252"))
    assert (
        main(
            [
                "import",
                str(good),
                "--db",
                _url(clean_engine),
                "--as",
                f"city:{CITY}",
                "--user",
                "clerk",
            ]
        )
        == 0
    )
    assert "versione 1" in capsys.readouterr().out
    assert main(["import", str(good), "--db", _url(clean_engine)]) == 0
    assert "nessuna modifica" in capsys.readouterr().out
    with clean_engine.connect() as conn:
        assert conn.scalar(select(Submission.uploader)) == "clerk"


@pytest.mark.parametrize(
    "lang,heading,word", [("it", "regola", "respinto"), ("en", "rule", "rejected")]
)
def test_cli_rejection_prints_report_table_and_exits_2(
    clean_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    heading: str,
    word: str,
) -> None:
    monkeypatch.setenv("LGNET2_LANG", lang)
    before = db_checksum(clean_engine)
    files = [str(CORPUS / "negative.csv"), str(CORPUS / "city_unknown.csv")]
    assert main(["import", *files, "--db", _url(clean_engine)]) == 2
    err = capsys.readouterr().err
    assert heading in err.splitlines()[1] and word in err
    assert "VALUE_NEGATIVE" in err and "CITY_UNKNOWN" in err
    assert db_checksum(clean_engine) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["template", "--city", "999999", "--period", PERIOD, "--out", "x.csv"],
        ["template", "--city", CITY, "--period", "2030-01", "--out", "x.csv"],
        ["import", "does-not-exist.csv"],
        ["approve", "--city", CITY, "--period", PERIOD],  # nothing to approve
        ["unlock", "--city", CITY, "--period", PERIOD],
    ],
)
def test_cli_bad_input_exits_2_without_traceback(
    clean_engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    argv = [a if a != "x.csv" else str(tmp_path / a) for a in argv]
    assert main([*argv, "--db", _url(clean_engine)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lgnet2:") and "Traceback" not in err


def test_cli_approve_then_unlock(clean_engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_file(report_rows(peripheries_of(clean_engine, CITY)), "comma")
    import_report(clean_engine, data, "m.csv", Viewer("admin"), "ops")
    url = _url(clean_engine)
    assert main(["approve", "--city", CITY, "--period", PERIOD, "--db", url, "--user", "boss"]) == 0
    assert main(["approve", "--city", CITY, "--period", PERIOD, "--db", url]) == 2
    assert main(["unlock", "--city", CITY, "--period", PERIOD, "--db", url, "--reason", "fix"]) == 0
    with clean_engine.connect() as conn:
        actions = list(conn.execute(select(AuditLog.action, AuditLog.actor).order_by(AuditLog.id)))
    assert [a for a, _ in actions] == ["upload", "approval", "unlock"]
    assert actions[1][1] == "boss"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_cli_refuses_to_approve_a_received_report_and_to_unlock_without_reason(
    clean_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    # Issue 11.2: the command line follows the page's rule, which lives in data_access.
    monkeypatch.setenv("LGNET2_LANG", lang)
    data = make_file(report_rows(peripheries_of(clean_engine, CITY)), "comma")
    import_report(clean_engine, data, "m.csv", Viewer("admin"), "ops")
    with clean_engine.begin() as conn:
        conn.execute(update(Submission).values(status="received"))
    url = _url(clean_engine)
    before = db_checksum(clean_engine)
    assert main(["approve", "--city", CITY, "--period", PERIOD, "--db", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert ("validated" if lang == "en" else "validato") in err
    assert "'received'" not in err and (lang == "en" or "received" not in err)
    assert db_checksum(clean_engine) == before

    with clean_engine.begin() as conn:
        conn.execute(update(Submission).values(status="approved"))
    before = db_checksum(clean_engine)
    for extra in ([], ["--reason", "   "]):
        assert main(["unlock", "--city", CITY, "--period", PERIOD, "--db", url, *extra]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
        assert ("reason" if lang == "en" else "motivo") in err
    assert db_checksum(clean_engine) == before
    assert main(["unlock", "--city", CITY, "--period", PERIOD, "--db", url, "--reason", "x"]) == 0


def test_cli_bulk_import(
    clean_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bulk.csv"
    path.write_text(
        "city_code,indicator,period,value\n"
        + "".join(f"{CITY},WP1_EVENTS,2023-{m:02d},{m}\n" for m in range(1, 13))
    )
    url = _url(clean_engine)
    assert main(["import", "--bulk", str(path), "--db", url]) == 0
    assert "12 righe caricate" in capsys.readouterr().out
    assert main(["import", "--bulk", str(path), "--db", url]) == 2  # cells already there
    assert main(["import", "--bulk", "--replace", str(path), "--db", url]) == 0
    assert main(["import", "--bulk", str(path), "--db", url, "--as", f"city:{CITY}"]) == 2
