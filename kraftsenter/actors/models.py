"""Actors: organisations that take part in the region's collaboration."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import SearchableRecord
from kraftsenter.core.links import url_maker
from kraftsenter.core.models import Record

from .choices import EmployeeAccess, OrganisationKind, RequestStatus, Role
from .validators import validate_organisation_number


class Organisation(SearchableRecord):
    """An organisation (actor): a municipality, an agency, a business, a voluntary group …"""

    #: What text search finds it by (core.fulltext): the name, its names in the Sami languages
    #: and Kven, and the organisation number.
    SEARCH_FIELDS = ("name", "name_se", "name_smj", "name_sma", "name_fkv", "organisation_number")
    #: A search that finds thousands ("idrettslag": 5 000) is paged one rank at a time on
    #: SQLite, its count taken from the index less the archived ones (organisation_archived_idx).
    RANKED_PAGES = True
    #: The organisation's names in other languages, as places have them (places.NamedPlace).
    OTHER_NAME_FIELDS = ("name_se", "name_smj", "name_sma", "name_fkv")

    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH)
    name_se = models.CharField(_("Northern Sami name"), max_length=bounds.NAME_LENGTH, blank=True)
    name_smj = models.CharField(_("Lule Sami name"), max_length=bounds.NAME_LENGTH, blank=True)
    name_sma = models.CharField(_("Southern Sami name"), max_length=bounds.NAME_LENGTH, blank=True)
    name_fkv = models.CharField(_("Kven name"), max_length=bounds.NAME_LENGTH, blank=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits from Enhetsregisteret."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("home municipality"),
    )
    county = models.ForeignKey(
        "places.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
        help_text=_("For county municipalities and other county-wide organisations."),
    )
    website = models.URLField(_("website"), blank=True, max_length=bounds.URL_LENGTH)
    description = models.TextField(
        _("description"),
        blank=True,
        **bounds.text(bounds.TEXT_LENGTH),
    )
    #: The description rendered to sanitised HTML on save (``core.markdown``), never per view.
    description_html = models.TextField(editable=False, blank=True)
    # What Enhetsregisteret said when the organisation was last looked up there (actors.brreg).
    address = models.CharField(_("address"), max_length=bounds.LINE_LENGTH, blank=True)
    industry_code = models.CharField(
        _("industry code"),
        max_length=10,
        blank=True,
        help_text=_("Standard industrial classification (SN2007), e.g. 84.110."),
    )
    organisation_form = models.CharField(
        _("organisation form in Enhetsregisteret"), max_length=10, blank=True
    )
    register_source = models.URLField(
        _("looked up at"), max_length=bounds.URL_LENGTH, blank=True, editable=False
    )
    register_checked_on = models.DateField(
        _("looked up in Enhetsregisteret on"),
        null=True,
        blank=True,
        editable=False,
        validators=bounds.DATE_VALIDATORS,
    )
    register_deleted_on = models.DateField(
        _("deleted in Enhetsregisteret on"),
        null=True,
        blank=True,
        editable=False,
        validators=bounds.DATE_VALIDATORS,
    )
    register_bankrupt = models.BooleanField(
        _("bankrupt in Enhetsregisteret"), default=False, editable=False
    )
    register_winding_up = models.BooleanField(
        _("being wound up in Enhetsregisteret"), default=False, editable=False
    )
    employee_access = models.CharField(
        _("employees who log in with Ansattporten get"),
        max_length=10,
        choices=EmployeeAccess.choices,
        default=EmployeeAccess.APPROVAL,
        help_text=_(
            "When someone logs in with Ansattporten acting for this organisation for the first "
            "time."
        ),
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="organisation_name_idx"),
            models.Index(fields=["kind", "county"], name="organisation_kind_county_idx"),
            # A county's organisations counted from the index alone, and its county-wide ones
            # (no home municipality, first on the county page) found without reading the rest.
            models.Index(
                fields=["county", "municipality", "archived_at"],
                name="organisation_county_place_idx",
            ),
            # The few archived organisations, so that a text search counts its matches from
            # the full-text index less the archived ones among them (core.fulltext).
            models.Index(
                fields=["archived_at"],
                condition=Q(archived_at__isnull=False),
                name="organisation_archived_idx",
            ),
        ]
        verbose_name = _("organisation")

        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="organisation_number_unique",
            )
        ]

    #: The rendered description repeats the description: the page's history leaves it out.
    HISTORY_HIDDEN = ("description_html",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("actors:organisation-detail")(self.pk)

    def other_names(self) -> list[tuple[str, str, str]]:
        """(language code, language label, name) for each name in another language: Northern,
        Lule and Southern Sami, then Kven. The code is for the page's ``lang`` attribute."""
        labels = {
            "name_se": _("Northern Sami"),
            "name_smj": _("Lule Sami"),
            "name_sma": _("Southern Sami"),
            "name_fkv": _("Kven"),
        }
        return [
            (field.removeprefix("name_"), str(labels[field]), getattr(self, field))
            for field in self.OTHER_NAME_FIELDS
            if getattr(self, field)
        ]

    def history_ref(self) -> dict:
        """History refers to an organisation by its id (as the API does), its organisation
        number and its name at the time."""
        return {
            "id": self.pk,
            "organisation_number": self.organisation_number or None,
            "label": self.name,
        }

    def register_warnings(self) -> list:
        """What Enhetsregisteret's status said at the last lookup (deleted, bankrupt …)."""
        from .brreg import register_warnings

        return register_warnings(
            deleted_on=self.register_deleted_on,
            bankrupt=self.register_bankrupt,
            winding_up=self.register_winding_up,
        )

    def clean(self) -> None:
        errors = {}
        if self.kind == OrganisationKind.MUNICIPALITY and not self.municipality_id:
            errors["municipality"] = _("A municipality's organisation needs its municipality.")
        if self.kind == OrganisationKind.COUNTY_MUNICIPALITY and not self.county_id:
            errors["county"] = _("A county municipality needs its county.")
        if (
            self.municipality_id
            and self.county_id
            and self.municipality is not None
            and self.municipality.county_id != self.county_id
        ):
            errors["county"] = _("The home municipality is not in this county.")
        if errors:
            raise ValidationError(errors)


class Membership(Record):
    """A user account's role in an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(archived_at__isnull=True),
                name="membership_once_per_user_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return url_maker("actors:organisation-members")(self.organisation_id)


class MembershipRequest(Record):
    """An employee who logged in with Ansattporten for the organisation and waits for an
    administrator to approve (a membership with the chosen role) or refuse it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="membership_requests",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    source = models.CharField(_("from"), max_length=20, default="ansattporten", editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "created_at"]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="membership_request_once_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return url_maker("actors:organisation-members")(self.organisation_id)


class ContactPerson(Record):
    """Someone who acts for an organisation without an account; minimal personal data."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_persons",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH)
    title = models.CharField(_("role or title"), max_length=bounds.NAME_LENGTH, blank=True)
    work_email = models.EmailField(_("work e-mail"), blank=True, max_length=bounds.EMAIL_LENGTH)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_maker("actors:organisation-detail")(self.organisation_id)
