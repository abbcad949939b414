"""The deterministic demo dataset (``lgnet2 demo``).

City facts and neighbourhood names are real; every number generated here is invented, and the
dataset says so (``dataset_meta.is_demo = true``) so that every page and export can mark it.

Dynamics: a start-up ramp over the first months, a summer dip (August), values proportional to
each city's foreign residents (sub-linearly, so small cities still have activity), cities that
differ (a few clearly ahead, at least three clearly behind in one WP), a few missing monthly
reports and some late ones.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time, timedelta

from sqlalchemy import Connection, Engine, delete, insert, select, text

from data_access.catalogue import INDICATORS, programme_periods
from data_access.db import upgrade
from data_access.demo.audit import demo_audit
from data_access.demo.places import build_places, rng_for
from data_access.demo.scale import MAX_COPIES, synthetic_cities
from data_access.errors import InvalidInput
from data_access.periods import days_in_month, report_deadline
from data_access.publication.build import publish_after_change
from data_access.reference_load import insert_reference, load_city_facts, load_neighbourhoods
from data_access.schema import (
    ActionRow,
    AuditLog,
    Base,
    Budget,
    City,
    DatasetMeta,
    Expenditure,
    Hub,
    IndicatorRow,
    Observation,
    Periphery,
    ProtectedSite,
    Publication,
    PublicationBlock,
    PublicationRow,
    Submission,
    Target,
    WorkPackageRow,
)

DEFAULT_SEED = 2024
#: The data cut-off of the demo (year, month, day): reports received by then are in.
CUTOFF = (2024, 4, 20)
CUTOFF_AT = datetime(*CUTOFF, 10)  # the latest arrival the demo's data holds

# Monthly value at cruising speed for a city with 10,000 foreign residents.
BASE_RATE: dict[str, float] = {
    "WP1_PROJECTS": 0.7,
    "WP1_PARTICIPANTS": 9,
    "WP1_SAFETY_TRAINED": 6,
    "WP1_EVENTS": 1.3,
    "WP1_ATTENDEES": 45,
    "WP2_OUTINGS": 11,
    "WP2_TAKEN_IN_CHARGE": 14,
    "WP2_DESK_CONTACTS": 60,
    "WP2_LEGAL": 9,
    "WP2_PSYCH": 4,
    "WP2_HUB_ACTIVITIES": 7,
    "WP2_HUB_PARTICIPANTS": 40,
    "WP3_HOUSED": 3,
    "WP3_CONTRIBUTIONS": 5,
    "WP3_LANDLORD_INCENTIVES": 0.8,
    "WP3_TUTORING": 3,
    "WP3_JOB_PLACEMENT": 1.2,
    "WP3_COMMUNITY_MEETINGS": 1.0,
}
PLACES_PER_10K = 12.0
SEASON = {1: 0.9, 7: 0.85, 8: 0.5, 12: 0.8}
# Deliberate differences between cities (by ISTAT code): performance factor per WP.
PERFORMANCE: dict[tuple[str, str], float] = {
    ("073027", "WP3"): 0.5,  # Taranto clearly behind on housing
    ("061022", "WP1"): 0.55,  # Caserta clearly behind on civic engagement
    ("082053", "WP2"): 0.62,  # Palermo behind on rapid assistance
    ("059011", "WP2"): 0.78,  # Latina at risk
    ("037006", "WP1"): 1.2,
    ("037006", "WP2"): 1.15,
    ("037006", "WP3"): 1.1,  # Bologna ahead
    ("001272", "WP1"): 1.15,  # Torino ahead
}
LATE_START = {"059011": 2}  # Latina starts reporting two months late
MISSING_REPORTS = {
    ("076063", "2023-08"),
    ("090064", "2024-02"),
    ("061022", "2023-12"),
    ("073027", "2024-03"),
    ("082053", "2024-03"),
}
OFTEN_LATE = {"063049", "082053", "061022"}
WP_SHARE = {"WP1": 0.28, "WP2": 0.34, "WP3": 0.38}
MILESTONE_CITIES = {"015146", "058091"}  # Milano and Roma set intermediate milestones


def city_scale(foreign_residents: int) -> float:
    """Activity multiplier against a 10,000-foreign-resident city (sub-linear)."""
    return float((foreign_residents / 10_000) ** 0.7)


def ramp(month_index: int, delay: int = 0) -> float:
    """Start-up ramp: 0 before the city starts, then 25% -> 100% over four months."""
    i = month_index - delay
    return 0.0 if i < 0 else min(1.0, 0.25 + 0.75 * i / 4)


def _perf(seed: int, code: str, wp: str) -> float:
    if (code, wp) in PERFORMANCE:
        return PERFORMANCE[(code, wp)]
    return float(rng_for(seed, "perf", code, wp).uniform(0.88, 1.08))


def _nice(x: float) -> float:
    """Round a target to a number a programme would write down."""
    if x < 20:
        return float(max(1, round(x)))
    if x < 200:
        return float(round(x / 5) * 5)
    return float(round(x / 10) * 10)


def shelter_places(seed: int, city: dict, month_index: int) -> int:
    """WP3_PLACES of ``city`` in the programme's month ``month_index`` (a stock: the places
    open at the end of the month), growing with the start-up ramp to the city's final places."""
    code = str(city["code"])
    final = max(
        4, round(PLACES_PER_10K * city_scale(city["foreign_residents"]) * _perf(seed, code, "WP3"))
    )
    return round(final * min(1.0, ramp(month_index, LATE_START.get(code, 0)) * 1.1))


def registry_places(seed: int, city: dict) -> int:
    """The most places the protected-site registry of ``city`` may hold: the fewest places the
    city reports in any month. The territorial map's table gives the places outside the
    peripheries as the indicator minus the registry's, so a registry larger than the indicator
    (Taranto: at most 4 places reported, shelters of 45 registered) would leave that row
    clipped at 0 and a table that does not add up, in whichever month one looks at."""
    code = str(city["code"])
    delay = LATE_START.get(code, 0)
    return min(
        shelter_places(seed, city, i)
        for i, period in enumerate(programme_periods())
        if (code, period) not in MISSING_REPORTS and ramp(i, delay) > 0
    )


def build_facts(seed: int, cities: list[dict], peripheries: list[dict]) -> dict[str, list[dict]]:
    """Observations, submissions, targets, budget and expenditure rows (no ids for facts)."""
    periods = programme_periods()
    plan_total = sum(ramp(i) * SEASON.get(int(p[5:]), 1.0) for i, p in enumerate(periods))
    obs: list[dict] = []
    subs: list[dict] = []
    targets: list[dict] = []
    budget: list[dict] = []
    spend: list[dict] = []
    sub_id = 0
    by_city_peripheries: dict[str, list[dict]] = {}
    for p in peripheries:
        by_city_peripheries.setdefault(p["city_code"], []).append(p)
    ind = {i.code: i for i in INDICATORS}
    for city in cities:
        code = city["code"]
        f = city_scale(city["foreign_residents"])
        delay = LATE_START.get(code, 0)
        rng = rng_for(seed, "facts", code)
        housed_hist: list[int] = []
        for i, period in enumerate(periods):
            if (code, period) in MISSING_REPORTS or ramp(i, delay) == 0.0:
                continue
            season = SEASON.get(int(period[5:]), 1.0)
            sub_id += 1
            due = datetime.combine(report_deadline(period), time())
            late = code in OFTEN_LATE and rng.uniform() < 0.4 or rng.uniform() < 0.06
            offset = int(rng.integers(3, 25)) if late else -int(rng.integers(1, 14))
            status = (
                # what a programme approves by its cut-off: all but the latest two months
                "approved"
                if period <= "2024-01"
                else ("validated" if period < "2024-03" else "received")
            )
            subs.append(
                {
                    "id": sub_id,
                    "city_code": code,
                    "period": period,
                    "file_name": f"demo_{code}_{period}.csv",
                    "sha256": hashlib.sha256(f"demo|{seed}|{code}|{period}".encode()).hexdigest(),
                    "uploader": "demo",
                    # A report late beyond the cut-off arrives on its day: the dataset is "as
                    # of" the cut-off, so it holds nothing received after it.
                    "submitted_at": min(due + timedelta(days=offset, hours=10), CUTOFF_AT),
                    "status": status,
                    "version": 1,
                    "supersedes": None,
                    "error_report": None,
                    "content": None,
                }
            )
            vals: dict[str, float] = {}
            for icode, base in BASE_RATE.items():
                lam = base * f * ramp(i, delay) * season * _perf(seed, code, ind[icode].wp)
                vals[icode] = float(rng.poisson(lam))
            places = shelter_places(seed, city, i)
            occ = float(rng.uniform(0.72, 0.93))
            vals["WP3_PLACES"] = float(places)
            vals["WP3_PLACE_NIGHTS"] = float(places * days_in_month(period))
            vals["WP3_BED_NIGHTS"] = float(round(places * days_in_month(period) * occ))
            housed_hist.append(int(vals["WP3_HOUSED"]))
            exits = int(sum(housed_hist[-5:-3])) // 2 if len(housed_hist) > 3 else 0
            exits = min(exits, int(vals["WP3_HOUSED"]) + exits)
            vals["WP3_EXITS"] = float(exits)
            vals["WP3_STAY_DAYS"] = float(sum(int(rng.integers(80, 170)) for _ in range(exits)))
            vals["WP3_EXITS_AUTONOMY"] = float(rng.binomial(exits, 0.45)) if exits else 0.0
            vals["WP3_OCCUPANCY"] = (
                round(100 * vals["WP3_BED_NIGHTS"] / vals["WP3_PLACE_NIGHTS"], 1) if places else 0.0
            )
            vals["WP3_AVG_STAY"] = round(vals["WP3_STAY_DAYS"] / exits, 1) if exits else 0.0
            for icode, value in vals.items():
                if ind[icode].by_periphery:
                    ps = by_city_peripheries[code]
                    weights = rng.dirichlet([3.0] * len(ps))
                    parts = rng.multinomial(int(value), weights)
                    for p, part in zip(ps, parts, strict=True):
                        obs.append(
                            {
                                "city_code": code,
                                "periphery_id": p["id"],
                                "indicator_code": icode,
                                "period": period,
                                "value": float(part),
                                "submission_id": sub_id,
                            }
                        )
                elif not (ind[icode].kind == "ratio" and vals[ind[icode].denominator or ""] == 0):
                    obs.append(
                        {
                            "city_code": code,
                            "periphery_id": None,
                            "indicator_code": icode,
                            "period": period,
                            "value": value,
                            "submission_id": sub_id,
                        }
                    )
        for icode, base in BASE_RATE.items():
            end = _nice(base * f * plan_total)
            ms = None
            if code in MILESTONE_CITIES and ind[icode].wp == "WP2":
                ms = json.dumps(
                    [
                        {"period": "2023-03", "value": _nice(end * 0.2)},
                        {"period": "2023-09", "value": _nice(end * 0.55)},
                    ]
                )
            targets.append(
                {"city_code": code, "indicator_code": icode, "end_value": end, "milestones": ms}
            )
        targets += [
            {
                "city_code": code,
                "indicator_code": "WP3_PLACES",
                "end_value": float(round(PLACES_PER_10K * f)) or 4.0,
                "milestones": None,
            },
            {
                "city_code": code,
                "indicator_code": "WP3_OCCUPANCY",
                "end_value": 85.0,
                "milestones": None,
            },
            {
                "city_code": code,
                "indicator_code": "WP3_AVG_STAY",
                "end_value": 150.0,
                "milestones": None,
            },
        ]
        total_budget = round((120_000 + 55_000 * f) / 1000) * 1000
        for wp, share in WP_SHARE.items():
            amount = float(round(total_budget * share / 100) * 100)
            budget.append({"city_code": code, "wp": wp, "amount_eur": amount})
            for i, period in enumerate(periods):
                spent = (
                    amount
                    / len(periods)
                    * ramp(i, delay)
                    * _perf(seed, code, wp)
                    * float(rng.uniform(0.8, 1.15))
                )
                spend.append(
                    {
                        "city_code": code,
                        "wp": wp,
                        "period": period,
                        "amount_eur": float(round(spent)),
                    }
                )
    return {
        "observation": obs,
        "submission": subs,
        "target": targets,
        "budget": budget,
        "expenditure": spend,
    }


FACT_TABLES = (
    PublicationRow,
    PublicationBlock,
    Publication,
    AuditLog,
    Observation,
    Target,
    Expenditure,
    Budget,
    Submission,
    ProtectedSite,
    Hub,
    Periphery,
    IndicatorRow,
    ActionRow,
    WorkPackageRow,
    City,
    DatasetMeta,
)


def _clear(conn: Connection) -> None:
    for table in FACT_TABLES:
        conn.execute(delete(table))


def _advance_sequences(conn: Connection, tables: tuple[str, ...]) -> None:
    """Rows inserted with explicit ids do not move PostgreSQL's sequences: move them past the
    largest id so that later inserts (imports, new places) get fresh ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def build_demo(
    engine: Engine,
    seed: int = DEFAULT_SEED,
    *,
    force: bool = False,
    synthetic_copies: int = 0,
    publish: bool = True,
    workers: int = 1,
) -> dict[str, int]:
    """Create the schema (Alembic) and load the deterministic demo dataset, in one transaction.

    Args:
        seed: the same seed always gives the same rows.
        force: replace whatever the database holds; without it a non-empty database is refused.
        synthetic_copies: add that many copies of the 16 cities as synthetic cities (benchmarks).
        publish: build the first publication afterwards (``publication.build``), so that the
            public pages have a release to read; ``workers`` processes solve it.

    Returns:
        Row counts per table.

    Raises:
        InvalidInput: the database already holds data and ``force`` is false.
    """
    upgrade(engine)
    if not 0 <= synthetic_copies <= MAX_COPIES:
        raise InvalidInput.of("errors.demo_copies_range", max=MAX_COPIES, max_scale=MAX_COPIES + 1)
    extra_cities, extra_hoods = synthetic_cities(synthetic_copies)
    cities = load_city_facts() + extra_cities
    hoods = load_neighbourhoods() + extra_hoods
    caps = {str(c["code"]): registry_places(seed, c) for c in cities}
    peripheries, hubs, sites = build_places(seed, cities, hoods, caps)
    facts = build_facts(seed, cities, peripheries)
    with engine.begin() as conn:
        if conn.execute(select(City.code).limit(1)).first() is not None:
            if not force:
                raise InvalidInput.of("errors.demo_not_empty")
            _clear(conn)
        insert_reference(conn, cities)
        conn.execute(insert(Periphery), peripheries)
        conn.execute(insert(Hub), hubs)
        conn.execute(insert(ProtectedSite), sites)
        for name in ("submission", "observation", "target", "budget", "expenditure"):
            table = Base.metadata.tables[name]
            rows = facts[name]
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[start : start + 20_000])
        audit = demo_audit(facts["submission"], facts["observation"], datetime(*CUTOFF))
        for start in range(0, len(audit), 20_000):
            conn.execute(insert(AuditLog), audit[start : start + 20_000])
        _advance_sequences(conn, ("periphery", "hub", "protected_site", "submission"))
        meta = {
            "is_demo": "true",
            "demo_seed": str(seed),
            "cutoff": "{:04d}-{:02d}-{:02d}".format(*CUTOFF),
            "synthetic_copies": str(synthetic_copies),
            "source_it": "Dati dimostrativi generati da lgnet2 demo: i valori non sono reali.",
            "source_en": "Demo data generated by lgnet2 demo: the values are not real.",
        }
        conn.execute(insert(DatasetMeta), [{"key": k, "value": v} for k, v in meta.items()])
    counts = {
        "city": len(cities),
        "periphery": len(peripheries),
        "hub": len(hubs),
        "protected_site": len(sites),
    }
    counts.update({k: len(v) for k, v in facts.items()})
    if publish:
        publish_after_change(engine, "demo", "lgnet2 demo", workers=workers)
    return counts
