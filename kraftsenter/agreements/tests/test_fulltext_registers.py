"""Plans, partnerships and commitments are searched like the other registers (core.fulltext):
folded diacritics and case ("tromso" and "TROMSØ" find "Tromsø", "ålesund" finds "Ålesund"
on SQLite too), words in any order, the last word a prefix, the name first; in the lists and
the API alike. Runs on SQLite and (DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Commitment, Partnership, Plan

pytestmark = pytest.mark.django_db

PLANS, PARTNERSHIPS, COMMITMENTS = "/api/v1/plans", "/api/v1/partnerships", "/api/v1/commitments"
TEXT = {PLANS: "title", PARTNERSHIPS: "name", COMMITMENTS: "description"}


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("sok", password="x-long-password-1")
    client.force_login(admin)
    return client


@pytest.fixture
def records(orgs):
    hamar, loten = orgs["3403"], orgs["3412"]
    texts = [
        ("Tromsø havneplan", "Havner i nord"),
        ("Ålesund næringsplan", "Havbruk og maritim næring"),
        ("Kárášjohka språkplan", "Samisk språk i Sápmi"),
        ("Hamar sentrumsplan", "Handel og boliger"),
    ]
    for title, purpose in texts:
        services.plan_create(actor="t", title=title, kind="regional_plan", owner=orgs["34"])
        services.partnership_create(
            actor="t", name=title.replace("plan", "partnerskap"), lead=hamar, purpose=purpose
        )
    agreement = services.agreement_create(
        actor="t",
        title="Vekstavtale",
        kind="regional_growth",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        parties=[hamar, loten],
    )
    for title, _purpose in texts:
        services.commitment_create(
            actor="t",
            agreement=agreement,
            party=hamar,
            description=f"Bygge ut {title.replace('plan', 'kaia')}",
            due_date=dt.date(2026, 6, 30),
        )
    return agreement


def found(client, path: str, query: str) -> list[str]:
    response = client.get(path, {"q": query, "page_size": 100})
    assert response.status_code == 200, (path, query, response.content[:300])
    return [item[TEXT[path]] for item in response.json()["items"]]


@pytest.mark.parametrize("path", [PLANS, PARTNERSHIPS, COMMITMENTS])
@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("tromso", "Tromsø"),
        ("TROMSØ", "Tromsø"),
        ("ålesund", "Ålesund"),
        ("ALESUND", "Ålesund"),
        ("karasjohka", "Kárášjohka"),
        ("aalesund", None),
    ],
)
def test_folding_and_case_on_every_register(admin_client, records, path, query, word):
    hits = found(admin_client, path, query)
    if word is None:
        assert hits == []
    else:
        assert len(hits) == 1 and word in hits[0], hits


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        (PLANS, "næringsplan åles", "Ålesund næringsplan"),
        (PARTNERSHIPS, "sapmi", "Kárášjohka språkpartnerskap"),  # the purpose, folded
        (COMMITMENTS, "havnekaia bygge trom", "Bygge ut Tromsø havnekaia"),
    ],
)
def test_words_in_any_order_the_last_a_prefix(admin_client, records, path, query, expected):
    assert found(admin_client, path, query) == [expected]


def test_the_list_pages_search_the_same_way(admin_client, records):
    for url, text in (
        ("/planer/", "Tromsø havneplan"),
        ("/partnerskap/", "Tromsø havnepartnerskap"),
        ("/forpliktelser/", "Bygge ut Tromsø havnekaia"),
    ):
        html = admin_client.get(url, {"q": "tromso"}).content.decode()
        assert text in html and "Ålesund" not in html, url


def test_the_search_document_follows_changes(records):
    plan = Plan.objects.get(title="Hamar sentrumsplan")
    services.plan_update(actor="t", plan=plan, expected_version=plan.version, title="Vardø plan")
    assert Plan.objects.get(pk=plan.pk).search_text.startswith("vardo plan")
    Commitment.objects.filter(description__startswith="Bygge ut Hamar").update(
        description="Flytte Bodø-ruta"
    )
    assert Commitment.objects.filter(search_text__startswith="flytte bodo").count() == 1
    assert all(p.search_text for p in Partnership.objects.all())
