"""Neutralise strings that came from a file or a user before they reach a spreadsheet, a map
popup, or markdown.

- Spreadsheets (CSV/XLSX exports): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return may be run as a formula by Excel/LibreOffice ("CSV injection"). Such cells
  get a leading apostrophe. Real numbers (``int``/``float`` values, and text that is exactly a
  plain number such as ``"-12.5"``) stay as they are, so negative values remain numbers.
- HTML (folium tooltips and popups, ``st.markdown`` with HTML disabled still renders some
  markup): ``escape_html`` escapes ``& < > " '``; ``escape_markdown`` also neutralises markdown
  and Streamlit's extensions (``:red[...]`` colours, ``$`` LaTeX, emoji shortcodes).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$>])")


def is_plain_number(text: str) -> bool:
    """True when ``text`` is a number and nothing else (``"-3"``, ``"1.5e3"``, ``"-0,5"``)."""
    return _PLAIN_NUMBER.fullmatch(text.strip()) is not None and text == text.strip()


def neutralise_cell(value: object) -> object:
    """One spreadsheet cell: text that a spreadsheet could run as a formula gets a leading
    apostrophe; numbers, plain numeric text, ``None`` and everything else are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not is_plain_number(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to write as CSV or XLSX: every text cell and column name passed
    through ``neutralise_cell``. Numeric columns are untouched (negative numbers stay numbers)."""
    df = frame.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col].dtype):
            df[col] = df[col].map(neutralise_cell)
    renamed: dict[Hashable, Hashable] = {c: neutralise_cell(c) for c in df.columns}
    return df.rename(columns=renamed)


def escape_html(value: object) -> str:
    """Text safe to place inside HTML (tooltips, popups, table cells): ``None``/NaN -> ``""``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def escape_markdown(value: object) -> str:
    """Text safe to place inside Streamlit markdown: HTML-escaped and every markdown or
    Streamlit-extension character backslash-escaped, so it renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape_html(value))
