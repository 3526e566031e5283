"""Settings of the test provider: its own SQLite file and key in ``OIDC_TEST_STATE_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR = Path(os.environ["OIDC_TEST_STATE_DIR"])
KIND = os.environ.get("OIDC_TEST_KIND", "idporten")
ISSUER = os.environ["OIDC_TEST_ISSUER"]

SECRET_KEY = "test-provider-only"  # noqa: S105 - a throwaway provider on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE_DIR / "provider.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/test-login/"
SESSION_COOKIE_NAME = f"provider_{KIND}_session"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (STATE_DIR / "signing-key.pem").read_text(),
    "OIDC_ISS_ENDPOINT": ISSUER,
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.TestValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile"},
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
