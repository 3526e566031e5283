"""The dashboard's ownership part (issue 14): the first standing tasks of kommuneloven § 23-6
fourth paragraph, the same, in the same order and with the same links as the full ownership
report, and how many there are — read as plain values in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kraftsenter.cooperations.services import body_add
from kraftsenter.ownership import deadlines, services
from kraftsenter.ownership.report import ownership_report

from .conftest import make_cooperation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def entities(orgs, iks):
    other = make_cooperation(
        orgs, "Mjøsnett", "other", {"3403": None, "3412": None}, legal_basis="Avtale"
    )
    body_add(actor="t", cooperation=other, kind="representantskap", name="Representantskapet")
    make_cooperation(orgs, "Arkiv Innlandet KO", "ko", {"3403": "50", "3412": "50"})
    # Not in force, and without meetings: no task.
    make_cooperation(orgs, "Planlagt KO", "ko", {"3403": "50", "3412": "50"}, status="planned")
    make_cooperation(orgs, "Barnevern", "host_administrative", {"3403": None, "3412": None})
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="as_wholly_owned", entity=orgs["as"]
    )
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="association", entity=orgs["association"]
    )
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="municipal_enterprise", entity=orgs["kf"]
    )


def _report_tasks(orgs, user=None):
    report = ownership_report(user=user, organisation=orgs["3403"], today=TODAY)
    return [(t.label, t.url) for t in report.meeting_tasks]


@pytest.mark.parametrize("limit", [0, 1, 2, 3, 5, None])
def test_the_page_is_the_start_of_the_reports_tasks(orgs, entities, limit):
    with translation.override("nb"):
        expected = _report_tasks(orgs)
        page = deadlines.organisation_deadline_page(
            user=None, organisation=orgs["3403"], today=TODAY, limit=limit
        )
    # Innlandet Revisjon IKS, Mjøsnett (a representantskap registered), Arkiv Innlandet KO,
    # Hamar Bredbånd AS and Hamar Næringsforening: five tasks.
    assert len(expected) == 5
    assert page.task_count == 5
    assert [(t.label, t.url) for t in page.tasks] == expected[:limit]
    assert page.more == 5 - len(expected[:limit])
    assert [d.code for d in page.dated] == ["ownership_statement", "control_plan"]
    assert {t.source for t in page.tasks} <= {"kommuneloven § 23-6 fjerde ledd"}


def test_the_page_takes_the_same_queries_for_two_and_for_many_tasks(orgs, entities, iks):
    counts = []
    for n in (0, 6):
        for i in range(n):
            make_cooperation(orgs, f"Selskap {i} IKS", "iks", {"3403": "50", "3412": "50"})
        with CaptureQueriesContext(connection) as ctx:
            page = deadlines.organisation_deadline_page(
                user=None, organisation=orgs["3403"], today=TODAY, limit=3
            )
        counts.append(len(ctx.captured_queries))
    assert page.task_count == 11 and len(page.tasks) == 3
    assert counts[0] == counts[1] <= 3


def test_the_dashboard_counts_the_rest(client, orgs, entities, editor, monkeypatch):
    from kraftsenter.agreements import dashboards

    monkeypatch.setattr(dashboards, "LIST_LIMIT", 2)
    client.force_login(editor)
    html = client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").content.decode()
    assert 'data-ownership-more="3"' in html
    with translation.override("nb"):
        first, second, third = (url for _label, url in _report_tasks(orgs, editor)[:3])
    assert f'href="{first}"' in html and f'href="{second}"' in html
    assert f'href="{third}"' not in html


def test_other_organisations_have_no_ownership_part(orgs):
    page = deadlines.organisation_deadline_page(
        user=None, organisation=orgs["as"], today=TODAY, limit=25
    )
    assert (page.dated, page.tasks, page.task_count) == ([], [], 0)
