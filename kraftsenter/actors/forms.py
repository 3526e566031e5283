"""Forms for organisations, members and contact persons. They parse input; services decide."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.forms import CollatedModelChoiceField, StyledForm, VersionedForm
from kraftsenter.core.fulltext import named
from kraftsenter.core.text import fold
from kraftsenter.core.widgets import Labelled
from kraftsenter.places.models import County, Municipality

from .brreg import RegisterEntry
from .choices import OrganisationKind, Role
from .models import Organisation
from .widgets import OrganisationCombobox, OrganisationComboboxList

#: A lookup in Enhetsregisteret travels with the form as a signed stamp, so that what is kept
#: as its source and date is what the register answered, not what a browser sent.
REGISTER_STAMP_SALT = "kraftsenter.actors.brreg"
REGISTER_STAMP_MAX_AGE = 24 * 60 * 60


def register_stamp(entry: RegisterEntry) -> str:
    return signing.dumps(entry.as_dict(), salt=REGISTER_STAMP_SALT, compress=True)


def read_register_stamp(value: str) -> RegisterEntry | None:
    """The lookup a stamp carries; None when it is missing, altered or older than a day."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=REGISTER_STAMP_SALT, max_age=REGISTER_STAMP_MAX_AGE)
        return RegisterEntry.from_dict(data)
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


class OrganisationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=bounds.NAME_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=11,
        help_text=_("Nine digits from Enhetsregisteret, if the organisation has one."),
    )
    municipality = CollatedModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.defer("boundary", "search_text"),
        required=False,
        to_field_name="number",
    )
    county = CollatedModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        to_field_name="number",
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=bounds.URL_LENGTH
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=bounds.TEXT_LENGTH,
        help_text=_("Markdown: *italic*, **bold**, lists and links. HTML is removed."),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=bounds.LINE_LENGTH)
    industry_code = forms.CharField(
        label=_("Industry code"),
        required=False,
        max_length=10,
        help_text=_("Standard industrial classification (SN2007), e.g. 84.110."),
    )
    organisation_form = forms.CharField(
        label=_("Organisation form in Enhetsregisteret"),
        required=False,
        max_length=10,
        help_text=_("The register's code, e.g. KOMM, FYLK, IKS, AS."),
    )
    name_se = forms.CharField(
        label=_("Name in Northern Sami"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        help_text=_("Only the organisation's own name in the language, e.g. Sámediggi."),
        widget=forms.TextInput(attrs={"lang": "se"}),
    )
    name_smj = forms.CharField(
        label=_("Name in Lule Sami"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        widget=forms.TextInput(attrs={"lang": "smj"}),
    )
    name_sma = forms.CharField(
        label=_("Name in Southern Sami"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        widget=forms.TextInput(attrs={"lang": "sma"}),
    )
    name_fkv = forms.CharField(
        label=_("Name in Kven"),
        required=False,
        max_length=bounds.NAME_LENGTH,
        widget=forms.TextInput(attrs={"lang": "fkv"}),
    )
    register_stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change (optional)"), required=False, max_length=bounds.REASON_LENGTH
    )

    def clean_register_stamp(self) -> RegisterEntry | None:
        return read_register_stamp(self.cleaned_data.get("register_stamp") or "")


class MemberAddForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has the user name “%(name)s”."), params={"name": username}
            )
        self.cleaned_data["user"] = user
        return username


class MemberRoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ContactPersonForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=bounds.NAME_LENGTH)
    title = forms.CharField(label=_("Role or title"), max_length=bounds.NAME_LENGTH, required=False)
    work_email = forms.EmailField(
        label=_("Work e-mail"), required=False, max_length=bounds.EMAIL_LENGTH
    )


def _by_place_name(active, value: str) -> list:
    """A municipality's or county municipality's organisation by any official name variant
    ("Karasjok", "Kárášjohka", "Karasjok kommune", "Troms fylkeskommune")."""
    wanted = fold(value)
    kind = "municipality"
    for suffix, suffix_kind in (
        (" fylkeskommune", "county_municipality"),
        (" kommune", "municipality"),
    ):
        if wanted.endswith(suffix):
            wanted, kind = wanted[: -len(suffix)], suffix_kind
    model = Municipality if kind == "municipality" else County
    places = [
        p
        for p in model.objects.filter(search_text__contains=wanted)
        if wanted in {n.strip() for n in p.search_text.split("|")}
    ]
    if kind == "municipality":
        return list(active.filter(kind=kind, municipality__in=places))
    return list(active.filter(kind=kind, county__in=places))


def organisation_label(org) -> str:
    """How an organisation is written in an organisation field: municipality number, county
    number (county municipality), organisation number, else its name."""
    if org is None:
        return ""
    if org.kind == OrganisationKind.MUNICIPALITY and org.municipality_id:
        return org.municipality.number
    if org.kind == OrganisationKind.COUNTY_MUNICIPALITY and org.county_id:
        return org.county.number
    return org.organisation_number or org.name


class OrganisationRefField(forms.CharField):
    """An organisation given as a municipality number (4 digits), a county number (2 digits:
    the county municipality), an organisation number (9 digits) or its exact name."""

    #: The cleaned value is a record (or None), never text.
    returns_record = True
    #: A searchable combobox with JavaScript, this text field without (actors/widgets.py).
    widget = OrganisationCombobox

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "Municipality number (e.g. 3403), county number for the county municipality "
                "(e.g. 34), organisation number, or the organisation's name."
            ),
        )
        kwargs.setdefault("max_length", bounds.NAME_LENGTH)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            # The name comes along, so the combobox shows it without looking it up again.
            return Labelled(organisation_label(value), value.name)
        return value

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        active = Organisation.objects.filter(archived_at__isnull=True)
        if re.fullmatch(r"[0-9]{4}", value):
            found = list(active.filter(kind="municipality", municipality__number=value))
        elif re.fullmatch(r"[0-9]{2}", value):
            found = list(active.filter(kind="county_municipality", county__number=value))
        elif re.fullmatch(r"[0-9]{9}", value.replace(" ", "")):
            found = list(active.filter(organisation_number=value.replace(" ", "")))
        else:
            found = list(named(active, "name", value)) or _by_place_name(active, value)
        if len(found) != 1:
            raise forms.ValidationError(
                _("No single organisation matches “%(value)s”.")
                if not found
                else _("“%(value)s” matches several organisations; use the organisation number."),
                params={"value": value},
                code="unknown",
            )
        return found[0]


class OrganisationListField(forms.CharField):
    """Several organisations, one per line, each as :class:`OrganisationRefField` accepts it."""

    returns_record = True
    widget = OrganisationComboboxList

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _(
                "One per line: municipality number (e.g. 1804), county number for the county "
                "municipality (e.g. 18), organisation number or the organisation's name."
            ),
        )
        kwargs.setdefault("max_length", bounds.TEXT_LENGTH)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "all"):
            value = list(value.all())
        if isinstance(value, list | tuple):
            return "\n".join(
                organisation_label(v) if isinstance(v, Organisation) else str(v) for v in value
            )
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        ref = OrganisationRefField(required=True)
        found, errors, seen = [], [], set()
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                org = ref.clean(line)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
                continue
            if org.pk not in seen:
                seen.add(org.pk)
                found.append(org)
        if errors:
            raise forms.ValidationError(errors)
        return found
