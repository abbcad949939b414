"""Issue 11, point 11: every page, in both languages, speaks only that language.

Each page is rendered as an administrator (who sees every page) in Italian and in English. The
test fails on any word of the other language's list and on any number written the other
language's way ("94.4" on an Italian page, "94,4" on an English one), in the page's texts, its
widgets' labels and options, its tables' cells and its charts' words. Streamlit's own widget
strings (uploader, placeholders, help icons) only exist in a browser: see
``tests/browser/test_trust_browser.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import nav
from data_access.viewer import Viewer

from .conftest import MakeApp

#: Words that must not appear on an Italian page (whole words, case-sensitive).
ENGLISH_WORDS = (
    "Upload",
    "Browse files",
    "Choose an option",
    "Help for",
    "Drag and drop",
    "None",
    "nan",
    "error",
    "errors",
    "warning",
    "warnings",
    "missing",
    "validated",
    "approved",
    "received",
    "locked",
    "rejected",
    "on track",
    "off track",
    "at risk",
    "no data",
    "Download",
    "Loading",
    "North",
    "South",
    "Islands",
    "month",
    "months",
    "city",
    "cities",
    "report is",
    "reports",
)
#: Words that must not appear on an English page.
ITALIAN_WORDS = (
    "Nord-est",
    "Nord-ovest",
    "Sud",
    "Isole",
    "mancanti",
    "mancante",
    "errori",
    "avvisi",
    "errore",
    "avviso",
    "validato",
    "approvato",
    "ricevuto",
    "bloccato",
    "rifiutato",
    "Scegli",
    "Carica",
    "Scarica",
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
    "mese",
    "mesi",
    "città",
    "della",
    "degli",
    "nelle",
    "persone",
    "obiettivo",
    "previsto",
)
#: Fixed names that carry digits and dots in every language (licences, action codes).
ALLOWED = re.compile(r"CC BY \d\.\d|License \d\.\d|\b[A-Z]\d+\.\d+\b|DATI DIMOSTRATIVI")
#: Numbers written the other language's way.
OTHER_NUMBERS = {
    "it": re.compile(
        r"(?<![\w.,/])-?\d+\.\d{1,2}(?![\w.,])|(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])"
    ),
    "en": re.compile(
        r"(?<![\w.,/])-?\d+,\d{1,2}(?![\w.,])|(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\d.])"
    ),
}
PAGES = [p.key for p in nav.visible_pages(Viewer("admin"))]


def _words(lang: str) -> re.Pattern[str]:
    words = ENGLISH_WORDS if lang == "it" else ITALIAN_WORDS
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def _chart_words(spec: object) -> Iterator[str]:
    """The words a chart shows: titles, trace names, annotations, category and tick labels."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("text", "name", "ticktext", "title") or (
                k in ("x", "y") and isinstance(v, list)
            ):
                if isinstance(v, str):
                    yield v
                elif isinstance(v, list):
                    yield from (s for s in v if isinstance(s, str))
            if k not in ("hovertemplate", "customdata", "texttemplate"):
                yield from _chart_words(v)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chart_words(item)


def _shown(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for everything the page shows in words."""
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        for e in getattr(at, kind):
            yield kind, str(e.value)
    for m in at.metric:
        yield "metric", f"{m.label} {m.value}"
    for w in (*at.selectbox, *at.radio):
        yield "widget", str(w.label)
        yield from (("option", str(o)) for o in w.options)
    for b in at.button:
        yield "button", str(b.label)
    for d in at.dataframe:
        frame = d.value
        if not isinstance(frame, pd.DataFrame):
            continue
        yield "table header", " | ".join(str(c) for c in frame.columns)
        yield "table index", " | ".join(str(i) for i in frame.index)
        for col in frame.columns:
            values = frame[col]
            if values.dtype == object:
                yield from ((f"cell {col}", str(v)) for v in values if isinstance(v, str))
            elif pd.api.types.is_float_dtype(values):
                fractions = values.dropna()
                fractions = fractions[fractions != fractions.round()]
                if len(fractions):  # the grid writes these with a point, whatever the language
                    yield f"float column {col}", f"{fractions.iloc[0]:.2f}"
    for chart in at.get("plotly_chart"):
        yield from ((f"chart {chart.key}", s) for s in _chart_words(json.loads(chart.proto.spec)))


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_speaks_one_language(make_app: MakeApp, page: str, lang: str) -> None:
    at = make_app(page, role="admin", query={"lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    words, numbers = _words(lang), OTHER_NUMBERS[lang]
    found = []
    for where, text in _shown(at):
        clean = ALLOWED.sub("", text)
        if where.startswith("float column") and lang == "it":
            found.append((where, text))
            continue
        for m in words.finditer(clean):
            found.append((where, m.group(0), clean[max(0, m.start() - 40) : m.end() + 40]))
        if not where.startswith("float column"):
            for m in numbers.finditer(clean):
                found.append((where, m.group(0), clean[max(0, m.start() - 40) : m.end() + 40]))
    assert not found, found[:15]
