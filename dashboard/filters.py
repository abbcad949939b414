"""Shared filters kept in the URL, so that any view can be shared as a link and reopened.

How a page uses it::

    from dashboard import filters
    wp = filters.select("wp", ["WP1", "WP2", "WP3"], label=t("filters.wp"))
    city = filters.select("city", codes, label=t("filters.city"), format_func=name_of)

Each call draws a widget (in the sidebar unless ``container`` says otherwise) whose value is the
URL parameter of the same name. Precedence on every run: a valid URL value, then the session's
last value, then ``default`` (or the first option). An invalid URL value falls back the same way
and leaves a notice (shown at the top of the page by the router) instead of an error.
At the end of the run the router rewrites the URL with exactly the parameters the page used.

Canonical state lives in a plain session dict (not in the widget keys), because Streamlit forgets
the value of a widget that a page did not draw; so ``city`` chosen on one page is still there on
the next. Parameter names used across pages: ``lang``, ``period`` (as-of month ``YYYY-MM``),
``wp``, ``indicator``, ``city``, ``group``, ``measure``.

We do not use Streamlit's ``bind="query-params"``: AppTest does not apply it, so the
"a link reopens the same view" behaviour could not be tested.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Literal

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, LANGS, Lang, normalize_lang, translate
from dashboard.state import FILTERS_KEY, current_lang, filter_state

_STATE = FILTERS_KEY  # {name: value}
_USED = "_lg_filters_used"  # names bound during this run, in order
_NOTICES = "_lg_filters_notices"  # {name: message} for invalid URL values (this run)
WIDGET_PREFIX = "flt_"

Widget = Literal["selectbox", "radio", "segmented"]


_PAGE = "_lg_filters_page"  # the page this run draws (set by the router)
#: Parameters shared by every page; the others belong to the page that drew them (issue 11.14:
#: the work-package page's ``indicator`` used to switch the overview map to a WP1 project count).
SHARED: frozenset[str] = frozenset({"lang", "period", "city"})


def _state() -> dict[str, Any]:
    return filter_state()


def set_page(page: str) -> None:
    """Name the page this run draws (router), so that its own parameters stay its own."""
    st.session_state[_PAGE] = page


def _slot(name: str) -> str:
    """Where the session keeps the value of ``name`` for the current page."""
    if name in SHARED:
        return name
    return f"{st.session_state.get(_PAGE, '')}/{name}"


def begin_run() -> None:
    """Start of every script run (router): forget last run's bookkeeping, settle the language.

    The language is settled first because every label, the page titles included, depends on it.
    """
    st.session_state[_USED] = []
    st.session_state[_NOTICES] = {}
    raw = st.query_params.get("lang")
    state = _state()
    if raw is not None and raw in LANGS:
        state["lang"] = raw
    elif raw is not None:
        state.setdefault("lang", DEFAULT_LANG)
        _notice("lang", raw, translate(state["lang"], "lang.name"))
    state.setdefault("lang", DEFAULT_LANG)


def get(name: str, default: Any = None) -> Any:
    """The current value of a filter, whether or not this page draws its widget."""
    return _state().get(_slot(name), default)


def _notice(name: str, raw: str, fallback_label: str) -> None:
    lang = current_lang()
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    st.session_state.setdefault(_NOTICES, {}).setdefault(
        name, translate(lang, "filters.invalid", name=name, value=shown, fallback=fallback_label)
    )


def notices() -> list[str]:
    """Messages about URL parameters that were not valid in this run."""
    return list(st.session_state.get(_NOTICES, {}).values())


def _on_change(name: str) -> None:
    value = st.session_state.get(WIDGET_PREFIX + name)
    if value is not None:
        _state()[_slot(name)] = value
        st.query_params[name] = str(value)


def resolve(
    name: str,
    options: Sequence[str],
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    known: Collection[str] = (),
) -> str:
    """The value a filter takes on this run (URL > session > default), recording notices.

    A URL value among ``known`` but not among ``options`` (e.g. an indicator of another work
    package after the WP changed) falls back silently: it is valid, just not here.
    Exposed apart from :func:`select` for pages that need the value before drawing the widget.
    """
    opts = [str(o) for o in options]
    if not opts:
        raise ValueError(f"filter {name!r} has no options")
    fallback = default if default in opts else opts[0]
    state = _state()
    previous = state.get(_slot(name))
    value = previous if previous in opts else fallback
    raw = st.query_params.get(name)
    if raw is not None:
        if raw in opts:
            value = raw
        elif raw not in known:
            _notice(name, raw, format_func(value))
    state[_slot(name)] = value
    return value


def select(
    name: str,
    options: Sequence[str],
    *,
    label: str,
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    container: Any = None,
    widget: Widget = "selectbox",
    help: str | None = None,
    known: Collection[str] = (),
) -> str:
    """Draw a single-choice widget bound to the URL parameter ``name`` and return its value.

    Args:
        name: URL parameter name (also the filter's name in the session).
        options: allowed values (strings as they appear in the URL, e.g. ISTAT codes).
        label: the widget's label (already translated).
        default: value when neither the URL nor the session has a valid one (first option if
            omitted or not among ``options``).
        format_func: how an option is shown (e.g. code -> translated name).
        container: where to draw (default the sidebar); e.g. ``st`` or a column.
        widget: ``selectbox`` | ``radio`` (horizontal) | ``segmented``.
        known: values valid elsewhere that fall back here without a notice (see resolve).
    """
    opts = [str(o) for o in options]
    value = resolve(name, opts, default, format_func, known)
    used: list[str] = st.session_state.setdefault(_USED, [])
    if name not in used:
        used.append(name)
    wkey = WIDGET_PREFIX + name
    # Always (re)assign: when the options change between pages, Streamlit may otherwise keep a
    # stale index for the widget while the filter's value is already the resolved one.
    st.session_state[wkey] = value
    where = container if container is not None else st.sidebar
    common: dict[str, Any] = dict(
        format_func=format_func, key=wkey, on_change=_on_change, args=(name,), help=help
    )
    if widget == "radio":
        where.radio(label, opts, horizontal=True, **common)
    elif widget == "segmented":
        where.segmented_control(label, opts, required=True, **common)
    else:
        where.selectbox(
            label, opts, placeholder=translate(current_lang(), "widgets.choose"), **common
        )
    return value


def select_language(container: Any = None) -> Lang:
    """The IT/EN switch (``lang``); the router draws it in the shared sidebar."""
    lang = select(
        "lang",
        list(LANGS),
        label=translate(current_lang(), "lang.label"),
        format_func=lambda code: code.upper(),
        container=container,
        widget="segmented",
    )
    return normalize_lang(lang)


def finish_run() -> None:
    """Rewrite the URL with the parameters this run used (router, after the page ran).

    Parameters the page did not use are dropped (they belong to other pages and stay in the
    session); unknown parameters, e.g. ``embed`` options, are left alone.
    """
    state = _state()
    used = st.session_state.get(_USED, [])
    wanted = {name: str(state[_slot(name)]) for name in used if _slot(name) in state}
    current: dict[str, str] = {name: st.query_params[name] for name in st.query_params.keys()}
    new = {k: v for k, v in current.items() if k not in KNOWN_PARAMS or k in wanted}
    new.update(wanted)
    if new != current:
        # One update, so the browser gets one history entry (the back button then returns to
        # the previous view, not to a half-written URL).
        st.query_params.from_dict(new)


#: Parameters owned by this module; other pages may add their own names through :func:`select`.
KNOWN_PARAMS: set[str] = {"lang", "period", "wp", "indicator", "city", "group", "measure"}


def keep_param(name: str, value: str) -> None:
    """Keep ``name=value`` in the URL at the end of this run, without a widget (a page's own
    state, e.g. the place the territorial map shows in detail). Register ``name`` with
    :func:`register_param` so that pages that do not keep it drop it."""
    _state()[_slot(name)] = value
    used: list[str] = st.session_state.setdefault(_USED, [])
    if name not in used:
        used.append(name)


def register_param(name: str) -> None:
    """Let :func:`finish_run` drop ``name`` from the URL on pages that do not use it."""
    KNOWN_PARAMS.add(name)
