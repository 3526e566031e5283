"""The demo content loads through the services (with the built-in places) and is labelled;
the benchmark data has the promised shape at a small scale."""

from __future__ import annotations

import pytest

from bench.agreements import BENCH_URLS, bench_data
from kraftsenter.actors.services import organisations_sync_from_places
from kraftsenter.agreements.models import Agreement, Commitment, FollowUpReport, Plan
from kraftsenter.demo.agreements import load_demo_agreements
from kraftsenter.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db


def test_demo_agreements_nordland_and_a_small_town_region(builtin_places, client):
    load_demo_content(say=lambda s: None)  # loads the agreements too
    assert Agreement.objects.count() == 7
    assert load_demo_agreements() == 0  # running it again adds nothing

    growth = Agreement.objects.filter(kind="regional_growth")
    assert growth.count() == 6
    for agreement in growth:
        names = {p.organisation.name for p in agreement.party_links.all()}
        assert "Nordland fylkeskommune" in names and len(names) == 2
        assert agreement.binding is False and agreement.status == "active"
    small_town = Agreement.objects.get(scope_region__name="Mosjøen og Vefsn")
    assert small_town.is_example and small_town.anchors.count() == 2
    assert not Commitment.objects.filter(is_example=False).exists()
    assert not FollowUpReport.objects.filter(is_example=False).exists()
    assert Plan.objects.filter(owner__municipality__number="1826").exists()
    assert load_demo_agreements() == 0  # nothing twice
    for path in (
        small_town.get_absolute_url(),
        "/dashbord/fylker/18/",
        "/planer/fylker/18/",
        "/forpliktelser/?county=18",
    ):
        assert client.get(path).status_code == 200, path


def test_bench_data_small_scale(small_places, client):
    organisations_sync_from_places()
    facts = bench_data(agreements=20, per_agreement=5)
    assert facts["agreements"] == "20" and facts["commitments"] == "100"
    assert Commitment.objects.count() == 100
    dropped = Commitment.objects.filter(status="dropped")
    assert not dropped.filter(status_reason="").exists()
    for _name, path in BENCH_URLS:
        assert client.get(path.format(**facts)).status_code == 200, path
