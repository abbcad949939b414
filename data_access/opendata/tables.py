"""The public tables of the release: exactly the public export (``lgnet2 export --role public``).

Nothing here defines a figure. Every table is ``data_access.export.export_table`` (CSV) or
``geojson_document`` (GeoJSON) for ``Viewer()``, the public, so the release and the export can
never disagree. The serialisation is fixed (UTF-8, ``\\n`` line ends, a header row, the
export's sorted row order) so that the same data always gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data_access.db import load_meta
from data_access.export import export_table, geojson_document
from data_access.publication import latest_publication
from data_access.viewer import Viewer

PUBLIC = Viewer()
TABLES = ("cities", "indicators", "observations", "targets")
GEO = ("peripheries", "hubs")


@dataclass(frozen=True)
class ReleaseInfo:
    """What the release says about itself.

    ``data_version`` is the version the database records (``dataset_meta.data_version``, else
    its cut-off date); ``publication`` the stored publication it was built from, when there is
    one. ``first_period``/``last_period`` bound the observations (YYYY-MM).
    """

    demo: bool
    cutoff: str
    data_version: str
    publication: str | None
    first_period: str
    last_period: str
    lang: str


@dataclass(frozen=True)
class ReleaseTables:
    info: ReleaseInfo
    tables: dict[str, pd.DataFrame]
    geo: dict[str, dict[str, object]]


def load_release_tables(engine: Engine, lang: str, publication: str | None = None) -> ReleaseTables:
    """The public tables and what the database says about them (raises ``EmptyDatabase``).

    ``publication``: the version of the stored publication the tables come from; by default the
    latest one (``latest_publication``), which is what the public export reads.
    """
    meta = load_meta(engine)
    if publication is None:
        latest = latest_publication(engine)
        publication = latest.version if latest is not None else None
    demo = meta.get("is_demo") == "true"
    # Rows in the export's own sorted order (cities by name, indicators by action and code,
    # observations by city, indicator and month): the release is byte for byte the export.
    tables = {name: export_table(engine, name, PUBLIC, demo=demo) for name in TABLES}
    geo = {name: geojson_document(engine, name, PUBLIC, meta) for name in GEO}
    periods = tables["observations"]["period"]
    cutoff = meta.get("cutoff", "") or (str(periods.max()) + "-01" if len(periods) else "")
    info = ReleaseInfo(
        demo=demo,
        cutoff=cutoff,
        data_version=meta.get("data_version", "") or cutoff,
        publication=publication,
        first_period=str(periods.min()) if len(periods) else "",
        last_period=str(periods.max()) if len(periods) else "",
        lang=lang,
    )
    return ReleaseTables(info=info, tables=tables, geo=geo)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and ``\\n`` line ends (no BOM: catalogues and SDMX readers
    expect plain UTF-8)."""
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def json_bytes(doc: object) -> bytes:
    """JSON with keys in a fixed (sorted) order, two-space indent, UTF-8, final newline."""
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
