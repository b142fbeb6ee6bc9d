"""ISF settings: one module, configured from the environment (ISF_*, DATABASE_URL).

Defaults give a working single-machine install (SQLite next to the code, DEBUG off unless
ISF_DEBUG=1); production sets ISF_SECRET_KEY, ISF_ALLOWED_HOSTS and DATABASE_URL. Without
ISF_SECRET_KEY the demo key is used, and the web server refuses to start unless ISF_DEBUG=1
(isf.core.security.require_own_secret_key); commands, the demo and the tests run without one.
"""

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_str
from isf.core.security import DEMO_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent
# The shared templates, static files and messages: at the root of a checkout, or in config/share of an installed
# package (`pip install .`; setup.py puts them there with the messages compiled).
_INSTALLED_SHARE = Path(__file__).resolve().parent / "share"
SHARE_DIR = _INSTALLED_SHARE if _INSTALLED_SHARE.is_dir() else BASE_DIR
DATA_DIR = Path(env_str("ISF_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, uploads and static files live here

DEBUG = env_bool("ISF_DEBUG", False)
# The demo key only serves development, the demo and the tests: config/wsgi.py and config/asgi.py refuse to
# serve with it unless ISF_DEBUG=1, and `check --deploy` reports it.
SECRET_KEY = env_str("ISF_SECRET_KEY", "") or DEMO_SECRET_KEY
ALLOWED_HOSTS = env_list("ISF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("ISF_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "simple_history",
    "axes",
    "django_tasks_db",
    "isf.core",
    "isf.org",
    "isf.customers",
    "isf.segmentation",
    "isf.lifecycle",
    "isf.planning",
    "isf.visits",
    "isf.calls",
    "isf.service",
    "isf.monitoring",
    "isf.campaigns",
    "isf.capacity",
    "isf.reviews",
    "isf.targets",
    "isf.imports",
    "isf.references",
    "isf.api",
    "isf.demo",
]

MIDDLEWARE = [
    "isf.core.observability.RequestIdMiddleware",
    "isf.core.observability.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "isf.core.params.QueryTextMiddleware",
    "isf.core.access.RoleAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "isf.core.security.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SHARE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.navigation",
            ],
            # dates, weeks and amounts in the page language on every page (issue 21)
            "builtins": ["isf.core.templatetags.isf_format"],
        },
    }
]

# --- database -------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{DATA_DIR / 'isf.sqlite3'}"
# Health checks: a kept connection that broke (database restart) is replaced at the next request, not failed once.
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite), conn_max_age=60,
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while the worker writes; IMMEDIATE takes the write lock at BEGIN,
    # so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("ISF_PG_PREPARED", True):
    # Server-side parameters let psycopg prepare a statement after its fifth use on a connection: the hot reads
    # (customer screen, work queue) then skip PostgreSQL's parse and plan on every request (about 6 ms of the
    # customer screen). Switch off (ISF_PG_PREPARED=0) behind a transaction-pooling PgBouncer.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, docs/architecture.md): failed log-ins lock a user name + client address pair
# after ISF_LOGIN_FAILURE_LIMIT and a client address (all user names together) after
# ISF_LOGIN_ADDRESS_FAILURE_LIMIT, for 15 minutes. Never a user name alone: that would let anyone lock anyone
# out. The client address comes from X-Forwarded-For behind ISF_PROXY_COUNT trusted proxies.
ISF_PROXY_COUNT = env_int("ISF_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "isf.core.security.client_ip"
AXES_HANDLER = "isf.core.login_throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env_int("ISF_LOGIN_FAILURE_LIMIT", 8)
ISF_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ISF_LOGIN_ADDRESS_FAILURE_LIMIT", 24)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_ENABLED = env_bool("ISF_LOGIN_THROTTLE", True)

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [SHARE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "isf_language"
FORMAT_MODULE_PATH = ["isf.core.formats"]  # one date style per language (issue 21)

# --- static files (front-end assets come from npm at setup, never from a CDN) ---------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks into it at start-up (filled by `isf collectstatic`)
STATICFILES_DIRS = [SHARE_DIR / "static"]
_node = BASE_DIR / "node_modules"
for _prefix, _path in [
    ("vendor/pico", _node / "@picocss" / "pico" / "css"),
    ("vendor/chartjs", _node / "chart.js" / "dist"),
]:
    if _path.exists():
        STATICFILES_DIRS.append((_prefix, _path))
# --- files: uploads, error reports, job progress (isf.core.files; docs/operations-data.md) ----------------------
# Every file goes through the storage API (STORAGES["default"]): a directory (ISF_MEDIA_DIR, a shared mount when
# workers run on other machines) or, with ISF_STORAGE=s3, an S3-compatible store (pip install "isf[s3]").
# Static files: with ISF_DEBUG=0 the app serves them itself (WhiteNoise, compressed, cached for ever) under hashed
# names from `isf collectstatic`, so a new release never meets an old CSS or script in a browser; a proxy may still
# serve STATIC_ROOT. In development Django's static view serves the sources unhashed.
MEDIA_ROOT = Path(env_str("ISF_MEDIA_DIR", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
_storage = env_str("ISF_STORAGE", "local")
if _storage not in ("local", "s3"):
    raise ValueError(f"ISF_STORAGE={_storage!r}: choose local or s3")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": MEDIA_ROOT, "file_permissions_mode": 0o600,
                            "directory_permissions_mode": 0o700}}
    if _storage == "local" else
    {"BACKEND": "storages.backends.s3.S3Storage",
     "OPTIONS": {"bucket_name": env_str("ISF_S3_BUCKET", ""), "endpoint_url": env_str("ISF_S3_ENDPOINT_URL", "") or None,
                 "region_name": env_str("ISF_S3_REGION", "") or None, "location": env_str("ISF_S3_PREFIX", ""),
                 "default_acl": "private", "querystring_auth": True, "file_overwrite": True}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Retention (the nightly housekeeping step, isf.core.housekeeping): days after which files and records go.
ISF_RETENTION_UPLOAD_DAYS = env_int("ISF_RETENTION_UPLOAD_DAYS", 90)  # an upload, after its import finished
ISF_RETENTION_ERROR_REPORT_DAYS = env_int("ISF_RETENTION_ERROR_REPORT_DAYS", 90)  # import error reports
ISF_RETENTION_TASK_DAYS = env_int("ISF_RETENTION_TASK_DAYS", 30)  # finished background-task records
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The one upload size limit (isf.core.security.max_upload_bytes): import page, lead import, import jobs.
ISF_UPLOAD_MAX_BYTES = env_int("ISF_UPLOAD_MAX_BYTES", 512 * 1024 * 1024)

# --- background work --------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env_bool("ISF_TASKS_IMMEDIATE", False):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# --- mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("ISF_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ISF_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ISF_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ISF_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("ISF_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ISF_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ISF_EMAIL_FROM", "isf@localhost")

# --- security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS follows ISF_HTTPS alone: on unless ISF_DEBUG=1 or ISF_HTTPS=0 (e.g. a try-out without TLS).
_https = env_bool("ISF_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("ISF_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ISF_BEHIND_PROXY", False) else None

from django.utils.csp import CSP  # noqa: E402

# No inline scripts: every script is a static file. Styles allow inline attributes for
# chart sizing only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# One line per event on stderr (time, level, logger, request id; isf.core.observability), JSON lines with
# ISF_LOG_FORMAT=json. ISF_LOG_LEVEL sets the level (INFO adds the workers' task lines).
_LOG_FORMAT = env_str("ISF_LOG_FORMAT", "text")
if _LOG_FORMAT not in {"text", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"ISF_LOG_FORMAT={_LOG_FORMAT!r} is neither 'text' nor 'json'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "isf.core.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "isf.core.observability.OneLineFormatter"},
        "json": {"()": "isf.core.observability.JsonLineFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": _LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("ISF_LOG_LEVEL", "WARNING")},
    # Django's own handlers would print a second, multi-line copy (e.g. of a wrong Host header): ours only
    "loggers": {
        "django": {"handlers": ["console"], "level": env_str("ISF_LOG_LEVEL", "WARNING"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- ISF business settings ----------------------------------------------------------------
ISF_COMPANY_NAME = env_str("ISF_COMPANY_NAME", "ISF")
ISF_DEFAULT_STATE = env_str("ISF_DEFAULT_STATE", "BY")
ISF_NIGHTLY_LOCK_TIMEOUT = env_int("ISF_NIGHTLY_LOCK_TIMEOUT", 6 * 3600)
# Order-behaviour monitoring keeps the order lines it read in $ISF_DATA_DIR/cache and reads only new ones next time
# (checked against a fingerprint of the stored lines; isf.monitoring.reading). 0 turns the cache off.
ISF_MONITOR_CACHE = env_bool("ISF_MONITOR_CACHE", True)
# Background workers (isf worker, isf.core.workers): a worker beats every ISF_WORKER_HEARTBEAT_SECONDS; one on another
# machine whose last beat is older than ISF_WORKER_STALE_SECONDS is taken for gone and its task recovered (one on
# this machine as soon as its process is gone). The stale time must exceed the longest pause of a beat: on SQLite a
# beat waits while an import holds the write lock.
ISF_WORKER_HEARTBEAT_SECONDS = env_int("ISF_WORKER_HEARTBEAT_SECONDS", 10)
ISF_WORKER_STALE_SECONDS = env_int("ISF_WORKER_STALE_SECONDS", 300)
ISF_LEAD_RETENTION_MONTHS = env_int("ISF_LEAD_RETENTION_MONTHS", 24)
# What inside sales brings in (isf.calls.attribution): the days after a call in which the ERP order of an order
# taken by phone is expected (and matched to the call instead of being counted twice), and the windows of the
# other attribution rules. The rules page (/call/attribution/) shows the values in force.
ISF_PHONE_ORDER_MATCH_DAYS = env_int("ISF_PHONE_ORDER_MATCH_DAYS", 14)
ISF_QUOTE_WON_DAYS = env_int("ISF_QUOTE_WON_DAYS", 60)
ISF_CROSS_SELL_DAYS = env_int("ISF_CROSS_SELL_DAYS", 60)
ISF_WIN_BACK_DAYS = env_int("ISF_WIN_BACK_DAYS", 90)

# The nightly run's steps in dependency order, each with its module (`run(*, today, progress) -> dict`):
# segments (revenue, potential) -> lifecycle phases -> monitoring (at risk) -> contact plans (need segment and phase)
# -> calls -> SLA escalation -> campaigns' retention -> imports' files -> housekeeping. Listed here, in the
# composition layer, so isf/core names no domain app (docs/architecture.md).
ISF_NIGHTLY_STEPS = [
    ("segmentation", "isf.segmentation.nightly"),
    ("lifecycle", "isf.lifecycle.nightly"),
    ("monitoring", "isf.monitoring.nightly"),
    ("planning", "isf.planning.nightly"),
    ("calls", "isf.calls.nightly"),
    ("service", "isf.service.nightly"),
    ("campaigns", "isf.campaigns.nightly"),
    ("imports", "isf.imports.nightly"),
    ("housekeeping", "isf.core.housekeeping"),
]
