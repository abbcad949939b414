"""One typed error for everything a user can cause. It carries the message in Italian and
English and a hint; exactly one place per front end renders it (``dashboard.errors`` for the app,
``dashboard.cli`` for the command line)."""

from __future__ import annotations


class LgnetError(Exception):
    """An expected failure with a user-facing message.

    Attributes:
        message_it / message_en: one line, in the user's language.
        hint_it / hint_en: what to do about it (may be empty).
    """

    exit_code = 2

    def __init__(self, message_it: str, message_en: str, hint_it: str = "", hint_en: str = ""):
        super().__init__(message_en)
        self.message_it = message_it
        self.message_en = message_en
        self.hint_it = hint_it
        self.hint_en = hint_en

    def message(self, lang: str = "it") -> str:
        msg, hint = (
            (self.message_en, self.hint_en) if lang == "en" else (self.message_it, self.hint_it)
        )
        return f"{msg} {hint}".strip()


class DatabaseUnavailable(LgnetError):
    """The database cannot be reached, or the file is missing."""


class EmptyDatabase(LgnetError):
    """The schema is there but holds no data yet."""


class UnknownCode(LgnetError):
    """An unknown city, indicator, work package or role."""


class InvalidInput(LgnetError):
    """A value a user typed or sent is not acceptable (period, count, format...)."""
