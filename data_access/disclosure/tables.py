"""Disclosure control: what each role may see of the monthly values (ARCHITECTURE.md, issue 5).

One call per publication: ``disclose_table(frame, viewer)`` protects the cells *and* the totals
that may be shown with them, jointly, and returns both. Pages and exports show only what it
returns; they never add up disclosed cells themselves except through ``sum_disclosed`` (which
only combines published numbers, so it reveals nothing new).

Rules, by role (``policy_for``):

- **steering / admin**: nothing altered, every flag ``""``.
- **public**, indicators that count people (``Indicator.counts_people``): counts 1-9 suppressed
  (value NaN, flag ``"soppresso"``, ``suppressed_below`` 10, shown "<10"); every other non-zero
  count rounded to the nearest 5 (flag ``"arrotondato"`` on every rounded quantity, changed or
  not: flagging only changed values would tell exactly which values are multiples of 5); zeros
  stay 0 with no flag. Totals are rounded independently of their parts.
- **city manager**, the same indicators: its own city exact; other cities' counts 1-4 suppressed
  (shown "<5"), nothing rounded; other cities' periphery rows are dropped.
- Secondary suppression for both (``disclosure_core``): every suppressed quantity keeps a
  feasible range of at least 5 (public) or 3 (city manager, the width of "1-4") given
  everything in the returned table, checked jointly by linear programming
  (``disclosure_check``); complements are flagged ``"soppresso"`` with ``suppressed_below``
  NaN and shown "n.d." (never zeros; a small count whose "<10" would narrow a range is shown
  "n.d." too). Totals whose protected parts are all zero are plain sums of what the viewer
  already sees and stay exact.
- Other indicators are never altered. A ratio (``kind == "ratio"``) whose numerator or
  denominator counts people is, for a protected row, recomputed from its *disclosed* parts
  (so it leaks nothing the parts do not): suppressed when a people part is suppressed or absent
  from the frame, flagged ``"arrotondato"`` when a part was rounded.

Totals assumed published, per people indicator (the sums the algorithm protects):
``national_by_period`` (all cities in the frame, one month), ``city_totals`` (one city, all the
frame's months; a flow's sum, a stock's last month), ``national_totals`` (all cities and months),
``periphery_totals`` (one periphery, all months), and each city-month row against its periphery
rows (the city row minus its peripheries is assumed known to the observer, which is
conservative). Nothing else may be published: no running totals, no totals over a sub-range of
months or a subset of cities computed from raw data (``sum_disclosed`` is the only safe way to
add disclosed numbers up). Disclose the whole programme, all cities, and city and periphery rows
together, *once* per viewer, and filter the returned frames afterwards: two frames disclosed
separately (another month range, another city subset) have different suppression patterns and
can be differenced against each other. On the demo data this one call takes about 1.5 s for
the public (cache it per viewer).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, Indicator
from data_access.disclosure.core import (
    OTHER_CITY_POLICY,
    PRIMARY,
    PUBLIC_POLICY,
    ROUNDED,
    SECONDARY,
    Policy,
)
from data_access.disclosure.sites import (
    COORDINATE_COLUMNS,
    disclose_protected_places,
    strip_coordinates,
)
from data_access.disclosure.units import TotalsOut, build_and_protect, exact_totals
from data_access.viewer import Viewer

FLAG_NONE = ""
FLAG_SUPPRESSED = "soppresso"
FLAG_ROUNDED = "arrotondato"
#: A running total that adds up only the published months (a lower bound of the true total).
FLAG_PARTIAL = "parziale"
FLAG_LABELS: dict[str, dict[str, str]] = {
    "it": {
        FLAG_SUPPRESSED: "soppresso",
        FLAG_ROUNDED: "arrotondato",
        FLAG_PARTIAL: "parziale",
        FLAG_NONE: "",
    },
    "en": {
        FLAG_SUPPRESSED: "suppressed",
        FLAG_ROUNDED: "rounded",
        FLAG_PARTIAL: "partial",
        FLAG_NONE: "",
    },
}
__all__ = [
    "BELOW",
    "COORDINATE_COLUMNS",
    "FLAG_LABELS",
    "FLAG_NONE",
    "FLAG_PARTIAL",
    "FLAG_ROUNDED",
    "FLAG_SUPPRESSED",
    "DisclosedTable",
    "apply_disclosure",
    "disclose_protected_places",
    "disclose_table",
    "flag_label",
    "format_value",
    "policy_for",
    "strip_coordinates",
    "sum_disclosed",
]
SECONDARY_MARK = {"it": "n.d.", "en": "n/a"}
BELOW = "suppressed_below"
TOTAL_COLUMNS = {
    "city_totals": ["city_code", "indicator_code", "value", "flag", BELOW],
    "national_by_period": ["indicator_code", "period", "value", "flag", BELOW],
    "national_totals": ["indicator_code", "value", "flag", BELOW],
    "periphery_totals": ["city_code", "periphery_id", "indicator_code", "value", "flag", BELOW],
}


@dataclass(frozen=True)
class DisclosedTable:
    """Everything one viewer may see of one frame of values, protected jointly.

    Attributes:
        cells: the input rows (other cities' periphery rows dropped for a city manager) with
            ``value`` altered, ``flag`` and ``suppressed_below`` added.
        city_totals / national_by_period / national_totals / periphery_totals: the only totals
            a page may show, columns as in ``TOTAL_COLUMNS``.
    """

    cells: pd.DataFrame
    city_totals: pd.DataFrame
    national_by_period: pd.DataFrame
    national_totals: pd.DataFrame
    periphery_totals: pd.DataFrame


def policy_for(viewer: Viewer, city_code: str | None = None) -> Policy | None:
    """The policy protecting ``city_code``'s people counts from ``viewer``; None = exact."""
    if viewer.full_detail:
        return None
    if viewer.role == "city":
        return None if city_code == viewer.city else OTHER_CITY_POLICY
    return PUBLIC_POLICY


def flag_for(state: str) -> str:
    """The ``flag`` value for an internal publication state."""
    if state in (PRIMARY, SECONDARY):
        return FLAG_SUPPRESSED
    return FLAG_ROUNDED if state == ROUNDED else FLAG_NONE


def flag_label(flag: str, lang: str = "it") -> str:
    """Human label of a flag in ``lang`` ("it" or "en")."""
    return FLAG_LABELS.get(lang, FLAG_LABELS["it"]).get(flag, flag)


def format_value(
    value: float | None,
    flag: str = "",
    suppressed_below: float | None = None,
    lang: str = "it",
    decimals: int = 0,
) -> str:
    """Display text of a disclosed value: "<10" / "<5" for a small count, "n.d." (it) / "n/a"
    (en) for a complementary suppression, otherwise the number with the language's separators.
    """
    if flag == FLAG_SUPPRESSED or value is None or (isinstance(value, float) and math.isnan(value)):
        if (
            flag == FLAG_SUPPRESSED
            and suppressed_below is not None
            and not pd.isna(suppressed_below)
        ):
            return f"<{int(suppressed_below)}"
        return SECONDARY_MARK.get(lang, "n.d.")
    text = f"{value:,.{decimals}f}"
    if lang == "it":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def _catalogue(catalogue: Mapping[str, Indicator] | None) -> Mapping[str, Indicator]:
    return INDICATOR_BY_CODE if catalogue is None else catalogue


def _prepare(frame: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    df = frame.copy()
    if "periphery_id" not in df:
        df["periphery_id"] = pd.array([pd.NA] * len(df), dtype="Int64")
    if viewer.role == "city":
        df = df[df["periphery_id"].isna() | (df["city_code"] == viewer.city)]
    if "flag" not in df:
        df["flag"] = FLAG_NONE
    df["flag"] = df["flag"].fillna(FLAG_NONE).astype(str)
    if BELOW not in df:
        df[BELOW] = math.nan
    df[BELOW] = df[BELOW].astype(float)
    df["value"] = df["value"].astype(float)
    return df.reset_index(drop=True)


def disclose_table(
    frame: pd.DataFrame, viewer: Viewer, catalogue: Mapping[str, Indicator] | None = None
) -> DisclosedTable:
    """Apply the viewer's disclosure rules to a frame of values and compute its totals.

    Args:
        frame: columns ``city_code``, ``indicator_code``, ``period`` (YYYY-MM), ``value`` and
            optionally ``periphery_id`` (null for city rows; periphery rows of a city-month
            are a breakdown of its city row) and any other columns, kept as they are. Pass
            all cities, all months and city and periphery rows together.
        viewer: who is looking.
        catalogue: indicator definitions (default ``INDICATOR_BY_CODE``); unknown codes are
            treated as counting people (fail-safe).

    Returns:
        A ``DisclosedTable``; ``cells`` keeps the frame's row order. Applying the function to
        its own ``cells`` returns the same cells (idempotent).
    """
    cat = _catalogue(catalogue)
    df = _prepare(frame, viewer)
    out: dict[str, list[dict[str, object]]] = {k: [] for k in TOTAL_COLUMNS}
    values = df["value"].to_numpy(dtype=float, copy=True)
    flags = df["flag"].to_numpy(dtype=object, copy=True)
    belows = df[BELOW].to_numpy(dtype=float, copy=True)
    for code, rows in df.groupby("indicator_code", sort=True):
        ind = cat.get(str(code))
        kind = ind.kind if ind else "flow"
        if ind is not None and ind.kind == "ratio":
            continue
        people = ind.counts_people if ind else True
        if people and not viewer.full_detail:
            totals = build_and_protect(rows, str(code), kind, viewer, policy_for)
            for idx, (shown, state, below) in totals.cells.items():
                values[idx] = shown
                if flags[idx] == FLAG_NONE:
                    flags[idx] = flag_for(state)
                    belows[idx] = below
        else:
            totals = exact_totals(rows, str(code), kind)
        collect_totals(out, totals)
    df["value"], df["flag"], df[BELOW] = values, flags, belows
    apply_ratios(df, out, cat, viewer)
    frames = {k: pd.DataFrame(v, columns=TOTAL_COLUMNS[k]) for k, v in out.items()}
    if not frames["periphery_totals"].empty:
        frames["periphery_totals"]["periphery_id"] = frames["periphery_totals"][
            "periphery_id"
        ].astype("Int64")
    return DisclosedTable(df, **frames)


def apply_disclosure(
    frame: pd.DataFrame, viewer: Viewer, catalogue: Mapping[str, Indicator] | None = None
) -> pd.DataFrame:
    """``disclose_table(frame, viewer).cells``: the frame's rows as the viewer may see them."""
    return disclose_table(frame, viewer, catalogue).cells


def collect_totals(out: dict[str, list[dict[str, object]]], totals: TotalsOut) -> None:
    """Append a unit's published totals to ``out`` (total name -> records)."""
    for name, rows in totals.rows.items():
        for key, (shown, state, below) in rows.items():
            rec: dict[str, object] = dict(zip(TOTAL_COLUMNS[name][:-3], key, strict=True))
            rec.update(value=shown, flag=flag_for(state), **{BELOW: below})
            out[name].append(rec)


def _ratio_value(
    ind: Indicator, num: tuple[float, str], den: tuple[float, str], protect: bool
) -> tuple[float, str]:
    (nv, nf), (dv, df_) = num, den
    if protect and (FLAG_SUPPRESSED in (nf, df_) or math.isnan(nv) or math.isnan(dv)):
        return math.nan, FLAG_SUPPRESSED
    if math.isnan(nv) or math.isnan(dv) or dv == 0:
        return math.nan, FLAG_NONE
    flag = FLAG_ROUNDED if protect and FLAG_ROUNDED in (nf, df_) else FLAG_NONE
    return ind.scale * nv / dv, flag


def apply_ratios(
    df: pd.DataFrame,
    out: dict[str, list[dict[str, object]]],
    cat: Mapping[str, Indicator],
    viewer: Viewer,
) -> None:
    """Recompute ratios from their disclosed parts (cells, in place) and append ratio totals
    to ``out`` (computed from the parts' totals already in it)."""
    keys = ["city_code", "periphery_id", "period"]
    for code in sorted(set(df["indicator_code"].astype(str))):
        ind = cat.get(code)
        if ind is None or ind.kind != "ratio" or not ind.numerator or not ind.denominator:
            continue
        parts = (cat.get(ind.numerator), cat.get(ind.denominator))
        sensitive = any(p is None or p.counts_people for p in parts)
        lookup = {}
        for part in (ind.numerator, ind.denominator):
            sub = df[df["indicator_code"] == part]
            lookup[part] = {
                tuple(r[k] for k in keys): (r["value"], r["flag"])
                for r in sub[keys + ["value", "flag"]].to_dict("records")
            }
        missing = (math.nan, FLAG_NONE)
        sel = df.index[df["indicator_code"] == code]
        for idx, rec in zip(sel, df.loc[sel, keys].to_dict("records"), strict=True):
            key = tuple(rec[k] for k in keys)
            if not (sensitive and policy_for(viewer, str(key[0])) is not None):
                continue
            num = lookup[ind.numerator].get(key, missing)
            den = lookup[ind.denominator].get(key, missing)
            value, flag = _ratio_value(ind, num, den, True)
            df.loc[idx, ["value", "flag", BELOW]] = [value, flag, math.nan]
        for name, cols in TOTAL_COLUMNS.items():
            key_cols = [c for c in cols[:-3] if c != "indicator_code"]
            by_part: dict[str, dict[tuple[object, ...], tuple[float, str]]] = {}
            for part in (ind.numerator, ind.denominator):
                by_part[part] = {
                    tuple(r[c] for c in key_cols): (float(r["value"]), str(r["flag"]))  # type: ignore[arg-type]
                    for r in out[name]
                    if r["indicator_code"] == part
                }
            for key in sorted(set(by_part[ind.numerator]) & set(by_part[ind.denominator]), key=str):
                city = str(key[0]) if key_cols and key_cols[0] == "city_code" else None
                protect = sensitive and (
                    policy_for(viewer, city) is not None
                    if city is not None
                    else not viewer.full_detail
                )
                value, flag = _ratio_value(
                    ind, by_part[ind.numerator][key], by_part[ind.denominator][key], protect
                )
                total: dict[str, object] = dict(zip(key_cols, key, strict=True))
                total.update(indicator_code=code, value=value, flag=flag, **{BELOW: math.nan})
                out[name].append(total)


def sum_disclosed(cells: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Sum disclosed values by ``by`` using only published numbers (safe for any grouping).

    A group with a suppressed member gets value NaN and flag ``"soppresso"`` (its sum is not
    published); a group with a rounded member is flagged ``"arrotondato"``.

    Returns:
        Columns ``by + ["value", "flag", "suppressed_below"]``.
    """

    def agg(g: pd.DataFrame) -> pd.Series:
        flags = set(g["flag"])
        if FLAG_SUPPRESSED in flags:
            return pd.Series({"value": math.nan, "flag": FLAG_SUPPRESSED, BELOW: math.nan})
        flag = FLAG_ROUNDED if FLAG_ROUNDED in flags else FLAG_NONE
        return pd.Series({"value": float(g["value"].sum()), "flag": flag, BELOW: math.nan})

    cols = list(by) + ["value", "flag", BELOW]
    if cells.empty:
        return pd.DataFrame(columns=cols)
    res = cells.groupby(list(by), sort=True, dropna=False)[["value", "flag"]].apply(agg)
    return res.reset_index()[cols]
