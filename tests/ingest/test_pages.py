"""AppTest of the upload and data-quality pages, per role, against real SQLite databases."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.i18n import fmt_percent
from data_access.config import make_engine
from data_access.db import load_meta, upgrade
from data_access.metrics.completeness import (
    compute_completeness,
    compute_reporting,
    reporting_as_of,
)
from data_access.queries import load_cities, load_submissions
from data_access.viewer import Viewer

from .factories import (
    CITY,
    db_checksum,
    make_file,
    peripheries_of,
    report_rows,
    seed_reference,
)

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = str(ROOT / "pages" / "upload.py")
QUALITY = str(ROOT / "pages" / "data_quality.py")


@pytest.fixture
def page_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    url = f"sqlite:///{tmp_path / 'pages.sqlite'}"
    eng = make_engine(url, must_exist=False)
    upgrade(eng)
    seed_reference(eng)
    monkeypatch.setenv("LGNET2_DATABASE_URL", url)
    return eng


def _run(path: str, role: str, monkeypatch: pytest.MonkeyPatch, lang: str = "it") -> AppTest:
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", role)
    at = AppTest.from_file(path, default_timeout=60)
    if lang != "it":
        at.query_params["lang"] = lang
        at.session_state["_lg_filters"] = {"lang": lang}
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [
        e.value for e in (*at.title, *at.subheader, *at.success, *at.error, *at.info, *at.caption)
    ]
    return "\n".join(str(p) for p in parts)


def test_city_uploads_a_valid_report(page_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _run(UPLOAD, f"city:{CITY}", monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Caricamento dati"
    data = make_file(report_rows(peripheries_of(page_engine, CITY)), "xlsx")
    at.file_uploader(key="up_file").upload("maggio.xlsx", data).run()
    assert not at.exception
    assert "Nessun errore" in at.success[0].value
    assert not at.button(key="up_load").disabled
    at.button(key="up_load").click().run()
    assert not at.exception
    assert any("caricati" in s.value and "versione 1" in s.value for s in at.success)
    hist = at.dataframe[-1].value
    assert list(hist["Versione"]) == [1] and list(hist["File"]) == ["maggio.xlsx"]
    # When it arrived, in words ("12 mag 2024, 10:00"), not "2024-05-12 10:00:00".
    received = str(hist["Ricevuto il"].iloc[0])
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}", received), received


@pytest.mark.parametrize("lang,word", [("it", "errori"), ("en", "errors")])
def test_defective_report_shows_every_error_and_writes_nothing(
    page_engine: Engine, monkeypatch: pytest.MonkeyPatch, lang: str, word: str
) -> None:
    rows = report_rows(peripheries_of(page_engine, CITY), values={"WP1_EVENTS": -1})
    rows[0][6] = "n.d."
    before = db_checksum(page_engine)
    at = _run(UPLOAD, f"city:{CITY}", monkeypatch, lang)
    at.file_uploader(key="up_file").upload("bad.csv", make_file(rows, "it-utf8")).run()
    assert not at.exception
    assert word in at.error[0].value
    report = at.dataframe[0].value
    assert set(report.iloc[:, 2]) == {"VALUE_NOT_NUMBER", "VALUE_NEGATIVE"}
    assert at.button(key="up_load").disabled
    assert db_checksum(page_engine) == before


def test_the_check_does_not_still_say_checking_once_it_is_done(
    page_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The collapsed box stayed labelled "Controllo del file…" under the verdict, as if the check
    # were still running; the wait is said while it lasts, then only the verdict stays.
    rows = report_rows(peripheries_of(page_engine, CITY), values={"WP1_EVENTS": -1})
    at = _run(UPLOAD, f"city:{CITY}", monkeypatch)
    at.file_uploader(key="up_file").upload("bad.csv", make_file(rows, "it-utf8")).run()
    assert not at.exception
    assert at.error and "errori" in at.error[0].value
    labels = [s.label for s in at.status]
    assert "Controllo del file…" not in labels, labels


def test_steering_sees_history_but_cannot_upload(
    page_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(UPLOAD, "steering", monkeypatch)
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert "non caricare" in _texts(at)


@pytest.mark.parametrize("role", ["steering", "admin", f"city:{CITY}"])
def test_data_quality_page_matches_the_rates(
    demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    monkeypatch.setenv("LGNET2_DATABASE_URL", demo_sqlite_url)
    at = _run(QUALITY, role, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Qualità dei dati"
    eng = make_engine(demo_sqlite_url)
    viewer = Viewer.parse(role)
    subs = load_submissions(eng, viewer)
    cities = load_cities(eng, viewer)
    as_of = reporting_as_of(load_meta(eng).get("cutoff"), subs, date.today())
    eng.dispose()
    if viewer.role == "city":  # a city manager's page shows its own city only
        cities = cities[cities["code"] == viewer.city]
    rep = compute_reporting(subs, cities["code"], as_of=as_of)
    summary = compute_completeness(rep).merge(cities, left_on="city_code", right_on="code")
    summary = summary.sort_values("name", ignore_index=True)
    rates = at.dataframe[0].value
    assert list(rates["Città"]) == list(summary["name"])
    assert list(rates["Completezza %"]) == [
        fmt_percent(v, "it", 1) for v in (100 * summary["completeness"]).round(1) / 100
    ]
    assert list(rates["In ritardo"]) == list(summary["n_late"])
    # The percentages are text in the page's language: they are aligned right like the counts
    # beside them (left-aligned they read as labels, and the table looked ragged).
    config = json.loads(at.dataframe[0].proto.columns)
    assert all(config[c]["alignment"] == "right" for c in ("Completezza %", "Tempestività %"))
    expected = summary["n_received"].sum() / summary["n_due"].sum()
    assert at.metric[0].value == fmt_percent(expected, "it", 1)  # "97,6%"
    assert len(at.dataframe[1].value) == len(summary)
