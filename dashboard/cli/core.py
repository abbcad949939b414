"""``lgnet2 run``, ``lgnet2 demo`` and ``lgnet2 export`` (ARCHITECTURE.md, contract)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

from dashboard.cli.messages import helptext, say
from dashboard.cli.publish import DEFAULT_WORKERS, describe
from data_access.config import ENV_URL, make_engine, resolve_url, sqlite_path
from data_access.db import has_schema
from data_access.demo import DEFAULT_SEED, build_demo
from data_access.errors import InvalidInput
from data_access.export import DATASETS, FORMATS, export_dataset
from data_access.locale import Lang
from data_access.publication import latest_publication
from data_access.queries import check_city
from data_access.settings import current
from data_access.viewer import Viewer

APP = Path(__file__).resolve().parents[1] / "app.py"
SERVER = APP.parent / "server.py"  # app.py as an st.App, plus the readiness endpoint


def cmd_run(args: argparse.Namespace) -> int:
    """Start the dashboard; on the embedded default, create the demo database on first run."""
    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is not None and not path.exists() and args.db is None and not current().database_url:
        print(f"lgnet2: {say('first_run', path=path)}", file=sys.stderr)
        build_demo(make_engine(url, must_exist=False))
    make_engine(url).dispose()  # fail fast, with a clear message, when the database is down
    env = dict(os.environ, **{ENV_URL: url})
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(SERVER),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--server.headless",
        "true",
    ]
    return _exec(cmd, env, APP.parent.parent)


def _exec(cmd: list[str], env: dict[str, str], cwd: Path) -> int:
    """Become the server: ``lgnet2 run`` is replaced by ``streamlit run`` (same PID), so a
    supervisor's SIGTERM or a Ctrl-C reaches the server itself and leaves no orphan on the port.

    Where ``exec`` is not available (Windows), run it as a child that receives the signals."""
    sys.stdout.flush()
    sys.stderr.flush()
    if hasattr(os, "execve") and os.name == "posix":
        os.chdir(cwd)
        os.execve(cmd[0], cmd, env)
    child = subprocess.Popen(cmd, env=env, cwd=cwd)
    forward = lambda signum, _frame: child.send_signal(signum)  # noqa: E731
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, forward)
    return child.wait()


def cmd_demo(args: argparse.Namespace) -> int:
    url = resolve_url(args.db)
    engine = make_engine(url, must_exist=False)
    try:
        counts = build_demo(
            engine,
            seed=args.seed,
            force=args.force,
            synthetic_copies=args.scale - 1,
            workers=DEFAULT_WORKERS,
        )
        info = latest_publication(engine)
    finally:
        engine.dispose()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(say("demo_created", summary=summary))
    if info is not None:
        print(describe(info))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    viewer = Viewer.parse(args.role)
    engine = make_engine(resolve_url(args.db))
    try:
        if not has_schema(engine):
            raise InvalidInput.of("errors.db_no_lgnet_tables")
        if viewer.role == "city":
            check_city(engine, viewer.city or "")
        n = export_dataset(engine, args.dataset, Path(args.out), viewer, args.format)
    finally:
        engine.dispose()
    print(say("rows_written", n=n, path=args.out))
    return 0


def register(sub: argparse._SubParsersAction, lang: Lang) -> None:
    """Add ``run``, ``demo`` and ``export`` to the ``lgnet2`` subcommands (help in ``lang``)."""
    h = partial(helptext, lang)
    p = sub.add_parser("run", help=h("run"), description=h("run"))
    p.add_argument("--db", help=h("db"))
    p.add_argument("--port", type=int, default=8501, help=h("port"))
    p.add_argument("--address", default="127.0.0.1", help=h("address"))
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("demo", help=h("demo"), description=h("demo"))
    p.add_argument("--db", help=h("db"))
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=h("seed"))
    p.add_argument("--force", action="store_true", help=h("force"))
    p.add_argument("--scale", type=int, default=1, help=h("scale"))
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("export", help=h("export"), description=h("export"))
    p.add_argument("dataset", choices=DATASETS)
    p.add_argument("--out", required=True, help=h("out_file"))
    p.add_argument("--db", help=h("db"))
    p.add_argument("--role", default="public", help=h("role_export"))
    p.add_argument("--format", choices=FORMATS, help=h("format"))
    p.set_defaults(handler=cmd_export)
