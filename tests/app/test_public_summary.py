"""Sintesi pubblica in AppTest: the public's figures whoever looks, attribution, demo mark,
screenshot mode, languages, and no shelter location."""

from __future__ import annotations

import base64
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.i18n import fmt_number, fmt_percent, fmt_period, translate
from data_access.config import make_engine
from data_access.export import export_dataset
from data_access.metrics import kpi
from data_access.queries import load_observations, load_targets
from data_access.schema import ProtectedSite
from data_access.viewer import PUBLIC

from .conftest import MakeApp, html_blocks, texts
from .test_territorial_map import element_dump

PAGE = "public_summary"
LAST = "2024-03"


@pytest.fixture(scope="module")
def engine(demo_sqlite_url: str) -> Any:
    eng = make_engine(demo_sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def released(engine: Any) -> str:
    """The latest month of the public release (the demo's is behind its data's latest)."""
    from data_access.queries import load_release

    return str(load_release(engine, PUBLIC)[0]["period"].max())


@pytest.fixture(scope="module")
def expected_headline(engine: Any, released: str) -> Any:
    """The overview's definition (``kpi.headline_figures``) on what the public may see: the
    protected national monthly totals of the latest publication."""
    from data_access.metrics.viewer import compute_viewer_national_monthly
    from data_access.queries import load_release

    rows, table = load_release(engine, PUBLIC)
    national = compute_viewer_national_monthly(rows, table, PUBLIC)
    obs = load_observations(engine, PUBLIC)
    return kpi.headline_figures(obs, load_targets(engine, PUBLIC), released, national=national)


def test_a_month_past_the_release_shows_the_releases_month(
    make_app: MakeApp, released: str
) -> None:
    # Found in review: a steering session at March saw "situazione a fine marzo 2024" over the
    # public's January figures, set against March's plan (every WP looked behind it).
    assert released < LAST  # the demo's release is behind its latest month
    at = make_app(PAGE, role="steering", query={"period": LAST})
    assert not at.exception
    shown = texts(at)
    month = fmt_period(released, "it")
    assert f"situazione a fine {month}" in shown
    assert translate("it", "public.released_to", shown=month, chosen=fmt_period(LAST, "it")) in [
        c.value for c in at.caption
    ]
    assert "situazione a fine marzo 2024" not in shown
    at = make_app(PAGE, role="public")
    assert not at.exception
    assert not [c for c in at.caption if "non è ancora pubblicato" in c.value]


@pytest.mark.parametrize("role", ["public", "steering", "city:037006"])
def test_headline_figures_are_the_publics_whoever_looks(
    make_app: MakeApp, expected_headline: Any, role: str
) -> None:
    at = make_app(PAGE, role=role, query={"period": LAST})
    assert not at.exception
    assert [m.value for m in at.metric] == [fmt_number(v, "it") for v in expected_headline["value"]]
    shown = texts(at)
    for share in expected_headline["achievement"]:
        assert fmt_percent(share, "it") + " dell'obiettivo" in shown
    # Public counts are rounded to 5 (or hidden): a steering session sees the same.
    assert all(v % 5 == 0 for v in expected_headline["value"])


@pytest.mark.parametrize("page", [PAGE, "overview"])
def test_every_headline_figure_is_a_row_of_the_public_export(
    make_app: MakeApp, engine: Any, tmp_path: Any, page: str
) -> None:
    """What the public reads on a page is what the open data says: each headline figure (the
    programme to date of each WP's headline indicator) is a ``national_to_date`` row of the
    public export, with the same value."""
    at = make_app(page, role="public")
    assert not at.exception
    out = tmp_path / "obs.csv"
    export_dataset(engine, "observations", out, PUBLIC, "csv")
    df = pd.read_csv(out, dtype={"city_code": str, "flag": str}, keep_default_na=False)
    rows = df[df["level"] == "national_to_date"].set_index("indicator")
    shown = [m.value for m in at.metric]
    for code in kpi.HEADLINE_INDICATORS.values():
        assert fmt_number(float(rows.loc[code, "value"]), "it") in shown, code


@pytest.mark.parametrize(
    "lang, title, funding, toggle",
    [
        (
            "it",
            "Sintesi pubblica",
            "Finanziato dall'Unione europea — Fondo Asilo, Migrazione e "
            "Integrazione 2014-2020, PROG-OE3846",
            "Modalità screenshot",
        ),
        (
            "en",
            "Public summary",
            "Funded by the European Union — Asylum, Migration and Integration "
            "Fund 2014-2020, PROG-OE3846",
            "Screenshot mode",
        ),
    ],
)
def test_language_attribution_and_demo_mark(
    make_app: MakeApp, lang: str, title: str, funding: str, toggle: str
) -> None:
    at = make_app(PAGE, role="public", query={"lang": lang})
    assert not at.exception
    assert [t.value for t in at.title] == [title]
    shown = texts(at)
    assert funding in shown
    assert "DATI DIMOSTRATIVI" in shown
    assert "Dati aggiornati al 20 aprile 2024" in shown or "Data as of 20 April 2024" in shown
    assert at.toggle[0].label == toggle
    # The EU emblem: an image (Streamlit's HTML sanitiser drops an inline SVG; the browser
    # test sees it drawn), 12 gold stars on blue.
    (image,) = at.get("image")
    url = image.proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(url.split(",", 1)[1]).decode().count("<polygon") == 12


@pytest.mark.parametrize("query, on", [({}, False), ({"screenshot": "1"}, True)])
def test_screenshot_mode_from_the_url(make_app: MakeApp, query: dict[str, str], on: bool) -> None:
    at = make_app(PAGE, role="public", query=query)
    assert at.toggle[0].value is on
    hides_sidebar = any("stSidebar" in h and "display:none" in h for h in html_blocks(at))
    assert hides_sidebar is on


def test_screenshot_toggle_sets_the_url(make_app: MakeApp) -> None:
    at = make_app(PAGE, role="public")
    at.toggle[0].set_value(True).run()
    assert at.query_params.get("screenshot") == ["1"] or at.query_params.get("screenshot") == "1"
    assert any("stSidebar" in h and "display:none" in h for h in html_blocks(at))


def test_html_blocks_carry_no_data(make_app: MakeApp, engine: Any) -> None:
    """Raw HTML (``st.html``) carries only fixed strings: styles and the demo banner."""
    at = make_app(PAGE, role="public")
    assert not [m.value for m in at.markdown if "<" in m.value]  # no raw HTML through markdown
    html = html_blocks(at)
    # styles, the demo banner, and the script that translates Streamlit's own
    # widget strings (its JSON holds only locale texts)
    fixed = ("<style>", "<script>")
    assert html and all(h.lstrip().startswith(fixed) or "lg-demo" in h for h in html)


def test_no_protected_site_coordinate_anywhere(make_app: MakeApp, engine: Any) -> None:
    at = make_app(PAGE, role="steering")
    dump = element_dump(at)
    with engine.connect() as conn:
        sites = conn.execute(select(ProtectedSite.lat, ProtectedSite.lon)).all()
    assert "L.circleMarker" in dump
    for lat, lon in sites:
        assert f"{lat:.4f}" not in dump or f"{lon:.4f}" not in dump
