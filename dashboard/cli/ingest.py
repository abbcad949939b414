"""``lgnet2 template``, ``lgnet2 import``, ``lgnet2 approve`` and ``lgnet2 unlock`` (issue 4).

Thin wrappers over :mod:`data_access.ingest`: expected failures are ``LgnetError`` (one line on
stderr, exit 2, rendered by ``dashboard.cli``); a rejected file prints its validation report as a
table on stderr and makes the command exit 2 after the other files have been tried.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from dashboard.cli import messages
from dashboard.cli.common import actor, open_loaded
from dashboard.cli.messages import helptext, say
from dashboard.cli.publish import after_change
from data_access.errors import InvalidInput, LgnetError
from data_access.ingest import approve, build_template, import_report, unlock
from data_access.ingest.bulk import bulk_load_observations
from data_access.ingest.reader import MAX_BYTES
from data_access.ingest.store import NotAllowed
from data_access.locale import Lang, translate
from data_access.viewer import Viewer


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``template``, ``import``, ``approve`` and ``unlock`` (help in ``lang``)."""
    h = partial(helptext, lang)
    t = sub.add_parser("template", help=h("template"), description=h("template"))
    t.add_argument("--city", required=True, help=h("city"))
    t.add_argument("--period", required=True, help=h("period"))
    t.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    t.add_argument("--out", required=True, type=Path, help=h("out_file"))
    t.add_argument("--db", default=None, help=h("db"))
    t.set_defaults(handler=cmd_template)

    i = sub.add_parser("import", help=h("import"), description=h("import"))
    i.add_argument("files", nargs="+", type=Path, metavar="FILE")
    i.add_argument("--db", default=None, help=h("db"))
    i.add_argument("--as", dest="role", default="admin", help=h("as_role"))
    i.add_argument("--user", default=None, help=h("user"))
    i.add_argument("--bulk", action="store_true", help=h("bulk"))
    i.add_argument("--replace", action="store_true", help=h("replace"))
    i.set_defaults(handler=cmd_import)

    for name in ("approve", "unlock"):
        a = sub.add_parser(name, help=h(name), description=h(name))
        a.add_argument("--city", required=True, help=h("city"))
        a.add_argument("--period", required=True, help=h("period"))
        a.add_argument("--db", default=None, help=h("db"))
        a.add_argument("--user", default=None, help=h("user"))
        if name == "unlock":
            a.add_argument("--reason", default="", help=h("reason"))
        a.set_defaults(handler=cmd_approve if name == "approve" else cmd_unlock)


def cmd_template(args: argparse.Namespace) -> int:
    data = build_template(open_loaded(args.db), args.city, args.period, args.format)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
    except OSError as exc:
        raise InvalidInput.of("errors.write_failed", path=args.out, reason=exc.strerror) from exc
    print(args.out)
    return 0


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            # Refuse before reading: the validation report says the same for uploads.
            raise InvalidInput.of("errors.file_too_big", path=path, limit=MAX_BYTES)
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput.of("errors.read_failed", path=path, reason=exc.strerror) from exc


def format_report_table(records: list[dict[str, object]], lang: str) -> str:
    """The validation report as an aligned text table (header in ``lang``)."""
    head = tuple(
        translate(lang, f"cli.report_{c}") for c in ("row", "column", "rule", "severity", "message")
    )
    sev = {s: translate(lang, f"cli.severity_{s}") for s in ("error", "warning")}
    rows = [
        [
            str(r["row"] or "-"),
            str(r["column"] or "-"),
            str(r["rule"]),
            sev.get(str(r["severity"]), str(r["severity"])),
            str(r["message"]),
        ]
        for r in records
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)][:4]
    lines = []
    for r in [list(head), *rows]:
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        )
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> int:
    lang = messages.lang()
    viewer = Viewer.parse(args.role)
    engine = open_loaded(args.db)
    uploader = actor(args)
    if args.bulk:
        return _bulk(engine, args, viewer, uploader, lang)
    status = 0
    loaded = False
    for path in args.files:
        try:
            result = import_report(engine, _read(path), path.name, viewer, uploader)
        except LgnetError as exc:
            print(f"lgnet2: {path.name}: {exc.message(lang)}", file=sys.stderr)
            status = 2
            continue
        loaded = loaded or result.status == "loaded"
        if result.ok:
            print(result.message(lang))
            if result.report.warnings:
                print(format_report_table(result.report.to_records(lang), lang))
        else:
            print(f"lgnet2: {result.message(lang)}", file=sys.stderr)
            print(format_report_table(result.report.to_records(lang), lang), file=sys.stderr)
            status = 2
    if loaded:
        after_change(engine, "import", uploader)
    return status


def _bulk(engine, args: argparse.Namespace, viewer, uploader: str, lang: str) -> int:  # type: ignore[no-untyped-def]
    if viewer.role != "admin":
        raise NotAllowed.of("errors.bulk_admin_only")
    for path in args.files:
        if not path.exists():
            raise InvalidInput.of("errors.file_missing", path=path)
        result = bulk_load_observations(engine, path, uploader, replace=args.replace)
        replaced = say("rows_replaced", n=result.replaced_cells) if result.replaced_cells else ""
        print(say("rows_loaded", name=path.name, n=result.rows) + replaced)
    after_change(engine, "import", uploader)
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    engine = open_loaded(args.db)
    sid = approve(engine, args.city, args.period, Viewer("admin"), actor(args))
    print(say("approved", city=args.city, period=args.period, submission=sid))
    after_change(engine, "approval", actor(args))
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    engine = open_loaded(args.db)
    sid = unlock(engine, args.city, args.period, Viewer("admin"), actor(args), args.reason)
    print(say("unlocked", city=args.city, period=args.period, submission=sid))
    after_change(engine, "unlock", actor(args))
    return 0


__all__ = ["register", "format_report_table"]
