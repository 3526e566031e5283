"""An account's preferences: the language its e-mails (the digest) are written in.

:func:`language_preference_set` is the one writer of :class:`AccountPreference`: the profile
page and the language switch (``/sprak/<code>/``, for a logged-in user) call it. A change is
recorded in history (``accountpreference.changed``) under the account; choosing the language
already chosen writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.core.history import record_change, snapshot
from kraftsenter.core.permissions import is_site_admin

from .models import AccountPreference, PreferredLanguage

DEFAULT_LANGUAGE = PreferredLanguage.NB.value


@transaction.atomic
def language_preference_set(*, actor: Any, user: Any, language: str) -> AccountPreference:
    """The account's preferred language (nb, nn, se or en); only the account itself or a site
    administrator may set it."""
    if not (is_site_admin(actor) or getattr(actor, "pk", None) == user.pk):
        raise PermissionDenied(_("You can change only your own language."))
    if language not in PreferredLanguage.values:
        raise ValidationError(
            {
                "language": _(
                    "There is no language “%(code)s” here. Choose bokmål, nynorsk, Northern "
                    "Sami or English."
                )
                % {"code": str(language)[:20]}
            }
        )
    preference, created = AccountPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"language": language}
    )
    if created:
        before = None
    elif preference.language == language:
        return preference
    else:
        before = snapshot(preference)
        preference.language = language
        preference.save(update_fields=["language", "updated_at"])
    record_change(
        actor=actor,
        action="accountpreference.changed",
        target=preference,
        before=before,
        after=snapshot(preference),
        parent=user,
    )
    return preference


def preferred_language(user: Any) -> str:
    """The account's language, bokmål if it has not chosen one."""
    if getattr(user, "pk", None) is None:
        return DEFAULT_LANGUAGE
    found = AccountPreference.objects.filter(user_id=user.pk).values_list("language", flat=True)
    return next(iter(found), DEFAULT_LANGUAGE)


def preferred_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """Each account's language (bokmål for those that have not chosen), in one query."""
    ids = list(user_ids)
    chosen = dict(
        AccountPreference.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    return {uid: chosen.get(uid, DEFAULT_LANGUAGE) for uid in ids}
