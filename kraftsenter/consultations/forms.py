"""Forms for the consultation steps. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.forms import OrganisationRefField
from kraftsenter.core import bounds
from kraftsenter.core.bounds import BoundedDateField
from kraftsenter.core.forms import (
    ObjectMultipleChoiceField,
    StyledForm,
    VersionedForm,
    form_field,
)
from kraftsenter.places.models import Municipality

from . import rules
from .choices import (
    Access,
    Agreement,
    AuthorityLevel,
    ExemptionBasis,
    MatterKind,
    Origin,
    PlanKind,
    Response,
    SamiLanguage,
    ScreeningResult,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Not answered")), ("true", _("Yes")), ("false", _("No"))]


def _yes_no(label):
    return forms.NullBooleanField(label=label, required=False, widget=forms.Select(choices=YES_NO))


class MunicipalityNumbersField(forms.CharField):
    def clean(self, value):
        value = super().clean(value) or ""
        numbers = [n.strip() for n in value.replace(";", ",").split(",") if n.strip()]
        found = list(Municipality.objects.filter(number__in=numbers))
        missing = sorted(set(numbers) - {m.number for m in found})
        if missing:
            raise forms.ValidationError(
                _("Unknown municipality number %(number)s."), params={"number": ", ".join(missing)}
            )
        return found


class ConsultationForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    kind = forms.ChoiceField(label=_("Kind of matter"), choices=MatterKind.choices)
    plan_kind = forms.ChoiceField(
        label=_("Kind of plan"),
        required=False,
        choices=[("", "–"), *PlanKind.choices],
        help_text=_(
            "For a plan. Sametinget can object to the land-use part of the municipal master "
            "plan and to zoning plans (plan- og bygningsloven § 5-4), and then takes part "
            "through the plan process instead of consultation (sameloven § 4-1 fourth "
            "paragraph). An inter-municipal plan follows its plan type (pbl. § 9-3)."
        ),
    )
    authority = OrganisationRefField(label=_("Consulting authority"))
    level = forms.ChoiceField(
        label=_("The authority consults as"),
        required=False,
        choices=[("", _("Follows the authority")), *AuthorityLevel.choices],
        help_text=_(
            "A state body, county municipality or municipality consults as what it is. A "
            "statsforetak or private body consults only when it exercises authority on behalf "
            "of the state (sameloven § 4-3 letter b)."
        ),
    )
    delegated_authority = forms.CharField(
        label=_("Authority exercised on behalf of the state"),
        required=False,
        max_length=bounds.LINE_LENGTH,
        help_text=_(
            "For a statsforetak or private body: which state authority it exercises, e.g. a "
            "licence it decides on (sameloven § 4-3 letter b)."
        ),
    )
    municipalities = MunicipalityNumbersField(
        label=_("Municipalities concerned"),
        required=False,
        max_length=bounds.TEXT_LENGTH,
        help_text=_("Municipality numbers separated by commas, e.g. 5610, 5612."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.TEXT_LENGTH,
    )
    concerns = forms.CharField(
        label=_("What it concerns (plan, agreement, project …)"),
        required=False,
        max_length=bounds.LINE_LENGTH,
    )
    published = forms.BooleanField(label=_("In the public register"), required=False, initial=True)


class ScreeningForm(VersionedForm):
    direct_effect = _yes_no(_("May the matter affect Sami interests directly?"))
    general_matter = _yes_no(_("Is it a general matter that affects everyone in society alike?"))
    natural_basis = _yes_no(
        _("Does it concern the natural basis of Sami culture (land, water, resources)?")
    )
    traditional_area = _yes_no(
        _(
            "If so: is the measure planned in a traditional Sami area, "
            "or may it affect Sami material culture there?"
        )
    )
    reasoning = forms.CharField(
        label=_("Reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.TEXT_LENGTH,
    )
    result = forms.ChoiceField(label=_("Result"), choices=ScreeningResult.choices)


class PartyForm(StyledForm):
    organisation = OrganisationRefField(
        label=_("Party"),
        help_text=_(
            "Sametinget, a reindeer-herding district, a siida or another Sami organisation: its "
            "organisation number or exact name."
        ),
    )


class NoticeForm(VersionedForm):
    sent_on = BoundedDateField(label=_("Notice sent on"), widget=DATE)
    content = forms.CharField(
        label=_("What the notice said"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    response_deadline = BoundedDateField(
        label=_("Response deadline for this case"),
        widget=DATE,
        help_text=_("The law sets no number of days: give a reasonable time for this case."),
    )


class ResponseForm(StyledForm):
    response = forms.ChoiceField(
        label=_("Answer"), choices=[c for c in Response.choices if c[0] != Response.NO_ANSWER]
    )
    responded_on = BoundedDateField(label=_("Answered on"), required=False, widget=DATE)
    agreement_still_possible = forms.BooleanField(
        label=_("The party considers agreement still possible"), required=False
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_LENGTH,
    )


class AccessForm(StyledForm):
    """Public, or exempt with a basis that can apply: the choices are those the authority's
    level allows for the origins this material can have, each with its conditions."""

    #: The origins the material can have (a protocol is always exchanged with the parties).
    origins: tuple[str, ...] = (Origin.CONSULTATION.value,)

    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.PUBLIC)
    exemption_basis = forms.ChoiceField(
        label=_("Legal basis for exemption"),
        required=False,
        choices=[("", "–"), *ExemptionBasis.choices],
    )
    exemption_note = forms.CharField(
        label=_("Other legal basis"), required=False, max_length=bounds.NAME_LENGTH
    )

    def __init__(self, *args, level: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not level:
            return
        allowed = {b for o in self.origins for b in rules.allowed_exemptions(level, o)}
        field = form_field(self, "exemption_basis", forms.ChoiceField)
        field.choices = [("", "–"), *(c for c in ExemptionBasis.choices if c[0] in allowed)]
        field.help_text = " ".join(
            str(rules.EXEMPTION_CONDITIONS[ExemptionBasis(b)])
            for b in ExemptionBasis.values
            if b in allowed
        )


ORIGIN_HELP = _(
    "Decides which exemptions can apply: offentleglova § 19 only for a state body's documents "
    "exchanged in the consultation, never in a general hearing; § 14 only for the authority's "
    "own internal documents not sent out; § 15 only for documents obtained for internal "
    "preparation."
)


class InformationForm(AccessForm):
    origins: tuple[str, ...] = (Origin.CONSULTATION.value, Origin.GENERAL_HEARING.value)

    shared_on = BoundedDateField(label=_("Shared on"), widget=DATE)
    content = forms.CharField(
        label=_("What was shared"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    shared_with = ObjectMultipleChoiceField(label=_("Shared with"), required=False)
    origin = forms.ChoiceField(
        label=_("How it was shared"),
        choices=[(o.value, o.label) for o in (Origin.CONSULTATION, Origin.GENERAL_HEARING)],
        initial=Origin.CONSULTATION,
        required=False,
        help_text=ORIGIN_HELP,
    )
    field_order = [
        "shared_on",
        "content",
        "shared_with",
        "origin",
        "access",
        "exemption_basis",
        "exemption_note",
    ]

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "shared_with", ObjectMultipleChoiceField).set_objects(
            [p.organisation for p in parties], lambda o: o.name
        )

    def clean_origin(self) -> str:
        return self.cleaned_data.get("origin") or Origin.CONSULTATION


class DocumentForm(InformationForm):
    origins = tuple(Origin.values)

    title = forms.CharField(label=_("Title"), max_length=bounds.TITLE_LENGTH)
    url = forms.URLField(label=_("Address"), assume_scheme="https", max_length=bounds.URL_LENGTH)
    field_order = [
        "title",
        "url",
        "origin",
        "shared_with",
        "access",
        "exemption_basis",
        "exemption_note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["shared_on"]
        del self.fields["content"]
        origin = form_field(self, "origin", forms.ChoiceField)
        origin.label = _("How it came about")
        origin.choices = Origin.choices
        self.fields["shared_with"].help_text = _(
            "None ticked: all parties. A document kept for internal preparation is shared "
            "with none."
        )


class ProtocolForm(AccessForm):
    held_on = BoundedDateField(label=_("Meeting date"), widget=DATE)
    place = forms.CharField(label=_("Place"), required=False, max_length=bounds.NAME_LENGTH)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.TEXT_LENGTH,
    )
    matter = forms.CharField(
        label=_("What the matter is"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    assessments = forms.CharField(
        label=_("The parties' assessments and positions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    conclusions = forms.CharField(
        label=_("Conclusions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    agreement = forms.ChoiceField(
        label=_("Was agreement reached?"), choices=[("", "–"), *Agreement.choices]
    )
    sami_language = forms.ChoiceField(
        label=_("Sami language of the parallel text"),
        required=False,
        choices=[("", "–"), *SamiLanguage.choices],
    )
    matter_sami = forms.CharField(
        label=_("What the matter is (Sami)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    assessments_sami = forms.CharField(
        label=_("Assessments and positions (Sami)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    conclusions_sami = forms.CharField(
        label=_("Conclusions (Sami)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    field_order = [
        "held_on",
        "place",
        "participants",
        "matter",
        "assessments",
        "conclusions",
        "agreement",
        "sami_language",
        "matter_sami",
        "assessments_sami",
        "conclusions_sami",
        "access",
        "exemption_basis",
        "exemption_note",
    ]


class ConcludeForm(VersionedForm):
    concluded_on = BoundedDateField(label=_("Concluded on"), widget=DATE)
    agreement_reached = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Concluded with agreement")), ("no", _("Concluded without agreement"))],
    )
    reason = forms.CharField(
        label=_("Reason, if a party considers agreement still possible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.TEXT_LENGTH,
    )


class DecisionForm(VersionedForm):
    decided_on = BoundedDateField(label=_("Final decision on"), widget=DATE)
    summary = forms.CharField(
        label=_("The decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.LONG_TEXT_LENGTH,
    )
    assessment_documents = ObjectMultipleChoiceField(
        label=_("Documents with the Sami parties' assessments"),
        required=False,
        help_text=_(
            "The Sami parties' assessments follow the case to the final decision (sameloven "
            "§ 4-7 second paragraph): tick the case's documents that hold them. Required when a "
            "party asked for consultation; add the document to the case first."
        ),
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "assessment_documents", ObjectMultipleChoiceField).set_objects(
            documents, lambda d: d.title
        )


class MoveOnForm(VersionedForm):
    moved_on = BoundedDateField(
        label=_("Date"),
        widget=DATE,
        help_text=_(
            "Every party declined, or did not answer by the deadline for answers (sameloven "
            "§ 4-5 second paragraph). Parties without an answer are recorded as “No answer by "
            "the deadline”."
        ),
    )
