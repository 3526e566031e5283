"""Municipality boundaries as GeoJSON (RFC 7946), for people who want them in their own GIS.

The boundaries are stored as GeoJSON geometries in WGS84 longitude/latitude (Kartverket's
ETRS89 degrees, which RFC 7946 section 4 accepts as WGS84). On the way out every ring is
closed, its positions are rounded to six decimals (about 0.1 m, RFC 7946 section 11.2) and it
is turned to follow the right-hand rule of RFC 7946 section 3.1.6 (exterior rings
counterclockwise, holes clockwise). A municipality without an imported boundary is a feature
with ``"geometry": null`` (RFC 7946 section 3.2), so that the list of municipalities is whole
either way. The response's media type is ``application/geo+json`` (RFC 7946 section 12).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from .models import County, Municipality

MEDIA_TYPE = "application/geo+json"
PRECISION = 6

Ring = list[list[float]]


def _area2(ring: Ring) -> float:
    """Twice the signed area (shoelace): positive when the ring runs counterclockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True))


def _ring(ring: Ring, exterior: bool) -> Ring:
    out = [[round(float(p[0]), PRECISION), round(float(p[1]), PRECISION)] for p in ring]
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    if (_area2(out) > 0) != exterior:
        out.reverse()
    return out


def _polygon(rings: list[Ring]) -> list[Ring]:
    return [_ring(r, index == 0) for index, r in enumerate(rings)]


def geometry(boundary: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored (Multi)Polygon, closed, rounded and oriented by RFC 7946; None stays None."""
    if not boundary:
        return None
    if boundary["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(boundary["coordinates"])}
    if boundary["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [_polygon(p) for p in boundary["coordinates"]],
        }
    return None  # not an area: nothing to draw


def _bbox(features: list[dict[str, Any]]) -> list[float] | None:
    points = [
        p
        for f in features
        if f["geometry"]
        for polygon in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Polygon"
            else f["geometry"]["coordinates"]
        )
        for ring in polygon
        for p in ring
    ]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def feature(municipality: Municipality, properties: dict[str, Any]) -> dict[str, Any]:
    """One municipality, identified by its number."""
    return {
        "type": "Feature",
        "id": municipality.number,
        "geometry": geometry(municipality.boundary),
        "properties": properties,
    }


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection with its bounding box (when any feature has a geometry) and the
    given foreign members (RFC 7946 section 6.1: name, indicator, source …)."""
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    bbox = _bbox(features)
    if bbox is not None:
        collection["bbox"] = bbox
    collection.update(members)
    collection["features"] = features
    return collection


def county_geojson(county: County) -> dict[str, Any]:
    """The county's current municipalities by number: number, name and boundary."""
    municipalities = Municipality.objects.filter(county=county, valid_to__isnull=True).only(
        "number", "name", "boundary"
    )
    features = [
        feature(m, {"number": m.number, "name": m.name}) for m in municipalities.order_by("number")
    ]
    return feature_collection(features, name=county.name_nb, county=county.number)


def response(collection: dict[str, Any]) -> HttpResponse:
    """The collection as ``application/geo+json`` (compact, UTF-8)."""
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type=f"{MEDIA_TYPE}; charset=utf-8")


# --- The OpenAPI description -------------------------------------------------------------------

_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
_RING = {"type": "array", "items": _POSITION, "minItems": 4}
_POLYGON = {"type": "array", "items": _RING}
GEOMETRY_SCHEMA: dict[str, Any] = {
    "description": "The boundary in WGS84 longitude/latitude: a `Polygon` or `MultiPolygon` "
    "(exterior rings counterclockwise), or null when no boundary has been imported.",
    "anyOf": [
        {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["Polygon"]},
                "coordinates": _POLYGON,
            },
            "required": ["type", "coordinates"],
        },
        {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["MultiPolygon"]},
                "coordinates": {"type": "array", "items": _POLYGON},
            },
            "required": ["type", "coordinates"],
        },
        {"type": "null"},
    ],
}


def openapi_extra(
    properties: dict[str, Any], members: dict[str, Any], example: dict[str, Any]
) -> dict[str, Any]:
    """The 200 response as ``application/geo+json``: a FeatureCollection whose features carry
    ``properties`` and whose collection carries the foreign ``members``."""
    schema = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "bbox": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 4,
                "maxItems": 4,
                "description": "West, south, east, north; absent when no feature has a geometry.",
            },
            **members,
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "string", "description": "The municipality number."},
                        "geometry": GEOMETRY_SCHEMA,
                        "properties": {
                            "type": "object",
                            "properties": properties,
                            "required": list(properties),
                        },
                    },
                    "required": ["type", "id", "geometry", "properties"],
                },
            },
        },
        "required": ["type", "features", *members],
        "examples": [example],
    }
    return {
        "responses": {
            200: {
                "description": "An RFC 7946 FeatureCollection.",
                "content": {MEDIA_TYPE: {"schema": schema}},
            }
        }
    }
