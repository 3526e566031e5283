"""WSGI entry point (gunicorn config.wsgi).

Outside debug each worker builds the API's OpenAPI description as it starts, so that no user
waits for it: built on the first request it took seconds under load (docs/PERFORMANCE.md).

Then it hands what it built at start (about 215 000 objects: Django, the apps, the URL
patterns, the description) to ``gc.freeze()``: Python's garbage collector no longer walks them
on each full collection. A full collection over them took about 95 ms, a pause for that worker
and every request queued behind it, several times a minute under load; afterwards it walks only
what requests made since.
"""

import gc
import logging
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def warm_openapi() -> bool:
    """Build and keep the OpenAPI description now; False (and a warning) if it fails, in
    which case the first request builds it as before."""
    try:
        from config.api import api

        api.get_openapi_schema()
    except Exception:  # noqa: BLE001 - a warm-up must never stop the worker
        logging.getLogger(__name__).warning("OpenAPI description not built at start", exc_info=True)
        return False
    return True


def freeze_startup_objects() -> int:
    """Collect what start-up left behind, then keep the rest out of later collections; the
    number of objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


if not settings.DEBUG:
    warm_openapi()
    freeze_startup_objects()
