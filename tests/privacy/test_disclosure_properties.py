"""Properties of disclosure control on random tables (hypothesis).

For the public: no published count from 1 to 9 (cells and totals); every suppressed quantity
keeps a feasible range of at least 5 given everything published with it (``Observer``:
intervals for rounded values, "<10", "n.d.", and all the published sums, solved jointly);
the true value is always consistent with what is published; idempotence. For a city manager:
no other city's count from 1 to 4, own city exact, ranges at least 3. Steering: unchanged.
"""

from __future__ import annotations

import itertools
import math
import os

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from privacy_tables import Observer, make_observations

from data_access.disclosure import (
    BELOW,
    FLAG_ROUNDED,
    FLAG_SUPPRESSED,
    apply_disclosure,
    disclose_table,
)
from data_access.disclosure.check import Interval, feasible_ranges
from data_access.viewer import Viewer

CITIES = ["001272", "015146", "058091", "063049"]
# LGNET2_HYPOTHESIS_EXAMPLES raises the search for a deeper local run
SETTINGS = settings(
    max_examples=int(os.environ.get("LGNET2_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

count = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 80)).map(float)
maybe_count = st.one_of(count, count, count, st.none())


@st.composite
def tables(draw: st.DrawFn, with_peripheries: bool = False) -> pd.DataFrame:
    n_cities = draw(st.integers(1, 4))
    n_months = draw(st.integers(1, 4))
    table = {
        c: draw(st.lists(maybe_count, min_size=n_months, max_size=n_months))
        for c in CITIES[:n_cities]
    }
    pers: dict[tuple[str, int], list[float | None]] = {}
    if with_peripheries:
        for k, c in enumerate(CITIES[:n_cities]):
            n_per = draw(st.integers(0, 2))
            vals = [
                draw(st.lists(count, min_size=n_months, max_size=n_months)) for _ in range(n_per)
            ]
            for p, v in enumerate(vals):
                pers[(c, 10 * k + p)] = list(v)
            # the city row is at least the sum of its peripheries (a breakdown)
            extra = draw(st.lists(st.integers(0, 12), min_size=n_months, max_size=n_months))
            table[c] = [
                float(sum(v[m] for v in vals) + extra[m]) if vals else table[c][m]
                for m in range(n_months)
            ]
    return make_observations(table, peripheries=pers)


def all_published(t) -> pd.Series:  # type: ignore[no-untyped-def]
    return pd.concat(
        [
            f["value"]
            for f in (
                t.cells,
                t.city_totals,
                t.national_by_period,
                t.national_totals,
                t.periphery_totals,
            )
        ]
    )


# counterexamples found by earlier, longer searches
PUBLIC_REGRESSION = make_observations(
    {"001272": [1, 0, 0], "015146": [10, 1, 0], "058091": [0, 9, 10]},
    peripheries={("058091", 20): [0, 1, 10]},
)
CITY_REGRESSION = make_observations(
    {"001272": [0, 0, 0, 5], "015146": [0, 0, 1, 1], "058091": [0, 1, 4, 0]}
)


@SETTINGS
@given(tables(with_peripheries=True))
@example(PUBLIC_REGRESSION)
def test_public_no_small_count_and_every_suppression_protected(raw: pd.DataFrame) -> None:
    t = disclose_table(raw, Viewer("public"))
    shown = all_published(t).dropna()
    assert not ((shown >= 1) & (shown <= 9)).any()
    rounded = t.cells[t.cells["flag"] == FLAG_ROUNDED]["value"]
    assert (rounded % 5 == 0).all() and (rounded >= 10).all()
    assert t.cells.loc[t.cells["flag"] == FLAG_SUPPRESSED, "value"].isna().all()
    obs = Observer(raw, t)
    for b, v in zip(obs.bounds, obs.truth, strict=True):
        assert v in b  # what is published is consistent with the truth
    for i, r in obs.ranges().items():
        assert r.width >= 5, (i, obs.truth[i], r)


@SETTINGS
@given(tables(), st.sampled_from(CITIES))
@example(CITY_REGRESSION, "063049")
def test_city_manager_other_cities_protected(raw: pd.DataFrame, own: str) -> None:
    t = disclose_table(raw, Viewer("city", own))
    cells = t.cells.merge(
        raw.rename(columns={"value": "true"}),
        on=["city_code", "periphery_id", "indicator_code", "period"],
    )
    others = cells[cells["city_code"] != own]
    shown = others["value"].dropna()
    assert not ((shown >= 1) & (shown <= 4)).any()
    assert (
        others.loc[others["flag"] == "", "value"] == others.loc[others["flag"] == "", "true"]
    ).all()
    mine = cells[cells["city_code"] == own]
    assert (mine["flag"] == "").all()
    assert mine["value"].tolist() == mine["true"].tolist()
    for i, r in Observer(raw, t, threshold=5).ranges().items():
        assert r.width >= 3, (i, r)


@SETTINGS
@given(tables(with_peripheries=True), st.sampled_from(["public", "city:015146", "steering"]))
def test_idempotent(raw: pd.DataFrame, role: str) -> None:
    viewer = Viewer.parse(role)
    once = apply_disclosure(raw, viewer)
    twice = apply_disclosure(once, viewer)
    cols = ["city_code", "periphery_id", "period", "value", "flag", BELOW]
    pd.testing.assert_frame_equal(once[cols], twice[cols])


@SETTINGS
@given(tables(with_peripheries=True), st.sampled_from(["steering", "admin"]))
def test_full_detail_unchanged(raw: pd.DataFrame, role: str) -> None:
    out = apply_disclosure(raw, Viewer.parse(role))
    assert out["value"].tolist() == raw["value"].tolist()
    assert set(out["flag"]) <= {""}


# --- the feasibility checker itself, against brute force -------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), min_size=3, max_size=4), st.data())
def test_linear_programme_matches_enumeration_on_one_sum(
    boxes: list[tuple[int, int]], data: st.DataObject
) -> None:
    """x0 = x1 + ... + xn with integer boxes: LP range = enumerated integer range."""
    bounds = [Interval(lo, lo + w) for lo, w in boxes]
    feasible = [
        xs
        for xs in itertools.product(*[range(int(b.lo), int(b.hi) + 1) for b in bounds])
        if xs[0] == sum(xs[1:])
    ]
    if not feasible:
        return
    target = data.draw(st.integers(0, len(bounds) - 1))
    r = feasible_ranges(bounds, [(0, list(range(1, len(bounds))))], [target])[target]
    values = [xs[target] for xs in feasible]
    assert math.isclose(r.lo, min(values)) and math.isclose(r.hi, max(values))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), min_size=3, max_size=4))
def test_single_group_range_matches_enumeration(boxes: list[tuple[int, int]]) -> None:
    """``group_range`` (part 1 of x0 = x1 + ... + xn) and ``total_range`` are exact."""
    from data_access.disclosure.check import group_range, total_range

    bounds = [Interval(lo, lo + w) for lo, w in boxes]
    feasible = [
        xs
        for xs in itertools.product(*[range(int(b.lo), int(b.hi) + 1) for b in bounds])
        if xs[0] == sum(xs[1:])
    ]
    if not feasible:
        return
    part = group_range(bounds[1], bounds[0], bounds[2:])
    assert (part.lo, part.hi) == (min(x[1] for x in feasible), max(x[1] for x in feasible))
    tot = total_range(bounds[0], bounds[1:])
    assert (tot.lo, tot.hi) == (min(x[0] for x in feasible), max(x[0] for x in feasible))
