"""Issue 11, point 3: a status is computed once, from the exact figures, and is the same for
every role (Sassari WP3 was "on track" for the public and "at risk" for steering)."""

from __future__ import annotations

import pytest

from dashboard import computed
from data_access.viewer import Viewer

ROLES = ("public", "city:037006", "steering", "admin")


@pytest.fixture
def demo_env(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LGNET2_DATABASE_URL", demo_sqlite_url)


@pytest.mark.parametrize("period", ["2023-06", "2023-12", "2024-03"])
def test_work_package_status_is_the_same_for_every_role(demo_env: None, period: str) -> None:
    statuses = {
        role: computed.wp_status(Viewer.parse(role), period).set_index(["city_code", "wp"])[
            "status"
        ]
        for role in ROLES
    }
    exact = statuses["steering"]
    assert len(exact) == 48
    for role, status in statuses.items():
        differ = status[status != exact.reindex(status.index)]
        assert differ.empty, (role, differ.to_dict())


def test_sassari_wp3_is_one_status(demo_env: None) -> None:
    seen = {
        role: computed.wp_status(Viewer.parse(role), "2024-03")
        .set_index(["city_code", "wp"])
        .at[("090064", "WP3"), "status"]
        for role in ROLES
    }
    assert len(set(seen.values())) == 1, seen


@pytest.mark.parametrize("period", ["2023-06", "2024-03"])
def test_indicator_status_is_exact_wherever_a_value_is_shown(demo_env: None, period: str) -> None:
    exact = computed.status(Viewer("steering"), period).set_index(["city_code", "indicator_code"])[
        "status"
    ]
    for role in ("public", "city:037006"):
        shown = computed.status(Viewer.parse(role), period)
        visible = shown[shown["value"].notna()].set_index(["city_code", "indicator_code"])
        differ = visible["status"] != exact.reindex(visible.index)
        assert not differ.any(), visible[differ].index.tolist()
        # a hidden value leaves no status behind that would stand for it
        hidden = shown[shown["value"].isna()]
        assert set(hidden["status"]) <= {"no_data"}


def test_public_summary_map_status_is_the_same_for_every_role(demo_env: None) -> None:
    codes = ["WP1_PARTICIPANTS", "WP2_TAKEN_IN_CHARGE", "WP3_HOUSED"]
    seen = {
        role: computed.overall_status(Viewer.parse(role), "2024-03", codes)
        .set_index("city_code")["status"]
        .to_dict()
        for role in ROLES
    }
    assert all(s == seen["steering"] for s in seen.values())
