"""Django settings for Kraftsenter.

One module; every value that differs between machines comes from the environment.
Secrets have no production default: without DJANGO_SECRET_KEY the site refuses to start
unless KRAFTSENTER_DEBUG is on.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("KRAFTSENTER_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("KRAFTSENTER_ALLOW_INSECURE_KEY") == "1":
        SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set KRAFTSENTER_DEBUG=1 for local "
            "development."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "ninja",
    "corsheaders",
    "axes",
    "kraftsenter.core",
    "kraftsenter.places",
    "kraftsenter.actors",
    "kraftsenter.accounts",
    "kraftsenter.cooperations",
    "kraftsenter.knowledge",
    "kraftsenter.agreements",
    "kraftsenter.consultations",
    "kraftsenter.ownership",
    "kraftsenter.opendata",
    "kraftsenter.demo",
    "kraftsenter.operations",
]


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cross-origin reads of the API from the configured origins (KRAFTSENTER_CORS_ORIGINS).
    "corsheaders.middleware.CorsMiddleware",
    "kraftsenter.core.middleware.RequestIdMiddleware",
    # ETag from the body where a view set none; 304 for If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    # Every security header is set outside the anonymous response cache, so that a cached
    # response carries the same ones as a fresh one (CSP and Permissions-Policy here;
    # HSTS, nosniff, Referrer-Policy and COOP by SecurityMiddleware above).
    "kraftsenter.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kraftsenter.core.middleware.NorwegianFirstLocaleMiddleware",
    # Serves anonymous reads from the cache before sessions, CSRF and auth run.
    "kraftsenter.core.cache.AnonymousResponseCacheMiddleware",
    # Problem JSON for every API error, Last-Modified on API lists.
    "kraftsenter.core.problems.ApiMiddleware",
    # A NUL character in an address or form: 400 (pages) or 422 (API), never a server error.
    "kraftsenter.core.input.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kraftsenter.core.context_processors.site",
            ],
            # {% url %} remembers each address it reversed (kraftsenter/core/templatetags/
            # cached_url.py): a reverse per link was 35 calls on the dashboard.
            "builtins": ["kraftsenter.core.templatetags.cached_url"],
        },
    },
]

# Form widgets are rendered by Django's Jinja2 form renderer (the same markup as Django's own
# widget templates, a third of the time on form pages; docs/decisions/0007). A widget with a
# template of its own needs it under <app>/jinja2/ (kraftsenter/core/jinja2/core/widgets/).
FORM_RENDERER = "django.forms.renderers.Jinja2"

if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kraftsenter.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# The longest pause (ms) between a SQLite write transaction's tries for the write lock
# (kraftsenter/core/sqlite); 0: SQLite's own wait.
_poll = os.environ.get("KRAFTSENTER_SQLITE_LOCK_POLL_MS", "1").strip()
try:
    KRAFTSENTER_SQLITE_LOCK_POLL_MS = float(_poll)
except ValueError:
    KRAFTSENTER_SQLITE_LOCK_POLL_MS = -1.0
if not 0 <= KRAFTSENTER_SQLITE_LOCK_POLL_MS <= 1000:
    raise ImproperlyConfigured(
        f"KRAFTSENTER_SQLITE_LOCK_POLL_MS={_poll!r}: give the longest pause in milliseconds "
        "between a write's tries for SQLite's write lock, such as 1, or 0 for SQLite's own wait."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once (gunicorn with several workers).
    # The file is read through memory mapping (shared by every worker through the operating
    # system's page cache) instead of a read() call per 4 KiB page into SQLite's own 2 MB
    # cache: a search that reads 5 000 organisations took 6.3 ms and takes 4.3 at national
    # scale (issue 14). KRAFTSENTER_SQLITE_MMAP_MB=0 turns it off.
    _mmap = int(os.environ.get("KRAFTSENTER_SQLITE_MMAP_MB", "1024")) * 1024 * 1024
    # The write that takes the log past this many pages (4 KiB each) copies it back into the
    # database file and syncs it, before its answer: with SQLite's default of 1 000 pages that
    # was one cooperation registration in 14, 5-25 ms each (issue 14); 4 000 pages (16 MB of
    # log at most between copies) makes it one in 70 and the copies less in all, as a page
    # written again before the copy is copied once.
    _checkpoint = int(os.environ.get("KRAFTSENTER_SQLITE_WAL_AUTOCHECKPOINT", "4000"))
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size={_mmap}; "
        f"PRAGMA wal_autocheckpoint={_checkpoint};"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # How long a write waits for SQLite's one write lock before "database is locked": an
    # import holds it for seconds, and under load (tests/drills/sqlite_writers.py) more than
    # SQLite's default of 5. Below gunicorn's default worker timeout of 30 s.
    DATABASES["default"]["OPTIONS"]["timeout"] = float(
        os.environ.get("KRAFTSENTER_SQLITE_TIMEOUT", "20")
    )
    # Django's backend, whose write transactions wait for the write lock in steps of at most
    # this many milliseconds instead of SQLite's 1, 2, 5, 10 … (kraftsenter/core/sqlite).
    DATABASES["default"]["ENGINE"] = "kraftsenter.core.sqlite"
    # Tests in memory, as Django's engine would have them (pytest-django recognises SQLite by
    # Django's engine name only, and would otherwise name a file per xdist worker).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A web request's queries are short: starting parallel workers for one costs more than it
    # saves (organisation search 5.3 -> 3.5 ms in EXPLAIN ANALYZE) and takes cores from the
    # other requests. "" leaves it to the server (behind PgBouncer, which may refuse the
    # startup option: ALTER ROLE ... SET max_parallel_workers_per_gather = 0 instead).
    _parallel = os.environ.get("DATABASE_PARALLEL_WORKERS", "0").strip()
    if _parallel and not _parallel.isdigit():
        raise ImproperlyConfigured(
            f"DATABASE_PARALLEL_WORKERS={_parallel!r}: give a number of workers (0 for none) "
            "or leave it empty for the server's own setting."
        )
    # Nor is compiling a query's expressions to machine code (JIT): PostgreSQL starts it
    # when a plan's estimated cost passes jit_above_cost, which the visibility check's
    # correlated subquery does on a whole register (the cooperation list: 7 ms of JIT for
    # a 4 ms query, the page 36-46 -> 23-24 ms). "1" allows it, "" leaves it to the server.
    _jit = os.environ.get("DATABASE_JIT", "0").strip()
    if _jit not in ("", "0", "1"):
        raise ImproperlyConfigured(
            f"DATABASE_JIT={_jit!r}: give 0 (off, the default), 1 (on) or leave it empty for "
            "the server's own setting."
        )
    # The planner's price of reading a page out of order, against 1.0 for the next page in
    # order. PostgreSQL's default of 4 is for disks that seek; the database of a region (and
    # of the country: 200 MB in the bench) is read from memory, where the two cost the same,
    # and at 4 the planner reads every cooperation rather than look up a municipality's 400
    # by their key (its page of cooperations: 9 -> 3 ms of SQL). 1.1 is the usual value for
    # SSDs and memory; "" leaves it to the server.
    _page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1").strip()
    if _page_cost:
        try:
            _page_cost_value = float(_page_cost)
        except ValueError:
            _page_cost_value = -1.0
        if not 0 < _page_cost_value <= 100:
            raise ImproperlyConfigured(
                f"DATABASE_RANDOM_PAGE_COST={_page_cost!r}: give a number such as 1.1 (pages "
                "read from memory or SSD) or 4 (disks that seek), or leave it empty for the "
                "server's own setting."
            )
    _startup = [f"-c max_parallel_workers_per_gather={_parallel}"] if _parallel else []
    if _jit:
        _startup.append(f"-c jit={'on' if _jit == '1' else 'off'}")
    if _page_cost:
        _startup.append(f"-c random_page_cost={_page_cost_value:g}")
    if _startup:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join([_options.get("options", ""), *_startup]).strip()

    # Parameters bound by the server and each statement planned once per connection after
    # DATABASE_PREPARE_THRESHOLD runs of it (psycopg's prepared statements). Django binds on
    # the client and prepares nothing by default, for poolers that cannot keep a prepared
    # statement (PgBouncer in transaction mode before 1.21, or without
    # max_prepared_statements): there, set it empty. A write is 13-17 statements, each
    # parsed and planned anew at 0.2-0.6 ms.
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip()
    if _prepare and not _prepare.isdigit():
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD={_prepare!r}: give the number of runs after which a "
            "statement is prepared (0: at once), or leave it empty for none (a pooler "
            "that cannot keep prepared statements)."
        )
    if _prepare:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["server_side_binding"] = True
        _options["prepare_threshold"] = int(_prepare)

# A read replica (docs/DEPLOYMENT.md): when set, config/db_router.py sends the reads of GET
# and HEAD requests there, and everything else (writes, reads after a write, other methods,
# transactions, commands, migrations) to the primary above.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["replica"]["ENGINE"] = "kraftsenter.core.sqlite"  # as the primary's
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests use one database
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]

# Behind PgBouncer in transaction mode (docs/DEPLOYMENT.md): server-side cursors, which
# Django uses for .iterator() querysets on PostgreSQL, do not survive a pooler that hands the
# connection to another client between transactions.
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    # Refuses every password (the admin's login too) when KRAFTSENTER_PASSWORD_LOGIN=0.
    "kraftsenter.accounts.oidc.PasswordLoginSwitch",
    # Django's ModelBackend, with the session's user read in one plain query (issue 14).
    "kraftsenter.accounts.backends.ModelBackend",
    # ID-porten and Ansattporten (OpenID Connect, docs/login.md): called by the login views only.
    "kraftsenter.accounts.oidc.OidcBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# --- Login with ID-porten and Ansattporten (OpenID Connect; docs/login.md) -----------------------
# A provider is offered on the login page when its client id and issuer are set. Issuers:
# ID-porten https://test.idporten.no (test) / https://idporten.no (production); Ansattporten
# https://test.ansattporten.no (test) / https://ansattporten.no (production). Endpoints and
# keys come from the issuer's /.well-known/openid-configuration (cached).
KRAFTSENTER_OIDC_PROVIDERS = {
    "idporten": {
        "client_id": os.environ.get("KRAFTSENTER_IDPORTEN_CLIENT_ID", ""),
        "client_secret": os.environ.get("KRAFTSENTER_IDPORTEN_CLIENT_SECRET", ""),
        "issuer": os.environ.get("KRAFTSENTER_IDPORTEN_ISSUER", ""),
        "acr_values": os.environ.get("KRAFTSENTER_IDPORTEN_ACR", "idporten-loa-substantial"),
        "scopes": os.environ.get("KRAFTSENTER_IDPORTEN_SCOPES", "openid profile"),
    },
    "ansattporten": {
        "client_id": os.environ.get("KRAFTSENTER_ANSATTPORTEN_CLIENT_ID", ""),
        "client_secret": os.environ.get("KRAFTSENTER_ANSATTPORTEN_CLIENT_SECRET", ""),
        "issuer": os.environ.get("KRAFTSENTER_ANSATTPORTEN_ISSUER", ""),
        "acr_values": os.environ.get("KRAFTSENTER_ANSATTPORTEN_ACR", "substantial"),
        "scopes": os.environ.get("KRAFTSENTER_ANSATTPORTEN_SCOPES", "openid profile"),
        # The Altinn resource whose reportees (organisations) the employee may act for.
        "altinn_resource": os.environ.get("KRAFTSENTER_ANSATTPORTEN_RESOURCE", ""),
    },
}
# Seconds the providers' discovery documents and keys are cached; HTTP timeout of each call.
KRAFTSENTER_OIDC_CACHE_SECONDS = int(os.environ.get("KRAFTSENTER_OIDC_CACHE_SECONDS", "3600"))
OIDC_TIMEOUT = float(os.environ.get("KRAFTSENTER_OIDC_TIMEOUT", "10"))
# The person identifier (pid) is stored only as HMAC-SHA256 under this key (default: derived
# from DJANGO_SECRET_KEY; set it so that a new secret key keeps people's accounts) unless
# KRAFTSENTER_OIDC_STORE_PID=1 keeps the number itself too.
KRAFTSENTER_OIDC_PID_KEY = os.environ.get("KRAFTSENTER_OIDC_PID_KEY", "")
KRAFTSENTER_OIDC_STORE_PID = env_bool("KRAFTSENTER_OIDC_STORE_PID", False)
# Authorization code flow with PKCE (S256), state and nonce (mozilla-django-oidc's settings).
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_RP_SIGN_ALGO = "RS256"
# Local user names and passwords (the demo; installations without the national services).
# KRAFTSENTER_PASSWORD_LOGIN=0 hides the form and the password pages refuse.
KRAFTSENTER_PASSWORD_LOGIN = env_bool("KRAFTSENTER_PASSWORD_LOGIN", True)

# Login throttling: five failed attempts for one user name from one address lock that pair
# out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("KRAFTSENTER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("KRAFTSENTER_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

EMAIL_BACKEND = os.environ.get(
    "KRAFTSENTER_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("KRAFTSENTER_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KRAFTSENTER_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KRAFTSENTER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KRAFTSENTER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KRAFTSENTER_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KRAFTSENTER_EMAIL_FROM", "Kraftsenter <noreply@localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Norwegian bokmål first, then nynorsk, Northern Sami and English (docs/languages.md). Source
# strings are English (msgid); the catalogues live in locale/<code> and are compiled by `make`
# (compilemessages). Each language is named in its own language: that is what the switch shows.
# A string the Northern Sami (or nynorsk) catalogue lacks falls back to bokmål, not English.
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("se", "Davvisámegiella"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: Northern Sami has no format module in Django, ours is in
# kraftsenter/core/formats/se (nb, nn and en come from Django).
FORMAT_MODULE_PATH = ["kraftsenter.core.formats"]
# Django knows nb, nn and en, not Northern Sami: its name for get_language_info and the switch.
LANG_INFO.setdefault(
    "se",
    {
        "bidi": False,
        "code": "se",
        "name": "Northern Sami",
        "name_local": "davvisámegiella",
    },
)
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    (
        "vendor/designsystemet",
        BASE_DIR / "node_modules" / "@digdir" / "designsystemet-css" / "dist",
    ),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The design system's typeface, self-hosted (no request leaves the site for a font).
    ("vendor/inter", BASE_DIR / "node_modules" / "@fontsource-variable" / "inter"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env_bool("KRAFTSENTER_STATIC_FINDERS", True)

# Django's database sessions, read with one plain query (kraftsenter/accounts/sessions.py).
SESSION_ENGINE = "kraftsenter.accounts.sessions"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("KRAFTSENTER_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/security.md). On by default outside debug, like the secure cookies: a site
# served over plain HTTP on localhost (the benchmark, the fuzzer) turns all of them off with
# KRAFTSENTER_SECURE_COOKIES=0, and each can be set on its own.
SECURE_SSL_REDIRECT = env_bool("KRAFTSENTER_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = int(
    os.environ.get("KRAFTSENTER_HSTS_SECONDS", "") or (31_536_000 if SESSION_COOKIE_SECURE else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KRAFTSENTER_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KRAFTSENTER_HSTS_PRELOAD", False)


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` (meaning ``=https``) or ``X-Forwarded-Ssl=on``: the header a
    reverse proxy sets on requests that reached it over HTTPS, as Django's META name."""
    name, _, expected = value.partition("=")
    if not name.strip():
        return None
    meta = "HTTP_" + name.strip().upper().replace("-", "_")
    return meta, expected.strip() or "https"


# Only behind a proxy that sets the header on every request and strips it from clients'.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("KRAFTSENTER_PROXY_SSL_HEADER", ""))

# Checks of `check --deploy` that are off on purpose, each with its reason:
SILENCED_SYSTEM_CHECKS: list[str] = []
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preloading. Preloading puts the domain, and with it every
    # subdomain, on the browsers' built-in HTTPS-only list; leaving it takes months. That is
    # the domain owner's decision (a municipality's domain carries other services), so it is
    # off unless KRAFTSENTER_HSTS_PRELOAD=1 says it was made.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KRAFTSENTER_LOG_LEVEL", "WARNING")},
}

# --- Kraftsenter -------------------------------------------------------------------------------

# The model that gives users their role per organisation (core asks it; it imports no app).
KRAFTSENTER_MEMBERSHIP_MODEL = "actors.Membership"

# A directory in the documented import format (docs/import-format.md). When set, `make demo`
# loads the whole country from it instead of asking the official sources.
KRAFTSENTER_DATA_DIR = os.environ.get("KRAFTSENTER_DATA_DIR", "")

# The consolidated statute texts every legal citation is checked against (docs/legal-citations.md).
KRAFTSENTER_LAWS_DIR = os.environ.get(
    "KRAFTSENTER_LAWS_DIR", str(BASE_DIR.parent / "shared" / "laws")
)

# Official sources. Every address is configurable; see docs/import-format.md.
KRAFTSENTER_SOURCES = {
    "klass": os.environ.get("KRAFTSENTER_KLASS_URL", "https://data.ssb.no/api/klass/v1/"),
    "pxweb": os.environ.get("KRAFTSENTER_PXWEB_URL", "https://data.ssb.no/api/pxwebapi/v2/"),
    "kommuneinfo": os.environ.get(
        "KRAFTSENTER_KOMMUNEINFO_URL", "https://ws.geonorge.no/kommuneinfo/v1/"
    ),
    "emissions": os.environ.get(
        "KRAFTSENTER_EMISSIONS_URL",
        "https://www.miljodirektoratet.no/globalassets/netttjenester/klimagassutslipp-kommuner/"
        "utslippsstatistikk_alle_kommuner.xlsx",
    ),
    "boundaries": os.environ.get(
        "KRAFTSENTER_BOUNDARIES_URL",
        "https://nedlasting.geonorge.no/geonorge/Basisdata/Kommuner/GeoJSON/"
        "Basisdata_0000_Norge_4258_Kommuner_GeoJSON.zip",
    ),
}
KRAFTSENTER_SOURCES_TIMEOUT = float(os.environ.get("KRAFTSENTER_SOURCES_TIMEOUT", "10"))
# Retries of a transient failure (connection error, timeout, 408, 429, 5xx) per request to an
# official source, after Retry-After or a 1-2-4 s backoff (places/importers/throttle.py).
KRAFTSENTER_SOURCES_RETRIES = int(os.environ.get("KRAFTSENTER_SOURCES_RETRIES", "3"))
# Enhetsregisteret's open API (Brønnøysundregistrene): the organisation lookup and
# `kraftsenter sync_organisations` (docs/enhetsregisteret.md). Timeout: the one above.
KRAFTSENTER_BRREG_URL = os.environ.get(
    "KRAFTSENTER_BRREG_URL", "https://data.brreg.no/enhetsregisteret/api/"
)

# Absolute links in e-mails (digests, password reset use the request's host instead).
KRAFTSENTER_SITE_URL = os.environ.get("KRAFTSENTER_SITE_URL", "")

# The small-town region whose key figures the start page shows (its short name in addresses,
# e.g. "hamarregionen"); empty: the demo's region if it exists, else the first by name.
KRAFTSENTER_HOME_REGION = os.environ.get("KRAFTSENTER_HOME_REGION", "")

# Who publishes the open-data catalogue (/api/v1/catalog, DCAT-AP-NO; docs/open-data.md): the
# operator's name and organisation number, and the address harvesters and users write to.
KRAFTSENTER_PUBLISHER_NAME = os.environ.get("KRAFTSENTER_PUBLISHER_NAME", "")
KRAFTSENTER_PUBLISHER_ORGNR = os.environ.get("KRAFTSENTER_PUBLISHER_ORGNR", "").replace(" ", "")
KRAFTSENTER_CONTACT_EMAIL = os.environ.get("KRAFTSENTER_CONTACT_EMAIL", "")

# Days the security log (failed logins, tokens, roles, passwords; /konto/sikkerhetslogg/)
# keeps an entry; `kraftsenter prune_security_log` (daily, from cron) deletes older ones.
KRAFTSENTER_SECURITY_LOG_DAYS = int(os.environ.get("KRAFTSENTER_SECURITY_LOG_DAYS", "365"))

# Only for `make bench`: exposes the bare "floor" view the benchmark compares against.
KRAFTSENTER_BENCH = env_bool("KRAFTSENTER_BENCH", False)

NINJA_PAGINATION_PER_PAGE = 50

# The API's rate limit per client address (anonymous) and per user or token ("300/m",
# "10000/d"; empty: no limit). A request past it answers 429 with Retry-After.
KRAFTSENTER_API_RATE_ANONYMOUS = os.environ.get("KRAFTSENTER_API_RATE_ANONYMOUS", "300/m")
KRAFTSENTER_API_RATE_AUTHENTICATED = os.environ.get("KRAFTSENTER_API_RATE_AUTHENTICATED", "1200/m")

# Browser clients on other sites may read the API (GET) from these origins, comma-separated:
# "https://kart.example.no,https://data.example.no". Writes are never allowed cross-origin.
CORS_ALLOWED_ORIGINS = env_list("KRAFTSENTER_CORS_ORIGINS", "")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "Location",
    "Retry-After",
    "X-Request-ID",
)

# Anonymous reads are served from a per-process cache keyed on the newest import and change
# (kraftsenter/core/cache.py); KRAFTSENTER_PAGE_CACHE=0 turns it off.
KRAFTSENTER_PAGE_CACHE = env_bool("KRAFTSENTER_PAGE_CACHE", True)
# The default cache holds the API rate-limit counts, the feedback limit, log throttling and
# the OIDC discovery documents: per process unless KRAFTSENTER_SHARED_CACHE=database, which
# keeps them in the database's cache table for all nodes (docs/DEPLOYMENT.md; the table is
# made by `kraftsenter createcachetable`, which each deploy runs after migrate).
KRAFTSENTER_SHARED_CACHE = os.environ.get("KRAFTSENTER_SHARED_CACHE", "").strip().lower()
if KRAFTSENTER_SHARED_CACHE not in ("", "database"):
    raise ImproperlyConfigured(
        f"KRAFTSENTER_SHARED_CACHE={KRAFTSENTER_SHARED_CACHE!r}: use 'database' or leave it unset."
    )
_DEFAULT_CACHE = (
    {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kraftsenter_cache",
    }
    if KRAFTSENTER_SHARED_CACHE == "database"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)
CACHES = {
    "default": _DEFAULT_CACHE,
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kraftsenter-pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
