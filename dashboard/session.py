"""Who is looking at the app in this session.

One function, :func:`current_viewer`, gives every page its ``Viewer``. It delegates to
``dashboard.auth.resolve_viewer`` (sign-in and ``LGNET2_LOCAL_ROLE``, owned by the privacy
helper) when that module is present; until then it honours ``LGNET2_LOCAL_ROLE`` itself and
defaults to the public. Nothing in the URL can change the role.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

from data_access.viewer import Viewer

ENV_LOCAL_ROLE = "LGNET2_LOCAL_ROLE"


def _auth_module():  # type: ignore[no-untyped-def]
    if importlib.util.find_spec("dashboard.auth") is None:
        return None
    return importlib.import_module("dashboard.auth")


def current_viewer() -> Viewer:
    """The session's Viewer (public unless a sign-in or the local operator says otherwise).

    Raises ``UnknownCode`` (an ``LgnetError``) when ``LGNET2_LOCAL_ROLE`` is malformed; the
    router renders it like any other user-facing error.
    """
    auth = _auth_module()
    if auth is not None and hasattr(auth, "resolve_viewer"):
        viewer = auth.resolve_viewer()
        if isinstance(viewer, Viewer):
            return viewer
    spec = os.environ.get(ENV_LOCAL_ROLE, "").strip()
    return Viewer.parse(spec) if spec else Viewer()


def render_account_box() -> None:
    """The sidebar account box from ``dashboard.auth`` when it exists (sign-in/out, role)."""
    auth = _auth_module()
    box = getattr(auth, "render_account_box", None) if auth is not None else None
    if callable(box):
        box()
