"""The release as bytes: every file, a ZIP of them, and writing them to a folder.

Deterministic: the same data gives the same bytes. Files are listed in a fixed order; the ZIP
entries carry the data's cut-off date as their timestamp (never the clock), fixed permissions
and a fixed compression level.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import Engine

from data_access.errors import InvalidInput
from data_access.opendata.datapackage import build_datapackage
from data_access.opendata.dcat import build_catalog
from data_access.opendata.readme import build_readme
from data_access.opendata.sdmx_csv import sdmx_frame, structure_xml
from data_access.opendata.tables import ReleaseTables, csv_bytes, json_bytes, load_release_tables

LANGS = ("it", "en")
#: Files a release folder may already hold (a previous release, about to be replaced).
RELEASE_FILES = (
    "cities.csv",
    "indicators.csv",
    "observations.csv",
    "targets.csv",
    "peripheries.geojson",
    "hubs.geojson",
    "observations.sdmx.csv",
    "structure.xml",
    "datapackage.json",
    "catalog.jsonld",
    "README.md",
)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InvalidInput.of("errors.lang_unsupported", lang=lang)
    return lang


def build_release(
    engine: Engine,
    lang: str = "it",
    *,
    base_url: str = "",
    contact_email: str | None = None,
    publication: str | None = None,
) -> dict[str, bytes]:
    """Every file of the public open-data release, by name, in ``RELEASE_FILES`` order.

    Raises ``EmptyDatabase`` when there is nothing to publish and ``InvalidInput`` for an
    unknown language.
    """
    check_lang(lang)
    release = load_release_tables(engine, lang, publication)
    return assemble_release(release, base_url=base_url, contact_email=contact_email)


def assemble_release(
    release: ReleaseTables, *, base_url: str = "", contact_email: str | None = None
) -> dict[str, bytes]:
    """The files of a release from its tables (pure: no database, no clock)."""
    info = release.info
    files: dict[str, bytes] = {f"{n}.csv": csv_bytes(t) for n, t in release.tables.items()}
    files.update({f"{n}.geojson": json_bytes(doc) for n, doc in release.geo.items()})
    sdmx = sdmx_frame(release.tables["observations"], release.tables["indicators"], info.demo)
    files["observations.sdmx.csv"] = csv_bytes(sdmx)
    files["structure.xml"] = structure_xml(
        release.tables["cities"], release.tables["indicators"], info.cutoff, info.data_version
    )
    package = build_datapackage(release, files, list(sdmx.columns))
    files["datapackage.json"] = json_bytes(package)
    catalog = build_catalog(
        info,
        release.tables["cities"],
        {name: len(data) for name, data in files.items()},
        base_url=base_url,
        contact_email=contact_email,
    )
    files["catalog.jsonld"] = json_bytes(catalog)
    files["README.md"] = build_readme(info, package).encode("utf-8")
    return {name: files[name] for name in RELEASE_FILES}


def zip_date(files: dict[str, bytes]) -> tuple[int, int, int, int, int, int]:
    """The ZIP timestamp: the data's cut-off date (``lgnet2.cutoff`` of datapackage.json)."""
    cutoff = json.loads(files["datapackage.json"])["lgnet2"]["cutoff"] or "1980-01-01"
    year, month, day = (int(x) for x in cutoff[:10].split("-"))
    return (max(year, 1980), month, day, 0, 0, 0)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The release as one ZIP (files at its root, ``datapackage.json`` among them)."""
    stamp = zip_date(files)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever the machine, so the bytes do not vary
            entry.external_attr = 0o100644 << 16
            zf.writestr(entry, data, compresslevel=9)
    return buf.getvalue()


def check_out_dir(out: Path) -> None:
    """Raise ``InvalidInput`` unless ``out`` is a new folder, an empty one, or one holding a
    previous release (release files only)."""
    if out.exists() and not out.is_dir():
        raise InvalidInput.of("errors.not_a_folder", path=out)
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in RELEASE_FILES)
        if foreign:
            raise InvalidInput.of("errors.folder_not_empty", path=out, files=", ".join(foreign[:3]))


def write_release(files: dict[str, bytes], out: Path) -> None:
    """Write ``files`` into the folder ``out`` (checked by ``check_out_dir`` first): each file
    complete or not at all."""
    check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, out / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
