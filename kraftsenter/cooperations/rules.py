"""The rules of each legal form: who may take part, names, shares, mandatory agreement items.

Every rule returns a :class:`~kraftsenter.core.rules.Violation` (rule id, field, a message
naming the rule, and its legal source) or nothing, and has a test. Services call these checks;
they never touch the database themselves except through what they are given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.core.rules import Violation

from .choices import (
    FORETAKSREGISTER_FORMS,
    HOST_FORMS,
    SHARE_FORMS,
    Authority,
    BodyKind,
    LegalForm,
    MemberRole,
    Status,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class AgreementItem:
    code: str
    label: StrOrPromise


def _items(*pairs: tuple[str, StrOrPromise]) -> tuple[AgreementItem, ...]:
    return tuple(AgreementItem(code, label) for code, label in pairs)


# Mandatory agreement contents per form, in the order of the statute.
MANDATORY_ITEMS: dict[str, tuple[AgreementItem, ...]] = {
    LegalForm.IPR: _items(
        ("name", _("a) the cooperation's name")),
        ("legal_person", _("b) whether it is a separate legal person")),
        ("representatives", _("c) representantskap members per participant")),
        ("matters", _("d) which matters it may handle")),
        ("authority", _("e) which authority it has")),
        ("shares", _("f) ownership shares, and liability shares if different")),
        ("withdrawal", _("g) how a participant withdraws")),
        ("dissolution", _("h) how it is dissolved, including who keeps the archives")),
    ),
    LegalForm.KO: _items(
        ("name", _("a) the cooperation's name")),
        ("legal_person", _("b) whether it is a separate legal person")),
        ("representatives", _("c) representantskap members per participant")),
        ("tasks_authority", _("d) its tasks and authority")),
        ("contributions", _("e) the participants' duty to contribute capital and more")),
        ("shares", _("f) ownership shares, and liability shares if different")),
        ("loans", _("g) whether it may take up loans")),
        ("reporting", _("h) what it reports to the participants")),
        ("withdrawal", _("i) how a participant withdraws")),
        ("dissolution", _("j) how it is dissolved, including who keeps the archives")),
    ),
    LegalForm.HOST_ADMINISTRATIVE: _items(
        ("participants", _("a) the participants")),
        ("host", _("b) which participant is the host")),
        ("tasks_authority", _("c) the tasks and authority transferred")),
        ("effective_date", _("d) when the transfer takes effect")),
        ("decisions_to_report", _("e) which host decisions the participants are told of")),
        ("financial_settlement", _("f) the financial settlement")),
        ("withdrawal", _("g) withdrawal")),
        ("dissolution", _("h) dissolution")),
        ("other_law", _("i) anything else other law requires")),
    ),
    LegalForm.IKS: _items(
        ("company_name", _("the company name")),
        ("participants", _("the participants")),
        ("purpose", _("the company's purpose")),
        ("head_office", _("the municipality of the head office")),
        ("board_members", _("the number of board members")),
        ("contributions", _("capital and other contributions")),
        ("shares", _("ownership shares, and liability shares if different")),
        ("representatives", _("representantskap members and who appoints them")),
        ("other_law", _("anything else other law requires")),
    ),
}
MANDATORY_ITEMS[LegalForm.HOST_COMMITTEE] = MANDATORY_ITEMS[LegalForm.HOST_ADMINISTRATIVE] + _items(
    ("committee_members", _("the number of committee members per participant")),
)

LEGAL_SOURCE: dict[str, str] = {
    LegalForm.IPR: "kommuneloven § 18-4",
    LegalForm.KO: "kommuneloven § 19-4",
    LegalForm.HOST_ADMINISTRATIVE: "kommuneloven § 20-4",
    LegalForm.HOST_COMMITTEE: "kommuneloven § 20-4",
    LegalForm.IKS: "IKS-loven § 4",
}
#: Where the statute lists the mandatory contents of the agreement.
ITEMS_SOURCE: dict[str, str] = {
    LegalForm.IPR: "kommuneloven § 18-4 fjerde ledd",
    LegalForm.KO: "kommuneloven § 19-4 fjerde ledd",
    LegalForm.HOST_ADMINISTRATIVE: "kommuneloven § 20-4 tredje ledd",
    LegalForm.HOST_COMMITTEE: "kommuneloven § 20-4 tredje og fjerde ledd",
    LegalForm.IKS: "IKS-loven § 4 tredje ledd",
}
#: Where the statute says that each council adopts the agreement itself.
ADOPTION_SOURCE: dict[str, str] = {
    LegalForm.IPR: "kommuneloven § 18-4 andre ledd",
    LegalForm.KO: "kommuneloven § 19-4 andre ledd",
    LegalForm.HOST_ADMINISTRATIVE: "kommuneloven § 20-4 andre ledd",
    LegalForm.HOST_COMMITTEE: "kommuneloven § 20-4 andre ledd",
    LegalForm.IKS: "IKS-loven § 4 første ledd",
}
#: Where the representantskap adopts changes to the other items (≥ 2/3 of the votes cast).
REPRESENTANTSKAP_CHANGE_SOURCE: dict[str, str] = {
    LegalForm.IPR: "kommuneloven § 18-4 tredje ledd",
    LegalForm.KO: "kommuneloven § 19-4 tredje ledd",
    LegalForm.IKS: "IKS-loven § 4 andre ledd",
}

MUNICIPAL = {K.MUNICIPALITY, K.COUNTY_MUNICIPALITY}


def mandatory_items(form: str) -> tuple[AgreementItem, ...]:
    return MANDATORY_ITEMS.get(form, ())


def mandatory_codes(form: str) -> set[str]:
    return {item.code for item in mandatory_items(form)}


def item_label(form: str, code: str) -> str:
    for item in mandatory_items(form):
        if item.code == code:
            return str(item.label)
    return code


def participant_kind_violation(form: str, kinds: list[str]) -> Violation | None:
    """Why these participant kinds are not allowed for the form, or None."""
    if form == LegalForm.IKS:
        return _iks_participant_violation(kinds)
    municipal = [k for k in kinds if k in MUNICIPAL]
    if len(municipal) < 2:
        return Violation(
            "participants_municipal",
            "participants",
            str(
                _(
                    "An inter-municipal cooperation needs at least two participants that are "
                    "municipalities or county municipalities (kommuneloven § 17-1)."
                )
            ),
            "kommuneloven § 17-1 første ledd",
        )
    if form in (LegalForm.IPR, LegalForm.KO, LegalForm.PLAN) and any(
        k not in MUNICIPAL for k in kinds
    ):
        sections: dict[str, str] = {
            LegalForm.IPR: "kommuneloven § 18-1",
            LegalForm.KO: "kommuneloven § 19-1",
        }
        source = sections.get(form)
        if source is None:
            return Violation(
                "participants_only_municipal",
                "participants",
                str(
                    _(
                        "Only municipalities and county municipalities can take part in an "
                        "inter-municipal plan cooperation (pbl. §§ 9-1 and 9-7)."
                    )
                ),
                "pbl. §§ 9-1, 9-7",
            )
        return Violation(
            "participants_only_municipal",
            "participants",
            str(
                _(
                    "Only municipalities and county municipalities can take part in this form "
                    "(%(source)s)."
                )
                % {"source": source}
            ),
            f"{source} første ledd",
        )
    if form in HOST_FORMS and (len(set(kinds)) != 1 or (kinds and kinds[0] not in MUNICIPAL)):
        return Violation(
            "participants_host_one_level",
            "participants",
            str(
                _(
                    "A host-municipality cooperation is either between municipalities only or "
                    "between county municipalities only (kommuneloven § 20-1)."
                )
            ),
            "kommuneloven § 20-1 første og andre ledd",
        )
    return None


def _iks_participant_violation(kinds: list[str]) -> Violation | None:
    """IKS-loven § 1: every participant is a municipality, a county municipality or an IKS (an
    IKS may so have one municipality and one IKS as participants); a company has at least two
    participants (it must be dissolved when only one is left, § 32 third paragraph)."""
    if any(k not in MUNICIPAL | {K.IKS} for k in kinds):
        return Violation(
            "participants_iks",
            "participants",
            str(
                _(
                    "Only municipalities, county municipalities and other IKS can take part in "
                    "an IKS (IKS-loven § 1)."
                )
            ),
            "IKS-loven § 1",
        )
    if len(kinds) < 2:
        return Violation(
            "participants_iks_two",
            "participants",
            str(
                _(
                    "An IKS needs at least two participants; it must be dissolved when only one "
                    "is left (IKS-loven § 32 third paragraph)."
                )
            ),
            "IKS-loven § 32 tredje ledd",
        )
    return None


_NAME_RULES: dict[str, tuple[str, str, StrOrPromise]] = {
    LegalForm.IPR: (
        "kommuneloven § 18-1 tredje ledd",
        r"interkommunalt politisk råd|\bIPR\b",
        _(
            "The name of an IPR must contain “interkommunalt politisk råd” or “IPR” "
            "(kommuneloven § 18-1 third paragraph)."
        ),
    ),
    LegalForm.KO: (
        "kommuneloven § 19-1 tredje ledd",
        r"kommunalt oppgavefellesskap|\bKO\b",
        _(
            "The name of a KO must contain “kommunalt oppgavefellesskap” or “KO” "
            "(kommuneloven § 19-1 third paragraph)."
        ),
    ),
    LegalForm.IKS: (
        "foretaksnavneloven § 2-2 tolvte ledd",
        r"interkommunalt selskap|\bIKS\b",
        _(
            "The name of an IKS must contain “interkommunalt selskap” or “IKS” "
            "(foretaksnavneloven § 2-2 twelfth paragraph)."
        ),
    ),
    LegalForm.AS: (
        "foretaksnavneloven § 2-2 fjerde ledd",
        r"aksjeselskap|\b(?-i:AS)\b",
        _(
            "The name of a limited company must contain “aksjeselskap” or “AS” "
            "(foretaksnavneloven § 2-2 fourth paragraph)."
        ),
    ),
    LegalForm.SA: (
        "foretaksnavneloven § 2-2 åttende ledd",
        r"samvirkeforetak|\b(?-i:SA)\b",
        _(
            "The name of a cooperative must contain “samvirkeforetak” or “SA” "
            "(foretaksnavneloven § 2-2 eighth paragraph)."
        ),
    ),
}

#: The form designation of a company name, which must stand last (foretaksnavneloven § 2-2
#: sixteenth paragraph, second sentence, as amended by lov 12. april 2024 nr. 17).
_DESIGNATION_LAST: dict[str, str] = {
    LegalForm.IKS: r"\b(?:interkommunalt selskap|IKS)",
    LegalForm.AS: r"\b(?:aksjeselskap|(?-i:AS))",
    LegalForm.SA: r"\b(?:samvirkeforetak|(?-i:SA))",
}
DESIGNATION_LAST_SOURCE = "foretaksnavneloven § 2-2 sekstende ledd"
#: The day the rule that the designation stands last came into force (lov 12. april 2024 nr.
#: 17, in force 1 July 2024). The amending act has a transitional rule for names in use before
#: then: such names are shown with a warning, not refused.
DESIGNATION_LAST_FROM = dt.date(2024, 7, 1)


def name_violation(form: str, name: str) -> Violation | None:
    rule = _NAME_RULES.get(form)
    if rule is None:
        return None
    source, pattern, message = rule
    if re.search(pattern, name, flags=re.IGNORECASE):
        return None
    return Violation("name_form", "name", str(message), source)


def name_order_violation(form: str, name: str, start: dt.date | None) -> Violation | None:
    """A company name whose form designation does not stand last ("IKS Revisjon Nord").

    The caller refuses it for a company started from 1 July 2024 and only warns for an older
    one (the amending act's transitional rule for names already in use)."""
    pattern = _DESIGNATION_LAST.get(form)
    if pattern is None or name_violation(form, name) is not None:
        return None
    if re.search(pattern + r"\W*$", name.strip(), flags=re.IGNORECASE):
        return None
    designations: dict[str, str] = {LegalForm.IKS: "IKS", LegalForm.AS: "AS", LegalForm.SA: "SA"}
    designation = designations[form]
    if start is not None and start < DESIGNATION_LAST_FROM:
        message = _(
            "The form designation should stand last in the name (“Revisjon Nord %(d)s”, not "
            "“%(d)s Revisjon Nord”; foretaksnavneloven § 2-2 sixteenth paragraph, in force 1 "
            "July 2024). The name was in use before then: check the transitional rule before "
            "the name is next changed."
        ) % {"d": designation}
    else:
        message = _(
            "The form designation must stand last in the name (“Revisjon Nord %(d)s”, not "
            "“%(d)s Revisjon Nord”; foretaksnavneloven § 2-2 sixteenth paragraph)."
        ) % {"d": designation}
    return Violation("name_designation_last", "name", str(message), DESIGNATION_LAST_SOURCE)


def share_violations(
    form: str, ownership: list[Decimal | None], liability: list[Decimal | None]
) -> list[Violation]:
    """Shares must be given and add up to 100 % in forms with shares."""
    if form not in SHARE_FORMS:
        return []
    out: list[Violation] = []
    # The agreement fixes each participant's ownership share (and liability share if it
    # differs); the liability shares together make up all the obligations.
    sources: dict[str, str] = {
        LegalForm.IPR: "kommuneloven § 18-4 fjerde ledd bokstav f",
        LegalForm.KO: "kommuneloven § 19-4 fjerde ledd bokstav f",
        LegalForm.IKS: "IKS-loven § 4 tredje ledd nr. 7",
    }
    liability_sources: dict[str, str] = {
        LegalForm.IPR: "kommuneloven § 18-2 første ledd",
        LegalForm.KO: "kommuneloven § 19-2 første ledd",
        LegalForm.IKS: "IKS-loven § 3 første ledd",
    }
    source = sources[form]
    liability_source = liability_sources[form]
    owned = [s for s in ownership if s is not None]
    if len(owned) != len(ownership):
        out.append(
            Violation(
                "ownership_share_given",
                "ownership_share",
                str(
                    _("Every participant needs an ownership share in this form (%(source)s).")
                    % {"source": source}
                ),
                source,
            )
        )
    elif sum(owned, Decimal(0)) != Decimal(100):
        out.append(
            Violation(
                "ownership_share_sum",
                "ownership_share",
                str(
                    _("The ownership shares add up to %(sum)s %%, not 100 %% (%(source)s).")
                    % {"sum": sum(owned, Decimal(0)), "source": source}
                ),
                source,
            )
        )
    given = [s for s in liability if s is not None]
    if given and (len(given) != len(liability) or sum(given, Decimal(0)) != Decimal(100)):
        out.append(
            Violation(
                "liability_share_sum",
                "liability_share",
                str(
                    _(
                        "Liability shares, when they differ from the ownership shares, must be "
                        "given for every participant and add up to 100 %% (%(source)s)."
                    )
                    % {"source": liability_source}
                ),
                liability_source,
            )
        )
    return out


# --- delegated authority -----------------------------------------------------------------------

#: Kinds of authority a form cannot be given, with the statute's reason: an IPR or a KO makes
#: no individual decisions except on internal matters and grant schemes; an administrative host
#: cooperation decides only matters without principal importance.
_AUTHORITY_LIMITS: dict[str, tuple[set[str], str, StrOrPromise]] = {
    LegalForm.IPR: (
        {Authority.INDIVIDUAL},
        "kommuneloven § 18-1 andre ledd",
        _(
            "An IPR cannot be given authority to make individual decisions (enkeltvedtak), "
            "except on the cooperation's internal matters and to administer grant schemes "
            "(kommuneloven § 18-1 second paragraph)."
        ),
    ),
    LegalForm.KO: (
        {Authority.INDIVIDUAL},
        "kommuneloven § 19-1 andre ledd",
        _(
            "A KO cannot be given authority to make individual decisions (enkeltvedtak), "
            "except on the cooperation's internal matters and to administer grant schemes "
            "(kommuneloven § 19-1 second paragraph)."
        ),
    ),
    LegalForm.HOST_ADMINISTRATIVE: (
        {Authority.PRINCIPAL},
        "kommuneloven § 20-2 første ledd",
        _(
            "An administrative host-municipality cooperation may only decide matters without "
            "principal importance; for others choose a joint elected committee (kommuneloven "
            "§ 20-2 first paragraph, § 20-3)."
        ),
    ),
}


def authority_violation(form: str, codes: Iterable[str]) -> Violation | None:
    """Delegated authority the form cannot be given (a hard rule: the statute leaves no room)."""
    unknown = sorted(set(codes) - set(Authority.values))
    if unknown:
        return Violation(
            "authority_code",
            "authority",
            str(_("Unknown kind(s) of authority: %(codes)s.") % {"codes": ", ".join(unknown)}),
        )
    limit = _AUTHORITY_LIMITS.get(form)
    if limit is None or not set(codes) & limit[0]:
        return None
    return Violation("authority_form", "authority", str(limit[2]), limit[1])


# --- bodies -------------------------------------------------------------------------------------

#: Roles that are members of a body (chair and deputy chair included); deputies are counted
#: apart; observers and secretaries are not members.
VOTING_ROLES: set[str] = {MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.MEMBER}
#: The representantskap's term when the agreement says nothing else.
TERM_YEARS = 4


@dataclass(frozen=True)
class MemberFacts:
    """A current member of a body, as the body rules need it."""

    body_kind: str
    person_name: str
    role: str
    organisation_id: int | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None


def same_person(a: str, b: str) -> bool:
    return bool(a.strip()) and " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_REPRESENTANTSKAP_SOURCE: dict[str, tuple[str, str, str]] = {
    # (members and deputies, term, daglig leder)
    LegalForm.IPR: ("kommuneloven § 18-3 første ledd", "kommuneloven § 18-3 tredje ledd", ""),
    LegalForm.KO: (
        "kommuneloven § 19-3 første ledd",
        "kommuneloven § 19-3 fjerde ledd",
        "kommuneloven § 19-3 tredje ledd",
    ),
    LegalForm.IKS: (
        "IKS-loven § 6 første ledd",
        "IKS-loven § 6 fjerde ledd",
        "IKS-loven § 6 tredje ledd",
    ),
}
IKS_BOARD_SIZE_SOURCE = "IKS-loven § 10 første ledd"
IKS_BOARD_MEMBERS_SOURCE = "IKS-loven § 10 fjerde ledd"
IKS_BOARD_TERM_SOURCE = "IKS-loven § 10 femte ledd"
COMMITTEE_SOURCE = "kommuneloven § 20-3 tredje ledd"


def member_violations(
    form: str,
    member: MemberFacts,
    *,
    daily_manager: str,
    others: Iterable[MemberFacts] = (),
) -> list[Violation]:
    """Rules a new member of a body must meet where the statute leaves no room (refused):
    the daily manager of a KO or IKS is not in its representantskap; an IKS's board has neither
    the daily manager nor members of the representantskap, for at most four years.
    ``others`` are the current members of the cooperation's bodies."""
    out: list[Violation] = []
    sources = _REPRESENTANTSKAP_SOURCE.get(form)
    sitting = member.role in VOTING_ROLES or member.role == MemberRole.DEPUTY
    if not sitting:
        return out
    if (
        member.body_kind == BodyKind.REPRESENTANTSKAP
        and sources
        and sources[2]
        and same_person(member.person_name, daily_manager)
    ):
        out.append(
            Violation(
                "daily_manager_representantskap",
                "person_name",
                str(
                    _(
                        "%(name)s is the daily manager and cannot be a member of the "
                        "representantskap (%(source)s)."
                    )
                    % {"name": member.person_name, "source": sources[2]}
                ),
                sources[2],
            )
        )
    if form != LegalForm.IKS or member.body_kind not in (BodyKind.BOARD, BodyKind.REPRESENTANTSKAP):
        return out
    other_kind = BodyKind.REPRESENTANTSKAP if member.body_kind == BodyKind.BOARD else BodyKind.BOARD
    in_other = any(
        o.body_kind == other_kind
        and (o.role in VOTING_ROLES or o.role == MemberRole.DEPUTY)
        and same_person(o.person_name, member.person_name)
        for o in others
    )
    if in_other or (
        member.body_kind == BodyKind.BOARD and same_person(member.person_name, daily_manager)
    ):
        out.append(
            Violation(
                "iks_board_member",
                "person_name",
                str(
                    _(
                        "The daily manager and members of the representantskap cannot be "
                        "members of an IKS's board (IKS-loven § 10 fourth paragraph)."
                    )
                ),
                IKS_BOARD_MEMBERS_SOURCE,
            )
        )
    if (
        member.body_kind == BodyKind.BOARD
        and member.term_start
        and member.term_end
        and member.term_end > _years_later(member.term_start, TERM_YEARS)
    ):
        out.append(
            Violation(
                "iks_board_term",
                "term_end",
                str(
                    _(
                        "A board member of an IKS is elected for at most four years "
                        "(IKS-loven § 10 fifth paragraph)."
                    )
                ),
                IKS_BOARD_TERM_SOURCE,
            )
        )
    return out


def body_problems(
    form: str,
    participants: list[tuple[int, str]],
    bodies: list[str],
    members: list[MemberFacts],
    *,
    daily_manager: str = "",
) -> list[Violation]:
    """What is missing in the bodies of the cooperation, each with its legal source.

    ``participants`` are (organisation id, name); ``bodies`` the kinds of the current bodies;
    ``members`` the current members of every body. Shown, not refused: a body may be chosen
    after the agreement, and the agreement may deviate where the statute lets it."""
    out: list[Violation] = []
    sources = _REPRESENTANTSKAP_SOURCE.get(form)
    if sources:
        out += _representantskap_problems(form, participants, bodies, members, sources)
        rep_names = [
            m.person_name
            for m in members
            if m.body_kind == BodyKind.REPRESENTANTSKAP
            and (m.role in VOTING_ROLES or m.role == MemberRole.DEPUTY)
        ]
        if sources[2] and any(same_person(daily_manager, n) for n in rep_names):
            out.append(
                Violation(
                    "daily_manager_representantskap",
                    "daily_manager",
                    str(
                        _(
                            "The daily manager, %(name)s, is registered in the representantskap, "
                            "where the daily manager cannot sit (%(source)s)."
                        )
                        % {"name": daily_manager, "source": sources[2]}
                    ),
                    sources[2],
                )
            )
    if form == LegalForm.IKS:
        out += _iks_board_problems(members, daily_manager)
    if form == LegalForm.HOST_COMMITTEE:
        out += _committee_problems(participants, bodies, members)
    return out


def _per_participant(
    members: list[MemberFacts], kind: str, roles: set[str] | set[MemberRole]
) -> dict[int | None, int]:
    counts: dict[int | None, int] = {}
    for m in members:
        if m.body_kind == kind and m.role in roles:
            counts[m.organisation_id] = counts.get(m.organisation_id, 0) + 1
    return counts


def _representantskap_problems(
    form: str,
    participants: list[tuple[int, str]],
    bodies: list[str],
    members: list[MemberFacts],
    sources: tuple[str, str, str],
) -> list[Violation]:
    out: list[Violation] = []
    if BodyKind.REPRESENTANTSKAP not in bodies:
        return [
            Violation(
                "representantskap_body",
                "bodies",
                str(
                    _(
                        "Register the representantskap, the supreme body, with at least one "
                        "member from each participant (%(source)s)."
                    )
                    % {"source": sources[0]}
                ),
                sources[0],
            )
        ]
    members_of = _per_participant(members, BodyKind.REPRESENTANTSKAP, VOTING_ROLES)
    deputies_of = _per_participant(members, BodyKind.REPRESENTANTSKAP, {MemberRole.DEPUTY})
    unrepresented = [name for pk, name in participants if not members_of.get(pk)]
    if unrepresented:
        out.append(
            Violation(
                "representantskap_members",
                "bodies",
                str(
                    _(
                        "Every participant has at least one member of the representantskap; "
                        "none is registered for: %(names)s (%(source)s)."
                    )
                    % {"names": ", ".join(unrepresented), "source": sources[0]}
                ),
                sources[0],
            )
        )
    per_member = 2 if form == LegalForm.IKS else 1
    short = [
        name
        for pk, name in participants
        if members_of.get(pk) and deputies_of.get(pk, 0) < per_member * members_of[pk]
    ]
    if short:
        message = (
            _(
                "At least two deputy members for each member of the representantskap are "
                "appointed; too few deputies are registered for: %(names)s (%(source)s)."
            )
            if form == LegalForm.IKS
            else _(
                "Each council elects at least as many deputy members as members of the "
                "representantskap; too few deputies are registered for: %(names)s (%(source)s)."
            )
        )
        out.append(
            Violation(
                "representantskap_deputies",
                "bodies",
                str(message % {"names": ", ".join(short), "source": sources[0]}),
                sources[0],
            )
        )
    long_terms = sorted(
        {
            m.person_name
            for m in members
            if m.body_kind == BodyKind.REPRESENTANTSKAP
            and m.term_start
            and m.term_end
            and m.term_end > _years_later(m.term_start, TERM_YEARS)
        }
    )
    if long_terms:
        out.append(
            Violation(
                "representantskap_term",
                "bodies",
                str(
                    _(
                        "Members of the representantskap are elected for four years unless the "
                        "agreement says otherwise; check the agreement for: %(names)s "
                        "(%(source)s)."
                    )
                    % {"names": ", ".join(long_terms), "source": sources[1]}
                ),
                sources[1],
            )
        )
    return out


def _iks_board_problems(members: list[MemberFacts], daily_manager: str) -> list[Violation]:
    out: list[Violation] = []
    board = [m for m in members if m.body_kind == BodyKind.BOARD and m.role in VOTING_ROLES]
    if len(board) < 3:
        out.append(
            Violation(
                "iks_board_size",
                "bodies",
                str(
                    _(
                        "An IKS has a board of at least three members; %(count)s registered "
                        "(IKS-loven § 10 first paragraph)."
                    )
                    % {"count": len(board)}
                ),
                IKS_BOARD_SIZE_SOURCE,
            )
        )
    rep_names = [
        m.person_name
        for m in members
        if m.body_kind == BodyKind.REPRESENTANTSKAP
        and (m.role in VOTING_ROLES or m.role == MemberRole.DEPUTY)
    ]
    conflicts = sorted(
        {
            m.person_name
            for m in board
            if same_person(m.person_name, daily_manager)
            or any(same_person(m.person_name, n) for n in rep_names)
        }
    )
    if conflicts:
        out.append(
            Violation(
                "iks_board_member",
                "bodies",
                str(
                    _(
                        "The daily manager and members of the representantskap cannot be "
                        "members of the board: %(names)s (IKS-loven § 10 fourth paragraph)."
                    )
                    % {"names": ", ".join(conflicts)}
                ),
                IKS_BOARD_MEMBERS_SOURCE,
            )
        )
    return out


def _committee_problems(
    participants: list[tuple[int, str]], bodies: list[str], members: list[MemberFacts]
) -> list[Violation]:
    if BodyKind.COMMITTEE not in bodies:
        return [
            Violation(
                "committee_body",
                "bodies",
                str(
                    _(
                        "Register the joint elected committee, with two or more members from "
                        "each participant (kommuneloven § 20-3 third paragraph)."
                    )
                ),
                COMMITTEE_SOURCE,
            )
        ]
    counts = _per_participant(members, BodyKind.COMMITTEE, VOTING_ROLES)
    short = [name for pk, name in participants if counts.get(pk, 0) < 2]
    if not short:
        return []
    return [
        Violation(
            "committee_members",
            "bodies",
            str(
                _(
                    "Each participant is represented by two or more members of the joint "
                    "elected committee; fewer are registered for: %(names)s (kommuneloven "
                    "§ 20-3 third paragraph)."
                )
                % {"names": ", ".join(short)}
            ),
            COMMITTEE_SOURCE,
        )
    ]


# --- registration, decisions, withdrawal --------------------------------------------------------

REGISTRATION_SOURCE = "foretaksregisterloven § 2-1 første ledd"


def registration_problem(form: str, status: str, organisation_number: str) -> Violation | None:
    """An active IKS, AS or SA is registered in Foretaksregisteret, so it has a number."""
    if form not in FORETAKSREGISTER_FORMS or organisation_number.strip():
        return None
    if status not in (Status.ACTIVE, Status.DISSOLVING):
        return None
    return Violation(
        "registration",
        "organisation_number",
        str(
            _(
                "An IKS, AS or SA must be registered in Foretaksregisteret: give its "
                "organisation number (foretaksregisterloven § 2-1 first paragraph)."
            )
        ),
        REGISTRATION_SOURCE,
    )


def decision_body_for(kind: str) -> str:
    """Who adopts the agreement for a participant of this kind, by default."""
    if kind == K.COUNTY_MUNICIPALITY:
        return "fylkestinget"
    if kind == K.IKS:
        return "representantskapet"
    return "kommunestyret"


def decision_body_violation(form: str, kind: str, body: str) -> Violation | None:
    """The agreement is adopted by each council itself; for an IKS participant of an IKS, by its
    representantskap (IKS-loven § 4 first paragraph)."""
    source = ADOPTION_SOURCE.get(form)
    if source is None:
        return None
    by_representantskap = "representantskap" in body.casefold()
    if form == LegalForm.IKS and kind == K.IKS and not by_representantskap:
        return Violation(
            "decision_body_iks",
            "body",
            str(
                _(
                    "A participant that is an IKS adopts the company agreement through its "
                    "representantskap (IKS-loven § 4 first paragraph)."
                )
            ),
            source,
        )
    if kind in MUNICIPAL and by_representantskap:
        return Violation(
            "decision_body_council",
            "body",
            str(
                _(
                    "The agreement is adopted by each participant's council itself "
                    "(kommunestyret or fylkestinget), not by a representantskap (%(source)s)."
                )
                % {"source": source}
            ),
            source,
        )
    return None


@dataclass(frozen=True)
class WithdrawalNotice:
    """The notice a participant gives to withdraw, as the statute sets it."""

    months: int | None  # the period that applies (the agreement's if it may and does deviate)
    statutory_months: int | None
    may_deviate: bool
    source: str
    text: str


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


def withdrawal_notice(form: str, agreed_months: int | None) -> WithdrawalNotice | None:
    """The notice period for withdrawal: host cooperation and IKS one year unless agreed
    otherwise (kommuneloven § 20-8 second paragraph, IKS-loven § 30 first paragraph); an
    inter-municipal plan cooperation three months' written notice (pbl. § 9-5 second
    paragraph); an IPR or KO as its agreement says."""
    if form in HOST_FORMS or form == LegalForm.IKS:
        source = (
            "kommuneloven § 20-8 andre ledd" if form in HOST_FORMS else "IKS-loven § 30 første ledd"
        )
        months = agreed_months if agreed_months is not None else 12
        if agreed_months is not None and agreed_months != 12:
            text = _(
                "%(period)s as the agreement sets (the statute's period is one year, unless "
                "another is agreed: %(source)s)."
            ) % {"period": _months(months), "source": source}
        else:
            text = _("One year (%(source)s), unless another period is agreed.") % {"source": source}
        if form == LegalForm.IKS:
            text = f"{text} {_('The notice is given in writing.')}"
        return WithdrawalNotice(months, 12, True, source, str(text))
    if form == LegalForm.PLAN:
        source = "pbl. § 9-5 andre ledd"
        text = _("Three months' written notice (%(source)s).") % {"source": source}
        return WithdrawalNotice(3, 3, False, source, str(text))
    if form in (LegalForm.IPR, LegalForm.KO):
        source = (
            "kommuneloven § 18-4 fjerde ledd bokstav g"
            if form == LegalForm.IPR
            else "kommuneloven § 19-4 fjerde ledd bokstav i"
        )
        if agreed_months is not None:
            text = _("%(period)s, as the agreement sets (%(source)s).") % {
                "period": _months(agreed_months),
                "source": source,
            }
        else:
            text = _(
                "The statute sets no period: the agreement says how a participant withdraws "
                "(%(source)s)."
            ) % {"source": source}
        return WithdrawalNotice(agreed_months, None, True, source, str(text))
    return None


def withdrawal_notice_problem(form: str, agreed_months: int | None) -> Violation | None:
    """A plan cooperation's notice is three months by statute; another agreed period is shown."""
    if form != LegalForm.PLAN or agreed_months is None or agreed_months == 3:
        return None
    return Violation(
        "withdrawal_notice_plan",
        "withdrawal_notice_months",
        str(
            _(
                "A municipality withdraws from an inter-municipal plan cooperation with three "
                "months' written notice (pbl. § 9-5 second paragraph); the agreement's "
                "%(months)s months do not bind it."
            )
            % {"months": agreed_months}
        ),
        "pbl. § 9-5 andre ledd",
    )
