"""The open-data catalogue: valid DCAT-AP-NO (pySHACL), both serialisations, what it lists."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

from kraftsenter.opendata import catalog
from kraftsenter.opendata.fields import FIELDS

SHAPES = Path(__file__).parent / "data" / "dcat-ap-no-shapes.ttl"
BASE = "http://testserver"


def _conforms(graph: Graph) -> tuple[bool, str]:
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _, text = validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text


@pytest.fixture
def records(orgs, ipr_data):
    from kraftsenter.cooperations.services import cooperation_create

    cooperation_create(actor="t", **ipr_data)
    return orgs


def _turtle(client, **kwargs) -> Graph:
    response = client.get("/api/v1/catalog", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.content.decode(), format="turtle")


def test_catalogue_conforms_to_dcat_ap_no_in_turtle_and_json_ld(client, records):
    turtle = _turtle(client)
    conforms, report = _conforms(turtle)
    assert conforms, report

    response = client.get("/api/v1/catalog", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    json_ld = Graph().parse(data=response.content.decode(), format="json-ld")
    assert _conforms(json_ld)[0]
    # The same statements either way (blank nodes aside).
    assert len(json_ld) == len(turtle)
    assert client.get("/api/v1/catalog", {"format": "jsonld"})["Content-Type"].startswith(
        "application/ld+json"
    )


def test_the_shapes_catch_a_catalogue_that_breaks_the_profile(client, records):
    """The validation is real: remove what DCAT-AP-NO requires and it fails, naming it."""
    graph = _turtle(client)
    dataset = URIRef(f"{BASE}/api/v1/catalog/datasets/cooperations")
    graph.remove((dataset, catalog.DCAT.theme, None))
    graph.add((dataset, catalog.DCTERMS.title, Literal("Samarbeid, andre gang", lang="nb")))
    conforms, report = _conforms(graph)
    assert not conforms
    assert "theme" in report and "title" in report


def test_every_register_is_a_dataset_with_csv_and_json(client, records):
    graph = _turtle(client)
    catalogue = URIRef(f"{BASE}/api/v1/catalog")
    datasets = set(graph.objects(catalogue, catalog.DCAT.dataset))
    assert datasets == {URIRef(f"{BASE}/api/v1/catalog/datasets/{d.key}") for d in catalog.DATASETS}
    for dataset in catalog.DATASETS:
        subject = URIRef(f"{BASE}/api/v1/catalog/datasets/{dataset.key}")
        distributions = list(graph.objects(subject, catalog.DCAT.distribution))
        formats = {
            str(graph.value(d, catalog.DCTERMS.format)).rsplit("/", 1)[1] for d in distributions
        }
        assert formats == {"CSV", "JSON"}, dataset.key
        titles = {lit.language for lit in graph.objects(subject, catalog.DCTERMS.title)}
        assert {"nb", "en"} <= titles


def test_distribution_addresses_answer_with_the_data(client, records):
    """Follow the catalogue as a harvester would: every access URL serves its records."""
    graph = _turtle(client)
    for distribution in graph.subjects(catalog.RDF.type, catalog.DCAT.Distribution):
        url = str(graph.value(distribution, catalog.DCAT.accessURL)).removeprefix(BASE)
        response = client.get(url)
        assert response.status_code == 200, url
        if str(graph.value(distribution, catalog.DCTERMS.format)).endswith("CSV"):
            assert response["Content-Type"].startswith("text/csv")
        else:
            assert "items" in response.json()
    # The cooperation we registered is in its CSV.
    body = b"".join(client.get(reverse("cooperations:cooperation-list") + "?format=csv"))
    assert "Hamarregionen interkommunalt politisk råd" in body.decode("utf-8-sig")


def test_licences_follow_the_source(client, records):
    graph = _turtle(client)
    for dataset in catalog.DATASETS:
        subject = URIRef(f"{BASE}/api/v1/catalog/datasets/{dataset.key}")
        licences = {
            graph.value(d, catalog.DCTERMS.license)
            for d in graph.objects(subject, catalog.DCAT.distribution)
        }
        expected = catalog.CC_BY if dataset.key == "municipalities" else catalog.NLOD
        assert licences == {expected}, dataset.key


def test_publisher_and_contact_come_from_the_settings(client, records, settings):
    settings.KRAFTSENTER_PUBLISHER_NAME = "Innlandet fylkeskommune"
    settings.KRAFTSENTER_PUBLISHER_ORGNR = "920717152"
    settings.KRAFTSENTER_CONTACT_EMAIL = "data@innlandetfylke.no"
    settings.KRAFTSENTER_SITE_URL = "https://samarbeid.innlandetfylke.no"
    graph = _turtle(client)
    publisher = URIRef(catalog.ORGANISATION_CATALOGUE + "920717152")
    catalogue = URIRef("https://samarbeid.innlandetfylke.no/api/v1/catalog")
    assert graph.value(catalogue, catalog.DCTERMS.publisher) == publisher
    assert str(graph.value(publisher, catalog.DCTERMS.identifier)) == "920717152"
    contact = graph.value(catalogue, catalog.DCAT.contactPoint)
    assert graph.value(contact, catalog.VCARD.hasEmail) == URIRef("mailto:data@innlandetfylke.no")
    assert _conforms(graph)[0]


def test_the_catalogue_describes_public_records_only(client, records, django_user_model):
    """A logged-in editor gets the same catalogue as anyone: it never reveals more."""
    anonymous = _turtle(client)
    user = django_user_model.objects.create_user("redaktor", password="x")
    client.force_login(user)
    assert len(_turtle(client)) == len(anonymous)


def test_dataset_address_resolves_to_its_description(client, records):
    response = client.get("/api/v1/catalog/datasets/cooperations")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    subject = URIRef(f"{BASE}/api/v1/catalog/datasets/cooperations")
    assert (subject, catalog.RDF.type, catalog.DCAT.Dataset) in graph
    assert len(list(graph.subjects(catalog.RDF.type, catalog.DCAT.Distribution))) == 2
    assert client.get("/api/v1/catalog/datasets/nope").status_code == 404


def test_every_csv_column_is_described(client, records):
    """Each CSV distribution's field description covers exactly the columns it writes."""
    for dataset in catalog.DATASETS:
        view = resolve(reverse(dataset.page)).func.view_class
        written = [name for name, _ in view.csv_columns]
        assert [f.name for f in FIELDS[dataset.key]] == written, dataset.key
        response = client.get(f"/api/v1/catalog/datasets/{dataset.key}/csv-metadata")
        assert response["Content-Type"].startswith("application/csvm+json")
        metadata = json.loads(response.content)
        columns = metadata["tableSchema"]["columns"]
        assert [c["name"] for c in columns] == written
        assert all(c["dc:description"]["@value"] for c in columns)
        # The header row of the real download is what the metadata says.
        body = b"".join(client.get(metadata["url"].removeprefix(BASE)))
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        assert header == written, dataset.key


@pytest.mark.parametrize(
    "query", [{"format": "xml"}, {"format": ""}, {"format": "jsonld", "extra": "1"}]
)
def test_unknown_format_is_refused_with_a_problem(client, db, query):
    response = client.get("/api/v1/catalog", query)
    if "extra" in query:
        # Unknown query parameters are ignored on reads, as on every list.
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "format"


def test_an_invalid_publisher_number_fails_the_system_check(settings):
    from kraftsenter.opendata.checks import check_publisher

    settings.KRAFTSENTER_PUBLISHER_ORGNR = "920717153"  # wrong check digit
    assert [e.id for e in check_publisher()] == ["opendata.E001"]
    settings.KRAFTSENTER_PUBLISHER_ORGNR = "920717152"
    assert check_publisher() == []


def test_the_about_page_points_to_the_catalogue(client, db):
    html = client.get("/om/data/").content.decode()
    assert 'href="/api/v1/catalog"' in html
