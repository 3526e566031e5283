"""Reporting on a commitment costs the same number of SQL queries for the 10th and the 20th
entry of a report (on SQLite every query inside a write transaction makes the other writers
wait)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Commitment, ReportEntry
from kraftsenter.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _two_commitments(agreement, party) -> list[Commitment]:
    from .conftest import make_commitments

    return make_commitments(agreement, party, 2)


def test_entry_queries_do_not_grow_with_the_entries(active_agreement, orgs):
    commitments = [
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3403"] if i % 2 else orgs["3412"],
            description=f"Tiltak {i:02d}",
            due_date=dt.date(2025, 6, 30),
        )
        for i in range(20)
    ]
    report = services.report_create(actor="t", agreement=active_agreement)
    counts = []
    for i, commitment in enumerate(commitments):
        with CaptureQueriesContext(connection) as captured:
            services.report_entry_record(
                actor="t",
                report=report,
                commitment=commitment,
                status=("in_progress", "done", "at_risk")[i % 3],
                text=f"Rapport {i}",
            )
        counts.append(len(captured))
    assert counts[9] == counts[19] == counts[1], counts
    assert ReportEntry.objects.filter(report=report).count() == 20
    assert Commitment.objects.get(pk=commitments[1].pk).status == "done"
    assert Commitment.objects.get(pk=commitments[2].pk).status == "at_risk"
    reported = ChangeRecord.objects.filter(action="commitment.reported")
    assert reported.count() == 20
    after = reported.get(object_id=str(commitments[19].pk)).after or {}
    assert after["report"]["text"] == "Rapport 19"


def test_reporting_again_changes_the_entry(active_agreement, orgs):
    first, second = _two_commitments(active_agreement, orgs["3403"])
    report = services.report_create(actor="t", agreement=active_agreement)
    for commitment in (first, second):
        services.report_entry_record(
            actor="t", report=report, commitment=commitment, status="in_progress", text="I rute"
        )
    services.report_entry_record(
        actor="t", report=report, commitment=second, status="done", text="Ferdig"
    )
    entries = ReportEntry.objects.filter(report=report, archived_at__isnull=True)
    assert entries.count() == 2
    done = entries.get(commitment=second)
    assert (done.status, done.text, done.version) == ("done", "Ferdig", 2)
    assert entries.get(commitment=first).version == 1
    assert Commitment.objects.get(pk=second.pk).status == "done"
    last = ChangeRecord.objects.filter(object_id=str(second.pk)).order_by("pk").last()
    assert last is not None
    before, after = last.before or {}, last.after or {}
    assert (before["report"]["status"], after["report"]["status"]) == (
        "in_progress",
        "done",
    )


def test_api_entries_cost_the_same_for_each_and_answer_the_report(client, active_agreement, orgs):
    """``POST …/reports/{id}/entries`` (issue 14): the report is read for the answer in a
    fixed number of queries, not through the agreement with all its parts."""
    from .conftest import bearer, make_user

    commitments = [
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3403"],
            description=f"Tiltak {i:02d}",
            due_date=dt.date(2025, 6, 30) + dt.timedelta(days=i),
        )
        for i in range(6)
    ]
    headers = bearer(make_user("fylke-api", orgs["34"]))
    url = f"/api/v1/agreements/{active_agreement.pk}/reports"
    report = client.post(url, {}, content_type="application/json", headers=headers).json()
    assert report["missing"] == [c.pk for c in commitments]
    counts = []
    for i, commitment in enumerate(commitments):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"{url}/{report['id']}/entries",
                {"commitment": commitment.pk, "status": "in_progress", "text": f"R {i}"},
                content_type="application/json",
                headers=headers,
            )
        counts.append(len(captured))
        body = response.json()
        assert response.status_code == 200
        assert [e["commitment"] for e in body["entries"]] == [c.pk for c in commitments[: i + 1]]
        assert body["missing"] == [c.pk for c in commitments[i + 1 :]]
    assert counts[1] == counts[3] == counts[5] <= 30, counts
    # Another agreement's report is not found through this agreement.
    other = client.post(
        f"{url}/999999/entries",
        {"commitment": commitments[0].pk, "status": "done"},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 404


def test_api_entry_for_an_unknown_or_archived_commitment_is_refused_on_its_field(
    client, active_agreement, orgs
):
    """The commitment is read once, by the service: an id of no commitment, or of an archived
    one, is a 422 on ``commitment`` and nothing is written."""
    from .conftest import bearer, make_user

    kept, archived = _two_commitments(active_agreement, orgs["3403"])
    services.commitment_archive(actor="t", commitment=archived)
    headers = bearer(make_user("fylke-api", orgs["34"]))
    url = f"/api/v1/agreements/{active_agreement.pk}/reports"
    report = client.post(url, {}, content_type="application/json", headers=headers).json()
    for pk in (archived.pk, 999_999):
        response = client.post(
            f"{url}/{report['id']}/entries",
            {"commitment": pk, "status": "done"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["commitment"]
    assert not ReportEntry.objects.filter(report_id=report["id"]).exists()
    assert Commitment.objects.get(pk=kept.pk).status == "not_started"
    assert Commitment.objects.get(pk=archived.pk).status == "not_started"


def test_api_entry_for_another_agreements_commitment_is_refused_after_two_recorded(
    client, active_agreement, agreement, orgs
):
    """A report takes entries only for its own agreement's commitments: after two of its
    own, a third naming a commitment of another agreement (the same party, the same lead) is
    a 422 on ``commitment``; nothing of it is written, the two stand."""
    from .conftest import bearer, make_user

    own = _two_commitments(active_agreement, orgs["3403"])
    foreign = _two_commitments(agreement, orgs["3403"])[1]
    headers = bearer(make_user("fylke-api", orgs["34"]))
    url = f"/api/v1/agreements/{active_agreement.pk}/reports"
    report = client.post(url, {}, content_type="application/json", headers=headers).json()

    def entry(commitment: Commitment, status: str) -> Any:
        return client.post(
            f"{url}/{report['id']}/entries",
            {"commitment": commitment.pk, "status": status, "text": "Rapport"},
            content_type="application/json",
            headers=headers,
        )

    assert [entry(c, "in_progress").status_code for c in own] == [200, 200]
    refused = entry(foreign, "done")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["commitment"]
    entries = ReportEntry.objects.filter(report_id=report["id"], archived_at__isnull=True)
    assert sorted(entries.values_list("commitment_id", flat=True)) == sorted(c.pk for c in own)
    assert Commitment.objects.get(pk=foreign.pk).status == "not_started"
    assert not ChangeRecord.objects.filter(
        action="commitment.reported", object_id=str(foreign.pk)
    ).exists()


def test_registering_an_agreement_checks_its_parties_without_a_query_each(orgs):
    """The parties' decisions are checked against their bounds in Python: a third and a fifth
    party add their own row each and no read."""

    def register(keys: list[str], n: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            services.agreement_create(
                actor="t",
                title=f"Avtale {n}",
                kind="regional_growth",
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2029, 12, 31),
                parties=[
                    services.PartyInput(orgs[k], "Kommunestyret", dt.date(2025, 12, 1), f"{n}/25")
                    for k in keys
                ],
            )
        sql = [q["sql"] for q in captured.captured_queries]
        party_rows = sum(s.startswith('INSERT INTO "agreements_agreementparty"') for s in sql)
        return party_rows, len(sql) - party_rows

    keys = [k for k in orgs if k.isdigit()][:5]
    assert len(keys) == 5
    two, three, five = register(keys[:2], 1), register(keys[:3], 2), register(keys, 3)
    assert (two[0], three[0], five[0]) == (2, 3, 5)
    assert two[1] == three[1] == five[1]
