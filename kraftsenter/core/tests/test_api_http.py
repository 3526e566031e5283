"""The API's HTTP contract as an integrator meets it: strict input, problem details, standard
status codes and headers, conditional requests, ordering, the change feed, code lists, the
rate limit and CORS. Organisations serve as the example register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.core.testing import etag_version

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def editor(db):
    org = organisation_create(actor="t", name="Løten frivilligsentral", kind="voluntary")
    user = get_user_model().objects.create_user("redaktor", password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"org": org, "user": user, "auth": {"Authorization": f"Bearer {text}"}}


def patch(client, url, body, headers):
    return client.patch(url, body, content_type="application/json", headers=headers)


# --- strict input and problem details ---------------------------------------------------------


def test_unknown_field_is_refused_naming_it_and_nothing_changes(client, editor):
    org = editor["org"]
    response = patch(
        client,
        f"/api/v1/organisations/{org.pk}",
        {"version": 1, "websit": "https://x.no", "orgnr": "974760673"},
        editor["auth"],
    )
    body = response.json()
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert body["code"] == "unknown_field"
    assert {e["field"] for e in body["errors"]} == {"websit", "orgnr"}
    assert body["type"].endswith("/api/v1/problems/unknown_field")
    assert body["instance"] == f"/api/v1/organisations/{org.pk}" and body["status"] == 422
    org.refresh_from_db()
    assert org.version == 1 and org.website == ""


def test_a_code_outside_the_code_list_is_refused_with_the_field(client, editor):
    response = client.post(
        "/api/v1/organisations",
        {"name": "Romskipet", "kind": "spaceship"},
        content_type="application/json",
        headers=editor["auth"],
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    assert not Organisation.objects.filter(name="Romskipet").exists()


def test_problem_type_is_documented(client, db):
    body = client.get("/api/v1/problems/version_conflict").json()
    assert body["status"] == 409 and body["title"] and body["description"]


@pytest.mark.parametrize(
    "method,path,status,code",
    [
        ("get", "/api/v1/finnes-ikke", 404, "not_found"),
        ("delete", "/api/v1/organisations", 405, "method_not_allowed"),
        ("get", "/api/v1/organisations/999999", 404, "not_found"),
    ],
)
def test_every_api_error_is_problem_json(client, db, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == code


def test_a_body_too_large_is_413_problem_json_and_nothing_is_written(client, editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post(
        "/api/v1/organisations",
        {"name": "Lag", "kind": "voluntary", "description": "x" * 5_000},
        content_type="application/json",
        headers=editor["auth"],
    )
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "payload_too_large"
    assert not Organisation.objects.filter(name="Lag").exists()


def test_a_server_error_is_problem_json_with_a_request_id_and_no_internals(db, monkeypatch):
    from django.test import Client

    from kraftsenter.places import selectors

    def broken(**kwargs):  # fault injection: the database layer fails mid-request
        raise RuntimeError("secret internals: connection to 10.0.0.7 refused")

    monkeypatch.setattr(selectors, "county_list", broken)
    response = Client(raise_request_exception=False).get("/api/v1/counties")
    body = response.json()
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert body["code"] == "server_error" and body["request_id"]
    assert "secret" not in response.content.decode() and "10.0.0.7" not in body["detail"]


def test_401_says_how_to_authenticate(client, db):
    response = client.post(
        "/api/v1/organisations",
        {"name": "Lag", "kind": "voluntary"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


# --- headers and conditional requests ---------------------------------------------------------


def test_create_answers_201_with_location_and_etag(client, editor):
    response = client.post(
        "/api/v1/organisations",
        {"name": "Hamar idrettslag", "kind": "voluntary"},
        content_type="application/json",
        headers=editor["auth"],
    )
    created = Organisation.objects.get(name="Hamar idrettslag")
    assert response.status_code == 201
    assert response["Location"].endswith(f"/api/v1/organisations/{created.pk}")
    assert etag_version(response) == 1
    assert response.json()["url"].startswith("http://testserver/organisasjoner/")


def test_record_etag_if_none_match_and_if_match(client, editor):
    org, auth = editor["org"], editor["auth"]
    url = f"/api/v1/organisations/{org.pk}"
    first = client.get(url)
    assert etag_version(first) == 1 and first.has_header("Last-Modified")
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    # A change based on the ETag, without a version in the body.
    changed = patch(client, url, {"website": "https://a.no"}, {**auth, "If-Match": first["ETag"]})
    assert changed.status_code == 200 and etag_version(changed) == 2
    # The answer's ETag is what a read right after gives: it names the change just made.
    again = client.get(url)
    assert changed["ETag"] == again["ETag"] != first["ETag"]
    assert client.get(url, headers={"If-None-Match": changed["ETag"]}).status_code == 304
    # A stale If-Match is 412, and nothing changes.
    stale = patch(client, url, {"website": "https://b.no"}, {**auth, "If-Match": '"1"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 2
    org.refresh_from_db()
    assert org.website == "https://a.no"
    # Neither version nor If-Match: the client is told what to send.
    missing = patch(client, url, {"website": "https://c.no"}, auth)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "version"


def test_a_change_to_a_part_changes_the_records_etag(client, editor):
    # An organisation's contact persons are in its representation: adding one must not let a
    # client polling with If-None-Match keep its stale copy (a 304).
    org, auth = editor["org"], editor["auth"]
    url = f"/api/v1/organisations/{org.pk}"
    before = client.get(url)["ETag"]
    added = client.post(
        f"{url}/contacts", {"name": "Kari Nordmann"}, content_type="application/json", headers=auth
    )
    assert added.status_code == 201
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after["ETag"] != before
    assert etag_version(after) == 1  # the record's own fields did not change
    # If-Match checks the version: the part's change does not refuse a change to the fields.
    changed = patch(client, url, {"website": "https://a.no"}, {**auth, "If-Match": before})
    assert changed.status_code == 200
    assert changed["ETag"] == client.get(url)["ETag"] not in (before, after["ETag"])


def test_list_has_etag_last_modified_and_answers_304(client, editor):
    first = client.get("/api/v1/organisations")
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get("/api/v1/organisations", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


# --- lists: ordering and updated_after; the change feed ---------------------------------------


def test_list_ordering_and_refused_ordering(client, db):
    for name in ("Bjørk", "Alm", "Ceder"):
        organisation_create(actor="t", name=name, kind=OrganisationKind.ASSOCIATION)
    names = [o["name"] for o in client.get("/api/v1/organisations?ordering=-name").json()["items"]]
    assert names == sorted(names, reverse=True)
    bad = client.get("/api/v1/organisations?ordering=password")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ordering"


@pytest.mark.parametrize(
    "query, status",
    [("page=0", 422), ("page=-1", 422), ("page=248959935202487840", 422), ("page_size=201", 422)],
)
def test_a_page_outside_the_bounds_is_refused_not_a_server_error(client, db, query, status):
    # Found by the schema fuzzer: a huge page number overflowed the database's OFFSET.
    response = client.get(f"/api/v1/commitments?{query}")
    assert response.status_code == status and response.json()["errors"]


@pytest.mark.parametrize("query", ["page_size=0", "page=0", "page=-3", "page_size=9999"])
def test_a_history_page_outside_the_bounds_is_refused(client, editor, query):
    # Found by the schema fuzzer: page_size=0 divided by zero in every register's history.
    response = client.get(f"/api/v1/organisations/{editor['org'].pk}/history?{query}")
    assert response.status_code == 422 and response.json()["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/99999999999999999999999",
        "/api/v1/cooperations/5/bodies/109618517567643302161012490240/members/9",
        "/api/v1/organisations/1/members/18446744073709551616",
        # Found by the schema fuzzer: below the smallest key, in a record's read by key.
        "/api/v1/organisations/-140003799716009214861929086976",
        "/api/v1/organisations/-140003799716009214861929086976/history",
        "/api/v1/organisations/-9223372036854775809",
        "/api/v1/cooperations/-9223372036854775809/history",
    ],
)
def test_a_key_no_database_can_hold_is_404_not_a_server_error(client, db, path):
    # Found by the schema fuzzer: a foreign-key lookup with such a number overflowed SQLite.
    response = client.get(path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api/v1/counties/²²", "/api/v1/municipalities/٣٤٠٣", "/api/v1/organisations/١"]
)
def test_digits_other_than_0_to_9_are_not_numbers(client, db, path):
    # Found by the schema fuzzer: "²".isdigit() is true but int("²") fails.
    response = client.get(path)
    assert response.status_code in (404, 422) and response["Content-Type"] == PROBLEM


def test_an_organisation_number_in_other_digits_is_refused(client, editor):
    body = {"name": "Romskip AS", "kind": "business", "organisation_number": "٩٧٤٧٦٠٦٧٣"}
    response = client.post(
        "/api/v1/organisations", body, content_type="application/json", headers=editor["auth"]
    )
    assert response.status_code == 422
    assert not Organisation.objects.filter(name="Romskip AS").exists()


def test_a_page_past_the_end_is_404_also_when_the_list_is_empty(client, db):
    assert client.get("/api/v1/commitments").json()["count"] == 0
    assert client.get("/api/v1/commitments?page=1").status_code == 200
    assert client.get("/api/v1/commitments?page=2").status_code == 404
    assert client.get("/api/v1/commitments?page=999999").status_code == 404


def test_list_updated_after_gives_only_what_changed(client, db):
    old = organisation_create(actor="t", name="Gammel", kind=OrganisationKind.ASSOCIATION)
    Organisation.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    organisation_create(actor="t", name="Ny", kind=OrganisationKind.ASSOCIATION)
    items = client.get("/api/v1/organisations?updated_after=2021-01-01T00:00:00Z").json()["items"]
    assert [o["name"] for o in items] == ["Ny"]
    assert client.get("/api/v1/organisations?updated_after=igår").status_code == 422


def test_change_feed_follows_changes_and_hides_what_the_caller_may_not_see(client, editor):
    org, auth = editor["org"], editor["auth"]
    start = client.get("/api/v1/changes").json()["items"]
    last = start[-1]["id"]
    patch(
        client, f"/api/v1/organisations/{org.pk}", {"version": 1, "website": "https://a.no"}, auth
    )
    feed = client.get(f"/api/v1/changes?after={last}").json()
    assert [(c["record_type"], c["action"]) for c in feed["items"]] == [
        ("organisation", "organisation.updated")
    ]
    change = feed["items"][0]
    assert change["record"]["id"] == org.pk and change["after"]["website"] == "https://a.no"
    assert change["actor"] == ""  # anonymous callers do not see the person
    # Memberships are personal: the anonymous feed leaves them out; the member sees them.
    anonymous = [c["part"] for c in client.get("/api/v1/changes").json()["items"]]
    assert not any(p and p["kind"] == "membership" for p in anonymous)
    member = [c["part"] for c in client.get("/api/v1/changes", headers=auth).json()["items"]]
    assert any(p and p["kind"] == "membership" for p in member)


# --- code lists and the OpenAPI description ---------------------------------------------------


def test_code_lists_give_each_code_in_both_languages(client, db):
    names = {c["name"] for c in client.get("/api/v1/code-lists").json()}
    assert {"organisation-kinds", "legal-forms", "cooperation-areas"} <= names
    kinds = client.get("/api/v1/code-lists/organisation-kinds").json()["codes"]
    municipality = next(k for k in kinds if k["code"] == "municipality")
    assert municipality["label_nb"] == "Kommune" and municipality["label_en"] == "Municipality"
    assert municipality["enhetsregisteret_form"] == "KOMM"


def test_openapi_documents_codes_security_and_servers(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"bearerToken", "session"} <= set(schema["components"]["securitySchemes"])
    assert schema["servers"]
    kind = schema["components"]["schemas"]["OrganisationIn"]["properties"]["kind"]
    assert "municipality" in kind["enum"]
    summaries = [
        op.get("summary", "")
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict)
    ]
    assert all(summaries), "every operation has a written summary"


# --- rate limit and CORS ----------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(client, db, settings):
    cache.clear()
    settings.KRAFTSENTER_API_RATE_ANONYMOUS = "3/m"
    codes = [client.get("/api/v1/counties").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    response = client.get("/api/v1/counties")
    assert int(response["Retry-After"]) >= 1 and response.json()["code"] == "too_many_requests"
    cache.clear()


def test_cors_lets_configured_origins_read_but_not_write(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://kart.example.no"]
    read = client.get("/api/v1/counties", headers={"Origin": "https://kart.example.no"})
    assert read["Access-Control-Allow-Origin"] == "https://kart.example.no"
    other = client.get("/api/v1/counties", headers={"Origin": "https://evil.example"})
    assert not other.has_header("Access-Control-Allow-Origin")
    preflight = client.options(
        "/api/v1/organisations",
        headers={
            "Origin": "https://kart.example.no",
            "Access-Control-Request-Method": "PATCH",
        },
    )
    assert "PATCH" not in preflight.get("Access-Control-Allow-Methods", "")
