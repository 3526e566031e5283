"""Cooperation pages and API as users see them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations.models import AgreementVersion, Cooperation, CouncilDecision
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import ParticipantInput, cooperation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-red", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def coop(ipr_data):
    return cooperation_create(actor="t", **ipr_data)


def create_post(orgs, **extra):
    data = {
        "name": "Hamarregionen interkommunalt politisk råd",
        "legal_form": "ipr",
        "areas": ["regional_policy", "business"],
        "status": "planned",
        "published": "on",
        "p-TOTAL_FORMS": "3",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
        "p-0-organisation": "3403",
        "p-0-ownership_share": "60",
        "p-1-organisation": "Løten",
        "p-1-ownership_share": "40",
    }
    data.update(extra)
    return data


def test_create_page_registers_cooperation_with_participants(client, editor, orgs):
    client.force_login(editor)
    response = client.post("/samarbeid/ny/", create_post(orgs))
    coop = Cooperation.objects.get()
    assert response.status_code == 302 and response["Location"] == coop.get_absolute_url()
    assert sorted(p.organisation.name for p in coop.participants.all()) == [
        "Hamar kommune",
        "Løten kommune",
    ]


def test_create_page_rule_violation_is_shown_on_the_form_and_nothing_written(client, editor, orgs):
    client.force_login(editor)
    response = client.post("/samarbeid/ny/", create_post(orgs, **{"p-1-ownership_share": "30"}))
    html = response.content.decode()
    assert response.status_code == 422 and "§ 18-4 fjerde ledd bokstav f" in html and "90" in html
    assert Cooperation.objects.count() == 0


def test_create_page_unknown_participant_is_explained(client, editor, orgs):
    client.force_login(editor)
    response = client.post("/samarbeid/ny/", create_post(orgs, **{"p-1-organisation": "Atlantis"}))
    assert response.status_code == 422 and "Atlantis" in response.content.decode()


def test_create_page_for_other_municipalities_only_is_refused(client, editor, orgs):
    client.force_login(editor)
    response = client.post(
        "/samarbeid/ny/",
        create_post(orgs, **{"p-0-organisation": "5601", "p-1-organisation": "5610"}),
    )
    assert response.status_code == 403 and Cooperation.objects.count() == 0


def test_detail_page_shows_checklist_and_missing_decisions(client, coop, orgs):
    AgreementVersion.objects.create(cooperation=coop, number=1, items_covered=["name"])
    html = client.get(coop.get_absolute_url()).content.decode()
    assert "§ 18-4" in html and "ks-missing" in html
    assert "Løten kommune" in html and "Hamar kommune" in html


def test_agreement_and_decision_pages_lead_to_activation(client, editor, coop, orgs):
    client.force_login(editor)
    client.post(
        f"/samarbeid/{coop.pk}/avtale/ny/", {"items_covered": sorted(mandatory_codes("ipr"))}
    )
    version = AgreementVersion.objects.get(cooperation=coop)
    for org, day in ((orgs["3403"], "2019-12-10"), (orgs["3412"], "2019-12-12")):
        response = client.post(
            f"/samarbeid/{coop.pk}/vedtak/ny/",
            {
                "agreement_version": version.pk,
                "organisation": org.pk,
                "decided_on": day,
                "body": "kommunestyret",
                "case_reference": "19/1",
            },
        )
        assert response.status_code == 302
    assert CouncilDecision.objects.count() == 2
    coop.refresh_from_db()
    data = {
        "name": coop.name,
        "legal_form": "ipr",
        "areas": ["regional_policy"],
        "status": "active",
        "start_date": "2020-01-01",
        "published": "on",
        "version": coop.version,
    }
    response = client.post(f"/samarbeid/{coop.pk}/endre/", data)
    coop.refresh_from_db()
    assert response.status_code == 302 and coop.status == "active"


def test_activation_refused_on_page_names_the_rule(client, editor, coop):
    client.force_login(editor)
    response = client.post(
        f"/samarbeid/{coop.pk}/endre/",
        {
            "name": coop.name,
            "legal_form": "ipr",
            "areas": ["business"],
            "status": "active",
            "published": "on",
            "version": coop.version,
        },
    )
    assert response.status_code == 422 and "§ 18-4" in response.content.decode()


def test_participants_page_changes_shares_as_one_step(client, editor, coop, orgs):
    client.force_login(editor)
    response = client.post(
        f"/samarbeid/{coop.pk}/deltakere/",
        {
            "version": coop.version,
            "p-TOTAL_FORMS": "3",
            "p-INITIAL_FORMS": "2",
            "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "1000",
            "p-0-organisation": "3403",
            "p-0-ownership_share": "50",
            "p-1-organisation": "3412",
            "p-1-ownership_share": "50",
            "reason": "Ny fordeling",
        },
    )
    assert response.status_code == 302
    assert sorted(coop.participants.values_list("ownership_share", flat=True)) == [
        Decimal("50"),
        Decimal("50"),
    ]


def test_list_filters_by_area_form_and_municipality(client, coop, orgs):
    cooperation_create(
        actor="t",
        name="Alta IKT KO",
        legal_form="ko",
        areas=["ict"],
        participants=[
            ParticipantInput(orgs["5601"], Decimal(50)),
            ParticipantInput(orgs["5610"], Decimal(50)),
        ],
    )
    html = client.get("/samarbeid/", {"area": "ict"}).content.decode()
    assert "Alta IKT KO" in html and coop.name not in html
    body = client.get("/api/v1/cooperations", {"municipality": "3412"}).json()
    assert [c["name"] for c in body["items"]] == [coop.name]
    body = client.get("/api/v1/cooperations", {"form": "ko", "county": "56"}).json()
    assert [c["name"] for c in body["items"]] == ["Alta IKT KO"]


def test_api_cooperation_has_documented_fields(client, coop, orgs):
    body = client.get(f"/api/v1/cooperations/{coop.pk}").json()
    assert {"id", "name", "legal_form", "areas", "status", "participants", "version"} <= set(body)
    assert body["areas"] == ["business", "regional_policy"]
    assert {p["organisation"]: p["ownership_share"] for p in body["participants"]} == {
        orgs["3403"].pk: "60.000",
        orgs["3412"].pk: "40.000",
    }


def test_api_create_rule_violation_is_422_with_field_and_rule(client, editor, orgs):
    _t, text = token_create(actor="t", user=editor, name="t", days=1)
    response = client.post(
        "/api/v1/cooperations",
        {
            "name": "Feil",
            "legal_form": "ipr",
            "areas": ["ict"],
            "participants": [
                {"organisation": orgs["3403"].pk, "ownership_share": 50},
                {"organisation": orgs["3412"].pk, "ownership_share": 25},
                {"organisation": orgs["firm"].pk, "ownership_share": 25},
            ],
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}"},
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "§ 18-1" in fields["name"] and "§ 18-1" in fields["participants"]


def test_api_municipality_cooperations(client, coop):
    # Each municipality's own, read one after another (the municipal organisation's id is a
    # kept statement's parameter): Hamar and Løten take part, Alta does not.
    for number, expected in (("3403", [coop.pk]), ("5601", []), ("3412", [coop.pk])):
        body = client.get(f"/api/v1/municipalities/{number}/cooperations").json()
        assert [c["id"] for c in body["items"]] == expected, number
    assert client.get("/api/v1/municipalities/9999/cooperations").status_code == 404


def test_api_history_records_participant_change(client, editor, coop, orgs):
    _t, text = token_create(actor="t", user=editor, name="t", days=1)
    response = client.patch(
        f"/api/v1/cooperations/{coop.pk}",
        {
            "version": coop.version,
            "participants": [
                {"organisation": orgs["3403"].pk, "ownership_share": 70},
                {"organisation": orgs["3412"].pk, "ownership_share": 30},
            ],
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}"},
    )
    assert response.status_code == 200, response.json()
    actions = [
        i["action"] for i in client.get(f"/api/v1/cooperations/{coop.pk}/history").json()["items"]
    ]
    assert actions == ["cooperation.participants_changed", "cooperation.created"]


def test_unpublished_cooperation_hidden_from_public_visible_to_participant(
    client, editor, orgs, ipr_data
):
    ipr_data["published"] = False
    coop = cooperation_create(actor="t", **ipr_data)
    assert client.get(coop.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/cooperations").json()["count"] == 0
    client.force_login(editor)
    assert client.get(coop.get_absolute_url()).status_code == 200


def test_list_query_count_constant(client, orgs):
    def make(n):
        for _i in range(n):
            cooperation_create(
                actor="t",
                name=f"Samarbeid {len(Cooperation.objects.all())} KO",
                legal_form="ko",
                areas=["ict", "procurement"],
                participants=[
                    ParticipantInput(orgs["5601"], Decimal(50)),
                    ParticipantInput(orgs["5610"], Decimal(50)),
                ],
            )

    urls = [
        "/samarbeid/",
        "/api/v1/cooperations",
        # The filters and a municipality's cooperations, as a member of a participant sees
        # them (the visibility's owners' clause) and anonymously.
        "/samarbeid/?form=ko&area=ict&county=56",
        "/api/v1/cooperations?form=ko&area=ict&county=56",
        "/api/v1/municipalities/5601/cooperations",
    ]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            out.append(len(captured))
        return out

    make(2)
    few = counts()
    assert client.get(urls[4]).json()["count"] == 2
    make(10)
    assert counts() == few
    assert client.get(urls[4]).json()["count"] == 12
    # No SELECT DISTINCT for a member either: the owners' clause is an EXISTS.
    member = get_user_model().objects.create_user("alta-medlem", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["5601"], user=member, role=Role.MEMBER)
    client.force_login(member)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(urls[2]).status_code == 200
    assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"]]
    as_member = counts()
    make(3)
    assert counts() == as_member
