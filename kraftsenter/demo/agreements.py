"""Demo content: Nordland's regional growth agreements (regionvekstavtaler) between the county
council and the six inter-municipal political councils, the plans they follow, and one
plan-anchored agreement for a small-town region (Mosjøen and its hinterland).

Facts from the strategy chapter (section 9.1, "Regionvekstavtaler Nordland"): the parties, the
purpose, four-year agreements following the rolling of the municipal and regional planning
strategies, politically anchored and not legally or economically binding. Everything else —
periods, dates, decisions, plan items, commitments and reports — is invented for the
demonstration and marked as an example (``is_example`` and "eksempel" in the text).

``load_demo_agreements()`` is called after the core demo (organisations, regions, users);
running it again adds nothing twice. Everything is written through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kraftsenter.actors.models import Organisation
from kraftsenter.agreements import services
from kraftsenter.agreements.models import Agreement, Partnership
from kraftsenter.agreements.services import PartyInput
from kraftsenter.places.models import Region

ACTOR = "demo"
EXAMPLE = "Eksempel laget for demonstrasjon."
COUNTY = "Nordland fylkeskommune"
COUNCILS = [
    ("Salten Regionråd", "Salten"),
    ("Helgelandsrådet", "Helgeland"),
    ("Indre Helgeland regionråd", "Indre Helgeland"),
    ("Lofotrådet", "Lofoten"),
    ("Vesterålen regionråd", "Vesterålen"),
    ("Hålogalandsrådet", "Ofoten og Sør-Troms"),
]
PURPOSE = (
    "Styrke den strategiske dialogen om viktige områder for samfunnsutviklingen i delregionen, "
    "og se utviklingen i senterkommuner og omlandskommuner i sammenheng. Avtalen skal gi bedre "
    "samordning mellom sektorer, økt forutsigbarhet for tjenesteområder som er viktige for "
    "regional utvikling, og økt samarbeid mellom kommunene. Avtalen er forankret politisk og er "
    "ikke en juridisk eller økonomisk bindende avtale; den er fireårig og følger rulleringen av "
    "kommunal og regional planstrategi (kilde: Strategi for småbyer og større tettsteder som "
    "regionale kraftsentre, kap. 9.1). Periode, vedtak og forpliktelser er eksempler."
)
START, END = dt.date(2024, 1, 1), dt.date(2027, 12, 31)


def _org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name, archived_at__isnull=True).first()


def _municipality(number: str) -> Organisation | None:
    return Organisation.objects.filter(
        kind="municipality", municipality__number=number, archived_at__isnull=True
    ).first()


def _plans(county: Organisation) -> dict[str, object]:
    """The regional planning strategy, a regional plan with its action programme and items."""
    strategy = services.plan_create(
        actor=ACTOR,
        title="Regional planstrategi for Nordland 2024–2028",
        kind="regional_planning_strategy",
        owner=county,
        election_year=2023,
        status="adopted",
        hearing_start=dt.date(2024, 2, 1),
        hearing_end=dt.date(2024, 3, 15),
        adopted_on=dt.date(2024, 6, 12),
        sami_language_section=True,
        description=f"Datoer og innhold er eksempler. {EXAMPLE}",
        is_example=True,
    )
    regional = services.plan_create(
        actor=ACTOR,
        title="Regional plan for regional utvikling i Nordland (eksempel)",
        kind="regional_plan",
        owner=county,
        based_on=strategy,
        election_year=2023,
        status="adopted",
        programme_hearing_start=dt.date(2024, 8, 15),
        programme_hearing_end=dt.date(2024, 10, 1),
        hearing_start=dt.date(2025, 2, 1),
        hearing_end=dt.date(2025, 3, 20),
        adopted_on=dt.date(2025, 6, 11),
        description=EXAMPLE,
        is_example=True,
    )
    programme = services.plan_create(
        actor=ACTOR,
        title="Handlingsprogram 2025–2026 (eksempel)",
        kind="action_programme",
        owner=county,
        parent=regional,
        status="adopted",
        adopted_on=dt.date(2025, 6, 11),
        description=EXAMPLE,
        is_example=True,
    )
    items = {}
    for code, title, budget in (
        ("1.1", "Regionvekstavtaler med regionrådene", Decimal("12000000")),
        ("2.3", "Sentrumsutvikling i småbyene", Decimal("8000000")),
        ("3.1", "Kompetanse og rekruttering i delregionene", Decimal("5000000")),
    ):
        items[code] = services.plan_item_add(
            actor=ACTOR,
            plan=programme,
            code=code,
            title=title,
            responsible=county,
            budget=budget,
            is_example=True,
        )
    return {"strategy": strategy, "programme": programme, "items": items}


def _adopted_parties(county: Organisation, others: list[Organisation]) -> list[PartyInput]:
    parties = [PartyInput(county, "fylkesrådet", dt.date(2023, 12, 5), "eksempel/FR-1")]
    for i, org in enumerate(others):
        body = "regionrådet" if org.kind == "ipr" else "kommunestyret"
        parties.append(PartyInput(org, body, dt.date(2023, 12, 8 + i), f"eksempel/{i + 1}"))
    return parties


def _regional_growth(county, council, region_name, plans, today) -> Agreement:
    agreement = services.agreement_create(
        actor=ACTOR,
        title=f"Regionvekstavtale for {region_name}",
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=county,
        parties=_adopted_parties(county, [council]),
        status="active",
        binding=False,
        description=PURPOSE,
        renewal_milestone=dt.date(2027, 6, 1),
    )
    services.goal_add(
        actor=ACTOR,
        agreement=agreement,
        text=f"Bedre samordning av innsatsen for regional utvikling i {region_name} (eksempel).",
        sdgs=[8, 11, 17],
        sdg_targets=["11.a", "17.17"],
    )
    services.anchor_add(
        actor=ACTOR, agreement=agreement, plan=plans["strategy"], note="Prioritert planoppgave"
    )
    services.anchor_add(
        actor=ACTOR,
        agreement=agreement,
        plan=plans["programme"],
        item=plans["items"]["1.1"],
        note="Finansiering gjennom handlingsprogrammet (eksempel).",
    )
    first = services.commitment_create(
        actor=ACTOR,
        agreement=agreement,
        party=county,
        description=f"Eksempel: årlig strategisk dialogmøte med {council.name}.",
        due_date=dt.date(2024, 11, 30),
        status="done",
        is_example=True,
        plan_item=plans["items"]["1.1"],
    )
    services.commitment_create(
        actor=ACTOR,
        agreement=agreement,
        party=council,
        description="Eksempel: felles kunnskapsgrunnlag om senter og omland i delregionen.",
        due_date=today + dt.timedelta(days=10),
        status="in_progress",
        is_example=True,
    )
    services.commitment_create(
        actor=ACTOR,
        agreement=agreement,
        party=county,
        description="Eksempel: samordne fylkeskommunens tjenester i delregionen.",
        due_date=dt.date(2026, 6, 30),
        status="at_risk",
        is_example=True,
    )
    report = services.report_create(
        actor=ACTOR, agreement=agreement, summary="Eksempel på oppfølging.", is_example=True
    )
    services.report_entry_record(
        actor=ACTOR, report=report, commitment=first, status="done", text="Gjennomført (eksempel)."
    )
    return agreement


def _small_town(county, plans, today) -> Agreement | None:
    vefsn, hattfjelldal = _municipality("1824"), _municipality("1826")
    council = _org("Helgelandsrådet")
    if vefsn is None or hattfjelldal is None:
        return None
    vefsn_strategy = services.plan_create(
        actor=ACTOR,
        title="Kommunal planstrategi Vefsn 2024–2027 (eksempel)",
        kind="municipal_planning_strategy",
        owner=vefsn,
        election_year=2023,
        status="adopted",
        proposal_published_on=dt.date(2024, 5, 2),
        adopted_on=dt.date(2024, 6, 20),
        is_example=True,
    )
    services.plan_create(
        actor=ACTOR,
        title="Kommunal planstrategi Hattfjelldal 2024–2027 (eksempel)",
        kind="municipal_planning_strategy",
        owner=hattfjelldal,
        election_year=2023,
        deadline=dt.date(2024, 10, 24),
        description="Eksempel: under arbeid; samisk språkdel mangler (sameloven § 3-13).",
        is_example=True,
    )
    community = services.plan_create(
        actor=ACTOR,
        title="Kommuneplanens samfunnsdel Vefsn (eksempel)",
        kind="community_part",
        owner=vefsn,
        based_on=vefsn_strategy,
        status="adopted",
        adopted_on=dt.date(2025, 2, 13),
        is_example=True,
    )
    action_part = services.plan_create(
        actor=ACTOR,
        title="Handlingsdel 2026–2029 Vefsn (eksempel)",
        kind="action_part",
        owner=vefsn,
        parent=community,
        status="adopted",
        proposal_published_on=dt.date(2025, 11, 20),
        adopted_on=dt.date(2025, 12, 11),
        is_example=True,
    )
    line = services.plan_item_add(
        actor=ACTOR,
        plan=action_part,
        code="4.2",
        title="Mosjøen sentrum: møteplasser og boliger",
        responsible=vefsn,
        budget=Decimal("3500000"),
        follows_up=plans["items"]["2.3"],
        is_example=True,
    )
    others = [vefsn, hattfjelldal, *([council] if council else [])]
    agreement = services.agreement_create(
        actor=ACTOR,
        title="Småbyavtale Mosjøen og omland 2025–2028 (eksempel)",
        kind="partnership",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2028, 12, 31),
        lead=county,
        parties=_adopted_parties(county, others),
        status="active",
        scope_region=Region.objects.filter(name="Mosjøen og Vefsn").first(),
        description=(
            "Eksempel: avtale mellom fylkeskommunen og kommunene om Mosjøen som regionalt "
            "kraftsenter for omlandet, forankret i regional og kommunal plan. " + EXAMPLE
        ),
        renewal_milestone=dt.date(2028, 6, 1),
        is_example=True,
    )
    goal = services.goal_add(
        actor=ACTOR,
        agreement=agreement,
        text="Et levende sentrum i Mosjøen som tjener hele omlandet (eksempel).",
        sdgs=[11],
        sdg_targets=["11.3", "11.a"],
        local_target="100 nye boliger i sentrum innen 2028 (eksempel).",
    )
    services.anchor_add(
        actor=ACTOR, agreement=agreement, plan=plans["programme"], item=plans["items"]["2.3"]
    )
    services.anchor_add(actor=ACTOR, agreement=agreement, plan=action_part, item=line)
    for party, text, due, status, reason in (
        (
            vefsn,
            "Regulere sentrumsområdet for boliger og møteplasser",
            dt.date(2025, 12, 1),
            "done",
            "",
        ),
        (
            county,
            "Tilskudd til sentrumsutvikling fra handlingsprogrammet",
            today + dt.timedelta(days=5),
            "in_progress",
            "",
        ),
        (
            hattfjelldal,
            "Samisk språk og kultur synlig i felles tilbud",
            dt.date(2026, 9, 1),
            "at_risk",
            "",
        ),
        (
            vefsn,
            "Felles parkeringsløsning",
            dt.date(2025, 6, 1),
            "dropped",
            "Eksempel: erstattet av kollektivtiltak i regional plan.",
        ),
    ):
        services.commitment_create(
            actor=ACTOR,
            agreement=agreement,
            party=party,
            description=f"Eksempel: {text}.",
            due_date=due,
            status=status,
            status_reason=reason,
            goal=goal,
            plan_item=line if party == vefsn else None,
            is_example=True,
        )
    services.report_create(actor=ACTOR, agreement=agreement, is_example=True)
    return agreement


@transaction.atomic
def load_demo_agreements() -> int:
    """Create the demo plans, partnership and agreements; returns how many agreements."""
    county = _org(COUNTY)
    if (
        county is None
        or Agreement.objects.filter(title__startswith="Regionvekstavtale for").exists()
    ):
        return 0
    today = timezone.localdate()
    plans = _plans(county)
    councils = [(org, region) for name, region in COUNCILS if (org := _org(name))]
    if not Partnership.objects.filter(name="Regionalt partnerskap Nordland").exists():
        partnership = services.partnership_create(
            actor=ACTOR,
            name="Regionalt partnerskap Nordland",
            lead=county,
            members=[org for org, _region in councils],
            county=county.county,
            purpose=(
                "Fylkesrådet og de interkommunale politiske rådene/regionrådene i fylket "
                "samarbeider om regionvekstavtaler (strategi for småbyer, kap. 9.1)."
            ),
            priorities=(
                "Samordning mellom sektorer\nSenter og omland i sammenheng\nGrønn omstilling"
            ),
        )
        meeting = services.meeting_add(
            actor=ACTOR,
            partnership=partnership,
            held_on=dt.date(2024, 9, 17),
            title="Partnerskapsmøte (eksempel)",
            agenda="1. Oppfølging av regionvekstavtalene\n2. Handlingsprogram 2025–2026",
            minutes="Eksempel: partene gikk gjennom status for forpliktelsene.",
        )
        services.decision_record(
            actor=ACTOR,
            partnership=partnership,
            meeting=meeting,
            decided_on=dt.date(2024, 9, 17),
            text="Eksempel: felles årlig rapportering på regionvekstavtalene innen 1. mars.",
            agreed_by=[county, *(org for org, _region in councils)],
            follow_up="Fylkeskommunen sender mal for rapport.",
            due_date=dt.date(2025, 3, 1),
        )
    created = 0
    for council, region in councils:
        _regional_growth(county, council, region, plans, today)
        created += 1
    if _small_town(county, plans, today) is not None:
        created += 1
    return created
