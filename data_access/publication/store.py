"""Reading publications: the latest one's facts and its released tables (issue 13).

Readers never run the disclosure solver: the public and the city managers read the rows a
publication stored (``data_access.publication.build``). ``latest_publication`` is the small
public entry point other outputs (open data) use to cite the release they come from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, inspect, select

from data_access.disclosure import BELOW, DisclosedTable
from data_access.disclosure.tables import TOTAL_COLUMNS
from data_access.facts import read_frame
from data_access.schema import AuditLog, Publication, PublicationRow

CELL_COLUMNS = ["city_code", "periphery_id", "indicator_code", "period", "value", "flag", BELOW]


@dataclass(frozen=True)
class PublicationInfo:
    """One stored publication.

    Attributes:
        id: increasing with every publication (the release's version number).
        created_at: when it was committed (UTC, naive).
        trigger: what built it (``demo``, ``import``, ``approval``, ``unlock``, ``manual``).
        actor: who or what asked for it.
        data_version: fingerprint of the data it was computed from.
        months: ``approved`` (the default: only approved or locked city-months are released)
            or ``validated``.
        latest_period: the latest month it releases (``YYYY-MM``), None when empty.
        detail: counts (blocks solved and reused...).
    """

    id: int
    created_at: datetime
    trigger: str
    actor: str
    data_version: str
    months: str
    latest_period: str | None
    detail: dict[str, object]

    @property
    def version(self) -> str:
        """A short, citable version string, e.g. ``pub-12``."""
        return f"pub-{self.id}"


def info_of(conn: Connection, pid: int) -> PublicationInfo:
    row = conn.execute(select(*Publication.__table__.c).where(Publication.id == pid)).one()
    return PublicationInfo(
        id=int(row.id),
        created_at=row.created_at,
        trigger=row.trigger,
        actor=row.actor,
        data_version=row.data_version,
        months=row.months,
        latest_period=row.latest_period,
        detail=json.loads(row.detail) if row.detail else {},
    )


def has_publications(engine: Engine) -> bool:
    return inspect(engine).has_table("publication")


def latest_publication(engine: Engine) -> PublicationInfo | None:
    """The publication readers see now (None when nothing was ever published)."""
    if not has_publications(engine):
        return None
    with engine.connect() as conn:
        pid = conn.scalar(
            select(Publication.id)
            .where(Publication.status == "complete")
            .order_by(Publication.id.desc())
            .limit(1)
        )
        return None if pid is None else info_of(conn, int(pid))


def last_failure(engine: Engine) -> dict[str, object] | None:
    """The latest ``publication_failed`` audit entry if no publication was stored after it
    (``at``, ``actor``, ``trigger``, ``error``), else None. Successful publications are
    recorded in the ``publication`` table itself, failures only in the audit log."""
    a = AuditLog
    with engine.connect() as conn:
        fail = conn.execute(
            select(a.id, a.at, a.actor, a.detail)
            .where(a.action == "publication_failed")
            .order_by(a.id.desc())
            .limit(1)
        ).first()
        if fail is None:
            return None
        ok = conn.scalar(select(func.max(Publication.created_at)))
    if ok is not None and ok >= fail.at:
        return None
    detail = json.loads(fail.detail or "{}")
    return {"at": fail.at, "actor": fail.actor, **detail}


def empty_table() -> DisclosedTable:
    cells = pd.DataFrame({c: [] for c in CELL_COLUMNS})
    cells["periphery_id"] = cells["periphery_id"].astype("Int64")
    return DisclosedTable(cells, **{k: pd.DataFrame(columns=v) for k, v in TOTAL_COLUMNS.items()})


def load_published(engine: Engine, pid: int | None = None) -> DisclosedTable:
    """The public release of publication ``pid`` (default: the latest) as a ``DisclosedTable``;
    an empty one when nothing is published. Cells sorted like ``fetch_all_observations``
    (city rows first)."""
    if pid is None:
        info = latest_publication(engine)
        if info is None:
            return empty_table()
        pid = info.id
    r = PublicationRow
    stmt = select(
        r.part,
        r.city_code,
        r.periphery_id,
        r.indicator_code,
        r.period,
        r.value,
        r.flag,
        r.suppressed_below,
    ).where(r.publication_id == pid)
    df = read_frame(engine, stmt, ["part", *CELL_COLUMNS])
    df["value"] = df["value"].astype(float)
    df[BELOW] = df[BELOW].astype(float)
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    df["flag"] = df["flag"].fillna("").astype(str)
    parts = {}
    cells = df[df["part"] == "cells"][CELL_COLUMNS]
    cells = cells.assign(_p=cells["periphery_id"].notna()).sort_values(
        ["_p", "city_code", "indicator_code", "period", "periphery_id"]
    )
    parts["cells"] = cells.drop(columns="_p").reset_index(drop=True)
    for name, cols in TOTAL_COLUMNS.items():
        sub = df[df["part"] == name][cols]
        keys = [c for c in cols if c not in ("value", "flag", BELOW)]
        parts[name] = sub.sort_values(keys).reset_index(drop=True)
    return DisclosedTable(**parts)
