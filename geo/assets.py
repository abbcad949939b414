"""Map assets served by the app itself: no public CDN, no visitor's address sent to a third party.

folium points every map at jsDelivr, cdnjs, code.jquery.com and bootstrapcdn. This module

1. copies the files a map needs (Leaflet and Font Awesome from the installed XStatic
   packages, plus our own small ``lgnet2-map.css`` that replaces Bootstrap) into the app's static
   directory: :func:`prepare_static_assets`;
2. rewrites a built ``folium.Map`` so that every ``<script src>`` / ``<link href>`` points to those
   copies: :func:`localize_assets`.

How the files reach the map: folium's standalone HTML puts ``default_js`` / ``default_css`` of every
element into the page head; streamlit-folium strips those tags from the head and instead collects
the same ``default_js`` / ``default_css`` lists from the map tree and loads them inside its component
iframe (served by Streamlit at ``/component/streamlit_folium.st_folium/``). Rewriting those lists on
each element therefore covers both paths. Streamlit serves ``<app dir>/static/`` at ``/app/static/``
when ``server.enableStaticServing = true``, with real content types for ``.js``/``.css``/fonts.

Bootstrap, glyphicons and Leaflet.awesome-markers are dropped (no XStatic build): our maps use
``DivIcon`` markers with Font Awesome glyphs and ``CircleMarker`` bubbles, never ``folium.Icon``.
jQuery is dropped too: folium lists it for Bootstrap's scripts, and nothing in our maps, in Leaflet
or in streamlit-folium's component uses it; streamlit-folium loads the scripts one after the other,
so each one it does not fetch and parse brings the first drawn map closer.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element

#: URL under which :func:`prepare_static_assets`'s ``static_dir / "vendor"`` is served by
#: Streamlit's static file serving. Behind ``server.baseUrlPath = "x"`` use ``"/x/app/static/vendor"``.
DEFAULT_PREFIX = "/app/static/vendor"

#: Subdirectory of the static directory that this module owns (it may overwrite files there).
VENDOR_DIRNAME = "vendor"

_OWN_DIR = Path(__file__).resolve().parent  # lgnet2-map.css ships as package data (*.css)

# folium resource names that we deliberately do not load (Bootstrap and awesome-markers).
_DROPPED = frozenset(
    {
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_rotate_css",
        "jquery",
    }
)


@dataclass(frozen=True)
class _Asset:
    """One served file tree: ``source_dir/rel`` is copied to ``vendor/<dest>/rel``."""

    package: str  # "leaflet" | "font_awesome" | "lgnet2"
    dest: str
    files: tuple[str, ...]


def _xstatic(name: str) -> tuple[Path, str]:
    """The data directory and version of an installed XStatic package (imported lazily)."""
    import importlib

    mod = importlib.import_module(f"xstatic.pkg.{name}")
    return Path(mod.BASE_DIR), str(mod.VERSION)


def _assets() -> list[tuple[_Asset, Path]]:
    leaflet_dir, leaflet_v = _xstatic("leaflet")
    fa_dir, fa_v = _xstatic("font_awesome")
    fonts = tuple(sorted(f"webfonts/{p.name}" for p in (fa_dir / "webfonts").iterdir()))
    images = tuple(sorted(f"images/{p.name}" for p in (leaflet_dir / "images").iterdir()))
    return [
        (
            _Asset("leaflet", f"leaflet-{leaflet_v}", ("leaflet.js", "leaflet.css", *images)),
            leaflet_dir,
        ),
        (_Asset("font_awesome", f"fontawesome-{fa_v}", ("css/all.min.css", *fonts)), fa_dir),
        (_Asset("lgnet2", "lgnet2", ("lgnet2-map.css",)), _OWN_DIR),
    ]


def asset_urls(prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """The local URL of every script and stylesheet a map loads, by folium resource name.

    Keys are folium's names (``leaflet``, ``leaflet_css``,
    ``awesome_markers_font_css``) plus ``lgnet2_map_css``. Deterministic for a given set of
    installed XStatic versions.
    """
    p = prefix.rstrip("/")
    dest = {a.package: a.dest for a, _ in _assets()}
    return {
        "leaflet": f"{p}/{dest['leaflet']}/leaflet.js",
        "leaflet_css": f"{p}/{dest['leaflet']}/leaflet.css",
        "awesome_markers_font_css": f"{p}/{dest['font_awesome']}/css/all.min.css",
        "lgnet2_map_css": f"{p}/{dest['lgnet2']}/lgnet2-map.css",
    }


def _copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a browser never reads a half-written file from a running app.
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


def prepare_static_assets(static_dir: str | os.PathLike[str]) -> list[Path]:
    """Copy every file a map loads into ``static_dir/vendor/`` (idempotent, safe to call at startup).

    Files already present with identical content are left alone, so repeated calls write nothing.
    Copies, not symlinks: Streamlit refuses to serve a static path whose real path leaves the
    static directory. Only ``static_dir/vendor/`` is touched.

    Args:
        static_dir: the ``static/`` folder next to the Streamlit entry script.

    Returns:
        The files written by this call (empty when everything was up to date).
    """
    root = Path(static_dir) / VENDOR_DIRNAME
    written: list[Path] = []
    for asset, src_dir in _assets():
        for rel in asset.files:
            dst = root / asset.dest / rel
            if _copy_if_changed(src_dir / rel, dst):
                written.append(dst)
    return written


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def localize_assets(m: folium.Map, prefix: str = DEFAULT_PREFIX) -> folium.Map:
    """Point every script and stylesheet of ``m`` at the app-served copies (in place; returns ``m``).

    After this, neither folium's standalone HTML nor streamlit-folium's iframe loads anything
    from another host. Call it after the last layer is added.

    Raises:
        ValueError: an element needs an external asset we do not ship (a folium plugin, a
            ``folium.Icon`` needing awesome-markers, or a branca colormap for which
            streamlit-folium would add d3 from a CDN). Fail loudly rather than render a blank map.
    """
    import branca.colormap

    urls = asset_urls(prefix)
    for el in _walk(m):
        if isinstance(el, folium.Icon):
            raise ValueError("folium.Icon needs Leaflet.awesome-markers from a CDN; use a DivIcon")
        if isinstance(el, branca.colormap.ColorMap):
            raise ValueError(
                "branca colormaps make streamlit-folium load d3 from a CDN; use geo.style.Legend"
            )
        for attr in ("default_js", "default_css"):
            resources = getattr(el, attr, None)
            if not resources:
                continue
            local: list[tuple[str, str]] = []
            for name, url in resources:
                if name in _DROPPED:
                    continue
                if name in urls:
                    local.append((name, urls[name]))
                elif url.startswith(prefix):
                    local.append((name, url))
                else:
                    raise ValueError(f"no local copy of map asset {name!r} ({url})")
            setattr(el, attr, local)
    if all(name != "lgnet2_map_css" for name, _ in m.default_css):
        m.default_css = [*m.default_css, ("lgnet2_map_css", urls["lgnet2_map_css"])]
    return m
