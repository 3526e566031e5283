"""Forms that handle several parties or commitments work for every item, not only the first."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.agreements import services
from kraftsenter.agreements.models import AgreementParty, ReportEntry

pytestmark = pytest.mark.django_db


def test_party_decision_page_records_a_decision_for_each_of_three_parties(
    client, agreement, orgs, users
):
    client.force_login(users["county"])
    for number, body in (("34", "fylkestinget"), ("3403", "kommunestyret"), ("3412", "k.styret")):
        response = client.post(
            f"/avtaler/{agreement.pk}/vedtak/ny/",
            {
                "organisation": orgs[number].pk,
                "decision_body": body,
                "decision_date": "2024-02-01",
                "decision_reference": f"24/{number}",
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
    decided = AgreementParty.objects.filter(agreement=agreement, decision_date__isnull=False)
    assert sorted(p.decision_reference for p in decided) == ["24/34", "24/3403", "24/3412"]


def test_party_decision_page_refuses_an_organisation_that_is_not_a_party(
    client, agreement, orgs, users
):
    client.force_login(users["county"])
    response = client.post(
        f"/avtaler/{agreement.pk}/vedtak/ny/",
        {"organisation": orgs["5601"].pk, "decision_body": "x", "decision_date": "2024-02-01"},
    )
    assert response.status_code == 422
    assert not AgreementParty.objects.filter(decision_date__isnull=False).exists()


def test_report_page_takes_an_entry_for_each_of_three_commitments_then_completes(
    client, active_agreement, orgs, users
):
    commitments = [
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs[number],
            description=f"Tiltak {number}",
            due_date=dt.date(2025, 6, 30),
        )
        for number in ("34", "3403", "3412")
    ]
    report = services.report_create(actor="t", agreement=active_agreement)
    client.force_login(users["county"])  # the lead party reports for all
    url = f"/avtaler/{active_agreement.pk}/rapporter/{report.pk}/"
    for commitment in commitments:
        response = client.post(
            url, {"commitment": commitment.pk, "status": "in_progress", "text": "På vei"}
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert ReportEntry.objects.filter(report=report).count() == 3
    client.post(f"{url}ferdig/", {"version": report.version, "summary": "Bra"})
    report.refresh_from_db()
    assert report.completed_on is not None


def test_partnership_decision_is_agreed_by_the_second_and_third_member(client, orgs, users):
    partnership = services.partnership_create(
        actor="t",
        name="Regionalt partnerskap Innlandet",
        lead=orgs["34"],
        members=[orgs["3403"], orgs["3412"]],
    )
    client.force_login(users["county"])
    response = client.post(
        f"/partnerskap/{partnership.pk}/vedtak/ny/",
        {
            "decided_on": "2024-03-01",
            "text": "Felles satsing på sentrumsutvikling",
            "agreed_by": [orgs["3403"].pk, orgs["3412"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    decision = partnership.decisions.get()
    assert set(decision.agreed_by.all()) == {orgs["3403"], orgs["3412"]}
