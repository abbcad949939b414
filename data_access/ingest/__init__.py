"""City monthly reports: templates, safe reading, validation, all-or-nothing import, approval
and the audit trail (issue 4). Never imports streamlit.

Public API (see each module for details)::

    build_template(engine, city_code, period, fmt) -> bytes
    validate_report(engine, data, file_name, viewer) -> ValidationReport
    import_report(engine, data, file_name, viewer, uploader) -> ImportResult
    prepare_import(...) / commit_import(engine, prepared, uploader)
    approve(engine, city, period, viewer, actor) / unlock(...) / set_period_status(...)
    load_submission_history(engine, viewer, city=None) -> DataFrame
    bulk_load_observations(engine, source, actor, replace=False) -> BulkResult (in .bulk)
"""

from __future__ import annotations

from data_access.ingest.rules import RULES, Issue, ValidationReport
from data_access.ingest.store import (
    ImportConflict,
    ImportResult,
    NotAllowed,
    PeriodLocked,
    PreparedImport,
    approve,
    commit_import,
    import_report,
    prepare_import,
    set_period_status,
    unlock,
)
from data_access.ingest.template import build_template
from data_access.ingest.validate import validate_report

__all__ = [
    "RULES",
    "Issue",
    "ValidationReport",
    "ImportConflict",
    "ImportResult",
    "NotAllowed",
    "PeriodLocked",
    "PreparedImport",
    "approve",
    "commit_import",
    "import_report",
    "prepare_import",
    "set_period_status",
    "unlock",
    "build_template",
    "validate_report",
]
