"""The one rule for approving and unlocking a city-month (issue 11, point 2).

The approval page and the ``lgnet2 approve``/``unlock`` commands both ask this module what may be
done; ``store.set_period_status`` enforces it inside its transaction, so no front end can bypass
it: only a *validated* report can be approved, only an approved or locked one can be unlocked, and
unlocking needs a reason (it goes in the audit log).
"""

from __future__ import annotations

from typing import Literal

from data_access.errors import InvalidInput

Action = Literal["approve", "unlock"]
FROZEN = ("approved", "locked")
STATUS_NAMES = {
    "received": ("ricevuto (non validato)", "received (not validated)"),
    "rejected": ("rifiutato", "rejected"),
    "validated": ("validato", "validated"),
    "approved": ("approvato", "approved"),
    "locked": ("bloccato", "locked"),
}


def status_name(status: str, lang: str = "it") -> str:
    """The status in words, in ``lang`` (the raw code if unknown)."""
    it, en = STATUS_NAMES.get(status, (status, status))
    return en if lang == "en" else it


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
        raise InvalidInput(f"Nessun report per {where}.", f"No report for {where}.")
    if allowed_action(status) != action:
        it, en = status_name(status, "it"), status_name(status, "en")
        if action == "approve":
            raise InvalidInput(
                f"Il report {where} è {it}: si può approvare solo un report validato.",
                f"Report {where} is {en}: only a validated report can be approved.",
            )
        raise InvalidInput(
            f"Il report {where} è {it}: si può sbloccare solo un mese approvato o bloccato.",
            f"Report {where} is {en}: only an approved or locked month can be unlocked.",
        )
    if action == "unlock" and not reason.strip():
        raise InvalidInput(
            f"Per sbloccare {where} serve un motivo: resta nel registro di controllo.",
            f"Unlocking {where} needs a reason; it is kept in the audit log.",
        )


__all__ = ["Action", "FROZEN", "allowed_action", "check_transition", "status_name"]
