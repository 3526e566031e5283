"""The accessibility statement's feedback channel: anyone may tell the site's administrators
about content that is not universally designed (forskrift 21.6.2013 nr. 732 om universell
utforming av IKT-løsninger, § 4e tredje ledd). The message is stored and e-mailed to the site
administrators (active superusers with an e-mail address, and ``settings.ADMINS``).

The same channel takes corrections to the translations (``kind=FeedbackKind.LANGUAGE``, from
the page /om/sprak/ that the footer links to in nynorsk and Northern Sami): the message says
which language the sender read, and the e-mail's subject says it is a language correction.

Anonymous senders are allowed, so the form is rate-limited: at most
``KRAFTSENTER_FEEDBACK_PER_HOUR`` messages an hour from one client address and from one
session (default 5). Counts live in the default cache.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import bounds
from .forms import AccessibilityFeedbackForm
from .models import AccessibilityFeedback, FeedbackKind

WINDOW_SECONDS = 3600


def feedback_limit() -> int:
    return int(getattr(settings, "KRAFTSENTER_FEEDBACK_PER_HOUR", 5))


def _keys(request: HttpRequest) -> list[str]:
    from axes.helpers import get_client_ip_address

    keys = [f"ks-feedback:ip:{get_client_ip_address(request) or '-'}"]
    if request.session.session_key:
        keys.append(f"ks-feedback:session:{request.session.session_key}")
    return keys


def feedback_allowed(request: HttpRequest) -> bool:
    """Whether this client may send one more message this hour."""
    limit = feedback_limit()
    return all(int(cache.get(key, 0)) < limit for key in _keys(request))


def feedback_count(request: HttpRequest) -> None:
    if not request.session.session_key:
        request.session.save()
    for key in _keys(request):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)


def admin_addresses() -> list[str]:
    """The site administrators' e-mail addresses: active superusers, then ``ADMINS``."""
    users = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    addresses = list(users.order_by("pk").values_list("email", flat=True))
    addresses += [email for _name, email in getattr(settings, "ADMINS", [])]
    return list(dict.fromkeys(addresses))


def accessibility_feedback_create(
    *,
    actor: Any,
    name: str = "",
    email: str = "",
    message: str,
    page: str = "",
    kind: str = FeedbackKind.ACCESSIBILITY,
    language: str = "",
) -> AccessibilityFeedback:
    """Store a message about accessibility (or a correction to a translation) and e-mail it to
    the site administrators.

    A message that is empty (or only spaces) is refused; name and e-mail are optional."""
    message = (message or "").strip()
    if not message:
        text = (
            _("Write what should be corrected, and how.")
            if kind == FeedbackKind.LANGUAGE
            else _("Write what does not work, so that we can fix it.")
        )
        raise ValidationError({"message": text}, code="required")
    sender = actor if getattr(actor, "is_authenticated", False) else None
    feedback = AccessibilityFeedback(
        kind=kind,
        language=(language or "").strip(),
        name=(name or "").strip(),
        email=(email or "").strip(),
        message=message,
        page=(page or "").strip(),
        sender=sender,
    )
    with transaction.atomic():
        # Inbound messages, not a register record: kept and never edited, so no history.
        feedback.full_clean()
        feedback.save()
    recipients = admin_addresses()
    if recipients:
        language_correction = kind == FeedbackKind.LANGUAGE
        lines = [
            _("A correction to a translation, from the page on languages:")
            if language_correction
            else _("Feedback on accessibility from the accessibility statement:"),
            "",
            message,
            "",
            _("Name: %(name)s") % {"name": feedback.name or "–"},
            _("E-mail: %(email)s") % {"email": feedback.email or "–"},
            _("Page: %(page)s") % {"page": feedback.page or "–"},
        ]
        if language_correction:
            lines.append(_("Language: %(language)s") % {"language": feedback.language or "–"})
        send_mail(
            _("Language correction (Kraftsenter)")
            if language_correction
            else _("Accessibility feedback (Kraftsenter)"),
            "\n".join(lines),
            None,
            recipients,
            fail_silently=True,  # stored either way; the list shows every message
        )
        AccessibilityFeedback.objects.filter(pk=feedback.pk).update(mailed_to=len(recipients))
        feedback.mailed_to = len(recipients)
    return feedback


class LanguageCorrectionForm(AccessibilityFeedbackForm):
    """The accessibility form, asking for a correction to a translation."""

    message = forms.CharField(
        label=gettext_lazy("What should be corrected?"),
        max_length=bounds.TEXT_LENGTH,
        help_text=gettext_lazy("Quote the text as it is, and write how it should read."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Write what should be corrected, and how.")},
    )
