"""Recording a meeting with its protocol costs the same number of SQL queries for the first
and the tenth meeting of a consultation (on SQLite every query inside a write transaction makes
the other writers wait)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.consultations import services
from kraftsenter.consultations.models import Protocol
from kraftsenter.core.models import ChangeRecord

from .conftest import in_consultation

pytestmark = pytest.mark.django_db


def test_protocol_queries_do_not_grow_with_the_meetings(case, sami):
    case = in_consultation(case, sami)
    counts = []
    for i in range(10):
        with CaptureQueriesContext(connection) as captured:
            services.meeting_with_protocol_add(
                actor="t",
                consultation=case,
                held_on=dt.date(2026, 4, 2),
                place="Hamar rådhus",
                participants="Hamar kommune, reinbeitedistriktet",
                matter=f"Møte {i} om planforslaget",
                assessments="Distriktet: beiteområdene må holdes åpne.",
                conclusions="Partene møtes igjen.",
                agreement="partly",
            )
        counts.append(len(captured))
    assert counts[1] == counts[4] == counts[9], counts
    protocols = Protocol.objects.filter(meeting__consultation=case)
    assert protocols.count() == 10
    assert protocols.filter(matter="Møte 9 om planforslaget").exists()
    assert ChangeRecord.objects.filter(action="protocol.created").count() == 10
