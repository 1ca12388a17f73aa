"""Django settings for Yingji.

Every setting that differs between machines comes from an environment variable; the table of
variables is in docs/operations.md. Two modes:

* demo (``YINGJI_MODE=demo``, the default): the embedded deployment — SQLite in WAL mode, the task
  queue in a SQLite file, local-memory cache, no other service. Demo users may exist.
* production (``YINGJI_MODE=production``): ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` are
  required, ``SECRET_KEY`` is required, and the web server refuses to start while demo users exist.
"""

import os
import sys
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

MODE = env.str("YINGJI_MODE", default="demo")
if MODE not in ("demo", "production"):
    raise environ.ImproperlyConfigured("YINGJI_MODE must be 'demo' or 'production'")
DEMO_MODE = MODE == "demo"
TESTING = env.bool("YINGJI_TESTING", default="pytest" in sys.modules)

DATA_DIR = Path(env.str("YINGJI_DATA_DIR", default=str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Production needs SECRET_KEY; the demo keeps a generated one in the data directory."""
    if "SECRET_KEY" in os.environ:
        return os.environ["SECRET_KEY"]
    if not DEMO_MODE:
        raise environ.ImproperlyConfigured("SECRET_KEY must be set in production mode")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "huey.contrib.djhuey",
    "yingji.framework",
    "yingji.audit",
    "yingji.places",
    "yingji.orgs",
    "yingji.accounts",
    "yingji.messaging",
    "yingji.deadlines",
    "yingji.exchange",
    "yingji.risks",
    "yingji.hazards",
    "yingji.checklists",
    "yingji.reports",
    "yingji.resources",
    "yingji.materials",
    "yingji.warnings",
    "yingji.incidents",
    "yingji.duty",
    "yingji.reporting",
    "yingji.dispatch",
    "yingji.dashboard",
    "yingji.demo",
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
    "yingji.audit.middleware.ChangeContextMiddleware",
    "yingji.framework.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "yingji.urls"
WSGI_APPLICATION = "yingji.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yingji" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "yingji.framework.context_processors.platform",
            ],
            "builtins": ["yingji.framework.templatetags.yingji"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite runs in WAL mode with IMMEDIATE transactions so that concurrent writers queue on the
# lock instead of failing half-way; busy_timeout lets them wait up to 20 s.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'yingji.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use an in-memory database; threaded tests (concurrent stock movements) need a file:
    # YINGJI_TEST_DB_FILE=/tmp/yingji-test.sqlite3 (CI runs those tests once that way).
    if env.str("YINGJI_TEST_DB_FILE", default=""):
        DATABASES["default"]["TEST"] = {"NAME": env.str("YINGJI_TEST_DB_FILE")}
else:
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Persistent connections (each web thread keeps its own; opening one costs ~3 ms of CPU per request);
# none in tests, where server threads (browser tests) would otherwise keep sessions open and block
# dropping the test database.
DATABASES["default"].setdefault("CONN_MAX_AGE", 0 if TESTING else env.int("DB_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) serve index-only scans on PostgreSQL; SQLite builds the same index
# without the extra columns, which is correct there, so its warning is not a problem.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env.str("REDIS_URL", default="")
if not DEMO_MODE and not TESTING:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise environ.ImproperlyConfigured("production mode needs DATABASE_URL pointing at PostgreSQL")
    if not REDIS_URL:
        raise environ.ImproperlyConfigured("production mode needs REDIS_URL for the cache and the task queue")

# --- Cache and task queue -------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Huey: a SQLite file on the embedded default, Redis across machines in production. Tests run
# tasks synchronously (immediate mode), the real consumer runs them with retries and schedules.
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "yingji",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env.int("WORKER_THREADS", default=4), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yingji",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env.int("WORKER_THREADS", default=2), "worker_type": "thread"},
    }

# --- Authentication and security ------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_FAILURE_WINDOW_S = env.int("LOGIN_FAILURE_WINDOW_S", default=900)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "yingji" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "yingji" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING
WHITENOISE_AUTOREFRESH = TESTING

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yingji.accounts.authentication.PlatformTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["yingji.framework.api_policy.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "yingji.framework.api_policy.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yingji.framework.api_policy.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env.str("LOGIN_THROTTLE", default="20/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yingji 应急管理综合应用平台 API",
    "DESCRIPTION": "REST API of every Yingji object. Authenticate with `Authorization: Token <token>` "
    "(POST /api/v1/auth/token/) or a browser session.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the app: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CalendarDayKindEnum": "yingji.deadlines.choices.CalendarDayKind",
        "RoleEnum": "yingji.framework.roles.Role",
    },
}

# --- Platform options -----------------------------------------------------------------------
# Optional raster tile URL for maps (e.g. a government Tianditu server inside the network);
# without it maps draw administrative boundaries as vector layers only.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
DEMO_PASSWORD = env.str("YINGJI_DEMO_PASSWORD", default="yingji-demo")
MESSAGING_CHANNELS = env.dict("MESSAGING_CHANNELS", default={})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("LOG_LEVEL", default="WARNING" if TESTING else "INFO"),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
