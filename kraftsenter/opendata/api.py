"""``/api/v1/catalog``: the DCAT-AP-NO catalogue as Turtle or JSON-LD, each dataset's
description at its own address, and the CSV downloads' field descriptions (CSVW)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field
from rdflib import Graph, URIRef

from kraftsenter.core.api import ErrorOut

from . import catalog

router = Router(tags=["open data"])

TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
CSVW = "application/csvm+json"


class FormatQuery(Schema):
    format: Annotated[
        Literal["turtle", "jsonld"] | None,
        Field(
            None,
            description="`turtle` or `jsonld`; without it the `Accept` header decides "
            "(`text/turtle` or `application/ld+json`), and Turtle is the default.",
        ),
    ] = None


def _wants_json_ld(request: HttpRequest, chosen: str | None) -> bool:
    if chosen:
        return chosen == "jsonld"
    accept = request.headers.get("Accept", "")
    return JSON_LD in accept and TURTLE not in accept


def _rdf_response(request: HttpRequest, graph: Graph, chosen: str | None) -> HttpResponse:
    if _wants_json_ld(request, chosen):
        body = graph.serialize(format="json-ld", auto_compact=True, indent=1)
        response = HttpResponse(body, content_type=f"{JSON_LD}; charset=utf-8")
    else:
        response = HttpResponse(
            graph.serialize(format="turtle"), content_type=f"{TURTLE}; charset=utf-8"
        )
    response["Vary"] = "Accept"
    return response


def _rdf_openapi(example: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": "DCAT-AP-NO (RDF).",
                "content": {
                    TURTLE: {"schema": {"type": "string"}, "example": example},
                    JSON_LD: {"schema": {"type": "object"}},
                },
            }
        }
    }


CATALOG_EXAMPLE = (
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    "<https://kraftsenter.example/api/v1/catalog> a dcat:Catalog ;\n"
    "    dcat:dataset <https://kraftsenter.example/api/v1/catalog/datasets/cooperations> .\n"
)


@router.get(
    "/catalog",
    response={200: None},
    summary="The open-data catalogue (DCAT-AP-NO)",
    description="The platform's public datasets as a DCAT-AP-NO catalogue that data.norge.no "
    "can harvest: each register's public records as a dataset with a CSV and a JSON "
    "distribution, licence (NLOD 2.0 for the platform's own records; the source's licence for "
    "official statistics), publisher, contact point, update frequency, and this API as the "
    "access service. Turtle by default; JSON-LD with `format=jsonld` or `Accept: "
    "application/ld+json`.",
    operation_id="get_catalog",
    openapi_extra=_rdf_openapi(CATALOG_EXAMPLE),
)
def get_catalog(request: HttpRequest, params: Query[FormatQuery]) -> HttpResponse:
    return _rdf_response(request, catalog.build(request), params.format)


def _dataset(key: str) -> catalog.Dataset:
    dataset = catalog.BY_KEY.get(key)
    if dataset is None:
        raise Http404
    return dataset


@router.get(
    "/catalog/datasets/{slug}",
    response={200: None, 404: ErrorOut},
    summary="One dataset of the catalogue",
    description="The description of one dataset (its identifier in the catalogue) with its "
    "distributions, in Turtle or JSON-LD. Datasets: "
    + ", ".join(f"`{d.key}`" for d in catalog.DATASETS)
    + ". 404 for another.",
    operation_id="get_catalog_dataset",
    openapi_extra=_rdf_openapi(CATALOG_EXAMPLE),
)
def get_catalog_dataset(
    request: HttpRequest, slug: str, params: Query[FormatQuery]
) -> HttpResponse:
    _dataset(slug)
    graph = catalog.build(request)
    subject = URIRef(f"{catalog.base_url(request)}/api/v1/catalog/datasets/{slug}")
    described = Graph()
    for prefix, namespace in graph.namespaces():
        described.bind(prefix, namespace)
    for triple in graph.cbd(subject):
        described.add(triple)
    # The distributions are resources of their own: describe them too.
    for distribution in graph.objects(subject, catalog.DCAT.distribution):
        for triple in graph.cbd(distribution):
            described.add(triple)
    return _rdf_response(request, described, params.format)


@router.get(
    "/catalog/datasets/{slug}/csv-metadata",
    response={200: None, 404: ErrorOut},
    summary="What the columns of a dataset's CSV download mean",
    description="W3C CSV on the Web table metadata (`application/csvm+json`) for the dataset's "
    "CSV download: the dialect (semicolon, UTF-8, header row) and every column's name, "
    "datatype and description. 404 for a dataset without a CSV download.",
    operation_id="get_catalog_csv_metadata",
    openapi_extra={
        "responses": {
            "200": {
                "description": "CSVW table metadata.",
                "content": {CSVW: {"schema": {"type": "object"}}},
            }
        }
    },
)
def get_csv_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = _dataset(slug)
    if dataset.page is None:
        raise Http404
    body = json.dumps(catalog.csv_metadata(request, dataset), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type=f"{CSVW}; charset=utf-8")
