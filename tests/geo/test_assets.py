"""geo.assets: every map asset is copied into the app's static folder and referenced locally."""

from __future__ import annotations

import re
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
from geo_checks import streamlit_folium_links

from geo.assets import DEFAULT_PREFIX, asset_urls, localize_assets, prepare_static_assets


def _path_of(url: str, static_dir: Path, prefix: str = DEFAULT_PREFIX) -> Path:
    assert url.startswith(prefix + "/"), url
    return static_dir / "vendor" / url[len(prefix) + 1 :]


def test_prepare_copies_every_referenced_file_and_is_idempotent(tmp_path: Path) -> None:
    written = prepare_static_assets(tmp_path)
    assert written, "first call must copy the assets"
    for url in asset_urls().values():
        assert _path_of(url, tmp_path).is_file(), url
    assert prepare_static_assets(tmp_path) == []


def test_prepare_repairs_a_changed_file(tmp_path: Path) -> None:
    prepare_static_assets(tmp_path)
    leaflet = _path_of(asset_urls()["leaflet"], tmp_path)
    leaflet.write_text("broken")
    assert prepare_static_assets(tmp_path) == [leaflet]
    assert leaflet.read_text().startswith("/*")


@pytest.mark.parametrize(
    ("css_key", "pattern"),
    [
        ("leaflet_css", r"url\((images/[^)]+)\)"),
        ("awesome_markers_font_css", r"url\(\.\./(webfonts/[^)]+)\)"),
    ],
)
def test_files_referenced_by_stylesheets_are_there(
    tmp_path: Path, css_key: str, pattern: str
) -> None:
    prepare_static_assets(tmp_path)
    css = _path_of(asset_urls()[css_key], tmp_path)
    base = css.parent if css_key == "leaflet_css" else css.parent.parent
    refs = set(re.findall(pattern, css.read_text()))
    assert refs
    for ref in refs:
        assert (base / ref).is_file(), ref


@pytest.mark.parametrize("prefix", [DEFAULT_PREFIX, "/lgnet/app/static/vendor"])
def test_localize_rewrites_every_link_of_both_render_paths(prefix: str) -> None:
    m = folium.Map(tiles=None)
    folium.CircleMarker([45, 9], radius=4).add_to(m)
    localize_assets(m, prefix)
    links = streamlit_folium_links(m)
    assert links and all(u.startswith(prefix + "/") for u in links), links
    head = m.get_root().render().split("</head>")[0]
    srcs = re.findall(r'(?:src|href)="([^"]+)"', head)
    assert sorted(set(srcs)) == sorted(set(links))
    names = {name for name, _ in m.default_js + m.default_css}
    assert names == {
        "leaflet",
        "leaflet_css",
        "awesome_markers_font_css",
        "lgnet2_map_css",
    }


def test_localize_twice_changes_nothing() -> None:
    m = localize_assets(folium.Map(tiles=None))
    before = (list(m.default_js), list(m.default_css))
    localize_assets(m)
    assert (m.default_js, m.default_css) == before


@pytest.mark.parametrize(
    "add",
    [
        lambda m: folium.Marker([45, 9], icon=folium.Icon(icon="info")).add_to(m),
        lambda m: branca.colormap.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m),
        lambda m: folium.plugins.MarkerCluster().add_to(m),
    ],
    ids=["awesome-marker-icon", "branca-colormap", "plugin-from-cdn"],
)
def test_localize_refuses_assets_it_cannot_serve(add) -> None:  # type: ignore[no-untyped-def]
    m = folium.Map(tiles=None)
    add(m)
    with pytest.raises(ValueError):
        localize_assets(m)
