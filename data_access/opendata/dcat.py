"""``catalog.jsonld``: DCAT-AP_IT metadata of the release (catalogue, dataset, distributions).

The properties the Italian profile makes mandatory are all present:

- catalogue (``dcatapit:Catalog``): ``dct:title``, ``dct:description``, ``dct:publisher``,
  ``dct:modified``, ``dcat:dataset`` (plus ``dct:language``, ``dcat:themeTaxonomy``);
- dataset (``dcatapit:Dataset``): ``dct:identifier`` (``<IPA code>:<id>``), ``dct:title``,
  ``dct:description`` (both languages), ``dct:modified``, ``dcat:theme``,
  ``dct:rightsHolder``, ``dct:accrualPeriodicity``, ``dcat:distribution`` (plus publisher,
  creators, ``dcat:contactPoint``, ``dct:language``, ``dct:temporal``, ``dct:spatial``,
  keywords, ``owl:versionInfo``);
- distribution (``dcatapit:Distribution``): ``dcat:accessURL``, ``dct:format``,
  ``dct:license`` (a ``dcatapit:LicenseDocument`` with ``dct:type``), plus title,
  description, ``dcat:downloadURL``, ``dcat:mediaType``, ``dcat:byteSize``;
- agents (``dcatapit:Agent``): ``foaf:name`` and ``dct:identifier`` (IPA code); contact point
  (``dcatapit:Organization``): ``vcard:fn`` and ``vcard:hasURL``, ``vcard:hasEmail`` when an
  address is configured.

IRIs of the catalogue's own nodes and files are relative to ``base_url`` (by default the
folder the release is published in: a harvester resolves them against the address it read
``catalog.jsonld`` from). Dates are the data's own (cut-off, periods), never the clock.
"""

from __future__ import annotations

import calendar
from typing import Any

import pandas as pd

from data_access.opendata import about
from data_access.opendata.datapackage import RESOURCE_TEXT
from data_access.opendata.tables import ReleaseInfo

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "schema": "http://schema.org/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
#: file -> (resource name in RESOURCE_TEXT or a text of its own, format key)
DISTRIBUTIONS: dict[str, tuple[str, str]] = {
    "observations.csv": ("observations", "csv"),
    "observations.sdmx.csv": ("observations-sdmx", "csv"),
    "structure.xml": ("sdmx-structure", "xml"),
    "cities.csv": ("cities", "csv"),
    "indicators.csv": ("indicators", "csv"),
    "targets.csv": ("targets", "csv"),
    "peripheries.geojson": ("peripheries", "geojson"),
    "hubs.geojson": ("hubs", "geojson"),
    "datapackage.json": ("datapackage", "json"),
}
DATAPACKAGE_TEXT = (
    "Descrizione Frictionless Data Package (v2) di tutti i file.",
    "Frictionless Data Package (v2) description of every file.",
)


def _text(it: str, en: str) -> list[dict[str, str]]:
    return [{"@language": "it", "@value": it}, {"@language": "en", "@value": en}]


def _date(day: str) -> dict[str, str]:
    return {"@type": "xsd:date", "@value": day}


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _period_end(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{period}-{calendar.monthrange(year, month)[1]:02d}"


def version_label(info: ReleaseInfo) -> str:
    """The data version, and the publication it was released from when there is one."""
    if info.publication:
        return f"{info.data_version} (pubblicazione / publication {info.publication})"
    return info.data_version


def _agent(agent: about.Agent, base: str) -> dict[str, Any]:
    return {
        "@id": f"{base}#{agent.key}",
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": _text(agent.name_it, agent.name_en),
        "dct:identifier": agent.identifier,
        "foaf:homepage": _iri(agent.homepage),
    }


def build_catalog(
    info: ReleaseInfo,
    cities: pd.DataFrame,
    sizes: dict[str, int],
    *,
    base_url: str = "",
    contact_email: str | None = None,
) -> dict[str, Any]:
    """The JSON-LD document (``@context`` and ``@graph``) for a release of ``info``.

    ``sizes`` maps each published file to its size in bytes; ``base_url`` is where the
    release's files are published (relative IRIs when empty).
    """
    base = base_url.rstrip("/") + "/" if base_url else ""
    modified = _date(info.cutoff)
    licence_id = about.LICENCE_URL
    dataset_id = f"{base}#dataset"
    contact: dict[str, Any] = {
        "@id": f"{base}#contact",
        "@type": ["vcard:Organization", "vcard:Kind", "dcatapit:Organization"],
        "vcard:fn": about.MINISTRY.name_it,
        "vcard:hasURL": _iri(about.MINISTRY.homepage),
    }
    if contact_email:
        contact["vcard:hasEmail"] = _iri(f"mailto:{contact_email}")
    distributions: list[dict[str, Any]] = []
    for path, (name, fmt) in DISTRIBUTIONS.items():
        if path not in sizes:
            continue
        it, en = DATAPACKAGE_TEXT if name == "datapackage" else RESOURCE_TEXT[name]
        distributions.append(
            {
                "@id": f"{base}#distribution-{path}",
                "@type": ["dcat:Distribution", "dcatapit:Distribution"],
                "dct:title": _text(f"{path} – {it}", f"{path} – {en}"),
                "dct:description": _text(it, en),
                "dcat:accessURL": _iri(base + path),
                "dcat:downloadURL": _iri(base + path),
                "dct:format": _iri(about.FILE_TYPES[fmt]),
                "dcat:mediaType": _iri(
                    "https://www.iana.org/assignments/media-types/" + about.MEDIA_TYPES[fmt]
                ),
                "dct:license": _iri(licence_id),
                "dct:modified": modified,
                "dcat:byteSize": {"@type": "xsd:nonNegativeInteger", "@value": str(sizes[path])},
            }
        )
    places = [
        {
            "@id": f"{base}#place-{code}",
            "@type": "dct:Location",
            # dcatapit:geographicalIdentifier is meant for a GeoNames or EU place IRI; a
            # municipality is named here with its ISTAT code instead.
            "dct:identifier": code,
            "locn:geographicalName": name,
        }
        for code, name in zip(cities["city_code"], cities["city"], strict=True)
    ]
    demo = info.demo
    dataset: dict[str, Any] = {
        "@id": dataset_id,
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": f"{about.MINISTRY.identifier}:{about.DATASET_ID}",
        "dct:title": _text(about.title("it", demo), about.title("en", demo)),
        "dct:description": _text(about.description("it", demo), about.description("en", demo)),
        "dct:modified": modified,
        "dct:issued": modified,
        "dcat:theme": [_iri(t) for t in about.THEMES],
        "dct:rightsHolder": _iri(f"{base}#{about.MINISTRY.key}"),
        "dct:publisher": _iri(f"{base}#{about.MINISTRY.key}"),
        "dct:creator": [_iri(f"{base}#{a.key}") for a in (about.MINISTRY, about.ANCI)],
        "dcat:contactPoint": _iri(contact["@id"]),
        "dct:accrualPeriodicity": _iri(about.FREQUENCY),
        "dct:language": [_iri(x) for x in about.LANGUAGES],
        "dct:temporal": {
            "@id": f"{base}#period",
            "@type": "dct:PeriodOfTime",
            # DCAT 2 properties, and schema.org's, which the dati.gov.it harvester
            # (ckanext-dcatapit) reads.
            "dcat:startDate": _date(info.first_period + "-01"),
            "dcat:endDate": _date(_period_end(info.last_period)),
            "schema:startDate": _date(info.first_period + "-01"),
            "schema:endDate": _date(_period_end(info.last_period)),
        },
        "dct:spatial": [_iri(about.COUNTRY)] + [_iri(p["@id"]) for p in places],
        "dcat:keyword": [
            {"@language": lang, "@value": k} for lang in ("it", "en") for k in about.KEYWORDS[lang]
        ],
        "owl:versionInfo": version_label(info),
        "dcat:distribution": [_iri(d["@id"]) for d in distributions],
    }
    catalog = {
        "@id": f"{base}#catalog",
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": _text("Catalogo dei dati aperti LGNet2", "LGNet2 open-data catalogue"),
        "dct:description": _text(about.DESCRIPTION["it"], about.DESCRIPTION["en"]),
        "dct:publisher": _iri(f"{base}#{about.MINISTRY.key}"),
        "dct:modified": modified,
        "dct:issued": modified,
        "dct:language": [_iri(x) for x in about.LANGUAGES],
        "dcat:themeTaxonomy": _iri(about.EU + "data-theme"),
        "dcat:dataset": [_iri(dataset_id)],
    }
    if base:  # published at a known address: the folder is the catalogue's home page
        catalog["foaf:homepage"] = _iri(base)
        dataset["dcat:landingPage"] = _iri(base + "README.md")
    licence = {
        "@id": licence_id,
        "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
        "dct:type": _iri(about.LICENCE_TYPE),
        "foaf:name": _text(about.LICENCE["it"], about.LICENCE["en"]),
    }
    graph = [
        catalog,
        dataset,
        *distributions,
        _agent(about.MINISTRY, base),
        _agent(about.ANCI, base),
        contact,
        licence,
        *places,
    ]
    return {"@context": CONTEXT, "@graph": graph}
