"""Consultation answers due and meetings coming up appear in the digest e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.agreements.services.digests import collect_digests
from kraftsenter.consultations import services

from .conftest import screen

pytestmark = pytest.mark.django_db


def test_digest_lists_pending_answer_for_party_and_authority(case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 3, 20),
    )
    User = get_user_model()
    herder = User.objects.create_user("herder", email="h@example.no", password="x-long-pw-1")
    clerk = User.objects.create_user("clerk", email="c@example.no", password="x-long-pw-1")
    membership_add(actor="t", organisation=sami["district"], user=herder, role=Role.MEMBER)
    membership_add(actor="t", organisation=sami["karasjok"], user=clerk, role=Role.EDITOR)
    digests = dict(collect_digests(today=dt.date(2026, 3, 15), force=True))
    for user in (herder, clerk):
        items = [i for i in digests[user] if i.kind == "consultation"]
        assert len(items) == 1 and items[0].due == dt.date(2026, 3, 20)
        assert items[0].context == case.title


def test_digest_has_no_consultation_items_after_the_answer(case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    case = services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 3, 20),
    )
    services.party_respond(
        actor="t", party=case.parties.get(), response="declines", responded_on=dt.date(2026, 3, 5)
    )
    herder = get_user_model().objects.create_user(
        "herder", email="h@example.no", password="x-long-pw-1"
    )
    membership_add(actor="t", organisation=sami["district"], user=herder, role=Role.MEMBER)
    digests = dict(collect_digests(today=dt.date(2026, 3, 15), force=True))
    assert herder not in digests  # nothing else due: nobody gets an empty mail
