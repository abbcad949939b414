"""``lgnet2 publish`` (issue 13) and the automatic publication after a change.

A publication is the public release: disclosure control runs here, once, and every page view,
download and export of the public and the city managers reads what it stored.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial

from sqlalchemy import Engine

from dashboard.cli.common import actor, open_loaded
from dashboard.cli.messages import helptext, say
from data_access.errors import LgnetError
from data_access.locale import Lang
from data_access.publication import PublicationInfo
from data_access.publication.build import (
    PublicationFailed,
    publish,
    publish_after_change,
    record_failure,
)
from data_access.publication.scope import MONTHS

#: Processes solving blocks in parallel (the machine's cores, at most 4).
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


def describe(info: PublicationInfo) -> str:
    """One line about a stored publication, in the command line's language."""
    d = info.detail
    return say(
        "publication_done",
        version=info.version,
        months=say(f"publication_months_{info.months}"),
        latest=info.latest_period or "-",
        solved=d.get("solved", 0),
        reused=d.get("reused", 0),
    )


def after_change(engine: Engine, trigger: str, actor: str) -> PublicationInfo | None:
    """Publish after a change made from the command line; a failure is reported on stderr (and
    recorded in the audit log) but does not undo the change."""
    info = publish_after_change(engine, trigger, actor, workers=DEFAULT_WORKERS)
    if info is None:
        print(f"lgnet2: {say('publication_failed')}", file=sys.stderr)
    else:
        print(describe(info))
    return info


def cmd_publish(args: argparse.Namespace) -> int:
    engine = open_loaded(args.db)
    try:
        info = publish(
            engine,
            "manual",
            actor(args),
            months=args.months,
            workers=args.workers,
            incremental=not args.full,
        )
    except LgnetError:
        raise
    except Exception as exc:  # noqa: BLE001 - recorded, then one line for the user
        record_failure(engine, "manual", actor(args), exc)
        raise PublicationFailed.of("errors.publication_failed", kind=type(exc).__name__) from exc
    finally:
        engine.dispose()
    print(describe(info))
    return 0


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``publish`` to the ``lgnet2`` subcommands (help in ``lang``)."""
    h = partial(helptext, lang)
    p = sub.add_parser("publish", help=h("publish"), description=h("publish"))
    p.add_argument("--db", default=None, help=h("db"))
    p.add_argument("--months", choices=MONTHS, default=None, help=h("months"))
    p.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help=h("workers"))
    p.add_argument("--full", action="store_true", help=h("full"))
    p.add_argument("--user", default=None, help=h("user"))
    p.set_defaults(handler=cmd_publish)
