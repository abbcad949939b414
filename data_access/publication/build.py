"""Building a publication: read the released rows, solve the blocks that changed, store it all
in one transaction (issue 13).

A build either stores a complete publication or nothing: the rows and the header are written in
one transaction, so readers keep the previous publication until the new one is committed, and a
failure (solver error, database down, process killed) leaves it in place. Builds are serialised
(a PostgreSQL advisory lock; SQLite's single writer) and each one checks, inside its write
transaction, that the data it solved is still the current data: two imports at once give two
publications in order, never a mix.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, literal, select, text

from data_access.errors import LgnetError
from data_access.facts import fetch_all_observations
from data_access.publication.blocks import ROW_COLUMNS, input_hashes, solve_blocks, split
from data_access.publication.scope import (
    check_months,
    data_version,
    default_months,
    released_city_months,
    released_rows,
)
from data_access.publication.store import PublicationInfo, info_of
from data_access.schema import AuditLog, Publication, PublicationBlock, PublicationRow

log = logging.getLogger(__name__)
#: Publications whose rows are kept (older ones keep their header, for the history).
KEEP = 3
_LOCK_KEY = 1313


class PublicationFailed(LgnetError):
    """The publication could not be built; the previous one stays in place."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _snapshot(engine: Engine, months: str) -> tuple[str, pd.DataFrame]:
    """The data version and the released rows, read consistently (retried while writes land)."""
    for _ in range(5):
        with engine.connect() as conn:
            before = data_version(conn)
            status = released_city_months(conn, months)
        raw = fetch_all_observations(engine)
        with engine.connect() as conn:
            after = data_version(conn)
        if before == after:
            return before, released_rows(raw, status)
    raise PublicationFailed.of("errors.publication_busy")


def _previous(engine: Engine) -> tuple[int | None, dict[str, str]]:
    with engine.connect() as conn:
        pid = conn.scalar(
            select(Publication.id)
            .where(Publication.status == "complete")
            .order_by(Publication.id.desc())
            .limit(1)
        )
        if pid is None:
            return None, {}
        rows = conn.execute(
            select(PublicationBlock.block, PublicationBlock.input_hash).where(
                PublicationBlock.publication_id == pid
            )
        )
        return int(pid), {b: h for b, h in rows}


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


def _records(rows: pd.DataFrame, pid: int) -> list[dict[str, object]]:
    out = []
    for rec in rows[ROW_COLUMNS].to_dict("records"):
        value = rec["value"]
        below = rec["suppressed_below"]
        pid_ = rec["periphery_id"]
        out.append(
            {
                "publication_id": pid,
                "part": rec["part"],
                "block": rec["block"],
                "city_code": None if pd.isna(rec["city_code"]) else str(rec["city_code"]),
                "periphery_id": None if pd.isna(pid_) else int(pid_),
                "indicator_code": str(rec["indicator_code"]),
                "period": None if pd.isna(rec["period"]) else str(rec["period"]),
                "value": None if value is None or math.isnan(float(value)) else float(value),
                "flag": str(rec["flag"] or ""),
                "suppressed_below": None
                if below is None or math.isnan(float(below))
                else float(below),
            }
        )
    return out


def _copy_reused(conn: Connection, prev_id: int, pid: int) -> None:
    """Copy the previous publication's rows of every block whose input hash is unchanged (the
    new publication's block hashes are already stored)."""
    r, nb, pb = (
        PublicationRow.__table__,
        PublicationBlock.__table__.alias("nb"),
        PublicationBlock.__table__.alias("pb"),
    )
    cols = [c for c in r.c if c.name != "id"]
    src = (
        select(*[literal(pid).label(c.name) if c.name == "publication_id" else c for c in cols])
        .select_from(
            r.join(nb, (nb.c.block == r.c.block) & (nb.c.publication_id == pid)).join(
                pb,
                (pb.c.block == r.c.block)
                & (pb.c.publication_id == prev_id)
                & (pb.c.input_hash == nb.c.input_hash),
            )
        )
        .where(r.c.publication_id == prev_id)
    )
    conn.execute(insert(PublicationRow).from_select([c.name for c in cols], src))


def _prune(conn: Connection) -> None:
    ids = list(conn.scalars(select(Publication.id).order_by(Publication.id.desc()).offset(KEEP)))
    if ids:
        conn.execute(delete(PublicationRow).where(PublicationRow.publication_id.in_(ids)))
        conn.execute(delete(PublicationBlock).where(PublicationBlock.publication_id.in_(ids)))


def publish(
    engine: Engine,
    trigger: str = "manual",
    actor: str = "lgnet2",
    *,
    months: str | None = None,
    workers: int = 1,
    incremental: bool = True,
) -> PublicationInfo:
    """Build and store a publication of the current data.

    Args:
        trigger: what asked for it (``demo``, ``import``, ``approval``, ``unlock``, ``manual``).
        months: ``approved`` (default, or ``LGNET2_PUBLIC_MONTHS``) or ``validated``.
        workers: processes solving blocks in parallel.
        incremental: reuse the previous publication's blocks whose input did not change.

    Raises:
        PublicationFailed: the data kept changing; anything the solver or the database raises
        propagates too. Nothing is stored in either case.
    """
    months = check_months(months or default_months())
    for _ in range(5):
        version, rows = _snapshot(engine, months)
        prev_id, prev_hashes = _previous(engine) if incremental else (None, {})
        groups = split(rows)
        by_group = {g: input_hashes(g, df) for g, df in groups.items()}
        hashes = {b: h for hb in by_group.values() for b, h in hb.items()}
        reuse = {b for b, h in hashes.items() if prev_hashes.get(b) == h}
        solve = {g: groups[g] for g, hb in by_group.items() if not reuse.issuperset(hb)}
        solved = solve_blocks(solve, workers)
        fresh = [df[~df["block"].isin(reuse)] for df in solved.values()]
        latest = None if rows.empty else str(rows["period"].max())
        detail = {
            "blocks": len(hashes),
            "solved": len(hashes) - len(reuse),
            "reused": len(reuse),
            "groups_solved": len(solved),
            "rows_written": int(sum(len(df) for df in fresh)),
        }
        with engine.begin() as conn:
            _lock(conn)
            if data_version(conn) != version:
                continue  # a write landed meanwhile: build again from the new data
            pid = conn.execute(
                insert(Publication)
                .values(
                    created_at=_now(),
                    trigger=trigger[:30],
                    actor=actor[:255],
                    data_version=version,
                    months=months,
                    latest_period=latest,
                    status="complete",
                    detail=json.dumps(detail, sort_keys=True),
                )
                .returning(Publication.id)
            ).scalar_one()
            if hashes:
                conn.execute(
                    insert(PublicationBlock),
                    [
                        {"publication_id": pid, "block": b, "input_hash": h}
                        for b, h in hashes.items()
                    ],
                )
            if reuse and prev_id is not None:
                _copy_reused(conn, prev_id, pid)
            for df in fresh:
                recs = _records(df, pid)
                for start in range(0, len(recs), 20_000):
                    conn.execute(insert(PublicationRow), recs[start : start + 20_000])
            _prune(conn)
            info = info_of(conn, pid)
        return info
    raise PublicationFailed.of("errors.publication_busy")


def _audit(conn: Connection, actor: str, action: str, detail: dict[str, object]) -> None:
    conn.execute(
        insert(AuditLog).values(
            at=_now(),
            actor=actor[:255],
            action=action,
            city_code=None,
            period=None,
            sha256=None,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )


def record_failure(engine: Engine, trigger: str, actor: str, exc: BaseException) -> None:
    """Append ``publication_failed`` to the audit log (never raises: the database itself may
    be what failed)."""
    try:
        with engine.begin() as conn:
            _audit(
                conn,
                actor,
                "publication_failed",
                {"trigger": trigger, "error": f"{type(exc).__name__}: {exc}"[:500]},
            )
    except Exception:  # noqa: BLE001
        log.exception("could not record the failed publication")


def publish_after_change(
    engine: Engine, trigger: str, actor: str = "lgnet2", *, workers: int = 1
) -> PublicationInfo | None:
    """:func:`publish` after a change (import, approval, unlock, demo); never raises.

    A failure keeps the previous publication and is recorded in the audit log
    (``publication_failed``, shown on the data-quality page); returns None then.
    """
    try:
        return publish(engine, trigger, actor, workers=workers)
    except Exception as exc:  # noqa: BLE001 - any failure must leave the change in place
        log.exception("publication failed")
        record_failure(engine, trigger, actor, exc)
        return None
