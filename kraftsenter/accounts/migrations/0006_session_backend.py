"""Sessions of a password login name the backend that logged them in; the backend is now
``kraftsenter.accounts.backends.ModelBackend`` (Django's, with a plainer read of the session's
user). Existing sessions are moved over so that nobody is logged out by the upgrade; a session
that cannot be read (another secret key) is left as it is and ends as it would have."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "kraftsenter.accounts.backends.ModelBackend"


def _move(apps, schema_editor, source, target):
    Session = apps.get_model("sessions", "Session")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    changed = []
    sessions = Session.objects.using(schema_editor.connection.alias)
    for session in sessions.filter(session_data__isnull=False).iterator(chunk_size=2000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) != source:
            continue
        data[BACKEND_SESSION_KEY] = target
        session.session_data = store.encode(data)
        changed.append(session)
        if len(changed) >= 2000:
            sessions.bulk_update(changed, ["session_data"])
            changed = []
    if changed:
        sessions.bulk_update(changed, ["session_data"])


def forwards(apps, schema_editor):
    _move(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_preferred_language"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
