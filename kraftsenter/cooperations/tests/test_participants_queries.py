"""The participants form renders in a fixed number of queries, however many participants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kraftsenter.cooperations import services
from kraftsenter.cooperations.services import ParticipantInput

from .test_views_multi_item import editor  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _coop(orgs, keys):
    share = Decimal(100) / len(keys)
    return services.cooperation_create(
        actor="t",
        name=f"Interkommunalt politisk råd {len(keys)}",
        legal_form="ipr",
        areas=["regional_policy"],
        participants=[ParticipantInput(orgs[k], share) for k in keys],
        start_date=dt.date(2020, 1, 1),
    )


def _queries(client, coop) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cooperations:participants-edit", args=[coop.pk]))
    assert response.status_code == 200
    return len(captured)


def test_participants_form_queries_do_not_grow_with_the_participants(client, orgs, editor):  # noqa: F811
    client.force_login(editor)
    two = _queries(client, _coop(orgs, ["3403", "3412"]))
    four = _queries(client, _coop(orgs, ["3403", "3412", "34", "5601"]))
    assert four == two, (two, four)
