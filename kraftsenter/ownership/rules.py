"""The rules of the ownership register.

Every rule returns a :class:`~kraftsenter.core.rules.Violation` (rule id, field, a message
that names its legal source, and the source) or nothing. Hard rules (``interest_violations``)
refuse the change and nothing is written; warnings (``interest_warnings``,
``statement_warnings``) are computed from what is saved and shown on the record, in the report
and in the API, so that the register records what happened.

Sources, checked against the consolidated text of kommuneloven (lov 22. juni 2018 nr. 83):

* § 26-1 first paragraph: an ownership statement at least once per election period, adopted by
  the council itself; second paragraph letters a–c: the principles for ownership management,
  the overview of companies, enterprises and other entities, and the municipality's purpose;
* § 9-1 first paragraph: the council itself establishes a KF; second paragraph: a KF is part
  of the municipality (so there is no share in it);
* § 23-4 second and third paragraphs: the plan for ownership control, adopted by the council
  itself;
* § 23-6 first paragraph, fourth item: an AS that municipalities, county municipalities or IKS
  own wholly, alone or together.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kraftsenter.core.rules import Violation

from .choices import NO_SHARE_KINDS, AdoptedBy, InterestKind, StatementKind

MUNICIPAL_KINDS = ("municipality", "county_municipality")
SOURCE_LETTER_B = "kommuneloven § 26-1 andre ledd bokstav b"
SOURCE_LETTER_C = "kommuneloven § 26-1 andre ledd bokstav c"
SOURCE_STATEMENT = "kommuneloven § 26-1 første ledd"
SOURCE_KF_PART = "kommuneloven § 9-1 andre ledd"
SOURCE_KF_COUNCIL = "kommuneloven § 9-1 første ledd"
SOURCE_CONTROL_PLAN = "kommuneloven § 23-4 tredje ledd"
SOURCE_WHOLLY_OWNED = "kommuneloven § 23-6 første ledd"


# --- hard rules: refused, nothing written ----------------------------------------------------


def target_violations(kind: str, entity: Any, cooperation: Any) -> list[Violation]:
    """A cooperation is named by the cooperation register, any other interest by its entity."""
    out = []
    if kind == InterestKind.COOPERATION:
        if cooperation is None:
            out.append(
                Violation(
                    "interest_cooperation_required",
                    "cooperation",
                    str(
                        _(
                            "Choose the cooperation in the cooperation register "
                            "(kommuneloven § 26-1 second paragraph letter b)."
                        )
                    ),
                    SOURCE_LETTER_B,
                )
            )
        if entity is not None:
            out.append(
                Violation(
                    "interest_cooperation_entity",
                    "entity",
                    str(
                        _(
                            "A cooperation is recorded once, in the cooperation register: leave "
                            "the entity empty and choose the cooperation."
                        )
                    ),
                    SOURCE_LETTER_B,
                )
            )
    else:
        if entity is None:
            out.append(
                Violation(
                    "interest_entity_required",
                    "entity",
                    str(
                        _(
                            "Name the company, enterprise or other entity the interest is in "
                            "(kommuneloven § 26-1 second paragraph letter b)."
                        )
                    ),
                    SOURCE_LETTER_B,
                )
            )
        if cooperation is not None:
            out.append(
                Violation(
                    "interest_cooperation_kind",
                    "cooperation",
                    str(
                        _(
                            "Only an interest of the kind “inter-municipal cooperation” links to "
                            "the cooperation register."
                        )
                    ),
                    SOURCE_LETTER_B,
                )
            )
    return out


def share_violation(kind: str, share: Decimal | None) -> Violation | None:
    """No share where there is nothing to own a share of, or where the register holds it."""
    if share is None:
        return None
    if kind == InterestKind.MUNICIPAL_ENTERPRISE:
        return Violation(
            "interest_share_enterprise",
            "share",
            str(
                _(
                    "A municipal or county municipal enterprise (KF) is part of the municipality "
                    "itself and has no ownership share (kommuneloven § 9-1 second paragraph)."
                )
            ),
            SOURCE_KF_PART,
        )
    if kind in NO_SHARE_KINDS:
        return Violation(
            "interest_share_foundation",
            "share",
            str(
                _(
                    "A foundation has no owners, so there is no ownership share; the interest is "
                    "a similar interest (kommuneloven § 26-1 second paragraph letter b)."
                )
            ),
            SOURCE_LETTER_B,
        )
    if kind == InterestKind.COOPERATION:
        return Violation(
            "interest_share_cooperation",
            "share",
            str(
                _(
                    "The share in a cooperation is recorded with its participants in the "
                    "cooperation register; leave it empty here."
                )
            ),
            SOURCE_LETTER_B,
        )
    if kind == InterestKind.AS_PARTLY_OWNED and share >= Decimal(100):
        return Violation(
            "interest_share_partly_owned",
            "share",
            str(
                _(
                    "A company the municipality owns all of is wholly owned: choose “wholly "
                    "owned by municipalities or county municipalities” (kommuneloven § 23-6 "
                    "first paragraph)."
                )
            ),
            SOURCE_WHOLLY_OWNED,
        )
    return None


def participant_violation(holder_id: int | None, cooperation: Any) -> Violation | None:
    """An interest in a cooperation is held by one of its (active) participants."""
    if cooperation is None or holder_id is None:
        return None
    participants = {
        p.organisation_id for p in cooperation.participants.all() if p.archived_at is None
    }
    if holder_id in participants:
        return None
    return Violation(
        "interest_not_participant",
        "cooperation",
        str(
            _(
                "The holder does not take part in this cooperation in the cooperation register, "
                "so it holds no interest in it (kommuneloven § 26-1 second paragraph letter b)."
            )
        ),
        SOURCE_LETTER_B,
    )


def duplicate_violation(kind: str, exists: bool) -> Violation | None:
    """One interest per holder and entity (or cooperation)."""
    if not exists:
        return None
    field = "cooperation" if kind == InterestKind.COOPERATION else "entity"
    return Violation(
        "interest_once",
        field,
        str(
            _(
                "The holder's interest in this entity is already registered; change that one "
                "instead (kommuneloven § 26-1 second paragraph letter b)."
            )
        ),
        SOURCE_LETTER_B,
    )


# --- warnings: saved with the record, shown where the user sees it ------------------------------


def holder_warning(holder: Any) -> Violation | None:
    if holder is None or holder.kind in MUNICIPAL_KINDS:
        return None
    return Violation(
        "holder_not_municipal",
        "holder",
        str(
            _(
                "The ownership statement is a duty of municipalities and county municipalities "
                "(kommuneloven § 26-1 first paragraph); this holder is neither."
            )
        ),
        SOURCE_STATEMENT,
    )


def interest_warnings(interest: Any) -> list[Violation]:
    """What the report still lacks for this interest, and decisions the council must take."""
    out: list[Violation | None] = [holder_warning(interest.holder)]
    if not (interest.purpose or "").strip():
        out.append(
            Violation(
                "interest_purpose_missing",
                "purpose",
                str(
                    _(
                        "The municipality's purpose with this interest is not registered; the "
                        "ownership statement must give it (kommuneloven § 26-1 second paragraph "
                        "letter c)."
                    )
                ),
                SOURCE_LETTER_C,
            )
        )
    body = (interest.decision_body or "").strip().lower()
    if (
        interest.kind == InterestKind.MUNICIPAL_ENTERPRISE
        and body
        and body not in ("kommunestyret", "fylkestinget")
    ):
        out.append(
            Violation(
                "enterprise_by_council",
                "decision_body",
                str(
                    _(
                        "The council itself decides to establish a municipal enterprise (KF) "
                        "(kommuneloven § 9-1 first paragraph); the decision registered is by "
                        "another body."
                    )
                ),
                SOURCE_KF_COUNCIL,
            )
        )
    return [v for v in out if v is not None]


def statement_warnings(statement: Any) -> list[Violation]:
    out: list[Violation | None] = [holder_warning(statement.holder)]
    if statement.adopting_body != AdoptedBy.COUNCIL:
        if statement.kind == StatementKind.CONTROL_PLAN:
            out.append(
                Violation(
                    "control_plan_by_council",
                    "adopting_body",
                    str(
                        _(
                            "The plan for ownership control is adopted by the council itself "
                            "(kommuneloven § 23-4 third paragraph); adopted by another body, it "
                            "does not meet the deadline."
                        )
                    ),
                    SOURCE_CONTROL_PLAN,
                )
            )
        else:
            out.append(
                Violation(
                    "statement_by_council",
                    "adopting_body",
                    str(
                        _(
                            "The ownership statement is adopted by the council itself "
                            "(kommuneloven § 26-1 first paragraph); adopted by another body, it "
                            "does not count as the period's ownership statement."
                        )
                    ),
                    SOURCE_STATEMENT,
                )
            )
    return [v for v in out if v is not None]
