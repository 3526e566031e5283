"""Demo cooperations: the strategy chapter's real examples and an example set for one region.

Everything that is not a fact from the chapter is labelled as an example in its description.
Records are created through the services, so rules and history apply as for any user.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kraftsenter.actors.models import Organisation
from kraftsenter.cooperations import services
from kraftsenter.cooperations.choices import BodyKind, MemberRole, Status
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.rules import mandatory_codes

ACTOR = "demo"
EXAMPLE = "Eksempel laget for demonstrasjon; deltakere, andeler og vedtak er ikke hentet fra "
EXAMPLE += "samarbeidets egne dokumenter."


def _muni_orgs(numbers: list[str]) -> list[Organisation]:
    orgs = {
        o.municipality.number: o
        for o in Organisation.objects.filter(
            kind="municipality", municipality__number__in=numbers
        ).select_related("municipality")
        if o.municipality is not None
    }
    return [orgs[n] for n in numbers if n in orgs]


def _equal_shares(orgs: list[Organisation]) -> list[services.ParticipantInput]:
    share = (Decimal(100) / len(orgs)).quantize(Decimal("0.001"))
    inputs = [services.ParticipantInput(o, share) for o in orgs]
    inputs[-1].ownership_share = Decimal(100) - share * (len(orgs) - 1)
    return inputs


def _adopt(coop: Cooperation, start: dt.date, *, activate: bool = True) -> Cooperation:
    """Agreement version 1 with every mandatory item, each council's decision, then active."""
    version = services.agreement_version_add(
        actor=ACTOR,
        cooperation=coop,
        items_covered=sorted(mandatory_codes(coop.legal_form)),
        summary="Første samarbeidsavtale.",
    )
    for i, part in enumerate(
        coop.participants.filter(archived_at__isnull=True).select_related("organisation")
    ):
        services.council_decision_record(
            actor=ACTOR,
            agreement_version=version,
            organisation=part.organisation,
            decided_on=start - dt.timedelta(days=60 - i),
            case_reference=f"eksempel/{i + 1}",
        )
    if not activate:
        return coop
    coop.refresh_from_db()
    return services.cooperation_update(
        actor=ACTOR, cooperation=coop, expected_version=coop.version, status=Status.ACTIVE
    )


def _representantskap(coop: Cooperation, members: list[Organisation]) -> None:
    """A representantskap with one member and one deputy from each participant, for the four
    years of the election period (kommuneloven §§ 18-3, 19-3): the cooperation page then lacks
    nothing in its bodies."""
    body = services.body_add(
        actor=ACTOR, cooperation=coop, kind=BodyKind.REPRESENTANTSKAP, name="Representantskapet"
    )
    for i, org in enumerate(members):
        for role, who in ((MemberRole.CHAIR if i == 0 else MemberRole.MEMBER, "Medlem"),
                          (MemberRole.DEPUTY, "Varamedlem")):  # fmt: skip
            services.body_member_add(
                actor=ACTOR,
                body=body,
                person_name=f"{who} for {org.name} (eksempel)",
                role=role,
                organisation=org,
                term_start=dt.date(2023, 10, 15),
                term_end=dt.date(2027, 10, 14),
            )


def load_demo_cooperations() -> int:
    created = 0
    if not Cooperation.objects.filter(name__startswith="Regional motor for IKT").exists():
        members = _muni_orgs(["5503", "5601", "5603"])
        if len(members) == 3:
            coop = services.cooperation_create(
                actor=ACTOR,
                name="Regional motor for IKT og digitalisering",
                legal_form="other",
                legal_basis="Samarbeidsavtale mellom kommunene (prosjekt)",
                areas=["ict", "innovation"],
                start_date=dt.date(2020, 9, 1),
                participants=[services.ParticipantInput(o) for o in members],
                purpose=(
                    "Profesjonell, stabil og sikker IKT-drift og infrastruktur; kommunene i "
                    "fylket inviteres med. Samlet IKT-, innovasjons- og digitaliseringskompetanse "
                    "brukes på tvers, nasjonale prosjekter innføres for alle, og kommunene "
                    "driver utvikling og innovasjon i fellesskap."
                ),
            )
            group = services.body_add(
                actor=ACTOR, cooperation=coop, kind=BodyKind.STEERING_GROUP, name="Styringsgruppe"
            )
            statsforvalter = Organisation.objects.filter(
                kind="statsforvalter", name__icontains="Troms"
            ).first()
            services.body_member_add(
                actor=ACTOR,
                body=group,
                person_name="Representant for statsforvalteren",
                role=MemberRole.OBSERVER,
                organisation=statsforvalter,
            )
            for org in members:
                services.body_member_add(
                    actor=ACTOR,
                    body=group,
                    role=MemberRole.MEMBER,
                    person_name=f"Representant for {org.name}",
                    organisation=org,
                )
            created += 1

    examples = [
        (
            "Salten regionråd – interkommunalt politisk råd",
            "ipr",
            ["1804", "1841", "1840", "1875"],
            ["regional_policy", "business", "transport"],
            None,
            dt.date(2020, 1, 1),
            True,
        ),
        (
            "Indre Helgeland regionråd – interkommunalt politisk råd",
            "ipr",
            ["1833", "1826"],
            ["regional_policy", "business"],
            None,
            dt.date(2020, 1, 1),
            True,
        ),
        (
            "Hamarregionen utvikling – interkommunalt politisk råd",
            "ipr",
            ["3403", "3411", "3412", "3413"],
            ["regional_policy", "business", "climate"],
            None,
            dt.date(2021, 1, 1),
            True,
        ),
        (
            "Plankontor Hamarregionen KO",
            "ko",
            ["3403", "3412", "3413"],
            ["planning"],
            None,
            dt.date(2022, 1, 1),
            True,
        ),
        (
            "Innkjøpssamarbeid i Hamarregionen",
            "host_administrative",
            ["3403", "3411", "3412", "3413"],
            ["procurement"],
            "3403",
            dt.date(2021, 6, 1),
            True,
        ),
        (
            "Hamarregionen IKT – kommunalt oppgavefellesskap",
            "ko",
            ["3403", "3412"],
            ["ict", "administration"],
            None,
            dt.date(2026, 1, 1),
            False,
        ),
    ]
    for name, form, numbers, areas, host, start, adopt in examples:
        if Cooperation.objects.filter(name=name).exists():
            continue
        members = _muni_orgs(numbers)
        if len(members) < 2:
            continue
        host_org = next(
            (o for o in members if o.municipality is not None and o.municipality.number == host),
            None,
        )
        with_shares = form in ("ipr", "ko", "iks")
        coop = services.cooperation_create(
            actor=ACTOR,
            name=name,
            legal_form=form,
            areas=areas,
            start_date=start,
            host=host_org,
            legal_person=form == "ko",
            participants=_equal_shares(members)
            if with_shares
            else [services.ParticipantInput(o) for o in members],
            statsforvalter_notified_on=start if host_org else None,
            # What the participants delegated (kommuneloven §§ 18-1, 19-1, 20-2).
            authority={"ipr": ["tasks", "grants"], "ko": ["tasks", "internal"]}.get(
                form, ["tasks", "individual"] if host_org else []
            ),
            purpose=EXAMPLE,
            withdrawal_terms="Ett års skriftlig varsel (eksempel)." if adopt else "",
            dissolution_terms="Etter enstemmig vedtak i deltakernes kommunestyrer; "
            "vertskommunen/kontorkommunen tar vare på arkivet (eksempel)."
            if adopt
            else "",
        )
        if adopt:
            _adopt(coop, start)
            if form in ("ipr", "ko"):
                _representantskap(coop, members)
        created += 1
    return created
