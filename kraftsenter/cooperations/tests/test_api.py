"""The cooperation register's API as an integrator uses it: the participants, agreement versions
and council decisions, bodies and members, documents and the import, each through its own
operation; refusals write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import (
    AgreementVersion,
    Body,
    BodyMember,
    Cooperation,
    CouncilDecision,
    Document,
)
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import ParticipantInput
from kraftsenter.core.history import history_for
from kraftsenter.core.models import ChangeRecord
from kraftsenter.core.testing import etag_version

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _user(name: str, organisation, role: str):
    user = get_user_model().objects.create_user(name, password="x-long-password-1")
    membership_add(actor="t", organisation=organisation, user=user, role=role)
    return user


def bearer(user) -> dict:
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def editor(orgs):
    return bearer(_user("hamar-red", orgs["3403"], Role.EDITOR))


@pytest.fixture
def outsider(orgs):
    """An editor of Alta, which takes no part in the cooperation."""
    return bearer(_user("alta-red", orgs["5601"], Role.EDITOR))


@pytest.fixture
def member(orgs):
    return bearer(_user("hamar-medlem", orgs["3403"], Role.MEMBER))


@pytest.fixture
def coop(orgs):
    """An IPR of Hamar (60 %) and Løten (40 %)."""
    return services.cooperation_create(
        actor="t",
        name="Hamarregionen interkommunalt politisk råd",
        legal_form="ipr",
        areas=["regional_policy"],
        participants=[
            ParticipantInput(orgs["3403"], Decimal("60")),
            ParticipantInput(orgs["3412"], Decimal("40")),
        ],
        start_date=dt.date(2020, 1, 1),
    )


def url(coop, rest: str = "") -> str:
    return f"/api/v1/cooperations/{coop.pk}{rest}"


def unchanged(coop):
    """What a refusal must leave as it was: the version and the history (with the parts')."""
    fresh = Cooperation.objects.get(pk=coop.pk)
    return fresh.version, history_for(fresh).count(), ChangeRecord.objects.count()


def fields_of(response) -> dict[str, str]:
    body = response.json()
    assert body["type"].endswith(f"/problems/{body['code']}") and body["detail"]
    return {e["field"]: e["message"] for e in body["errors"]}


# --- create and change -------------------------------------------------------------------------


def test_create_takes_organisation_numbers_and_answers_201_with_location(client, orgs, editor):
    response = client.post(
        "/api/v1/cooperations",
        {
            "name": "Innlandet fylkesråd IPR",
            "legal_form": "ipr",
            "areas": ["regional_policy"],
            "participants": [
                {"organisation": orgs["3403"].organisation_number, "ownership_share": 50},
                {"organisation": orgs["34"].organisation_number, "ownership_share": 50},
            ],
            "host": orgs["3403"].organisation_number,
            "archive_custodian": orgs["34"].pk,
            "start_date": "2024-01-01",
        },
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 201, response.json()
    coop = Cooperation.objects.get()
    assert response["Location"].endswith(f"/api/v1/cooperations/{coop.pk}")
    assert etag_version(response) == 1
    body = response.json()
    assert body["host"] == orgs["3403"].pk and body["archive_custodian"] == orgs["34"].pk
    assert body["url"] == f"http://testserver/samarbeid/{coop.pk}/"
    assert {p["organisation_number"] for p in body["participants"]} == {
        "970540008",
        "920717152",
    }
    assert body["agreement_versions"] == [] and body["bodies"] == [] and body["documents"] == []
    assert "agreement" in {p["rule"] for p in body["activation_problems"]}
    assert {i["code"] for i in body["agreement_items"]} == mandatory_codes("ipr")


def test_create_refuses_archived_participants_named_by_id_or_number(client, orgs, editor):
    """The participants are looked up together by id and by number: an archived organisation
    is unknown whichever way it is named and wherever it stands; nothing is written."""
    from django.utils import timezone

    for code in ("3412", "34"):
        orgs[code].archived_at = timezone.now()
        orgs[code].save(update_fields=["archived_at"])
    before = ChangeRecord.objects.count()
    response = client.post(
        "/api/v1/cooperations",
        {
            "name": "Arkivert deltaker IPR",
            "legal_form": "ipr",
            "areas": ["regional_policy"],
            "participants": [
                {"organisation": orgs["3403"].pk, "ownership_share": 40},
                {"organisation": orgs["3412"].pk, "ownership_share": 30},
                {"organisation": orgs["34"].organisation_number, "ownership_share": 30},
            ],
            "start_date": "2024-01-01",
        },
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 422, response.json()
    errors = fields_of(response)
    assert set(errors) == {"participants.1.organisation", "participants.2.organisation"}
    assert str(orgs["34"].organisation_number) in errors["participants.2.organisation"]
    assert not Cooperation.objects.exists() and ChangeRecord.objects.count() == before


def test_create_an_iks_is_a_legal_person_unless_told(client, orgs, editor):
    response = client.post(
        "/api/v1/cooperations",
        {
            "name": "Revisjon Hamar IKS",
            "legal_form": "iks",
            "areas": ["audit"],
            "participants": [
                {"organisation": orgs["3403"].pk, "ownership_share": 50},
                {"organisation": orgs["3412"].pk, "ownership_share": 50},
            ],
        },
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["legal_person"] is True


def test_create_refuses_unknown_fields_codes_and_organisations(client, orgs, editor):
    base = {
        "name": "Feil IPR",
        "legal_form": "ipr",
        "areas": ["ict"],
        "participants": [{"organisation": orgs["3403"].pk}, {"organisation": orgs["3412"].pk}],
    }
    for change, field in (
        ({"orgnr": "974760673"}, "orgnr"),
        ({"areas": ["spaceflight"]}, "areas.0"),
        ({"legal_form": "guild"}, "legal_form"),
        ({"start_date": "01.01.2020"}, "start_date"),
        (
            {"participants": [{"organisation": orgs["3403"].pk}, {"organisation": "999999999"}]},
            "participants.1.organisation",
        ),
        (
            {"participants": [{"organisation": orgs["3403"].pk, "ownership_share": 101}]},
            "participants.0.ownership_share",
        ),
    ):
        response = client.post(
            "/api/v1/cooperations", {**base, **change}, content_type=JSON, headers=editor
        )
        assert response.status_code == 422, change
        assert field in fields_of(response), (change, response.json())
    assert Cooperation.objects.count() == 0


def test_patch_with_if_match_changes_terms_and_archive_custodian(client, coop, orgs, editor):
    response = client.patch(
        url(coop),
        {"withdrawal_terms": "Ett års varsel", "archive_custodian": orgs["3412"].pk},
        content_type=JSON,
        headers={**editor, "If-Match": f'"{coop.version}"'},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["withdrawal_terms"] == "Ett års varsel"
    assert body["archive_custodian"] == orgs["3412"].pk
    assert etag_version(response) == coop.version + 1
    stale = client.patch(
        url(coop),
        {"purpose": "Noe annet"},
        content_type=JSON,
        headers={**editor, "If-Match": f'"{coop.version}"'},
    )
    assert stale.status_code == 412 and stale.json()["current_version"] == coop.version + 1


# --- participants (set_participants) -----------------------------------------------------------


def test_put_participants_adds_a_third_changes_shares_as_one_change(client, coop, orgs, editor):
    before = history_for(coop).count()
    response = client.put(
        url(coop, "/participants"),
        {
            "participants": [
                {"organisation": orgs["3403"].pk, "ownership_share": 40},
                {"organisation": orgs["3412"].pk, "ownership_share": 30},
                {
                    "organisation": orgs["34"].organisation_number,
                    "ownership_share": 30,
                    "joined_on": "2024-01-01",
                },
            ],
            "reason": "Fylkeskommunen blir med",
        },
        content_type=JSON,
        headers={**editor, "If-Match": f'"{coop.version}"'},
    )
    assert response.status_code == 200, response.json()
    shares = {p["organisation"]: p["ownership_share"] for p in response.json()["participants"]}
    assert shares == {orgs["3403"].pk: "40.000", orgs["3412"].pk: "30.000", orgs["34"].pk: "30.000"}
    assert history_for(coop).count() == before + 1
    latest = history_for(coop).first()
    assert latest.action == "cooperation.participants_changed"
    assert latest.reason == "Fylkeskommunen blir med"


def test_put_participants_records_a_withdrawal(client, orgs, editor):
    coop = services.cooperation_create(
        actor="t",
        name="Innlandet kulturforening",
        legal_form="association",
        areas=["culture"],
        participants=[ParticipantInput(orgs[n]) for n in ("3403", "3412", "34")],
    )
    response = client.put(
        url(coop, "/participants"),
        {
            "version": coop.version,
            "participants": [{"organisation": orgs["3403"].pk}, {"organisation": orgs["34"].pk}],
        },
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 200, response.json()
    assert [p["name"] for p in response.json()["participants"]] == [
        "Hamar kommune",
        "Innlandet fylkeskommune",
    ]
    assert coop.participants.filter(archived_at__isnull=False).get().organisation == orgs["3412"]


def test_put_participants_refusals_write_nothing(client, coop, orgs, editor, outsider, member):
    body = {
        "version": coop.version,
        "participants": [
            {"organisation": orgs["3403"].pk, "ownership_share": 50},
            {"organisation": orgs["3412"].pk, "ownership_share": 50},
        ],
    }
    before = unchanged(coop)
    for headers, status in ((outsider, 403), (member, 403), ({}, 401)):
        response = client.put(url(coop, "/participants"), body, content_type=JSON, headers=headers)
        assert response.status_code == status and response["Content-Type"].startswith(
            "application/problem+json"
        )
    # Shares that do not add up to 100 (kommuneloven § 18-4 fourth paragraph letter f).
    bad = {**body, "participants": [{**body["participants"][0], "ownership_share": 30}]}
    bad["participants"].append(body["participants"][1])
    response = client.put(url(coop, "/participants"), bad, content_type=JSON, headers=editor)
    assert response.status_code == 422
    assert "§ 18-4 fjerde ledd bokstav f" in fields_of(response)["ownership_share"]
    # Without Hamar the editor would act for none of the participants: refused.
    response = client.put(
        url(coop, "/participants"),
        {
            "version": coop.version,
            "participants": [
                {"organisation": orgs["3412"].pk, "ownership_share": 50},
                {"organisation": orgs["34"].pk, "ownership_share": 50},
            ],
        },
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 403
    # Unknown field, unknown organisation, no version.
    for payload, field in (
        ({**body, "shares": []}, "shares"),
        (
            {**body, "participants": [{"organisation": 999_999}, body["participants"][1]]},
            "participants.0.organisation",
        ),
        ({"participants": body["participants"]}, "version"),
        (
            {**body, "participants": [body["participants"][0], {"organisation": ""}]},
            "participants.1.organisation",
        ),
    ):
        response = client.put(
            url(coop, "/participants"), payload, content_type=JSON, headers=editor
        )
        assert response.status_code == 422 and field in fields_of(response), response.json()
    assert unchanged(coop) == before


# --- agreement versions and council decisions -------------------------------------------------


def test_agreement_versions_and_decisions_lead_to_activation(client, coop, orgs, editor):
    response = client.post(
        url(coop, "/agreement-versions"),
        {"items_covered": sorted(mandatory_codes("ipr")), "document_url": "https://x.no/a.pdf"},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 201, response.json()
    version = AgreementVersion.objects.get(cooperation=coop)
    assert response["Location"].endswith(url(coop, f"/agreement-versions/{version.pk}"))
    assert response.json()["number"] == 1 and response.json()["decisions"] == []
    # Each of the two participants' councils, one by id and one by organisation number.
    for ref, day in ((orgs["3403"].organisation_number, "2019-12-10"), (orgs["3412"].pk, None)):
        response = client.post(
            url(coop, f"/agreement-versions/{version.pk}/decisions"),
            {"organisation": ref, "decided_on": day or "2019-12-12", "case_reference": "19/1"},
            content_type=JSON,
            headers=editor,
        )
        assert response.status_code == 201, response.json()
        decision = CouncilDecision.objects.latest("pk")
        assert response["Location"].endswith(f"/decisions/{decision.pk}")
        assert client.get(response["Location"]).json()["organisation"] == decision.organisation_id
    read = client.get(url(coop, f"/agreement-versions/{version.pk}")).json()
    assert {d["organisation_name"] for d in read["decisions"]} == {
        "Hamar kommune",
        "Løten kommune",
    }
    detail = client.get(url(coop)).json()
    assert detail["activation_problems"] == [] and len(detail["agreement_versions"]) == 1
    response = client.patch(
        url(coop),
        {"version": detail["version"], "status": "active"},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 200 and response.json()["status"] == "active"


def test_second_agreement_version_needs_what_changed(client, coop, editor):
    services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    before = unchanged(coop)
    response = client.post(url(coop, "/agreement-versions"), {}, content_type=JSON, headers=editor)
    assert response.status_code == 422 and "summary" in fields_of(response)
    # An item of another form (IKS) is not an item of an IPR's agreement: the service says so.
    response = client.post(
        url(coop, "/agreement-versions"),
        {"summary": "Nytt selskapsnavn", "items_changed": ["company_name"]},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 422 and "items_changed" in fields_of(response)
    # A code of no form at all is refused by the schema.
    response = client.post(
        url(coop, "/agreement-versions"),
        {"summary": "x", "items_covered": ["everything"]},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 422 and "items_covered.0" in fields_of(response)
    assert unchanged(coop) == before
    response = client.post(
        url(coop, "/agreement-versions"),
        {"items_changed": ["shares"], "summary": "Nye eierandeler"},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 201 and response.json()["number"] == 2


def test_council_decision_refusals_write_nothing(client, coop, orgs, editor, outsider):
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    other = services.cooperation_create(
        actor="t",
        name="Alta IKT KO",
        legal_form="ko",
        areas=["ict"],
        participants=[
            ParticipantInput(orgs["5601"], Decimal(50)),
            ParticipantInput(orgs["5610"], Decimal(50)),
        ],
    )
    other_version = services.agreement_version_add(actor="t", cooperation=other, summary="A")
    decisions = url(coop, f"/agreement-versions/{version.pk}/decisions")
    good = {"organisation": orgs["3403"].pk, "decided_on": "2024-01-10"}
    before = unchanged(coop), CouncilDecision.objects.count()
    assert client.post(decisions, good, content_type=JSON, headers=outsider).status_code == 403
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for payload, field in (
        ({**good, "organisation": orgs["5601"].pk}, "organisation"),  # not a participant
        ({**good, "decided_on": tomorrow}, "decided_on"),
        ({**good, "decided_on": "2024-02-30"}, "decided_on"),
        ({**good, "organisation": "123"}, "organisation"),
        ({**good, "organisation": ""}, "organisation"),
        ({"organisation": orgs["3403"].pk}, "decided_on"),
    ):
        response = client.post(decisions, payload, content_type=JSON, headers=editor)
        assert response.status_code == 422 and field in fields_of(response), payload
    # Another cooperation's version is not found here.
    response = client.post(
        url(coop, f"/agreement-versions/{other_version.pk}/decisions"),
        good,
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 404
    assert (unchanged(coop), CouncilDecision.objects.count()) == before
    assert client.post(decisions, good, content_type=JSON, headers=editor).status_code == 201
    again = client.post(decisions, good, content_type=JSON, headers=editor)
    assert again.status_code == 422 and "organisation" in fields_of(again)


# --- bodies and members ------------------------------------------------------------------------


def test_bodies_and_members_of_the_second_body(client, coop, orgs, editor):
    for kind, name in (("representantskap", ""), ("board", "Styret")):
        response = client.post(
            url(coop, "/bodies"), {"kind": kind, "name": name}, content_type=JSON, headers=editor
        )
        assert response.status_code == 201, response.json()
    board = Body.objects.get(kind="board")
    assert response["Location"].endswith(url(coop, f"/bodies/{board.pk}"))
    assert response.json()["kind_label"] and response.json()["members"] == []
    for person, org in (("Kari Leder", orgs["3403"].organisation_number), ("Ola Nestleder", None)):
        response = client.post(
            url(coop, f"/bodies/{board.pk}/members"),
            {
                "person_name": person,
                "role": "chair" if org else "deputy_chair",
                "organisation": org,
                "term_start": "2024-01-01",
                "term_end": "2027-12-31",
            },
            content_type=JSON,
            headers=editor,
        )
        assert response.status_code == 201, response.json()
        member = BodyMember.objects.latest("pk")
        assert response["Location"].endswith(f"/bodies/{board.pk}/members/{member.pk}")
    assert BodyMember.objects.get(person_name="Kari Leder").organisation == orgs["3403"]
    body = client.get(url(coop, f"/bodies/{board.pk}")).json()
    assert [m["person_name"] for m in body["members"]] == ["Kari Leder", "Ola Nestleder"]
    detail = client.get(url(coop)).json()
    assert {b["kind"]: len(b["members"]) for b in detail["bodies"]} == {
        "board": 2,
        "representantskap": 0,
    }


def test_body_and_member_refusals_write_nothing(client, coop, editor, outsider):
    body = services.body_add(actor="t", cooperation=coop, kind="board", name="Styret")
    before = unchanged(coop)
    assert (
        client.post(
            url(coop, "/bodies"), {"kind": "board"}, content_type=JSON, headers=outsider
        ).status_code
        == 403
    )
    response = client.post(
        url(coop, "/bodies"), {"kind": "club"}, content_type=JSON, headers=editor
    )
    assert response.status_code == 422 and "kind" in fields_of(response)
    members = url(coop, f"/bodies/{body.pk}/members")
    for payload, field in (
        ({"person_name": "Kari", "role": "king"}, "role"),
        ({"role": "member"}, "person_name"),
        (
            {"person_name": "Kari", "term_start": "2024-01-01", "term_end": "2023-01-01"},
            "term_end",
        ),
        ({"person_name": "Kari", "organisation": "000000000"}, "organisation"),
    ):
        response = client.post(members, payload, content_type=JSON, headers=editor)
        assert response.status_code == 422 and field in fields_of(response), payload
    response = client.post(
        url(coop, "/bodies/999999/members"),
        {"person_name": "Kari"},
        content_type=JSON,
        headers=editor,
    )
    assert response.status_code == 404
    assert unchanged(coop) == before


def test_end_a_member_keeps_the_other(client, coop, editor, outsider):
    body = services.body_add(actor="t", cooperation=coop, kind="board", name="Styret")
    kari = services.body_member_add(actor="t", body=body, person_name="Kari", role="chair")
    services.body_member_add(actor="t", body=body, person_name="Ola", role="member")
    end = url(coop, f"/bodies/{body.pk}/members/{kari.pk}/end")
    before = unchanged(coop)
    assert client.post(end, {}, content_type=JSON, headers=outsider).status_code == 403
    assert client.post(end, {"why": "x"}, content_type=JSON, headers=editor).status_code == 422
    assert unchanged(coop) == before
    response = client.post(end, {"reason": "Gikk av"}, content_type=JSON, headers=editor)
    assert response.status_code == 200 and response.json()["archived"] is True
    assert history_for(coop).first().reason == "Gikk av"
    assert [m["person_name"] for m in client.get(url(coop)).json()["bodies"][0]["members"]] == [
        "Ola"
    ]
    # The ended membership can still be read; it cannot be ended twice.
    assert client.get(url(coop, f"/bodies/{body.pk}/members/{kari.pk}")).json()["archived"]
    assert client.post(end, {}, content_type=JSON, headers=editor).status_code == 404


# --- documents ---------------------------------------------------------------------------------


def test_documents_added_and_refused(client, coop, editor, outsider):
    for title in ("Samarbeidsavtale", "Årsmelding 2024"):
        response = client.post(
            url(coop, "/documents"),
            {"title": title, "url": f"https://example.no/{len(title)}.pdf"},
            content_type=JSON,
            headers=editor,
        )
        assert response.status_code == 201, response.json()
    document = Document.objects.latest("pk")
    assert response["Location"].endswith(url(coop, f"/documents/{document.pk}"))
    read = client.get(response["Location"]).json()
    assert read["title"] == "Årsmelding 2024" and read["url"] == "https://example.no/15.pdf"
    assert len(client.get(url(coop)).json()["documents"]) == 2
    before = unchanged(coop)
    good = {"title": "Vedtekter", "url": "https://example.no/v.pdf"}
    assert (
        client.post(url(coop, "/documents"), good, content_type=JSON, headers=outsider).status_code
        == 403
    )
    for payload, field in (
        ({**good, "url": "not an address"}, "url"),
        ({"url": good["url"]}, "title"),
        ({**good, "kind": "pdf"}, "kind"),
    ):
        response = client.post(url(coop, "/documents"), payload, content_type=JSON, headers=editor)
        assert response.status_code == 422 and field in fields_of(response), payload
    assert unchanged(coop) == before


def test_parts_of_an_unpublished_cooperation_are_hidden(client, orgs, editor):
    coop = services.cooperation_create(
        actor="t",
        name="Skjult forening",
        legal_form="association",
        areas=["culture"],
        participants=[ParticipantInput(orgs["3403"]), ParticipantInput(orgs["3412"])],
        published=False,
    )
    document = services.document_add(
        actor="t", cooperation=coop, title="Vedtekter", url="https://example.no/v.pdf"
    )
    assert client.get(url(coop, f"/documents/{document.pk}")).status_code == 404
    assert client.get(url(coop, f"/documents/{document.pk}"), headers=editor).status_code == 200


# --- import ------------------------------------------------------------------------------------

CSV = (
    "samarbeid;form;omrader;startdato;deltaker;eierandel\n"
    "Hamarregionen IPR;ipr;regional_policy;2020-01-01;3403;60\n"
    "Hamarregionen IPR;;;;3412;40\n"
)


def upload(text: str = CSV, name: str = "samarbeid.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_import_dry_run_by_default_then_for_real(client, orgs, editor):
    response = client.post("/api/v1/cooperations/import", {"file": upload()}, headers=editor)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["dry_run"] is True and body["count"] == 1 and body["source"] == "samarbeid.csv"
    assert body["cooperations"][0]["id"] is None and body["cooperations"][0]["legal_form"] == "ipr"
    assert Cooperation.objects.count() == 0
    response = client.post(
        "/api/v1/cooperations/import", {"file": upload(), "dry_run": "false"}, headers=editor
    )
    assert response.status_code == 201, response.json()
    imported = response.json()["cooperations"][0]
    coop = Cooperation.objects.get()
    assert imported["id"] == coop.pk
    assert imported["url"] == f"http://testserver/samarbeid/{coop.pk}/"
    assert imported["participants"] == ["Hamar kommune", "Løten kommune"]


def test_import_problems_are_422_with_line_and_column_and_nothing_saved(client, orgs, editor):
    bad = CSV.replace(";60\n", ";abc\n") + "Alta KO;guild;ict;;5601;50\n"
    before = ChangeRecord.objects.count()
    response = client.post(
        "/api/v1/cooperations/import", {"file": upload(bad), "dry_run": "false"}, headers=editor
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["errors"][0]["field"] == "file"
    where = {(p["line"], p["column"]) for p in body["problems"]}
    assert {(2, "eierandel"), (4, "form")} <= where, body["problems"]
    assert Cooperation.objects.count() == 0 and ChangeRecord.objects.count() == before
    # A cooperation none of the editor's organisations takes part in: refused by the service.
    other = "samarbeid;form;omrader;deltaker;eierandel\nAlta KO;ko;ict;5601;50\nAlta KO;;;5610;50\n"
    response = client.post("/api/v1/cooperations/import", {"file": upload(other)}, headers=editor)
    assert response.status_code == 422 and response.json()["problems"][0]["column"] == "deltaker"


def test_import_refusals(client, orgs, member):
    assert client.post("/api/v1/cooperations/import", {"file": upload()}).status_code == 401
    response = client.post("/api/v1/cooperations/import", {"file": upload()}, headers=member)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    editor = bearer(_user("red", orgs["3403"], Role.EDITOR))
    response = client.post(
        "/api/v1/cooperations/import", {"file": upload(name="samarbeid.txt")}, headers=editor
    )
    assert response.status_code == 422 and "file" in fields_of(response)
    response = client.post("/api/v1/cooperations/import", {"dry_run": "true"}, headers=editor)
    assert response.status_code == 422 and "file" in fields_of(response)
    assert Cooperation.objects.count() == 0


# --- the description ---------------------------------------------------------------------------


def test_openapi_documents_the_codes_and_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    assert "iks" in components["CooperationIn"]["properties"]["legal_form"]["enum"]
    assert "climate" in components["CooperationIn"]["properties"]["areas"]["items"]["enum"]
    assert "board" in components["CooperationBodyIn"]["properties"]["kind"]["enum"]
    assert "deputy" in components["CooperationBodyMemberIn"]["properties"]["role"]["enum"]
    assert (
        "shares"
        in components["CooperationAgreementVersionIn"]["properties"]["items_covered"]["items"][
            "enum"
        ]
    )
    assert components["CooperationParticipantsIn"]["additionalProperties"] is False
    operations = [
        op
        for path, ops in schema["paths"].items()
        if "cooperations" in path
        for op in ops.values()
        if isinstance(op, dict)
    ]
    assert len(operations) >= 20
    assert all(op["summary"] and op["description"] and op["operationId"] for op in operations)
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))


def test_openapi_components_are_this_registers_schemas(client, db):
    """A schema of another register with the same name would replace ours in the description
    (ninja names components by class name): each of ours is there with its own fields."""
    from ninja import Schema

    from kraftsenter.cooperations import api

    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    ours = [
        c
        for c in vars(api).values()
        if isinstance(c, type) and issubclass(c, Schema) and c.__module__ == api.__name__
    ]
    assert len(ours) > 15
    for schema in ours:
        if schema.__name__ in components:
            assert set(components[schema.__name__]["properties"]) == set(schema.model_fields), (
                schema.__name__
            )
