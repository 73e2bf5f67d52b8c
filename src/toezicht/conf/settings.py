"""Settings for Toezicht: one module, every deploy-time value read from an environment variable.

Run modes differ only by environment variables (see docs/configuration.md); there are no separate
settings modules to keep in step.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from toezicht.conf.env import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

DEBUG = env("TOEZICHT_DEBUG", False, "Debug mode: detailed error pages. Never on in production.", bool)
SECRET_KEY = env(
    "TOEZICHT_SECRET_KEY",
    "dev-only-insecure-key-change-me",
    "Secret for signing sessions and tokens. Must be set to a long random value in production.",
)
ALLOWED_HOSTS = env(
    "TOEZICHT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"], "Comma-separated host names.", list
)
CSRF_TRUSTED_ORIGINS = env(
    "TOEZICHT_CSRF_TRUSTED_ORIGINS", [], "Comma-separated origins (https://…) trusted for CSRF.", list
)
DATA_DIR = Path(
    env("TOEZICHT_DATA_DIR", str(PROJECT_DIR / "var"), "Folder for the SQLite database and uploaded files.")
)

DATABASES = {
    "default": dj_database_url.parse(
        env(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'toezicht.sqlite3'}",
            "Database URL; sqlite:///path (default, embedded) or postgres://user@host:port/name.",
        ),
        conn_max_age=env("TOEZICHT_DB_CONN_MAX_AGE", 60, "Seconds a database connection is reused.", int),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers continue during an import; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "auditlog",
    "axes",
    "toezicht.core",
    "toezicht.register",
    "toezicht.accounts",
    "toezicht.strategy",
    "toezicht.signals",
    "toezicht.indicators",
    "toezicht.risk",
    "toezicht.programme",
    "toezicht.web",
    "toezicht.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toezicht.conf.urls"
WSGI_APPLICATION = "toezicht.conf.wsgi.application"
ASGI_APPLICATION = "toezicht.conf.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "toezicht.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock the username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env("TOEZICHT_LOGIN_FAILURE_LIMIT", 5, "Failed logins before a lock-out.", int)
AXES_COOLOFF_TIME = env("TOEZICHT_LOGIN_COOLOFF_MINUTES", 15, "Minutes a lock-out lasts.", int) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env("TOEZICHT_LOGIN_THROTTLING", True, "Lock out after repeated failed logins.", bool)

# Sessions and cookies: secure by default; plain-http development sets TOEZICHT_SECURE_COOKIES=false.
SECURE_COOKIES = env(
    "TOEZICHT_SECURE_COOKIES", not DEBUG, "Send session and CSRF cookies over HTTPS only.", bool
)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env("TOEZICHT_SESSION_HOURS", 9, "Hours a login session lasts.", int) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env("TOEZICHT_BEHIND_HTTPS_PROXY", False, "Trust X-Forwarded-Proto from the proxy.", bool)
    else None
)
SECURE_HSTS_SECONDS = env("TOEZICHT_HSTS_SECONDS", 0, "HSTS max-age in seconds (set behind HTTPS).", int)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TOEZICHT_TIME_ZONE", "Europe/Amsterdam", "Time zone for display and date boundaries.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = Path(
    env("TOEZICHT_NODE_MODULES", str(PROJECT_DIR / "node_modules"), "Folder with the npm front-end packages.")
)
# Only the built files of each package are exposed, under a stable prefix.
STATICFILES_DIRS = [
    ("vendor/rhc-css", NODE_MODULES / "@rijkshuisstijl-community/components-css/dist"),
    ("vendor/rhc-tokens", NODE_MODULES / "@rijkshuisstijl-community/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env(
    "TOEZICHT_MAX_UPLOAD_MB", 200, "Largest accepted upload (imports) in megabytes.", int
) * (1024 * 1024)

CACHE_URL = env("TOEZICHT_CACHE_URL", "", "Redis URL for the shared cache; empty = in-process memory.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Background work: "inline" runs tasks in the calling process; "celery" sends them to the broker.
TASK_BACKEND = env("TOEZICHT_TASK_BACKEND", "inline", "Task runner: inline or celery.")
CELERY_BROKER_URL = env(
    "TOEZICHT_BROKER_URL", "redis://127.0.0.1:6379/0", "Celery broker (Redis or RabbitMQ amqp://)."
)
CELERY_TASK_ALWAYS_EAGER = TASK_BACKEND == "inline"

# Large signal imports on PostgreSQL check foreign keys once per distinct value and then write with the
# per-row triggers off, when the database role may (ADR 0061). False keeps PostgreSQL's own per-row checks.
IMPORT_FK_CHECKS_PER_VALUE = env(
    "TOEZICHT_IMPORT_FK_CHECKS_PER_VALUE",
    True,
    "Large PostgreSQL imports: check foreign keys per distinct value (needs the replication-role privilege).",
    bool,
)

# Risk snapshots older than this many days are deleted by `toezicht prune_risk_snapshots` and after a
# scheduled recompute, except the newest complete one and the newest complete one of each month.
RISK_SNAPSHOT_KEEP_DAYS = env(
    "TOEZICHT_RISK_SNAPSHOT_KEEP_DAYS",
    90,
    "Days every risk snapshot is kept; older ones only as the last of their month.",
    int,
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["toezicht.accounts.permissions.ApiRolePermission"],
    "DEFAULT_PAGINATION_CLASS": "toezicht.core.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    "EXCEPTION_HANDLER": "toezicht.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "6000/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Toezicht API",
    "DESCRIPTION": "API of Toezicht: register, strategy, signals, indicators, risk and the work programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/web/favicon.svg",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field called "kind"; name their choice sets after the model's own enum.
    "ENUM_NAME_OVERRIDES": {
        "ItemKindEnum": "toezicht.programme.models.ItemKind",
    },
}

PAGE_SIZE = env("TOEZICHT_PAGE_SIZE", 25, "Rows per page in lists.", int)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env("TOEZICHT_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING, ERROR."),
    },
}

# Settings used by tests only: a faster password hasher keeps the suite quick.
if env("TOEZICHT_FAST_PASSWORD_HASHER", False, "Use MD5 hashing (tests only, never in production).", bool):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

INSPECTORATE_NAME = env(
    "TOEZICHT_INSPECTORATE_NAME", "Inspectie Justitie en Veiligheid", "Name of the inspectorate on pages."
)
