"""The one rule for approving and unlocking a city-month (issue 11, point 2).

The approval page and the ``lgnet2 approve``/``unlock`` commands both ask this module what may be
done; ``store.set_period_status`` enforces it inside its transaction, so no front end can bypass
it: only a *validated* report can be approved, only an approved or locked one can be unlocked, and
unlocking needs a reason (it goes in the audit log).
"""

from __future__ import annotations

from typing import Literal

from data_access.errors import InvalidInput
from data_access.locale import has_key, translate

Action = Literal["approve", "unlock"]
FROZEN = ("approved", "locked")


def status_name(status: str, lang: str = "it") -> str:
    """The status in words, in ``lang`` (the raw code if unknown)."""
    key = f"errors.report_{status}"
    return translate(lang, key) if has_key(lang, key) else status


def allowed_action(status: str | None) -> Action | None:
    """What an administrator may do to a city-month whose current report has ``status``."""
    if status == "validated":
        return "approve"
    if status in FROZEN:
        return "unlock"
    return None


def check_transition(
    city: str, period: str, status: str | None, action: Action, reason: str = ""
) -> None:
    """Refuse ``action`` on a city-month whose current report has ``status``.

    Raises:
        InvalidInput: no report; approving anything but a validated report; unlocking anything
            but an approved or locked one; unlocking without a reason.
    """
    where = f"{city} {period}"
    if status is None:
        raise InvalidInput.of("errors.no_report", where=where)
    if allowed_action(status) != action:
        in_words = lambda lang: status_name(status, lang)  # noqa: E731
        if action == "approve":
            raise InvalidInput.of("errors.approve_needs_validated", where=where, status=in_words)
        raise InvalidInput.of("errors.unlock_needs_frozen", where=where, status=in_words)
    if action == "unlock" and not reason.strip():
        raise InvalidInput.of("errors.unlock_needs_reason", where=where)


__all__ = ["Action", "FROZEN", "allowed_action", "check_transition", "status_name"]
