"""Fair benchmarking between cities: per 10,000 foreign residents, ranks, peer groups, funnels.

Pure functions over the frames of :mod:`data_access.metrics` and the cities frame of
``load_cities`` (``code, name, macro_area, population, foreign_residents``...).

Definitions (methodology page):
- **Per 10,000 foreign residents** = 10,000 x cumulated value / foreign residents, for flows and
  stocks. A ratio (occupancy, average stay) is already normalised: its benchmark value is the
  ratio itself. Missing when the city's foreign residents are unknown or 0.
- **Rank**: 1 = best, respecting the indicator's direction (highest first for "up", lowest first
  for "down"); equal values share the best rank of the tie ("1, 2, 2, 4"); cities without a value
  are not ranked. Ordering of tied rows is by city code, so output is deterministic.
- **Distance from the median**: value - median of the ranked cities, and value / median - 1.
- **Peer groups**: ``all`` (16 cities); ``macro_area`` (same ISTAT macro-area: Nord-ovest,
  Nord-est, Centro, Sud, Isole — the Isole group has 2 cities); ``similar_size`` (cities whose
  foreign residents are within a factor of 2 of the city's, and, when that gives fewer than 4
  peers, the 4 cities nearest in log-size). A peer group always includes the city itself.
- **Funnel plot**: counts are Poisson with mean pooled_rate x foreign residents, pooled_rate =
  total count / total foreign residents. Control limits are exact Poisson quantiles with the
  interpolation of Spiegelhalter (2005, Stat Med 24:1185), at 95% (2.5%/97.5%) and 99.8%
  (0.1%/99.9%), computed with numpy only. Cities differ by more than chance (the programme's
  cities are not 16 draws of one rate), so the limits are widened by the over-dispersion
  adjustment of the same paper: z-scores ``(rate - pooled) / sqrt(pooled / n)`` winsorised at
  the 10th/90th percentiles give ``phi = mean(z^2)``; when ``I * phi > I - 1`` an additive
  random-effects variance ``tau^2 = (I*phi - (I-1)) / (sum w - sum w^2 / sum w)``, ``w = n /
  pooled``, is added and the limits become ``pooled +/- z_p * sqrt(pooled / n + tau^2)``.
  Limits are never below 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE
from data_access.errors import InvalidInput, UnknownCode
from data_access.metrics.cumulative import Catalogue, require_indicator

PER = 10_000.0
PeerGroup = Literal["all", "macro_area", "similar_size"]
PEER_GROUPS: tuple[PeerGroup, ...] = ("all", "macro_area", "similar_size")
FUNNEL_POSITIONS = ("above_998", "above_95", "inside", "below_95", "below_998")


def compute_per_10k(
    cumulated: pd.DataFrame, cities: pd.DataFrame, *, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Add ``foreign_residents``, ``per_10k`` and ``benchmark_value`` to a cumulated frame.

    ``benchmark_value`` is what cities are compared on: ``per_10k`` for flows and stocks, the
    value itself for ratios (``per_10k`` is NaN for ratios).
    """
    cat = catalogue or INDICATOR_BY_CODE
    fr = cities.assign(code=cities["code"].astype(str)).set_index("code")["foreign_residents"]
    out = cumulated.copy()
    out["foreign_residents"] = (
        out["city_code"].map(pd.to_numeric(fr, errors="coerce")).astype(float)
    )
    is_ratio = (
        out["indicator_code"].map(lambda c: require_indicator(c, cat).kind == "ratio").astype(bool)
    )
    den = out["foreign_residents"].where(out["foreign_residents"] > 0)
    out["per_10k"] = (PER * out["value"] / den).where(~is_ratio)
    out["benchmark_value"] = out["per_10k"].where(~is_ratio, out["value"])
    return out


def compute_ranks(
    frame: pd.DataFrame, value_col: str = "benchmark_value", *, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Rank cities within each indicator (and period, if present) on ``value_col``.

    Returns:
        ``frame`` plus ``rank`` (Int64, NA when unranked), ``n_ranked``, ``n_tied`` (cities
        sharing this value, 0 when unranked), ``median``,
        ``distance_from_median``, ``distance_pct``; sorted by indicator, rank, city code.
    """
    cat = catalogue or INDICATOR_BY_CODE
    out = frame.copy()
    group = [c for c in ("indicator_code", "period") if c in out.columns]
    vals = pd.to_numeric(out[value_col], errors="coerce").astype(float)
    down = (
        out["indicator_code"]
        .map(lambda c: require_indicator(c, cat).direction == "down")
        .astype(bool)
    )
    key = vals.where(down, -vals)  # smaller key = better
    out["_key"] = key
    out["rank"] = out.groupby(group)["_key"].rank(method="min").astype("Int64")
    out["n_ranked"] = out.groupby(group)["_key"].transform("count").astype("int64")
    out["n_tied"] = (
        out.groupby([*group, "_key"])["_key"].transform("size").fillna(0).astype("int64")
    )
    out["median"] = vals.groupby([out[g] for g in group]).transform("median")
    out["distance_from_median"] = vals - out["median"]
    out["distance_pct"] = vals / out["median"].where(out["median"] != 0) - 1
    out = out.drop(columns="_key")
    return out.sort_values([*group, "rank", "city_code"], na_position="last", ignore_index=True)


def compute_peer_group(
    cities: pd.DataFrame,
    city_code: str,
    group: PeerGroup = "all",
    *,
    factor: float = 2.0,
    min_peers: int = 4,
) -> list[str]:
    """City codes of ``city_code``'s comparison group (itself included), sorted by code."""
    c = cities.assign(code=cities["code"].astype(str)).set_index("code")
    if city_code not in c.index:
        raise UnknownCode.of("errors.peer_city_unknown", code=city_code)
    if group == "all":
        return sorted(c.index)
    if group == "macro_area":
        return sorted(c.index[c["macro_area"] == c.loc[city_code, "macro_area"]])
    if group != "similar_size":
        raise InvalidInput.of("errors.peer_group_unknown", group=group)
    fr = pd.to_numeric(c["foreign_residents"], errors="coerce").astype(float)
    own = fr[city_code]
    if not own > 0:
        return [city_code]
    others = fr.drop(city_code)
    others = others[others > 0]
    dist = np.abs(np.log(others / own))
    peers = list(dist.index[dist <= math.log(factor)])
    if len(peers) < min_peers:
        nearest = pd.DataFrame({"d": dist.to_numpy(), "code": list(dist.index)}).sort_values(
            ["d", "code"]
        )
        peers = list(nearest["code"].iloc[:min_peers])
    return sorted([city_code, *peers])


def compute_city_benchmark(
    cumulated: pd.DataFrame,
    cities: pd.DataFrame,
    city_code: str,
    peers: Iterable[str] | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """One city's standing on every indicator within a peer group (default: all cities).

    Returns:
        One row per indicator the city has data for: the columns of :func:`compute_ranks`
        computed within ``peers`` (so ``n_ranked`` is the size of the group with data).
    """
    cat = catalogue or INDICATOR_BY_CODE
    frame = compute_per_10k(cumulated, cities, catalogue=cat)
    if peers is not None:
        frame = frame[frame["city_code"].isin([str(p) for p in peers])]
    ranked = compute_ranks(frame, catalogue=cat)
    return ranked[ranked["city_code"] == city_code].reset_index(drop=True)


# -------------------------------------------------------------------------------------- funnel
def poisson_quantile(mean: float, prob: float) -> float:
    """Interpolated Poisson quantile (Spiegelhalter 2005): ``r - a`` where r is the smallest
    count with ``P(X <= r) >= prob`` and ``a = (P(X<=r) - prob) / P(X=r)``. 0 for mean <= 0."""
    if not 0 < prob < 1:
        raise InvalidInput.of("errors.probability_range")
    if not mean > 0:
        return 0.0
    spread = 12 * math.sqrt(mean) + 15  # the mass outside is far below double precision
    lo = max(0, math.floor(mean - spread))
    k = np.arange(lo, math.ceil(mean + spread) + 1, dtype=float)
    log_fact = math.lgamma(lo + 1) + np.concatenate(([0.0], np.cumsum(np.log(k[1:]))))
    pmf = np.exp(k * math.log(mean) - mean - log_fact)
    cdf = np.cumsum(pmf)
    i = int(np.searchsorted(cdf, prob, side="left"))
    i = min(i, len(k) - 1)
    alpha = (cdf[i] - prob) / pmf[i] if pmf[i] > 0 else 0.0
    return float(k[i] - alpha)


@dataclass(frozen=True)
class Funnel:
    """Funnel-plot data. Rates are per 10,000 foreign residents.

    Attributes:
        pooled_rate: total count / total denominator, per 10,000.
        points: ``city_code, count, denominator, rate, expected, lower_95, upper_95,
            lower_998, upper_998, position, signal`` (position in :data:`FUNNEL_POSITIONS`;
            signal ``better``/``worse``/``as_expected`` at 95%, direction-aware).
        limits: the curves, ``denominator, lower_95, upper_95, lower_998, upper_998``.
    """

    pooled_rate: float
    points: pd.DataFrame
    limits: pd.DataFrame
    phi: float = float("nan")  # over-dispersion factor (1 = Poisson variation only)
    tau: float = 0.0  # between-city standard deviation of the rate, per 10,000 (0 = none)


#: Two-sided normal quantiles of the 95% and 99.8% limits.
_Z = {"95": 1.959963984540054, "998": 3.090232306167813}
_LEVELS = {"95": (0.025, 0.975), "998": (0.001, 0.999)}


def overdispersion(count: np.ndarray, n: np.ndarray, pooled: float) -> tuple[float, float]:
    """``(phi, tau2)`` of Spiegelhalter (2005): the winsorised (10%/90%) mean squared z-score
    and the additive random-effects variance of the rate per unit (0 when ``I*phi <= I-1``)."""
    i = len(n)
    if i < 3 or pooled <= 0:
        return float("nan"), 0.0
    z = (count / n - pooled) / np.sqrt(pooled / n)
    lo, hi = np.percentile(z, [10, 90])
    phi = float(np.mean(np.clip(z, lo, hi) ** 2))
    w = n / pooled
    if i * phi <= i - 1:
        return phi, 0.0
    tau2 = (i * phi - (i - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return phi, float(max(tau2, 0.0))


def _limits(n: np.ndarray, pooled: float, tau2: float = 0.0) -> pd.DataFrame:
    out = {"denominator": n}
    for name, (lo, hi) in _LEVELS.items():
        if tau2 > 0:
            half = _Z[name] * np.sqrt(pooled / n + tau2)
            lower, upper = PER * (pooled - half), PER * (pooled + half)
        else:
            lower = np.array([PER * poisson_quantile(pooled * x, lo) / x for x in n])
            upper = np.array([PER * poisson_quantile(pooled * x, hi) / x for x in n])
        out[f"lower_{name}"] = np.maximum(lower, 0.0)
        out[f"upper_{name}"] = upper
    return pd.DataFrame(out)


def compute_funnel(
    counts: pd.DataFrame,
    cities: pd.DataFrame,
    *,
    direction: str = "up",
    n_points: int = 60,
    adjust: bool = True,
) -> Funnel:
    """Funnel plot of a count per 10,000 foreign residents against city size.

    Args:
        counts: ``city_code, value`` — a cumulated count (flow or stock) per city.
        cities: ``code, foreign_residents``.
        direction: the indicator's direction, for ``signal``.
        n_points: points of each limit curve (geometric grid over the cities' sizes).
        adjust: widen the limits by the over-dispersion between cities (module docstring);
            False gives the plain Poisson limits.
    """
    fr = cities.assign(code=cities["code"].astype(str)).set_index("code")["foreign_residents"]
    pts = counts.loc[:, ["city_code", "value"]].rename(columns={"value": "count"}).copy()
    pts["denominator"] = pts["city_code"].astype(str).map(pd.to_numeric(fr, errors="coerce"))
    pts = pts[(pts["denominator"] > 0) & pts["count"].notna()].reset_index(drop=True)
    pts["count"] = pts["count"].astype(float)
    pts["denominator"] = pts["denominator"].astype(float)
    if pts.empty or pts["denominator"].sum() <= 0:
        empty = pd.DataFrame(
            columns=["denominator", "lower_95", "upper_95", "lower_998", "upper_998"]
        )
        return Funnel(float("nan"), pts, empty)
    pooled = float(pts["count"].sum() / pts["denominator"].sum())
    pts["rate"] = PER * pts["count"] / pts["denominator"]
    pts["expected"] = pooled * pts["denominator"]
    phi, tau2 = overdispersion(pts["count"].to_numpy(), pts["denominator"].to_numpy(), pooled)
    tau2 = tau2 if adjust else 0.0
    own = _limits(pts["denominator"].to_numpy(), pooled, tau2)
    for c in ("lower_95", "upper_95", "lower_998", "upper_998"):
        pts[c] = own[c].to_numpy()
    pts["position"] = np.select(
        [
            pts["rate"] > pts["upper_998"],
            pts["rate"] > pts["upper_95"],
            pts["rate"] < pts["lower_998"],
            pts["rate"] < pts["lower_95"],
        ],
        ["above_998", "above_95", "below_998", "below_95"],
        default="inside",
    )
    high, low = ("better", "worse") if direction == "up" else ("worse", "better")
    pts["signal"] = np.select(
        [pts["position"].str.startswith("above"), pts["position"].str.startswith("below")],
        [high, low],
        default="as_expected",
    )
    lo_n, hi_n = pts["denominator"].min(), pts["denominator"].max()
    grid = np.unique(np.geomspace(lo_n * 0.8, hi_n * 1.1, max(2, n_points)))
    return Funnel(
        PER * pooled,
        pts.sort_values("city_code", ignore_index=True),
        _limits(grid, pooled, tau2),
        phi=phi,
        tau=PER * math.sqrt(tau2),
    )


def has_peer_values(series: pd.DataFrame, city_code: str) -> bool:
    """Whether a city other than ``city_code`` has a value in ``series``
    (``metrics.viewer.compute_viewer_cumulative_series``): the public release gives the other
    cities' counts of people as totals only, so a protected viewer has no months of theirs,
    and a trend against peers has nothing to compare with."""
    others = series[(series["city_code"].astype(str) != str(city_code)) & series["value"].notna()]
    return not others.empty


def compute_peer_trend(
    series: pd.DataFrame,
    cities: pd.DataFrame,
    city_code: str,
    indicator_code: str,
    peers: Sequence[str] | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """The city's benchmark value per month beside its peers' median, min and max.

    Args:
        series: ``metrics.compute_cumulative_series`` output (city level).

    Returns:
        Columns ``period, city, peer_median, peer_min, peer_max, n_peers`` (peers exclude the
        city itself), one row per period in ``series``.
    """
    cat = catalogue or INDICATOR_BY_CODE
    s = series[series["indicator_code"] == indicator_code]
    s = compute_per_10k(s, cities, catalogue=cat)
    if peers is not None:
        s = s[s["city_code"].isin(list(peers))]
    own = s[s["city_code"] == city_code].set_index("period")["benchmark_value"]
    others = s[s["city_code"] != city_code].groupby("period")["benchmark_value"]
    out = pd.DataFrame(
        {
            "peer_median": others.median(),
            "peer_min": others.min(),
            "peer_max": others.max(),
            "n_peers": others.count(),
        }
    )
    out = out.reindex(sorted(set(s["period"])))
    out.insert(0, "city", own.reindex(out.index))
    out["n_peers"] = out["n_peers"].fillna(0).astype("int64")
    return out.rename_axis("period").reset_index()
