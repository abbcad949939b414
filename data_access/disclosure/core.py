"""The suppression and rounding algorithm on one publication unit (pure, no pandas).

A *unit* is every quantity published together for one indicator: cells and totals, with the sums
that tie them (``total = sum(parts)``). ``protect_unit`` decides how each quantity is published:

1. Primary: a protected quantity with ``0 < v < T`` is suppressed (shown as "<T").
2. Rounding (public only, ``base > 1``): every other non-zero protected quantity is rounded to
   the nearest ``base``, totals independently of their parts; zeros stay exact.
3. Secondary, repeated until nothing changes:
   a. every sum with exactly one suppressed member gets a second one (the complement);
   b. every suppressed quantity whose feasible range (``disclosure_check``: single sums first,
      then the joint linear programme) is narrower than ``min_width`` is widened, in the sum
      that binds it most: one more complement if that sum has one left, otherwise its "<T"
      label (an upper bound) is replaced by "n.d." (itself, or another "<T" member of the sum);
      when its own sums have nothing left, the search moves on to the sums of the suppressed
      quantities it shares a sum with (breadth first).
   The complement is the smallest non-zero published part of that sum (ties: first index); if
   there is none, the sum's total. Zeros are never complements, so an observer knows every
   suppressed quantity is at least 1: "<T" means ``1..T-1``, "n.d." means ``>= 1``.

Unprotected quantities (a city's own detail for its manager, the remainder of a complete
breakdown, i.e. zero) are published exactly and never suppressed; ``unknown`` quantities (the
remainder of a partial breakdown) are never published and only known to be >= 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from data_access.disclosure.check import (
    Interval,
    group_range,
    known_interval,
    too_narrow,
    total_range,
)

EXACT, ROUNDED, PRIMARY, SECONDARY = "exact", "rounded", "primary", "secondary"
UNKNOWN = "unknown"  # never published, only known to be >= 0 (a partial breakdown's remainder)
SUPPRESSED_STATES = (PRIMARY, SECONDARY)


@dataclass(frozen=True)
class Policy:
    """Disclosure parameters for one audience.

    Attributes:
        threshold: counts ``1 .. threshold-1`` are suppressed.
        base: rounding base for published non-zero counts (1 = no rounding).
        min_width: each suppressed quantity keeps a feasible range at least this wide.
    """

    threshold: int
    base: int
    min_width: float


PUBLIC_POLICY = Policy(threshold=10, base=5, min_width=5.0)
OTHER_CITY_POLICY = Policy(threshold=5, base=1, min_width=3.0)


def round_to_base(v: float, base: int) -> float:
    """Nearest multiple of ``base``, halves away from zero (deterministic, unlike banker's)."""
    if base <= 1:
        return float(v)
    return float(math.floor(v / base + 0.5) * base)


@dataclass
class Unit:
    """Quantities of one indicator published together, and the sums tying them."""

    values: list[float] = field(default_factory=list)
    protected: list[bool] = field(default_factory=list)
    unknown: list[bool] = field(default_factory=list)
    sums: list[tuple[int, list[int]]] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)

    def add(self, value: float, protected: bool, unknown: bool = False) -> int:
        """A quantity; ``unknown`` ones are never published and only known to be >= 0."""
        self.values.append(float(value))
        self.protected.append(protected and not unknown)
        self.unknown.append(unknown)
        return len(self.values) - 1

    def add_sum(self, total: int, parts: list[int]) -> None:
        if parts:
            self.sums.append((total, parts))

    def known(self, policy: Policy) -> list[Interval]:
        return [
            known_interval(self.shown[i], s, policy.threshold, policy.base)
            for i, s in enumerate(self.state)
        ]


def _membership(unit: Unit) -> list[list[int]]:
    member: list[list[int]] = [[] for _ in unit.values]
    for k, (tot, parts) in enumerate(unit.sums):
        member[tot].append(k)
        for p in parts:
            member[p].append(k)
    return member


def _complement(unit: Unit, k: int, parts_only: bool = False) -> int | None:
    tot, parts = unit.sums[k]
    cands = [
        p
        for p in parts
        if unit.protected[p] and unit.state[p] not in SUPPRESSED_STATES and unit.values[p] > 0
    ]
    if cands:
        return min(cands, key=lambda p: (unit.values[p], p))
    if (
        not parts_only
        and unit.protected[tot]
        and unit.state[tot] not in SUPPRESSED_STATES
        and unit.values[tot] > 0
    ):
        return tot
    return None


def _local_width(unit: Unit, known: list[Interval], i: int, k: int) -> float:
    tot, parts = unit.sums[k]
    if i == tot:
        return total_range(known[i], [known[p] for p in parts]).width
    others = [known[p] for p in parts if p != i]
    return group_range(known[i], known[tot], others).width


def _first_pass(unit: Unit, policy: Policy) -> None:
    unit.state, unit.shown = [], []
    for v, prot, unknown in zip(unit.values, unit.protected, unit.unknown, strict=True):
        if unknown:
            unit.state.append(UNKNOWN)
            unit.shown.append(math.nan)
        elif prot and 0 < v < policy.threshold:
            unit.state.append(PRIMARY)
            unit.shown.append(math.nan)
        elif prot and v != 0 and policy.base > 1:
            unit.state.append(ROUNDED)
            unit.shown.append(round_to_base(v, policy.base))
        else:
            unit.state.append(EXACT)
            unit.shown.append(v)


def _widen(unit: Unit, i: int, order: list[int], member: list[list[int]]) -> bool:
    """One step that widens ``i``'s range.

    Searches the sums breadth-first, starting with ``i``'s own (most binding first) and moving
    on through the sums of their suppressed members (the constraints that can pin ``i`` down):
    in each, a complement (a part, else the total); failing that, ``i``'s own "<T" becomes
    "n.d.", or another "<T" member of that sum does. Returns False when nothing is left.
    """
    queue, seen = list(order), set(order)
    while queue:
        k = queue.pop(0)
        c = _complement(unit, k)
        if c is not None:
            _suppress(unit, c)
            return True
        if unit.state[i] == PRIMARY:
            _suppress(unit, i)
            return True
        tot, parts = unit.sums[k]
        small = [m for m in (tot, *parts) if unit.state[m] == PRIMARY]
        if small:
            _suppress(unit, small[0])
            return True
        for m in (tot, *parts):
            if unit.state[m] in SUPPRESSED_STATES:
                for k2 in member[m]:
                    if k2 not in seen:
                        seen.add(k2)
                        queue.append(k2)
    return False


def _suppress(unit: Unit, i: int) -> None:
    unit.state[i] = SECONDARY
    unit.shown[i] = math.nan


def protect_unit(
    unit: Unit, policy: Policy, *, joint_check: bool = True, pair_unknown_sums: bool = True
) -> Unit:
    """Fill ``unit.state`` and ``unit.shown`` following the module rules; returns ``unit``.

    Args:
        unit: the quantities and sums; ``values`` are the true values.
        policy: the audience's parameters.
        joint_check: also check ranges with the joint linear programme (default). Without it
            only single sums are checked, which is faster but weaker.
        pair_unknown_sums: apply rule 3a (a second suppression) to sums that hold an
            ``unknown`` quantity too (default). Such a sum does not pin its one suppressed
            member down by itself; with False only the range checks (3b) decide, which
            suppresses less where an unpublished total links wide published quantities.
    """
    _first_pass(unit, policy)
    member = _membership(unit)
    verified: set[int] = set()  # ranges only widen as suppressions are added: checked once
    while True:
        added = False
        for k, (tot, parts) in enumerate(unit.sums):
            if not pair_unknown_sums and any(unit.unknown[m] for m in (tot, *parts)):
                continue
            n_sup = sum(unit.state[m] in SUPPRESSED_STATES for m in (tot, *parts))
            if n_sup == 1:
                c = _complement(unit, k)
                if c is not None:
                    _suppress(unit, c)
                    added = True
        if added:
            continue
        failing = _failing(unit, policy, member, joint_check, verified)
        for i, order in failing:
            if unit.state[i] not in SUPPRESSED_STATES:
                continue
            if _widen(unit, i, order, member):
                added = True
        if not added:
            return unit


def _failing(
    unit: Unit, policy: Policy, member: list[list[int]], joint_check: bool, verified: set[int]
) -> list[tuple[int, list[int]]]:
    """Suppressed quantities whose range is too narrow, each with its sums, most binding first."""
    known = unit.known(policy)
    sup = [i for i, s in enumerate(unit.state) if s in SUPPRESSED_STATES and i not in verified]
    out: list[tuple[int, list[int]]] = []
    ok: list[int] = []
    for i in sup:
        widths = sorted((_local_width(unit, known, i, k), k) for k in member[i])
        order = [k for _, k in widths]
        if widths and widths[0][0] < policy.min_width - 1e-9:
            out.append((i, order))
        else:
            ok.append(i)
    if out or not joint_check or not ok:
        if not out:
            verified.update(ok)
        return out
    narrow = set(too_narrow(known, unit.sums, ok, unit.values, policy.min_width))
    for i in ok:
        if i in narrow:
            n_sup = {
                k: sum(
                    unit.state[m] in SUPPRESSED_STATES for m in (unit.sums[k][0], *unit.sums[k][1])
                )
                for k in member[i]
            }
            out.append((i, sorted(member[i], key=lambda k: (n_sup[k], k))))
        else:
            verified.add(i)
    return out
