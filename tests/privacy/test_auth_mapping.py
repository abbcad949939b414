"""Claims + role mapping -> Viewer (pure part of dashboard.auth)."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.auth import local_viewer, role_label, viewer_from_claims
from data_access.errors import UnknownCode
from data_access.viewer import Viewer

MAPPING: dict[str, Any] = {
    "groups_claim": "groups",
    "emails": {
        "M.Rossi@interno.it": "steering",
        "roma@comune.roma.it": "city:058091",
        "admin@anci.it": "admin",
        "ex@comune.roma.it": "public",
    },
    "groups": {
        "lgnet2-steering": "steering",
        "lgnet2-admin": "admin",
        "lgnet2-city-015146": "city:015146",
        "lgnet2-city-058091": "city:058091",
    },
}
NOW = 1_700_000_000


def user(**claims: Any) -> dict[str, Any]:
    return {"is_logged_in": True, "sub": "u1", **claims}


@pytest.mark.parametrize(
    ("claims", "viewer", "source"),
    [
        (None, Viewer(), "anonymous"),
        ({}, Viewer(), "anonymous"),
        ({"is_logged_in": False, "email": "admin@anci.it"}, Viewer(), "anonymous"),
        (user(email="m.rossi@interno.it"), Viewer("steering"), "email"),  # case-insensitive
        (user(email=" ROMA@comune.roma.it "), Viewer("city", "058091"), "email"),
        (user(email="admin@anci.it", email_verified=True), Viewer("admin"), "email"),
        (user(email="admin@anci.it", email_verified=False), Viewer(), "unverified"),
        # an address entry wins over groups, and can withhold a role
        (user(email="ex@comune.roma.it", groups=["lgnet2-steering"]), Viewer(), "email"),
        (user(email="someone@else.it"), Viewer(), "unmapped"),
        (
            user(email="someone@else.it", groups=["lgnet2-city-015146"]),
            Viewer("city", "015146"),
            "group",
        ),
        (
            user(groups=["other", "lgnet2-city-015146", "lgnet2-steering"]),
            Viewer("steering"),
            "group",
        ),
        (user(groups=["lgnet2-steering", "lgnet2-admin"]), Viewer("admin"), "group"),
        (user(groups=["lgnet2-city-015146", "lgnet2-city-058091"]), Viewer(), "ambiguous"),
        (
            user(groups="lgnet2-steering other"),
            Viewer("steering"),
            "group",
        ),  # space-separated claim
        (user(groups=["unknown-group"]), Viewer(), "unmapped"),
        (user(email="admin@anci.it", exp=NOW - 1), Viewer(), "expired"),
        (user(email="admin@anci.it", exp=NOW + 60), Viewer("admin"), "email"),
        # a claim that is not a list or a string never matches
        (user(groups={"lgnet2-admin": True}), Viewer(), "unmapped"),
        # the role never comes from the token itself
        (user(email="someone@else.it", role="admin", lgnet2_role="steering"), Viewer(), "unmapped"),
    ],
)
def test_viewer_from_claims(claims: dict[str, Any] | None, viewer: Viewer, source: str) -> None:
    res = viewer_from_claims(claims, MAPPING, now=NOW)
    assert (res.viewer, res.source) == (viewer, source)


def test_custom_groups_claim() -> None:
    mapping = {**MAPPING, "groups_claim": "roles"}
    res = viewer_from_claims(user(roles=["lgnet2-admin"], groups=["lgnet2-steering"]), mapping, NOW)
    assert res.viewer == Viewer("admin")


@pytest.mark.parametrize("mapping", [None, {}])
def test_no_mapping_means_public(mapping: dict[str, Any] | None) -> None:
    assert viewer_from_claims(user(email="admin@anci.it"), mapping, NOW).viewer == Viewer()


@pytest.mark.parametrize(
    ("mapping", "claims"),
    [
        ({"emails": {"a@b.it": "superuser"}}, user(email="a@b.it")),
        ({"groups": {"g": "city:"}}, user(groups=["g"])),
    ],
)
def test_malformed_mapping_fails_loudly(mapping: dict[str, Any], claims: dict[str, Any]) -> None:
    with pytest.raises(UnknownCode) as err:
        viewer_from_claims(claims, mapping, NOW)
    assert "lgnet2.roles" in err.value.message_en


@pytest.mark.parametrize(
    ("spec", "oidc", "viewer", "source"),
    [
        (None, False, Viewer(), "default"),
        ("", False, Viewer(), "default"),
        ("steering", False, Viewer("steering"), "local"),
        (" city:037006 ", False, Viewer("city", "037006"), "local"),
        ("admin", False, Viewer("admin"), "local"),
        ("public", False, Viewer(), "local"),
        ("steering", True, Viewer(), "default"),  # ignored whenever OIDC is configured
        ("garbage", True, Viewer(), "default"),
    ],
)
def test_local_viewer(spec: str | None, oidc: bool, viewer: Viewer, source: str) -> None:
    res = local_viewer(spec, oidc)
    assert (res.viewer, res.source) == (viewer, source)


def test_local_viewer_rejects_a_bad_role() -> None:
    with pytest.raises(UnknownCode):
        local_viewer("root", False)


@pytest.mark.parametrize(
    ("viewer", "lang", "label"),
    [
        (Viewer(), "it", "pubblico"),
        (Viewer("steering"), "en", "steering committee"),
        (Viewer("city", "058091"), "it", "città Roma (058091)"),  # found in review: code only
        (Viewer("city", "0A0001"), "it", "città 0A0001"),  # not one of the 16: the code
    ],
)
def test_role_label(viewer: Viewer, lang: str, label: str) -> None:
    assert role_label(viewer, lang) == label
