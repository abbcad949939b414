"""Locale files and language-aware formatting."""

from __future__ import annotations

import re
import string
from datetime import datetime

import pytest

from dashboard.i18n import (
    LANGS,
    catalog,
    fmt_auto,
    fmt_date,
    fmt_datetime,
    fmt_eur,
    fmt_number,
    fmt_ordinal,
    fmt_percent,
    fmt_period,
    normalize_lang,
    translate,
)


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_have_the_same_keys() -> None:
    assert set(catalog("it")) == set(catalog("en"))


@pytest.mark.parametrize("key", sorted(catalog("it")))
def test_placeholders_match_between_languages(key: str) -> None:
    assert _placeholders(catalog("it")[key]) == _placeholders(catalog("en")[key])


@pytest.mark.parametrize("lang", LANGS)
def test_no_label_is_empty(lang: str) -> None:
    assert all(v.strip() for v in catalog(lang).values())


def test_every_key_used_in_the_code_exists() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # t("a.b"), tr("a.b"), translate(lang, "a.b") with the arguments on one line or on several
    # (the meeting pack's builders), in every module and in the pack's templates.
    pattern = re.compile(
        r"""(?:\btr?|translate\(\s*(?:lang|prov\.lang|"it"|"en"|current_lang\(\)|\w+)\s*,)"""
        r"""\s*\(?\s*["']([a-z_]+\.[a-z0-9_]+)["']"""
    )
    used: set[str] = set()
    files = [
        *root.glob("dashboard/**/*.py"),
        *root.glob("pages/*.py"),
        *root.glob("dashboard/**/*.j2"),
    ]
    for path in files:
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert "pack.completeness" in used, "the pattern misses the pack's keys"
    # A key ending in "_" is a prefix completed at run time ("pack.disclosure_role_" ~ role).
    missing = sorted(k for k in used if k not in catalog("it") and not k.endswith("_"))
    assert not missing


@pytest.mark.parametrize(
    "value, lang, decimals, expected",
    [
        (1234.5, "it", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234, "it", 0, "1.234"),
        (1234567, "en", 0, "1,234,567"),
        (0.5, "it", 2, "0,50"),
        (None, "it", 0, "–"),
        (float("nan"), "en", 1, "–"),
        # A negative number that rounds to zero is zero, never "-0" (the benchmark table said
        # "-0%" for a city 0.4% below the median).
        (-0.004, "it", 0, "0"),
        (-0.04, "en", 1, "0.0"),
        (-0.5, "it", 0, "0"),
        (-0.6, "it", 0, "-1"),
    ],
)
def test_fmt_number(value, lang, decimals, expected) -> None:  # type: ignore[no-untyped-def]
    assert fmt_number(value, lang, decimals) == expected


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (1234.0, "it", "1.234"),
        (12.345, "it", "12,3"),
        (1.234, "en", "1.23"),
        (250.7, "en", "251"),
    ],
)
def test_fmt_auto(value: float, lang: str, expected: str) -> None:
    assert fmt_auto(value, lang) == expected


@pytest.mark.parametrize(
    "func, args, expected",
    [
        (fmt_percent, (0.645, "it", 1), "64,5%"),
        (fmt_percent, (0.645, "en", 0), "64%"),
        (fmt_percent, (-0.004, "it", 0), "0%"),
        (fmt_eur, (1234567, "it"), "1.234.567 €"),
        (fmt_eur, (1234567, "en"), "€1,234,567"),
        (fmt_date, ("2024-03-31", "it"), "31 marzo 2024"),
        (fmt_date, ("2024-03-31", "en"), "31 March 2024"),
        (fmt_datetime, ("2024-04-12 10:00:00", "it"), "12 apr 2024, 10:00"),
        (fmt_datetime, (datetime(2024, 4, 12, 9, 5), "en"), "12 Apr 2024, 09:05"),
        (fmt_datetime, (None, "en"), "–"),
        (fmt_period, ("2024-03", "it"), "marzo 2024"),
        (fmt_period, ("2022-10", "en"), "October 2022"),
        (fmt_ordinal, (2, "it"), "2ª"),
        (fmt_ordinal, (2, "en"), "2nd"),
        (fmt_ordinal, (11, "en"), "11th"),
        (fmt_ordinal, (23, "en"), "23rd"),
    ],
)
def test_formats(func, args, expected) -> None:  # type: ignore[no-untyped-def]
    assert func(*args) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("en", "en"), ("EN-gb", "en"), ("it", "it"), ("fr", "it"), (None, "it"), ("", "it")],
)
def test_normalize_lang(raw: str | None, expected: str) -> None:
    assert normalize_lang(raw) == expected


def test_translate_fills_placeholders_and_survives_bad_input() -> None:
    assert translate("it", "bench.rank_of", rank=2, n=16) == "2 su 16"
    assert translate("en", "bench.rank_of", rank=2, n=16) == "2 of 16"
    assert translate("it", "bench.rank_of") == "{rank} su {n}"  # no kwargs: raw text
    assert translate("en", "no.such_key") == "no.such_key"


def test_every_amif_area_is_said_in_both_languages() -> None:
    from data_access.catalogue import INDICATORS
    from data_access.locale import amif_label

    codes = {i.amif_code for i in INDICATORS if i.amif_code}
    assert codes
    for code in codes:
        assert amif_label(code, "it") == code  # the catalogue's own Italian words
        english = amif_label(code, "en")
        assert english != code and english.split()[0] == code.split()[0], code
    assert amif_label(None, "en") == "–"
