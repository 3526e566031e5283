"""Forms of the ownership register. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.actors.forms import OrganisationRefField
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.core import bounds
from kraftsenter.core.bounds import BoundedDateField
from kraftsenter.core.forms import VersionedForm

from .choices import AdoptedBy, InterestKind, StatementKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _text(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=TEXTAREA,
        max_length=bounds.TEXT_LENGTH,
        required=False,
        help_text=help_text,
    )


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change (optional)"),
        required=False,
        max_length=bounds.REASON_LENGTH,
    )


class InterestForm(VersionedForm):
    holder = OrganisationRefField(
        label=_("Holder"),
        help_text=_(
            "The municipality (its number, e.g. 3403) or county municipality (its county "
            "number, e.g. 34) that holds the interest."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=InterestKind.choices)
    entity = OrganisationRefField(
        label=_("Entity"),
        required=False,
        help_text=_(
            "The company, enterprise, foundation or association: its organisation number or "
            "name. Leave empty for an inter-municipal cooperation."
        ),
    )
    cooperation: forms.ModelChoiceField[Cooperation] = forms.ModelChoiceField(
        label=_("Cooperation in the cooperation register"),
        queryset=Cooperation.objects.filter(archived_at__isnull=True).order_by("name"),
        required=False,
        help_text=_("Only for the kind “inter-municipal cooperation”; its share is kept there."),
    )
    share = forms.DecimalField(
        label=_("Ownership share (%)"),
        required=False,
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=100,
        help_text=_("Not for an enterprise (KF), a foundation or a cooperation."),
    )
    purpose = _text(
        _("The municipality's purpose with the interest"),
        _(
            "Why the municipality holds this interest, not what the entity does "
            "(kommuneloven § 26-1 second paragraph letter c)."
        ),
    )
    management_principles = _text(_("Principles for its management"))
    decision_body = forms.CharField(
        label=_("Decided by"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        initial="kommunestyret",
        help_text=_("The body whose decision the interest rests on, e.g. kommunestyret."),
    )
    decided_on = BoundedDateField(label=_("Decided on"), widget=DATE, required=False)
    case_reference = forms.CharField(
        label=_("Case reference"), required=False, max_length=bounds.REFERENCE_LENGTH
    )
    published = forms.BooleanField(
        label=_("Published (shown to everyone in the ownership report)"),
        required=False,
        initial=True,
    )
    reason = _reason()


class StatementForm(VersionedForm):
    holder = OrganisationRefField(label=_("Municipality or county municipality"))
    kind = forms.ChoiceField(label=_("Document"), choices=StatementKind.choices)
    adopted_on = BoundedDateField(label=_("Adopted on"), widget=DATE)
    adopting_body = forms.ChoiceField(
        label=_("Adopted by"),
        choices=AdoptedBy.choices,
        help_text=_(
            "Both documents are adopted by the council itself (kommuneloven § 26-1 first "
            "paragraph, § 23-4 third paragraph); record another body if that is what happened."
        ),
    )
    case_reference = forms.CharField(
        label=_("Case reference"), required=False, max_length=bounds.REFERENCE_LENGTH
    )
    document_url = forms.URLField(
        label=_("Document"), required=False, assume_scheme="https", max_length=bounds.URL_LENGTH
    )
    principles = _text(
        _("Principles for ownership management"),
        _("The ownership statement's principles (kommuneloven § 26-1 second paragraph letter a)."),
    )
    published = forms.BooleanField(label=_("Published"), required=False, initial=True)
    reason = _reason()
