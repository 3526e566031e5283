"""WSGI entry point (gunicorn config.wsgi).

Outside debug each worker builds the API's OpenAPI description as it starts, so that no user
waits for it: built on the first request it took seconds under load (docs/PERFORMANCE.md).
"""

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


if not settings.DEBUG:
    warm_openapi()
