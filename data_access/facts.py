"""Raw reads of the monthly values (role-independent, never rendered as they are).

``data_access.queries`` re-exports them next to the viewer-aware ``load_*`` reads;
``data_access.publication`` builds releases from them. SQL is built with SQLAlchemy Core and
bound parameters only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Engine, Result, Select, func, null, select, union_all

from data_access.catalogue import INDICATOR_BY_CODE
from data_access.errors import InvalidInput, UnknownCode
from data_access.periods import check_period
from data_access.schema import Observation

OBS_COLUMNS = ["city_code", "periphery_id", "indicator_code", "period", "value"]


def frame_of(result: Result[Any], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of ``result`` as a frame (``columns``, else the result's own names)."""
    cols = list(columns) if columns else list(result.keys())
    # Plain tuples: pandas probes each SQLAlchemy Row for namedtuple attributes, and a Row
    # answers a missing attribute slowly (most of the time of a 10x-demo read went there).
    return pd.DataFrame([tuple(row) for row in result], columns=cols)


def read_frame(engine: Engine, stmt: Select, columns: Sequence[str] | None = None) -> pd.DataFrame:
    with engine.connect() as conn:
        return frame_of(conn.execute(stmt), columns)


def check_filters(
    indicators: Sequence[str] | None, start: str | None, end: str | None, level: str
) -> None:
    if level not in ("city", "periphery"):
        raise InvalidInput.of("errors.unknown_level", level=level)
    for p in (start, end):
        if p is not None:
            check_period(p)
    if indicators is not None:
        check_indicators(indicators)


def check_indicators(codes: Sequence[str]) -> None:
    unknown = [c for c in codes if c not in INDICATOR_BY_CODE]
    if unknown:
        raise UnknownCode.of(
            "errors.unknown_indicator", hint="errors.indicator_list_hint", code=", ".join(unknown)
        )


def fetch_observations(
    engine: Engine,
    *,
    indicators: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    level: str = "city",
) -> pd.DataFrame:
    """Raw monthly values (role-independent).

    ``level="city"``: one row per city, indicator and month; indicators reported by periphery
    are summed over the city's peripheries (they are all flows). ``periphery_id`` is null.
    ``level="periphery"``: only the rows reported per periphery.
    Columns: city_code, periphery_id, indicator_code, period, value; sorted.
    """
    check_filters(indicators, start, end, level)
    o = Observation
    conds: list[ColumnElement[bool]] = []
    if indicators is not None:
        conds.append(o.indicator_code.in_(list(indicators)))
    if cities is not None:
        conds.append(o.city_code.in_(list(cities)))
    if start:
        conds.append(o.period >= start)
    if end:
        conds.append(o.period <= end)
    if level == "periphery":
        stmt = select(o.city_code, o.periphery_id, o.indicator_code, o.period, o.value).where(
            o.periphery_id.is_not(None), *conds
        )
    else:
        city_rows = select(
            o.city_code, null().label("periphery_id"), o.indicator_code, o.period, o.value
        ).where(o.periphery_id.is_(None), *conds)
        summed = (
            select(
                o.city_code,
                null().label("periphery_id"),
                o.indicator_code,
                o.period,
                func.sum(o.value).label("value"),
            )
            .where(o.periphery_id.is_not(None), *conds)
            .group_by(o.city_code, o.indicator_code, o.period)
        )
        stmt = union_all(city_rows, summed).subquery().select()
    df = read_frame(engine, stmt, OBS_COLUMNS)
    df["value"] = df["value"].astype(float)
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    return df.sort_values(
        ["city_code", "indicator_code", "period", "periphery_id"], ignore_index=True
    )


def fetch_all_observations(engine: Engine) -> pd.DataFrame:
    """Every stored value, city rows and periphery rows together (role-independent, raw)."""
    return pd.concat(
        [fetch_observations(engine), fetch_observations(engine, level="periphery")],
        ignore_index=True,
    )


def fetch_city_observations(engine: Engine, city: str) -> pd.DataFrame:
    """Every raw value of one city, city rows then periphery rows (role-independent)."""
    return pd.concat(
        [
            fetch_observations(engine, cities=[city]),
            fetch_observations(engine, cities=[city], level="periphery"),
        ],
        ignore_index=True,
    )
