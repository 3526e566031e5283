"""The rules of sameloven chapter 4 and offentleglova §§ 13–16 and 19, each with its legal
source (the statute texts are in ``shared/laws``; cite section, paragraph and letter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.core.rules import Violation, short_date

from .choices import (
    INTERNAL_ORIGINS,
    OBJECTION_PLAN_KINDS,
    STATE_LEVELS,
    AuthorityLevel,
    ExemptionBasis,
    MatterKind,
    Origin,
    Response,
    ScreeningResult,
    Status,
)

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
#: Kinds of organisation that may be a statsforetak or a private legal person exercising
#: authority on behalf of the state (sameloven § 4-3 letter b): a statsforetak is often
#: registered as a state agency; private bodies as companies, foundations or associations.
DELEGATED_KINDS = {
    K.STATE_AGENCY,
    K.STATE_FUNDING_AGENCY,
    K.AS,
    K.SA,
    K.BUSINESS,
    K.FOUNDATION,
    K.ASSOCIATION,
}
#: Counties with parts in the Sami reindeer-herding area (reindriftsloven § 4): Finnmark,
#: Troms, Nordland, Trøndelag and the former Hedmark (now Innlandet).
REINDEER_COUNTIES = {"56", "55", "18", "50", "34"}


def authority_level(
    kind: str, level: str = "", delegated_authority: str = ""
) -> tuple[str, list[Violation | None]]:
    """The consulting authority's level (sameloven §§ 4-3 and 4-4) and what is wrong with it.

    A state body, county municipality or municipality has its level from its kind. A
    statsforetak or private body consults only when it exercises authority on behalf of the
    state (§ 4-3 letter b): the level is then ``state_delegated`` and the authority it
    exercises is stated.
    """
    if not level:
        level = LEVEL_BY_KIND.get(kind, "")
        if not level and kind in DELEGATED_KINDS:
            level = AuthorityLevel.STATE_DELEGATED
    if level == AuthorityLevel.STATE_DELEGATED and kind in DELEGATED_KINDS:
        if delegated_authority.strip():
            return level, []
        return level, [
            Violation(
                "delegated_authority_missing",
                "delegated_authority",
                str(
                    _(
                        "A statsforetak or private body has the duty to consult only when it "
                        "exercises authority on behalf of the state (sameloven § 4-3 letter "
                        "b): say which authority it exercises here."
                    )
                ),
                "sameloven § 4-3 bokstav b",
            )
        ]
    if level and LEVEL_BY_KIND.get(kind) == level:
        return level, []
    if kind in LEVEL_BY_KIND or kind in DELEGATED_KINDS:
        return LEVEL_BY_KIND.get(kind, AuthorityLevel.STATE_DELEGATED), [
            Violation(
                "authority_level",
                "level",
                str(
                    _(
                        "The level does not fit the authority: a municipality consults as a "
                        "municipality and a county municipality as one (sameloven § 4-4); a "
                        "state body as a state body, or, when it is a statsforetak, as a body "
                        "exercising authority on behalf of the state (§ 4-3 letters a and b)."
                    )
                ),
                "sameloven §§ 4-3 og 4-4",
            )
        ]
    return "", [authority_violation(kind)]


def authority_violation(kind: str) -> Violation | None:
    if kind in LEVEL_BY_KIND or kind in DELEGATED_KINDS:
        return None
    return Violation(
        "authority_kind",
        "authority",
        str(
            _(
                "Only these have the duty to consult: the government, ministries, directorates "
                "and other subordinate state bodies; statsforetak and private bodies when they "
                "exercise authority on behalf of the state (sameloven § 4-3 letters a and b); "
                "county municipalities and municipalities (§ 4-4 first paragraph)."
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


def sametinget_can_object(kind: str, plan_kind: str) -> bool:
    """Sameloven § 4-1 fourth paragraph, derived from the plan kind: Sametinget can object to the
    land-use part of the municipal master plan and to zoning plans (pbl. § 5-4 first and
    third paragraphs)."""
    return kind == MatterKind.PLAN and plan_kind in OBJECTION_PLAN_KINDS


def plan_kind_violation(kind: str, plan_kind: str) -> Violation | None:
    if kind == MatterKind.PLAN and not plan_kind:
        return Violation(
            "plan_kind_missing",
            "plan_kind",
            str(
                _(
                    "Choose the kind of plan: it decides whether Sametinget can object to the "
                    "plan (plan- og bygningsloven § 5-4) and so takes part through the plan "
                    "process instead of consultation (sameloven § 4-1 fourth paragraph)."
                )
            ),
            "sameloven § 4-1 fjerde ledd",
        )
    if kind != MatterKind.PLAN and plan_kind:
        return Violation(
            "plan_kind_not_plan",
            "plan_kind",
            str(_("Only a plan has a plan kind: choose the kind of matter “plan”, or leave it.")),
        )
    return None


# --- access: offentleglova -------------------------------------------------------------------

#: The conditions of each exemption, shown with the choice (offentleglova; § 16 for
#: municipalities and county municipalities).
EXEMPTION_CONDITIONS = {
    ExemptionBasis.OFFL_13: _(
        "Offentleglova § 13: information subject to a duty of confidentiality in or under a "
        "statute (for example forvaltningsloven § 13). Only that information is exempt."
    ),
    ExemptionBasis.OFFL_14: _(
        "Offentleglova § 14 first paragraph: only a document the body made for its own "
        "internal preparation. A document sent to a Sami party or anyone else outside the "
        "body no longer qualifies, nor does one holding the body's final decision (second "
        "paragraph). Municipalities and county municipalities: not for case documents to an "
        "elected body, agendas, or documents to or from control committees (offentleglova "
        "§ 16 first paragraph), nor to or from special-law bodies, municipal enterprises or "
        "units with independent authority (§ 16 second and third paragraphs)."
    ),
    ExemptionBasis.OFFL_15: _(
        "Offentleglova § 15: a document obtained from a subordinate body for internal "
        "preparation, when needed to secure sound internal decisions (first paragraph), or "
        "parts with advice on how the body should decide, obtained for internal preparation "
        "(second paragraph). Not documents exchanged with the parties, never documents in a "
        "general hearing (fourth paragraph). Municipalities and county municipalities: "
        "limited as § 14 by offentleglova § 16 first paragraph."
    ),
    ExemptionBasis.OFFL_19: _(
        "Offentleglova § 19: documents exchanged between a state body and Sametinget or "
        "others as part of consultations under sameloven chapter 4 (first sentence); not "
        "documents exchanged as part of a general hearing (second sentence). Not for "
        "municipalities, county municipalities or bodies that are not state bodies."
    ),
    ExemptionBasis.OTHER: _("Another legal basis: state it (statute, section and paragraph)."),
}


def allowed_exemptions(level: str, origin: str) -> list[str]:
    """The exemptions from public access that can apply to material of this origin held by an
    authority of this level (offentleglova §§ 13–16 and 19)."""
    bases: list[str] = [ExemptionBasis.OFFL_13]
    if origin == Origin.INTERNAL:
        bases.append(ExemptionBasis.OFFL_14)
    if origin == Origin.OBTAINED:
        bases.append(ExemptionBasis.OFFL_15)
    if origin == Origin.CONSULTATION and level == AuthorityLevel.STATE:
        bases.append(ExemptionBasis.OFFL_19)
    bases.append(ExemptionBasis.OTHER)
    return bases


def exemption_violation(
    level: str, basis: str, origin: str = Origin.CONSULTATION
) -> Violation | None:
    """An exemption that cannot apply to this material, with the paragraph that says so."""
    if not basis or basis in allowed_exemptions(level, origin):
        return None
    message: Any
    if basis == ExemptionBasis.OFFL_19 and origin == Origin.GENERAL_HEARING:
        message, source = (
            _(
                "Offentleglova § 19 does not cover documents exchanged as part of a general "
                "hearing (§ 19 second sentence)."
            ),
            "offentleglova § 19 andre punktum",
        )
    elif basis == ExemptionBasis.OFFL_19 and level != AuthorityLevel.STATE:
        message, source = (
            _(
                "Offentleglova § 19 covers only documents exchanged between state bodies and "
                "Sami interests in consultations (§ 19 first sentence); a county "
                "municipality, a municipality, a statsforetak or a private body must use the "
                "ordinary rules of offentleglova."
            ),
            "offentleglova § 19 første punktum",
        )
    elif basis == ExemptionBasis.OFFL_19:
        message, source = (
            _(
                "Offentleglova § 19 covers documents exchanged with the Sami parties in the "
                "consultation (§ 19 first sentence); material the authority keeps for itself "
                "is not exchanged."
            ),
            "offentleglova § 19 første punktum",
        )
    elif basis == ExemptionBasis.OFFL_14:
        message, source = (
            _(
                "Offentleglova § 14 covers only documents the body made for its own internal "
                "preparation (§ 14 first paragraph): a document sent to a Sami party, received "
                "from one or obtained from outside is not one."
            ),
            "offentleglova § 14 første ledd",
        )
    elif origin == Origin.GENERAL_HEARING:
        message, source = (
            _(
                "Offentleglova § 15 does not apply to documents obtained as part of a general "
                "hearing (§ 15 fourth paragraph)."
            ),
            "offentleglova § 15 fjerde ledd",
        )
    else:
        message, source = (
            _(
                "Offentleglova § 15 covers documents the body obtained from outside for its "
                "own internal preparation: from a subordinate body (§ 15 first paragraph) or "
                "advice on how it should decide (second paragraph); not documents exchanged "
                "with the parties in the consultation."
            ),
            "offentleglova § 15 første og andre ledd",
        )
    return Violation("exemption_not_applicable", "exemption_basis", str(message), source)


def origin_violations(origin: str, shared: bool, *, document: bool = True) -> list[Violation]:
    """Material the authority keeps for itself is not shared with the parties; an entry of
    the information log is by nature shared."""
    if origin not in INTERNAL_ORIGINS:
        return []
    if not document:
        return [
            Violation(
                "origin_log_shared",
                "origin",
                str(
                    _(
                        "The information log records what was shared with the parties "
                        "(sameloven § 4-6): an entry is never internal."
                    )
                ),
                "sameloven § 4-6 første ledd",
            )
        ]
    if shared:
        return [
            Violation(
                "origin_internal_shared",
                "shared_with",
                str(
                    _(
                        "A document the authority keeps for its internal preparation is not "
                        "shared with the parties: once sent out it is no longer internal "
                        "(offentleglova § 14 first paragraph). Choose “sent to or received "
                        "from the parties” instead."
                    )
                ),
                "offentleglova § 14 første ledd",
            )
        ]
    return []


def suggested_result(
    direct_effect: bool | None,
    general_matter: bool | None,
    natural_basis: bool | None,
    traditional_area: bool | None,
) -> str:
    """The screening's suggestion from the answers (sameloven § 4-1); the user decides, with
    reasons."""
    if general_matter or direct_effect is False:
        return ScreeningResult.NOT_REQUIRED
    if direct_effect is None:
        return ScreeningResult.UNCERTAIN
    if natural_basis and traditional_area is False:
        return ScreeningResult.NOT_REQUIRED
    if natural_basis and traditional_area is None:
        return ScreeningResult.UNCERTAIN
    return ScreeningResult.REQUIRED


def screening_triggers(
    municipalities: Iterable[Municipality], on: dt.date | None = None
) -> list[str]:
    """Why a screening is suggested: triggers, never limits. The Sami language area is the one
    in force on ``on`` (default today; forskrift 17.6.2005 nr. 657 § 1)."""
    from kraftsenter.places.selectors import sami_area

    area, day = sami_area(), on or dt.date.today()
    reasons: list[str] = []
    for m in municipalities:
        if area.contains(m, day):
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


# --- the notice and the answers (sameloven § 4-5) ---------------------------------------------


def case_warnings(
    case: Any, parties: Sequence[Any], today: dt.date | None = None
) -> list[Violation]:
    """What the authority should look at: saved with the case (derived from its fields) and
    shown on its page and in the API. Warnings, not refusals: the register records what
    happened."""
    warnings: list[Violation] = []
    required = case.screening_result in (ScreeningResult.REQUIRED, ScreeningResult.UNCERTAIN)
    if (
        case.level in STATE_LEVELS
        and (required or case.notice_sent_on)
        and not case.land_use_plan_objection
        and not any(p.organisation.kind == K.SAMETINGET for p in parties)
    ):
        warnings.append(
            Violation(
                "sametinget_not_notified",
                "parties",
                str(
                    _(
                        "Sametinget is not among the parties. A state authority must notify "
                        "Sametinget of matters that may be consulted on (sameloven § 4-5 first "
                        "paragraph first sentence); without notice Sametinget may ask for "
                        "consultation on its own initiative (second sentence)."
                    )
                ),
                "sameloven § 4-5 første ledd",
            )
        )
    today = today or dt.date.today()
    if (
        case.status == Status.NOTIFIED
        and case.response_deadline
        and case.response_deadline < today
        and parties
        and all(p.response in (Response.PENDING, Response.DECLINES) for p in parties)
    ):
        warnings.append(
            Violation(
                "answers_overdue",
                "response_deadline",
                str(
                    _(
                        "The deadline for answers (%(deadline)s) has passed and no party has "
                        "asked for consultation: the case can move on without consultation "
                        "(sameloven § 4-5 second paragraph)."
                    )
                    % {"deadline": short_date(case.response_deadline)}
                ),
                "sameloven § 4-5 andre ledd",
            )
        )
    return warnings


def move_on_violations(
    *,
    status: str,
    notice_sent_on: dt.date | None,
    deadline: dt.date | None,
    moved_on: dt.date,
    parties: Sequence[Any],
) -> list[Violation]:
    """The case moves on without consultation when every party has declined, or has not
    answered within the deadline set for the case (sameloven § 4-5 second paragraph)."""
    if status != Status.NOTIFIED:
        return [
            Violation(
                "move_on_status",
                "status",
                str(
                    _(
                        "Only a notified case where no party asked for consultation can move "
                        "on without consultation."
                    )
                ),
            )
        ]
    found: list[Violation] = []
    if notice_sent_on and moved_on < notice_sent_on:
        found.append(
            Violation(
                "move_on_before_notice",
                "moved_on",
                str(_("The case cannot move on before the notice was sent.")),
                "sameloven § 4-5",
            )
        )
    wants = [p.organisation.name for p in parties if p.response == Response.WANTS]
    if wants:
        found.append(
            Violation(
                "move_on_party_wants",
                "parties",
                str(
                    _(
                        "%(names)s asked for consultation: the case must be consulted on "
                        "(sameloven §§ 4-2 and 4-5)."
                    )
                    % {"names": ", ".join(wants)}
                ),
                "sameloven § 4-2",
            )
        )
    waiting = [p.organisation.name for p in parties if p.response == Response.PENDING]
    if waiting and (deadline is None or moved_on <= deadline):
        found.append(
            Violation(
                "move_on_deadline",
                "moved_on",
                str(
                    _(
                        "%(names)s has not answered and the deadline for answers "
                        "(%(deadline)s) has not passed: the parties answer within the "
                        "reasonable time the deadline gives (sameloven § 4-5 second "
                        "paragraph)."
                    )
                    % {
                        "names": ", ".join(waiting),
                        "deadline": short_date(deadline) if deadline else "–",
                    }
                ),
                "sameloven § 4-5 andre ledd",
            )
        )
    return found


# --- the final decision (sameloven § 4-7 second paragraph) ------------------------------------


def assessments_violation(consulted: bool, documents: Sequence[Any]) -> Violation | None:
    if not consulted or documents:
        return None
    return Violation(
        "assessments_missing",
        "assessment_documents",
        str(
            _(
                "Name the document(s) holding the Sami parties' assessments: they must follow "
                "the case to the final decision (sameloven § 4-7 second paragraph). Add the "
                "document to the case first if it is not there."
            )
        ),
        "sameloven § 4-7 andre ledd",
    )
