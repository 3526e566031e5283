"""Demo content: the places and organisations of the strategy chapter's real examples.

Everything is created through the same services that a user's edits go through, so the demo
also shows the change history. Regions here are example delimitations, labelled as such; the
computed ones come from the knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import (
    organisation_create,
    organisation_update,
    organisations_sync_from_places,
)
from kraftsenter.places.importers.base import SourceUnavailable
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.importers.sources import BUILTIN_DIR, builtin_dataset, read_source
from kraftsenter.places.models import County, Municipality, Region
from kraftsenter.places.services import region_create

DEMO_ACTOR = "demo"
EXAMPLE_NOTE = "Eksempel: avgrensning laget for demonstrasjon, ikke en offisiell inndeling."

# (name, kind, municipality number or None, county number or None, description)
# National actors carry the names of kraftsenter/actors/reference_organisations.csv, so the
# demo completes the organisations the sync creates instead of adding a second one.
ORGANISATIONS: list[tuple[str, str, str | None, str | None, str]] = [
    (
        "Nordland fylkeskommune",
        K.COUNTY_MUNICIPALITY,
        "1804",
        "18",
        "Fylkesrådet tok initiativ til regionvekstavtaler med de interkommunale politiske rådene.",
    ),
    ("Troms fylkeskommune", K.COUNTY_MUNICIPALITY, "5501", "55", ""),
    ("Finnmark fylkeskommune", K.COUNTY_MUNICIPALITY, "5601", "56", ""),
    ("Innlandet fylkeskommune", K.COUNTY_MUNICIPALITY, "3403", "34", ""),
    ("Trøndelag fylkeskommune", K.COUNTY_MUNICIPALITY, "5006", "50", ""),
    ("Salten Regionråd", K.IPR, "1804", "18", "Interkommunalt politisk råd i Salten."),
    ("Helgelandsrådet", K.IPR, None, "18", "Interkommunalt politisk råd på Helgeland."),
    ("Indre Helgeland regionråd", K.IPR, "1833", "18", "Interkommunalt politisk råd."),
    ("Lofotrådet", K.IPR, "1865", "18", "Interkommunalt politisk råd i Lofoten."),
    ("Vesterålen regionråd", K.IPR, "1870", "18", "Interkommunalt politisk råd i Vesterålen."),
    ("Hålogalandsrådet", K.IPR, "1806", "18", "Interkommunalt politisk råd i Ofoten og Sør-Troms."),
    ("Harstad kommune", K.MUNICIPALITY, "5503", "55", ""),
    ("Alta kommune", K.MUNICIPALITY, "5601", "56", ""),
    ("Hammerfest kommune", K.MUNICIPALITY, "5603", "56", ""),
    (
        "Statsforvalteren i Troms og Finnmark",
        K.STATSFORVALTER,
        None,
        "55",
        "Deltar i styringsgruppen for Regional motor for IKT og digitalisering, med møte- og "
        "talerett.",
    ),
    (
        "Hamar kommune",
        K.MUNICIPALITY,
        "3403",
        "34",
        "Smart Hamar: smartby-program med "
        "prosjektet Smart vinterveg sammen med nabokommuner og leverandører.",
    ),
    (
        "Inderøy kommune",
        K.MUNICIPALITY,
        "5053",
        "50",
        "Kommunesenteret Straumen ble tildelt prisen Norges mest attraktive by i 2020.",
    ),
    (
        "KS – Kommunesektorens organisasjon",
        K.NATIONAL_KNOWLEDGE_ACTOR,
        None,
        None,
        "Kommunesektorens organisasjon.",
    ),
    (
        "Distriktssenteret – Kompetansesenter for distriktsutvikling",
        K.NATIONAL_KNOWLEDGE_ACTOR,
        None,
        None,
        "Kompetansesenter for distriktsutvikling; samarbeidsavtale med BYLIVsenteret.",
    ),
    (
        "BYLIVsenteret",
        K.NATIONAL_KNOWLEDGE_ACTOR,
        None,
        None,
        "Nasjonalt senter for byliv og stedsutvikling.",
    ),
    ("Innovasjon Norge", K.STATE_FUNDING_AGENCY, None, None, ""),
    (
        "SoCentral",
        K.SOCIAL_ENTREPRENEUR,
        None,
        None,
        "Tester regionale samskapingsarenaer sammen med KS, Innovasjon Norge og Ferd.",
    ),
    ("Ferd Sosiale Entreprenører", K.SOCIAL_ENTREPRENEUR, None, None, ""),
    ("Sametinget", K.SAMETINGET, "5610", None, ""),
    (
        "DOGA – Design og arkitektur Norge",
        K.NATIONAL_KNOWLEDGE_ACTOR,
        None,
        None,
        "Design og arkitektur Norge.",
    ),
    ("Nordic Edge", K.CLUSTER, None, None, "Næringsklynge for smarte byer."),
]

# (name, centre number, hinterland numbers, description)
REGIONS: list[tuple[str, str, list[str], str]] = [
    (
        "Hamarregionen",
        "3403",
        ["3411", "3412", "3413"],
        "Hamar med omland; Smart Hamar samarbeider med nabokommunene om Smart vinterveg.",
    ),
    (
        "Harstadregionen",
        "5503",
        ["5510", "5512"],
        "Harstad med omland; Harstad er med i Regional motor for IKT og digitalisering.",
    ),
    ("Altaregionen", "5601", ["5612"], "Alta med omland."),
    ("Salten", "1804", ["1841", "1840", "1875"], "Bodø med omland i Salten."),
    ("Mosjøen og Vefsn", "1824", ["1826"], "Mosjøen (Vefsn) med omland på Helgeland."),
    (
        "Inn-Trøndelag",
        "5006",
        ["5053", "5041"],
        "Steinkjer med omland; Straumen i Inderøy er et eksempel på bærekraftig stedsutvikling.",
    ),
    (
        "Grenland",
        "4003",
        ["4001", "4012", "4010"],
        "Skien med omland i Telemark, fylket der det innebygde demosettet har tall for næring "
        "og klimagassutslipp.",
    ),
]


# Demo accounts (listed in the README). Only `make demo` creates them; never in production.
DEMO_PASSWORD = "kraftsenter-demo"  # noqa: S105 - documented demo password
# (username, full name, organisation name or None, role, site admin)
DEMO_USERS: list[tuple[str, str, str | None, str, bool]] = [
    ("admin", "Ada Administrator", None, "", True),
    ("hamar", "Hanne Redaktør", "Hamar kommune", "admin", False),
    ("hamar-redaktor", "Håkon Redaktør", "Hamar kommune", "editor", False),
    ("hamar-medlem", "Hilde Medlem", "Hamar kommune", "member", False),
    ("nordland", "Nils Rådgiver", "Nordland fylkeskommune", "admin", False),
    ("alta", "Aili Rådgiver", "Alta kommune", "editor", False),
]


def load_demo_places(*, say: Callable[[str], None], timeout: float = 5.0) -> str:
    """Places for the demo: the data directory, else the official sources, else the built-in
    set; with the directory's or the built-in set's statistics (``places/builtin/``, made by
    ``build_builtin_statistics``), loaded through the statistics import."""
    if settings.KRAFTSENTER_DATA_DIR:
        dataset = read_source(directory=settings.KRAFTSENTER_DATA_DIR)
    else:
        previous = settings.KRAFTSENTER_SOURCES_TIMEOUT
        previous_retries = getattr(settings, "KRAFTSENTER_SOURCES_RETRIES", None)
        settings.KRAFTSENTER_SOURCES_TIMEOUT = timeout
        # A quick probe: the demo falls back to the built-in set instead of retrying.
        settings.KRAFTSENTER_SOURCES_RETRIES = 0
        try:
            dataset = read_source()
        except SourceUnavailable as exc:
            say(
                f"Offisielle kilder kunne ikke nås ({exc}); laster det innebygde settet med "
                f"{len(builtin_dataset().municipalities)} kommuner i stedet."
            )
            dataset = builtin_dataset()
        finally:
            settings.KRAFTSENTER_SOURCES_TIMEOUT = previous
            if previous_retries is None:
                delattr(settings, "KRAFTSENTER_SOURCES_RETRIES")
            else:
                settings.KRAFTSENTER_SOURCES_RETRIES = previous_retries
    run = load_places(dataset)
    if settings.KRAFTSENTER_DATA_DIR:
        load_demo_statistics(settings.KRAFTSENTER_DATA_DIR, say=say)
    elif dataset.source == "builtin":
        load_demo_statistics(str(BUILTIN_DIR), say=say, source="builtin")
    return run.source


def load_demo_statistics(
    directory: str, *, say: Callable[[str], None], source: str | None = None
) -> None:
    """Commuting, employment, industry and emissions from the same directory, when there
    (the built-in set's own files when the places are the built-in set: ``source`` then names
    it so in the import record)."""
    from kraftsenter.knowledge.importers.files import read_directory as read_statistics
    from kraftsenter.knowledge.importers.load import load_statistics
    from kraftsenter.places.importers.base import ImportFailed

    try:
        # The demo takes what the directory has (its industry and emission files may cover one
        # county only); figures that contradict each other are still refused.
        dataset = read_statistics(directory)
        if source:
            dataset.source = source
        run = load_statistics(dataset, allow_partial=True)
    except ImportFailed as exc:
        say(f"Statistikk ble ikke lastet: {exc.problems[0]}")
    else:
        partial = " (noen deler dekker bare et utvalg av kommuner eller år)"
        say(
            "Statistikk (pendling, sysselsetting, næring, utslipp) lastet"
            f"{partial if run.summary.get('partial') else ''}."
        )


@transaction.atomic
def load_demo_content(*, say: Callable[[str], None]) -> None:
    """Organisations and example regions; running it again adds nothing twice."""
    synced = organisations_sync_from_places(actor="import")
    municipalities = {m.number: m for m in Municipality.objects.all()}
    counties = {c.number: c for c in County.objects.all()}
    created = 0
    for name, kind, muni, county, description in ORGANISATIONS:
        municipality = municipalities.get(muni) if muni else None
        county_obj = counties.get(county) if county else None
        if kind == K.COUNTY_MUNICIPALITY and county_obj is None:
            continue  # the county is not loaded (built-in or partial data)
        existing = _existing_organisation(name, kind, municipality, county_obj)
        if existing is not None:
            if description and not existing.description:
                organisation_update(
                    actor=DEMO_ACTOR,
                    organisation=existing,
                    expected_version=existing.version,
                    description=description,
                )
            continue
        if kind == K.MUNICIPALITY and municipality is None:
            continue
        organisation_create(
            actor=DEMO_ACTOR,
            name=name,
            kind=kind,
            municipality=municipality,
            county=county_obj
            if municipality is None or municipality.county == county_obj
            else municipality.county,
            description=description,
        )
        created += 1
    regions = 0
    for name, centre, hinterland, description in REGIONS:
        if Region.objects.filter(name=name).exists() or centre not in municipalities:
            continue
        region_create(
            actor=DEMO_ACTOR,
            name=name,
            centre=municipalities[centre],
            hinterland=[municipalities[n] for n in hinterland if n in municipalities],
            description=f"{description} {EXAMPLE_NOTE}",
        )
        regions += 1
    users = _demo_users()
    from kraftsenter.demo.cooperations import load_demo_cooperations

    cooperations = load_demo_cooperations()
    from kraftsenter.demo.consultations import load_demo_consultations

    consultations = load_demo_consultations()
    from kraftsenter.demo.agreements import load_demo_agreements

    agreements = load_demo_agreements()
    from kraftsenter.demo.ownership import load_demo_ownership

    ownership = load_demo_ownership()
    say(
        f"Organisasjoner for kommuner og fylkeskommuner: {synced['created']} nye. "
        f"Demoinnhold: {created} nye organisasjoner, {regions} nye regioner, "
        f"{users} nye demokontoer, {cooperations} nye samarbeid, "
        f"{consultations} nye konsultasjonssaker, {agreements} nye avtaler, "
        f"{ownership} nye eierinteresser."
    )


def _existing_organisation(name, kind, municipality, county):
    """The municipality's or county's own organisation, or one with the same name."""
    if kind == K.MUNICIPALITY and municipality is not None:
        found = Organisation.objects.filter(kind=kind, municipality=municipality).first()
        if found:
            return found
    if kind == K.COUNTY_MUNICIPALITY and county is not None:
        found = Organisation.objects.filter(kind=kind, county=county).first()
        if found:
            return found
    return Organisation.objects.filter(name=name).first()


def _demo_users() -> int:
    from django.contrib.auth import get_user_model

    from kraftsenter.actors.services import membership_add

    User = get_user_model()
    created = 0
    for username, full_name, organisation_name, role, site_admin in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        first, _sep, last = full_name.partition(" ")
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@example.invalid",
            is_superuser=site_admin,
            is_staff=site_admin,
        )
        created += 1
        organisation = (
            Organisation.objects.filter(name=organisation_name).first()
            if organisation_name
            else None
        )
        if organisation is not None:
            membership_add(actor=DEMO_ACTOR, organisation=organisation, user=user, role=role)
    return created
