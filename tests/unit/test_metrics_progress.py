"""Targets, planned trajectory, status, roll-up and projection (metrics_progress,
metrics_projection). Expected values are computed by hand in the case tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access.errors import InvalidInput
from data_access.metrics import compute_cumulative, compute_total_monthly
from data_access.metrics.progress import (
    STATUSES,
    StatusThresholds,
    compute_achievement,
    compute_plan,
    compute_status,
    compute_total_targets,
    compute_wp_status,
    planned_value,
    status_counts,
)
from data_access.metrics.projection import compute_projection, compute_wp_projection

TIC, LEGAL = "WP2_TAKEN_IN_CHARGE", "WP2_LEGAL"  # WP2 flows
OUTINGS, PSYCH = "WP2_OUTINGS", "WP2_PSYCH"  # WP2 flows
PLACES = "WP3_PLACES"  # stock
BED, PN, OCC = "WP3_BED_NIGHTS", "WP3_PLACE_NIGHTS", "WP3_OCCUPANCY"
STAY, EXITS, AVG = "WP3_STAY_DAYS", "WP3_EXITS", "WP3_AVG_STAY"  # AVG: direction down
NAN = float("nan")


def make_observations(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, period, value)`` at city level."""
    return pd.DataFrame(
        [(c, None, i, p, float(v)) for c, i, p, v in rows],
        columns=["city_code", "periphery_id", "indicator_code", "period", "value"],
    )


def make_targets(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, end_value[, milestones])``."""
    full = [(*r, None) if len(r) == 3 else r for r in rows]
    return pd.DataFrame(full, columns=["city_code", "indicator_code", "end_value", "milestones"])


def monthly(city: str, indicator: str, start: str, vals: list[float]) -> list[tuple]:
    """Consecutive months from ``start``."""
    y, m = int(start[:4]), int(start[5:])
    out = []
    for v in vals:
        out.append((city, indicator, f"{y:04d}-{m:02d}", v))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


# --- plan ------------------------------------------------------------------------------------
M_2023_03 = [{"period": "2023-03", "value": 30}]
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


# --- achievement and status -------------------------------------------------------------------
ACHIEVEMENT_CASES = [
    ("up: value / target", [("A", TIC, "2023-01", 50)], ("A", TIC, 200), 0.25),
    ("up: over the target", [("A", TIC, "2023-01", 300)], ("A", TIC, 200), 1.5),
    (
        "down: target / value",
        [("A", STAY, "2023-01", 375), ("A", EXITS, "2023-01", 3)],
        ("A", AVG, 100),
        0.8,
    ),
    (
        "down: better than target",
        [("A", STAY, "2023-01", 160), ("A", EXITS, "2023-01", 2)],
        ("A", AVG, 100),
        1.25,
    ),
    ("no data", [("B", TIC, "2023-01", 50)], ("A", TIC, 200), NAN),
    ("zero target", [("A", TIC, "2023-01", 50)], ("A", TIC, 0), NAN),
]


@pytest.mark.parametrize(
    "rows, target, expected",
    [c[1:] for c in ACHIEVEMENT_CASES],
    ids=[c[0] for c in ACHIEVEMENT_CASES],
)
def test_compute_achievement(rows, target, expected):
    got = compute_achievement(compute_cumulative(make_observations(*rows)), make_targets(target))
    assert len(got) == 1
    assert close(got["achievement"].iloc[0], expected)


# as_of 2023-06: the linear plan of a 180 target is 90
STATUS_CASES = [
    ("exactly on plan", [("A", TIC, "2023-06", 90)], ("A", TIC, 180), 1.0, "on_track"),
    ("at the 90% boundary", [("A", TIC, "2023-06", 81)], ("A", TIC, 180), 0.9, "on_track"),
    ("just under 90%", [("A", TIC, "2023-06", 80)], ("A", TIC, 180), 80 / 90, "at_risk"),
    ("at the 70% boundary", [("A", TIC, "2023-06", 63)], ("A", TIC, 180), 0.7, "at_risk"),
    ("under 70%", [("A", TIC, "2023-06", 62)], ("A", TIC, 180), 62 / 90, "off_track"),
    ("ahead of plan", [("A", TIC, "2023-06", 150)], ("A", TIC, 180), 150 / 90, "on_track"),
    ("reported nothing", [("B", TIC, "2023-06", 90)], ("A", TIC, 180), NAN, "no_data"),
    (
        "reported only later than as_of",
        [("A", TIC, "2023-07", 90)],
        ("A", TIC, 180),
        NAN,
        "no_data",
    ),
    ("zero target", [("A", TIC, "2023-06", 5)], ("A", TIC, 0), NAN, "no_data"),
    (
        "milestone plan: 30 + 150 x 3/12 = 67.5",
        [("A", TIC, "2023-03", 54)],
        ("A", TIC, 180, M_2023_03),
        0.8,
        "at_risk",
    ),
    (
        "stock against its linear plan",
        [("A", PLACES, "2023-05", 10), ("A", PLACES, "2023-06", 18)],
        ("A", PLACES, 36),
        1.0,
        "on_track",
    ),
    (
        "ratio against its flat target",
        [("A", BED, "2023-06", 60), ("A", PN, "2023-06", 100)],
        ("A", OCC, 80),
        0.75,
        "at_risk",
    ),
    (
        "down ratio: longer stays than target",
        [("A", STAY, "2023-06", 360), ("A", EXITS, "2023-06", 3)],
        ("A", AVG, 100),
        100 / 120,
        "at_risk",
    ),
    (
        "down ratio: shorter stays than target",
        [("A", STAY, "2023-06", 180), ("A", EXITS, "2023-06", 3)],
        ("A", AVG, 100),
        100 / 60,
        "on_track",
    ),
]


@pytest.mark.parametrize(
    "rows, target, progress, status",
    [c[1:] for c in STATUS_CASES],
    ids=[c[0] for c in STATUS_CASES],
)
def test_compute_status(rows, target, progress, status):
    obs = make_observations(*rows)
    got = compute_status(compute_cumulative(obs, "2023-06"), make_targets(target), "2023-06")
    assert close(got["progress"].iloc[0], progress)
    assert got["status"].iloc[0] == status


@pytest.mark.parametrize(
    "thresholds, progress, expected",
    [
        (StatusThresholds(), 0.95, "on_track"),
        (StatusThresholds(on_track=0.95, at_risk=0.5), 0.94, "at_risk"),
        (StatusThresholds(on_track=0.95, at_risk=0.5), 0.5, "at_risk"),
        (StatusThresholds(on_track=0.95, at_risk=0.5), 0.49, "off_track"),
        (StatusThresholds(on_track=0.8, at_risk=0.8), 0.79, "off_track"),
        (StatusThresholds(), NAN, "no_data"),
        (StatusThresholds(), None, "no_data"),
        (StatusThresholds(), float("inf"), "no_data"),
    ],
)
def test_status_thresholds_classify(thresholds, progress, expected):
    assert thresholds.classify(progress) == expected


@pytest.mark.parametrize("on_track, at_risk", [(0.7, 0.9), (0.9, 0.0), (0.9, -0.1)])
def test_status_thresholds_reject_nonsense(on_track, at_risk):
    with pytest.raises(InvalidInput):
        StatusThresholds(on_track=on_track, at_risk=at_risk)


def test_status_thresholds_are_frozen():
    with pytest.raises(AttributeError):
        StatusThresholds().on_track = 0.5  # type: ignore[misc]


def test_custom_thresholds_reach_compute_status():
    obs = make_observations(("A", TIC, "2023-06", 80))
    got = compute_status(
        compute_cumulative(obs),
        make_targets(("A", TIC, 180)),
        "2023-06",
        StatusThresholds(on_track=0.95, at_risk=0.85),
    )
    assert got["status"].iloc[0] == "at_risk"


# Four WP2 indicators at 2023-06, plan 90 each: progress 1.0, 0.8, 0.6, and one without data.
WP2_ROWS = [("A", TIC, "2023-06", 90), ("A", LEGAL, "2023-06", 72), ("A", OUTINGS, "2023-06", 54)]
WP2_TARGETS = [("A", TIC, 180), ("A", LEGAL, 180), ("A", OUTINGS, 180), ("A", PSYCH, 180)]
ROLLUP_CASES = [
    (
        "median of the indicators with data",
        WP2_ROWS,
        WP2_TARGETS,
        "median",
        0.8,
        "at_risk",
        3,
        OUTINGS,
    ),
    ("worst indicator", WP2_ROWS, WP2_TARGETS, "worst", 0.6, "off_track", 3, OUTINGS),
    ("median of an even count", WP2_ROWS[:2], WP2_TARGETS, "median", 0.9, "on_track", 2, LEGAL),
    ("nothing reported", [], WP2_TARGETS, "median", NAN, "no_data", 0, None),
]


@pytest.mark.parametrize(
    "rows, targets, rule, progress, status, n_with_data, worst",
    [c[1:] for c in ROLLUP_CASES],
    ids=[c[0] for c in ROLLUP_CASES],
)
def test_compute_wp_status(rows, targets, rule, progress, status, n_with_data, worst):
    obs = make_observations(*rows)
    st = compute_status(compute_cumulative(obs, "2023-06"), make_targets(*targets), "2023-06")
    got = compute_wp_status(st, rule=rule)
    assert len(got) == 1
    row = got.iloc[0]
    assert (row["wp"], row["status"], row["n_indicators"], row["n_with_data"]) == (
        "WP2",
        status,
        4,
        n_with_data,
    )
    assert close(row["progress"], progress)
    assert row["worst_indicator"] == worst or (worst is None and pd.isna(row["worst_indicator"]))


def test_status_counts_lists_every_status():
    assert status_counts(["on_track", "no_data", "on_track"]) == {
        "on_track": 2,
        "at_risk": 0,
        "off_track": 0,
        "no_data": 1,
    }
    assert list(status_counts([])) == list(STATUSES)


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


# --- projection -------------------------------------------------------------------------------
# as_of 2023-12 leaves 3 months (2024-01..03)
PROJECTION_CASES = [
    (
        "flow: mean of the last three months",
        monthly("A", TIC, "2023-07", [1, 2, 10, 20, 30, 40]),
        ("A", TIC, 200),
        "2023-12",
        dict(
            value=103.0,
            pace=30.0,
            months_remaining=3,
            projected_value=193.0,
            projected_achievement=193 / 200,
            needed_pace=97 / 3,
            pace_ratio=30 / (97 / 3),
        ),
    ),
    (
        "flow: the last three *reported* months",
        [("A", TIC, "2023-06", 30), ("A", TIC, "2023-09", 60), ("A", TIC, "2023-10", 30)],
        ("A", TIC, 300),
        "2023-12",
        dict(
            value=120.0,
            pace=40.0,
            projected_value=240.0,
            projected_achievement=0.8,
            needed_pace=60.0,
        ),
    ),
    (
        "flow: fewer than three months",
        [("A", TIC, "2023-12", 12)],
        ("A", TIC, 100),
        "2023-12",
        dict(value=12.0, pace=12.0, projected_value=48.0),
    ),
    (
        "target already met: nothing more needed",
        monthly("A", TIC, "2023-10", [50, 50, 50]),
        ("A", TIC, 100),
        "2023-12",
        dict(value=150.0, projected_value=300.0, needed_pace=0.0, pace_ratio=NAN),
    ),
    (
        "at the end: no months left",
        monthly("A", TIC, "2024-01", [10, 10, 10]),
        ("A", TIC, 100),
        "2024-03",
        dict(value=30.0, months_remaining=0, projected_value=30.0, needed_pace=NAN),
    ),
    (
        "stock: mean change over the last three changes",
        monthly("A", PLACES, "2023-08", [5, 6, 8, 9, 12]),
        ("A", PLACES, 30),
        "2023-12",
        dict(
            value=12.0, pace=2.0, projected_value=18.0, projected_achievement=0.6, needed_pace=6.0
        ),
    ),
    (
        "stock never projected below zero",
        monthly("A", PLACES, "2023-10", [20, 10, 0]),
        ("A", PLACES, 30),
        "2023-12",
        dict(value=0.0, pace=-10.0, projected_value=0.0),
    ),
    (
        "ratio from projected parts",
        monthly("A", BED, "2023-10", [80, 80, 80]) + monthly("A", PN, "2023-10", [100, 100, 100]),
        ("A", OCC, 90),
        "2023-12",
        dict(
            value=80.0,
            pace=NAN,
            projected_value=80.0,
            projected_achievement=80 / 90,
            needed_pace=NAN,
        ),
    ),
    (
        "down ratio from projected parts",
        monthly("A", STAY, "2023-11", [300, 100]) + monthly("A", EXITS, "2023-11", [2, 2]),
        ("A", AVG, 50),
        "2023-12",
        dict(
            value=100.0,
            projected_value=(400 + 200 * 3) / (4 + 2 * 3),
            projected_achievement=0.5,
            needed_pace=NAN,
        ),
    ),
    (
        "no data",
        [("B", TIC, "2023-12", 5)],
        ("A", TIC, 100),
        "2023-12",
        dict(value=NAN, pace=NAN, projected_value=NAN, projected_achievement=NAN, needed_pace=NAN),
    ),
    (
        "months after as_of are ignored",
        monthly("A", TIC, "2023-11", [10, 10, 99]),
        ("A", TIC, 100),
        "2023-12",
        dict(value=20.0, pace=10.0),
    ),
]


@pytest.mark.parametrize(
    "rows, target, as_of, expected",
    [c[1:] for c in PROJECTION_CASES],
    ids=[c[0] for c in PROJECTION_CASES],
)
def test_compute_projection(rows, target, as_of, expected):
    got = compute_projection(make_observations(*rows), make_targets(target), as_of)
    assert len(got) == 1
    row = got.iloc[0]
    for column, value in expected.items():
        assert close(float(row[column]), value), column


def test_projection_window_is_configurable():
    obs = make_observations(*monthly("A", TIC, "2023-07", [1, 2, 10, 20, 30, 40]))
    got = compute_projection(obs, make_targets(("A", TIC, 200)), "2023-12", window=1)
    assert got["pace"].iloc[0] == 40.0
    with pytest.raises(InvalidInput):
        compute_projection(obs, make_targets(("A", TIC, 200)), "2023-12", window=0)


def test_wp_projection_is_the_median_of_its_indicators():
    rows = (
        monthly("A", TIC, "2023-10", [10, 10, 10])
        + monthly("A", LEGAL, "2023-10", [5, 5, 5])
        + monthly("A", OUTINGS, "2023-10", [1, 1, 1])
    )
    targets = make_targets(("A", TIC, 60), ("A", LEGAL, 60), ("A", OUTINGS, 60), ("A", PSYCH, 60))
    proj = compute_projection(make_observations(*rows), targets, "2023-12")
    got = compute_wp_projection(proj).iloc[0]
    assert (got["wp"], got["n_indicators"], got["n_with_data"]) == ("WP2", 4, 3)
    assert got["projected_achievement"] == pytest.approx(30 / 60)
    worst = compute_wp_projection(proj, rule="worst").iloc[0]
    assert worst["projected_achievement"] == pytest.approx(6 / 60)


@pytest.mark.parametrize(
    ("progress", "lang", "text"),
    [
        (0.93, "it", "93%"),
        (0.8996, "it", "89,9%"),  # whole percent would read 90 %, the "on track" threshold
        (0.89999, "en", "89.9%"),
        (0.8949, "en", "89%"),
        (0.6996, "en", "69.9%"),
        (0.9, "en", "90%"),
        (0.7004, "it", "70%"),
        (float("nan"), "it", "n.d."),
    ],
)
def test_a_progress_is_written_on_the_side_of_its_threshold(
    progress: float, lang: str, text: str
) -> None:
    from data_access.locale import MISSING
    from data_access.metrics.status import fmt_progress

    assert fmt_progress(progress, lang) == (MISSING if text == "n.d." else text)
