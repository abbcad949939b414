"""Deterministic rendering of folium maps and what Streamlit needs to show them.

folium gives every element a random ``_id`` (``uuid4``), so the same map renders to different
HTML every time; streamlit-folium then sees a "new" map and remounts the component. Here the ids
are replaced by ids derived from a namespace and the element's position in the tree.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from collections.abc import Iterable

import folium
from branca.element import Element

#: What ``st_folium`` returns when nothing on the map is clickable for the page: panning and
#: zooming never rerun the script.
RETURN_NOTHING: tuple[str, ...] = ()
#: For a page that reacts to a click on a feature: only the clicked feature (its GeoJSON, whose
#: ``id`` the builders set, see :func:`clicked_feature`) and a click counter (so that a second
#: click on the same feature is a new value) are sent back; panning and zooming still do not
#: rerun the script (the value does not change).
RETURN_CLICKED_FEATURE: tuple[str, ...] = ("last_active_drawing", "last_object_clicked_count")


def returned_objects(clickable: bool = False) -> list[str]:
    """The ``returned_objects`` argument for ``streamlit_folium.st_folium``.

    ``st_folium`` reruns the script whenever a returned value changes; with the default (``None``)
    it returns bounds, zoom and centre, so every pan or zoom reruns the page. With this list, the
    map only reruns the script on a click on a feature (``clickable=True``) or never.

    Args:
        clickable: the page uses the clicked feature (its tooltip text) to drive something.
    """
    return list(RETURN_CLICKED_FEATURE if clickable else RETURN_NOTHING)


def clicked_feature(value: object) -> tuple[str, str] | None:
    """``(kind, key)`` of the feature last clicked on a map, from ``st_folium``'s return value.

    The builders give every clickable feature an id ``"<kind>:<key>"``: ``city:<ISTAT code>``
    (national bubbles), ``periphery:<id>`` and ``hub:<id>`` (city maps). Anything else (no
    click yet, a click on an unnamed layer, a malformed value) gives None.
    """
    if not isinstance(value, dict):
        return None
    feature = value.get("last_active_drawing")
    fid = feature.get("id") if isinstance(feature, dict) else None
    if not isinstance(fid, str) or ":" not in fid:
        return None
    kind, _, key = fid.partition(":")
    return (kind, key) if kind and key else None


def _stable_id(namespace: str, index: int) -> str:
    # 32 hex characters like folium's own ids: streamlit-folium rewrites variable-name suffixes
    # that look like ids, so short ids ("1", "2") could collide with text inside the data.
    return hashlib.sha256(f"{namespace}:{index}".encode()).hexdigest()[:32]


def stabilize_ids(m: folium.Map, namespace: str = "lgnet2") -> folium.Map:
    """Give every element of ``m``'s figure a deterministic id (in place; returns ``m``).

    Ids follow a depth-first walk in insertion order, so two maps built by the same calls get the
    same ids and render to byte-identical HTML. Call it after the last element is added.
    """
    root = m.get_root()
    counter = 0

    def visit(el: Element) -> None:
        nonlocal counter
        old_name = el.get_name()
        el._id = _stable_id(namespace, counter)
        counter += 1
        parent = el._parent
        if parent is not None and old_name in parent._children:
            # Re-key the parent's dict (keys are names) keeping the order of insertion.
            items = [
                (el.get_name() if k == old_name else k, v) for k, v in parent._children.items()
            ]
            parent._children = OrderedDict(items)
        for child in list(el._children.values()):
            visit(child)

    visit(root)
    return m


def render_html(m: folium.Map) -> str:
    """The standalone HTML document of ``m`` (what a browser would load), as a string.

    Renders a copy: folium's rendering is not idempotent (each render of a layer adds its
    ``addTo`` script again), so ``m`` is left as it was and may still be passed to ``st_folium``
    or rendered again with the same result.
    """
    return str(copy.deepcopy(m).get_root().render())


def html_size(m: folium.Map) -> int:
    """Size in bytes (UTF-8) of ``m``'s rendered HTML: the figure issue 3's budgets apply to
    (national map <= 200 KB, a city map <= 400 KB). Scripts and styles loaded from the app's
    static files are not included (they are cached by the browser)."""
    return len(render_html(m).encode("utf-8"))


def element_count(m: folium.Map, kinds: Iterable[type]) -> int:
    """How many elements of the given classes the map holds (for tests and benchmarks)."""
    kinds_t = tuple(kinds)

    def count(el: Element) -> int:
        return int(isinstance(el, kinds_t)) + sum(count(c) for c in el._children.values())

    return count(m)
