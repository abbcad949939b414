"""Mappa territoriale in AppTest: values per periphery, hubs, roles, languages, no shelter location."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from dashboard.drilldown import PERIPHERY_INDICATORS
from dashboard.i18n import MISSING, fmt_period, translate
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.config import make_engine
from data_access.disclosure import format_value
from data_access.metrics import compute_cumulative
from data_access.metrics.places import periphery_month
from data_access.queries import (
    fetch_observations,
    load_disclosed,
    load_hubs,
    load_peripheries,
    load_protected_places,
)
from data_access.schema import ProtectedSite
from data_access.viewer import PUBLIC, Viewer

from .conftest import MakeApp, texts

PAGE = "territorial_map"
BOLOGNA = "037006"
ROMA = "058091"


@pytest.fixture(scope="module")
def engine(demo_sqlite_url: str) -> Any:
    eng = make_engine(demo_sqlite_url)
    yield eng
    eng.dispose()


def element_dump(at: Any) -> str:
    """Every element's protobuf as text (component arguments, i.e. the map HTML, included)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def periphery_table(at: Any) -> pd.DataFrame:
    """The peripheries' rows (the last row is "Fuori dalle periferie")."""
    table = at.dataframe[0].value.reset_index(drop=True)
    assert table.iloc[-1, 0] in ("Fuori dalle periferie", "Outside the peripheries")
    return table.iloc[:-1]


@pytest.mark.parametrize("role", ["public", "steering", f"city:{BOLOGNA}", f"city:{ROMA}"])
def test_page_runs_for_every_role(make_app: MakeApp, role: str) -> None:
    at = make_app(PAGE, role=role, query={"city": BOLOGNA})
    assert not at.exception
    assert "Mappa territoriale" in [t.value for t in at.title]
    assert "DATI DIMOSTRATIVI" in texts(at)


@pytest.mark.parametrize(
    "lang, title, column",
    [
        ("it", "Mappa territoriale", "Nome"),
        ("en", "Territorial map", "Name"),
    ],
)
def test_language_switch_changes_labels(
    make_app: MakeApp, lang: str, title: str, column: str
) -> None:
    at = make_app(PAGE, query={"city": BOLOGNA, "lang": lang})
    assert [t.value for t in at.title] == [title]
    assert column in periphery_table(at).columns


@pytest.mark.parametrize(
    "role, code",
    [
        ("steering", "WP2_HUB_PARTICIPANTS"),
        ("steering", "WP2_HUB_ACTIVITIES"),
        ("public", "WP2_HUB_PARTICIPANTS"),
        (f"city:{BOLOGNA}", "WP2_HUB_PARTICIPANTS"),
    ],
)
def test_periphery_values_are_the_disclosed_programme_totals(
    make_app: MakeApp, engine: Any, role: str, code: str
) -> None:
    at = make_app(PAGE, role=role, query={"city": BOLOGNA, "map_value": code})
    assert not at.exception
    tot = load_disclosed(engine, Viewer.parse(role)).periphery_totals
    tot = tot[(tot["city_code"] == BOLOGNA) & (tot["indicator_code"] == code)]
    tot = tot.set_index("periphery_id")
    per = load_peripheries(engine, PUBLIC, BOLOGNA)
    expected = [
        format_value(
            tot["value"].get(i), tot["flag"].get(i, ""), tot["suppressed_below"].get(i), "it"
        )
        for i in per["id"]
    ]
    shown = periphery_table(at).iloc[:, 2].tolist()
    assert shown == expected
    if role != "public":  # full detail: exactly the metrics' cumulated value
        cum = compute_cumulative(
            fetch_observations(engine, indicators=[code], cities=[BOLOGNA], level="periphery"),
            by_periphery=True,
        )
        cum = cum[cum["periphery_id"].notna()].set_index("periphery_id")["value"]
        assert shown == [format_value(cum[i], lang="it") for i in per["id"]]
    else:  # public: every non-zero count rounded to 5 or hidden
        for text in shown:
            assert text.startswith("<") or text in ("n.d.",) or int(text.replace(".", "")) % 5 == 0


def test_hub_table_lists_every_hub_and_one_stop_shop(make_app: MakeApp, engine: Any) -> None:
    at = make_app(PAGE, query={"city": BOLOGNA})
    hubs = load_hubs(engine, PUBLIC, BOLOGNA)
    shown = at.dataframe[1].value
    assert sorted(shown["Nome"]) == sorted(hubs["name"])
    assert "Sportello unico" in set(shown["Tipo"])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_hub_table_says_the_opening_month_in_words(
    make_app: MakeApp, engine: Any, lang: str
) -> None:
    # "2023-02" in an Italian table; everywhere else the dashboard writes "feb 2023".
    at = make_app(PAGE, query={"city": BOLOGNA, "lang": lang})
    hubs = load_hubs(engine, PUBLIC, BOLOGNA).sort_values("name")
    shown = at.dataframe[1].value.sort_values(translate(lang, "territorial.name"))
    opened = list(shown[translate(lang, "territorial.opened")])
    assert opened == [fmt_period(str(o)[:7], lang, short=True) for o in hubs["opened"]]
    assert not any(re.fullmatch(r"\d{4}-\d{2}.*", o) for o in opened)
    # A one-stop shop outside every periphery says so instead of an empty cell.
    assert "" not in set(shown[translate(lang, "territorial.periphery")])


@pytest.mark.parametrize("role", ["public", "steering", f"city:{BOLOGNA}"])
def test_no_protected_site_coordinate_anywhere(make_app: MakeApp, engine: Any, role: str) -> None:
    at = make_app(PAGE, role=role, query={"city": BOLOGNA})
    dump = element_dump(at)
    assert "leaflet" in dump.lower() or "folium" in dump.lower()  # the map HTML is in the dump
    with engine.connect() as conn:
        sites = conn.execute(
            select(ProtectedSite.lat, ProtectedSite.lon).where(ProtectedSite.city_code == BOLOGNA)
        ).all()
    assert sites
    # Every pair of consecutive numbers in the tree ([lat, lon] for markers, [lon, lat] in
    # GeoJSON): no protected site may be within ~20 m of one of them.
    numbers = [float(x) for x in re.findall(r"-?\d+\.\d+", dump)]
    pairs = list(zip(numbers, numbers[1:], strict=False))

    def located(lat: float, lon: float) -> bool:
        return any(abs(a - lat) < 2e-4 and abs(b - lon) < 2e-4 for a, b in pairs)

    hub = load_hubs(engine, PUBLIC, BOLOGNA).geometry.iloc[0]
    assert located(hub.y, hub.x)  # the check does see located points
    for lat, lon in sites:
        assert not located(lat, lon) and not located(lon, lat), (lat, lon)


@pytest.mark.parametrize("role", ["public", "steering", f"city:{ROMA}"])
def test_places_column_shows_disclosed_counts_and_dash_for_the_rest(
    make_app: MakeApp, engine: Any, role: str
) -> None:
    at = make_app(PAGE, role=role, query={"city": BOLOGNA})
    places = load_protected_places(engine, Viewer.parse(role), BOLOGNA)
    located = places[places["level"] == "periphery"].set_index("periphery_id")["places"]
    per = load_peripheries(engine, PUBLIC, BOLOGNA)
    expected = [
        format_value(located[i], lang="it") if i in located.index else MISSING for i in per["id"]
    ]
    assert periphery_table(at)["Posti in accoglienza protetta"].tolist() == expected
    # The places outside the peripheries are a row of the table, no longer a caption apart.
    assert not [c.value for c in at.caption if c.value.startswith("Posti in accoglienza protetta")]
    assert [c.value for c in at.caption if c.value.startswith("Totale dei posti")]


@pytest.mark.parametrize("city", [BOLOGNA, ROMA])
def test_boundary_is_bundled_and_no_configuration_hint_is_shown(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, city: str
) -> None:
    # Not set: the bundled boundary is drawn and nobody is asked to configure anything.
    monkeypatch.delenv("LGNET2_BOUNDARIES", raising=False)
    at = make_app(PAGE, role="public", query={"city": city})
    assert not at.exception
    assert "LGNET2_BOUNDARIES" not in texts(at) and "Confine comunale non" not in texts(at)
    assert "Limiti amministrativi ISTAT" in element_dump(at)


def test_a_broken_boundary_setting_falls_back_silently(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("LGNET2_BOUNDARIES", str(tmp_path / "missing.geojson"))
    at = make_app(PAGE, role="public", query={"city": BOLOGNA})
    assert not at.exception
    assert "LGNET2_BOUNDARIES" not in texts(at) and not at.error
    assert "Limiti amministrativi ISTAT" in element_dump(at)


def _panel_metrics(at: Any) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("role", ["public", "steering", f"city:{BOLOGNA}"])
def test_periphery_panel_shows_the_disclosed_month(
    make_app: MakeApp, engine: Any, role: str
) -> None:
    per = load_peripheries(engine, PUBLIC, BOLOGNA).sort_values("id").iloc[1]
    at = make_app(PAGE, role=role, query={"city": BOLOGNA, "periphery": str(per["id"])})
    assert not at.exception
    assert per["name"] in [s.value for s in at.subheader]
    # One fact, one figure: the month's values are the viewer's disclosed cells.
    viewer = Viewer.parse(role)
    cells = load_disclosed(engine, viewer).cells
    period = str(cells["period"].max())
    month = periphery_month(cells, int(per["id"]), period, PERIPHERY_INDICATORS)
    shown = _panel_metrics(at)
    for row in month.itertuples():
        name = INDICATOR_BY_CODE[row.indicator_code].name_it
        expected = format_value(
            None if pd.isna(row.value) else row.value,
            row.flag,
            None if pd.isna(row.suppressed_below) else row.suppressed_below,
            "it",
        )
        assert shown[name] == expected
    # Its hubs are listed as links one level down.
    hubs = load_hubs(engine, PUBLIC, BOLOGNA)
    mine = set(hubs.loc[hubs["periphery_id"] == per["id"], "name"])
    assert mine and mine <= {link.label for link in at.get("page_link")}
    assert at.query_params["periphery"] == str(per["id"])


def test_hub_panel_shows_type_opening_and_its_periphery(make_app: MakeApp, engine: Any) -> None:
    hubs = load_hubs(engine, PUBLIC, BOLOGNA)
    hub = hubs[hubs["periphery_id"].notna()].sort_values("id").iloc[0]
    at = make_app(PAGE, role="public", query={"city": BOLOGNA, "hub": str(hub["id"])})
    assert not at.exception
    text = texts(at)
    assert hub["name"] in [s.value for s in at.subheader]
    assert "Tipo:" in text and "Aperto da" in text
    per = load_peripheries(engine, PUBLIC, BOLOGNA).set_index("id").loc[hub["periphery_id"]]
    assert per["name"] in text
    crumbs = [link.label for link in at.get("page_link")]
    assert crumbs[:3] == ["Italia", "Bologna", per["name"]]


def test_an_unknown_place_shows_the_whole_city(make_app: MakeApp) -> None:
    at = make_app(PAGE, role="public", query={"city": BOLOGNA, "periphery": "999999"})
    assert not at.exception
    assert "non esiste in questa città" in texts(at)
    assert "periphery" not in at.query_params


@pytest.mark.parametrize("role", ["public", "steering"])
@pytest.mark.parametrize("city", ["058091", "037006"])
def test_places_table_adds_up_to_the_wp3_indicator(make_app: MakeApp, role: str, city: str) -> None:
    # Issue 11.5: Roma's 126 places were 13 on the map (Corviale only).
    from dashboard import computed
    from data_access.viewer import Viewer

    at = make_app("territorial_map", role=role, query={"city": city})
    assert not at.exception
    table = next(
        d.value for d in at.dataframe if "Posti in accoglienza protetta" in d.value.columns
    )
    assert table.iloc[-1, 0] == "Fuori dalle periferie"
    shown = [
        0.0 if v == "–" else float(v.replace(".", "").replace(",", "."))
        for v in table["Posti in accoglienza protetta"]
    ]
    cum = computed.cumulative(Viewer.parse(role), "2024-03")
    total = cum[(cum["city_code"] == city) & (cum["indicator_code"] == "WP3_PLACES")]["value"]
    assert sum(shown) == pytest.approx(float(total.iloc[0]))


@pytest.mark.parametrize(
    ("role", "key"),
    [
        ("public", "places_total"),
        ("city:015146", "places_total"),  # another city's manager: merged as for the public
        ("city:037006", "places_total_exact"),
        ("admin", "places_total_exact"),
    ],
)
def test_the_places_note_says_what_the_table_shows(make_app: MakeApp, role: str, key: str) -> None:
    # Found in review: the note said peripheries with fewer than 10 places are merged, above an
    # admin's table that listed Pilastro with 5 and Barca with 7.
    at = make_app(PAGE, role=role, query={"city": BOLOGNA})
    assert not at.exception
    other = "places_total_exact" if key == "places_total" else "places_total"
    shown = [c.value for c in at.caption]
    start = translate("it", f"territorial.{key}", n="").split(":")[0]
    assert any(
        c.startswith(start)
        and c.endswith(translate("it", f"territorial.{key}", n="X").split("X")[1])
        for c in shown
    ), shown
    assert not any(
        c.endswith(translate("it", f"territorial.{other}", n="X").split("X")[1]) for c in shown
    )
