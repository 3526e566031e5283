"""Writing a cooperation costs the same number of SQL queries for 5 and for 15 participants
(on SQLite every query inside a write transaction makes the other writers wait)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import Participant
from kraftsenter.cooperations.services import ParticipantInput
from kraftsenter.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    # Saved directly: a municipality's organisation needs its municipality, and this test
    # needs more of them than the small place fixture has.
    return [
        Organisation.objects.create(
            name=f"Prøve kommune {i:02d}", kind=OrganisationKind.MUNICIPALITY
        )
        for i in range(16)
    ]


def _inputs(orgs, big: int = 0) -> list[ParticipantInput]:
    """Equal shares; ``big`` takes the rest up to 100 %."""
    share = Decimal(100 // len(orgs))
    rest = 100 - share * (len(orgs) - 1)
    return [
        ParticipantInput(o, rest if i == big else share, None, dt.date(2020, 1, 1))
        for i, o in enumerate(orgs)
    ]


def _create(orgs, name: str):
    with CaptureQueriesContext(connection) as captured:
        coop = services.cooperation_create(
            actor="t",
            name=f"Skriveprøve {name} interkommunalt politisk råd",
            legal_form="ipr",
            areas=["regional_policy", "business"],
            participants=_inputs(orgs),
            host=orgs[0],
            start_date=dt.date(2020, 1, 1),
        )
    return coop, len(captured)


def _update(coop, orgs):
    inputs = _inputs(orgs, big=1)
    inputs[2].joined_on = dt.date(2021, 1, 1)
    with CaptureQueriesContext(connection) as captured:
        services.cooperation_update(
            actor="t",
            cooperation=coop,
            expected_version=coop.version,
            purpose="Endret formål",
            participants=inputs,
            reason="Prøve",
        )
    return len(captured)


def test_create_and_update_queries_do_not_grow_with_the_participants(councils):
    _create(councils[:3], "tre")  # the first write fills the caches (content types)
    small, small_create = _create(councils[:5], "fem")
    large, large_create = _create(councils[:15], "femten")
    assert large_create == small_create, (small_create, large_create)
    # The update moves the big share, changes a date, adds one participant and withdraws another.
    small_update = _update(small, [*councils[:4], councils[15]])
    large_update = _update(large, [*councils[:14], councils[15]])
    assert large_update == small_update, (small_update, large_update)

    current = Participant.objects.filter(cooperation=large, archived_at__isnull=True)
    assert sorted(p.organisation_id for p in current) == sorted(
        o.pk for o in [*councils[:14], councils[15]]
    )
    assert Participant.objects.filter(cooperation=large, archived_at__isnull=False).count() == 1
    second = current.get(organisation=councils[1])
    assert second.ownership_share == 100 - 6 * 14
    assert second.version == 2
    third = current.get(organisation=councils[2])
    assert (third.joined_on, third.version) == (dt.date(2021, 1, 1), 2)
    assert current.get(organisation=councils[3]).version == 1
    records = ChangeRecord.objects.filter(object_id=str(large.pk)).order_by("pk")
    assert [r.action for r in records] == ["cooperation.created", "cooperation.updated"]
    assert len((records[1].after or {})["participants"]) == 15


def test_the_api_looks_the_participants_up_in_one_query(client, councils):
    """``POST /api/v1/cooperations``: the same number of queries for 5 and for 15
    participants, named by id or by organisation number; the answer names each of them, and an
    unknown one is still refused by its place in the list."""
    from django.contrib.auth import get_user_model

    from kraftsenter.accounts.tokens import token_create
    from kraftsenter.actors.choices import Role
    from kraftsenter.actors.services import membership_add

    numbered = [f"{i:09d}" for i in range(910000001, 910000016)]
    for council, number in zip(councils, numbered, strict=False):
        council.organisation_number = number
    Organisation.objects.bulk_update(councils[:15], ["organisation_number"])
    user = get_user_model().objects.create_user("skriver", password="x-long-password-1")
    membership_add(actor="t", organisation=councils[0], user=user, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    headers = {"Authorization": f"Bearer {text}"}

    def post(count: int, name: str, unknown: bool = False):
        share = Decimal(100 // count)
        items = [
            # Every other one by its organisation number, with the space people write.
            {
                "organisation": (
                    o.pk if i % 2 else f"{o.organisation_number[:3]} {o.organisation_number[3:]}"
                ),
                "ownership_share": str(100 - share * (count - 1) if i == 0 else share),
            }
            for i, o in enumerate(councils[:count])
        ]
        if unknown:
            items[3]["organisation"] = 987_654
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/cooperations",
                {
                    "name": f"Skriveprøve {name} interkommunalt politisk råd",
                    "legal_form": "ipr",
                    "areas": ["regional_policy"],
                    "participants": items,
                    "host": councils[0].pk,
                },
                content_type="application/json",
                headers=headers,
            )
        return response, len(captured)

    post(3, "tre")  # caches
    small, small_queries = post(5, "fem")
    large, large_queries = post(15, "femten")
    assert (small.status_code, large.status_code) == (201, 201), large.json()
    assert large_queries == small_queries, (small_queries, large_queries)
    assert sorted(p["organisation"] for p in large.json()["participants"]) == sorted(
        o.pk for o in councils[:15]
    )
    refused, _queries = post(15, "ukjent", unknown=True)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["participants.3.organisation"]


def test_a_patch_reads_the_parts_only_for_its_answer(client, councils, django_user_model):
    """``PATCH /api/v1/cooperations/{id}`` finds the cooperation without its parts (the service
    locks and reads it again) and reads them once, for the answer; what the caller may not
    see is still 404, and the answer shows the change."""
    from kraftsenter.accounts.tokens import token_create
    from kraftsenter.actors.choices import Role
    from kraftsenter.actors.services import membership_add

    coop, _queries = _create(councils[:5], "lappen")
    editor = django_user_model.objects.create_user("lapper", password="x-long-password-1")
    membership_add(actor="t", organisation=councils[0], user=editor, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=editor, name="t", days=1)
    outsider = django_user_model.objects.create_user("utenfor", password="x-long-password-1")
    _token2, other = token_create(actor="t", user=outsider, name="t", days=1)
    coop.published = False
    coop.save(update_fields=["published"])

    def patch(token: str, version: int, purpose: str):
        with CaptureQueriesContext(connection) as captured:
            response = client.patch(
                f"/api/v1/cooperations/{coop.pk}",
                {"version": version, "purpose": purpose},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
        return response, captured

    hidden, _captured = patch(other, coop.version, "Ikke synlig")
    assert hidden.status_code == 404
    changed, captured = patch(text, coop.version, "Nytt formål")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["purpose"] == "Nytt formål"
    assert changed.json()["version"] == coop.version + 1
    bodies = [q["sql"] for q in captured.captured_queries if "cooperations_body" in q["sql"]]
    versions = [q for q in captured.captured_queries if "cooperations_agreementversion" in q["sql"]]
    assert len(bodies) == 1 and len(versions) == 1, (len(bodies), len(versions))


def test_a_registration_answers_what_reading_it_answers(client, councils, django_user_model):
    """``POST /api/v1/cooperations`` answers with the new cooperation without reading the
    bodies, agreement versions and documents it cannot have yet: the answer is what a GET
    of it gives, and what stops it from being active is the same."""
    from kraftsenter.accounts.tokens import token_create
    from kraftsenter.actors.choices import Role
    from kraftsenter.actors.services import membership_add

    editor = django_user_model.objects.create_user("ny", password="x-long-password-1")
    membership_add(actor="t", organisation=councils[0], user=editor, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=editor, name="t", days=1)
    headers = {"Authorization": f"Bearer {text}"}
    for form in ("ipr", "iks"):  # the second with shares and a legal person
        payload = {
            "name": f"Nyregistrert {form} samarbeid",
            "legal_form": form,
            "areas": ["business", "regional_policy"],
            "participants": [
                {"organisation": o.pk, "ownership_share": share}
                for o, share in zip(councils[:3], (50, 30, 20), strict=True)
            ],
            "host": councils[0].pk,
        }
        with CaptureQueriesContext(connection) as captured:
            made = client.post(
                "/api/v1/cooperations", payload, content_type="application/json", headers=headers
            )
        assert made.status_code == 201, made.json()
        assert not [q for q in captured.captured_queries if "cooperations_body" in q["sql"]]
        read = client.get(f"/api/v1/cooperations/{made.json()['id']}", headers=headers)
        assert read.status_code == 200
        assert made.json() == read.json()
        assert made.json()["bodies"] == [] and made.json()["documents"] == []
