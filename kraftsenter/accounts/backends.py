"""Password login (Django's ``ModelBackend``) with the session's user read in one plain query.

Every logged-in request loads its user before anything else. Django's backend reads it through
the ORM (``User.objects.get(pk=…)``): 0.22 ms on SQLite and 0.47 ms on PostgreSQL at national
scale, of which the query is a tenth on SQLite; the rest is building the query (issue 14).
``session_user`` reads the same row by its key with the same columns through a statement built
once (:mod:`kraftsenter.core.prepared`), into a model instance as the ORM makes it, and the
user's roles in its organisations with it (``core.permissions`` asks for them on most pages: on
PostgreSQL their own query was one more wait for the database). Authenticating a password,
permissions and everything else are Django's own.

Sessions made before this backend name Django's backend; migration
``accounts.0006_session_backend`` moves them over, so nobody is logged out by the upgrade.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import router

from kraftsenter.core.permissions import user_with_roles

#: The dotted path sessions record for a password login.
BACKEND_PATH = "kraftsenter.accounts.backends.ModelBackend"
#: What sessions from before recorded.
DJANGO_BACKEND_PATH = "django.contrib.auth.backends.ModelBackend"


def session_user(user_id: Any) -> Any:
    """The user with this primary key (as a session stores it), or None: a statement built
    once per database (:mod:`kraftsenter.core.prepared`) that reads the user's roles in its
    organisations with it (:func:`kraftsenter.core.permissions.user_with_roles`)."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a malformed key is no user, as in Django's backend
        return None
    if not isinstance(pk, int | str) or isinstance(pk, bool):
        return None
    return user_with_roles(model, router.db_for_read(model), pk)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
