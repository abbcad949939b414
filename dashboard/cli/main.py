"""The ``lgnet2`` command line (ARCHITECTURE.md, contract).

Expected errors (``LgnetError``) and command-line mistakes print one line on stderr, in the
user's language, and exit 2; nothing else does. ``--help`` is in the user's language too (the
locale files' ``[cli_help]`` table; a command's ``--lang`` first, then ``LGNET2_LANG``/``LANG``).
Subcommands live in small modules that each expose ``register(subparsers, lang)``; this module
never imports streamlit (``run`` starts it in a child process).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NoReturn

from dashboard.cli import core, ingest, messages, opendata, pack, publish, snapshot
from dashboard.cli.messages import helptext
from data_access.errors import LgnetError
from data_access.locale import DEFAULT_LANG, Lang

Handler = Callable[[argparse.Namespace], int]


class Formatter(argparse.HelpFormatter):
    """argparse's help layout with its ``usage:`` word in the parser's language."""

    lang: ClassVar[Lang] = DEFAULT_LANG

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, helptext(self.lang, "usage") if prefix is None else prefix
        )


class Parser(argparse.ArgumentParser):
    """argparse with help and one-line errors in one language (subcommands inherit it: argparse
    makes their parsers of the same class). Use :meth:`in_lang` for a language's class."""

    lang: ClassVar[Lang] = DEFAULT_LANG

    @classmethod
    def in_lang(cls, lang: Lang) -> type[Parser]:
        formatter = type("Formatter", (Formatter,), {"lang": lang})
        return type("Parser", (cls,), {"lang": lang, "formatter": formatter})

    formatter: ClassVar[type[Formatter]] = Formatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", self.formatter)
        kwargs["add_help"] = False  # added below, with its words in the parser's language
        super().__init__(*args, **kwargs)
        # argparse names its two default sections at construction, in English only.
        self._positionals.title = helptext(self.lang, "positionals")
        self._optionals.title = helptext(self.lang, "options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=helptext(self.lang, "help"),
        )

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"lgnet2: {messages.argparse_message(message, self.prog, self.lang)}\n")


def build_parser(lang: Lang | None = None) -> argparse.ArgumentParser:
    """The whole ``lgnet2`` parser, its help in ``lang`` (default: the command line's)."""
    lang = lang or messages.lang()
    parser = Parser.in_lang(lang)(prog="lgnet2", description=helptext(lang, "description"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (core, ingest, publish, snapshot, opendata, pack):
        module.register(sub, lang)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(messages.help_lang(args_in))
    args = parser.parse_args(args_in)
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
