"""The ``lgnet2`` command line (ARCHITECTURE.md, contract).

Expected errors (``LgnetError``) and command-line mistakes print one line on stderr, in the
user's language, and exit 2; nothing else does.
Subcommands live in small modules that each expose ``register(subparsers)``; this module never
imports streamlit (``run`` starts it in a child process).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from dashboard.cli import core, ingest, messages, opendata, pack, publish, snapshot
from data_access.errors import LgnetError

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors in the user's language (subcommands inherit it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"lgnet2: {messages.argparse_message(message, self.prog)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="lgnet2", description="LGNet2 governance dashboard / cruscotto di governance LGNet2"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (core, ingest, publish, snapshot, opendata, pack):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except LgnetError as exc:
        print(f"lgnet2: {exc.message(messages.lang())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
