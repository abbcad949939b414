"""Every setting the app reads from the environment, in one object.

Nothing else reads ``os.environ`` for a setting: code calls :func:`current` (read on every call,
so a changed environment, or a test's ``monkeypatch.setenv``, is seen at once) or builds a
:class:`Settings` from a mapping of its own (``Settings.from_env({...})``).

==========================  =====================================================================
variable                    meaning
==========================  =====================================================================
LGNET2_DATABASE_URL         the database (default: the embedded SQLite file); the primary
LGNET2_READ_DATABASE_URL    optional streaming read replica of the primary, for page reads
LGNET2_DATA_DIR             where the embedded SQLite file lives (default ``data/``)
LGNET2_LOCAL_ROLE           without sign-in: the role of this server's visitors
LGNET2_TILES_URL            a map tile server (unset or ``none``: no tiles, the bundled base layer)
LGNET2_TILES_ATTRIBUTION    the tiles' attribution
LGNET2_BOUNDARIES           a GeoJSON of real municipal boundaries
LGNET2_LANG                 language of command-line messages (then ``LANG``; ``it`` default)
LGNET2_REPLICA_NAME         this server's name in the run log (several replicas behind a balancer)
LGNET2_OPENDATA_CONTACT     e-mail of the open-data contact point (``vcard:hasEmail``)
LGNET2_OPENDATA_BASE_URL    public address of the open-data files (absolute IRIs in the catalogue)
LGNET2_CHARTS_FALLBACK_MS   how long a map page holds its charts for a map that has not drawn
                            (default 4000 ms; the browser tests raise it so that the order they
                            check does not depend on how busy the machine is)
LGNET2_PUBLIC_MONTHS        months the public release holds: ``approved`` (default) | ``validated``
LGNET2_WARMUP_SECONDS       a new server opens its pages once (each language, the default month)
                            before ``/_lgnet2/ready`` says ready, for at most this long (default
                            300 s; ``0``: no warm-up, ready as soon as the database answers)
==========================  =====================================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from data_access.locale import Lang, normalize_lang

ENV_URL = "LGNET2_DATABASE_URL"
ENV_READ_URL = "LGNET2_READ_DATABASE_URL"
ENV_DATA_DIR = "LGNET2_DATA_DIR"
ENV_LOCAL_ROLE = "LGNET2_LOCAL_ROLE"
ENV_TILES_URL = "LGNET2_TILES_URL"
ENV_TILES_ATTRIBUTION = "LGNET2_TILES_ATTRIBUTION"
ENV_BOUNDARIES = "LGNET2_BOUNDARIES"
ENV_LANG = "LGNET2_LANG"
ENV_REPLICA_NAME = "LGNET2_REPLICA_NAME"
ENV_OPENDATA_CONTACT = "LGNET2_OPENDATA_CONTACT"
ENV_OPENDATA_BASE_URL = "LGNET2_OPENDATA_BASE_URL"
ENV_CHARTS_FALLBACK_MS = "LGNET2_CHARTS_FALLBACK_MS"
DEFAULT_CHARTS_FALLBACK_MS = 4000
ENV_PUBLIC_MONTHS = "LGNET2_PUBLIC_MONTHS"
ENV_WARMUP_SECONDS = "LGNET2_WARMUP_SECONDS"
DEFAULT_WARMUP_SECONDS = 300

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Settings:
    """The environment's settings, parsed (empty strings where a variable is unset)."""

    database_url: str
    read_database_url: str
    data_dir: Path
    local_role: str
    tiles_url: str
    tiles_attribution: str
    boundaries: str
    cli_lang: Lang
    replica_name: str
    opendata_contact: str = ""
    opendata_base_url: str = ""
    charts_fallback_ms: int = DEFAULT_CHARTS_FALLBACK_MS
    public_months: str = "approved"
    warmup_seconds: int = DEFAULT_WARMUP_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, "").strip()

        return cls(
            database_url=get(ENV_URL),
            read_database_url=get(ENV_READ_URL),
            data_dir=Path(get(ENV_DATA_DIR)) if get(ENV_DATA_DIR) else PROJECT_DATA_DIR,
            local_role=get(ENV_LOCAL_ROLE),
            tiles_url=get(ENV_TILES_URL),
            tiles_attribution=get(ENV_TILES_ATTRIBUTION),
            boundaries=get(ENV_BOUNDARIES),
            cli_lang=normalize_lang(env.get(ENV_LANG, env.get("LANG", "it"))),
            replica_name=get(ENV_REPLICA_NAME),
            opendata_contact=get(ENV_OPENDATA_CONTACT),
            opendata_base_url=get(ENV_OPENDATA_BASE_URL),
            charts_fallback_ms=_positive_int(
                get(ENV_CHARTS_FALLBACK_MS), DEFAULT_CHARTS_FALLBACK_MS
            ),
            public_months=get(ENV_PUBLIC_MONTHS) or "approved",
            warmup_seconds=0
            if get(ENV_WARMUP_SECONDS) == "0"
            else _positive_int(get(ENV_WARMUP_SECONDS), DEFAULT_WARMUP_SECONDS),
        )


def _positive_int(raw: str, default: int) -> int:
    """``raw`` as a positive whole number, else ``default`` (a bad value never stops the app)."""
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def current() -> Settings:
    """The settings of this process's environment, read now."""
    return Settings.from_env()
