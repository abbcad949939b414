"""What the command line says, in the user's language (``LGNET2_LANG``, then ``LANG``).

The texts are the locale files' ``[cli]`` table; argparse's own (English) errors are mapped to
them by :func:`argparse_message`, so a mistyped command gets one line in the user's language.
``--help`` reads ``[cli_help]`` in :func:`help_lang` (a command's own ``--lang`` first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from data_access.locale import Lang, normalize_lang, translate
from data_access.settings import current

# argparse's error texts (Python 3.11-3.13) -> a [cli] key; named groups fill its placeholders.
_ARGPARSE = (
    (re.compile(r"the following arguments are required: (?P<args>.+)"), "args_required"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "args_unrecognized"),
    (
        re.compile(
            r"argument (?P<arg>[^:]+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"
        ),
        "args_choice",
    ),
    (re.compile(r"argument (?P<arg>[^:]+): invalid \S+ value: (?P<value>.+)"), "args_value"),
    (re.compile(r"argument (?P<arg>[^:]+): expected one argument"), "args_one"),
)


def lang() -> Lang:
    """The command line's language."""
    return current().cli_lang


def help_lang(argv: Sequence[str]) -> Lang:
    """The language of ``--help`` and of argparse's errors: the ``--lang`` of the command line
    being parsed (``pack``, ``snapshot``, ``open-data``) when it has one, else :func:`lang`."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalize_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return normalize_lang(arg.partition("=")[2])
    return lang()


def helptext(lang: Lang, key: str, /) -> str:
    """The ``cli_help.<key>`` text in ``lang``."""
    return translate(lang, f"cli_help.{key}")


def say(key: str, /, **kwargs: Any) -> str:
    """The ``cli.<key>`` text in the command line's language."""
    return translate(lang(), f"cli.{key}", **kwargs)


def argparse_message(message: str, prog: str, language: Lang | None = None) -> str:
    """argparse's error ``message`` as one line in ``language`` (default: the command line's),
    with a pointer to the command's ``--help``."""
    in_lang = language or lang()
    for pattern, key in _ARGPARSE:
        match = pattern.fullmatch(message.strip())
        if match:
            text = translate(in_lang, f"cli.{key}", **match.groupdict())
            break
    else:
        text = translate(in_lang, "cli.args_other", detail=message.strip())
    return f"{text} {translate(in_lang, 'cli.args_hint', prog=prog)}"
