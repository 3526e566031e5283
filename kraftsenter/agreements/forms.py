"""Forms for plans, partnerships, agreements, commitments and reports. They parse input; the
services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.forms import OrganisationListField, OrganisationRefField, organisation_label
from kraftsenter.actors.models import Organisation
from kraftsenter.core import bounds
from kraftsenter.core.bounds import BoundedDateField
from kraftsenter.core.forms import ObjectChoiceField, StyledForm, VersionedForm, form_field
from kraftsenter.places.models import Region

from . import sdg
from .choices import (
    AgreementKind,
    AgreementStatus,
    CommitmentStatus,
    DigestFrequency,
    PlanKind,
    PlanStatus,
)
from .models import AgreementGoal, PartnershipMeeting, Plan, PlanItem

org_label = organisation_label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _date(label, **kwargs) -> forms.DateField:
    return BoundedDateField(label=label, widget=DATE, **kwargs)


def _text(label, *, max_length: int = bounds.TEXT_LENGTH, **kwargs) -> forms.CharField:
    """A multi-line text of at most ``max_length`` characters (the model's bound)."""
    return forms.CharField(label=label, widget=TEXTAREA, max_length=max_length, **kwargs)


class PlanItemChoiceField(forms.ModelChoiceField):
    """A plan item, shown with the title of its plan."""

    def label_from_instance(self, obj: PlanItem) -> str:
        return f"{obj.plan.title}: {obj}"


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change (optional)"),
        required=False,
        max_length=bounds.REASON_LENGTH,
    )


class PlanForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    owner = OrganisationRefField(label=_("Owner"))
    partners = OrganisationListField(
        label=_("Other municipalities (inter-municipal plan)"), required=False
    )
    parent: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(
        label=_("Part of (action programme or action part)"), queryset=None, required=False
    )
    based_on: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(
        label=_("Follows up"), queryset=None, required=False
    )
    election_year = forms.IntegerField(
        label=_("Election year of the period"),
        required=False,
        min_value=bounds.FIRST_YEAR,
        max_value=bounds.LAST_YEAR,
        help_text=_("E.g. 2023 for the period 2023–2027."),
    )
    constituted_on = _date(_("Council constituted on"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    deadline = _date(_("Planned adoption"), required=False)
    proposal_published_on = _date(_("Proposal made public on"), required=False)
    hearing_start = _date(_("Hearing starts"), required=False)
    hearing_end = _date(_("Hearing ends"), required=False)
    programme_hearing_start = _date(_("Planning programme hearing starts"), required=False)
    programme_hearing_end = _date(_("Planning programme hearing ends"), required=False)
    adopted_on = _date(_("Adopted on"), required=False)
    revised_on = _date(
        _("Last yearly revision on"),
        required=False,
        help_text=_(
            "An action part or action programme: when it was last revised (or its revision "
            "assessed)."
        ),
    )
    sami_language_section = forms.BooleanField(
        label=_("The planning strategy has a Sami language section"), required=False
    )
    document_url = forms.URLField(
        label=_("Document"), required=False, assume_scheme="https", max_length=bounds.URL_LENGTH
    )
    description = _text(_("Description"), required=False)
    reason = _reason()

    def __init__(self, *args: Any, plans: QuerySet[Plan] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("parent", "based_on"):
            form_field(self, name, forms.ModelChoiceField).queryset = plans


class PlanAdoptionForm(StyledForm):
    """One participant's council adopted the inter-municipal plan for its own area."""

    organisation = ObjectChoiceField(label=_("Municipality or county municipality"))
    adopted_on = _date(_("Adopted on"))
    reference = forms.CharField(
        label=_("Case reference"), required=False, max_length=bounds.REFERENCE_LENGTH
    )

    def __init__(self, *args: Any, participants: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", ObjectChoiceField).set_objects(
            participants, lambda o: o.name
        )


class PlanItemForm(StyledForm):
    code = forms.CharField(label=_("Number"), required=False, max_length=20)
    title = forms.CharField(label=_("Title"), max_length=bounds.LINE_LENGTH)
    description = _text(_("Description"), required=False)
    responsible = OrganisationRefField(label=_("Responsible"), required=False)
    budget = forms.DecimalField(
        label=_("Budget (NOK)"),
        required=False,
        max_digits=bounds.AMOUNT_DIGITS,
        decimal_places=bounds.AMOUNT_DECIMALS,
        min_value=0,
    )
    follows_up = PlanItemChoiceField(label=_("Follows up the item"), queryset=None, required=False)

    def __init__(self, *args: Any, items: QuerySet[PlanItem] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "follows_up", PlanItemChoiceField).queryset = items


class PartnershipForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=bounds.TITLE_LENGTH)
    lead = OrganisationRefField(label=_("Lead organisation"))
    members = OrganisationListField(label=_("Members"), required=False)
    purpose = _text(_("Purpose"), required=False)
    priorities = _text(_("Priorities"), required=False, help_text=_("One per line."))
    reason = _reason()


class MeetingForm(StyledForm):
    held_on = _date(_("Date"))
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    agenda = _text(_("Agenda"), required=False)
    minutes = _text(_("Minutes"), required=False, max_length=bounds.LONG_TEXT_LENGTH)
    minutes_url = forms.URLField(
        label=_("Link to the minutes"),
        required=False,
        assume_scheme="https",
        max_length=bounds.URL_LENGTH,
    )


class DecisionForm(StyledForm):
    decided_on = _date(_("Decided on"))
    text = _text(_("What was agreed"))
    agreed_by: forms.ModelMultipleChoiceField[Organisation] = forms.ModelMultipleChoiceField(
        label=_("Agreed by"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    meeting: forms.ModelChoiceField[PartnershipMeeting] = forms.ModelChoiceField(
        label=_("Meeting"), queryset=None, required=False
    )
    follow_up = _text(_("Follow-up"), required=False)
    due_date = _date(_("Follow up by"), required=False)

    def __init__(
        self,
        *args: Any,
        members: QuerySet[Organisation] | None = None,
        meetings: QuerySet[PartnershipMeeting] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "agreed_by", forms.ModelMultipleChoiceField).queryset = members
        form_field(self, "meeting", forms.ModelChoiceField).queryset = meetings


class AgreementForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    description = _text(_("Purpose"), required=False)
    lead = OrganisationRefField(label=_("Lead party"), required=False)
    period_start = _date(_("Period starts"))
    period_end = _date(_("Period ends"))
    binding = forms.BooleanField(label=_("Legally or economically binding"), required=False)
    renewal_milestone = _date(
        _("Renewal milestone"),
        required=False,
        help_text=_("When the parties decide on renewal, e.g. after the next planning strategy."),
    )
    scope_region = forms.ModelChoiceField(
        label=_("Region covered"),
        queryset=Region.objects.filter(archived_at__isnull=True),
        required=False,
    )
    reason = _reason()


class AgreementCreateForm(AgreementForm):
    parties = OrganisationListField(label=_("Parties"))
    field_order = ["title", "kind", "status", "description", "parties", "lead"]


class PartiesForm(StyledForm):
    parties = OrganisationListField(label=_("Parties"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = _reason()


class PartyDecisionForm(StyledForm):
    organisation = ObjectChoiceField(label=_("Party"))
    decision_body = forms.CharField(
        label=_("Adopted by"),
        max_length=bounds.NAME_LENGTH,
        help_text=_("E.g. fylkestinget, kommunestyret."),
    )
    decision_date = _date(_("Adopted on"))
    decision_reference = forms.CharField(
        label=_("Case reference"), required=False, max_length=bounds.REFERENCE_LENGTH
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", ObjectChoiceField).set_objects(parties, lambda o: o.name)


class GoalForm(StyledForm):
    text = _text(_("Goal"))
    sdgs = forms.TypedMultipleChoiceField(
        label=_("UN Sustainable Development Goals"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.CharField(
        label=_("SDG targets"),
        required=False,
        max_length=bounds.LINE_LENGTH,
        help_text=_("Separated by commas, as on un.org: 11.3, 11.a."),
    )
    local_target = _text(_("The parties' own target"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "sdgs", forms.TypedMultipleChoiceField).choices = sdg.goal_choices()

    def clean_sdg_targets(self) -> list[str]:
        text = self.cleaned_data.get("sdg_targets") or ""
        return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


class GoalEditForm(GoalForm):
    """A goal as it is, to change: its version guards against a lost update."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = _reason()


class AnchorForm(StyledForm):
    plan: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(label=_("Plan"), queryset=None)
    item = PlanItemChoiceField(label=_("Plan item"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=bounds.LINE_LENGTH)

    def __init__(
        self,
        *args: Any,
        plans: QuerySet[Plan] | None = None,
        items: QuerySet[PlanItem] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "plan", forms.ModelChoiceField).queryset = plans
        form_field(self, "item", PlanItemChoiceField).queryset = items


class DocumentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    url = forms.URLField(label=_("Address"), assume_scheme="https", max_length=bounds.URL_LENGTH)
    signed_on = _date(_("Signed on"), required=False)


class CommitmentForm(VersionedForm):
    party: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Owning party"), queryset=None
    )
    description = _text(_("What is promised"))
    due_date = _date(_("Due date"))
    budget = forms.DecimalField(
        label=_("Budget (NOK)"),
        required=False,
        max_digits=bounds.AMOUNT_DIGITS,
        decimal_places=bounds.AMOUNT_DECIMALS,
        min_value=0,
    )
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    status_reason = _text(
        _("Reason"), required=False, help_text=_("Required when the commitment is dropped.")
    )
    goal: forms.ModelChoiceField[AgreementGoal] = forms.ModelChoiceField(
        label=_("Goal"), queryset=None, required=False
    )
    reason = _reason()

    def __init__(
        self,
        *args: Any,
        parties: QuerySet[Organisation] | None = None,
        goals: QuerySet[AgreementGoal] | None = None,
        new: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "party", forms.ModelChoiceField).queryset = parties
        form_field(self, "goal", forms.ModelChoiceField).queryset = goals
        if new:  # a new commitment has no version yet and needs no reason
            del self.fields["version"], self.fields["reason"]


class ReportForm(StyledForm):
    period_start = _date(_("Period starts"), required=False)
    period_end = _date(_("Period ends"), required=False)
    due_date = _date(_("Report due"), required=False)
    summary = _text(_("Summary"), required=False, max_length=bounds.LONG_TEXT_LENGTH)


class ReportEntryForm(StyledForm):
    commitment = ObjectChoiceField(label=_("Commitment"))
    status = forms.ChoiceField(label=_("Status"), choices=CommitmentStatus.choices)
    text = _text(_("Short report"), required=False)
    reason = _text(
        _("Reason"), required=False, help_text=_("Required when the commitment is dropped.")
    )

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "commitment", ObjectChoiceField).set_objects(
            commitments, lambda c: f"{c.party.name}: {c}"
        )


class ReportCompleteForm(StyledForm):
    summary = _text(_("Summary"), required=False, max_length=bounds.LONG_TEXT_LENGTH)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RenewForm(StyledForm):
    title = forms.CharField(label=_("Title of the new agreement"), max_length=bounds.TITLE_LENGTH)
    period_start = _date(_("Period starts"))
    period_end = _date(_("Period ends"))
    renewal_milestone = _date(_("Renewal milestone"), required=False)
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=bounds.REASON_LENGTH
    )


class DigestPreferenceForm(StyledForm):
    frequency = forms.ChoiceField(
        label=_("Digest e-mail with what is due or overdue"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )
