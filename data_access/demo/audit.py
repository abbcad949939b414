"""The demo's audit log: what a programme's log would hold for the demo's reports.

Every stored report came through an upload, and every approved month through an approval: the
demo writes those entries too (actor ``demo``), so that the approval page's log agrees with its
grid (an empty log beside 252 approved months said the opposite of the grid). Times are the
report's arrival and, for an approval, two weeks later (never after the data cut-off).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

ACTOR = "demo"
APPROVAL_DELAY = timedelta(days=14)


def demo_audit(submissions: list[dict], observations: list[dict], cutoff: datetime) -> list[dict]:
    """Audit rows (``audit_log`` columns but ``id``) for the demo's ``submissions``, oldest
    first: one ``upload`` per report, one ``approval`` per approved one."""
    values = Counter(o["submission_id"] for o in observations)
    rows: list[dict] = []
    for sub in submissions:
        common = {
            "actor": ACTOR,
            "city_code": sub["city_code"],
            "period": sub["period"],
            "sha256": sub["sha256"],
        }
        upload = {"file": sub["file_name"], "version": sub["version"], "values": values[sub["id"]]}
        rows.append(
            {**common, "at": sub["submitted_at"], "action": "upload", "detail": _json(upload)}
        )
        if sub["status"] == "approved":
            approval = {
                "submission": sub["id"],
                "version": sub["version"],
                "from": "validated",
                "reason": None,
            }
            rows.append(
                {
                    **common,
                    "at": min(sub["submitted_at"] + APPROVAL_DELAY, cutoff),
                    "action": "approval",
                    "detail": _json(approval),
                }
            )
    rows.sort(key=lambda r: (r["at"], r["city_code"], r["action"] != "upload"))
    return rows


def _json(detail: dict[str, object]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)
