"""The session state every part of the app reads: the filter values, the language among them.

``dashboard.filters`` writes them (from the URL and the widgets); ``current_lang`` reads the
language for ``dashboard.i18n.t``, the error boxes and the account box.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from data_access.locale import DEFAULT_LANG, Lang, normalize_lang

FILTERS_KEY = "_lg_filters"  # {name: value}


def filter_state() -> dict[str, Any]:
    """This session's filter values (created empty on first use)."""
    return st.session_state.setdefault(FILTERS_KEY, {})  # type: ignore[no-any-return]


def current_lang() -> Lang:
    """The session's language (``"it"`` unless chosen otherwise); safe outside a run."""
    try:
        return normalize_lang(st.session_state.get(FILTERS_KEY, {}).get("lang", DEFAULT_LANG))
    except Exception:  # no session (plain Python, tests of pure helpers)
        return DEFAULT_LANG
