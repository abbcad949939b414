"""Text and number/date formatting in Italian (default) and English, for every layer.

Every user-facing label lives in ``dashboard/locales/{it,en}.toml`` (nested tables; a key is the
dotted path, e.g. ``nav.overview``). This module is pure (the language is always passed
explicitly) so that ``data_access`` and ``geo`` use the same strings and formats as the app;
``dashboard.i18n`` re-exports it and adds ``t`` (the session's language) for pages.

A missing key renders as the key itself (visible, never a crash) and the locale test suite checks
that both files carry the same keys and the same ``{placeholders}``.
"""

from __future__ import annotations

import math
import re
import tomllib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from data_access.catalogue import INDICATOR_BY_CODE

Lang = Literal["it", "en"]
LANGS: tuple[Lang, ...] = ("it", "en")
DEFAULT_LANG: Lang = "it"
# The locale files sit with the app (``dashboard/locales``) where translators find them; this
# module only reads them, so the data and map layers can use the same text without importing
# the app.
LOCALES_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "locales"
_BABEL_LOCALE = {"it": "it_IT", "en": "en_GB"}
MISSING = "–"  # shown for a value that does not exist (no data)


def normalize_lang(lang: str | None) -> Lang:
    """``"en"``/``"EN"``/``"en-GB"`` -> ``"en"``; anything else -> ``"it"``."""
    return "en" if (lang or "").lower().startswith("en") else "it"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = str(value)
    return out


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    """All labels of one language, flattened to dotted keys (read once per process)."""
    path = LOCALES_DIR / f"{normalize_lang(lang)}.toml"
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def translate(lang: str, key: str, /, **kwargs: Any) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``kwargs``.

    Unknown keys return the key itself; a placeholder missing from ``kwargs`` leaves the text
    unformatted rather than raising.
    """
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    if not kwargs:
        return text
    try:
        filled = text.format(**kwargs)
    except (KeyError, IndexError, ValueError):
        return text
    return elide_articles(filled) if lang == "it" else filled


#: Italian articles and articulated prepositions that elide before a vowel ("l'83%").
_ELIDED = {"il": "l'", "del": "dell'", "al": "all'", "dal": "dall'", "nel": "nell'", "sul": "sull'"}
#: One of them before a number said with a vowel first: 1 and 11 (uno, undici, undicimila,
#: never 1.000 "mille"), and every number written with an 8 first (otto, ottanta, ottocento).
_BEFORE_VOWEL = re.compile(
    r"\b(il|del|al|dal|nel|sul) (?=(?:1|11(?:\.\d{3})*|8[\d.]*)(?:,\d+)?(?![\d.°]))", re.IGNORECASE
)


def elide_articles(text: str) -> str:
    """Italian text with "il 83%" written "l'83%" and "del 1 dicembre" "dell'1 dicembre": a
    number filled into a sentence does not know the article before it."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(1)
        out = _ELIDED[word.lower()]
        return out[0].upper() + out[1:] if word[0].isupper() else out

    return _BEFORE_VOWEL.sub(swap, text)


def has_key(lang: str, key: str) -> bool:
    return key in catalog(lang)


def indicator_label(code: str, lang: str) -> str:
    """``"WP2 · Persone prese in carico"``: an indicator's work package and name in ``lang``."""
    ind = INDICATOR_BY_CODE[code]
    return f"{ind.wp} · {getattr(ind, 'name_' + lang)}"


# ------------------------------------------------------------------------------- formatting
def _is_missing(value: object) -> bool:
    """None, NaN, pandas' NA and infinities are not numbers to show."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def fmt_number(
    value: float | int | None, lang: str, decimals: int = 0, *, trim: bool = False
) -> str:
    """``1234.5`` -> ``"1.234,5"`` (it) / ``"1,234.5"`` (en); missing -> ``"–"``.

    ``decimals`` digits after the separator; with ``trim`` at most that many (``12`` rather
    than ``12,0``: numbers inside sentences)."""
    if value is None or _is_missing(value):
        return MISSING
    if abs(value) <= 0.5 * 10**-decimals:
        value = 0  # what rounds to zero is written "0", never "-0"
    pattern = "#,##0" + ("." + ("#" if trim else "0") * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_BABEL_LOCALE[normalize_lang(lang)])


def fmt_auto(value: float | int | None, lang: str) -> str:
    """Whole numbers without decimals, small non-integers with one or two."""
    if _is_missing(value):
        return MISSING
    v = float(value)  # type: ignore[arg-type]
    if v.is_integer() or abs(v) >= 100:
        return fmt_number(v, lang, 0)
    return fmt_number(v, lang, 1 if abs(v) >= 10 else 2)


def fmt_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """A share (``0.645``) as ``"64,5%"`` / ``"64.5%"`` with ``decimals`` decimals."""
    if _is_missing(value):
        return MISSING
    return f"{fmt_number(float(value) * 100, lang, decimals)}%"  # type: ignore[arg-type]


def fmt_eur(value: float | None, lang: str) -> str:
    """``1234567`` -> ``"1.234.567 €"`` (it) / ``"€1,234,567"`` (en)."""
    if _is_missing(value):
        return MISSING
    number = fmt_number(value, lang, 0)
    return f"{number} €" if normalize_lang(lang) == "it" else f"€{number}"


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 7:  # YYYY-MM
        return date(int(text[:4]), int(text[5:7]), 1)
    return date.fromisoformat(text[:10])


def fmt_date(value: date | datetime | str | None, lang: str) -> str:
    """``2024-03-31`` -> ``"31 marzo 2024"`` / ``"31 March 2024"``."""
    if value is None or value == "":
        return MISSING
    return format_date(_as_date(value), format="long", locale=_BABEL_LOCALE[normalize_lang(lang)])


def fmt_datetime(value: datetime | str | None, lang: str) -> str:
    """When something happened: ``2024-04-12 10:00`` -> ``"12 apr 2024, 10:00"`` /
    ``"12 Apr 2024, 10:00"`` (the time as stored)."""
    if value is None or value == "" or value != value:  # noqa: PLR0124 (NaN, NaT)
        return MISSING
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(
        moment, format="d MMM y, HH:mm", locale=_BABEL_LOCALE[normalize_lang(lang)]
    )


def fmt_period(period: str | None, lang: str, short: bool = False) -> str:
    """A ``YYYY-MM`` month: ``"marzo 2024"`` (or ``"mar 2024"`` when ``short``)."""
    if not period:
        return MISSING
    pattern = "MMM y" if short else "MMMM y"
    return format_date(_as_date(period), format=pattern, locale=_BABEL_LOCALE[normalize_lang(lang)])


def fmt_ordinal(n: int, lang: str) -> str:
    """``2`` -> ``"2ª"`` (it, feminine as in "posizione") / ``"2nd"`` (en)."""
    if normalize_lang(lang) == "it":
        return f"{n}ª"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def unit_label(unit: str, lang: str) -> str:
    """An indicator's unit (the catalogue's Italian word, e.g. ``"uscite"``) in ``lang``, from the
    locale files' ``[unit]`` table; an unknown unit is shown as it is."""
    key = f"unit.{unit}"
    return translate(lang, key) if has_key(lang, key) else unit


def amif_label(code: str | None, lang: str) -> str:
    """An AMIF common-indicator code as the catalogue writes it (``"C2.2 alloggio"``: the code,
    then the area in Italian) with the area in ``lang`` (the locale files' ``[amif]`` table);
    "–" for none, an unknown area as it is."""
    if not code:
        return MISSING
    head, _, area = code.partition(" ")
    key = "amif." + area.strip().lower().replace(" ", "_")
    return f"{head} {translate(lang, key)}" if area and has_key(lang, key) else code
