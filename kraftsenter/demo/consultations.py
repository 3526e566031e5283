"""Demo consultation: an example case in a municipality of the Sami language area.

Labelled as an example: the case, the district and the protocol text are invented.
"""

from __future__ import annotations

import datetime as dt

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.consultations.models import Consultation
from kraftsenter.places.models import Municipality

ACTOR = "demo"
TITLE = "Eksempel: kommunedelplan for friluftsliv og reiseliv i Karasjok"


def load_demo_consultations() -> int:
    if Consultation.objects.filter(title=TITLE).exists():
        return 0
    municipality = Municipality.objects.filter(number="5610").first()
    authority = Organisation.objects.filter(kind="municipality", municipality=municipality).first()
    sametinget = Organisation.objects.filter(kind="sametinget").first()
    if municipality is None or authority is None or sametinget is None:
        return 0
    district = Organisation.objects.filter(
        name="Eksempel reinbeitedistrikt"
    ).first() or organisation_create(
        actor=ACTOR,
        name="Eksempel reinbeitedistrikt",
        kind=OrganisationKind.REINDEER_HERDING_DISTRICT,
        municipality=municipality,
        description="Eksempel laget for demonstrasjon.",
    )
    case = services.consultation_create(
        actor=ACTOR,
        title=TITLE,
        kind="plan",
        plan_kind="thematic_sub_plan",
        authority=authority,
        municipalities=[municipality],
        description="Eksempel laget for demonstrasjon: planen kan berøre beiteområder og "
        "flyttleier. Ikke en virkelig sak.",
    )
    case = services.screening_record(
        actor=ACTOR,
        consultation=case,
        expected_version=case.version,
        direct_effect=True,
        general_matter=False,
        natural_basis=True,
        traditional_area=True,
        result="required",
        reasoning="Planen gjelder arealbruk i tradisjonelt samisk område og kan påvirke "
        "reindriften direkte.",
    )
    for org in (sametinget, district):
        services.party_add(actor=ACTOR, consultation=case, organisation=org)
    case.refresh_from_db()
    case = services.notice_send(
        actor=ACTOR,
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 2, 2),
        content="Varsel om oppstart av planarbeid og tilbud om konsultasjoner.",
        response_deadline=dt.date(2026, 3, 2),
    )
    for party in case.parties.all():
        services.party_respond(
            actor=ACTOR,
            party=party,
            response="wants",
            responded_on=dt.date(2026, 2, 20),
            agreement_still_possible=True,
        )
    case.refresh_from_db()
    services.information_add(
        actor=ACTOR,
        consultation=case,
        shared_on=dt.date(2026, 3, 5),
        content="Planutkast og kart over foreslåtte løyper.",
        shared_with=[sametinget, district],
    )
    services.document_add(
        actor=ACTOR,
        consultation=case,
        title="Eksempel: distriktets merknader til løypeforslaget",
        url="https://www.example.no/eksempel-merknader.pdf",
        origin="consultation",
        shared_with=[district],
    )
    services.meeting_with_protocol_add(
        actor=ACTOR,
        consultation=case,
        held_on=dt.date(2026, 3, 18),
        place="Karasjok rådhus",
        participants="Kommunen, Sametinget, reinbeitedistriktet (eksempel)",
        matter="Forslag til løyper og rasteplasser i planområdet.",
        assessments="Distriktet: to løyper krysser vårbeite og må flyttes. Sametinget: "
        "støtter distriktet og ber om avbøtende tiltak.",
        conclusions="Kommunen utreder alternative traseer til neste møte.",
        agreement="partly",
        sami_language="se",
        matter_sami="Evttohus láhttuide ja bisánanbáikkiide plánaguovllus.",
        assessments_sami="Orohat: guokte láhttu rasttildit giđđaguohtuma.",
        conclusions_sami="Gielda čielggada eará láhttuid boahtte čoahkkimii.",
    )
    return 1
