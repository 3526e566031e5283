"""The organisation dashboard lists at most LIST_LIMIT standing ownership tasks (issue 14): a
municipality in hundreds of companies has one task per company, all in its ownership report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements import dashboards
from kraftsenter.ownership.deadlines import DeadlinePage, OwnershipDeadline

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def _deadlines(tasks: int):
    """A stand-in for the ownership loader with ``tasks`` standing tasks; it honours the
    ``limit`` the dashboard asks for, as the real one does (tested in the ownership app)."""

    def page(*, limit: int, **kw) -> DeadlinePage:
        dated = [
            OwnershipDeadline("ownership_statement", "Statement", TODAY, None, "upcoming", "§"),
            OwnershipDeadline("control_plan", "Plan", TODAY, None, "overdue", "§ 23-4"),
        ]
        standing = [
            OwnershipDeadline(
                "control_committee_notice", f"Task {i:03d}", None, None, "standing", "§"
            )
            for i in range(tasks)
        ]
        return DeadlinePage(dated, standing[:limit], len(standing))

    return page


@pytest.mark.parametrize(("tasks", "shown", "more"), [(0, 0, 0), (3, 3, 0), (4, 3, 1), (9, 3, 6)])
def test_standing_tasks_are_capped_and_counted(orgs, monkeypatch, tasks, shown, more):
    monkeypatch.setattr(dashboards, "LIST_LIMIT", 3)
    monkeypatch.setattr(dashboards, "ownership_deadlines", _deadlines(tasks))
    data = dashboards.organisation_dashboard(user=None, organisation=orgs["3403"], today=TODAY)
    statuses = [d.status for d in data.ownership_deadlines]
    # The dated deadlines always, then the first standing tasks in their order.
    assert statuses == ["upcoming", "overdue", *["standing"] * shown]
    assert [d.label for d in data.ownership_deadlines[2:]] == [
        f"Task {i:03d}" for i in range(shown)
    ]
    assert data.ownership_more == more
    assert data.ownership_report_url == "/kommuner/3403/eierskapsoversikt/"


def test_the_page_links_the_rest_to_the_ownership_report(client, users, orgs, monkeypatch):
    monkeypatch.setattr(dashboards, "LIST_LIMIT", 2)
    monkeypatch.setattr(dashboards, "ownership_deadlines", _deadlines(7))
    client.force_login(users["hamar"])
    html = client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").content.decode()
    assert "Task 001" in html and "Task 002" not in html
    assert 'data-ownership-more="5"' in html
    more = html.split('data-ownership-more="5"')[1].split("</p>")[0]
    assert 'href="/kommuner/3403/eierskapsoversikt/"' in more


def test_county_municipality_links_its_report(orgs, monkeypatch):
    monkeypatch.setattr(dashboards, "ownership_deadlines", _deadlines(1))
    data = dashboards.organisation_dashboard(user=None, organisation=orgs["34"], today=TODAY)
    assert data.ownership_report_url == "/fylker/34/eierskapsoversikt/"
    assert data.ownership_more == 0


def test_dashboard_queries_do_not_grow_with_tasks(client, users, orgs, monkeypatch):
    client.force_login(users["hamar"])
    counts = []
    for tasks in (1, 40):
        monkeypatch.setattr(dashboards, "ownership_deadlines", _deadlines(tasks))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
