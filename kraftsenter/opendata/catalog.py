"""The platform's open-data catalogue in DCAT-AP-NO (issue 16): what data.norge.no harvests.

Every register's public records are a ``dcat:Dataset`` with two distributions, the list page's
CSV download (``?format=csv``, with its field description as CSV on the Web metadata) and the
API's JSON list, whose access service is the API itself (``dcat:DataService`` pointing at the
OpenAPI description). Licences: NLOD 2.0 for the platform's own records, the source's licence
(SSB, Kartverket: CC BY 4.0) for the municipalities' official figures. Titles and descriptions
are language-tagged literals in bokmål, nynorsk and English, from the translation catalogues.

The graph is built with rdflib and served as Turtle or JSON-LD (``api.py``). Who publishes and
whom to contact are the installation's settings (``KRAFTSENTER_PUBLISHER_*``,
``KRAFTSENTER_CONTACT_EMAIL``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .fields import FIELDS

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
FILE_TYPE = Namespace(EU + "file-type/")
LICENCE = Namespace(EU + "licence/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
LANGUAGE = Namespace(EU + "language/")
MEDIA_TYPE = Namespace("https://www.iana.org/assignments/media-types/")
#: Norway in Geonorge's administrative units (the spatial coverage of national registers).
NORWAY = URIRef("https://data.geonorge.no/administrativeEnheter/nasjon/id/173163")
#: Where the national catalogue identifies publishers by organisation number.
ORGANISATION_CATALOGUE = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/"

NLOD = LICENCE["NLOD_2_0"]
CC_BY = LICENCE["CC_BY_4_0"]

#: The languages the catalogue's texts are written in: the tag and the UI language.
TEXT_LANGUAGES = (("nb", "nb"), ("nn", "nn"), ("en", "en"))
LANGUAGE_IRIS = (LANGUAGE["NOB"], LANGUAGE["NNO"], LANGUAGE["ENG"])


@dataclass(frozen=True)
class Dataset:
    """One register's public records as a dataset."""

    key: str
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    themes: tuple[str, ...]
    #: The list page (``namespace:name``) whose ``?format=csv`` is the CSV distribution.
    page: str | None
    #: The API list (path under /api/v1/) that is the JSON distribution.
    api_path: str
    licence: URIRef = NLOD
    frequency: str = "CONT"
    #: Newest change of the public records (None: unknown), given an anonymous request.
    modified: Callable[[HttpRequest], dt.datetime | dt.date | None] | None = None
    sources: tuple[str, ...] = field(default=())


def _list_view_newest(page: str) -> Callable[[HttpRequest], dt.datetime | None]:
    """The newest ``updated_at`` of what the list page shows an anonymous visitor."""

    def newest(request: HttpRequest) -> dt.datetime | None:
        view_class = _list_view(page)
        view = view_class()
        view.request = request
        queryset = view.get_base_queryset().order_by()
        return queryset.aggregate(newest=Max("updated_at"))["newest"]

    return newest


def _places_newest(request: HttpRequest) -> dt.datetime | None:
    from kraftsenter.core.models import DataImport

    return DataImport.objects.aggregate(newest=Max("finished_at"))["newest"]


def _list_view(page: str) -> Any:
    from django.urls import resolve

    return resolve(reverse(page)).func.view_class  # type: ignore[attr-defined]


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        key="municipalities",
        title=_("Municipalities with official figures"),
        description=_(
            "Norway's current municipalities with number, name, county, SSB's centrality "
            "class, population on 1 January and membership of the administrative area for Sami "
            "languages, as imported from Statistics Norway and Kartverket."
        ),
        keywords=(_("municipality"), _("population"), _("centrality")),
        themes=("REGI", "GOVE"),
        page="places:municipality-list",
        api_path="municipalities",
        licence=CC_BY,
        frequency="ANNUAL",
        modified=_places_newest,
        sources=("https://www.ssb.no/", "https://www.kartverket.no/"),
    ),
    Dataset(
        key="organisations",
        title=_("Organisations"),
        description=_(
            "The public bodies, Sami interests, businesses, research institutions and voluntary "
            "organisations registered on the platform, with organisation number and municipality."
        ),
        keywords=(_("organisation"), _("Enhetsregisteret")),
        themes=("GOVE",),
        page="actors:organisation-list",
        api_path="organisations",
    ),
    Dataset(
        key="cooperations",
        title=_("Inter-municipal cooperations"),
        description=_(
            "The register of inter-municipal cooperations under kommuneloven chapters 17–20 and "
            "the IKS act: legal form, participants, areas, status and start date."
        ),
        keywords=(_("inter-municipal cooperation"), _("IKS"), _("regional council")),
        themes=("GOVE", "REGI"),
        page="cooperations:cooperation-list",
        api_path="cooperations",
    ),
    Dataset(
        key="plans",
        title=_("Plans and planning strategies"),
        description=_(
            "Regional and municipal planning strategies and plans under the Planning and "
            "Building Act: owner, election period, status, adoption date and legal warnings."
        ),
        keywords=(_("planning strategy"), _("plan")),
        themes=("GOVE", "REGI"),
        page="agreements:plan-list",
        api_path="plans",
    ),
    Dataset(
        key="partnerships",
        title=_("Partnerships"),
        description=_("Regional partnerships with their lead organisation and members."),
        keywords=(_("partnership"),),
        themes=("GOVE", "REGI"),
        page="agreements:partnership-list",
        api_path="partnerships",
    ),
    Dataset(
        key="agreements",
        title=_("Agreements"),
        description=_(
            "Agreements between public bodies and their partners (town agreements, regional "
            "deals): parties, period, status and whether they are binding."
        ),
        keywords=(_("agreement"), _("regional deal")),
        themes=("GOVE", "REGI"),
        page="agreements:agreement-list",
        api_path="agreements",
    ),
    Dataset(
        key="commitments",
        title=_("Commitments in agreements"),
        description=_(
            "What each party has committed to in an agreement: deadline, budget and status with "
            "the reason given."
        ),
        keywords=(_("commitment"), _("follow-up")),
        themes=("GOVE", "REGI"),
        page="agreements:commitment-list",
        api_path="commitments",
    ),
    Dataset(
        key="consultations",
        title=_("Consultations with Sami interests"),
        description=_(
            "The public part of the consultation register under sameloven chapter 4: the case, "
            "the authority, the municipalities it concerns and where the consultation stands. "
            "Cases exempt from public access (offentleglova) are not included."
        ),
        keywords=(_("consultation"), _("Sami Parliament"), _("sameloven")),
        themes=("GOVE", "SOCI"),
        page="consultations:consultation-list",
        api_path="consultations",
    ),
    Dataset(
        key="ownership-interests",
        title=_("Ownership interests of municipalities and county municipalities"),
        description=_(
            "The ownership register of kommuneloven § 26-1: companies and bodies owned, the "
            "share, the purpose and the decision."
        ),
        keywords=(_("ownership"), _("kommuneloven § 26-1")),
        themes=("GOVE", "ECON"),
        page="ownership:interest-list",
        api_path="ownership-interests",
    ),
    Dataset(
        key="ownership-statements",
        title=_("Ownership statements and plans for ownership control"),
        description=_(
            "The council documents on ownership each municipality adopts in every election "
            "period: kind, adoption date, adopting body and case reference."
        ),
        keywords=(_("ownership statement"), _("ownership control")),
        themes=("GOVE", "ECON"),
        page="ownership:statement-list",
        api_path="ownership-statements",
    ),
)

BY_KEY = {d.key: d for d in DATASETS}


def base_url(request: HttpRequest) -> str:
    """The installation's address without a trailing slash (KRAFTSENTER_SITE_URL if set)."""
    configured = getattr(settings, "KRAFTSENTER_SITE_URL", "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def _texts(graph: Graph, subject: Any, predicate: URIRef, text: Promise | str) -> None:
    """The text once per catalogue language it is translated into, each tagged.

    English is the source text; a Norwegian variant is written only when its catalogue
    translates the text (nynorsk falls back to bokmål, so it is left out where it equals it).
    """
    values: dict[str, str] = {}
    for tag, code in TEXT_LANGUAGES:
        with translation.override(code):
            values[tag] = str(text)
    for tag, value in values.items():
        if not value or (tag == "nb" and value == values["en"]):
            continue
        if tag == "nn" and value in (values["nb"], values["en"]):
            continue
        graph.add((subject, predicate, Literal(value, lang=tag)))


def _date(value: dt.datetime | dt.date) -> Literal:
    if isinstance(value, dt.datetime):
        value = value.date()
    return Literal(value.isoformat(), datatype=XSD.date)


def anonymous(request: HttpRequest) -> HttpRequest:
    """A copy of the request as an anonymous visitor: the catalogue describes public records."""
    anon = HttpRequest()
    anon.META = dict(request.META)
    anon.method = "GET"
    anon.user = AnonymousUser()
    return anon


def build(request: HttpRequest) -> Graph:
    """The catalogue as an RDF graph."""
    base = base_url(request)
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("dcatap", DCATAP)

    catalog = URIRef(f"{base}/api/v1/catalog")
    publisher = _publisher(graph, base)
    contact = _contact(graph, base)
    service = _service(graph, base, publisher, contact)
    anon = anonymous(request)

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, _("Kraftsenter: open data"))
    _texts(
        graph,
        catalog,
        DCTERMS.description,
        _(
            "The public registers of the Kraftsenter collaboration platform: municipalities, "
            "organisations, inter-municipal cooperations, plans, agreements and commitments, "
            "consultations with Sami interests and ownership registers."
        ),
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, DCAT.contactPoint, contact))
    graph.add((catalog, FOAF.homepage, URIRef(f"{base}/")))
    graph.add((catalog, DCTERMS.license, NLOD))
    graph.add((catalog, DCTERMS.spatial, NORWAY))
    graph.add((catalog, DCAT.service, service))
    for language in LANGUAGE_IRIS:
        graph.add((catalog, DCTERMS.language, language))

    newest: dt.datetime | dt.date | None = None
    for dataset in DATASETS:
        subject = URIRef(f"{base}/api/v1/catalog/datasets/{dataset.key}")
        graph.add((catalog, DCAT.dataset, subject))
        graph.add((service, DCAT.servesDataset, subject))
        modified = dataset.modified(anon) if dataset.modified else _newest(dataset, anon)
        if modified is not None:
            newest = max(newest, modified, key=_as_date) if newest else modified
        _dataset(graph, dataset, subject, base, publisher, contact, service, modified)
    if newest is not None:
        graph.add((catalog, DCTERMS.modified, _date(newest)))
    return graph


def _as_date(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _newest(dataset: Dataset, request: HttpRequest) -> dt.datetime | None:
    return _list_view_newest(dataset.page)(request) if dataset.page else None


def _publisher(graph: Graph, base: str) -> URIRef:
    number = getattr(settings, "KRAFTSENTER_PUBLISHER_ORGNR", "")
    name = getattr(settings, "KRAFTSENTER_PUBLISHER_NAME", "") or "Kraftsenter"
    subject = URIRef(ORGANISATION_CATALOGUE + number) if number else URIRef(f"{base}/#publisher")
    graph.add((subject, RDF.type, FOAF.Agent))
    graph.add((subject, FOAF.name, Literal(name, lang="nb")))
    if number:
        graph.add((subject, DCTERMS.identifier, Literal(number)))
    return subject


def _contact(graph: Graph, base: str) -> BNode:
    """Whom to write to: KRAFTSENTER_CONTACT_EMAIL, else the site's feedback form."""
    contact = BNode("contact")
    graph.add((contact, RDF.type, VCARD.Organization))
    name = getattr(settings, "KRAFTSENTER_PUBLISHER_NAME", "") or "Kraftsenter"
    graph.add((contact, VCARD.fn, Literal(name, lang="nb")))
    email = getattr(settings, "KRAFTSENTER_CONTACT_EMAIL", "")
    if email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    graph.add((contact, VCARD.hasURL, URIRef(base + reverse("accessibility"))))
    return contact


def _service(graph: Graph, base: str, publisher: URIRef, contact: BNode) -> URIRef:
    service = URIRef(f"{base}/api/v1/")
    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, _("Kraftsenter API"))
    _texts(
        graph,
        service,
        DCTERMS.description,
        _("The platform's REST API: every register's public records as JSON, paginated."),
    )
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, URIRef(f"{base}/api/v1/openapi.json")))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://spec.openapis.org/oas/v3.1.0")))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.contactPoint, contact))
    graph.add((service, DCTERMS.license, NLOD))
    return service


def _dataset(
    graph: Graph,
    dataset: Dataset,
    subject: URIRef,
    base: str,
    publisher: URIRef,
    contact: BNode,
    service: URIRef,
    modified: dt.datetime | dt.date | None,
) -> None:
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.identifier, Literal(str(subject))))
    _texts(graph, subject, DCTERMS.title, dataset.title)
    _texts(graph, subject, DCTERMS.description, dataset.description)
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((subject, DCAT.contactPoint, contact))
    for theme in dataset.themes:
        graph.add((subject, DCAT.theme, THEME[theme]))
    for keyword in dataset.keywords:
        _texts(graph, subject, DCAT.keyword, keyword)
    graph.add((subject, DCTERMS.accessRights, ACCESS_RIGHT["PUBLIC"]))
    graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCY[dataset.frequency]))
    graph.add((subject, DCTERMS.spatial, NORWAY))
    for language in LANGUAGE_IRIS[:1]:
        graph.add((subject, DCTERMS.language, language))
    for source in dataset.sources:
        graph.add((subject, DCTERMS.source, URIRef(source)))
    if modified is not None:
        graph.add((subject, DCTERMS.modified, _date(modified)))
    if dataset.page:
        page = base + reverse(dataset.page)
        graph.add((subject, DCAT.landingPage, URIRef(page)))
        csv = URIRef(f"{subject}/csv")
        graph.add((subject, DCAT.distribution, csv))
        graph.add((csv, RDF.type, DCAT.Distribution))
        _texts(graph, csv, DCTERMS.title, _("CSV download"))
        _texts(
            graph,
            csv,
            DCTERMS.description,
            _(
                "Semicolon-separated UTF-8 with a byte-order mark and a header row; the "
                "columns are described in the CSV on the Web metadata (conformsTo)."
            ),
        )
        download = URIRef(f"{page}?format=csv")
        graph.add((csv, DCAT.accessURL, download))
        graph.add((csv, DCAT.downloadURL, download))
        graph.add((csv, DCTERMS.format, FILE_TYPE["CSV"]))
        graph.add((csv, DCAT.mediaType, MEDIA_TYPE["text/csv"]))
        graph.add((csv, DCTERMS.license, dataset.licence))
        metadata = URIRef(f"{subject}/csv-metadata")
        graph.add((csv, DCTERMS.conformsTo, metadata))
        graph.add((csv, FOAF.page, metadata))
    json = URIRef(f"{subject}/json")
    graph.add((subject, DCAT.distribution, json))
    graph.add((json, RDF.type, DCAT.Distribution))
    _texts(graph, json, DCTERMS.title, _("JSON through the API"))
    _texts(
        graph,
        json,
        DCTERMS.description,
        _(
            "The API's paginated list (page, page_size up to 200), described in the OpenAPI "
            "document."
        ),
    )
    graph.add((json, DCAT.accessURL, URIRef(f"{base}/api/v1/{dataset.api_path}")))
    graph.add((json, DCAT.accessService, service))
    graph.add((json, DCTERMS.format, FILE_TYPE["JSON"]))
    graph.add((json, DCAT.mediaType, MEDIA_TYPE["application/json"]))
    graph.add((json, DCTERMS.license, dataset.licence))
    graph.add((json, DCTERMS.conformsTo, URIRef(f"{base}/api/v1/openapi.json")))


def csv_metadata(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """CSV on the Web (W3C CSVW) table metadata for the dataset's CSV download."""
    base = base_url(request)
    assert dataset.page is not None
    with translation.override("nb"):
        title = str(dataset.title)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "nb"}],
        "url": base + reverse(dataset.page) + "?format=csv",
        "dc:title": title,
        "dc:license": {"@id": str(dataset.licence)},
        "dialect": {"delimiter": ";", "encoding": "utf-8", "header": True},
        "tableSchema": {
            "columns": [
                {
                    "name": column.name,
                    "titles": column.name,
                    "datatype": column.datatype,
                    "dc:description": {"@value": column.description, "@language": "en"},
                }
                for column in FIELDS[dataset.key]
            ],
            **({"primaryKey": "id"} if FIELDS[dataset.key][0].name == "id" else {}),
        },
    }
