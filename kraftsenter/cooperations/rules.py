"""The rules of each legal form: who may take part, names, shares, mandatory agreement items.

Every rule returns a :class:`~kraftsenter.core.rules.Violation` (rule id, field, a message
naming the rule, and its legal source) or nothing, and has a test. Services call these checks;
they never touch the database themselves except through what they are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.choices import OrganisationKind as K
from kraftsenter.core.rules import Violation

from .choices import HOST_FORMS, SHARE_FORMS, LegalForm

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
            "kommuneloven § 17-1",
        )
    if form in (LegalForm.IPR, LegalForm.KO) and any(k not in MUNICIPAL for k in kinds):
        source = "§ 18-1" if form == LegalForm.IPR else "§ 19-1"
        return Violation(
            "participants_only_municipal",
            "participants",
            str(
                _(
                    "Only municipalities and county municipalities can take part in this form "
                    "(kommuneloven %(source)s)."
                )
                % {"source": source}
            ),
            f"kommuneloven {source}",
        )
    if form == LegalForm.IKS and any(k not in MUNICIPAL | {K.IKS} for k in kinds):
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
            "kommuneloven § 20-1",
        )
    return None


_NAME_RULES: dict[str, tuple[str, str, StrOrPromise]] = {
    LegalForm.IPR: (
        "kommuneloven § 18-1",
        r"interkommunalt politisk råd|\bIPR\b",
        _(
            "The name of an IPR must contain “interkommunalt politisk råd” or “IPR” "
            "(kommuneloven § 18-1 third paragraph)."
        ),
    ),
    LegalForm.KO: (
        "kommuneloven § 19-1",
        r"kommunalt oppgavefellesskap|\bKO\b",
        _(
            "The name of a KO must contain “kommunalt oppgavefellesskap” or “KO” "
            "(kommuneloven § 19-1 third paragraph)."
        ),
    ),
    LegalForm.IKS: (
        "foretaksnavneloven § 2-2",
        r"interkommunalt selskap|\bIKS\b",
        _(
            "The name of an IKS must contain “interkommunalt selskap” or “IKS” "
            "(foretaksnavneloven § 2-2)."
        ),
    ),
}


def name_violation(form: str, name: str) -> Violation | None:
    rule = _NAME_RULES.get(form)
    if rule is None:
        return None
    source, pattern, message = rule
    if re.search(pattern, name, flags=re.IGNORECASE):
        return None
    return Violation("name_form", "name", str(message), source)


def share_violations(
    form: str, ownership: list[Decimal | None], liability: list[Decimal | None]
) -> list[Violation]:
    """Shares must be given and add up to 100 % in forms with shares."""
    if form not in SHARE_FORMS:
        return []
    out: list[Violation] = []
    sources: dict[str, str] = {
        LegalForm.IPR: "kommuneloven § 18-2",
        LegalForm.KO: "kommuneloven § 19-2",
        LegalForm.IKS: "IKS-loven § 3",
    }
    source = sources[form]
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
                    % {"source": source}
                ),
                source,
            )
        )
    return out
