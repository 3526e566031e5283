"""Shared base models: records with a version and archive flag, the change history, data imports.

Every register inherits :class:`Record`. Nothing is hard-deleted: a record is archived
(``archived_at`` set) and can be restored. The default manager hides nothing; lists ask for
``.active()`` explicitly.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from . import bounds
from .checks import check_in_python

_R = TypeVar("_R", bound=models.Model, covariant=True)


class RecordQuerySet(models.QuerySet[_R]):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)


class Record(models.Model):
    """Abstract base of every editable domain record: timestamps, version, archive flag."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by one on every saved change.")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def validate_constraints(self, exclude: Any = None) -> None:
        """Django's, with the check constraints over the record's own fields decided in Python
        (:mod:`kraftsenter.core.checks`): the same errors, without a query (and, inside a
        transaction, a savepoint) per constraint. Any other constraint is Django's check."""
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, Any] = {}
        constraint: Any
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    if not check_in_python(constraint, model_class, self, exclude):
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                    if getattr(e, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _get_FIELD_display(self, field: models.Field) -> Any:  # noqa: N802 - Django's name
        """``get_<field>_display()`` as Django's, with the field's labels kept in a dict.

        Django builds ``dict(field.flatchoices)`` on every call: about 60 µs for a field with
        a dozen lazy labels, 3 ms on a list of 50 rows (issue 14). The dict is kept per field
        and built again if the field's choices are replaced; the labels stay lazy, so the
        current language still decides the text.
        """
        kept = _LABELS.get(field)
        if kept is None or kept[0] is not field.choices:
            kept = (field.choices, dict(make_hashable(field.flatchoices)))
            _LABELS[field] = kept
        value = getattr(self, field.attname)
        return force_str(kept[1].get(make_hashable(value), value), strings_only=True)


#: Each choice field's labels by value, for :meth:`Record._get_FIELD_display`.
_LABELS: dict[models.Field, tuple[Any, dict[Any, Any]]] = {}


class ChangeRecord(models.Model):
    """One change to one record: who, when, in which request, what before and after.

    Written only through :func:`kraftsenter.core.history.record_change`, inside the service's
    transaction. History is never edited.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("record"), max_length=300)
    parent_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent_object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=200, blank=True)
    actor_organisation = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor's organisation"),
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(
                fields=["parent_content_type", "parent_object_id", "-created_at"],
                name="changerecord_parent_idx",
            ),
            # An organisation's newest changes (the start page) read in index order: history
            # grows with every change, and the organisation's own index made the database
            # read and sort all of an organisation's changes to keep 32.
            models.Index(
                fields=["actor_organisation", "created_at", "id"],
                name="changerecord_org_time_idx",
            ),
        ]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        target = self.target
        return target.get_absolute_url() if target is not None else "/"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class DataImport(models.Model):
    """One run of an import of reference data or statistics, with what it found."""

    kind = models.CharField(_("kind"), max_length=40)
    source = models.CharField(_("source"), max_length=500)
    reference_date = models.DateField(_("valid from"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("data import")
        verbose_name_plural = _("data imports")

    def __str__(self) -> str:
        return f"{self.kind} from {self.source} ({self.started_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return "/om/data/"


class FeedbackKind(models.TextChoices):
    """What a message to the site administrators is about."""

    ACCESSIBILITY = "accessibility", _("Accessibility")
    LANGUAGE = "language", _("Correction to a translation")


class AccessibilityFeedback(models.Model):
    """A message sent through the accessibility statement's feedback form: anyone may report
    content that is not universally designed (forskrift 21.6.2013 nr. 732 om universell
    utforming av IKT-løsninger, § 4e tredje ledd). Inbound, so no change history; never deleted.

    The same channel takes corrections to the nynorsk and Northern Sami translations
    (``kind`` = language, from the page /om/sprak/), with the language the reader used."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=FeedbackKind.choices,
        default=FeedbackKind.ACCESSIBILITY,
        db_index=True,
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language of the pages the sender read."),
    )

    name = models.CharField(_("name"), max_length=bounds.NAME_LENGTH, blank=True)
    email = models.EmailField(_("e-mail"), max_length=bounds.EMAIL_LENGTH, blank=True)
    message = models.TextField(_("message"), **bounds.text(bounds.TEXT_LENGTH))
    page = models.CharField(
        _("page"), max_length=bounds.URL_LENGTH, blank=True, help_text=_("The page it concerns.")
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by (logged-in user)"),
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    mailed_to = models.PositiveIntegerField(
        _("administrators e-mailed"), default=0, help_text=_("How many got it by e-mail.")
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.name or '–'} ({self.received_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accessibility-feedback")
