"""Cached views: what a page builds from the data (figures, derived frames), kept between reruns.

A warm rerun (a widget change, a language switch back, another session with the same view) must
not rebuild plotly figures or re-derive frames: plotly validates every property it is given, which
costs tens of milliseconds per chart. These helpers run ``build()`` once per key and hand back a
copy afterwards.

The key is ``(name, database URL and data version, str(viewer), *parts)``: the viewer is always in
it, so a view built for one role is never served to another (Streamlit caches are shared by every
session). The caller must put in ``parts`` everything else the result depends on (language,
period, indicator, city...).

The result is kept once per process (``st.cache_resource``) and every rerun and session gets that
same object, never a copy: unpickling a copy on each rerun was a fifth of a warm rerun with 1,600
cities (figures of every city, tables, map HTML). So what these helpers return is shared and
**never modified**: draw it, read it, derive new frames from it (``assign``, ``merge``, slices),
never assign into it. ``cache.clear_data`` forgets everything after new data lands.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseFigure

from dashboard import cache
from data_access.viewer import Viewer

T = TypeVar("T")


@st.cache_resource(ttl=cache.TTL_SECONDS, show_spinner=False, max_entries=1024)
def _value(key: tuple[Any, ...], _build: Callable[[], Any]) -> Any:
    # ``_build`` is not hashed (leading underscore): ``key`` alone identifies the result.
    return _build()


def clear() -> None:
    """Forget every kept result (``cache.clear_data`` calls it after new data lands)."""
    _value.clear()


cache.on_clear(clear)


def value(name: str, viewer: Viewer, *parts: Hashable, build: Callable[[], T]) -> T:
    """``build()``, computed once per ``(name, database, viewer, *parts)``; later the same
    object (shared: never modify it)."""
    return _value((name, cache.data_key(), str(viewer), *parts), build)  # type: ignore[no-any-return]


class FigureSpec(BaseFigure):
    """A figure that was built and validated once, kept as its plain spec (``Figure.to_dict()``).

    ``st.plotly_chart`` accepts it as a figure and reads it with ``to_dict()``, so a warm rerun
    neither rebuilds nor revalidates plotly objects (tens of milliseconds per chart). For anything
    else (PNG export, tests) :meth:`figure` gives a real ``go.Figure``.
    """

    def __init__(self, spec: dict[str, Any]):  # deliberately not BaseFigure.__init__
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict[str, Any]:
        return self._spec  # type: ignore[no-any-return]

    def to_plotly_json(self) -> dict[str, Any]:
        return self._spec  # type: ignore[no-any-return]

    def figure(self) -> go.Figure:
        """A real plotly figure with a copy of this spec (the spec itself is shared)."""
        return go.Figure(copy.deepcopy(self._spec))

    def __repr__(self) -> str:
        return f"FigureSpec({len(self._spec.get('data', []))} traces)"


def figure(
    name: str, viewer: Viewer, *parts: Hashable, build: Callable[[], go.Figure]
) -> FigureSpec:
    """A plotly figure built once per key and kept as its spec (see :class:`FigureSpec`)."""
    return FigureSpec(
        _value(("figure", name, cache.data_key(), str(viewer), *parts), lambda: build().to_dict())
    )
