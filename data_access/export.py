"""``lgnet2 export``: the open-data files (ARCHITECTURE.md, contract).

Every dataset goes through the same ``load_*`` queries as the pages, so the viewer's disclosure
rules apply. Exports built on demo data say so: a ``demo`` column in CSV, a first ``LEGGIMI``
sheet in XLSX, a ``demo`` property and a collection-level note in GeoJSON.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Engine

from data_access import queries as q
from data_access.db import load_meta
from data_access.errors import InvalidInput, UnknownCode
from data_access.viewer import Viewer

DATASETS = ("cities", "indicators", "observations", "targets", "peripheries", "hubs")
FORMATS = ("csv", "xlsx", "geojson")
GEO_DATASETS = ("peripheries", "hubs")
DEMO_MARK = "DATI DIMOSTRATIVI / demo data"
LICENCE = "CC-BY 4.0 (dati) — confini e fatti ISTAT CC-BY"
INDICATOR_COLUMNS = [
    "code",
    "wp",
    "action",
    "name_it",
    "name_en",
    "unit",
    "kind",
    "direction",
    "amif_code",
    "counts_people",
]


def _cities(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    df = q.load_cities(engine, viewer)
    return df.rename(columns={"code": "city_code", "name": "city"})


def _indicators(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    df = q.load_indicators(engine, viewer)[INDICATOR_COLUMNS].copy()
    df["counts_people"] = df["counts_people"].map({True: "true", False: "false"})
    return df


#: ``level`` of an ``observations`` row: a month of one city, or a figure the release
#: publishes as such (a city to date, the programme in a month, the programme to date).
LEVELS = ("month", "city_to_date", "national_month", "national_to_date")
NATIONAL_CODE = "TOTAL"
NATIONAL_NAME = "Totale programma / Programme total"


def _observations(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Monthly city values and, for the public and city managers, every total the release
    publishes (the figures their pages show), each with its ``level``."""
    _, table = q.load_release(engine, viewer)
    obs = q.filter_observations(table.cells)
    names = q.load_cities(engine, viewer).set_index("code")["name"]
    frames = [
        pd.DataFrame(
            {
                "city_code": obs["city_code"],
                "city": obs["city_code"].map(names),
                "indicator": obs["indicator_code"],
                "period": obs["period"],
                "value": obs["value"],
                "flag": obs["flag"] if "flag" in obs else "",
                "level": "month",
            }
        )
    ]
    if not viewer.full_detail:
        periods = pd.concat([table.cells["period"], table.national_by_period["period"]])
        latest = str(periods.max()) if not periods.empty else ""
        ct, nm, nt = table.city_totals, table.national_by_period, table.national_totals
        frames += [
            pd.DataFrame(
                {
                    "city_code": ct["city_code"],
                    "city": ct["city_code"].map(names),
                    "indicator": ct["indicator_code"],
                    "period": latest,
                    "value": ct["value"],
                    "flag": ct["flag"],
                    "level": "city_to_date",
                }
            ),
            pd.DataFrame(
                {
                    "city_code": NATIONAL_CODE,
                    "city": NATIONAL_NAME,
                    "indicator": nm["indicator_code"],
                    "period": nm["period"],
                    "value": nm["value"],
                    "flag": nm["flag"],
                    "level": "national_month",
                }
            ),
            pd.DataFrame(
                {
                    "city_code": NATIONAL_CODE,
                    "city": NATIONAL_NAME,
                    "indicator": nt["indicator_code"],
                    "period": latest,
                    "value": nt["value"],
                    "flag": nt["flag"],
                    "level": "national_to_date",
                }
            ),
        ]
    out = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    out = out.assign(_l=out["level"].map(order))
    out = out.sort_values(["_l", "city_code", "indicator", "period"], ignore_index=True)
    return out.drop(columns="_l")


def _targets(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    df = q.load_targets(engine, viewer).rename(columns={"indicator_code": "indicator"})
    df["milestones"] = [json.dumps(m) if m else "" for m in df["milestones"]]
    return df


def _peripheries(engine: Engine, viewer: Viewer) -> gpd.GeoDataFrame:
    g = q.load_peripheries(engine, viewer)
    return gpd.GeoDataFrame(
        {
            "city_code": g["city_code"],
            "name": g["name"],
            "type": "periferia",
            "geometry_quality": g["geometry_quality"],
            "risk_index": g["risk_index"],
        },
        geometry=g.geometry,
        crs="EPSG:4326",
    )


def _hubs(engine: Engine, viewer: Viewer) -> gpd.GeoDataFrame:
    g = q.load_hubs(engine, viewer)
    return gpd.GeoDataFrame(
        {"city_code": g["city_code"], "name": g["name"], "type": g["type"], "opened": g["opened"]},
        geometry=g.geometry,
        crs="EPSG:4326",
    )


BUILDERS: dict[str, Callable[[Engine, Viewer], pd.DataFrame]] = {
    "cities": _cities,
    "indicators": _indicators,
    "observations": _observations,
    "targets": _targets,
    "peripheries": _peripheries,
    "hubs": _hubs,
}


def build_dataset(engine: Engine, dataset: str, viewer: Viewer) -> pd.DataFrame:
    """The frame behind one export (GeoDataFrame for peripheries and hubs)."""
    if dataset not in BUILDERS:
        raise UnknownCode.of("errors.unknown_dataset", dataset=dataset, choices=", ".join(DATASETS))
    return BUILDERS[dataset](engine, viewer)


def _neutralise(df: pd.DataFrame) -> pd.DataFrame:
    from data_access.sanitize import neutralise_frame

    return neutralise_frame(df)


def _atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``out`` and rename: never a half-written export."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def geojson_document(
    engine: Engine, dataset: str, viewer: Viewer, meta: dict[str, str]
) -> dict[str, object]:
    """The GeoJSON FeatureCollection of a geometry dataset as ``viewer`` may see it (EPSG:4326),
    with the demo mark and the data cut-off in a top-level ``lgnet2`` member."""
    if dataset not in GEO_DATASETS:
        raise InvalidInput.of("errors.dataset_no_geometry", dataset=dataset)
    demo = meta.get("is_demo") == "true"
    df = build_dataset(engine, dataset, viewer)
    gdf = gpd.GeoDataFrame(
        _neutralise(pd.DataFrame(df.drop(columns="geometry"))),
        geometry=df.geometry,
        crs="EPSG:4326",
    )
    if demo:
        gdf["demo"] = True
    doc: dict[str, object] = json.loads(gdf.to_json(drop_id=True))
    doc["lgnet2"] = {
        "dataset": dataset,
        "role": str(viewer),
        "demo": demo,
        "note": DEMO_MARK if demo else "",
        "cutoff": meta.get("cutoff", ""),
    }
    return doc


def export_table(engine: Engine, dataset: str, viewer: Viewer, *, demo: bool) -> pd.DataFrame:
    """The rows and columns of a CSV/XLSX export (and of the open-data release): geometry
    datasets as a representative point (``lon``, ``lat``), text neutralised against spreadsheet
    formulas, and a ``demo`` column carrying the demo mark when ``demo``."""
    df = build_dataset(engine, dataset, viewer)
    table = pd.DataFrame(df.drop(columns="geometry")) if dataset in GEO_DATASETS else df
    if dataset in GEO_DATASETS:
        table["lon"] = df.geometry.representative_point().x.round(6)
        table["lat"] = df.geometry.representative_point().y.round(6)
    table = _neutralise(table)
    if demo:
        table["demo"] = DEMO_MARK
    return table


def export_dataset(
    engine: Engine, dataset: str, out: Path, viewer: Viewer, fmt: str | None = None
) -> int:
    """Write ``dataset`` to ``out`` as the viewer may see it. Returns the number of rows.

    The format defaults to the file extension (csv, xlsx, geojson).
    """
    fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise InvalidInput.of("errors.export_format", fmt=fmt)
    if fmt == "geojson" and dataset not in GEO_DATASETS:
        raise InvalidInput.of("errors.dataset_no_geometry", dataset=dataset)
    meta = load_meta(engine)
    demo = meta.get("is_demo") == "true"
    if fmt == "geojson":
        doc = geojson_document(engine, dataset, viewer, meta)
        _atomic_write(
            out,
            lambda p: None if p.write_text(json.dumps(doc, ensure_ascii=False), "utf-8") else None,
        )
        return len(doc["features"])  # type: ignore[arg-type]
    # The demo column is a CSV convention; the XLSX says it on its first sheet instead.
    table = export_table(engine, dataset, viewer, demo=demo and fmt == "csv")
    if fmt == "csv":
        _atomic_write(out, lambda p: table.to_csv(p, index=False, encoding="utf-8"))
    else:
        readme = pd.DataFrame(
            {
                "campo / field": [
                    "dataset",
                    "ruolo / role",
                    "dati / data",
                    "data di riferimento / cut-off",
                    "licenza",
                ],
                "valore / value": [
                    dataset,
                    str(viewer),
                    DEMO_MARK if demo else "reali / real",
                    meta.get("cutoff", ""),
                    LICENCE,
                ],
            }
        )

        def write_xlsx(p: Path) -> None:
            with pd.ExcelWriter(p, engine="openpyxl") as xw:
                readme.to_excel(xw, sheet_name="LEGGIMI", index=False)
                table.to_excel(xw, sheet_name=dataset, index=False)

        _atomic_write(out, write_xlsx)
    return len(table)
