"""Reporting quality, outlier flags, history permissions and the bulk observation loader."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select, update

from data_access.errors import InvalidInput
from data_access.ingest import NotAllowed, approve, import_report
from data_access.ingest.bulk import bulk_load_observations
from data_access.ingest.history import load_submission_history
from data_access.ingest.quality import load_outliers
from data_access.metrics.completeness import compute_completeness, compute_reporting
from data_access.queries import load_cities, load_submissions
from data_access.schema import Observation, Submission
from data_access.viewer import Viewer

from .factories import (
    CITY,
    OTHER_CITY,
    db_checksum,
    make_file,
    peripheries_of,
    report_rows,
)

ADMIN = Viewer("admin")


def _load(engine: Engine, period: str, submitted: datetime, **values: float) -> None:
    rows = report_rows(
        peripheries_of(engine, CITY), period=period, values={"WP3_PLACES": 25, **values}
    )
    res = import_report(engine, make_file(rows, "comma"), f"{period}.csv", ADMIN, "ops")
    assert res.status == "loaded", res.report.to_records("en")
    with engine.begin() as conn:
        conn.execute(
            update(Submission)
            .where(Submission.id == res.submission_id)
            .values(submitted_at=submitted)
        )


def test_reporting_rates_completeness_timeliness_and_approval(clean_engine: Engine) -> None:
    _load(clean_engine, "2022-10", datetime(2022, 11, 15, 18, 0))  # on time (the 15th counts)
    _load(clean_engine, "2022-11", datetime(2022, 12, 16, 9, 0))  # late
    _load(clean_engine, "2022-12", datetime(2023, 1, 10, 9, 0))
    approve(clean_engine, CITY, "2022-12", ADMIN, "boss")
    steering = Viewer("steering")
    codes = load_cities(clean_engine, steering)["code"]
    rep = compute_reporting(load_submissions(clean_engine, steering), codes, as_of="2023-02-01")
    mine = rep[rep["city_code"] == CITY].set_index("period")
    assert list(mine.loc[["2022-10", "2022-11", "2022-12", "2023-01"], "status"]) == [
        "on_time",
        "late",
        "on_time",
        "pending",  # January is due on 15 February
    ]
    assert list(mine.loc[["2022-10", "2022-12", "2023-01"], "approval"]) == [
        "validated",
        "approved",
        "",
    ]
    assert list(mine.loc[["2022-12", "2023-01"], "due"]) == [True, False]
    summary = compute_completeness(rep).set_index("city_code")
    assert summary.loc[CITY, ["n_due", "n_received", "n_on_time", "n_approved"]].tolist() == [
        3,
        3,
        2,
        1,
    ]
    assert summary.loc[CITY, "completeness"] == 1.0
    assert summary.loc[CITY, "timeliness"] == pytest.approx(2 / 3)
    assert summary.loc[OTHER_CITY, "completeness"] == 0.0


def test_city_manager_sees_only_own_city_and_public_nothing(clean_engine: Engine) -> None:
    _load(clean_engine, "2022-10", datetime(2022, 11, 1))
    assert load_submission_history(clean_engine, Viewer("city", OTHER_CITY), CITY).empty
    assert len(load_submission_history(clean_engine, Viewer("steering"), CITY)) == 1
    with pytest.raises(NotAllowed):
        load_outliers(clean_engine, Viewer())
    with pytest.raises(NotAllowed):
        load_submission_history(clean_engine, Viewer(), CITY)


def test_history_lists_rejected_uploads_too(clean_engine: Engine) -> None:
    rows = report_rows(peripheries_of(clean_engine, CITY), values={"WP1_EVENTS": -1})
    import_report(clean_engine, make_file(rows, "comma"), "bad.csv", Viewer("city", CITY), "clerk")
    hist = load_submission_history(clean_engine, Viewer("city", CITY))
    assert hist[["status", "file_name", "errors"]].values.tolist() == [["rejected", "bad.csv", 1]]


def test_outliers_flag_the_odd_month_only(clean_engine: Engine) -> None:
    for k, month in enumerate(
        ("2022-10", "2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04")
    ):
        _load(
            clean_engine, month, datetime(2023, 5, 1), WP2_OUTINGS=(15 + k % 3) if k != 5 else 300
        )
    flagged = load_outliers(clean_engine, ADMIN)
    assert flagged[["indicator", "period", "value"]].values.tolist() == [
        ["WP2_OUTINGS", "2023-03", 300.0]
    ]


def _bulk_csv(
    rows: list[str], header: str = "city_code,city,indicator,period,value,flag"
) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode())


def test_bulk_load_inserts_all_rows_in_one_go(clean_engine: Engine) -> None:
    rows = [f"{CITY},Bologna,WP1_EVENTS,2023-{m:02d},{m}," for m in range(1, 13)]
    rows += [f"{OTHER_CITY},Roma,WP1_PROJECTS,2023-01,4,"]
    assert bulk_load_observations(clean_engine, _bulk_csv(rows), "ops").rows == 13
    with clean_engine.connect() as conn:
        assert (
            conn.scalar(select(func.sum(Observation.value)).where(Observation.city_code == CITY))
            == 78
        )
    # the same cells again are refused as a whole; with replace they are swapped
    before = db_checksum(clean_engine)
    with pytest.raises(InvalidInput):
        bulk_load_observations(clean_engine, _bulk_csv(rows), "ops")
    assert db_checksum(clean_engine) == before
    again = bulk_load_observations(clean_engine, _bulk_csv(rows[:2]), "ops", replace=True)
    assert (again.rows, again.replaced_cells) == (2, 2)


def test_bulk_load_periphery_rows(clean_engine: Engine) -> None:
    name = peripheries_of(clean_engine, CITY)[0]
    data = _bulk_csv(
        [f"{CITY};WP2_HUB_ACTIVITIES;2023-01;3;{name}"],
        "city_code;indicator;period;value;periphery",
    )
    assert bulk_load_observations(clean_engine, data, "ops").rows == 1
    with clean_engine.connect() as conn:
        assert conn.scalar(select(Observation.periphery_id)) is not None


@pytest.mark.parametrize(
    "row",
    [
        "999999,X,WP1_EVENTS,2023-01,1,",
        f"{CITY},B,WP9,2023-01,1,",
        f"{CITY},B,WP1_EVENTS,2023-1,1,",
        f"{CITY},B,WP1_EVENTS,2023-01,-1,",
        f"{CITY},B,WP1_EVENTS,2023-01,uno,",
        f"{CITY},B",
    ],
)
def test_bulk_load_is_all_or_nothing(clean_engine: Engine, row: str) -> None:
    good = [f"{CITY},Bologna,WP1_EVENTS,2023-{m:02d},{m}," for m in range(2, 6)]
    before = db_checksum(clean_engine)
    with pytest.raises(InvalidInput) as err:
        bulk_load_observations(clean_engine, _bulk_csv([*good, row]), "ops")
    assert "6:" in err.value.message_en
    assert db_checksum(clean_engine) == before


def test_the_start_up_months_are_not_outliers(demo_sqlite_url: str) -> None:
    # Issue 11.12: the 192-row outlier list was mostly the programme's first months.
    from data_access.config import make_engine
    from data_access.ingest.quality import load_outliers

    eng = make_engine(demo_sqlite_url)
    out = load_outliers(eng, ADMIN)
    eng.dispose()
    assert len(out) > 0
    assert not (out["period"] <= "2022-12").any()
    assert len(out) < 150
