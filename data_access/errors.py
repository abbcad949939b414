"""One typed error for everything a user can cause. It carries the message in Italian and
English and a hint; exactly one place per front end renders it (``dashboard.errors`` for the app,
``dashboard.cli`` for the command line).

The words live in the locale files' ``[errors]`` table like every other text: raise
``InvalidInput.of("errors.period_invalid", period=p)``. The hint is the key's ``_hint``
sibling when the locale files have one (``errors.period_invalid_hint``), or the key given as
``hint=``. A placeholder's value may be a function of the language (a status in words), called
once per language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from data_access.locale import LANGS, has_key, translate

#: A placeholder's value: shown as it is, or a function giving it in a language.
Param = object | Callable[[str], object]


class LgnetError(Exception):
    """An expected failure with a user-facing message.

    Attributes:
        message_it / message_en: one line, in the user's language.
        hint_it / hint_en: what to do about it (may be empty).
        key / hint_key: the locale keys it was made from (``""`` when built from raw text).
    """

    exit_code = 2

    def __init__(self, message_it: str, message_en: str, hint_it: str = "", hint_en: str = ""):
        super().__init__(message_en)
        self.message_it = message_it
        self.message_en = message_en
        self.hint_it = hint_it
        self.hint_en = hint_en
        self.key = ""
        self.hint_key = ""

    @classmethod
    def of(cls, key: str, /, *, hint: str | None = None, **params: Param) -> Self:
        """The error whose message is the locale text ``key`` (``errors.*``) with ``params``
        filled in, in both languages; its hint is ``hint`` or else ``key + "_hint"`` if the
        locale files have it."""
        hint_key = hint if hint is not None else f"{key}_hint"
        if not has_key("it", hint_key):
            hint_key = ""
        texts: dict[str, tuple[str, str]] = {}
        for lang in LANGS:
            values = {k: v(lang) if callable(v) else v for k, v in params.items()}
            texts[lang] = (
                translate(lang, key, **values).strip(),
                translate(lang, hint_key, **values).strip() if hint_key else "",
            )
        err = cls(texts["it"][0], texts["en"][0], texts["it"][1], texts["en"][1])
        err.key, err.hint_key = key, hint_key
        return err

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
