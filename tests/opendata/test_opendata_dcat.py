"""catalog.jsonld parses as JSON-LD (rdflib) and carries the DCAT-AP_IT mandatory properties of
catalogue, dataset, distribution, agent, contact point and licence."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from data_access.opendata.dcat import build_catalog
from data_access.opendata.tables import ReleaseInfo

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

# DCAT-AP_IT: class -> properties a node of that class must have ("M" in the profile, plus
# the ones the issue names: contact point, language, temporal and spatial coverage).
MANDATORY = [
    (DCATAPIT.Catalog, [DCT.title, DCT.description, DCT.publisher, DCT.modified, DCAT.dataset]),
    (
        DCATAPIT.Dataset,
        [
            DCT.identifier,
            DCT.title,
            DCT.description,
            DCT.modified,
            DCAT.theme,
            DCT.rightsHolder,
            DCT.accrualPeriodicity,
            DCAT.distribution,
            DCT.publisher,
            DCAT.contactPoint,
            DCT.language,
            DCT.temporal,
            DCT.spatial,
        ],
    ),
    (DCATAPIT.Distribution, [DCAT.accessURL, DCT["format"], DCT.license]),
    (DCATAPIT.Agent, [FOAF.name, DCT.identifier]),
    (DCATAPIT.Organization, [VCARD.fn, VCARD.hasEmail]),
    (DCATAPIT.LicenseDocument, [DCT.type]),
]


@pytest.fixture(scope="module")
def graph(release_dir: Path) -> Graph:
    return Graph().parse(release_dir / "catalog.jsonld", format="json-ld")


@pytest.mark.parametrize(
    ("cls", "props"), MANDATORY, ids=[str(c).rsplit("#", 1)[-1] for c, _ in MANDATORY]
)
def test_mandatory_properties(graph: Graph, cls: URIRef, props: list[URIRef]) -> None:
    nodes = list(graph.subjects(RDF.type, cls))
    assert nodes, f"no node of class {cls}"
    for node in nodes:
        missing = [p for p in props if graph.value(node, p) is None]
        assert not missing, f"{node} lacks {missing}"


def _dataset(graph: Graph) -> URIRef:
    (node,) = graph.subjects(RDF.type, DCATAPIT.Dataset)
    return node  # type: ignore[return-value]


def test_title_and_description_in_both_languages_with_funding(graph: Graph) -> None:
    ds = _dataset(graph)
    for prop in (DCT.title, DCT.description):
        langs = {o.language for o in graph.objects(ds, prop) if isinstance(o, Literal)}
        assert langs == {"it", "en"}
    text = " ".join(str(o) for o in graph.objects(ds, DCT.description))
    assert "AMIF" in text and "FAMI" in text and "PROG-OE3846" in text
    assert all("DATI DIMOSTRATIVI" in str(o) for o in graph.objects(ds, DCT.title))


def test_rights_holder_is_the_ministry_by_ipa_code(graph: Graph) -> None:
    ds = _dataset(graph)
    holder = graph.value(ds, DCT.rightsHolder)
    assert str(graph.value(holder, DCT.identifier)) == "m_it"
    assert (holder, RDF.type, DCATAPIT.Agent) in graph
    assert str(graph.value(ds, DCT.identifier)).startswith("m_it:")
    names = {str(graph.value(c, FOAF.name)) for c in graph.objects(ds, DCT.creator)}
    assert any("ANCI" in n for n in names)


def test_vocabularies_and_licence(graph: Graph) -> None:
    ds = _dataset(graph)
    eu = "http://publications.europa.eu/resource/authority/"
    assert str(graph.value(ds, DCT.accrualPeriodicity)) == eu + "frequency/MONTHLY"
    assert {str(t) for t in graph.objects(ds, DCAT.theme)} <= {
        eu + f"data-theme/{c}" for c in ("SOCI", "GOVE", "REGI")
    }
    licences = set(graph.objects(None, DCT.license))
    assert licences == {URIRef("https://creativecommons.org/licenses/by/4.0/")}
    (licence,) = licences
    assert str(graph.value(licence, DCT.type)) == "http://purl.org/adms/licencetype/Attribution"


def test_distributions_point_at_the_release_files(graph: Graph, release_dir: Path) -> None:
    dists = list(graph.subjects(RDF.type, DCATAPIT.Distribution))
    assert len(dists) >= 8
    for dist in dists:
        url = graph.value(dist, DCAT.accessURL)
        path = Path(urlparse(str(url)).path)
        assert path.parent == release_dir and path.exists(), url
        assert int(graph.value(dist, DCAT.byteSize)) == path.stat().st_size


def test_contact_without_a_configured_address_has_no_invented_email() -> None:
    info = ReleaseInfo(
        demo=False,
        cutoff="2024-04-20",
        data_version="2024-04-20",
        publication=None,
        first_period="2022-10",
        last_period="2024-03",
        lang="en",
    )
    cities = pd.DataFrame({"city_code": ["037006"], "city": ["Bologna"]})
    doc = build_catalog(info, cities, {"observations.csv": 10}, base_url="https://x.example/od")
    g = Graph().parse(data=doc, format="json-ld")
    (contact,) = g.subjects(RDF.type, DCATAPIT.Organization)
    assert g.value(contact, VCARD.hasEmail) is None and g.value(contact, VCARD.fn) is not None
    ds = _dataset(g)
    assert all("DATI DIMOSTRATIVI" not in str(o) for o in g.objects(ds, DCT.title))
    (dist,) = g.subjects(RDF.type, DCATAPIT.Distribution)
    assert str(g.value(dist, DCAT.accessURL)) == "https://x.example/od/observations.csv"
    assert str(g.value(ds, DCAT.landingPage)) == "https://x.example/od/README.md"


MONTH_END = {"2024-01": "2024-01-31", "2024-02": "2024-02-29", "2024-03": "2024-03-31"}


def test_temporal_and_spatial_coverage(graph: Graph, release_dir: Path) -> None:
    schema = Namespace("http://schema.org/")
    ds = _dataset(graph)
    period = graph.value(ds, DCT.temporal)
    months = pd.read_csv(release_dir / "observations.csv", dtype=str)["period"]
    for start, end in ((DCAT.startDate, DCAT.endDate), (schema.startDate, schema.endDate)):
        assert str(graph.value(period, start)) == "2022-10-01" == months.min() + "-01"
        assert str(graph.value(period, end)) == MONTH_END[months.max()]
    places = {str(graph.value(p, DCT.identifier)) for p in graph.objects(ds, DCT.spatial)}
    assert "037006" in places and len(places - {"None"}) == 16
    country = URIRef("http://publications.europa.eu/resource/authority/country/ITA")
    assert (ds, DCT.spatial, country) in graph
