"""Formula injection in exports and escaping of user strings in HTML and markdown."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from data_access.sanitize import escape_html, escape_markdown, neutralise_cell, neutralise_frame


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("-", "'-"),
        ("- note", "'- note"),
        ("-12", "-12"),  # plain numbers stay numbers
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("-1e3", "-1e3"),
        ("Roma", "Roma"),
        ("a=b", "a=b"),
        ("", ""),
        (-12, -12),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_neutralise_frame_keeps_numeric_columns_numeric() -> None:
    df = pd.DataFrame(
        {
            "city": ["=cmd|' /C calc'!A0", "Roma"],
            "value": [-5.0, 12.0],
            "note": ["@SUM(1)", None],
            "=col": [1, 2],
        }
    )
    out = neutralise_frame(df)
    assert out["city"].tolist() == ["'=cmd|' /C calc'!A0", "Roma"]
    assert out["value"].dtype == float and out["value"].tolist() == [-5.0, 12.0]
    assert out["note"].iloc[0] == "'@SUM(1)" and pd.isna(out["note"].iloc[1])
    assert "'=col" in out.columns
    back = pd.read_csv(io.StringIO(out.to_csv(index=False)))
    assert back["value"].tolist() == [-5.0, 12.0]
    assert df["city"].iloc[0].startswith("=")  # the input is not modified


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('"onmouseover="x', "&quot;onmouseover=&quot;x"),
        ("Tor Bella Monaca & Borghesiana", "Tor Bella Monaca &amp; Borghesiana"),
        ("l'Aquila", "l&#x27;Aquila"),
        (None, ""),
        (math.nan, ""),
        (12, "12"),
    ],
)
def test_escape_html(value: object, expected: str) -> None:
    assert escape_html(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        (":red[alarm]", r"\:red\[alarm\]"),
        ("$x^2$", r"\$x^2\$"),
        ("[link](javascript:alert(1))", r"\[link\]\(javascript\:alert\(1\)\)"),
        ("<img src=x onerror=alert(1)>", r"&lt;img src=x onerror=alert\(1\)&gt;"),
        ("Via Roma 1.", r"Via Roma 1\."),
        (None, ""),
    ],
)
def test_escape_markdown(value: object, expected: str) -> None:
    assert escape_markdown(value) == expected
