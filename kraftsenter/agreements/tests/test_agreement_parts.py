"""An agreement's page and API read its parts by the agreement's key (selectors.agreement_get
with core.prepared): every part not archived, in its order, the second and third of each too,
with nothing read again when the page shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements import selectors, services
from kraftsenter.places.models import Municipality

from .conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(active_agreement, orgs, users):
    a = active_agreement
    a = services.agreement_update(
        actor="t",
        agreement=a,
        expected_version=a.version,
        scope_municipalities=list(Municipality.objects.filter(number__in=["3412", "3403"])),
    )
    for text in ("Flere arbeidsplasser", "Færre utslipp", "Bedre kollektivtilbud"):
        services.goal_add(actor="t", agreement=a, text=text)
    services.goal_archive(actor="t", goal=a.goals.get(text="Færre utslipp"), expected_version=None)
    for title in ("Vedlegg B", "Vedlegg A", "Gammelt vedlegg"):
        services.document_add(
            actor="t", agreement=a, title=title, url=f"https://example.no/{title[-1]}.pdf"
        )
    services.document_archive(
        actor="t", document=a.documents.get(title="Gammelt vedlegg"), expected_version=None
    )
    made = [
        services.commitment_create(
            actor="t",
            agreement=a,
            party=orgs[number],
            description=f"Tiltak {i}",
            due_date=dt.date(2025, 3 + i, 1),
        )
        for i, number in enumerate(["3403", "3412", "3403"])
    ]
    first = services.report_create(actor="t", agreement=a)
    second = services.report_create(actor="t", agreement=a)
    for commitment in made[:2]:
        services.report_entry_record(
            actor="t",
            report=second,
            commitment=commitment,
            status="in_progress",
            text="Godt i gang",
        )
    return {"agreement": a, "commitments": made, "reports": [first, second]}


def test_the_parts_are_read_as_prefetch_related_reads_them(full, users):
    agreement = selectors.agreement_get(user=users["hamar"], pk=full["agreement"].pk)
    with CaptureQueriesContext(connection) as reading:
        parties = [p.organisation.name for p in agreement.active_parties]
        scope = [m.number for m in agreement.scope_municipalities.all()]
        goals = [g.text for g in agreement.goals.all()]
        documents = [d.title for d in agreement.documents.all()]
        commitments = [
            (c.description, c.party.name, c.agreement.pk) for c in agreement.commitments.all()
        ]
        reports = [(r.period_start, r.entry_count, r.agreement.pk) for r in agreement.reports.all()]
        anchors = list(agreement.anchors.all())
    assert not reading.captured_queries
    assert parties == sorted(parties) and len(parties) == 3
    assert scope == ["3403", "3412"]
    assert goals == ["Flere arbeidsplasser", "Bedre kollektivtilbud"]
    assert documents == ["Vedlegg A", "Vedlegg B"]
    pk = full["agreement"].pk
    assert commitments == [
        ("Tiltak 0", "Hamar kommune", pk),
        ("Tiltak 1", "Løten kommune", pk),
        ("Tiltak 2", "Hamar kommune", pk),
    ]
    first, second = full["reports"]
    # Newest first (the reports' order), each with its entries counted.
    assert reports == [(second.period_start, 2, pk), (first.period_start, 0, pk)]
    assert anchors == []


def test_the_page_lists_the_reports_newest_first_with_what_is_missing(client, full, users):
    client.force_login(users["hamar"])
    html = client.get(full["agreement"].get_absolute_url()).content.decode()
    first, second = full["reports"]
    assert html.index(second.get_absolute_url()) < html.index(first.get_absolute_url())
    assert "Færre utslipp" not in html and "Gammelt vedlegg" not in html
    assert "Bedre kollektivtilbud" in html and "Vedlegg A" in html and "Tiltak 2" in html


def test_the_api_gives_the_parts_not_archived(client, full, users):
    pk = full["agreement"].pk
    body = client.get(f"/api/v1/agreements/{pk}", headers=bearer(users["hamar"])).json()
    assert [g["text"] for g in body["goals"]] == ["Flere arbeidsplasser", "Bedre kollektivtilbud"]
    assert [d["title"] for d in body["documents"]] == ["Vedlegg A", "Vedlegg B"]
    listed = client.get(f"/api/v1/agreements/{pk}/commitments", headers=bearer(users["hamar"]))
    assert [c["description"] for c in listed.json()["items"]] == [
        "Tiltak 0",
        "Tiltak 1",
        "Tiltak 2",
    ]
