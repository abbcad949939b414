"""Loading valid reports: every dialect, idempotence, versions, locking, audit, concurrency."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import Engine, select

from data_access.catalogue import INDICATORS
from data_access.ingest import (
    ImportConflict,
    NotAllowed,
    PeriodLocked,
    approve,
    commit_import,
    import_report,
    prepare_import,
    unlock,
)
from data_access.ingest.history import load_submission_history
from data_access.schema import AuditLog, Observation, Periphery, Submission
from data_access.viewer import Viewer

from .factories import (
    CITY,
    PERIOD,
    db_checksum,
    make_file,
    peripheries_of,
    report_rows,
    to_xlsx,
)

ADMIN = Viewer("admin")
BOLOGNA = Viewer("city", CITY)


def _stored(engine: Engine, period: str = PERIOD) -> dict[tuple[str, str | None], float]:
    stmt = (
        select(Observation.indicator_code, Periphery.name, Observation.value)
        .join(Periphery, Periphery.id == Observation.periphery_id, isouter=True)
        .where(Observation.city_code == CITY, Observation.period == period)
    )
    with engine.connect() as conn:
        return {(c, p): v for c, p, v in conn.execute(stmt)}


def _submissions(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    Submission.id,
                    Submission.version,
                    Submission.status,
                    Submission.supersedes,
                    Submission.sha256,
                )
                .where(Submission.city_code == CITY)
                .order_by(Submission.id)
            )
        ]


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(AuditLog.action).order_by(AuditLog.id)))


@pytest.mark.parametrize("fmt", ["xlsx", "it-utf8", "it-cp1252", "comma"])
def test_valid_file_in_every_dialect_loads_right_numbers(clean_engine: Engine, fmt: str) -> None:
    names = peripheries_of(clean_engine, CITY)
    data = make_file(report_rows(names), fmt)
    result = import_report(clean_engine, data, f"report.{fmt}", BOLOGNA, "clerk@bologna")
    assert result.status == "loaded", result.report.to_records("en")
    assert result.report.warnings == []
    stored = _stored(clean_engine)
    assert stored[("WP1_ATTENDEES", None)] == 1234.0  # "1.234" in the Italian dialects
    assert stored[("WP3_OCCUPANCY", None)] == pytest.approx(80.6)  # "80,6"
    assert [stored[("WP2_HUB_PARTICIPANTS", n)] for n in names] == [
        30 + k for k in range(len(names))
    ]
    by_periphery = sum(i.by_periphery for i in INDICATORS)
    assert (
        len(stored)
        == len(result.report.values)
        == len(INDICATORS) + by_periphery * (len(names) - 1)
    )
    with clean_engine.connect() as conn:
        sub = conn.execute(
            select(
                Submission.version, Submission.status, Submission.content, Submission.uploader
            ).where(Submission.id == result.submission_id)
        ).one()
        owners = set(
            conn.scalars(select(Observation.submission_id).where(Observation.city_code == CITY))
        )
    assert tuple(sub) == (1, "validated", data, "clerk@bologna")
    assert owners == {result.submission_id}
    assert _actions(clean_engine) == ["upload"]


def test_spreadsheet_quirks_are_read(clean_engine: Engine) -> None:
    """Excel drops leading zeros of codes and turns 2023-05 into a date; both are understood."""
    rows = report_rows(peripheries_of(clean_engine, CITY))
    for r in rows:
        r[0], r[1] = int(CITY), datetime(2023, 5, 1)
    result = import_report(clean_engine, to_xlsx(rows), "quirks.xlsx", BOLOGNA, "clerk")
    assert result.status == "loaded", result.report.to_records("en")
    assert (result.report.city_code, result.report.period) == (CITY, PERIOD)


def test_same_file_twice_is_stored_once(clean_engine: Engine) -> None:
    data = make_file(report_rows(peripheries_of(clean_engine, CITY)), "xlsx")
    first = import_report(clean_engine, data, "a.xlsx", BOLOGNA, "clerk")
    before = db_checksum(clean_engine)
    again = import_report(clean_engine, data, "a-copy.xlsx", BOLOGNA, "clerk")
    assert (first.status, again.status) == ("loaded", "unchanged")
    assert again.submission_id == first.submission_id
    assert "nessuna modifica" in again.message("it") and "nothing changed" in again.message("en")
    assert db_checksum(clean_engine) == before
    assert len(_submissions(clean_engine)) == 1


def test_correction_creates_version_2_and_keeps_history(clean_engine: Engine) -> None:
    names = peripheries_of(clean_engine, CITY)
    v1 = import_report(
        clean_engine, make_file(report_rows(names), "it-utf8"), "v1.csv", BOLOGNA, "a"
    )
    fixed = make_file(report_rows(names, values={"WP1_PROJECTS": 5}), "comma")
    v2 = import_report(clean_engine, fixed, "v2.csv", BOLOGNA, "b")
    assert (v2.status, v2.version, v2.supersedes) == ("loaded", 2, v1.submission_id)
    subs = _submissions(clean_engine)
    assert [(s[1], s[3]) for s in subs] == [(1, None), (2, v1.submission_id)]
    assert _stored(clean_engine)[("WP1_PROJECTS", None)] == 5.0
    with clean_engine.connect() as conn:
        owners = set(
            conn.scalars(select(Observation.submission_id).where(Observation.city_code == CITY))
        )
        old_content = conn.scalar(
            select(Submission.content).where(Submission.id == v1.submission_id)
        )
    assert owners == {v2.submission_id}
    assert old_content is not None and b"WP1_PROJECTS" in old_content
    hist = load_submission_history(clean_engine, BOLOGNA, CITY)
    assert list(hist["version"]) == [2, 1] and list(hist["current"]) == [True, False]


def test_approved_period_refuses_changes_until_unlocked(clean_engine: Engine) -> None:
    names = peripheries_of(clean_engine, CITY)
    import_report(clean_engine, make_file(report_rows(names), "xlsx"), "v1.xlsx", BOLOGNA, "clerk")
    with pytest.raises(NotAllowed):
        approve(clean_engine, CITY, PERIOD, BOLOGNA, "clerk")
    approve(clean_engine, CITY, PERIOD, ADMIN, "boss")
    before = db_checksum(clean_engine)
    fix = make_file(report_rows(names, values={"WP1_EVENTS": 9}), "xlsx")
    with pytest.raises(PeriodLocked) as err:
        import_report(clean_engine, fix, "v2.xlsx", BOLOGNA, "clerk")
    assert "approvato" in err.value.message("it")
    assert db_checksum(clean_engine) == before
    unlock(clean_engine, CITY, PERIOD, ADMIN, "boss", "typo in WP1_EVENTS")
    assert import_report(clean_engine, fix, "v2.xlsx", BOLOGNA, "clerk").version == 2
    assert _actions(clean_engine) == ["upload", "approval", "unlock", "upload"]
    with clean_engine.connect() as conn:
        actors = list(conn.execute(select(AuditLog.actor, AuditLog.sha256).order_by(AuditLog.id)))
    assert [a for a, _ in actors] == ["clerk", "boss", "boss", "clerk"]
    assert all(len(sha) == 64 for _, sha in actors)


def test_prepared_imports_racing_end_with_one_version(clean_engine: Engine) -> None:
    """Both files are checked against "no version yet"; both commit at once: one wins, the
    other gets a conflict and nothing of it is stored."""
    names = peripheries_of(clean_engine, CITY)
    files = [make_file(report_rows(names, values={"WP1_PROJECTS": k}), "comma") for k in (1, 2)]
    prepared = [prepare_import(clean_engine, f, f"f{k}.csv", BOLOGNA) for k, f in enumerate(files)]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(k: int) -> None:
        barrier.wait()
        try:
            outcomes[k] = commit_import(clean_engine, prepared[k], f"user{k}")
        except ImportConflict as exc:
            outcomes[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [o for o in outcomes if isinstance(o, ImportConflict)]
    loaded = [o for o in outcomes if not isinstance(o, ImportConflict)]
    assert len(conflicts) == 1 and len(loaded) == 1, outcomes
    assert "Conflitto" in conflicts[0].message("it") and "Conflict" in conflicts[0].message("en")
    subs = _submissions(clean_engine)
    assert len(subs) == 1 and subs[0][1] == 1
    winner = loaded[0].report.values  # type: ignore[attr-defined]
    assert (
        _stored(clean_engine)[("WP1_PROJECTS", None)]
        == dict(((c, p), v) for c, p, v in winner)[("WP1_PROJECTS", None)]
    )


def test_simultaneous_full_imports_stay_consistent(clean_engine: Engine) -> None:
    """Four threads import different files at once: every success is its own version, the rest
    are conflicts, and the stored values are exactly the latest version's."""
    names = peripheries_of(clean_engine, CITY)
    barrier = threading.Barrier(4)
    results: list[object] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        data = make_file(report_rows(names, values={"WP1_PROJECTS": 10 + k}), "it-utf8")
        barrier.wait()
        try:
            out: object = import_report(clean_engine, data, f"t{k}.csv", BOLOGNA, f"u{k}")
        except ImportConflict as exc:
            out = exc
        with lock:
            results.append(out)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if not isinstance(r, ImportConflict)]
    assert ok and all(r.status == "loaded" for r in ok)  # type: ignore[attr-defined]
    subs = _submissions(clean_engine)
    assert sorted(s[1] for s in subs) == list(range(1, len(ok) + 1))
    latest = max(subs, key=lambda s: s[1])
    with clean_engine.connect() as conn:
        owners = set(
            conn.scalars(select(Observation.submission_id).where(Observation.city_code == CITY))
        )
    assert owners == {latest[0]}


def test_outlier_is_a_warning_and_the_file_loads(clean_engine: Engine) -> None:
    names = peripheries_of(clean_engine, CITY)
    for k, month in enumerate(("2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04")):
        rows = report_rows(
            names, period=month, values={"WP2_OUTINGS": 15 + k % 3, "WP3_PLACES": 25}
        )
        assert import_report(
            clean_engine, make_file(rows, "comma"), f"{month}.csv", BOLOGNA, "c"
        ).ok
    result = import_report(
        clean_engine,
        make_file(report_rows(names, values={"WP2_OUTINGS": 400}), "comma"),
        "may.csv",
        BOLOGNA,
        "c",
    )
    assert result.status == "loaded"
    assert result.report.rule_ids("warning") == {"OUTLIER"}
    outlier = result.report.warnings[0]
    assert outlier.row is not None and "400" in outlier.message_it


def test_formula_with_cached_value_is_read_as_its_value(clean_engine: Engine) -> None:
    """Excel saves a formula's last result next to it; that value is what gets loaded."""
    import io
    import zipfile

    rows = report_rows(peripheries_of(clean_engine, CITY))
    line = next(i for i, r in enumerate(rows, start=2) if r[2] == "WP1_PROJECTS")
    rows[line - 2][6] = "=1+2"
    src = zipfile.ZipFile(io.BytesIO(to_xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes the empty cached value as <v />, or <v></v> when lxml is
                # installed (sdmx1 brings it), or leaves it out.
                for empty in (b"<f>1+2</f><v /></c>", b"<f>1+2</f><v></v></c>", b"<f>1+2</f></c>"):
                    data = data.replace(empty, b"<f>1+2</f><v>3</v></c>")
                assert b"<f>1+2</f><v>3</v>" in data
            zf.writestr(info, data)
    result = import_report(clean_engine, out.getvalue(), "cached.xlsx", BOLOGNA, "clerk")
    assert result.status == "loaded", result.report.to_records("en")
    assert _stored(clean_engine)[("WP1_PROJECTS", None)] == 3.0


def test_two_processes_importing_the_same_city_month(clean_engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two real ``lgnet2 import`` processes at once: each ends loaded or with a one-line conflict,
    versions stay contiguous and the stored values are exactly the latest version's."""
    import subprocess
    import sys
    from pathlib import Path

    names = peripheries_of(clean_engine, CITY)
    files = []
    for k in (0, 1):
        f = tmp_path / f"p{k}.csv"
        f.write_bytes(make_file(report_rows(names, values={"WP1_PROJECTS": 30 + k}), "it-utf8"))
        files.append(f)
    url = clean_engine.url.render_as_string(hide_password=False)
    exe = str(Path(sys.executable).with_name("lgnet2"))
    procs = [
        subprocess.Popen(
            [exe, "import", str(f), "--db", url, "--as", f"city:{CITY}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outs = [(p.wait(timeout=120), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(code in (0, 2) for code, _ in outs), outs
    assert all("Traceback" not in err for _, err in outs)
    failed = [err for code, err in outs if code == 2]
    assert all("Conflitto" in err for err in failed), failed
    subs = _submissions(clean_engine)
    assert sorted(s[1] for s in subs) == list(range(1, 1 + sum(code == 0 for code, _ in outs)))
    latest = max(subs, key=lambda s: s[1])
    with clean_engine.connect() as conn:
        owners = set(
            conn.scalars(select(Observation.submission_id).where(Observation.city_code == CITY))
        )
    assert owners == {latest[0]}
