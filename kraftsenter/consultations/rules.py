"""The rules of sameloven chapter 4 and offentleglova § 19, each with its legal source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.core.rules import Violation

from .choices import AuthorityLevel, ScreeningResult

if TYPE_CHECKING:
    from kraftsenter.places.models import Municipality

SAMI_INTERESTS = {K.SAMETINGET, K.REINDEER_HERDING_DISTRICT, K.SIIDA, K.SAMI_ORGANISATION}
LEVEL_BY_KIND: dict[str, AuthorityLevel] = {
    K.MUNICIPALITY: AuthorityLevel.MUNICIPALITY,
    K.COUNTY_MUNICIPALITY: AuthorityLevel.COUNTY,
    K.STATSFORVALTER: AuthorityLevel.STATE,
    K.STATE_AGENCY: AuthorityLevel.STATE,
    K.STATE_FUNDING_AGENCY: AuthorityLevel.STATE,
}
#: Counties with parts in the Sami reindeer-herding area (reindriftsloven § 4): Finnmark,
#: Troms, Nordland, Trøndelag and the former Hedmark (now Innlandet).
REINDEER_COUNTIES = {"56", "55", "18", "50", "34"}


def authority_violation(kind: str) -> Violation | None:
    if kind in LEVEL_BY_KIND:
        return None
    return Violation(
        "authority_kind",
        "authority",
        str(
            _(
                "Only a state body, a county municipality or a municipality has the duty to "
                "consult (sameloven §§ 4-3 and 4-4)."
            )
        ),
        "sameloven §§ 4-3 og 4-4",
    )


def party_violation(kind: str) -> Violation | None:
    if kind in SAMI_INTERESTS:
        return None
    return Violation(
        "party_sami",
        "organisation",
        str(
            _(
                "A party must be Sametinget or another representative of affected Sami "
                "interests, such as a reindeer-herding district, a siida or another Sami "
                "organisation (sameloven § 4-2)."
            )
        ),
        "sameloven § 4-2",
    )


SAMETINGET_IN_PLAN = _(
    "In a land-use plan where Sametinget can object under plan- og bygningsloven § 5-4, "
    "Sametinget takes part through the plan process, not through consultation (sameloven § 4-1 "
    "fourth paragraph). Other Sami interests can still be consulted."
)


def exemption_violation(level: str, basis: str) -> Violation | None:
    if basis != "offl_19" or level == AuthorityLevel.STATE:
        return None
    return Violation(
        "exemption_state_only",
        "exemption_basis",
        str(
            _(
                "Offentleglova § 19 covers only documents exchanged between state bodies and "
                "Sami interests in consultations; a county municipality or municipality "
                "must use the ordinary rules of offentleglova."
            )
        ),
        "offentleglova § 19",
    )


def suggested_result(
    direct_effect: bool | None,
    general_matter: bool | None,
    natural_basis: bool | None,
    traditional_area: bool | None,
) -> str:
    """The screening's suggestion from the answers (§ 4-1); the user decides, with reasons."""
    if general_matter or direct_effect is False:
        return ScreeningResult.NOT_REQUIRED
    if direct_effect is None:
        return ScreeningResult.UNCERTAIN
    if natural_basis and traditional_area is False:
        return ScreeningResult.NOT_REQUIRED
    if natural_basis and traditional_area is None:
        return ScreeningResult.UNCERTAIN
    return ScreeningResult.REQUIRED


def screening_triggers(municipalities: Iterable[Municipality]) -> list[str]:
    """Why a screening is suggested: triggers, never limits."""
    reasons: list[str] = []
    for m in municipalities:
        if m.sami_language_area:
            reasons.append(
                str(
                    _("%(name)s is in the administrative area for Sami languages.")
                    % {"name": m.name}
                )
            )
        if m.county.number in REINDEER_COUNTIES:
            reasons.append(
                str(
                    _(
                        "%(name)s is in a county with parts in the Sami reindeer-herding "
                        "area (reindriftsloven § 4)."
                    )
                    % {"name": m.name}
                )
            )
    return reasons
