"""``lgnet2 open-data --out DIR [--lang it|en] [--db URL] [--base-url URL]`` (issue 16).

Writes the public open-data release into ``DIR``: the public tables as CSV and GeoJSON,
``datapackage.json`` (Frictionless), ``observations.sdmx.csv`` and ``structure.xml`` (SDMX),
``catalog.jsonld`` (DCAT-AP_IT) and a README. Everything is built in memory first, so bad
input or an empty database leaves ``DIR`` untouched.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from dashboard.cli.messages import helptext, say
from data_access.config import make_engine, resolve_url
from data_access.locale import Lang
from data_access.opendata import build_release, check_lang, check_out_dir, write_release
from data_access.settings import current


def cmd_open_data(args: argparse.Namespace) -> int:
    """Handler of ``lgnet2 open-data``; returns 0 once every file is written."""
    lang = check_lang(args.lang)
    out = Path(args.out)
    check_out_dir(out)  # refuse before the database is even opened
    settings = current()
    engine = make_engine(resolve_url(args.db))
    try:
        files = build_release(
            engine,
            lang,
            base_url=args.base_url or settings.opendata_base_url,
            contact_email=settings.opendata_contact or None,
        )
    finally:
        engine.dispose()
    write_release(files, out)
    size = sum(len(b) for b in files.values())
    print(say("files_written", n=len(files), path=out, size=size))
    return 0


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``open-data`` to the ``lgnet2`` subcommands (help in ``lang``)."""
    h = partial(helptext, lang)
    p = sub.add_parser("open-data", help=h("open_data"), description=h("open_data"))
    p.add_argument("--out", required=True, help=h("out_dir"))
    p.add_argument("--lang", default="it", help=h("lang_release"))
    p.add_argument("--db", help=h("db"))
    p.add_argument("--base-url", default=None, help=h("base_url"))
    p.set_defaults(handler=cmd_open_data)
