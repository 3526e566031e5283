"""The OpenAPI description as an integrator's code generator reads it: valid OpenAPI, every
operation written up in English, every coded field an ``enum``, every date ``format: date``,
one naming of path parameters, and the browsable docs served without the network."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db
METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
# Everyday Norwegian words give a description away as not English (names and legal terms such
# as "bokmål" or "plan- og bygningsloven" are quoted in backticks or italics and skipped).
NORWEGIAN = re.compile(r"\b(og|ikke|eller|skal|må|blir|ble|har|av|fra|ved|etter|som)\b")
QUOTED = re.compile(r"`[^`]*`|\*[^*]*\*|“[^”]*”|\([^)]*§[^)]*\)")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict[str, Any]:
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def operations(schema: dict[str, Any]):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def properties(schema: dict[str, Any]):
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in (component.get("properties") or {}).items():
            yield name, prop, spec


def test_the_description_is_valid_openapi(schema):
    validate(schema)  # raises, naming the place, when the document breaks the specification


def test_every_operation_is_written_up_in_english(schema):
    generated, norwegian = [], []
    for path, method, op in operations(schema):
        summary, description = op.get("summary", ""), op.get("description", "")
        # ninja makes "List Organisations" from a function called list_organisations.
        if not summary or not description or summary == op["operationId"].replace("_", " ").title():
            generated.append(f"{method.upper()} {path}")
        if NORWEGIAN.search(QUOTED.sub("", f"{summary} {description}")):
            norwegian.append(f"{method.upper()} {path}: {summary}")
    assert not generated, f"operations without a written summary and description: {generated}"
    assert not norwegian, f"operations described in Norwegian: {norwegian}"


def test_path_parameters_have_one_naming(schema):
    # A record is {id} (a region {slug}, a municipality or county {number}); parts are
    # {<part>_id}. Never {pk}, {org_id} or {organisation_pk}.
    allowed = re.compile(r"^(id|slug|number|code|name|[a-z]+_id)$")
    bad = {
        f"{path} {{{p}}}"
        for path in schema["paths"]
        for p in re.findall(r"{([^}]+)}", path)
        if not allowed.match(p) or p in {"pk", "org_id"}
    }
    assert not bad, f"path parameters outside the naming: {sorted(bad)}"


def test_every_date_is_format_date_and_every_time_date_time(schema):
    wrong = []
    for name, prop, spec in properties(schema):
        types = [spec] + list(spec.get("anyOf", []))
        formats = {t.get("format") for t in types}
        named_as_date = prop.endswith(("_on", "_date", "_from", "_until", "_by"))
        if (
            (named_as_date or prop in {"date", "due"})
            and formats & {"date-time", None}
            and "date" not in formats
            and any(t.get("type") == "string" for t in types)
        ):
            wrong.append(f"{name}.{prop}")
    assert not wrong, f"dates without format: date: {wrong}"


def test_coded_fields_are_enums(schema):
    # The fields that carry a code list's code in any register. A plain string here means the
    # allowed values appear only in prose, which is what the issue found (0 of 752 enums).
    coded = {"kind", "status", "level", "legal_form", "area", "role", "scope", "action"}
    plain = []
    for name, prop, spec in properties(schema):
        if prop not in coded or name.startswith(("FieldError", "Error", "ChangeRecord", "Change")):
            continue
        types = [spec] + list(spec.get("anyOf", [])) + [spec.get("items", {})]
        if any(t.get("type") == "integer" for t in types):
            continue  # an HTTP status, not a code
        if not any("enum" in t or "$ref" in t or "const" in t for t in types):
            plain.append(f"{name}.{prop}")
    assert not plain, f"coded fields without an enum: {plain}"


def test_the_docs_page_loads_its_assets_from_this_site(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets, "the docs page loads the Swagger UI"
    assert all(a.startswith("/") for a in assets), f"assets from another site: {assets}"
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_no_two_schemas_share_a_name(schema):
    # ninja names a component by its class name: a second class of the same name in another app
    # silently replaces the first in the description (found by Schemathesis: one register's
    # DocumentOut described another's documents).
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        module = cls.__module__
        if module.startswith(("kraftsenter.", "config.")) and ".tests" not in module:
            seen.setdefault(cls.__name__, set()).add(f"{module}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert not shared, f"schemas that share a name: {shared}"


# Request bodies whose schema lives in a module this test's author does not own yet; each name
# here must lack its example (the test fails when one gets it: then remove it from the list).
EXAMPLE_PENDING: dict[str, str] = {}


def request_bodies(schema: dict[str, Any]):
    """(operation, media type, the body's schema, its component name or None if inline)."""
    for path, method, op in operations(schema):
        for media, content in (op.get("requestBody") or {}).get("content", {}).items():
            body = content["schema"]
            ref = body.get("$ref", "")
            name = ref.rsplit("/", 1)[-1] if ref else None
            yield f"{method.upper()} {path}", media, body, name


def test_every_request_body_has_an_example_that_validates_against_its_schema(schema):
    from jsonschema import Draft202012Validator
    from ninja import Schema

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    classes = {c.__name__: c for c in subclasses(Schema) if c.__module__.startswith("kraftsenter.")}
    components = schema["components"]
    without, invalid, checked = [], [], set()
    for operation, media, body, name in request_bodies(schema):
        spec = components["schemas"][name] if name else body
        examples = spec.get("examples") or []
        if not examples:
            if name not in EXAMPLE_PENDING:
                without.append(f"{operation} ({name or media})")
            continue
        checked.add(name)
        # Against the schema as published (formats too: a date must be a date) …
        validator = Draft202012Validator(
            {
                "components": components,
                **({"$ref": f"#/components/schemas/{name}"} if name else body),
            },
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for example in examples:
            problems = [
                f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(example)
            ]
            # … and against the code that parses it (bounds, codes, strictness).
            if name in classes:
                try:
                    classes[name].model_validate(example)
                except ValueError as exc:
                    problems.append(str(exc))
            if problems:
                invalid.append(f"{operation} ({name}): {problems}")
    assert not without, f"request bodies without an example: {without}"
    assert not invalid, f"examples their own schema refuses: {invalid}"
    pending = set(EXAMPLE_PENDING) & checked
    assert not pending, f"these have an example now; remove them from EXAMPLE_PENDING: {pending}"


def test_request_examples_name_only_organisation_numbers_of_the_reference_list(schema):
    import csv
    from pathlib import Path

    from django.conf import settings

    reference = Path(settings.BASE_DIR) / "kraftsenter" / "actors" / "reference_organisations.csv"
    known = {row["organisation_number"] for row in csv.DictReader(reference.open(encoding="utf-8"))}
    invented = []
    for operation, _media, body, name in request_bodies(schema):
        spec = schema["components"]["schemas"][name] if name else body
        text = json.dumps(spec.get("examples") or [], ensure_ascii=False)
        invented += [f"{operation}: {n}" for n in re.findall(r'"(\d{9})"', text) if n not in known]
    assert not invented, f"organisation numbers not in reference_organisations.csv: {invented}"
