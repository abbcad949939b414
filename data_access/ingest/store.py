"""All-or-nothing loading of a validated report, versions, approval, unlocking, audit trail.

Concurrency: the write transaction first takes a row lock on the city (an ``UPDATE`` of the city
row: a row lock on PostgreSQL, the database write lock on SQLite), then re-reads the city-month's
latest version. An import is prepared against the version its uploader saw; if another import
committed in between, it is refused with :class:`ImportConflict` instead of silently stacking a
second version. The unique constraint ``uq_submission_version`` is the last line of defence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from data_access.errors import LgnetError
from data_access.ingest.rules import ValidationReport
from data_access.ingest.transitions import check_transition
from data_access.ingest.validate import validate_report
from data_access.locale import translate
from data_access.schema import AuditLog, City, Observation, Submission
from data_access.viewer import Viewer

CURRENT_STATUSES = ("validated", "approved", "locked")
FROZEN_STATUSES = ("approved", "locked")


class ImportConflict(LgnetError):
    """Another import for the same city and month was saved while this one was being checked."""


class PeriodLocked(LgnetError):
    """The city-month is approved or locked: only an administrator can unlock it."""


class NotAllowed(LgnetError):
    """The viewer's role may not do this."""


@dataclass
class PreparedImport:
    """A validated file and the version of its city-month it was checked against."""

    report: ValidationReport
    data: bytes
    viewer: Viewer
    base_version: int = 0


@dataclass
class ImportResult:
    """``status``: ``loaded`` (a new version), ``unchanged`` (same file as the current version)
    or ``rejected`` (errors in ``report``; nothing stored but the audit entry)."""

    status: Literal["loaded", "unchanged", "rejected"]
    report: ValidationReport
    submission_id: int | None = None
    version: int | None = None
    supersedes: int | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def message(self, lang: str = "it") -> str:
        """What happened to the file, in ``lang`` (the locale files' ``[import_result]``)."""
        r = self.report
        n = len(r.errors) if self.status == "rejected" else len(r.values)
        return translate(
            lang,
            f"import_result.{self.status}",
            file=r.file_name,
            n=n,
            where=f"{r.city_code} {r.period}",
            version=self.version,
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def write_audit(
    conn: Connection,
    actor: str,
    action: str,
    city: str | None,
    period: str | None,
    sha: str | None,
    detail: dict[str, object],
) -> None:
    """Append one row to the audit log inside the caller's transaction."""
    conn.execute(
        insert(AuditLog).values(
            at=_now(),
            actor=actor,
            action=action,
            city_code=city,
            period=period,
            sha256=sha,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )


def _latest(conn: Connection, city: str, period: str):  # type: ignore[no-untyped-def]
    return conn.execute(
        select(Submission.id, Submission.version, Submission.status, Submission.sha256)
        .where(Submission.city_code == city, Submission.period == period)
        .order_by(Submission.version.desc())
        .limit(1)
    ).first()


def _locked_error(city: str, period: str, status: str) -> PeriodLocked:
    return PeriodLocked.of(
        "errors.period_approved" if status == "approved" else "errors.period_locked",
        hint="errors.period_frozen_hint",
        period=period,
        city=city,
    )


def prepare_import(
    engine: Engine, data: bytes, file_name: str, viewer: Viewer, **kw: object
) -> PreparedImport:
    """Validate ``data`` and note the city-month's current version (no write).

    Raises:
        PeriodLocked: the city-month is approved or locked.
    """
    report = validate_report(engine, data, file_name, viewer, **kw)  # type: ignore[arg-type]
    prepared = PreparedImport(report, data, viewer)
    if report.ok and report.city_code and report.period:
        with engine.connect() as conn:
            latest = _latest(conn, report.city_code, report.period)
        if latest is not None:
            if latest.status in FROZEN_STATUSES:
                raise _locked_error(report.city_code, report.period, latest.status)
            prepared.base_version = latest.version
    return prepared


def commit_import(engine: Engine, prepared: PreparedImport, uploader: str) -> ImportResult:
    """Store a prepared import in one transaction (all or nothing).

    A rejected report only appends a ``rejection`` entry to the audit log. The same bytes as the
    current version change nothing. Otherwise a new submission version is stored with the file,
    the city-month's observations are replaced by the file's values, and an ``upload`` entry is
    appended to the audit log.

    Raises:
        PeriodLocked: the city-month was approved or locked meanwhile.
        ImportConflict: another import for the same city-month was saved meanwhile.
    """
    report = prepared.report
    if not report.ok:
        with engine.begin() as conn:
            write_audit(
                conn,
                uploader,
                "rejection",
                report.city_code,
                report.period,
                report.sha256,
                {
                    "file": report.file_name,
                    "errors": len(report.errors),
                    "rules": sorted(report.rule_ids("error")),
                },
            )
        return ImportResult("rejected", report)
    city, period = report.city_code, report.period
    assert city is not None and period is not None  # guaranteed by report.ok
    try:
        with engine.begin() as conn:
            # Serialise writers of this city before reading its latest version (see module doc).
            conn.execute(update(City).where(City.code == city).values(name=City.name))
            latest = _latest(conn, city, period)
            if latest is not None and latest.status in FROZEN_STATUSES:
                raise _locked_error(city, period, latest.status)
            if latest is not None and latest.sha256 == report.sha256:
                return ImportResult("unchanged", report, latest.id, latest.version)
            current = latest.version if latest is not None else 0
            if current != prepared.base_version:
                raise _conflict(city, period)
            sub_id = conn.execute(
                insert(Submission)
                .values(
                    city_code=city,
                    period=period,
                    file_name=report.file_name[:255],
                    sha256=report.sha256,
                    uploader=uploader,
                    submitted_at=_now(),
                    status="validated",
                    version=current + 1,
                    supersedes=latest.id if latest is not None else None,
                    error_report=report.to_json() if report.issues else None,
                    content=prepared.data,
                )
                .returning(Submission.id)
            ).scalar_one()
            conn.execute(
                delete(Observation).where(
                    Observation.city_code == city, Observation.period == period
                )
            )
            conn.execute(
                insert(Observation),
                [
                    {
                        "city_code": city,
                        "periphery_id": pid,
                        "indicator_code": code,
                        "period": period,
                        "value": value,
                        "submission_id": sub_id,
                    }
                    for code, pid, value in report.values
                ],
            )
            write_audit(
                conn,
                uploader,
                "upload",
                city,
                period,
                report.sha256,
                {
                    "file": report.file_name,
                    "version": current + 1,
                    "values": len(report.values),
                    "warnings": len(report.warnings),
                    "role": str(prepared.viewer),
                },
            )
    except IntegrityError as exc:
        raise _conflict(city, period) from exc
    except OperationalError as exc:
        if "locked" in str(exc).lower() or "deadlock" in str(exc).lower():
            raise _conflict(city, period) from exc
        raise
    return ImportResult(
        "loaded", report, sub_id, current + 1, latest.id if latest is not None else None
    )


def _conflict(city: str, period: str) -> ImportConflict:
    return ImportConflict.of("errors.import_conflict", city=city, period=period)


def import_report(
    engine: Engine, data: bytes, file_name: str, viewer: Viewer, uploader: str, **kw: object
) -> ImportResult:
    """Validate and load one report file (``prepare_import`` then ``commit_import``).

    Raises:
        PeriodLocked, ImportConflict: see :func:`commit_import`.
    """
    return commit_import(engine, prepare_import(engine, data, file_name, viewer, **kw), uploader)


def _require_admin(viewer: Viewer) -> None:
    if viewer.role != "admin":
        raise NotAllowed.of("errors.approve_admin_only")


def set_period_status(
    engine: Engine,
    city_code: str,
    period: str,
    status: str,
    viewer: Viewer,
    actor: str,
    reason: str = "",
) -> int:
    """Move the current submission of a city-month to ``approved``, ``locked`` or back to
    ``validated`` (unlock), appending ``approval`` / ``lock`` / ``unlock`` to the audit log.
    Returns the submission id.

    Raises:
        NotAllowed: the viewer is not an administrator.
        InvalidInput: no submission, or a transition that makes no sense (unlocking an open month).
    """
    _require_admin(viewer)
    action = {"approved": "approval", "locked": "lock", "validated": "unlock"}[status]
    with engine.begin() as conn:
        conn.execute(update(City).where(City.code == city_code).values(name=City.name))
        latest = _latest(conn, city_code, period)
        if latest is None:
            check_transition(city_code, period, None, "approve")
        if status == "locked" and latest.status == "approved":
            pass  # locking an approved month is the one move beyond approve/unlock
        else:
            check_transition(
                city_code,
                period,
                latest.status,
                "unlock" if status == "validated" else "approve",
                reason,
            )
        conn.execute(update(Submission).where(Submission.id == latest.id).values(status=status))
        write_audit(
            conn,
            actor,
            action,
            city_code,
            period,
            latest.sha256,
            {
                "submission": latest.id,
                "version": latest.version,
                "from": latest.status,
                "reason": reason,
            },
        )
    return int(latest.id)


def approve(engine: Engine, city_code: str, period: str, viewer: Viewer, actor: str) -> int:
    """Approve (and so lock) the current version of a city-month. Admin only."""
    return set_period_status(engine, city_code, period, "approved", viewer, actor)


def unlock(
    engine: Engine, city_code: str, period: str, viewer: Viewer, actor: str, reason: str = ""
) -> int:
    """Reopen an approved or locked city-month for corrections. Admin only."""
    return set_period_status(engine, city_code, period, "validated", viewer, actor, reason)
