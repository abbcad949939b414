"""One fact, one figure: the overview, the data-quality and the approval pages show the same
reporting completeness, timeliness and late reports for the same reference month, on SQLite and
on PostgreSQL, and that figure is ``metrics.completeness`` computed from the stored submissions
at the data cut-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access import queries
from data_access.config import make_engine
from data_access.db import load_meta
from data_access.locale import fmt_percent, translate
from data_access.metrics.completeness import (
    compute_completeness,
    compute_reporting,
    reporting_as_of,
)
from data_access.viewer import Viewer

PAGES = Path(__file__).resolve().parents[2] / "pages"
ADMIN = Viewer("admin")


def expected(url: str, period: str, lang: str) -> dict[str, str]:
    eng = make_engine(url)
    try:
        subs = queries.load_submissions(eng, ADMIN)
        codes = queries.load_cities(eng, ADMIN)["code"]
        as_of = reporting_as_of(load_meta(eng).get("cutoff"), subs, dt.date.today())
    finally:
        eng.dispose()
    rep = compute_reporting(subs, codes, as_of=as_of)
    total = compute_completeness(rep[rep["period"] <= period].assign(city_code="TOTAL")).iloc[0]
    return {
        translate(lang, "reporting.completeness"): fmt_percent(total["completeness"], lang, 1),
        translate(lang, "reporting.timeliness"): fmt_percent(total["timeliness"], lang, 1),
        translate(lang, "reporting.late"): translate(
            lang, "reporting.late_value", n=int(total["n_late"]), due=int(total["n_due"])
        ),
    }


def shown(url: str, page: str, period: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("LGNET2_DATABASE_URL", url)
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", "admin")
    monkeypatch.setenv("LGNET2_TILES_URL", "none")
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=180)
    at.query_params["period"] = period
    at.session_state["_lg_filters"] = {"lang": lang}  # a page run on its own: no router
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(("period", "lang"), [("2023-06", "it"), ("2024-03", "en")])
def test_three_pages_show_the_same_completeness(
    demo_url: str, period: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    want = expected(demo_url, period, lang)
    assert len(set(want.values())) == 3  # three different figures, each checked on its own
    for page in ("overview", "data_quality", "approval"):
        got = shown(demo_url, page, period, lang, monkeypatch)
        assert {k: got.get(k) for k in want} == want, page
