"""Reads of the account pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kraftsenter.core.permissions import is_site_admin

from .models import SecurityEvent


def security_event_list(*, user: Any) -> QuerySet[SecurityEvent]:
    """The security log, newest first; only site administrators may read it."""
    if not is_site_admin(user):
        raise PermissionDenied(_("Only site administrators may read the security log."))
    return SecurityEvent.objects.all()
