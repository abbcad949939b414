"""Targets and the planned trajectory (metrics.progress): the plan of one target by month, and
the programme's total targets. Expected values are computed by hand in the case tables."""

from __future__ import annotations

import pytest
from progress_factories import (
    AVG,
    EXITS,
    M_2023_03,
    OCC,
    STAY,
    TIC,
    make_observations,
    make_targets,
)

from data_access.metrics import compute_cumulative, compute_total_monthly
from data_access.metrics.progress import (
    compute_plan,
    compute_status,
    compute_total_targets,
    planned_value,
)

# --- plan ------------------------------------------------------------------------------------
PLAN_CASES = [
    ("flow before the start", "flow", 180, "2022-09", None, 0.0),
    ("flow long before the start", "flow", 180, "2021-01", None, 0.0),
    ("flow after the first month", "flow", 180, "2022-10", None, 10.0),
    ("flow halfway (9 of 18 months)", "flow", 180, "2023-06", None, 90.0),
    ("flow at the end", "flow", 180, "2024-03", None, 180.0),
    ("flow after the end", "flow", 180, "2024-09", None, 180.0),
    ("stock is linear too", "stock", 36, "2023-03", None, 12.0),
    ("milestone hit exactly", "flow", 180, "2023-03", M_2023_03, 30.0),
    ("before the milestone: from 0 to it", "flow", 180, "2022-12", M_2023_03, 15.0),
    ("after the milestone: towards the target", "flow", 180, "2023-09", M_2023_03, 105.0),
    (
        "milestones as JSON text",
        "flow",
        180,
        "2023-03",
        '[{"period": "2023-03", "value": 30}]',
        30.0,
    ),
    ("empty JSON text", "flow", 180, "2023-06", "", 90.0),
    (
        "milestone after the end is ignored",
        "flow",
        180,
        "2023-06",
        [{"period": "2025-01", "value": 5}],
        90.0,
    ),
    (
        "the target wins over a milestone at the end",
        "flow",
        180,
        "2024-03",
        [{"period": "2024-03", "value": 5}],
        180.0,
    ),
    (
        "two milestones",
        "flow",
        100,
        "2023-05",
        [{"period": "2023-06", "value": 20}, {"period": "2023-04", "value": 10}],
        15.0,
    ),
    ("ratio is its target, flat", "ratio", 85, "2022-10", None, 85.0),
    ("ratio before the start", "ratio", 85, "2022-01", None, 85.0),
    (
        "ratio with a milestone: flat before it",
        "ratio",
        90,
        "2022-10",
        [{"period": "2023-03", "value": 60}],
        60.0,
    ),
    (
        "ratio with a milestone: linear after it",
        "ratio",
        90,
        "2023-09",
        [{"period": "2023-03", "value": 60}],
        75.0,
    ),
]


@pytest.mark.parametrize(
    "kind, end, period, milestones, expected",
    [c[1:] for c in PLAN_CASES],
    ids=[c[0] for c in PLAN_CASES],
)
def test_planned_value(kind, end, period, milestones, expected):
    assert planned_value(kind, end, period, milestones) == pytest.approx(expected)


def test_compute_plan_one_row_per_target_and_month():
    plan = compute_plan(make_targets(("A", TIC, 180), ("B", OCC, 85)), ["2022-10", "2023-06"])
    assert list(plan.itertuples(index=False, name=None)) == [
        ("A", TIC, "WP2", "2022-10", 10.0, 180.0),
        ("A", TIC, "WP2", "2023-06", 90.0, 180.0),
        ("B", OCC, "WP3", "2022-10", 85.0, 85.0),
        ("B", OCC, "WP3", "2023-06", 85.0, 85.0),
    ]


# --- totals -----------------------------------------------------------------------------------
TOTAL_TARGET_CASES = [
    ("flows add up", [("A", TIC, 100), ("B", TIC, 80)], TIC, 180.0, None),
    (
        "milestones become the summed plans",
        [("A", TIC, 180, M_2023_03), ("B", TIC, 90)],
        TIC,
        270.0,
        [{"period": "2023-03", "value": 30 + 30}],
    ),
    (
        "ratio from its parts' targets",
        [
            ("A", AVG, 100),
            ("B", AVG, 200),
            ("A", STAY, 1000),
            ("A", EXITS, 10),
            ("B", STAY, 3000),
            ("B", EXITS, 10),
        ],
        AVG,
        200.0,
        None,
    ),
    (
        "ratio without part targets: median of city targets",
        [("A", OCC, 80), ("B", OCC, 90), ("C", OCC, 70)],
        OCC,
        80.0,
        None,
    ),
]


@pytest.mark.parametrize(
    "targets, indicator, end, milestones",
    [c[1:] for c in TOTAL_TARGET_CASES],
    ids=[c[0] for c in TOTAL_TARGET_CASES],
)
def test_compute_total_targets(targets, indicator, end, milestones):
    got = compute_total_targets(make_targets(*targets)).set_index("indicator_code")
    assert got.loc[indicator, "end_value"] == pytest.approx(end)
    assert got.loc[indicator, "milestones"] == milestones
    assert set(got["city_code"]) == {"TOTAL"}


def test_national_status_uses_the_same_functions():
    obs = make_observations(("A", TIC, "2023-06", 60), ("B", TIC, "2023-06", 30))
    targets = make_targets(("A", TIC, 100), ("B", TIC, 80))
    cum = compute_cumulative(compute_total_monthly(obs), "2023-06")
    got = compute_status(cum, compute_total_targets(targets), "2023-06")
    assert got["progress"].iloc[0] == pytest.approx(90 / 90)
    assert got["status"].iloc[0] == "on_track"
