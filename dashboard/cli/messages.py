"""What the command line says, in the user's language (``LGNET2_LANG``, then ``LANG``).

The texts are the locale files' ``[cli]`` table; argparse's own (English) errors are mapped to
them by :func:`argparse_message`, so a mistyped command gets one line in the user's language.
"""

from __future__ import annotations

import re
from typing import Any

from data_access.locale import Lang, translate
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


def say(key: str, /, **kwargs: Any) -> str:
    """The ``cli.<key>`` text in the command line's language."""
    return translate(lang(), f"cli.{key}", **kwargs)


def argparse_message(message: str, prog: str) -> str:
    """argparse's error ``message`` as one line in the user's language, with a pointer to the
    command's ``--help``."""
    for pattern, key in _ARGPARSE:
        match = pattern.fullmatch(message.strip())
        if match:
            text = say(key, **match.groupdict())
            break
    else:
        text = say("args_other", detail=message.strip())
    return f"{text} {say('args_hint', prog=prog)}"
