"""Approval page (administrators): approve a validated month, unlock it with a reason, audit log.

Each test works on its own copy of the demo SQLite file (the shared one is read-only).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

from dashboard import nav
from dashboard.i18n import translate
from data_access.config import make_engine
from data_access.viewer import Viewer

from .conftest import APP, page_path, texts


@pytest.fixture
def own_db(demo_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    src = Path(demo_sqlite_url.removeprefix("sqlite:///"))
    dst = tmp_path / "approval.sqlite"
    shutil.copy(src, dst)
    url = f"sqlite:///{dst}"
    monkeypatch.setenv("LGNET2_DATABASE_URL", url)
    monkeypatch.setenv("LGNET2_TILES_URL", "none")
    return make_engine(url)


def _open(role: str, monkeypatch: pytest.MonkeyPatch, lang: str = "it") -> AppTest:
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page_path("approval"))
    at.query_params["lang"] = lang
    return at.run()


def _validated(engine: Engine) -> tuple[str, str]:
    with engine.connect() as c:
        row = c.execute(
            text(
                "SELECT city_code, period FROM submission WHERE status = 'validated'"
                " ORDER BY city_code, period LIMIT 1"
            )
        ).one()
    return str(row[0]), str(row[1])


def _status(engine: Engine, city: str, period: str) -> str:
    with engine.connect() as c:
        return str(
            c.execute(
                text(
                    "SELECT status FROM submission WHERE city_code = :c AND period = :p"
                    " ORDER BY version DESC LIMIT 1"
                ),
                {"c": city, "p": period},
            ).scalar()
        )


def _audit(engine: Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                text("SELECT action, city_code, period, detail FROM audit_log ORDER BY id")
            )
        ]


@pytest.mark.parametrize(
    "role, listed",
    [("public", False), ("city:037006", False), ("steering", False), ("admin", True)],
)
def test_only_administrators_see_the_page(role: str, listed: bool) -> None:
    keys = {p.key for p in nav.visible_pages(Viewer.parse(role))}
    assert ("approval" in keys) is listed


@pytest.mark.parametrize("lang", ["it", "en"])
def test_page_lists_reports_by_city_and_month(
    own_db: Engine, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    at = _open("admin", monkeypatch, lang)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == translate(lang, "approval.title")
    grid = at.dataframe[0].value
    assert len(grid) == 16 and len(grid.columns) == 18
    # The demo's log holds how its months came to be approved, as the grid shows them.
    assert translate(lang, "approval.no_audit") not in texts(at)
    log = at.dataframe[-1].value
    assert translate(lang, "approval.actions.approval") in set(
        log[translate(lang, "approval.cols.action")]
    )


def test_the_demo_log_records_every_report_and_every_approval(own_db: Engine) -> None:
    with own_db.connect() as c:
        subs = {
            (str(r[0]), str(r[1])): str(r[2])
            for r in c.execute(text("SELECT city_code, period, status FROM submission"))
        }
    entries = _audit(own_db)
    uploads = {(a[1], a[2]) for a in entries if a[0] == "upload"}
    approvals = {(a[1], a[2]) for a in entries if a[0] == "approval"}
    assert uploads == set(subs)
    assert approvals == {k for k, status in subs.items() if status == "approved"}
    assert len(entries) == len(uploads) + len(approvals)  # once each, nothing else


def test_approve_then_unlock_with_a_reason(own_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    city, period = _validated(own_db)
    where = f"{city}_{period}"
    before = len(_audit(own_db))
    at = _open("admin", monkeypatch)
    at.selectbox(key="ap_act_city").set_value(city).run()
    at.selectbox(key=f"ap_period_{city}").set_value(period).run()
    assert not at.exception
    at.button(key=f"ap_approve_{where}").click().run()
    # Nothing happens before the confirmation, which names the city and the month.
    assert _status(own_db, city, period) == "validated"
    name = at.selectbox(key="ap_act_city").format_func(city)
    assert "approvare e bloccare" in at.warning[0].value and name in at.warning[0].value
    at.button(key=f"ap_confirm_approve_{where}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert _status(own_db, city, period) == "approved"
    assert [a[:3] for a in _audit(own_db)[before:]] == [("approval", city, period)]
    assert [s.value for s in at.success if "approvato e bloccato" in s.value]
    log = at.dataframe[-1].value
    assert log[translate("it", "approval.cols.action")].iloc[0] == "approvazione"  # newest first
    # Times and months in the app's words, as on the upload history ("12 apr 2024, 10:00").
    when = log[translate("it", "approval.cols.at")]
    assert when.str.fullmatch(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}.*").all(), list(when)
    months = log[translate("it", "approval.cols.period")]
    assert months.str.fullmatch(r"(\w{3} \d{4})?").all(), list(months)
    # The selection stays on the month just approved; its status is shown beside it.
    assert at.selectbox(key=f"ap_period_{city}").value == period
    assert "approvato" in texts(at)

    # Unlocking needs a reason: without one, a click says so and nothing changes.
    at.button(key=f"ap_unlock_{where}").click().run()
    assert translate("it", "approval.reason_missing") in [w.value for w in at.warning]
    assert _status(own_db, city, period) == "approved"
    assert not [b for b in at.button if b.key == f"ap_confirm_unlock_{where}"]
    at.text_input(key=f"ap_reason_{where}").input("correzione richiesta dal Comune").run()
    assert at.selectbox(key=f"ap_period_{city}").value == period
    assert not at.button(key=f"ap_unlock_{where}").disabled
    at.button(key=f"ap_unlock_{where}").click().run()
    assert _status(own_db, city, period) == "approved"
    assert "correzione richiesta dal Comune" in at.warning[0].value
    at.button(key=f"ap_confirm_unlock_{where}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert _status(own_db, city, period) == "validated"
    actions = _audit(own_db)[before:]
    assert [a[0] for a in actions] == ["approval", "unlock"]
    assert "correzione richiesta dal Comune" in actions[-1][3]
    log = at.dataframe[-1].value
    assert log[translate("it", "approval.cols.reason")].iloc[0] == "correzione richiesta dal Comune"


def test_a_confirmation_is_dropped_when_the_selection_moves(
    own_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, period = _validated(own_db)
    before = _audit(own_db)
    at = _open("admin", monkeypatch)
    at.selectbox(key="ap_act_city").set_value(city).run()
    at.selectbox(key=f"ap_period_{city}").set_value(period).run()
    at.button(key=f"ap_approve_{city}_{period}").click().run()
    other = next(
        p
        for p in at.selectbox(key=f"ap_period_{city}").options
        if p != at.selectbox(key=f"ap_period_{city}").format_func(period)
    )
    at.selectbox(key=f"ap_period_{city}").select(other).run()
    assert not [b for b in at.button if b.key and b.key.startswith("ap_confirm")]
    assert _audit(own_db) == before


def test_the_page_file_opened_by_a_non_admin_changes_nothing(
    own_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The menu hides the page; even run directly, approval is refused by data_access.
    city, period = _validated(own_db)
    before = _audit(own_db)
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", "steering")
    at = AppTest.from_file(page_path("approval"), default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("amministrator" in e.value for e in at.error)  # the audit log is refused
    at.selectbox(key="ap_act_city").set_value(city).run()
    at.selectbox(key=f"ap_period_{city}").set_value(period).run()
    at.button(key=f"ap_approve_{city}_{period}").click().run()
    at.button(key=f"ap_confirm_approve_{city}_{period}").click().run()
    assert not at.exception
    assert _status(own_db, city, period) == "validated"
    assert _audit(own_db) == before


def test_the_chosen_month_status_is_said_once(
    own_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 11, point 1 asked for the status beside the month selector; it was then said twice
    # ("Stato: validato" beside it and "Stato attuale: validato" under it).
    city, period = _validated(own_db)
    lang = "it"
    at = _open("admin", monkeypatch, lang)
    at.selectbox(key="ap_act_city").set_value(city).run()
    at.selectbox(key=f"ap_period_{city}").set_value(period).run()
    assert not at.exception, [e.message for e in at.exception]
    status = translate(lang, "submission_status.validated")
    said = [e.value for e in (*at.markdown, *at.caption) if f"**{status}**" in str(e.value)]
    assert said == [translate(lang, "approval.status_badge", status=status)]
