"""Progress against targets: achievement, planned trajectory and status.

Pure functions over the frames of :mod:`data_access.metrics` and the targets frame of
``load_targets`` (``city_code, indicator_code, end_value, milestones``; ``milestones`` is a list
of ``{"period": "YYYY-MM", "value": float}``, its JSON text, or missing).

Definitions (shown on the methodology page, so keep them in sync with it):

- **Achievement** = value / end_value for ``direction="up"``; for ``direction="down"`` (lower is
  better, e.g. average stay) it is end_value / value, so 1.0 still means "target met" and a value
  twice the target gives 0.5. Missing when the divisor is 0 or there is no data.
- **Plan** (cumulative, at the end of a month): flows and stocks grow linearly from 0 at the end
  of the month before the programme start (2022-09) to end_value at 2024-03, i.e. end_value x
  k / 18 after the k-th programme month; with milestones, piecewise-linear through them (each
  milestone is the planned value at the end of its month; the target end_value always holds at
  2024-03). A ratio's plan is its target, flat; with milestones, linear between them and flat
  outside, ending at end_value.
- **Progress** = value / planned ("down": planned / value). **Status**: ``on_track`` when progress
  >= 0.90, ``at_risk`` when >= 0.70, ``off_track`` below, ``no_data`` when the city has not
  reported the indicator by ``as_of`` or there is no positive plan to compare with.
- **Work-package roll-up**: the median progress of the WP's indicators that have data (one
  strong indicator cannot hide several weak ones, one weak cannot sink the WP); ``rule="worst"``
  is available for a stricter view. ``no_data`` when none of them has data.
- **Projection**: see :mod:`data_access.metrics.projection`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, PROGRAMME_END, PROGRAMME_START, Kind
from data_access.errors import InvalidInput
from data_access.metrics.cumulative import Catalogue, require_indicator
from data_access.periods import check_period, period_index

Status = Literal["on_track", "at_risk", "off_track", "no_data"]
#: Status values, from best to worst; ``no_data`` last.
STATUSES: tuple[Status, ...] = ("on_track", "at_risk", "off_track", "no_data")
RollUp = Literal["median", "worst"]


@dataclass(frozen=True)
class StatusThresholds:
    """Progress ratios (value / planned) that separate the statuses.

    ``on_track``: progress >= ``on_track``; ``at_risk``: >= ``at_risk``; else ``off_track``.
    """

    on_track: float = 0.9
    at_risk: float = 0.7

    def __post_init__(self) -> None:
        if not 0 < self.at_risk <= self.on_track:
            raise InvalidInput.of("errors.status_thresholds")

    def classify(self, progress: float | None) -> Status:
        """Status of one progress ratio (missing/NaN -> ``no_data``)."""
        if progress is None or not np.isfinite(progress):
            return "no_data"
        if progress >= self.on_track:
            return "on_track"
        if progress >= self.at_risk:
            return "at_risk"
        return "off_track"


DEFAULT_THRESHOLDS = StatusThresholds()


# ------------------------------------------------------------------------------------- targets
def parse_milestones(raw: Any) -> list[tuple[str, float]]:
    """Milestones as sorted ``(period, value)`` pairs from a list of dicts, JSON text or None."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return []
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else []
    out = [(check_period(str(m["period"])), float(m["value"])) for m in raw]
    return sorted(out)


def directed_ratio(value: Any, reference: Any, direction: str) -> Any:
    """value / reference ("up") or reference / value ("down"); NaN when the divisor is <= 0.

    Works on scalars and on aligned pandas Series."""
    num, den = (value, reference) if direction == "up" else (reference, value)
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    if den is None or not np.isfinite(den) or den <= 0 or num is None:
        return float("nan")
    return float(num) / float(den)


def planned_value(
    kind: Kind,
    end_value: float,
    period: str,
    milestones: Any = None,
    *,
    start: str = PROGRAMME_START,
    end: str = PROGRAMME_END,
) -> float:
    """Planned cumulative value at the end of ``period`` (see the module docstring).

    Flows and stocks: 0 up to the month before ``start``, ``end_value`` from ``end`` on.
    Ratios: the target (or the milestone path), flat outside the milestones.
    Milestones outside the programme are ignored for flows and stocks; one at ``end`` is
    overridden by ``end_value``.
    """
    t = period_index(period)
    e = period_index(end)
    pts = dict((period_index(p), v) for p, v in parse_milestones(milestones))
    if kind == "ratio":
        pts[e] = float(end_value)
        xs = sorted(pts)
        return float(np.interp(t, xs, [pts[x] for x in xs]))
    s0 = period_index(start) - 1
    pts = {x: v for x, v in pts.items() if s0 < x < e}
    pts[s0] = 0.0
    pts[e] = float(end_value)
    xs = sorted(pts)
    return float(np.interp(t, xs, [pts[x] for x in xs]))


def clean_targets(targets: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """Validated copy of a targets frame (typed columns, known indicators, ``milestones``)."""
    cols = ["city_code", "indicator_code", "end_value"]
    missing = [c for c in cols if c not in targets.columns]
    if missing:
        raise InvalidInput.of("errors.columns_missing", columns=", ".join(missing))
    t = targets.copy()
    if "milestones" not in t.columns:
        t["milestones"] = None
    t["city_code"] = t["city_code"].astype(str)
    t["indicator_code"] = t["indicator_code"].astype(str)
    t["end_value"] = pd.to_numeric(t["end_value"], errors="coerce").astype(float)
    inds = [require_indicator(c, cat) for c in t["indicator_code"]]
    t["wp"] = [i.wp for i in inds]
    t["kind"] = [i.kind for i in inds]
    t["direction"] = [i.direction for i in inds]
    return t.loc[:, [*cols, "milestones", "wp", "kind", "direction"]].reset_index(drop=True)


def compute_plan(
    targets: pd.DataFrame, periods: Iterable[str], *, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Planned value per city x indicator x period.

    Returns:
        Columns ``city_code, indicator_code, wp, period, planned, end_value``, one row per target
        and period, sorted.
    """
    cat = catalogue or INDICATOR_BY_CODE
    t = clean_targets(targets, cat)
    ps = sorted({check_period(p) for p in periods})
    rows = [
        (
            r.city_code,
            r.indicator_code,
            r.wp,
            p,
            planned_value(r.kind, r.end_value, p, r.milestones),
            r.end_value,
        )
        for r in t.itertuples(index=False)
        for p in ps
    ]
    return pd.DataFrame(
        rows, columns=["city_code", "indicator_code", "wp", "period", "planned", "end_value"]
    )


def compute_total_targets(
    targets: pd.DataFrame,
    city_codes: Iterable[str] | None = None,
    *,
    code: str = "TOTAL",
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Targets of the pseudo-city built by ``metrics.compute_total_monthly``.

    Flows and stocks: end values add up, and the milestones are the sum of the cities' plans at
    every month any city has a milestone (so the total plan is exactly the sum of the plans).
    Ratios: ``scale * sum(numerator targets) / sum(denominator targets)`` when both parts have
    targets in every city that has a ratio target, else the median of the cities' ratio targets
    (a documented fallback: ratio targets have no parts to add up).

    Returns:
        A targets frame (``city_code = code``) usable by every function of this module.
    """
    cat = catalogue or INDICATOR_BY_CODE
    t = clean_targets(targets, cat)
    if city_codes is not None:
        t = t[t["city_code"].isin([str(c) for c in city_codes])]
    rows: list[dict[str, Any]] = []
    for ind_code, g in t.groupby("indicator_code", sort=True):
        ind = cat[str(ind_code)]
        if ind.kind != "ratio":
            when = sorted({p for m in g["milestones"] for p, _ in parse_milestones(m)})
            ms = [
                {
                    "period": p,
                    "value": sum(
                        planned_value(ind.kind, r.end_value, p, r.milestones)
                        for r in g.itertuples()
                    ),
                }
                for p in when
            ]
            rows.append(
                {
                    "indicator_code": ind.code,
                    "end_value": float(g["end_value"].sum()),
                    "milestones": ms or None,
                }
            )
            continue
        cities = set(g["city_code"])
        num = t[(t["indicator_code"] == ind.numerator) & t["city_code"].isin(cities)]
        den = t[(t["indicator_code"] == ind.denominator) & t["city_code"].isin(cities)]
        if len(num) == len(den) == len(cities) and den["end_value"].sum() > 0:
            end = ind.scale * num["end_value"].sum() / den["end_value"].sum()
        else:
            end = float(g["end_value"].median())
        rows.append({"indicator_code": ind.code, "end_value": float(end), "milestones": None})
    out = pd.DataFrame(rows, columns=["indicator_code", "end_value", "milestones"])
    out.insert(0, "city_code", code)
    return out


# ----------------------------------------------------------------------------- achievement/status
def compute_achievement(
    cumulated: pd.DataFrame, targets: pd.DataFrame, *, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Cumulated value against the end-of-programme target, one row per target.

    Args:
        cumulated: ``metrics.compute_cumulative`` output (city level).
        targets: the targets frame.

    Returns:
        Columns ``city_code, indicator_code, wp, direction, value, end_value, achievement``
        (``value``/``achievement`` NaN where the city has no data; see module docstring).
    """
    cat = catalogue or INDICATOR_BY_CODE
    t = clean_targets(targets, cat)
    m = t.merge(
        cumulated.loc[:, ["city_code", "indicator_code", "value"]],
        on=["city_code", "indicator_code"],
        how="left",
    )
    m["achievement"] = np.nan
    for direction in ("up", "down"):
        sel = m["direction"] == direction
        m.loc[sel, "achievement"] = directed_ratio(
            m.loc[sel, "value"], m.loc[sel, "end_value"], direction
        )
    return m.loc[
        :, ["city_code", "indicator_code", "wp", "direction", "value", "end_value", "achievement"]
    ]


def compute_status(
    cumulated: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: str,
    thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
    *,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Status per city x indicator at ``as_of`` against the planned trajectory.

    Args:
        cumulated: ``compute_cumulative(observations, as_of)`` (same ``as_of``).
        targets: the targets frame; only indicators with a target get a status.
        as_of: the month the plan is evaluated at.

    Returns:
        Columns ``city_code, indicator_code, wp, direction, value, end_value, achievement,
        planned, progress, status`` (status one of :data:`STATUSES`).
    """
    cat = catalogue or INDICATOR_BY_CODE
    check_period(as_of)
    a = compute_achievement(cumulated, targets, catalogue=cat)
    t = clean_targets(targets, cat)
    a["planned"] = [
        planned_value(r.kind, r.end_value, as_of, r.milestones) for r in t.itertuples(index=False)
    ]
    a["progress"] = np.nan
    for direction in ("up", "down"):
        sel = a["direction"] == direction
        a.loc[sel, "progress"] = directed_ratio(
            a.loc[sel, "value"], a.loc[sel, "planned"], direction
        )
    a["status"] = [thresholds.classify(p) for p in a["progress"]]
    return a


def compute_wp_status(
    status: pd.DataFrame, thresholds: StatusThresholds = DEFAULT_THRESHOLDS, rule: RollUp = "median"
) -> pd.DataFrame:
    """Roll the indicator statuses of :func:`compute_status` up to city x work package.

    Returns:
        Columns ``city_code, wp, progress, status, n_indicators, n_with_data, worst_indicator,
        worst_progress`` (the indicator with the lowest progress: the "reason" to show).
    """
    rows = []
    for (city, wp), g in status.groupby(["city_code", "wp"], sort=True):
        ok = g[np.isfinite(g["progress"].astype(float))]
        if ok.empty:
            progress, worst, worst_p = float("nan"), None, float("nan")
        else:
            worst_row = ok.sort_values(["progress", "indicator_code"]).iloc[0]
            worst, worst_p = str(worst_row["indicator_code"]), float(worst_row["progress"])
            progress = float(ok["progress"].median()) if rule == "median" else worst_p
        rows.append(
            {
                "city_code": city,
                "wp": wp,
                "progress": progress,
                "status": thresholds.classify(progress),
                "n_indicators": len(g),
                "n_with_data": len(ok),
                "worst_indicator": worst,
                "worst_progress": worst_p,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "city_code",
            "wp",
            "progress",
            "status",
            "n_indicators",
            "n_with_data",
            "worst_indicator",
            "worst_progress",
        ],
    )


def status_counts(statuses: Sequence[str] | pd.Series) -> dict[str, int]:
    """How many of each status (every status present as a key, in :data:`STATUSES` order)."""
    counts: dict[str, int] = {s: 0 for s in STATUSES}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    return counts
