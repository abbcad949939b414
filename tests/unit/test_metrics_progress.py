"""Achievement, status and the roll-up per work package (metrics.progress, metrics.status).
Expected values are computed by hand in the case tables; the plan is in test_metrics_plan, the
projection in test_metrics_projection."""

from __future__ import annotations

import pandas as pd
import pytest
from progress_factories import (
    AVG,
    BED,
    EXITS,
    LEGAL,
    M_2023_03,
    NAN,
    OCC,
    OUTINGS,
    PLACES,
    PN,
    PSYCH,
    STAY,
    TIC,
    close,
    make_observations,
    make_targets,
)

from data_access.errors import InvalidInput
from data_access.metrics import compute_cumulative
from data_access.metrics.progress import (
    STATUSES,
    StatusThresholds,
    compute_achievement,
    compute_status,
    compute_wp_status,
    status_counts,
)

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
