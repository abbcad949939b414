"""What validation needs to know from the database: cities, peripheries, indicators and the
city's own history (for outlier warnings). Plain reads with bound parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from data_access.catalogue import INDICATORS
from data_access.schema import City, IndicatorRow, Observation, Periphery


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    name_it: str
    name_en: str
    unit: str
    kind: str
    counts_people: bool
    by_periphery: bool
    numerator: str | None
    denominator: str | None
    scale: float
    min_value: float
    max_value: float | None

    @property
    def whole(self) -> bool:
        """Every non-ratio indicator of the catalogue counts units (people, nights, events...)."""
        return self.counts_people or self.kind != "ratio"


@dataclass
class Reference:
    cities: dict[str, str] = field(default_factory=dict)  # code -> name
    peripheries: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # city -> casefold name -> id
    periphery_names: dict[int, str] = field(default_factory=dict)
    indicators: dict[str, IndicatorRule] = field(default_factory=dict)


def load_reference(engine: Engine) -> Reference:
    """Cities, peripheries and indicators as stored (indicator codes must exist in the table for
    the foreign key, so the database is the source, not the catalogue module)."""
    ref = Reference()
    with engine.connect() as conn:
        for code, name in conn.execute(select(City.code, City.name)):
            ref.cities[code] = name
        for pid, city, name in conn.execute(
            select(Periphery.id, Periphery.city_code, Periphery.name)
        ):
            ref.peripheries.setdefault(city, {})[name.casefold().strip()] = pid
            ref.periphery_names[pid] = name
        cols = [
            IndicatorRow.code,
            IndicatorRow.name_it,
            IndicatorRow.name_en,
            IndicatorRow.unit,
            IndicatorRow.kind,
            IndicatorRow.counts_people,
            IndicatorRow.by_periphery,
            IndicatorRow.numerator,
            IndicatorRow.denominator,
            IndicatorRow.scale,
            IndicatorRow.min_value,
            IndicatorRow.max_value,
        ]
        for r in conn.execute(select(*cols).order_by(IndicatorRow.code)):
            row: tuple[Any, ...] = tuple(r)
            ref.indicators[row[0]] = IndicatorRule(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                bool(row[5]),
                bool(row[6]),
                row[7],
                row[8],
                float(row[9] if row[9] is not None else 1.0),
                float(row[10] or 0.0),
                None if row[11] is None else float(row[11]),
            )
    # Catalogue order (WP1 first, parts before their ratio), unknown extras at the end.
    order = {ind.code: k for k, ind in enumerate(INDICATORS)}
    ref.indicators = dict(
        sorted(ref.indicators.items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))
    )
    return ref


def load_history(
    engine: Engine, city_code: str, exclude_period: str
) -> dict[tuple[str, int | None], list[float]]:
    """The city's stored values per (indicator, periphery id), all months but ``exclude_period``."""
    out: dict[tuple[str, int | None], list[float]] = {}
    stmt = select(Observation.indicator_code, Observation.periphery_id, Observation.value).where(
        Observation.city_code == city_code, Observation.period != exclude_period
    )
    with engine.connect() as conn:
        for code, pid, value in conn.execute(stmt):
            out.setdefault((code, pid), []).append(float(value))
    return out
