"""The consultation register seen from the consulting authority: the contract's owning
organisation is the authority (a state body), so its editors take every step of the case."""

from __future__ import annotations

import dataclasses

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.core.testing import EDITORS

from .contract import CONTRACT as PARTY_CONTRACT
from .contract import (
    api_authority_steps,
    api_shared_steps,
    authority_steps,
    karasjok,
    shared_steps,
)


def _make(owner):
    Organisation.objects.filter(pk=owner.pk).update(kind=OrganisationKind.STATE_AGENCY)
    owner.refresh_from_db()
    muni = karasjok()
    sameting = Organisation.objects.filter(name="Sametinget").first() or organisation_create(
        actor="t", name="Sametinget", kind=OrganisationKind.SAMETINGET
    )
    case = services.consultation_create(
        actor="t",
        title="Forskrift om reindrift",
        kind="regulation",
        authority=owner,
        municipalities=[muni],
    )
    services.party_add(actor="t", consultation=case, organisation=sameting)
    case.refresh_from_db()
    return case


CONTRACT = dataclasses.replace(
    PARTY_CONTRACT,
    name="consultation-authority",
    make=_make,
    archive_roles=EDITORS,
    archiver="editor",
    actions={**authority_steps(EDITORS), **shared_steps()},
    api_actions={**api_authority_steps(EDITORS), **api_shared_steps()},
)
