"""The ownership control deadlines: the ownership statement once per election period (§ 26-1),
the plan for ownership control by the end of the year after the constitution (§ 23-4), the
control committee told of meetings (§ 23-6) — and the municipality's dashboard shows them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from kraftsenter.agreements.dashboards import organisation_dashboard
from kraftsenter.cooperations.services import body_add
from kraftsenter.ownership import deadlines, services

from .conftest import make_cooperation


def doc(kind: str, day: dt.date, by: str = "council"):
    return SimpleNamespace(kind=kind, adopted_on=day, by_council=by == "council", archived_at=None)


STATEMENT = "ownership_statement"
PLAN = "control_plan"


@pytest.mark.parametrize(
    ("today", "documents", "status", "done"),
    [
        (dt.date(2025, 1, 1), [], "upcoming", None),
        (dt.date(2027, 9, 15), [], "due", None),  # the period 2023–2027 ends 31.10.2027
        (dt.date(2025, 1, 1), [doc(STATEMENT, dt.date(2024, 6, 20))], "met", dt.date(2024, 6, 20)),
        # The previous council's statement does not count for this period.
        (dt.date(2025, 1, 1), [doc(STATEMENT, dt.date(2023, 6, 15))], "upcoming", None),
        # Adopted by another body than the council: it does not count (§ 26-1 first paragraph).
        (
            dt.date(2025, 1, 1),
            [doc(STATEMENT, dt.date(2024, 6, 20), "formannskapet")],
            "upcoming",
            None,
        ),
    ],
)
def test_statement_deadline(today, documents, status, done):
    found = deadlines.statement_deadline(documents, today)
    assert (found.due, found.status, found.done) == (dt.date(2027, 10, 31), status, done)
    assert found.source == "kommuneloven § 26-1 første ledd"


def test_next_statement_due_moves_to_the_next_period_once_adopted():
    today = dt.date(2025, 1, 1)
    assert deadlines.next_statement_due([], today) == dt.date(2027, 10, 31)
    adopted = [doc(STATEMENT, dt.date(2024, 6, 20))]
    assert deadlines.next_statement_due(adopted, today) == dt.date(2031, 10, 31)


@pytest.mark.parametrize(
    ("today", "documents", "status"),
    [
        (dt.date(2024, 3, 1), [], "upcoming"),
        (dt.date(2024, 12, 1), [], "due"),
        (dt.date(2025, 3, 1), [], "overdue"),
        (dt.date(2025, 3, 1), [doc(PLAN, dt.date(2024, 11, 28))], "met"),
        (dt.date(2025, 3, 1), [doc(PLAN, dt.date(2025, 2, 6))], "late"),
        (dt.date(2025, 3, 1), [doc(PLAN, dt.date(2024, 11, 28), "kontrollutvalget")], "overdue"),
        # An ownership statement is not a plan for ownership control.
        (dt.date(2025, 3, 1), [doc(STATEMENT, dt.date(2024, 11, 28))], "overdue"),
    ],
)
def test_control_plan_deadline_is_the_end_of_the_year_after_the_constitution(
    today, documents, status
):
    found = deadlines.control_plan_deadline(documents, today)
    assert (found.due, found.status) == (dt.date(2024, 12, 31), status)
    assert found.source == "kommuneloven § 23-4 andre og tredje ledd"


@pytest.mark.django_db
def test_the_control_committee_is_told_of_meetings_of_every_entity_with_one(orgs, iks):
    host = make_cooperation(
        orgs,
        "Barnevern Hamar",
        "host_administrative",
        {"3403": None, "3412": None},
        host=orgs["3403"],
    )
    other = make_cooperation(
        orgs, "Mjøsnett", "other", {"3403": None, "3412": None}, legal_basis="Avtale"
    )
    body_add(actor="t", cooperation=other, kind="representantskap", name="Representantskapet")
    make_cooperation(orgs, "Planlagt KO", "ko", {"3403": "50", "3412": "50"}, status="planned")
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="as_wholly_owned", entity=orgs["as"]
    )
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="municipal_enterprise", entity=orgs["kf"]
    )
    with translation.override("en"):
        found = deadlines.organisation_deadlines(
            user=None, organisation=orgs["3403"], today=dt.date(2025, 3, 1)
        )
    assert [d.code for d in found[:2]] == ["ownership_statement", "control_plan"]
    tasks = [d.label for d in found[2:]]
    assert tasks == sorted(
        [
            "Tell the control committee of every general meeting of Hamar Bredbånd AS",
            "Tell the control committee of every meeting of the representantskap of Innlandet "
            "Revisjon IKS",
            "Tell the control committee of every meeting of the representantskap of Mjøsnett",
        ]
    )
    assert {d.source for d in found[2:]} == {"kommuneloven § 23-6 fjerde ledd"}
    assert {d.status for d in found[2:]} == {"standing"}
    assert host.name not in " ".join(tasks)


@pytest.mark.django_db
def test_the_municipality_dashboard_shows_its_ownership_deadlines(client, orgs, editor):
    data = organisation_dashboard(user=editor, organisation=orgs["3403"], today=dt.date(2025, 3, 1))
    assert [d.status for d in data.ownership_deadlines] == ["upcoming", "overdue"]
    client.force_login(editor)
    html = client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").content.decode()
    assert "kommuneloven § 23-4 andre og tredje ledd" in html
    assert "kommuneloven § 26-1 første ledd" in html
    # Another kind of organisation has no ownership statement to make.
    other = organisation_dashboard(
        user=editor, organisation=orgs["association"], today=dt.date(2025, 3, 1)
    )
    assert other.ownership_deadlines == []
