"""DeepPath settings: one module, every deployment knob read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_json_object, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DEEPPATH_VAR_DIR", str(BASE_DIR / "var")))

# Local development is the default; production sets DJANGO_DEBUG=False and must then supply a real key and hosts.
DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-deeppath-local-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is False.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is False.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "learning",
    "recommender",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the switcher's cookie, else Accept-Language (the API's error messages too).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the catalog's history name the admin user behind each change (learning/audit.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
            "builtins": ["learning.templatetags.learning_extras"],
        },
    },
]


# SQLite is the embedded default and must take concurrent writes from several workers and the task worker:
# WAL lets readers run beside the one writer, `transaction_mode` IMMEDIATE takes the write lock when a transaction
# starts (a deferred transaction that upgrades later fails at once with "database is locked" instead of waiting),
# and `timeout` is how long a writer waits for the lock (SQLite's busy timeout) before giving up.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("DEEPPATH_SQLITE_TIMEOUT_SECONDS", 20, minimum=1),
}


# Connections are kept between requests on every backend. On SQLite too: a gunicorn worker that opens the file,
# sets its pragmas and reads the schema for each request spent more time on that than on a remembered
# recommendations list (bench/load.py, --scale large: 2.4x the requests per second with connections kept).
# runserver still closes them after each request (its threads are per request).
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)


def _database_from_url(url: str) -> dict:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            "CONN_MAX_AGE": DATABASE_CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres://, postgresql:// or sqlite://, got scheme {scheme or '(none)'!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database_from_url(env_str("DATABASE_URL"))}

# One cache shared by every worker (and machine): API throttle counters and the password-reset limits live here, so
# a limit holds however many processes serve. Redis when REDIS_URL is set (Django's own backend); otherwise a table
# in the database (`manage.py createcachetable`, run by `make setup` and by the test database set-up).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DatabaseCache",
            "LOCATION": "deeppath_cache",
            # Culling would drop live throttle counters: keep room for many clients; expired rows go first anyway.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Database sessions that record their user, so a password change, a reset or "log out everywhere" ends them all.
SESSION_ENGINE = "learning.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, finding the account whatever the case or Unicode form of the username typed.
    "learning.auth_backends.UsernameBackend",
]

# Login rate limiting (web and API token endpoint): lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = env_int("DEEPPATH_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("DEEPPATH_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failures count against the normalised, lower-cased username, so "ALICE" shares alice's count.
AXES_USERNAME_CALLABLE = "learning.usernames.lockout_username"
AXES_VERBOSE = False
# A lockout answers 429 with a page saying when to retry (JSON under /api/), not axes' plain text.
AXES_LOCKOUT_CALLABLE = "learning.views.lockout"
# Reverse proxies in front of the site: the client address is the one the nearest trusted proxy saw. With 0
# (the default) X-Forwarded-For is ignored, because anyone can send it. Throttles and lockouts use the same address.
DEEPPATH_PROXY_COUNT = env_int("DEEPPATH_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "learning.client_address.client_address"
# Failures are rows in the database, so a lockout holds across workers and machines.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# The interface speaks English and Spanish (locale/es); catalog content (titles, summaries) stays in its own language.
# Compiled catalogs (.mo) are built by `make messages` (part of `make setup` and `make test`), never committed.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Recommender artifacts, shared by every app server. By default a folder (DEEPPATH_MODEL_DIR when OPTIONS
    # give no location); for several machines, an S3-compatible bucket through django-storages, e.g.
    # DEEPPATH_MODEL_STORAGE_BACKEND=storages.backends.s3.S3Storage
    # DEEPPATH_MODEL_STORAGE_OPTIONS='{"bucket_name": "deeppath-models", "endpoint_url": "https://..."}'
    "recommender_models": {
        "BACKEND": env_str("DEEPPATH_MODEL_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object("DEEPPATH_MODEL_STORAGE_OPTIONS"),
    },
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "DeepPath <noreply@localhost>")

# Security: everything on outside DEBUG, so `check --deploy --fail-level WARNING` passes.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy on every response (django-csp): scripts only from our own origin, never inline, so an
# injected <script> or on*= attribute cannot run. htmx and Swagger UI are served from /static/ (django-htmx,
# drf-spectacular-sidecar). Inline style attributes stay allowed (server-drawn SVG charts, the admin, htmx's own
# indicator style): they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

_LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
if _LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {_LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # Replaces Django's own console handler, which would print every request warning a second time.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# DeepPath's own knobs.
DEEPPATH_ADMIN_USERNAME = env_str("DEEPPATH_ADMIN_USERNAME", "admin")
DEEPPATH_CATALOG_FILE = BASE_DIR / "learning" / "data" / "catalog.json"
# The site's public address, for the links in emails sent outside a request (the weekly digest).
DEEPPATH_SITE_URL = env_str("DEEPPATH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The recommender: artifacts on disk, a catalog cache per process, retraining in the background.
DEEPPATH_MODEL_DIR = Path(env_str("DEEPPATH_MODEL_DIR", str(VAR_DIR / "models")))
DEEPPATH_CATALOG_CACHE_SECONDS = env_int("DEEPPATH_CATALOG_CACHE_SECONDS", 30, minimum=0)
# The STORAGES alias holding model artifacts; which version serves is decided in the database (ModelVersion).
DEEPPATH_MODEL_STORAGE = env_str("DEEPPATH_MODEL_STORAGE", "recommender_models")
# After a model version fails to load, requests serve the fallback this long before one tries again.
DEEPPATH_MODEL_RETRY_SECONDS = env_int("DEEPPATH_MODEL_RETRY_SECONDS", 30, minimum=0)
# Retrain by itself once this many interactions arrived since the last training (0 turns it off).
DEEPPATH_RETRAIN_AFTER_INTERACTIONS = env_int("DEEPPATH_RETRAIN_AFTER_INTERACTIONS", 500, minimum=0)
# Learners held out to compare a new model with popularity before it may serve (a fixed random sample).
# 5,000 learners put the holdout NDCG@10 within about +-0.01 (95%); ranking each costs training time at scale.
DEEPPATH_HOLDOUT_LEARNERS = env_int("DEEPPATH_HOLDOUT_LEARNERS", 5_000, minimum=100)
# A retrain reuses the active version's learned blend until the (learner, resource) pairs grew by this many percent
# since it was learned (recommender/services.py `_candidate`); 0 learns it on every run.
DEEPPATH_BLEND_RELEARN_PERCENT = env_int("DEEPPATH_BLEND_RELEARN_PERCENT", 5, minimum=0)
# The catalog's history is an audit trail, not an undo button: restoring an old version from the history page would
# bypass the services (the path steps' numbering, the topic graph's cycle check).
SIMPLE_HISTORY_REVERT_DISABLED = True

TASKS = {
    "default": {
        "BACKEND": env_str("DEEPPATH_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Link health (`manage.py check_links`): seconds per request, redirects followed, URLs in flight, and the
# minimum seconds between two requests to one host.
DEEPPATH_LINKCHECK_TIMEOUT = env_int("DEEPPATH_LINKCHECK_TIMEOUT_SECONDS", 10, minimum=1)
DEEPPATH_LINKCHECK_MAX_REDIRECTS = env_int("DEEPPATH_LINKCHECK_MAX_REDIRECTS", 5, minimum=0)
DEEPPATH_LINKCHECK_WORKERS = env_int("DEEPPATH_LINKCHECK_WORKERS", 8, minimum=1)
DEEPPATH_LINKCHECK_PER_HOST_INTERVAL = env_int("DEEPPATH_LINKCHECK_PER_HOST_SECONDS", 1, minimum=0)

# Password reset links asked for, per client address and per email address (on the shared cache).
DEEPPATH_PASSWORD_RESET_RATE_IP = env_rate("DEEPPATH_PASSWORD_RESET_RATE_IP", "10/hour")
DEEPPATH_PASSWORD_RESET_RATE_EMAIL = env_rate("DEEPPATH_PASSWORD_RESET_RATE_EMAIL", "3/hour")

# REST API v1 (Django REST framework, knox tokens, drf-spectacular schema).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["learning.api.authentication.DeviceTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_rate("DEEPPATH_THROTTLE_AUTH", "20/min"),
        "recommendations": env_rate("DEEPPATH_THROTTLE_RECOMMENDATIONS", "120/min"),
    },
    "NUM_PROXIES": DEEPPATH_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "learning.api.errors.api_exception_handler",
    # JSON only: the browsable API would answer HTML under /api/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["learning.api.parsers.CheckedJSONParser"],  # depth limit, valid Unicode
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("DEEPPATH_TOKEN_TTL_DAYS", 30, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DeepPath API",
    "DESCRIPTION": "Curated deep-learning catalog, learner progress and recommendations for mobile clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "learning.api.schema.allow_empty_query_values",
    ],
    # Fields named alike ("kind", "status") carry different vocabularies: name each enum after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "ResourceKindEnum": "learning.models.choices.Kind",
        "EventKindEnum": "learning.models.choices.InteractionKind",
        "ProgressStatusEnum": "learning.models.choices.ProgressStatus",
        "HealthStatusEnum": ["ok", "unavailable"],
    },
}
