"""Every page of the UI helper through the router: it renders, in both languages, from a link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import fmt_auto, fmt_period, translate
from data_access import metrics, queries
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.config import make_engine
from data_access.metrics.progress import compute_status, compute_wp_status
from data_access.viewer import Viewer

from .conftest import MakeApp, texts

PAGES = ("overview", "work_package", "benchmark", "methodology")
TITLES = {
    "overview": "overview.title",
    "work_package": "wp_page.title",
    "benchmark": "bench.title",
    "methodology": "method.title",
}


def _headline_values(url: str, viewer: Viewer, as_of: str) -> dict[str, float]:
    """National cumulated value of the headline indicators, straight from data_access (for a
    protected viewer: from the protected national totals, never from hidden cells)."""
    from data_access.metrics.viewer import compute_viewer_national_monthly

    engine = make_engine(url)
    rows, table = queries.load_release(engine, viewer)
    total = compute_viewer_national_monthly(rows, table, viewer)
    cum = metrics.compute_cumulative(total, as_of)
    engine.dispose()
    return dict(zip(cum["indicator_code"], cum["value"], strict=True))


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_title_and_demo_mark(make_app: MakeApp, page: str, lang: str) -> None:
    at = make_app(page, query={"lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    assert at.title[0].value == translate(lang, TITLES[page])
    assert translate(lang, "demo.mark") in texts(at)


@pytest.mark.parametrize("role", ["public", "steering"])
def test_headline_figures_equal_metrics(make_app: MakeApp, demo_sqlite_url: str, role: str) -> None:
    at = make_app(role=role, query={"period": "2023-09"})
    assert not at.exception
    expected = _headline_values(demo_sqlite_url, Viewer.parse(role), "2023-09")
    shown = {m.label: m.value for m in at.metric}
    for wp, code in (
        ("WP1", "WP1_PARTICIPANTS"),
        ("WP2", "WP2_TAKEN_IN_CHARGE"),
        ("WP3", "WP3_HOUSED"),
    ):
        label = translate(
            "it", "overview.wp_metric", wp=wp, indicator=INDICATOR_BY_CODE[code].name_it
        )
        assert shown[label] == fmt_auto(expected[code], "it")


def test_status_matrix_matches_wp_status(make_app: MakeApp, demo_sqlite_url: str) -> None:
    at = make_app(query={"period": "2023-12"})
    engine = make_engine(demo_sqlite_url)
    viewer = Viewer("steering")
    obs, targets = queries.load_observations(engine, viewer), queries.load_targets(engine, viewer)
    engine.dispose()
    wp_status = compute_wp_status(
        compute_status(metrics.compute_cumulative(obs, "2023-12"), targets, "2023-12")
    )
    off = wp_status[wp_status["status"] == "off_track"]
    assert len(off), "the demo data has cities clearly behind"
    names = queries.load_cities(make_engine(demo_sqlite_url), viewer).set_index("code")["name"]
    listed = [x for m in at.markdown for x in m.value.splitlines() if x.startswith("- **")]
    for code in off["city_code"].unique():
        line = next(v for v in listed if v.startswith(f"- **{names[code]}**"))
        assert translate("it", "status.off_track") in line


def test_language_switch_changes_labels(make_app: MakeApp) -> None:
    at = make_app()
    assert at.title[0].value == "Panoramica del programma"
    at.segmented_control(key="flt_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Programme overview"
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"
    assert any(m.label.startswith("WP2 · People taken in charge") for m in at.metric)
    assert at.selectbox(key="flt_period").format_func("2024-03") == "March 2024"


def test_link_reopens_the_same_view(make_app: MakeApp) -> None:
    query = {
        "lang": "en",
        "period": "2023-06",
        "wp": "WP3",
        "indicator": "WP3_HOUSED",
        "measure": "per10k",
    }
    at = make_app("work_package", query=query)
    assert not at.exception
    assert at.selectbox(key="flt_period").value == "2023-06"
    assert at.segmented_control(key="flt_wp").value == "WP3"
    assert at.selectbox(key="flt_indicator").value == "WP3_HOUSED"
    assert at.selectbox(key="flt_measure").value == "per10k"
    assert fmt_period("2023-06", "en") in texts(at)
    for key, value in query.items():
        assert at.query_params[key] in (value, [value])


def test_benchmark_link_with_city_and_group(make_app: MakeApp) -> None:
    at = make_app("benchmark", query={"city": "073027", "group": "macro_area"})  # Taranto
    assert not at.exception
    assert at.selectbox(key="flt_city").value == "073027"
    assert at.selectbox(key="flt_group").value == "macro_area"
    assert "Taranto" in texts(at)


@pytest.mark.parametrize(
    "name, value", [("period", "2099-13"), ("wp", "WP9"), ("lang", "fr"), ("city", "<script>")]
)
def test_invalid_link_parameter_falls_back_with_a_notice(
    make_app: MakeApp, name: str, value: str
) -> None:
    page = "benchmark" if name == "city" else "work_package"
    at = make_app(page, query={name: value})
    assert not at.exception
    notices = [i.value for i in at.info]
    assert any(f"{name}=" in n for n in notices), notices
    assert at.query_params.get(name) != value and at.query_params.get(name) != [value]


def _app_on(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    from .conftest import APP

    monkeypatch.setenv("LGNET2_DATABASE_URL", url)
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", "steering")
    return AppTest.from_file(APP, default_timeout=60).run()


def test_missing_database_gives_a_clear_page(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app_on(f"sqlite:///{tmp_path / 'nowhere.sqlite'}", monkeypatch)
    assert not at.exception
    assert at.title[0].value == translate("it", "errors.db_title")
    assert "lgnet2 demo" in at.code[0].value


def test_empty_database_gives_a_clear_page(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from data_access.db import upgrade

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    engine = make_engine(url, must_exist=False)
    upgrade(engine)
    engine.dispose()
    at = _app_on(url, monkeypatch)
    assert not at.exception
    assert at.title[0].value == translate("it", "errors.db_empty_title")


def test_bad_local_role_is_an_error_message_not_a_traceback(make_app: MakeApp) -> None:
    at = make_app(role="mayor")
    assert not at.exception
    assert any("mayor" in e.value for e in at.error)


@pytest.mark.parametrize(("role", "partial"), [("public", False), ("steering", False)])
def test_benchmark_says_when_running_totals_are_partial(
    make_app: MakeApp, role: str, partial: bool
) -> None:
    """Running totals are never partial here: steering sees exact ones, and the public release
    has no monthly counts of people per city to add up (only each city's value to date)."""
    at = make_app("benchmark", role=role)
    assert not at.exception
    assert ("valore minimo (parziale)" in texts(at)) is partial


def test_methodology_names_amif_areas_in_the_readers_language(make_app: MakeApp) -> None:
    from data_access.catalogue import INDICATORS
    from data_access.locale import amif_label

    at = make_app("methodology", query={"lang": "en"})
    col = translate("en", "method.col_amif")
    table = next(df.value for df in at.dataframe if col in df.value)
    shown = set(table[col])
    assert shown == {amif_label(i.amif_code, "en") for i in INDICATORS}
    assert not any("alloggio" in v for v in shown)  # the Italian area name on the English page


@pytest.mark.parametrize("lang", ["it", "en"])
def test_benchmark_intro_names_the_month_inside_its_sentence(make_app: MakeApp, lang: str) -> None:
    # "... limiti di controllo. gennaio 2024." read as a sentence starting in lower case.
    at = make_app("benchmark", query={"lang": lang})
    intro = at.caption[0].value
    assert fmt_period(at.session_state["period"], lang) in intro
    assert not [s for s in intro.split(". ")[1:] if s[:1].islower()], intro


@pytest.mark.parametrize("lang", ["it", "en"])
def test_methodology_describes_the_funnel_limits_the_plot_draws(
    make_app: MakeApp, lang: str
) -> None:
    # The benchmark page adjusts its funnel limits for over-dispersion (issue 11.7); the
    # methodology still called them plain Poisson limits.
    at = make_app("methodology", query={"lang": lang})
    words = " ".join(m.value for m in at.markdown)
    assert ("sovradispersione" if lang == "it" else "over-dispersion") in words
    assert "Poisson al 95%" not in words and "Poisson control limits" not in words
