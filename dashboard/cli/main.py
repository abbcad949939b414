"""The ``lgnet2`` command line (ARCHITECTURE.md, contract).

Expected errors (``LgnetError``) print one line on stderr and exit 2; nothing else does.
Subcommands live in small modules that each expose ``register(subparsers)``; this module never
imports streamlit (``run`` starts it in a child process).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from data_access.errors import LgnetError

Handler = Callable[[argparse.Namespace], int]


def _lang() -> str:
    return (
        "en"
        if os.environ.get("LGNET2_LANG", os.environ.get("LANG", "it")).startswith("en")
        else "it"
    )


def build_parser() -> argparse.ArgumentParser:
    from dashboard.cli import core as cli_core
    from dashboard.cli import ingest as cli_ingest
    from dashboard.cli import snapshot as cli_snapshot

    parser = argparse.ArgumentParser(
        prog="lgnet2", description="LGNet2 governance dashboard / cruscotto di governance LGNet2"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (cli_core, cli_ingest, cli_snapshot):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except LgnetError as exc:
        print(f"lgnet2: {exc.message(_lang())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
