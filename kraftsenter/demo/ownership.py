"""Demo content of the ownership register: a few interests, ownership statements and plans for
ownership control for Hamar and Alta, created through the services (so the history shows them).

The companies, enterprises and foundations are invented for the demonstration (their
description says so); the inter-municipal cooperation is the demo's Plankontor Hamarregionen KO.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.ownership import services
from kraftsenter.ownership.models import OwnershipInterest

ACTOR = "demo"
EXAMPLE = "Eksempel laget for demonstrasjon; ikke en virkelig virksomhet."


def _municipality(number: str) -> Organisation | None:
    return (
        Organisation.objects.filter(
            kind=K.MUNICIPALITY, municipality__number=number, archived_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def _entity(name: str, kind: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or organisation_create(actor=ACTOR, name=name, kind=kind, description=EXAMPLE)


def _hamar(hamar: Organisation) -> int:
    created = 0
    interests = [
        (
            "as_wholly_owned",
            _entity("Mjøsbyen Fibernett AS", K.AS),
            Decimal("100"),
            "Sikre at alle innbyggere og virksomheter i kommunen får tilgang til bredbånd på like "
            "vilkår, også der det ikke er lønnsomt for kommersielle aktører.",
            "Generalforsamlingen velger et styre med kompetanse på nettutbygging; selskapet skal "
            "ikke ta opp lån uten kommunestyrets samtykke.",
            dt.date(2019, 3, 21),
            "19/412",
        ),
        (
            "municipal_enterprise",
            _entity("Hamar Formålsbygg KF", K.BUSINESS),
            None,
            "Forvalte, drifte og utvikle kommunens skoler, barnehager og sykehjem samlet og med "
            "langsiktig vedlikehold.",
            "Styret rapporterer til kommunestyret hvert tertial.",
            dt.date(2016, 11, 24),
            "16/2210",
        ),
        (
            "foundation",
            _entity("Stiftelsen Mjøsens Kultursal", K.FOUNDATION),
            None,
            "",  # the purpose is still missing: the report and the interest point it out
            "",
            dt.date(2004, 6, 10),
            "04/118",
        ),
    ]
    for kind, entity, share, purpose, principles, decided_on, reference in interests:
        if OwnershipInterest.objects.filter(holder=hamar, entity=entity).exists():
            continue
        services.interest_create(
            actor=ACTOR,
            holder=hamar,
            kind=kind,
            entity=entity,
            share=share,
            purpose=purpose,
            management_principles=principles,
            decided_on=decided_on,
            case_reference=reference,
        )
        created += 1
    office = Cooperation.objects.filter(name="Plankontor Hamarregionen KO").first()
    if (
        office is not None
        and office.participants.filter(organisation=hamar, archived_at__isnull=True).exists()
        and not OwnershipInterest.objects.filter(holder=hamar, cooperation=office).exists()
    ):
        services.interest_create(
            actor=ACTOR,
            holder=hamar,
            kind="cooperation",
            cooperation=office,
            purpose="Sikre nok plankompetanse i en liten kommune og lik saksbehandling i regionen.",
            decided_on=dt.date(2021, 10, 14),
            case_reference="21/1890",
        )
        created += 1
    if not hamar.ownership_statements.exists():
        services.statement_create(
            actor=ACTOR,
            holder=hamar,
            kind="ownership_statement",
            adopted_on=dt.date(2024, 6, 19),
            case_reference="24/1043",
            principles="Kommunen følger anbefalingene fra KS om eierstyring, selskapsledelse og "
            "kontroll. Styrene settes sammen etter kompetanse; folkevalgte i kommunestyret sitter "
            "ikke i styrene.",
        )
        services.statement_create(
            actor=ACTOR,
            holder=hamar,
            kind="control_plan",
            adopted_on=dt.date(2025, 2, 12),
            case_reference="25/0201",
        )
    return created


def _alta(alta: Organisation) -> int:
    entity = _entity("Altafjorden Næringsbygg AS", K.AS)
    created = 0
    if not OwnershipInterest.objects.filter(holder=alta, entity=entity).exists():
        services.interest_create(
            actor=ACTOR,
            holder=alta,
            kind="as_partly_owned",
            entity=entity,
            share=Decimal("34"),
            purpose="Legge til rette for nye arbeidsplasser ved å tilby næringsareal.",
            decided_on=dt.date(2012, 9, 20),
            case_reference="12/3301",
        )
        created += 1
    if not alta.ownership_statements.exists():
        # Adopted by the executive board, not the council: saved with its warning.
        services.statement_create(
            actor=ACTOR,
            holder=alta,
            kind="ownership_statement",
            adopted_on=dt.date(2024, 11, 5),
            adopting_body="other_body",
            case_reference="24/2290",
        )
    return created


def load_demo_ownership() -> int:
    """The demo's interests; running it again adds nothing twice. Returns how many it added."""
    created = 0
    hamar = _municipality("3403")
    if hamar is not None:
        created += _hamar(hamar)
    alta = _municipality("5601")
    if alta is not None:
        created += _alta(alta)
    return created
