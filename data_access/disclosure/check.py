"""Feasibility checker: how much can an observer learn about a suppressed cell?

The observer sees every published number of one *publication unit* (the cells and the totals
that ``data_access.disclosure.disclose_table`` returns together) and knows the rules. Each
published quantity is therefore an interval of possible true values (all counts of people are
integers):

====================  ==========================================================
published as          what the observer knows about the true value ``v``
====================  ==========================================================
exact ``x``           ``v = x`` (zeros, steering, a city's own detail, non-people)
rounded ``r``         ``max(r - 2, T) <= v <= r + 2`` (nearest 5; values under the
                      threshold ``T`` would have been suppressed instead)
"<T" (primary)        ``1 <= v <= T - 1``
"n.d."                ``v >= 1`` (a complement, or a small count whose "<T"
                      would have narrowed a range; zeros are never suppressed)
never published       ``v >= 0`` (the remainder of a partial periphery breakdown)
====================  ==========================================================

and every published total equals the sum of its parts. The *feasible range* of a suppressed
quantity is ``[min v, max v]`` over all assignments that satisfy every interval and every sum.

Two checkers:

- ``group_range``: one sum ``total = part_1 + ... + part_n`` with independent interval
  knowledge of each term. Exact (integers included, since all bounds are integers):
  ``[max(lo_i, T_lo - sum(hi_others)), min(hi_i, T_hi - sum(lo_others))]``.
- ``feasible_ranges``: many sums sharing terms (cells in a month total *and* in a city total),
  solved as linear programmes (HiGHS, package highspy). This is the linear relaxation: it is
  exact for two-way tables with margins (their constraint matrices are totally unimodular, so
  the extreme points are integers) and an outer bound otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

INF = math.inf


class QuietHighs(highspy.Highs):
    """A HiGHS solver that never writes to stdout: ``output_flag`` is off before the wrapper
    enables its callbacks, which is when HiGHS prints its banner (``lgnet2 export`` writes data
    to stdout, and the app's log should not carry solver chatter)."""

    def enableCallbacks(self) -> None:
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


@dataclass(frozen=True)
class Interval:
    """Closed interval of possible true values; ``hi`` may be ``math.inf``."""

    lo: float
    hi: float

    @property
    def width(self) -> float:
        return self.hi - self.lo

    def __contains__(self, v: float) -> bool:
        return self.lo - 1e-9 <= v <= self.hi + 1e-9


def known_interval(shown: float, state: str, threshold: int, base: int) -> Interval:
    """What an observer knows about a value from how it was published.

    Args:
        shown: the published value (ignored for suppressed states).
        state: ``"exact"``, ``"rounded"``, ``"primary"`` ("<T") or ``"secondary"`` ("n.d.",
            a complement or a relabelled small count).
        threshold: ``T``; values ``1..T-1`` are primary-suppressed.
        base: the rounding base (5 for the public); the integer half-width is ``base // 2``.
    """
    if state == "exact":
        return Interval(shown, shown)
    if state == "rounded":
        half = base // 2
        return Interval(max(shown - half, float(threshold)), shown + half)
    if state == "primary":
        return Interval(1.0, float(threshold - 1))
    if state == "secondary":
        return Interval(1.0, INF)
    if state == "unknown":
        return Interval(0.0, INF)
    raise ValueError(f"unknown state {state!r}")


def group_range(target: Interval, total: Interval, others: Sequence[Interval]) -> Interval:
    """Exact feasible range of one part of ``total = target + sum(others)``.

    Args:
        target: what is known of the part itself (its prior, e.g. ``[1, 9]``).
        total: what is known of the group's total.
        others: what is known of every other part of the group.

    Returns:
        The interval of values the part can take; empty (``lo > hi``) never happens for
        consistent data because the true value is always feasible.
    """
    lo_others = sum(o.lo for o in others)
    hi_others = sum(o.hi for o in others)
    lo = max(target.lo, total.lo - hi_others)
    hi = min(target.hi, total.hi - lo_others)
    return Interval(lo, hi)


def total_range(total: Interval, parts: Sequence[Interval]) -> Interval:
    """Exact feasible range of a suppressed total given its parts."""
    return Interval(
        max(total.lo, sum(p.lo for p in parts)), min(total.hi, sum(p.hi for p in parts))
    )


def _model(bounds: Sequence[Interval], sums: Sequence[tuple[int, Sequence[int]]]) -> QuietHighs:
    h = QuietHighs()
    inf = highspy.kHighsInf
    n = len(bounds)
    lower = np.array([b.lo for b in bounds], dtype=float)
    upper = np.array([inf if math.isinf(b.hi) else b.hi for b in bounds], dtype=float)
    h.addVars(n, lower, upper)
    for tot, parts in sums:
        idx = np.array([tot, *parts], dtype=np.int32)
        val = np.array([1.0] + [-1.0] * len(parts))
        h.addRow(0.0, 0.0, len(idx), idx, val)
    return h


def _solve(h: QuietHighs, t: int, maximize: bool) -> tuple[float, list[float] | None]:
    """Optimum of ``x[t]`` and the solution vector (None when unbounded)."""
    status = highspy.HighsModelStatus
    h.changeColCost(t, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
    h.run()
    ms = h.getModelStatus()
    if ms not in (status.kOptimal, status.kUnbounded, status.kInfeasible):
        h.clearSolver()  # a warm start can end undecided: solve again from scratch
        h.run()
        ms = h.getModelStatus()
    h.changeColCost(t, 0.0)
    if ms == status.kOptimal:
        sol = list(h.getSolution().col_value)
        return sol[t], sol
    if ms in (status.kUnbounded, status.kUnboundedOrInfeasible):
        return (INF if maximize else -INF), None
    raise ValueError(f"infeasible publication: {h.modelStatusToString(ms)}")


def feasible_ranges(
    bounds: Sequence[Interval], sums: Sequence[tuple[int, Sequence[int]]], targets: Sequence[int]
) -> dict[int, Interval]:
    """Joint feasible range of each target variable under interval knowledge and sums.

    Args:
        bounds: one interval per variable (index = position).
        sums: ``(total_index, [part_index, ...])``: ``x[total] = sum(x[parts])``.
        targets: the variables whose range is wanted (usually the suppressed ones).

    Returns:
        ``{target: Interval(min, max)}`` from the linear relaxation (see module docstring).

    Raises:
        ValueError: the bounds and sums admit no solution (inconsistent input).
    """
    if not targets:
        return {}
    h = _model(bounds, sums)
    return {t: Interval(_solve(h, t, False)[0], _solve(h, t, True)[0]) for t in targets}


def too_narrow(
    bounds: Sequence[Interval],
    sums: Sequence[tuple[int, Sequence[int]]],
    targets: Sequence[int],
    values: Sequence[float],
    min_width: float,
) -> list[int]:
    """The targets whose joint feasible range is narrower than ``min_width``.

    Same answer as comparing ``feasible_ranges`` widths, with far fewer linear programmes:
    every solution found is a feasible point for *all* variables, so a target whose values
    across the points found so far (the true ``values`` included) already span ``min_width``
    is proven wide enough without a programme of its own.
    """
    if not targets:
        return []
    h = _model(bounds, sums)
    lo = {t: values[t] for t in targets}
    hi = dict(lo)

    def absorb(sol: list[float] | None) -> None:
        if sol is not None:
            for t in targets:
                lo[t] = min(lo[t], sol[t])
                hi[t] = max(hi[t], sol[t])

    # two programmes pushing all targets down, then all up (capped so the optimum exists),
    # usually prove most targets at once
    capped = _model(
        [
            Interval(b.lo, min(b.hi, values[i] + min_width)) if i in lo else b
            for i, b in enumerate(bounds)
        ],
        sums,
    )
    idx = np.array(list(targets), dtype=np.int32)
    capped.changeColsCost(len(idx), idx, np.ones(len(idx)))
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        capped.changeObjectiveSense(sense)
        capped.run()
        if capped.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            absorb(list(capped.getSolution().col_value))

    failing = []
    for t in targets:
        for maximize in (False, True):
            if hi[t] - lo[t] >= min_width - 1e-9:
                break
            opt, sol = _solve(h, t, maximize)
            absorb(sol)
            if maximize:
                hi[t] = max(hi[t], opt)
            else:
                lo[t] = min(lo[t], opt)
        if hi[t] - lo[t] < min_width - 1e-9:
            failing.append(t)
    return failing
