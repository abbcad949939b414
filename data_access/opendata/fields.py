"""Table Schema of every column of the release: type, unit, description in Italian and English,
constraints, and the keys between the tables.

A column of the public export that has no entry here stops the build (``schema_for`` raises),
so that the release can never publish a column nobody described.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data_access.catalogue import INDICATORS, WORK_PACKAGES
from data_access.disclosure import FLAG_PARTIAL, FLAG_ROUNDED, FLAG_SUPPRESSED
from data_access.export import DEMO_MARK


@dataclass(frozen=True)
class Field:
    type: str
    it: str
    en: str
    constraints: dict[str, Any] = field(default_factory=dict)
    unit: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


CITY_CODE = Field(
    "string",
    "Codice ISTAT del comune (6 cifre).",
    "ISTAT municipality code (6 digits).",
    {"required": True, "pattern": r"^\d{6}$"},
)
INDICATOR_CODE = Field(
    "string",
    "Codice dell'indicatore (vedi indicators.csv).",
    "Indicator code (see indicators.csv).",
    {"required": True, "enum": sorted(i.code for i in INDICATORS)},
)
#: ``city_code`` of a row that is the whole programme's figure (a published total).
TOTAL_CODE = "TOTAL"
OBS_CITY_CODE = Field(
    "string",
    f"Codice ISTAT del comune (6 cifre); {TOTAL_CODE} = intero programma, se presente.",
    f"ISTAT municipality code (6 digits); {TOTAL_CODE} = the whole programme, when present.",
    {"required": True, "pattern": rf"^(\d{{6}}|{TOTAL_CODE})$"},
)
DEMO = Field(
    "string",
    "Presente solo sui dati dimostrativi: i valori non sono reali.",
    "Present only on demo data: the values are not real.",
    {"enum": [DEMO_MARK]},
)
COUNT = {"minimum": 0}

FIELDS: dict[str, dict[str, Field]] = {
    "cities": {
        "city_code": CITY_CODE,
        "city": Field("string", "Nome del comune.", "Municipality name.", {"required": True}),
        "region": Field("string", "Regione.", "Region."),
        "macro_area": Field("string", "Ripartizione geografica ISTAT.", "ISTAT macro-area."),
        "lat": Field(
            "number",
            "Latitudine del centro (WGS84).",
            "Latitude of the centre (WGS84).",
            {"minimum": -90, "maximum": 90},
            "degree",
        ),
        "lon": Field(
            "number",
            "Longitudine del centro (WGS84).",
            "Longitude of the centre (WGS84).",
            {"minimum": -180, "maximum": 180},
            "degree",
        ),
        "population": Field(
            "integer", "Popolazione residente.", "Resident population.", COUNT, "persone"
        ),
        "population_ref": Field(
            "string", "Data di riferimento della popolazione.", "Reference date of the population."
        ),
        "population_quality": Field(
            "string",
            "Fonte e qualità della popolazione.",
            "Source and quality of the population figure.",
        ),
        "foreign_residents": Field(
            "integer", "Residenti stranieri.", "Foreign residents.", COUNT, "persone"
        ),
        "foreign_ref": Field(
            "string",
            "Data di riferimento dei residenti stranieri.",
            "Reference date of the foreign residents.",
        ),
        "foreign_quality": Field(
            "string",
            "Fonte e qualità dei residenti stranieri.",
            "Source and quality of the foreign-resident figure.",
        ),
    },
    "indicators": {
        "code": Field(
            "string",
            "Codice dell'indicatore.",
            "Indicator code.",
            {"required": True, "unique": True},
        ),
        "wp": Field(
            "string",
            "Work package.",
            "Work package.",
            {"required": True, "enum": [w.code for w in WORK_PACKAGES]},
        ),
        "action": Field("string", "Linea di azione (WPn.m).", "Line of action (WPn.m)."),
        "name_it": Field("string", "Nome in italiano.", "Name in Italian."),
        "name_en": Field("string", "Nome in inglese.", "Name in English."),
        "unit": Field(
            "string", "Unità di misura del valore.", "Unit of the value.", {"required": True}
        ),
        "kind": Field(
            "string",
            "Tipo: flow (si somma sui mesi), stock (vale l'ultimo mese), ratio "
            "(rapporto ricalcolato, mai mediato).",
            "Kind: flow (adds up over months), stock (the last month counts), ratio "
            "(recomputed, never averaged).",
            {"required": True, "enum": ["flow", "ratio", "stock"]},
        ),
        "direction": Field(
            "string",
            "Verso del miglioramento (up = più è meglio).",
            "Direction of improvement (up = more is better).",
            {"enum": ["down", "up"]},
        ),
        "amif_code": Field(
            "string",
            "Indicatore comune FAMI/AMIF proposto (C2.x).",
            "Proposed AMIF common indicator (C2.x).",
        ),
        "counts_people": Field(
            "boolean",
            "Vero quando il valore conta persone.",
            "True when the value counts people.",
            {"required": True},
            extra={"trueValues": ["true"], "falseValues": ["false"]},
        ),
    },
    "observations": {
        "city_code": OBS_CITY_CODE,
        "city": Field("string", "Nome del comune.", "Municipality name."),
        "indicator": INDICATOR_CODE,
        "period": Field(
            "yearmonth",
            "Mese di riferimento (AAAA-MM).",
            "Reference month (YYYY-MM).",
            {"required": True},
        ),
        "value": Field(
            "number",
            "Valore del mese a livello comunale; vuoto quando soppresso. Unità: "
            "colonna unit di indicators.csv.",
            "Value of the month at city level; empty when suppressed. Unit: the "
            "unit column of indicators.csv.",
            COUNT,
            "indicators.unit",
        ),
        "flag": Field(
            "string",
            f"Cella alterata: '{FLAG_SUPPRESSED}' (nascosta: 1-9 persone o "
            f"soppressione secondaria), '{FLAG_ROUNDED}' (arrotondata a 5); vuoto = "
            "valore esatto.",
            f"Altered cell: '{FLAG_SUPPRESSED}' (hidden: 1-9 people or secondary "
            f"suppression), '{FLAG_ROUNDED}' (rounded to 5); empty = exact value.",
            {"enum": sorted([FLAG_SUPPRESSED, FLAG_ROUNDED, FLAG_PARTIAL])},
        ),
        "level": Field(
            "string",
            "Livello del valore: month (un mese di un comune), city_to_date (un comune da "
            "inizio programma), national_month e national_to_date (intero programma).",
            "Level of the value: month (one month of a city), city_to_date (a city since the "
            "start), national_month and national_to_date (the whole programme).",
            {"enum": ["city_to_date", "month", "national_month", "national_to_date"]},
        ),
    },
    "targets": {
        "city_code": CITY_CODE,
        "indicator": INDICATOR_CODE,
        "end_value": Field(
            "number",
            "Obiettivo di fine programma (31 marzo 2024).",
            "End-of-programme target (31 March 2024).",
            COUNT,
            "indicators.unit",
        ),
        "milestones": Field(
            "string",
            "Tappe intermedie (JSON), se previste.",
            "Intermediate milestones (JSON), when set.",
        ),
    },
}
PRIMARY_KEYS: dict[str, list[str]] = {
    "cities": ["city_code"],
    "indicators": ["code"],
    "observations": ["city_code", "indicator", "period"],
    "targets": ["city_code", "indicator"],
}
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    # (field, resource, field there)
    "observations": [("city_code", "cities", "city_code"), ("indicator", "indicators", "code")],
    "targets": [("city_code", "cities", "city_code"), ("indicator", "indicators", "code")],
}


def field_descriptor(name: str, spec: Field, lang: str) -> dict[str, Any]:
    """One Table Schema field: ``description`` in ``lang``, both languages in
    ``description_it``/``description_en``, ``unit`` when the column has one."""
    out: dict[str, Any] = {
        "name": name,
        "type": spec.type,
        "description": spec.it if lang == "it" else spec.en,
        "description_it": spec.it,
        "description_en": spec.en,
    }
    if spec.unit:
        out["unit"] = spec.unit
    if spec.constraints:
        out["constraints"] = dict(spec.constraints)
    out.update(spec.extra)
    return out


def primary_key(dataset: str, columns: list[str] | pd.Index) -> list[str]:
    """The table's key; rows of several levels (``level`` column) are keyed by level too."""
    key = PRIMARY_KEYS[dataset]
    return ["level", *key] if "level" in columns else key


def schema_for(
    dataset: str,
    columns: list[str] | pd.Index,
    lang: str,
    without_keys_on: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The Table Schema of ``dataset`` for exactly ``columns`` (in that order).

    ``without_keys_on``: fields whose foreign key is left out (the observations' ``city_code``
    when programme totals, coded ``TOTAL``, are rows of the table)."""
    specs = {**FIELDS[dataset], "demo": DEMO}
    missing = [c for c in columns if c not in specs]
    if missing:
        raise KeyError(f"open data: no description for {dataset}.{', '.join(missing)}")
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c, specs[c], lang) for c in columns],
        "missingValues": [""],
        "primaryKey": primary_key(dataset, columns),
    }
    fks = [fk for fk in FOREIGN_KEYS.get(dataset, []) if fk[0] not in without_keys_on]
    if fks:
        schema["foreignKeys"] = [
            {"fields": [f], "reference": {"resource": res, "fields": [there]}}
            for f, res, there in fks
        ]
    return schema
