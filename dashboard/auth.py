"""Sign-in and roles: who is looking, as a ``Viewer`` (ARCHITECTURE.md "Roles and disclosure").

Two modes, decided by ``.streamlit/secrets.toml``:

1. **OIDC** when an ``[auth]`` section exists: ``st.login`` / ``st.logout`` with the identity
   provider configured there (Streamlit's own format), and a mapping from the identity token's
   claims to roles in ``[lgnet2.roles]``. Anybody not signed in, or signed in but not mapped, is
   the public. ``LGNET2_LOCAL_ROLE`` is ignored in this mode.
2. **No** ``[auth]``: the public, unless the local operator sets ``LGNET2_LOCAL_ROLE``
   (``public`` | ``steering`` | ``admin`` | ``city:<ISTAT code>``) in the server's environment.

Nothing in the URL, in the session state or in a widget can raise a role: the role is computed
on every run from the signed identity cookie (``st.user``) or the server's environment only.

Example ``secrets.toml``::

    [auth]
    redirect_uri = "https://lgnet2.example.it/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "lgnet2-dashboard"
    client_secret = "..."
    server_metadata_url = "https://id.example.it/.well-known/openid-configuration"

    [lgnet2.roles]
    groups_claim = "groups"          # claim listing the user's groups (default "groups")
    [lgnet2.roles.emails]            # exact addresses, case-insensitive; checked first
    "m.rossi@interno.it" = "steering"
    "uff.statistica@comune.roma.it" = "city:058091"
    "approvazioni@anci.it" = "admin"
    "ex.collaboratore@comune.roma.it" = "public"   # an address entry can also withhold a role
    [lgnet2.roles.groups]            # group names in the groups claim
    "lgnet2-steering" = "steering"
    "lgnet2-city-015146" = "city:015146"

Resolution (``viewer_from_claims``, pure): not signed in -> public; expired token (``exp`` in
the past) -> public; an ``emails`` entry for the token's ``email`` -> that role, only when the
provider does not say ``email_verified = false``; otherwise the ``groups`` entries matching the
user's groups: the highest of admin > steering > city; two different cities -> public
(ambiguous, fixed by an ``emails`` entry); no match -> public. A malformed role in the mapping
raises ``UnknownCode`` naming the entry, so a broken configuration fails loudly, not silently.
A named provider (``[auth.<name>]``) is used when ``[lgnet2] auth_provider = "<name>"`` is set.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.state import current_lang
from data_access import settings
from data_access.errors import UnknownCode
from data_access.locale import translate
from data_access.reference_load import load_city_facts
from data_access.settings import ENV_LOCAL_ROLE
from data_access.viewer import Viewer

_RANK = {"public": 0, "city": 1, "steering": 2, "admin": 3}


@dataclass(frozen=True)
class Resolution:
    """A Viewer and why: ``anonymous`` | ``email`` | ``group`` | ``unmapped`` | ``ambiguous`` |
    ``expired`` | ``unverified`` | ``local`` | ``default``."""

    viewer: Viewer
    source: str


def _parse_role(spec: object, where: str) -> Viewer:
    try:
        return Viewer.parse(str(spec))
    except UnknownCode as err:
        raise UnknownCode.of(
            "errors.role_invalid_in", hint=err.hint_key, where=where, spec=spec
        ) from err


def _groups(claims: Mapping[str, Any], claim: str) -> list[str]:
    raw = claims.get(claim)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [g for g in raw.replace(",", " ").split() if g]
    if isinstance(raw, list | tuple):
        return [str(g) for g in raw]
    return []


def viewer_from_claims(
    claims: Mapping[str, Any] | None, mapping: Mapping[str, Any] | None, now: float | None = None
) -> Resolution:
    """Map identity-token claims to a Viewer (pure; see the module docstring for the rules).

    Args:
        claims: ``st.user`` as a dict (``is_logged_in`` plus the token's claims), or None.
        mapping: the ``[lgnet2.roles]`` table (``emails``, ``groups``, ``groups_claim``).
        now: current UNIX time (default ``time.time()``), compared with the ``exp`` claim.

    Raises:
        UnknownCode: a mapping entry that applies to this user is not a valid role.
    """
    if not claims or not claims.get("is_logged_in", False):
        return Resolution(Viewer(), "anonymous")
    exp = claims.get("exp")
    if isinstance(exp, int | float) and exp < (time.time() if now is None else now):
        return Resolution(Viewer(), "expired")
    mapping = mapping or {}
    emails = {str(k).strip().lower(): v for k, v in dict(mapping.get("emails", {})).items()}
    email = str(claims.get("email") or "").strip().lower()
    if email and email in emails:
        if claims.get("email_verified") is False:
            return Resolution(Viewer(), "unverified")
        return Resolution(_parse_role(emails[email], f"[lgnet2.roles.emails] {email!r}"), "email")
    group_map = dict(mapping.get("groups", {}))
    found = [
        _parse_role(group_map[g], f"[lgnet2.roles.groups] {g!r}")
        for g in _groups(claims, str(mapping.get("groups_claim", "groups")))
        if g in group_map
    ]
    if not found:
        return Resolution(Viewer(), "unmapped")
    top = max(_RANK[v.role] for v in found)
    best = {v for v in found if _RANK[v.role] == top}
    if len(best) > 1:  # only city roles can differ at the same rank
        return Resolution(Viewer(), "ambiguous")
    return Resolution(best.pop(), "group")


def local_viewer(spec: str | None, oidc_configured: bool) -> Resolution:
    """The Viewer without sign-in: ``LGNET2_LOCAL_ROLE`` when OIDC is *not* configured.

    Raises:
        UnknownCode: ``spec`` is not a valid role (and OIDC is not configured).
    """
    if oidc_configured or not spec or not spec.strip():
        return Resolution(Viewer(), "default")
    return Resolution(_parse_role(spec, ENV_LOCAL_ROLE), "local")


# --- Streamlit side ------------------------------------------------------------------------


#: How long the answer "is there a secrets file?" is kept (seconds): a file an operator adds
#: to a running server counts within this time, as Streamlit's own watcher of secrets would.
SECRETS_CHECK_TTL = 5.0
_secrets_seen: tuple[float, bool] = (-SECRETS_CHECK_TTL, False)


def _secrets_file_exists() -> bool:
    # With no secrets file at all, every access to st.secrets looks for the files again under
    # one process-wide lock: each run of each session queued on it under load. A stat of the
    # configured paths answers that case without the lock, and is itself kept a few seconds
    # (three calls a run, a few stats each, were 3 % of a server's CPU under load).
    global _secrets_seen
    checked, exists = _secrets_seen
    now = time.monotonic()
    if now - checked >= SECRETS_CHECK_TTL:
        exists = any(os.path.exists(path) for path in st.get_option("secrets.files"))
        _secrets_seen = (now, exists)
    return exists


def _secrets() -> Mapping[str, Any]:
    if not _secrets_file_exists():
        return {}
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except FileNotFoundError:  # StreamlitSecretNotFoundError: no secrets.toml at all
        return {}


def oidc_configured() -> bool:
    """True when secrets.toml has an ``[auth]`` section."""
    return "auth" in _secrets()


def _claims() -> dict[str, Any]:
    return dict(st.user.to_dict()) if st.user.get("is_logged_in", False) else {}


def _role_mapping() -> Mapping[str, Any]:
    lg = _secrets().get("lgnet2", {})
    return lg.get("roles", {}) if hasattr(lg, "get") else {}


def resolve() -> Resolution:
    """This session's Viewer and its source (computed on every run, never stored)."""
    if oidc_configured():
        return viewer_from_claims(_claims(), _role_mapping())
    return local_viewer(settings.current().local_role or None, False)


def current_viewer() -> Viewer:
    """This session's Viewer: public unless a sign-in or the local operator says otherwise.

    Raises ``UnknownCode`` when ``LGNET2_LOCAL_ROLE`` is malformed (the router shows it)."""
    return resolve().viewer


def _provider() -> str | None:
    lg = _secrets().get("lgnet2", {})
    name = lg.get("auth_provider") if hasattr(lg, "get") else None
    return str(name) if name else None


@functools.cache
def _programme_city_names() -> dict[str, str]:
    return {str(c["code"]): str(c["name"]) for c in load_city_facts()}


def role_label(viewer: Viewer, lang: str = "it") -> str:
    """Human label of a role, e.g. "città Roma (058091)" / "steering committee" (the code alone
    for a city outside the programme's 16, e.g. the benchmarks' synthetic copies)."""
    label = translate(lang, f"account.{viewer.role}")
    if viewer.role != "city":
        return label
    name = _programme_city_names().get(str(viewer.city))
    return f"{label} {name} ({viewer.city})" if name else f"{label} {viewer.city}"


def render_account_box(lang: str | None = None) -> None:
    """Sidebar box: the role, and sign-in / sign-out buttons when OIDC is configured."""
    if lang is None:
        lang = current_lang()

    def text(key: str) -> str:
        return translate(lang, f"account.{key}")

    res = resolve()
    box = st.sidebar.container(key="lgnet2_account")
    if oidc_configured():
        claims = _claims()
        if claims:
            who = str(claims.get("email") or claims.get("name") or claims.get("sub") or "")
            box.caption(who)
            box.markdown(f"**{text('role')}:** {role_label(res.viewer, lang)}")
            if res.source in ("unmapped", "ambiguous", "expired", "unverified"):
                box.info(text(res.source))
            if box.button(text("logout"), key="lgnet2_logout"):
                st.logout()
        else:
            box.markdown(f"**{text('role')}:** {role_label(res.viewer, lang)}")
            if box.button(text("login"), key="lgnet2_login", type="primary"):
                provider = _provider()
                st.login(provider) if provider else st.login()
        return
    suffix = f" — {text('local')}" if res.source == "local" else ""
    box.markdown(f"**{text('role')}:** {role_label(res.viewer, lang)}{suffix}")
