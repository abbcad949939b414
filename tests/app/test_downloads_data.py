"""Issue 11, point 10: downloads are data. Numbers are numbers (CSV columns read back as floats,
XLSX number cells with the language's number format), codes stand beside names, headers are in
the user's language, and only text cells starting with a formula trigger are neutralised."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.downloads import Provenance, csv_bytes, xlsx_bytes
from dashboard.i18n import fmt_auto, translate
from dashboard.table_frames import bench_frames, wp_frames
from data_access.config import make_engine
from data_access.metrics import benchmark as metrics_benchmark
from data_access.metrics.viewer import compute_viewer_cumulative
from data_access.queries import disclose_for_viewer, fetch_all_observations, load_cities
from data_access.viewer import Viewer


@pytest.fixture(scope="module")
def bench(demo_sqlite_url: str) -> pd.DataFrame:
    eng = make_engine(demo_sqlite_url)
    viewer = Viewer("steering")
    raw = fetch_all_observations(eng)
    cum = compute_viewer_cumulative(raw, disclose_for_viewer(raw, viewer), viewer, "2024-03")
    cities = load_cities(eng, viewer)
    out = metrics_benchmark.compute_city_benchmark(cum, cities, "037006")
    eng.dispose()
    return out


@pytest.mark.parametrize("lang", ["it", "en"])
def test_benchmark_download_is_numbers_with_codes(bench: pd.DataFrame, lang: str) -> None:
    screen, data = bench_frames(bench, lang)
    assert len(screen) == len(data)
    assert data.columns[0] == translate(lang, "method.col_code")
    assert list(data.iloc[:, 0]) == list(bench["indicator_code"])
    back = pd.read_csv(io.BytesIO(csv_bytes(data, Provenance(lang=lang))), encoding="utf-8-sig")
    value = translate(lang, "bench.value")
    assert back[value].dtype == float
    assert back[value].tolist() == pytest.approx(bench["value"].tolist(), nan_ok=True)
    distance = back[translate(lang, "bench.distance")]
    assert distance.dtype == float  # "+1%" was text with a literal apostrophe
    assert not any(str(c).startswith("'") for c in back.columns)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_benchmark_distance_is_signed_only_when_it_is_not_zero(lang: str) -> None:
    # "-0%" and "+0%" on screen for a city within half a point of the median.
    rows = pd.DataFrame(
        {
            "indicator_code": ["WP1_PROJECTS", "WP1_PARTICIPANTS", "WP2_OUTINGS", "WP2_LEGAL"],
            "value": [1.0, 2.0, 3.0, 4.0],
            "benchmark_value": [1.0, 2.0, 3.0, 4.0],
            "rank": [1, 2, 3, 4],
            "n_ranked": [16, 16, 16, 16],
            "median": [1.0, 2.0, 3.0, 4.0],
            "distance_pct": [-0.004, 0.004, 0.15, -0.03],
        }
    )
    screen, _ = bench_frames(rows, lang)
    assert list(screen[translate(lang, "bench.distance")]) == ["0%", "0%", "+15%", "-3%"]


@pytest.mark.parametrize("lang, tag", [("it", "[$-410]"), ("en", "[$-809]")])
def test_xlsx_cells_are_typed_numbers_with_the_language_format(lang: str, tag: str) -> None:
    frame = pd.DataFrame(
        {
            "Codice": ["WP1_EVENTS", "=HYPERLINK(1)"],
            "Valore": [2725.0, -3.0],
            "Quota": [0.125, -0.043],
            "Testo": ["+1%", "normale"],
        }
    )
    wb = load_workbook(
        io.BytesIO(xlsx_bytes(frame, Provenance(lang=lang), percent_columns=["Quota"]))
    )
    ws = wb["dati"]
    assert [c.value for c in ws[1]] == ["Codice", "Valore", "Quota", "Testo"]
    value, share = ws["B2"], ws["C3"]
    assert value.data_type == "n" and value.value == 2725
    assert value.number_format == tag + "#,##0"
    assert share.data_type == "n" and share.value == pytest.approx(-0.043)
    assert share.number_format == tag + "0.0%"
    assert ws["A3"].value == "'=HYPERLINK(1)"  # a text cell starting with "=": neutralised
    assert ws["A2"].value == "WP1_EVENTS" and ws["D3"].value == "normale"
    assert ws["B3"].value == -3  # a negative number stays a number


def test_work_package_download_has_codes_and_numbers() -> None:
    names = {"037006": "Bologna", "058091": "Roma"}
    values = pd.Series({"037006": 2725.0, "058091": float("nan")})
    screen, data = wp_frames(
        ["WP1_EVENTS"], lambda code: values, names, lambda v: fmt_auto(v, "it"), "it"
    )
    assert list(data.columns) == [
        translate("it", "method.col_code"),
        translate("it", "method.col_action"),
        translate("it", "method.col_name"),
        "Bologna (037006)",
        "Roma (058091)",
    ]
    assert data.iloc[0, 0] == "WP1_EVENTS"
    assert data["Bologna (037006)"].tolist() == [2725.0]
    assert screen["Bologna"].tolist() == ["2.725"] and screen["Roma"].tolist() == ["–"]
