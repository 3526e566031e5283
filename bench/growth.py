"""Organisations and cooperations for the bench dataset, in bulk, at any scale.

``bench/run.py``'s setup calls these once for the national scale (50 000 organisations,
20 000 cooperations); ``--growth`` calls them again to double and quadruple both, so that the
same URLs can be measured at 1×, 2× and 4×. Written in bulk (the rules and the history are
tested elsewhere), on SQLite and PostgreSQL alike: ``bulk_create`` takes the ids from the
database (PostgreSQL's sequences, SQLite's rowid), and new rows are found by id, never by
position.
"""

from __future__ import annotations

import random
from decimal import Decimal

ORGANISATIONS = 50_000
COOPERATIONS = 20_000
WORDS = [
    "idrettslag",
    "velforening",
    "næringsforening",
    "kor",
    "frivilligsentral",
    "klynge",
    "bondelag",
    "museum",
    "historielag",
    "ungdomsråd",
]


def add_organisations(count: int, start: int = 0) -> int:
    """``count`` organisations of every kind but the public ones, round the municipalities;
    names numbered from ``start``. Returns how many there are now."""
    from kraftsenter.actors.choices import OrganisationKind
    from kraftsenter.actors.models import Organisation
    from kraftsenter.places.models import Municipality

    munis = list(Municipality.objects.select_related("county").order_by("pk"))
    kinds = [k for k in OrganisationKind.values if k not in ("municipality", "county_municipality")]
    batch = []
    for i in range(start, start + count):
        m = munis[i % len(munis)]
        batch.append(
            Organisation(
                name=f"{m.name_nb} {WORDS[i % len(WORDS)]} {i}",
                kind=kinds[i % len(kinds)],
                municipality=m,
                county=m.county,
            )
        )
    Organisation.objects.bulk_create(batch, batch_size=5000)
    return Organisation.objects.count()


def add_cooperations(count: int, start: int = 0, seed: int = 2026) -> tuple[int, int]:
    """``count`` cooperations with 2-15 municipal participants from one county each and 1-3
    areas; returns (cooperations, participants) now."""
    from kraftsenter.actors.models import Organisation
    from kraftsenter.cooperations import counties
    from kraftsenter.cooperations.choices import Area, LegalForm, Status
    from kraftsenter.cooperations.models import Cooperation, CooperationArea, Participant

    rng = random.Random(seed + start)
    municipal = list(
        Organisation.objects.filter(kind="municipality")
        .select_related("municipality")
        .order_by("pk")
    )
    by_county: dict[int, list[Organisation]] = {}
    for org in municipal:
        if org.municipality is not None:
            by_county.setdefault(org.municipality.county_id, []).append(org)
    groups = list(by_county.values())
    forms = list(LegalForm.values)
    areas = list(Area.values)
    newest = Cooperation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Cooperation.objects.bulk_create(
        [
            Cooperation(
                name=f"Samarbeid {i} IKS",
                legal_form=forms[i % len(forms)],
                legal_basis="avtale",
                status=Status.ACTIVE if i % 4 else Status.PLANNED,
                legal_person=True,
            )
            for i in range(start, start + count)
        ],
        batch_size=2000,
    )
    links, parts = [], []
    new = Cooperation.objects.filter(pk__gt=newest).order_by("pk").only("pk")
    for i, coop in enumerate(new.iterator(chunk_size=5000), start=start):
        pool = groups[i % len(groups)]
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 15)))
        share = Decimal(100) / len(chosen)
        for org in chosen:
            parts.append(
                Participant(
                    cooperation=coop,
                    organisation=org,
                    ownership_share=share.quantize(Decimal("0.001")),
                )
            )
        for area in rng.sample(areas, rng.randint(1, 3)):
            links.append(CooperationArea(cooperation=coop, area=area))
    Participant.objects.bulk_create(parts, batch_size=5000)
    CooperationArea.objects.bulk_create(links, batch_size=5000)
    # Bulk rows fire no signals: the county filter's pairs as the services keep them.
    counties.rebuild()
    return Cooperation.objects.count(), Participant.objects.count()


def grow(factor_from: int, factor_to: int) -> dict[str, int]:
    """From ``factor_from``× to ``factor_to``× the national scale: the organisations and
    cooperations in between (in one transaction)."""
    from django.db import transaction

    with transaction.atomic():
        orgs = add_organisations(
            ORGANISATIONS * (factor_to - factor_from), start=ORGANISATIONS * factor_from
        )
        coops, parts = add_cooperations(
            COOPERATIONS * (factor_to - factor_from), start=COOPERATIONS * factor_from
        )
    return {"organisations": orgs, "cooperations": coops, "participants": parts}
