"""The register's pages: lists with filters and CSV, details with their warnings, and the forms
through the same services."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.ownership import services
from kraftsenter.ownership.models import OwnershipInterest

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(orgs):
    return {
        "kf": services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="municipal_enterprise",
            entity=orgs["kf"],
            decision_body="formannskapet",
        ),
        "as": services.interest_create(
            actor="t",
            holder=orgs["3412"],
            kind="as_partly_owned",
            entity=orgs["as2"],
            purpose="Skogforvaltning",
        ),
        "statement": services.statement_create(
            actor="t",
            holder=orgs["3403"],
            kind="ownership_statement",
            adopted_on=dt.date(2024, 6, 20),
            adopting_body="other_body",
        ),
        "plan": services.statement_create(
            actor="t", holder=orgs["3412"], kind="control_plan", adopted_on=dt.date(2024, 11, 1)
        ),
    }


def test_the_interest_list_filters_by_municipality_and_exports_csv(client, records):
    html = client.get("/eierskap/interesser/?municipality=3403").content.decode()
    assert "Hamar Eiendom KF" in html and "Mjøsen Skog AS" not in html
    response = client.get("/eierskap/interesser/?kind=as_partly_owned&format=csv")
    csv = b"".join(response.streaming_content).decode()
    assert "Mjøsen Skog AS" in csv and "Hamar Eiendom KF" not in csv


def test_the_statement_list_filters_by_document(client, records):
    html = client.get("/eierskap/meldinger/?kind=control_plan").content.decode()
    assert f"/eierskap/meldinger/{records['plan'].pk}/" in html
    assert f"/eierskap/meldinger/{records['statement'].pk}/" not in html


def test_the_detail_pages_show_the_warnings_with_their_source(client, records):
    html = client.get(f"/eierskap/interesser/{records['kf'].pk}/").content.decode()
    assert "§ 9-1" in html and "§ 26-1" in html
    assert "/kommuner/3403/eierskapsoversikt/" in html
    html = client.get(f"/eierskap/meldinger/{records['statement'].pk}/").content.decode()
    assert "§ 26-1" in html
    html = client.get(f"/eierskap/meldinger/{records['plan'].pk}/").content.decode()
    assert "ds-alert" not in html.split("<main", 1)[-1].split("ks-facts", 1)[0]


def test_an_editor_registers_an_interest_on_the_page(client, orgs, editor):
    client.force_login(editor)
    response = client.post(
        "/eierskap/interesser/ny/",
        {
            "holder": "3403",
            "kind": "foundation",
            "entity": "Stiftelsen Domkirkeodden",
            "share": "10",
            "decision_body": "kommunestyret",
            "published": "on",
        },
    )
    assert response.status_code == 422  # a foundation has no share
    assert not OwnershipInterest.objects.exists()
    response = client.post(
        "/eierskap/interesser/ny/",
        {
            "holder": "3403",
            "kind": "foundation",
            "entity": "Stiftelsen Domkirkeodden",
            "purpose": "Ta vare på kulturarven.",
            "decision_body": "kommunestyret",
            "published": "on",
        },
    )
    interest = OwnershipInterest.objects.get()
    assert response.status_code == 302 and response["Location"] == interest.get_absolute_url()
    assert (interest.holder, interest.entity) == (orgs["3403"], orgs["foundation"])
