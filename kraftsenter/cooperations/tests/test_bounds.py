"""Bounds of the cooperation register (docs/bounds.md): the extreme valid value of every field
never breaks a page, a CSV download or the API; a value out of bounds is refused on the page, in
the API and by the service, naming the field, with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import Cooperation, Participant
from kraftsenter.cooperations.services import ParticipantInput
from kraftsenter.core import bounds
from kraftsenter.core.history import history_for
from kraftsenter.core.tests.extremes import crawl, long_text, store_extremes

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-red", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    user.auth = {"Authorization": f"Bearer {text}"}
    return user


@pytest.fixture(params=["earliest", "latest"])
def extremes(request, ipr_data, orgs):
    """A cooperation with every part, every field at its extreme (earliest dates and smallest
    numbers, or latest dates and largest numbers; the longest texts in both)."""
    high = request.param == "latest"
    coop = services.cooperation_create(actor="t", **ipr_data, host=orgs["3403"])
    version = services.agreement_version_add(
        actor="t", cooperation=coop, summary="Første avtale", document_url="https://a.no/"
    )
    services.council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["3403"],
        decided_on=dt.date(2020, 1, 1),
    )
    body = services.body_add(actor="t", cooperation=coop, kind="representantskap", name="R")
    services.body_member_add(
        actor="t", body=body, person_name="Kari", role="chair", organisation=orgs["3403"]
    )
    services.document_add(actor="t", cooperation=coop, title="Avtale", url="https://a.no/b")
    for record in [
        coop,
        version,
        body,
        *coop.participants.all(),
        *version.decisions.all(),
        *body.members.all(),
        *coop.documents.all(),
    ]:
        store_extremes(record, high=high)
    return coop


def test_extreme_values_of_every_field_render_on_every_page_csv_and_api(client, extremes, editor):
    coop = Cooperation.objects.get(pk=extremes.pk)
    shares = set(Participant.objects.values_list("ownership_share", flat=True))
    assert len(coop.name) == bounds.TITLE_LENGTH and shares <= {Decimal(0), Decimal(100)}
    seeds = [
        "/samarbeid/",
        "/samarbeid/?format=csv",
        f"/samarbeid/{coop.pk}/",
        "/kommuner/3403/samarbeid/",
        "/kommuner/3403/samarbeid/?format=csv",
        "/kommuner/3403/eierskapsoversikt/",
        "/fylker/34/samarbeid/",
        "/fylker/34/eierskapsoversikt/",
        "/api/v1/cooperations",
        f"/api/v1/cooperations/{coop.pk}",
        f"/api/v1/cooperations/{coop.pk}/history",
        "/api/v1/municipalities/3403/cooperations",
        "/api/v1/changes",
    ]
    version = coop.agreement_versions.get()
    decision = version.decisions.get()
    body = coop.bodies.get()
    seeds += [
        f"/api/v1/cooperations/{coop.pk}/agreement-versions/{version.pk}",
        f"/api/v1/cooperations/{coop.pk}/agreement-versions/{version.pk}/decisions/{decision.pk}",
        f"/api/v1/cooperations/{coop.pk}/bodies/{body.pk}",
        f"/api/v1/cooperations/{coop.pk}/bodies/{body.pk}/members/{body.members.get().pk}",
        f"/api/v1/cooperations/{coop.pk}/documents/{coop.documents.get().pk}",
    ]
    assert crawl(client, seeds)[f"/samarbeid/{coop.pk}/"] == 200
    client.force_login(editor)
    assert crawl(client, seeds)[f"/samarbeid/{coop.pk}/deltakere/"] == 200


# --- out of bounds: refused, naming the field, nothing written --------------------------------


def test_api_second_participant_joined_out_of_range_is_422_naming_it(client, orgs, editor):
    body = {
        "name": "Hamarregionen interkommunalt politisk råd",
        "legal_form": "ipr",
        "areas": ["regional_policy"],
        "participants": [
            {"organisation": orgs["3403"].pk, "ownership_share": 60, "joined_on": "2020-01-01"},
            {"organisation": orgs["3412"].pk, "ownership_share": 40, "joined_on": "0001-01-01"},
        ],
    }
    response = client.post(
        "/api/v1/cooperations", body, content_type="application/json", headers=editor.auth
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["participants.1.joined_on"]
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start_date", "9999-12-31"),
        ("purpose", "x" * (bounds.TEXT_LENGTH + 1)),
        ("legal_basis", "x" * (bounds.LINE_LENGTH + 1)),
    ],
)
def test_api_cooperation_patch_out_of_bounds_is_422_and_changes_nothing(
    client, ipr_data, editor, field, value
):
    coop = services.cooperation_create(actor="t", **ipr_data)
    response = client.patch(
        f"/api/v1/cooperations/{coop.pk}",
        {"version": coop.version, field: value},
        content_type="application/json",
        headers=editor.auth,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Cooperation.objects.get(pk=coop.pk).version == coop.version


def test_api_agreement_version_url_too_long_is_422(client, ipr_data, editor):
    coop = services.cooperation_create(actor="t", **ipr_data)
    response = client.post(
        f"/api/v1/cooperations/{coop.pk}/agreement-versions",
        {"document_url": "https://www.example.no/" + "a" * bounds.URL_LENGTH},
        content_type="application/json",
        headers=editor.auth,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["document_url"]
    assert not coop.agreement_versions.exists()


def test_page_second_participant_with_a_share_and_date_out_of_bounds_is_refused(
    client, orgs, editor
):
    client.force_login(editor)
    response = client.post(
        "/samarbeid/ny/",
        {
            "name": "Hamarregionen interkommunalt politisk råd",
            "legal_form": "ipr",
            "areas": ["regional_policy"],
            "status": "planned",
            "p-TOTAL_FORMS": "2",
            "p-INITIAL_FORMS": "0",
            "p-MIN_NUM_FORMS": "0",
            "p-MAX_NUM_FORMS": "1000",
            "p-0-organisation": "3403",
            "p-0-ownership_share": "60",
            "p-1-organisation": "3412",
            "p-1-ownership_share": "100.0001",
            "p-1-joined_on": "2101-01-01",
        },
    )
    assert response.status_code == 422
    formset = response.context["formset"]
    assert formset.forms[0].errors == {}
    assert set(formset.forms[1].errors) == {"ownership_share", "joined_on"}
    assert not Cooperation.objects.exists()


def test_page_council_decision_dated_out_of_range_is_refused_on_its_field(
    client, ipr_data, orgs, editor
):
    coop = services.cooperation_create(actor="t", **ipr_data)
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    client.force_login(editor)
    response = client.post(
        f"/samarbeid/{coop.pk}/vedtak/ny/",
        {
            "agreement_version": version.pk,
            "organisation": orgs["3403"].pk,
            "decided_on": "1899-12-31",
            "body": "kommunestyret",
        },
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["decided_on"]
    assert not version.decisions.exists()


def test_service_refuses_the_second_participants_share_out_of_bounds(ipr_data, orgs):
    ipr_data["participants"] = [
        ParticipantInput(orgs["3403"], Decimal("60")),
        ParticipantInput(orgs["3412"], Decimal("40"), Decimal("100.5"), dt.date(1899, 1, 1)),
    ]
    with pytest.raises(ValidationError) as refused:
        services.cooperation_create(actor="t", **ipr_data)
    messages = refused.value.message_dict["participants"]
    assert len(messages) == 2 and all(orgs["3412"].name in m for m in messages)
    assert not Cooperation.objects.exists() and not Participant.objects.exists()


def _four_municipalities(orgs):
    found = [o for key, o in sorted(orgs.items()) if key.isdigit() and len(key) == 4]
    assert len(found) >= 4
    return found[:4]


def test_service_names_every_participant_whose_values_are_out_of_bounds(ipr_data, orgs):
    """The second and third participants give the same shares out of bounds: both are named,
    not only the first of them; the first and fourth, within bounds, are not."""
    a, b, c, d = _four_municipalities(orgs)
    ipr_data["participants"] = [
        ParticipantInput(a, Decimal("30")),
        ParticipantInput(b, Decimal("30"), Decimal("100.5")),
        ParticipantInput(c, Decimal("30"), Decimal("100.5")),
        ParticipantInput(d, Decimal("10")),
    ]
    with pytest.raises(ValidationError) as refused:
        services.cooperation_create(actor="t", **ipr_data)
    messages = refused.value.message_dict["participants"]
    assert len(messages) == 2
    assert [o.name for o in (a, b, c, d) if any(m.startswith(f"{o.name},") for m in messages)] == [
        b.name,
        c.name,
    ]
    assert not Cooperation.objects.exists() and not Participant.objects.exists()


def _refused_update(coop: Cooperation, **changes) -> ValidationError:
    """The service's refusal of ``changes`` to ``coop``; the cooperation keeps its version
    and its history (a refused change writes nothing)."""
    history = history_for(coop).count()
    with pytest.raises(ValidationError) as refused:
        services.cooperation_update(
            actor="t", cooperation=coop, expected_version=coop.version, **changes
        )
    assert Cooperation.objects.get(pk=coop.pk).version == coop.version
    assert history_for(coop).count() == history
    return refused.value


def test_service_checks_the_fourth_participant_after_three_alike(ipr_data, orgs):
    """Three participants with the same values pass; a fourth with a date out of range is
    refused and named, on a change as on a registration, and nothing of the change is
    written."""
    a, b, c, d = _four_municipalities(orgs)
    coop = services.cooperation_create(actor="t", **ipr_data)
    refused = _refused_update(
        coop,
        participants=[
            *(ParticipantInput(o, Decimal("25"), None, dt.date(2020, 1, 1)) for o in (a, b, c)),
            ParticipantInput(d, Decimal("25"), None, dt.date(1899, 1, 1)),
        ],
    )
    messages = refused.message_dict["participants"]
    assert len(messages) == 1 and messages[0].startswith(f"{d.name},")
    assert sorted(
        Participant.objects.filter(cooperation=coop, archived_at__isnull=True).values_list(
            "organisation__name", flat=True
        )
    ) == sorted(p.organisation.name for p in ipr_data["participants"])


def test_service_refuses_a_text_too_long_on_update(ipr_data):
    coop = services.cooperation_create(actor="t", **ipr_data)
    refused = _refused_update(coop, withdrawal_terms=long_text(bounds.TEXT_LENGTH + 1))
    assert list(refused.message_dict) == ["withdrawal_terms"]
    assert Cooperation.objects.get(pk=coop.pk).withdrawal_terms == ""


def test_service_refuses_a_second_body_member_with_a_term_out_of_range(ipr_data, orgs):
    coop = services.cooperation_create(actor="t", **ipr_data)
    body = services.body_add(actor="t", cooperation=coop, kind="board")
    services.body_member_add(actor="t", body=body, person_name="Kari", role="chair")
    with pytest.raises(ValidationError) as refused:
        services.body_member_add(
            actor="t", body=body, person_name="Ola", role="member", term_end=dt.date(2101, 1, 1)
        )
    assert list(refused.value.message_dict) == ["term_end"]
    assert list(body.members.values_list("person_name", flat=True)) == ["Kari"]
