"""Labels and number/date formatting for the app: :mod:`data_access.locale` plus the session.

Every user-facing label lives in ``dashboard/locales/{it,en}.toml``. Two ways in:

- :func:`translate` / the ``fmt_*`` functions are pure (language passed explicitly): use them in
  chart builders, downloads and tests (they are ``data_access.locale``'s, re-exported);
- :func:`t` reads the session's language (``dashboard.state.current_lang``): use it in pages.
"""

from __future__ import annotations

from typing import Any

from dashboard.state import current_lang
from data_access.locale import (
    DEFAULT_LANG,
    LANGS,
    LOCALES_DIR,
    MISSING,
    Lang,
    amif_label,
    catalog,
    fmt_auto,
    fmt_date,
    fmt_datetime,
    fmt_eur,
    fmt_number,
    fmt_ordinal,
    fmt_percent,
    fmt_period,
    has_key,
    indicator_label,
    normalize_lang,
    translate,
    unit_label,
)


def t(key: str, /, **kwargs: Any) -> str:
    """The label ``key`` in the current session's language (for pages and ``dashboard``)."""
    return translate(current_lang(), key, **kwargs)


__all__ = [
    "amif_label",
    "DEFAULT_LANG",
    "LANGS",
    "LOCALES_DIR",
    "MISSING",
    "Lang",
    "catalog",
    "current_lang",
    "fmt_auto",
    "fmt_date",
    "fmt_datetime",
    "fmt_eur",
    "fmt_number",
    "fmt_ordinal",
    "fmt_percent",
    "fmt_period",
    "has_key",
    "indicator_label",
    "normalize_lang",
    "t",
    "translate",
    "unit_label",
]
