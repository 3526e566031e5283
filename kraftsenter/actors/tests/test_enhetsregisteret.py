"""The lookup in Enhetsregisteret: the client, the organisation form, the API operation and
`kraftsenter sync_organisations`, against a real HTTP server on loopback serving fixtures in
the documented response shape (conftest.py, fixtures/enhetsregisteret/README.md)."""

from __future__ import annotations

import datetime as dt
import re
import time
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors import brreg, services
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.forms import register_stamp
from kraftsenter.actors.models import Organisation
from kraftsenter.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


# --- the client ------------------------------------------------------------------------------


def test_lookup_maps_an_as_with_address_municipality_industry_and_source(brreg_server):
    entry = brreg.lookup_organisation("912 345 602")
    assert entry.name == "MJØSA DATA AS"
    assert (entry.organisation_form, entry.kind) == ("AS", OrganisationKind.AS)
    assert entry.address == "Strandgata 1, 2317 HAMAR"  # business address before postal
    assert (entry.municipality_number, entry.industry_code) == ("3403", "62.010")
    assert entry.source == f"{settings.KRAFTSENTER_BRREG_URL}enheter/912345602"
    assert entry.checked_on == timezone.localdate() and entry.warnings() == []


def test_lookup_maps_kommune_and_unmapped_forms_leave_the_kind_open(brreg_server):
    assert brreg.lookup_organisation("970540008").kind == OrganisationKind.MUNICIPALITY
    brreg_server.overrides["/enhetsregisteret/api/enheter/912345645"] = (
        200,
        {"organisasjonsnummer": "912345645", "navn": "X KF", "organisasjonsform": {"kode": "KF"}},
    )
    entry = brreg.lookup_organisation("912345645")
    assert entry.organisation_form == "KF" and entry.kind == ""


def test_deleted_and_bankrupt_units_are_warnings_with_their_legal_source(brreg_server):
    deleted = brreg.lookup_organisation("912345610")
    assert deleted.deleted_on == dt.date(2025, 6, 30)
    assert [w.source for w in deleted.warnings()] == ["enhetsregisterloven § 26"]
    bankrupt = brreg.lookup_organisation("912345629")
    assert bankrupt.bankrupt and bankrupt.winding_up and bankrupt.deleted_on is None
    assert [w.source for w in bankrupt.warnings()] == ["enhetsregisterloven § 6 andre ledd"] * 2


def test_a_410_answer_is_a_deleted_unit(brreg_server):
    brreg_server.overrides["/enhetsregisteret/api/enheter/912345653"] = (
        410,
        {"organisasjonsnummer": "912345653", "navn": "BORTE AS", "slettedato": "2024-01-02"},
    )
    assert brreg.lookup_organisation("912345653").deleted_on == dt.date(2024, 1, 2)


def test_invalid_number_is_refused_without_asking_the_register(brreg_server):
    for number in ("974760674", "12345", "97476067X"):
        with pytest.raises(ValidationError) as refused:
            brreg.lookup_organisation(number)
        assert "organisation_number" in refused.value.error_dict
    assert brreg_server.requests == []


def test_unknown_number_is_not_found_and_errors_are_unavailable(brreg_server):
    with pytest.raises(brreg.RegisterNotFound):
        brreg.lookup_organisation("912345637")
    brreg_server.overrides["/enhetsregisteret/api/enheter/912345637"] = (500, {"status": 500})
    with pytest.raises(brreg.RegisterUnavailable):
        brreg.lookup_organisation("912345637")
    brreg_server.overrides["/enhetsregisteret/api/enheter/912345637"] = (200, ["not a unit"])
    with pytest.raises(brreg.RegisterUnavailable):
        brreg.lookup_organisation("912345637")


def test_register_that_cannot_be_reached_fails_fast(brreg_down):
    started = time.monotonic()
    with pytest.raises(brreg.RegisterUnavailable):
        brreg.lookup_organisation("912345602")
    assert time.monotonic() - started < 2


def test_search_by_name_returns_the_units_and_none_when_nothing_matches(brreg_server):
    found = brreg.search_organisations("Hamar")
    assert [e.organisation_number for e in found] == ["970540008", "912345602"]
    assert found[1].kind == OrganisationKind.AS
    assert brreg.search_organisations("finnes ikke") == []
    assert "navn=Hamar" in brreg_server.requests[0]


@pytest.mark.parametrize(
    "register,current,expected",
    [
        ("HAMAR KOMMUNE", "", "Hamar kommune"),
        ("MJØSA DATA AS", "", "Mjøsa Data AS"),
        ("INNLANDET FYLKESKOMMUNE", "Innlandet fylkeskommune", "Innlandet fylkeskommune"),
        ("KS - KOMMUNESEKTORENS ORGANISASJON", "KS – Kommunesektorens organisasjon", None),
        ("Sametinget", "", "Sametinget"),
    ],
)
def test_names_in_capitals_are_written_as_names(register, current, expected):
    written = services.name_from_register(register, current)
    # A word the current name has keeps its spelling there.
    assert written == (expected or "KS - Kommunesektorens organisasjon")


def test_sync_does_not_rename_for_case_or_dashes(small_places, brreg_server):
    ks = services.organisation_create(
        actor="t",
        name="KS – Mjøsa  Data as",
        kind=OrganisationKind.BUSINESS,
        organisation_number="912345602",
    )
    brreg_server.overrides["/enhetsregisteret/api/enheter/912345602"] = (
        200,
        {"organisasjonsnummer": "912345602", "navn": "KS - MJØSA DATA AS"},
    )
    output, _failed = _sync()
    assert "renamed “" not in output and "0 renamed" in output
    assert Organisation.objects.get(pk=ks.pk).name == "KS – Mjøsa  Data as"


# --- the organisation form -------------------------------------------------------------------


@pytest.fixture
def editor(client, small_places):
    org = services.organisation_create(
        actor="t", name="Hjemforeningen", kind=OrganisationKind.ASSOCIATION
    )
    user = get_user_model().objects.create_user("redaktor", password="x-long-password-1")
    services.membership_add(actor="t", organisation=org, user=user, role=Role.ADMIN)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return {"user": user, "org": org}


def _value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None, name
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return match.group(1) if match else ""


def test_lookup_button_fills_the_form_and_saving_keeps_source_and_date(
    client, editor, brreg_server
):
    page = client.get("/organisasjoner/ny/").content.decode()
    assert 'name="lookup"' in page and "hx-post" in page and "<script>" not in page
    response = client.post(
        "/organisasjoner/ny/",
        {"organisation_number": "912345602", "description": "Vår tekst", "lookup": "number"},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and not Organisation.objects.filter(organisation_number="912345602").exists()
    )
    assert _value(html, "name") == "Mjøsa Data AS"
    assert _selected(html, "kind") == "as" and _selected(html, "municipality") == "3403"
    assert _value(html, "address") == "Strandgata 1, 2317 HAMAR"
    assert _value(html, "industry_code") == "62.010" and "Vår tekst" in html
    stamp = _value(html, "register_stamp")
    assert stamp
    response = client.post(
        "/organisasjoner/ny/",
        {
            "name": "Mjøsa Data AS",
            "kind": "as",
            "organisation_number": "912345602",
            "municipality": "3403",
            "address": "Strandgata 1, 2317 HAMAR",
            "industry_code": "62.010",
            "organisation_form": "AS",
            "register_stamp": stamp,
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(organisation_number="912345602")
    assert org.register_checked_on == timezone.localdate()
    assert org.register_source.endswith("/enheter/912345602") and org.county.number == "34"
    detail = client.get(org.get_absolute_url()).content.decode()
    assert "Strandgata 1, 2317 HAMAR" in detail and "62.010" in detail


def test_a_stamp_is_kept_only_unaltered_and_for_its_own_number(client, editor, brreg_server):
    stamp = register_stamp(brreg.lookup_organisation("912345629"))
    base = {"name": "Alta Fisk", "kind": "business", "organisation_number": "912345629"}
    client.post("/organisasjoner/ny/", {**base, "register_stamp": stamp[:-3] + "xyz"})
    assert Organisation.objects.get(name="Alta Fisk").register_checked_on is None
    other = {**base, "name": "Annen", "organisation_number": "912345602"}
    client.post("/organisasjoner/ny/", {**other, "register_stamp": stamp})
    assert Organisation.objects.get(name="Annen").register_bankrupt is False


def test_deleted_unit_is_shown_as_a_warning_on_the_form_and_the_page(client, editor, brreg_server):
    html = client.post(
        "/organisasjoner/ny/", {"organisation_number": "912345610", "lookup": "number"}
    ).content.decode()
    assert "deleted this unit on 2025-06-30" in html and "enhetsregisterloven § 26" in html
    client.post(
        "/organisasjoner/ny/",
        {
            "name": "Gamle Løten Handel AS",
            "kind": "as",
            "organisation_number": "912345610",
            "register_stamp": _value(html, "register_stamp"),
        },
    )
    org = Organisation.objects.get(organisation_number="912345610")
    assert org.register_deleted_on == dt.date(2025, 6, 30)
    detail = client.get(org.get_absolute_url()).content.decode()
    assert "deleted this unit on 2025-06-30" in detail


def test_bankrupt_unit_is_a_warning_not_a_refusal(client, editor, brreg_server):
    html = client.post(
        "/organisasjoner/ny/", {"organisation_number": "912345629", "lookup": "number"}
    ).content.decode()
    assert "as bankrupt" in html and "being wound up" in html
    assert _selected(html, "municipality") == "5601" and _selected(html, "county") == "56"


@pytest.mark.parametrize(
    "number,message",
    [
        ("974760674", "the check digit does not match"),
        ("1234", "exactly nine digits"),
        ("912345637", "has no unit with organisation number 912345637"),
    ],
)
def test_invalid_or_unknown_number_is_a_field_error_and_saves_nothing(
    client, editor, brreg_server, number, message
):
    response = client.post(
        "/organisasjoner/ny/",
        {"organisation_number": number, "name": "Mitt lag", "lookup": "number"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'id="id_organisation_number-error"' in html and _value(html, "name") == "Mitt lag"
    assert not Organisation.objects.filter(name="Mitt lag").exists()


def test_register_down_says_fill_in_yourself_never_500(client, editor, brreg_down):
    response = client.post(
        "/organisasjoner/ny/",
        {"organisation_number": "912345602", "name": "Mitt lag", "lookup": "number"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The lookup in Enhetsregisteret is not available now; fill in the fields" in html
    assert _value(html, "name") == "Mitt lag" and _value(html, "organisation_number")


def test_name_search_lists_units_to_choose_and_choosing_one_fills_the_form(
    client, editor, brreg_server
):
    html = client.post(
        "/organisasjoner/ny/", {"name": "Hamar", "lookup": "number"}
    ).content.decode()
    assert 'value="970540008"' in html and 'value="912345602"' in html
    html = client.post(
        "/organisasjoner/ny/", {"name": "Hamar", "lookup": "970540008"}
    ).content.decode()
    assert _value(html, "name") == "Hamar kommune" and _selected(html, "kind") == "municipality"
    none = client.post(
        "/organisasjoner/ny/", {"name": "Finnes ikke", "lookup": "number"}
    ).content.decode()
    assert "has no unit with a name like" in none


def test_lookup_on_the_edit_page_keeps_version_and_saves_nothing(client, editor, brreg_server):
    org = editor["org"]
    html = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {
            "organisation_number": "970540008",
            "name": org.name,
            "version": org.version,
            "lookup": "number",
        },
    ).content.decode()
    assert _value(html, "version") == str(org.version)
    org.refresh_from_db()
    assert org.organisation_number == "" and org.version == 1


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def token(editor):
    _token, text = token_create(actor="t", user=editor["user"], name="t", days=1)
    return {"Authorization": f"Bearer {text}"}


def test_api_lookup_gives_the_mapped_fields(client, token, brreg_server):
    body = client.get("/api/v1/organisations/lookup", {"orgnr": "912345629"}, headers=token)
    assert body.status_code == 200, body.content
    data = body.json()
    assert data["kind"] == "as" and data["municipality"] == "5601" and data["county"] == "56"
    assert data["bankrupt"] is True and data["deleted_on"] is None
    assert {w["source"] for w in data["warnings"]} == {"enhetsregisterloven § 6 andre ledd"}
    kommune = client.get("/api/v1/organisations/lookup", {"orgnr": "970540008"}, headers=token)
    assert kommune.json()["kind"] == "municipality" and kommune.json()["warnings"] == []


def test_api_lookup_errors_422_404_503_401(client, token, brreg_server, settings):
    invalid = client.get("/api/v1/organisations/lookup", {"orgnr": "974760674"}, headers=token)
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "organisation_number"
    unknown = client.get("/api/v1/organisations/lookup", {"orgnr": "912345637"}, headers=token)
    assert unknown.status_code == 404 and "912345637" in unknown.json()["detail"]
    anonymous = Client().get("/api/v1/organisations/lookup", {"orgnr": "912345602"})
    assert anonymous.status_code == 401
    settings.KRAFTSENTER_BRREG_URL = "http://127.0.0.1:9/enhetsregisteret/api/"
    down = client.get("/api/v1/organisations/lookup", {"orgnr": "912345602"}, headers=token)
    assert down.status_code == 503 and down["Content-Type"] == "application/problem+json"
    assert down.json()["code"] == "source_unavailable"
    assert brreg_server.requests == ["/enhetsregisteret/api/enheter/912345637"]


def test_api_create_and_patch_take_address_and_industry_code(client, token, brreg_server):
    created = client.post(
        "/api/v1/organisations",
        {
            "name": "Mjøsa Data AS",
            "kind": "as",
            "address": "Strandgata 1",
            "industry_code": "62.010",
        },
        content_type="application/json",
        headers=token,
    )
    assert created.status_code == 201 and created.json()["address"] == "Strandgata 1"
    assert created.json()["register_checked_on"] is None


# --- sync_organisations ----------------------------------------------------------------------


@pytest.fixture
def registered(small_places):
    def make(name, number, kind=OrganisationKind.BUSINESS):
        return services.organisation_create(
            actor="t", name=name, kind=kind, organisation_number=number
        )

    return {
        "hamar": make("Hamar kommune", "970540008", OrganisationKind.ASSOCIATION),
        "mjosa": make("Mjøsa Data", "912345602"),
        "gamle": make("Gamle Løten Handel AS", "912345610"),
        "alta": make("Alta Fisk og Vilt AS", "912345629"),
        "ukjent": make("Ukjent AS", "912345637"),
        "uten": services.organisation_create(actor="t", name="Uten nummer", kind="association"),
    }


def _sync(*args: str) -> tuple[str, bool]:
    out = StringIO()
    failed = False
    with translation.override("en"):
        try:
            call_command("sync_organisations", *args, stdout=out)
        except CommandError:
            failed = True
    return out.getvalue(), failed


def test_sync_reports_renames_deletions_bankruptcy_and_not_found_and_goes_on(
    registered, brreg_server
):
    output, failed = _sync()
    assert not failed
    assert "Mjøsa Data (912345602): renamed “Mjøsa Data” → “Mjøsa Data AS”" in output
    assert "deleted in Enhetsregisteret on 2025-06-30" in output
    assert "Alta Fisk og Vilt AS (912345629): bankrupt in Enhetsregisteret" in output
    assert "Ukjent AS (912345637): not found in Enhetsregisteret" in output
    assert output.strip().splitlines()[-1].startswith("organisations: 5 checked, 4 changed")
    mjosa = Organisation.objects.get(pk=registered["mjosa"].pk)
    assert mjosa.name == "Mjøsa Data AS" and mjosa.version == 2
    assert mjosa.register_checked_on == timezone.localdate()
    change = ChangeRecord.objects.filter(object_id=str(mjosa.pk)).latest("pk")
    assert change.actor_name == services.REGISTER_ACTOR and change.before["name"] == "Mjøsa Data"
    gamle = Organisation.objects.get(pk=registered["gamle"].pk)
    assert gamle.archived_at is None and gamle.register_deleted_on == dt.date(2025, 6, 30)
    hamar = Organisation.objects.get(pk=registered["hamar"].pk)
    assert hamar.name == "Hamar kommune" and hamar.address == "Vangsvegen 51, 2317 HAMAR"
    assert hamar.kind == OrganisationKind.ASSOCIATION  # the kind stays the user's choice


def test_sync_second_run_changes_nothing(registered, brreg_server):
    _sync()
    versions = dict(Organisation.objects.values_list("pk", "version"))
    output, _failed = _sync()
    assert dict(Organisation.objects.values_list("pk", "version")) == versions
    assert "0 changed, 4 unchanged" in output


def test_sync_dry_run_reports_and_writes_nothing(registered, brreg_server):
    output, _failed = _sync("--dry-run")
    assert "renamed “Mjøsa Data” → “Mjøsa Data AS”" in output and "dry run" in output
    assert Organisation.objects.get(pk=registered["mjosa"].pk).name == "Mjøsa Data"
    assert not Organisation.objects.exclude(register_checked_on=None).exists()


def test_sync_with_register_down_reports_every_organisation_and_fails(registered, brreg_down):
    output, failed = _sync()
    assert failed and output.count("could not be reached") == 5
    assert "5 errors" in output.strip().splitlines()[-1]
    assert not Organisation.objects.exclude(register_checked_on=None).exists()
