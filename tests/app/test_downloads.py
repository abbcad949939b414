"""Download payloads carry the demo mark and cannot inject spreadsheet formulas."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.downloads import (
    DEMO_ANNOTATION,
    Provenance,
    csv_bytes,
    file_name,
    mark_figure,
    neutralise,
    png_bytes,
    xlsx_bytes,
)

FRAME = pd.DataFrame(
    {
        "city": ["Bari", '=HYPERLINK("x")', "+SUM(A1)", "-A1+B2", "@A1", "\tx"],
        "value": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0],
    }
)
DEMO = Provenance(lang="it", demo=True, cutoff="2024-04-20", title="Prova")
REAL = Provenance(lang="en", demo=False, cutoff="2024-04-20")


def test_neutralise_prefixes_formula_cells_only() -> None:
    out = neutralise(FRAME)
    assert list(out["city"]) == [
        "Bari",
        '\'=HYPERLINK("x")',
        "'+SUM(A1)",
        "'-A1+B2",
        "'@A1",
        "'\tx",
    ]
    assert list(out["value"]) == list(FRAME["value"])  # numbers stay numbers
    assert FRAME["city"].iloc[1].startswith("=")  # the input is not modified


def test_csv_with_demo_mark_first_line() -> None:
    text = csv_bytes(FRAME, DEMO).decode("utf-8-sig")
    first, *rest = text.splitlines()
    assert first.startswith("# DATI DIMOSTRATIVI / demo data")
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == ["city", "value"] and len(back) == len(FRAME)
    assert "'=HYPERLINK" in text


def test_csv_without_demo_has_no_mark() -> None:
    text = csv_bytes(FRAME, REAL).decode("utf-8-sig")
    assert text.splitlines()[0] == "city,value"
    assert "DIMOSTRATIVI" not in text


@pytest.mark.parametrize("prov, sheet, mark", [(DEMO, "Nota", True), (REAL, "Note", False)])
def test_xlsx_note_sheet_first(prov: Provenance, sheet: str, mark: bool) -> None:
    book = pd.read_excel(io.BytesIO(xlsx_bytes(FRAME, prov, sheet="dati")), sheet_name=None)
    assert list(book) == [sheet, "dati"]
    notes = " ".join(book[sheet].iloc[:, 0].astype(str))
    assert ("DATI DIMOSTRATIVI" in notes) is mark
    assert "2024" in notes
    assert book["dati"]["city"].iloc[1].startswith("'=")


def test_mark_figure_adds_demo_and_cutoff_once() -> None:
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    marked = mark_figure(mark_figure(fig, DEMO), DEMO)
    names = [a.name for a in marked.layout.annotations]
    assert names.count(DEMO_ANNOTATION) == 1 and names.count("lg_cutoff") == 1
    assert "DATI DIMOSTRATIVI" in marked.layout.annotations[0].text
    assert "20 aprile 2024" in marked.layout.annotations[1].text
    assert not fig.layout.annotations  # the original is untouched
    plain = mark_figure(fig, REAL)
    assert [a.name for a in plain.layout.annotations] == ["lg_cutoff"]


def test_file_name_says_demo() -> None:
    assert file_name("stato città/wp", "png", DEMO) == "stato_città_wp_demo.png"
    assert file_name("x", "csv", REAL) == "x.csv"


def test_png_is_rendered_with_kaleido() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    data = png_bytes(fig, DEMO, width=400, height=300, scale=1)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 400 and int.from_bytes(data[20:24], "big") == 300
