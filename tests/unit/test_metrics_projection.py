"""Projection to the programme's end (metrics.projection): the pace of the last reported months,
per indicator and per work package. Expected values are computed by hand in the case table."""

from __future__ import annotations

import pytest
from progress_factories import (
    AVG,
    BED,
    EXITS,
    LEGAL,
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
    monthly,
)

from data_access.errors import InvalidInput
from data_access.metrics.projection import compute_projection, compute_wp_projection

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
