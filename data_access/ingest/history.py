"""Submission history of a city (accepted versions and rejected uploads) for the upload page,
and the recent audit log for administrators."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, select

from data_access.ingest.store import NotAllowed
from data_access.periods import deadline_closes
from data_access.schema import AuditLog, Submission
from data_access.viewer import Viewer

HISTORY_COLUMNS = [
    "id",
    "city_code",
    "period",
    "version",
    "status",
    "current",
    "file_name",
    "uploader",
    "submitted_at",
    "on_time",
    "sha256",
    "errors",
    "warnings",
]


def allowed_city(viewer: Viewer, city: str | None) -> str | None:
    """The city a viewer may see reporting details of (``None`` = all).

    Raises:
        NotAllowed: the public sees no reporting details.
    """
    if viewer.role == "public":
        raise NotAllowed.of("errors.history_signed_in")
    if viewer.role == "city":
        return viewer.city
    return city


def load_submission_history(
    engine: Engine, viewer: Viewer, city: str | None = None
) -> pd.DataFrame:
    """Accepted versions (from ``submission``) and rejected uploads (from the audit log), newest
    first, in :data:`HISTORY_COLUMNS`. A city manager sees only its own city, whatever ``city``
    says; ``current`` marks the version whose values are in use. Contents are never returned.

    Raises:
        NotAllowed: public viewer.
    """
    city = allowed_city(viewer, city)
    s = Submission
    stmt = select(
        s.id,
        s.city_code,
        s.period,
        s.version,
        s.status,
        s.file_name,
        s.uploader,
        s.submitted_at,
        s.sha256,
        s.error_report,
        s.supersedes,
    )
    a = AuditLog
    rej = select(a.id, a.city_code, a.period, a.actor, a.at, a.sha256, a.detail).where(
        a.action == "rejection"
    )
    if city:
        stmt = stmt.where(s.city_code == city)
        rej = rej.where(a.city_code == city)
    with engine.connect() as conn:
        subs = [dict(r._mapping) for r in conn.execute(stmt)]
        rejected = [dict(r._mapping) for r in conn.execute(rej)]
    superseded = {r["supersedes"] for r in subs if r["supersedes"] is not None}
    rows = []
    for r in subs:
        issues = json.loads(r["error_report"]) if r["error_report"] else []
        rows.append(
            {
                **{
                    k: r[k]
                    for k in (
                        "id",
                        "city_code",
                        "period",
                        "version",
                        "status",
                        "file_name",
                        "uploader",
                        "submitted_at",
                        "sha256",
                    )
                },
                "current": r["id"] not in superseded,
                "errors": 0,
                "warnings": sum(1 for i in issues if i.get("severity") == "warning"),
            }
        )
    for r in rejected:
        detail = json.loads(r["detail"] or "{}")
        rows.append(
            {
                "id": None,
                "city_code": r["city_code"],
                "period": r["period"],
                "version": None,
                "status": "rejected",
                "current": False,
                "file_name": detail.get("file", ""),
                "uploader": r["actor"],
                "submitted_at": r["at"],
                "sha256": r["sha256"],
                "errors": int(detail.get("errors", 0)),
                "warnings": 0,
            }
        )
    df = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    if df.empty:
        return df
    df["on_time"] = [
        bool(t < deadline_closes(p)) if isinstance(p, str) and pd.notna(t) else None
        for p, t in zip(df["period"], df["submitted_at"], strict=True)
    ]
    df["version"] = df["version"].astype("Int64")
    df["errors"] = df["errors"].astype(int)
    df["warnings"] = df["warnings"].astype(int)
    return df.sort_values(
        ["submitted_at", "version"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)


AUDIT_COLUMNS = ("at", "actor", "action", "city_code", "period", "reason", "sha256")


def load_recent_audit(engine: Engine, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """The newest ``limit`` audit entries (:data:`AUDIT_COLUMNS`), newest first.

    Raises:
        NotAllowed: the viewer is not an administrator.
    """
    if viewer.role != "admin":
        raise NotAllowed.of("errors.audit_admin_only")
    a = AuditLog
    stmt = (
        select(a.at, a.actor, a.action, a.city_code, a.period, a.sha256, a.detail)
        .order_by(a.at.desc(), a.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    for r in rows:
        try:
            detail = json.loads(r.pop("detail") or "{}")
        except ValueError:
            detail = {}
        r["reason"] = str(detail.get("reason", "")) if isinstance(detail, dict) else ""
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
