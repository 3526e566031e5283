"""Benchmark data for `make bench`: 5 000 agreements with 100 000 commitments.

Written in bulk (the rules and history are tested elsewhere), like the cooperation benchmark
data. Call ``bench_data()`` after the places are imported and the organisations synced; it
returns the facts that ``BENCH_URLS`` are formatted with.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from kraftsenter.actors.models import Organisation
from kraftsenter.agreements import counties as agreement_counties
from kraftsenter.agreements.choices import CommitmentStatus
from kraftsenter.agreements.models import Agreement, AgreementParty, Commitment, FollowUpReport

AGREEMENTS = 5_000
COMMITMENTS_PER_AGREEMENT = 20

#: (name, path) rows for bench/run.py's URLS; format with the dict ``bench_data()`` returns.
BENCH_URLS: list[tuple[str, str]] = [
    (
        "commitment-list-filtered",
        "/forpliktelser/?status=at_risk&county={county}&due_before=2026-12-31",
    ),
    ("api-commitments-filtered", "/api/v1/commitments?status=at_risk&party={party}"),
    ("county-dashboard", "/dashbord/fylker/{county}/"),
    ("agreement", "/avtaler/{agreement}/"),
    ("agreement-list-filtered", "/avtaler/?county={county}&kind=regional_growth"),
    ("organisation-dashboard", "/dashbord/organisasjoner/{party}/"),
    ("api-agreement-commitments", "/api/v1/agreements/{agreement}/commitments"),
]


@transaction.atomic
def bench_data(
    *,
    agreements: int = AGREEMENTS,
    per_agreement: int = COMMITMENTS_PER_AGREEMENT,
    seed: int = 2026,
) -> dict[str, str]:
    """Bulk-create ``agreements`` agreements (county municipality + 2–6 of its municipalities
    as parties) with ``per_agreement`` commitments each and one or two follow-up reports."""
    rng = random.Random(seed)
    counties = {
        o.county_id: o
        for o in Organisation.objects.filter(kind="county_municipality", archived_at__isnull=True)
    }
    by_county: dict[int, list[Organisation]] = {}
    for org in Organisation.objects.filter(
        kind="municipality", archived_at__isnull=True
    ).select_related("municipality"):
        if org.municipality is not None:
            by_county.setdefault(org.municipality.county_id, []).append(org)
    groups = [(counties[c], munis) for c, munis in sorted(by_county.items()) if c in counties]
    if not groups:
        raise RuntimeError("bench_data needs county and municipality organisations.")
    kinds = ["regional_growth", "partnership", "plan_implementation", "other"]
    start = dt.date(2024, 1, 1)
    rows = []
    for i in range(agreements):
        county, _munis = groups[i % len(groups)]
        begin = start + dt.timedelta(days=rng.randint(0, 700))
        rows.append(
            Agreement(
                title=f"Benchmark-avtale {i}",
                kind=kinds[i % len(kinds)],
                status="active" if i % 5 else "draft",
                lead=county,
                period_start=begin,
                period_end=begin + dt.timedelta(days=4 * 365),
                description="Benchmark",
            )
        )
    created = Agreement.objects.bulk_create(rows, batch_size=2000)
    parties, commitments, reports = [], [], []
    statuses = list(CommitmentStatus.values)
    for i, agreement in enumerate(created):
        county, munis = groups[i % len(groups)]
        members = [county, *rng.sample(munis, min(len(munis), rng.randint(2, 6)))]
        parties += [AgreementParty(agreement=agreement, organisation=o) for o in members]
        for j in range(per_agreement):
            status = statuses[rng.randrange(len(statuses))]
            party = members[j % len(members)]
            commitments.append(
                Commitment(
                    agreement=agreement,
                    party=party,
                    # What a commitment's save sets (bulk rows are not saved one by one).
                    party_county_id=party.county_id,
                    description=f"Forpliktelse {j} i avtale {i}",
                    due_date=agreement.period_start + dt.timedelta(days=rng.randint(30, 1400)),
                    budget=Decimal(rng.randint(0, 50)) * 100_000 if j % 3 == 0 else None,
                    status=status,
                    status_reason="Benchmark" if status == "dropped" else "",
                )
            )
        for year in range(1 + i % 2):
            period_start = agreement.period_start + dt.timedelta(days=365 * year)
            period_end = period_start + dt.timedelta(days=364)
            reports.append(
                FollowUpReport(
                    agreement=agreement,
                    period_start=period_start,
                    period_end=period_end,
                    due_date=period_end + dt.timedelta(days=60),
                    completed_on=period_end + dt.timedelta(days=50) if i % 3 else None,
                )
            )
    AgreementParty.objects.bulk_create(parties, batch_size=5000)
    Commitment.objects.bulk_create(commitments, batch_size=5000)
    FollowUpReport.objects.bulk_create(reports, batch_size=5000)
    # Bulk rows fire no signals: the county filter's pairs as the services keep them.
    agreement_counties.rebuild()
    county, munis = groups[0]
    sample = created[0]
    return {
        "agreements": str(len(created)),
        "commitments": str(len(commitments)),
        "county": county.county.number if county.county else "",
        "party": str(munis[0].pk) if munis else str(county.pk),
        "agreement": str(sample.pk),
    }
