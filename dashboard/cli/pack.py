"""``lgnet2 pack --period YYYY-MM [--role ROLE] [--lang it|en] [--format pdf|pptx] --out FILE``
(issue 15): the steering committee's meeting pack.

One line per section on stdout while it is built; a bad month, role or path is one line on
stderr in the pack's language, exit 2, and no file is written. The role defaults to ``public``
like ``lgnet2 export``: the committee's full-detail edition is asked for with
``--role steering``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from dashboard.cli.messages import helptext
from data_access.config import make_engine, resolve_url
from data_access.errors import InvalidInput, LgnetError
from data_access.locale import Lang, translate
from data_access.viewer import Viewer

FORMATS = ("pdf", "pptx")


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``pack`` to the ``lgnet2`` subcommands (help in ``lang``)."""
    h = partial(helptext, lang)
    p = sub.add_parser("pack", help=h("pack"), description=h("pack"))
    p.add_argument("--period", required=True, help=h("period_pack"))
    p.add_argument("--role", default="public", help=h("role_pack"))
    p.add_argument("--lang", choices=("it", "en"), default="it", help=h("lang"))
    p.add_argument("--format", choices=FORMATS, default=None, help=h("format_pack"))
    p.add_argument("--out", required=True, type=Path, help=h("out_file"))
    p.add_argument("--db", default=None, help=h("db"))
    p.set_defaults(handler=run_pack)


def _format(args: argparse.Namespace) -> str:
    fmt = args.format or ("pptx" if args.out.suffix.lower() == ".pptx" else "pdf")
    if args.out.suffix.lower() != f".{fmt}":
        raise InvalidInput.of("errors.out_suffix", suffix=fmt, path=args.out)
    if not args.out.parent.exists():
        raise InvalidInput.of("errors.folder_missing", path=args.out.parent)
    return fmt


def _write(out: Path, payload: bytes) -> None:
    """Atomic: a failed write never leaves half a pack behind."""
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".lgnet2-pack-", suffix=out.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_pack(args: argparse.Namespace) -> int:
    """Handler of ``lgnet2 pack``; 0 once the file is written, 2 for bad input."""
    # Imported when the command runs: the pack brings Plotly, Playwright and python-pptx, which
    # the other subcommands do not need (the contract exception in pyproject.toml).
    from dashboard.pack import build_pack, count_units

    lang = args.lang
    start = time.perf_counter()

    def progress(line: str) -> None:
        print(f"[{time.perf_counter() - start:5.1f} s] {line}", flush=True)

    try:
        fmt = _format(args)
        viewer = Viewer.parse(args.role)
        engine = make_engine(resolve_url(args.db))
        try:
            payload = build_pack(engine, viewer, args.period, lang, fmt, progress)  # type: ignore[arg-type]
        finally:
            engine.dispose()
        _write(args.out, payload)
    except LgnetError as exc:
        print(f"lgnet2: {exc.message(lang)}", file=sys.stderr)
        return exc.exit_code
    n, unit = count_units(payload, fmt)
    print(translate(lang, "pack.written", path=args.out, pages=translate(lang, unit, n=n)))
    return 0
