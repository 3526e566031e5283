"""The consultation API as the authority's and the Sami parties' systems use it: a whole case
from screening to final decision, the refusals (403, 422, 412) that write nothing, exempt
material that does not exist for outsiders, and the second and third party."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.consultations.models import (
    Consultation,
    Document,
    InformationEntry,
    Meeting,
    Party,
    Protocol,
)
from kraftsenter.core.history import history_for, snapshot
from kraftsenter.core.testing import etag_version

from .conftest import screen
from .test_views_api import user_in

pytestmark = pytest.mark.django_db

API = "/api/v1/consultations"
PROBLEM = "application/problem+json"


def orgnr(start: int) -> str:
    """The first valid organisation number (MOD11) from ``start`` (eight digits)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    for base in range(start, start + 100):
        digits = str(base)
        rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if rest == 0 else 11 - rest
        if check < 10:
            return digits + str(check)
    raise AssertionError("no valid number")


@pytest.fixture
def systems(sami):
    """Each organisation's system: an API token of one of its editors. The authority, the
    district and a siida have organisation numbers, for the calls that give them."""
    orgs = {
        **sami,
        "siida": organisation_create(actor="t", name="Siida Ávžža", kind=OrganisationKind.SIIDA),
    }
    for key, start in (("karasjok", 96483053), ("district", 91234567), ("siida", 92345678)):
        Organisation.objects.filter(pk=orgs[key].pk).update(organisation_number=orgnr(start))
        orgs[key].refresh_from_db()
    auth = {}
    for key in ("karasjok", "sametinget", "district", "siida", "firm"):
        user = user_in(orgs[key], name=f"system-{key}")
        _token, text = token_create(actor="t", user=user, name="system", days=1)
        auth[key] = {"Authorization": f"Bearer {text}"}
    auth["anonymous"] = {}
    return {"orgs": orgs, "auth": auth}


def send(client, method, url, body=None, auth=None, **headers):
    return getattr(client, method)(
        url, body or {}, content_type="application/json", headers={**(auth or {}), **headers}
    )


def state(case) -> tuple:
    """What a refused call must leave as it was: the case, its parts and its history."""
    fresh = Consultation.objects.get(pk=case.pk)
    return (
        snapshot(fresh),
        history_for(fresh).count(),
        sorted((p.pk, p.version, p.response) for p in Party.objects.filter(consultation=fresh)),
        InformationEntry.objects.count(),
        Document.objects.count(),
        Meeting.objects.count(),
        Protocol.objects.count(),
    )


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


# --- a whole case ---------------------------------------------------------------------------


def test_a_whole_case_from_screening_to_decision_through_the_api(client, systems):
    orgs, auth = systems["orgs"], systems["auth"]
    authority = auth["karasjok"]

    # The authority's system registers the case, naming itself by organisation number.
    response = send(
        client,
        "post",
        API,
        {
            "title": "Kommuneplanens arealdel",
            "kind": "plan",
            "plan_kind": "community_part",
            "authority": orgs["karasjok"].organisation_number,
            "municipalities": ["5610"],
        },
        authority,
    )
    assert response.status_code == 201, response.json()
    case = response.json()
    assert response["Location"].endswith(f"{API}/{case['id']}")
    assert etag_version(response) == 1
    assert (case["status"], case["level"], case["screening_result"]) == (
        "screening",
        "municipality",
        None,
    )
    assert case["authority"] == orgs["karasjok"].pk
    assert case["url"].startswith("http://testserver/konsultasjoner/")
    url = f"{API}/{case['id']}"

    # Screening, with the version as If-Match.
    response = send(
        client,
        "post",
        f"{url}/screening",
        {
            "direct_effect": True,
            "general_matter": False,
            "natural_basis": True,
            "traditional_area": True,
            "screening_reasoning": "Planen berører vinterbeite.",
            "screening_result": "required",
        },
        authority,
        **{"If-Match": response["ETag"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["screening_result"] == "required"
    assert etag_version(response) == response.json()["version"]

    # Three parties: by id, by organisation number, by id.
    parties = {}
    for key, ref in (
        ("sametinget", orgs["sametinget"].pk),
        ("district", orgs["district"].organisation_number),
        ("siida", orgs["siida"].pk),
    ):
        response = send(client, "post", f"{url}/parties", {"organisation": ref}, authority)
        assert response.status_code == 201, response.json()
        party = response.json()
        assert party["organisation"]["id"] == orgs[key].pk and party["response"] == "pending"
        assert client.get(response["Location"]).json()["id"] == party["id"]
        parties[key] = party["id"]

    version = client.get(url).json()["version"]
    response = send(
        client,
        "post",
        f"{url}/notice",
        {
            "notice_sent_on": "2026-03-01",
            "notice_content": "Varsel om oppstart av planarbeid.",
            "response_deadline": "2026-04-01",
            "version": version,
        },
        authority,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "notified"

    # Each party's system records its own answer.
    for key, answer, still_possible in (
        ("sametinget", "declines", False),
        ("district", "wants", False),
        ("siida", "wants", True),
    ):
        response = send(
            client,
            "post",
            f"{url}/parties/{parties[key]}/answer",
            {
                "response": answer,
                "responded_on": "2026-03-10",
                "agreement_still_possible": still_possible,
                "note": f"Svar fra {key}",
            },
            auth[key],
        )
        assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_consultation"
    answers = {p["organisation"]["id"]: p["response"] for p in body["party_answers"]}
    assert answers == {
        orgs["sametinget"].pk: "declines",
        orgs["district"].pk: "wants",
        orgs["siida"].pk: "wants",
    }

    # The district's system logs information shared with the second and third party.
    response = send(
        client,
        "post",
        f"{url}/information",
        {
            "shared_on": "2026-03-12",
            "content": "Kart over flyttleiene.",
            "shared_with": [orgs["district"].organisation_number, orgs["siida"].pk],
            "access": "exempt",
            "exemption_basis": "offl_13",
        },
        auth["district"],
    )
    assert response.status_code == 201, response.json()
    entry = response.json()
    assert {o["id"] for o in entry["shared_with"]} == {orgs["district"].pk, orgs["siida"].pk}
    assert client.get(response["Location"], headers=auth["siida"]).json() == entry

    response = send(
        client,
        "post",
        f"{url}/documents",
        {"title": "Planforslag", "url": "https://example.no/planforslag.pdf"},
        authority,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["access"] == "public" and response.json()["exemption_basis"] is None
    assert response.json()["origin"] == "consultation"
    assessments_doc = response.json()["id"]

    # A meeting with its protocol; the protocol is read at its Location.
    response = send(
        client,
        "post",
        f"{url}/meetings",
        {
            "held_on": "2026-04-02",
            "place": "Karasjok",
            "participants": "Kommunen, distriktet, siidaen",
            "matter": "Planforslaget",
            "assessments": "Distriktet: flyttleia må holdes åpen.",
            "conclusions": "Flyttleia holdes åpen.",
            "agreement": "reached",
            "sami_language": "se",
            "matter_sami": "Plánaevttohus",
        },
        authority,
    )
    assert response.status_code == 201, response.json()
    protocol = response.json()
    assert response["Location"].endswith(f"{url}/meetings/{protocol['meeting']}/protocol")
    assert client.get(response["Location"]).json() == protocol
    assert protocol["url"].endswith(f"/protokoller/{protocol['id']}/")

    # The siida still sees agreement as possible: the conclusion needs the reason (§ 4-6).
    version = client.get(url).json()["version"]
    conclusion = {"concluded_on": "2026-04-10", "agreement_reached": True, "version": version}
    response = send(client, "post", f"{url}/conclusion", conclusion, authority)
    assert response.status_code == 422 and "conclusion_reason" in fields(response)
    conclusion["conclusion_reason"] = "Partene er enige om traseen."
    response = send(client, "post", f"{url}/conclusion", conclusion, authority)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "concluded_agreement"

    response = send(
        client,
        "post",
        f"{url}/decision",
        {
            "decision_on": "2026-05-01",
            "decision_summary": "Planen er vedtatt.",
            "assessment_documents": [assessments_doc],
            "version": response.json()["version"],
        },
        authority,
    )
    assert response.status_code == 200, response.json()
    final = response.json()
    assert final["decision_on"] == "2026-05-01" and not final["decision_before_conclusion"]
    assert final["assessment_documents"] == [assessments_doc]
    assert final["sami_assessments_attached"] is True
    assert final["concluded_on"] == "2026-04-10"
    assert final["notice_content"] == "Varsel om oppstart av planarbeid."

    # Every step is in the case's history.
    history = client.get(f"{url}/history", {"page_size": 200}).json()
    actions = {c["action"] for c in history["items"]}
    assert {
        "consultation.created",
        "consultation.screened",
        "consultation.party_added",
        "consultation.notified",
        "consultation.answer_recorded",
        "consultation.started",
        "document.created",
        "protocol.created",
        "consultation.concluded",
        "consultation.decided",
    } <= actions


def test_the_answer_of_each_of_three_parties_and_their_notes(client, systems, case):
    orgs, auth = systems["orgs"], systems["auth"]
    case = screen(case)
    for key in ("sametinget", "district", "siida"):
        services.party_add(actor="t", consultation=case, organisation=orgs[key])
    case.refresh_from_db()
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 4, 1),
    )
    url = f"{API}/{case.pk}"
    listed = client.get(f"{url}/parties").json()
    assert len(listed) == 3 and {p["response"] for p in listed} == {"pending"}
    by_org = {p["organisation"]["id"]: p["id"] for p in listed}
    # The second and third party answer through the authority's system.
    for key, answer in (("district", "declines"), ("siida", "wants")):
        response = send(
            client,
            "post",
            f"{url}/parties/{by_org[orgs[key].pk]}/answer",
            {"response": answer, "responded_on": "2026-03-05", "note": "Muntlig svar"},
            auth["karasjok"],
        )
        assert response.status_code == 200, response.json()
    answers = {p["organisation"]["id"]: p for p in client.get(f"{url}/parties").json()}
    assert answers[orgs["district"].pk]["response"] == "declines"
    assert answers[orgs["siida"].pk]["response"] == "wants"
    assert answers[orgs["sametinget"].pk]["response"] == "pending"
    # The note is for those who may record answers.
    assert answers[orgs["siida"].pk]["note"] is None
    mine = client.get(f"{url}/parties", headers=auth["siida"]).json()
    assert {p["note"] for p in mine} == {"", "Muntlig svar"}
    assert client.get(f"{url}/parties/0").status_code == 404


# --- refusals -----------------------------------------------------------------------------


@pytest.fixture
def notified(case, systems):
    orgs = systems["orgs"]
    case = screen(case)
    for key in ("sametinget", "district", "siida"):
        services.party_add(actor="t", consultation=case, organisation=orgs[key])
    case.refresh_from_db()
    return services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 4, 1),
    )


def _authority_steps(case) -> list[tuple[str, dict]]:
    return [
        (
            "screening",
            {"screening_reasoning": "x", "screening_result": "required", "version": case.version},
        ),
        ("parties", {"organisation": Organisation.objects.get(name="Reinbeitedistrikt 13").pk}),
        (
            "notice",
            {
                "notice_sent_on": "2026-03-01",
                "notice_content": "x",
                "response_deadline": "2026-04-01",
                "version": case.version,
            },
        ),
        (
            "conclusion",
            {"concluded_on": "2026-04-01", "agreement_reached": False, "version": case.version},
        ),
        (
            "decision",
            {"decision_on": "2026-05-01", "decision_summary": "x", "version": case.version},
        ),
    ]


@pytest.mark.parametrize("who", ["district", "siida", "firm", "anonymous"])
def test_a_party_or_outsider_cannot_take_the_authoritys_steps(client, systems, notified, who):
    for step, body in _authority_steps(notified):
        before = state(notified)
        response = send(client, "post", f"{API}/{notified.pk}/{step}", body, systems["auth"][who])
        expected = 401 if who == "anonymous" else 403
        assert response.status_code == expected, (step, response.json())
        assert response["Content-Type"] == PROBLEM
        assert state(notified) == before, step
    if who == "anonymous":
        assert response.has_header("WWW-Authenticate")
    else:
        assert "konsulterende myndigheten" in response.json()["detail"]


def test_an_outsider_cannot_answer_nor_add_material(client, systems, notified):
    party = notified.parties.first()
    before = state(notified)
    for path, body in (
        (f"parties/{party.pk}/answer", {"response": "wants", "responded_on": "2026-03-05"}),
        ("information", {"shared_on": "2026-03-05", "content": "x"}),
        ("documents", {"title": "x", "url": "https://example.no/x"}),
        (
            "meetings",
            {
                "held_on": "2026-04-01",
                "matter": "m",
                "assessments": "a",
                "conclusions": "c",
                "agreement": "reached",
            },
        ),
    ):
        response = send(
            client, "post", f"{API}/{notified.pk}/{path}", body, systems["auth"]["firm"]
        )
        assert response.status_code == 403, (path, response.json())
    assert state(notified) == before


def test_an_answer_dated_before_the_notice_is_422_and_writes_nothing(client, systems, notified):
    party = notified.parties.get(organisation=systems["orgs"]["district"])
    before = state(notified)
    response = send(
        client,
        "post",
        f"{API}/{notified.pk}/parties/{party.pk}/answer",
        {"response": "wants", "responded_on": "2026-02-20"},
        systems["auth"]["district"],
    )
    assert response.status_code == 422
    assert fields(response) == ["responded_on"]
    assert "§ 4-5" in response.json()["errors"][0]["message"]
    assert state(notified) == before


def test_an_answer_for_a_party_of_another_case_is_404(client, systems, notified, sami):
    other = services.consultation_create(
        actor="t", title="Annen sak", kind="measure", authority=sami["karasjok"]
    )
    party = notified.parties.first()
    response = send(
        client,
        "post",
        f"{API}/{other.pk}/parties/{party.pk}/answer",
        {"response": "wants", "responded_on": "2026-03-05"},
        systems["auth"]["karasjok"],
    )
    assert response.status_code == 404


@pytest.fixture
def running(notified, systems):
    for party in notified.parties.all():
        services.party_respond(
            actor="t", party=party, response="wants", responded_on=dt.date(2026, 3, 10)
        )
    notified.refresh_from_db()
    return notified


MEETING = {
    "held_on": "2026-04-01",
    "matter": "Planforslaget",
    "assessments": "Vurdert",
    "conclusions": "Enige",
    "agreement": "reached",
}


@pytest.mark.parametrize(
    "change,field",
    [
        ({"conclusions": None}, "conclusions"),  # left out
        ({"conclusions": "  "}, "conclusions"),  # § 4-7
        ({"agreement": "maybe"}, "agreement"),
        ({"held_on": "1. april"}, "held_on"),
        ({"matter_sami": "Plána"}, "sami_language"),
        ({"access": "exempt"}, "exemption_basis"),
        ({"access": "exempt", "exemption_basis": "offl_99"}, "exemption_basis"),
        # Offentleglova § 19 is for state bodies; Karasjok is a municipality.
        ({"access": "exempt", "exemption_basis": "offl_19"}, "exemption_basis"),
        ({"access": "exempt", "exemption_basis": "other"}, "exemption_note"),
        ({"protocol": "Enighet"}, "protocol"),  # unknown field
    ],
)
def test_a_bad_meeting_is_422_with_the_field_and_writes_nothing(
    client, systems, running, change, field
):
    body = {**MEETING, **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = state(running)
    response = send(
        client, "post", f"{API}/{running.pk}/meetings", body, systems["auth"]["karasjok"]
    )
    assert response.status_code == 422, response.json()
    assert field in fields(response)
    assert state(running) == before


@pytest.mark.parametrize(
    "path,body,field",
    [
        (
            "documents",
            {
                "title": "Notat",
                "url": "https://example.no/n",
                "access": "exempt",
                "exemption_basis": "offl_99",
            },
            "exemption_basis",
        ),
        ("documents", {"title": "Notat", "url": "ikke en adresse"}, "url"),
        ("documents", {"title": "Notat", "url": "https://example.no/n", "websit": "x"}, "websit"),
        (
            "information",
            {"shared_on": "2026-03-05", "content": "Kart", "shared_with": ["firm"]},
            "shared_with",
        ),
        ("information", {"shared_on": "2026-13-05", "content": "Kart"}, "shared_on"),
        ("parties", {"organisation": "999999999"}, "organisation"),
        ("parties", {"organisation": ""}, "organisation"),
        ("parties", {"organisation": "firm"}, "organisation"),
    ],
)
def test_bad_material_or_party_is_422_with_the_field_and_writes_nothing(
    client, systems, running, path, body, field
):
    orgs = systems["orgs"]
    # "firm": an organisation that exists but is not a party (nor a Sami interest).
    body = {
        k: ([orgs["firm"].pk] if v == ["firm"] else orgs["firm"].pk if v == "firm" else v)
        for k, v in body.items()
    }
    before = state(running)
    response = send(client, "post", f"{API}/{running.pk}/{path}", body, systems["auth"]["karasjok"])
    assert response.status_code == 422, response.json()
    assert field in fields(response), response.json()
    assert state(running) == before


def test_a_step_without_the_version_or_with_a_stale_one_writes_nothing(client, systems, running):
    url = f"{API}/{running.pk}/conclusion"
    body = {"concluded_on": "2026-04-10", "agreement_reached": False}
    before = state(running)
    response = send(client, "post", url, body, systems["auth"]["karasjok"])
    assert response.status_code == 422 and fields(response) == ["version"]
    stale = {"If-Match": f'"{running.version - 1}"'}
    response = send(client, "post", url, body, systems["auth"]["karasjok"], **stale)
    assert response.status_code == 412
    assert response.json()["current_version"] == running.version
    response = send(
        client, "post", url, {**body, "version": running.version - 1}, systems["auth"]["karasjok"]
    )
    assert response.status_code == 409
    assert state(running) == before


def test_patch_refuses_the_status_and_decision_it_does_not_take(client, systems, case):
    """The issue's example: fields a PATCH does not take are refused, not dropped."""
    before = state(case)
    response = send(
        client,
        "patch",
        f"{API}/{case.pk}",
        {"status": "concluded", "decision_on": "2026-03-01", "version": case.version},
        systems["auth"]["karasjok"],
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_field"
    assert set(fields(response)) == {"status", "decision_on"}
    assert state(case) == before


def test_patch_changes_kind_and_municipalities_with_if_match(client, systems, case):
    response = send(
        client,
        "patch",
        f"{API}/{case.pk}",
        {"kind": "measure", "municipalities": ["5610", "5601"]},
        systems["auth"]["karasjok"],
        **{"If-Match": f'"{case.version}"'},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["kind"] == "measure" and sorted(body["municipalities"]) == ["5601", "5610"]
    response = send(
        client,
        "patch",
        f"{API}/{case.pk}",
        {"municipalities": ["9999"], "version": body["version"]},
        systems["auth"]["karasjok"],
    )
    assert response.status_code == 422 and fields(response) == ["municipalities"]


def test_create_refuses_an_unknown_authority_and_a_firm(client, systems):
    firm = systems["orgs"]["firm"]
    for who, authority, status, field in (
        ("karasjok", "999999999", 422, "authority"),
        ("karasjok", "", 422, "authority"),  # found by the fuzzer (was a server error)
        ("karasjok", firm.pk, 403, ""),  # not an editor of the firm
        # A firm consults only when it exercises state authority (sameloven § 4-3 letter b)
        ("firm", firm.pk, 422, "delegated_authority"),
    ):
        response = send(
            client,
            "post",
            API,
            {"title": "X", "kind": "measure", "authority": authority},
            systems["auth"][who],
        )
        assert response.status_code == status, (authority, response.json())
        if status == 422:
            assert fields(response) == [field]
    assert not Consultation.objects.exists()


# --- exempt material ------------------------------------------------------------------------


@pytest.fixture
def exempt(running, systems):
    """An exempt log entry and document shared with the district only, and an exempt
    protocol (for the authority and every party)."""
    district = systems["orgs"]["district"]
    services.information_add(
        actor="t",
        consultation=running,
        shared_on=dt.date(2026, 3, 12),
        content="HEMMELIG kart over kalvingsland",
        shared_with=[district],
        access="exempt",
        exemption_basis="offl_13",
    )
    services.document_add(
        actor="t",
        consultation=running,
        title="HEMMELIG notat",
        url="https://example.no/hemmelig",
        shared_with=[district],
        access="exempt",
        exemption_basis="offl_13",
    )
    services.meeting_with_protocol_add(
        actor="t",
        consultation=running,
        held_on=dt.date(2026, 4, 2),
        matter="HEMMELIG sak",
        assessments="a",
        conclusions="c",
        agreement="partly",
        access="exempt",
        exemption_basis="offl_13",
    )
    services.document_add(
        actor="t", consultation=running, title="Planforslag", url="https://example.no/plan"
    )
    return running


def _reads(case) -> list[tuple[str, int]]:
    """Every read that could show the exempt material, and its status for an outsider."""
    url = f"{API}/{case.pk}"
    entry = InformationEntry.objects.get(consultation=case)
    document = Document.objects.get(consultation=case, access="exempt")
    meeting = Meeting.objects.get(consultation=case)
    return [
        (url, 200),
        (f"{url}/history?page_size=200", 200),
        (f"{url}/parties", 200),
        (f"{url}/information", 200),
        (f"{url}/documents", 200),
        (f"{url}/protocols", 200),
        (f"{url}/information/{entry.pk}", 404),
        (f"{url}/documents/{document.pk}", 404),
        (f"{url}/meetings/{meeting.pk}/protocol", 404),
        (f"{API}?page_size=200", 200),
        ("/api/v1/changes?after=0&limit=200", 200),
    ]


@pytest.mark.parametrize("who", ["anonymous", "firm"])
def test_exempt_material_does_not_exist_for_an_outsider_in_any_read(client, systems, exempt, who):
    for url, status in _reads(exempt):
        response = client.get(url, headers=systems["auth"][who])
        assert response.status_code == status, url
        text = response.content.decode()
        assert "HEMMELIG" not in text, url
        assert "offl_13" not in text and "offl_14" not in text, url
        assert "kalvingsland" not in text and "hemmelig" not in text, url
    documents = client.get(f"{API}/{exempt.pk}/documents", headers=systems["auth"][who]).json()
    assert [d["title"] for d in documents] == ["Planforslag"]
    assert client.get(f"{API}/{exempt.pk}/protocols", headers=systems["auth"][who]).json() == []


def test_exempt_material_for_the_party_it_is_shared_with_and_the_authority(client, systems, exempt):
    url = f"{API}/{exempt.pk}"
    for who in ("district", "karasjok"):
        auth = systems["auth"][who]
        assert len(client.get(f"{url}/information", headers=auth).json()) == 1
        titles = {d["title"] for d in client.get(f"{url}/documents", headers=auth).json()}
        assert titles == {"Planforslag", "HEMMELIG notat"}
        assert len(client.get(f"{url}/protocols", headers=auth).json()) == 1
        # The reads the outsider test checks do carry it for those who may see it.
        for read in (f"{url}/history?page_size=200", "/api/v1/changes?after=0&limit=200"):
            assert "HEMMELIG" in client.get(read, headers=auth).content.decode(), (who, read)
    # The siida is a party, but the entry and the document were not shared with it; the
    # exempt protocol is for every party.
    siida = systems["auth"]["siida"]
    assert client.get(f"{url}/information", headers=siida).json() == []
    assert [d["title"] for d in client.get(f"{url}/documents", headers=siida).json()] == [
        "Planforslag"
    ]
    entry = InformationEntry.objects.get(consultation=exempt)
    assert client.get(f"{url}/information/{entry.pk}", headers=siida).status_code == 404
    protocols = client.get(f"{url}/protocols", headers=siida).json()
    assert [p["matter"] for p in protocols] == ["HEMMELIG sak"]
    assert protocols[0]["exemption_basis"] == "offl_13"


def test_list_filters_take_an_organisation_number(client, systems, running):
    orgs = systems["orgs"]
    for params, count in (
        ({"party": orgs["district"].organisation_number}, 1),
        ({"party": orgs["district"].pk}, 1),
        ({"party": orgs["firm"].pk}, 0),
        ({"authority": orgs["karasjok"].organisation_number}, 1),
        ({"authority": orgs["karasjok"].pk}, 1),
    ):
        response = client.get(API, params)
        assert response.status_code == 200, (params, response.json())
        assert response.json()["count"] == count, params
    for params in (
        {"party": "Sametinget"},
        {"party": "12345678901234567890"},
        {"authority": "999999999"},
        {"authority": "12345678901234567890"},
    ):
        assert client.get(API, params).status_code == 422, params
