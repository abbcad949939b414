"""``datapackage.json``: a Frictionless Data Package (v2) describing every file of the release.

Each CSV is a tabular resource with its Table Schema (``fields``), primary and foreign keys; the
GeoJSON, the SDMX structure and the README are plain resources. Every resource carries its
size and SHA-256, so a validator proves the files are the ones described. The licence is CC BY
4.0 for the figures; the geometry resources add the ISTAT/openpolis attribution. Custom
``lgnet2`` member: demo flag, cut-off, data version and publication.
"""

from __future__ import annotations

import hashlib
from typing import Any

from data_access.opendata import about
from data_access.opendata.fields import schema_for
from data_access.opendata.sdmx_csv import COLUMNS as SDMX_COLUMNS
from data_access.opendata.sdmx_csv import CONF_STATUS_CODES, OBS_STATUS_CODES
from data_access.opendata.tables import ReleaseTables

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_TEXT: dict[str, tuple[str, str]] = {
    "cities": (
        "I 16 comuni: codice ISTAT, regione, popolazione.",
        "The 16 cities: ISTAT code, region, population.",
    ),
    "indicators": ("Catalogo degli indicatori.", "Indicator catalogue."),
    "observations": (
        "Valori mensili per comune e indicatore (pubblico).",
        "Monthly values per city and indicator (public).",
    ),
    "targets": (
        "Obiettivi di fine programma per comune e indicatore.",
        "End-of-programme targets per city and indicator.",
    ),
    "peripheries": (
        "Periferie a rischio (poligoni indicativi, EPSG:4326).",
        "At-risk peripheries (indicative polygons, EPSG:4326).",
    ),
    "hubs": (
        "Hub di aggregazione e sportelli (punti, EPSG:4326).",
        "Aggregation hubs and one-stop shops (points, EPSG:4326).",
    ),
    "observations-sdmx": (
        "Le stesse osservazioni in SDMX-CSV 2.0.",
        "The same observations in SDMX-CSV 2.0.",
    ),
    "sdmx-structure": (
        "Definizione della struttura SDMX (DSD, SDMX-ML 2.1).",
        "SDMX data structure definition (DSD, SDMX-ML 2.1).",
    ),
}


def _licence(lang: str) -> dict[str, str]:
    return {"name": "CC-BY-4.0", "path": about.LICENCE_URL, "title": about.LICENCE[lang]}


def file_facts(data: bytes) -> dict[str, Any]:
    """``bytes`` and ``hash`` (``sha256:<hex>``) of a file, as Data Package v2 writes them."""
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def _resource(name: str, path: str, fmt: str, lang: str, data: bytes) -> dict[str, Any]:
    it, en = RESOURCE_TEXT[name]
    return {
        "name": name,
        "path": path,
        "format": fmt,
        "mediatype": about.MEDIA_TYPES[fmt],
        "encoding": "utf-8",
        "description": it if lang == "it" else en,
        "description_it": it,
        "description_en": en,
        **file_facts(data),
    }


def _sdmx_schema(lang: str) -> dict[str, Any]:
    def f(name: str, type_: str, it: str, en: str, **constraints: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": name,
            "type": type_,
            "description": it if lang == "it" else en,
            "description_it": it,
            "description_en": en,
        }
        if constraints:
            out["constraints"] = constraints
        return out

    fields = [
        f("STRUCTURE", "string", "Tipo di struttura.", "Structure type.", enum=["dataflow"]),
        f("STRUCTURE_ID", "string", "Dataflow SDMX.", "SDMX dataflow."),
        f(
            "ACTION",
            "string",
            "Azione SDMX (I = informazione).",
            "SDMX action (I = information).",
            enum=["I"],
        ),
        f("CITY", "string", "Codice ISTAT del comune.", "ISTAT municipality code.", required=True),
        f("INDICATOR", "string", "Codice dell'indicatore.", "Indicator code.", required=True),
        f("TIME_PERIOD", "yearmonth", "Mese.", "Month.", required=True),
        f(
            "OBS_VALUE",
            "number",
            "Valore (vuoto se soppresso).",
            "Value (empty when suppressed).",
            minimum=0,
        ),
        f("UNIT_MEASURE", "string", "Unità di misura.", "Unit of measure."),
        f(
            "OBS_STATUS",
            "string",
            "Stato dell'osservazione (SDMX CL_OBS_STATUS).",
            "Observation status (SDMX CL_OBS_STATUS).",
            enum=sorted(OBS_STATUS_CODES),
        ),
        f(
            "CONF_STATUS",
            "string",
            "Riservatezza (SDMX CL_CONF_STATUS).",
            "Confidentiality status (SDMX CL_CONF_STATUS).",
            enum=sorted(CONF_STATUS_CODES),
        ),
        f("DEMO", "string", "Presente solo sui dati dimostrativi.", "Present only on demo data."),
    ]
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["CITY", "INDICATOR", "TIME_PERIOD"],
        "foreignKeys": [
            {"fields": ["CITY"], "reference": {"resource": "cities", "fields": ["city_code"]}},
            {"fields": ["INDICATOR"], "reference": {"resource": "indicators", "fields": ["code"]}},
        ],
    }


def build_datapackage(
    release: ReleaseTables, files: dict[str, bytes], sdmx_columns: list[str]
) -> dict[str, Any]:
    """The descriptor of ``files`` (file name -> bytes) for ``release``."""
    info = release.info
    lang = info.lang
    resources: list[dict[str, Any]] = []
    cities = set(release.tables["cities"]["city_code"])
    for name, frame in release.tables.items():
        res = _resource(name, f"{name}.csv", "csv", lang, files[f"{name}.csv"])
        # Programme totals (city_code TOTAL) are rows but not cities: no key to cities then.
        codes = set(frame["city_code"]) if "city_code" in frame else set()
        loose = frozenset({"city_code"}) if codes - cities else frozenset()
        res.update(
            type="table",
            profile="tabular-data-resource",
            schema=schema_for(name, list(frame.columns), lang, loose),
        )
        resources.append(res)
    for name in release.geo:
        res = _resource(name, f"{name}.geojson", "geojson", lang, files[f"{name}.geojson"])
        res["licenses"] = [_licence(lang)]
        res["sources"] = [
            {
                "title": about.GEOMETRY_ATTRIBUTION,
                "path": "https://github.com/openpolis/geojson-italy",
            }
        ]
        resources.append(res)
    sdmx = _resource(
        "observations-sdmx", "observations.sdmx.csv", "csv", lang, files["observations.sdmx.csv"]
    )
    schema = _sdmx_schema(lang)
    schema["fields"] = [f for f in schema["fields"] if f["name"] in sdmx_columns]
    sdmx.update(type="table", schema=schema)
    resources.append(sdmx)
    resources.append(
        _resource("sdmx-structure", "structure.xml", "xml", lang, files["structure.xml"])
    )
    return {
        "$schema": PROFILE,
        "name": about.PACKAGE_NAME,
        "id": f"{about.MINISTRY.identifier}:{about.DATASET_ID}",
        "title": about.title(lang, info.demo),
        "description": about.description(lang, info.demo),
        "title_it": about.title("it", info.demo),
        "title_en": about.title("en", info.demo),
        "description_it": about.description("it", info.demo),
        "description_en": about.description("en", info.demo),
        "version": info.data_version,
        "keywords": about.KEYWORDS["it"] + about.KEYWORDS["en"],
        "licenses": [_licence(lang)],
        "sources": [dict(s) for s in about.SOURCES],
        "contributors": [
            {
                "title": about.MINISTRY.name_it,
                "path": about.MINISTRY.homepage,
                "roles": ["publisher", "rightsHolder"],
            },
            {"title": about.ANCI.name_it, "path": about.ANCI.homepage, "roles": ["contributor"]},
        ],
        "homepage": about.MINISTRY.homepage,
        "resources": resources,
        "lgnet2": {
            "demo": info.demo,
            "note": about.DEMO_NOTE[lang] if info.demo else "",
            "cutoff": info.cutoff,
            "data_version": info.data_version,
            "publication": info.publication,
            "periods": [info.first_period, info.last_period],
            "attribution": about.ATTRIBUTION[lang],
            "sdmx_columns": list(SDMX_COLUMNS),
        },
    }
