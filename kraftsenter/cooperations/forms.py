"""Forms for the cooperation register. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.forms import OrganisationRefField
from kraftsenter.core import bounds
from kraftsenter.core.bounds import BoundedDateField
from kraftsenter.core.forms import ObjectChoiceField, StyledForm, VersionedForm, form_field

from .choices import Area, Authority, BodyKind, LegalForm, MemberRole, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CooperationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=bounds.TITLE_LENGTH)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis (for another form)"), required=False, max_length=bounds.LINE_LENGTH
    )
    legal_person = forms.BooleanField(label=_("Separate legal person"), required=False)
    organisation_number = forms.CharField(
        label=_("Organisation number"), required=False, max_length=11
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.TEXT_LENGTH,
    )
    authority = forms.MultipleChoiceField(
        label=_("Delegated authority"),
        choices=Authority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What the participants delegated. An IPR or KO makes individual decisions only on "
            "internal matters and grant schemes (kommuneloven §§ 18-1, 19-1 second "
            "paragraph); an administrative host cooperation decides only matters without "
            "principal importance (§ 20-2 first paragraph)."
        ),
    )
    authority_description = forms.CharField(
        label=_("Delegated authority, described"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    daily_manager = forms.CharField(
        label=_("Daily manager (daglig leder)"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        help_text=_("KO and IKS: the daily manager cannot sit in the representantskap."),
    )
    host = OrganisationRefField(label=_("Host or office municipality"), required=False)
    start_date = BoundedDateField(label=_("Start date"), required=False, widget=DATE)
    end_date = BoundedDateField(label=_("Dissolved on"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.PLANNED)
    withdrawal_terms = forms.CharField(
        label=_("Withdrawal terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    withdrawal_notice_months = forms.IntegerField(
        label=_("Notice period for withdrawal (months)"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_(
            "Only if the agreement sets another period than the statute's: one year for a "
            "host-municipality cooperation and an IKS, three months for a plan cooperation."
        ),
    )
    dissolution_terms = forms.CharField(
        label=_("Dissolution terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    archive_custodian = OrganisationRefField(label=_("Archive custodian"), required=False)
    reporting_duties = forms.CharField(
        label=_("Reporting duties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    statsforvalter_notified_on = BoundedDateField(
        label=_("Statsforvalter notified on"),
        required=False,
        widget=DATE,
        help_text=_(
            "Host-municipality cooperation: a follow-up once it is set up (kommuneloven § 20-4 "
            "fifth paragraph; between county municipalities the ministry is told)."
        ),
    )
    published = forms.BooleanField(
        label=_("Published (readable by everyone)"), required=False, initial=True
    )
    reason = forms.CharField(
        label=_("Reason for the change (optional)"),
        required=False,
        max_length=bounds.REASON_LENGTH,
    )


class ParticipantForm(StyledForm):
    organisation = OrganisationRefField(label=_("Participant"))
    ownership_share = forms.DecimalField(
        label=_("Ownership share (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=3,
    )
    liability_share = forms.DecimalField(
        label=_("Liability share (%), if different"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=3,
    )
    joined_on = BoundedDateField(label=_("Joined on"), required=False, widget=DATE)


class BaseParticipantFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            org = form.cleaned_data.get("organisation") if form.cleaned_data else None
            if org is None:
                continue
            if org.pk in seen:
                form.add_error("organisation", _("The organisation is listed twice."))
            seen.add(org.pk)


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=3, can_delete=False
)


class ParticipantsChangeForm(VersionedForm):
    """The participants page: the version it was based on and an optional reason."""

    reason = forms.CharField(
        label=_("Reason for the change (optional)"),
        required=False,
        max_length=bounds.REASON_LENGTH,
    )


class AgreementVersionForm(StyledForm):
    summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )
    items_covered = forms.MultipleChoiceField(
        label=_("Mandatory items the agreement covers"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items_changed = forms.MultipleChoiceField(
        label=_("Mandatory items this version changes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A change to a mandatory item must be adopted by every participant's council again."
        ),
    )
    document_url = forms.URLField(
        label=_("Link to the signed agreement"),
        required=False,
        assume_scheme="https",
        max_length=bounds.URL_LENGTH,
    )
    adopted_by_representantskap_on = BoundedDateField(
        label=_("Adopted by the representantskap on"),
        required=False,
        widget=DATE,
        help_text=_("For changes to other items only (at least 2/3 of the votes)."),
    )

    def __init__(self, *args, items=(), representantskap=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not representantskap:
            # A host-municipality cooperation (and a form without one) has no representantskap.
            del self.fields["adopted_by_representantskap_on"]
        choices = [(i.code, i.label) for i in items]
        form_field(self, "items_covered", forms.MultipleChoiceField).choices = choices
        form_field(self, "items_changed", forms.MultipleChoiceField).choices = choices


class CouncilDecisionForm(StyledForm):
    agreement_version = ObjectChoiceField(label=_("Agreement version"))
    organisation = ObjectChoiceField(label=_("Participant"))
    decided_on = BoundedDateField(label=_("Decided on"), widget=DATE)
    body = forms.CharField(
        label=_("Decided by"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        help_text=_(
            "Leave empty for the participant's council (kommunestyret or fylkestinget); a "
            "participant that is an IKS adopts through its representantskap."
        ),
    )
    case_reference = forms.CharField(
        label=_("Case reference"), required=False, max_length=bounds.REFERENCE_LENGTH
    )

    def __init__(self, *args, versions=(), participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "agreement_version", ObjectChoiceField).set_objects(
            versions, lambda v: str(v.number)
        )
        form_field(self, "organisation", ObjectChoiceField).set_objects(
            [p.organisation for p in participants], lambda o: o.name
        )


class BodyForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), required=False, max_length=bounds.NAME_LENGTH)


class BodyMemberForm(StyledForm):
    body = ObjectChoiceField(label=_("Body"))
    person_name = forms.CharField(label=_("Name"), max_length=bounds.NAME_LENGTH)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    organisation = OrganisationRefField(label=_("Appointed by / represents"), required=False)
    term_start = BoundedDateField(label=_("Term starts"), required=False, widget=DATE)
    term_end = BoundedDateField(label=_("Term ends"), required=False, widget=DATE)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "body", ObjectChoiceField).set_objects(bodies)


class DocumentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    url = forms.URLField(label=_("Address"), assume_scheme="https", max_length=bounds.URL_LENGTH)
