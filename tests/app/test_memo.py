"""Cached views send the browser exactly what the uncached calls send (dashboard.memo, maps_ui)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalog, translate, unit_label
from data_access.catalogue import INDICATORS

from .conftest import MakeApp, texts


def _chart_app() -> None:
    import plotly.graph_objects as go
    import streamlit as st

    from dashboard.memo import FigureSpec

    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": "T"}})
    st.plotly_chart(fig, key="real")
    st.plotly_chart(FigureSpec(fig.to_dict()), key="spec")


def test_a_figure_spec_renders_like_its_figure() -> None:
    at = AppTest.from_function(_chart_app).run()
    assert not at.exception
    real, spec = (at.get("plotly_chart")[i].proto.spec for i in (0, 1))
    assert real == spec and '"T"' in real


def test_figure_spec_gives_back_a_real_figure() -> None:
    import plotly.graph_objects as go

    from dashboard.memo import FigureSpec

    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    again = FigureSpec(fig.to_dict()).figure()
    assert isinstance(again, go.Figure) and again.to_dict() == fig.to_dict()


def _map_app() -> None:
    import folium
    import streamlit as st
    from streamlit_folium import st_folium

    from dashboard.maps_ui import show_cached_map
    from data_access.viewer import Viewer
    from geo.maps import returned_objects, stabilize_ids

    def build() -> folium.Map:
        m = folium.Map(location=(44.5, 11.3), zoom_start=12, tiles=None)
        folium.CircleMarker((44.5, 11.3), radius=5).add_to(m)
        return stabilize_ids(m)

    if st.session_state.get("mode") == "st_folium":
        st_folium(
            build(),
            key="m",
            height=300,
            use_container_width=True,
            returned_objects=returned_objects(False),
        )
    else:
        show_cached_map(build, viewer=Viewer(), parts=("test",), key="m", height=300)


def _map_proto(at: AppTest) -> str:
    assert not at.exception, [e.message for e in at.exception]
    (element,) = at.get("component_instance")
    return str(element.proto)


def test_a_cached_map_sends_what_st_folium_sends() -> None:
    at = AppTest.from_function(_map_app)
    at.session_state["mode"] = "st_folium"
    direct = _map_proto(at.run())
    at.session_state["mode"] = "cached"
    first = _map_proto(at.run())  # built, rendered and captured
    again = _map_proto(at.run())  # served from the cache
    assert "circleMarker" in direct
    assert direct == first == again


@pytest.mark.parametrize("unit", sorted({i.unit for i in INDICATORS}))
def test_every_unit_has_an_english_label(unit: str) -> None:
    assert f"unit.{unit}" in catalog("en")
    assert unit_label(unit, "it") == unit
    english = unit_label(unit, "en")
    assert english and (english == unit) == (unit == "%")


def test_english_work_package_page_shows_english_units(make_app: MakeApp) -> None:
    at = make_app("work_package", query={"lang": "en", "wp": "WP2", "indicator": "WP2_OUTINGS"})
    assert not at.exception
    shown = texts(at)
    assert "(outings)" in shown and "uscite" not in shown
    assert translate("en", "unit.uscite") == "outings"


def test_a_value_is_built_once_shared_and_forgotten_when_data_changes() -> None:
    from dashboard import cache, memo
    from data_access.viewer import Viewer

    built: list[int] = []

    def build() -> dict[str, list[int]]:
        built.append(1)
        return {"rows": [1, 2]}

    first = memo.value("test_shared", Viewer(), "x", build=build)
    again = memo.value("test_shared", Viewer(), "x", build=build)
    assert again is first and len(built) == 1, "the same object, not an unpickled copy"
    cache.clear_data()  # new data: memo is forgotten too (cache.on_clear)
    assert memo.value("test_shared", Viewer(), "x", build=build) == first and len(built) == 2
