"""Django settings, read from the environment that :class:`tinymlkit.platform.config.PlatformConfig` exports."""

import os
from pathlib import Path

import dj_database_url

from tinymlkit.platform.config import PlatformConfig, secret_key

CONFIG = PlatformConfig.from_env()
DATA_DIR = CONFIG.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)  # database, queue, secret key: for this account only
(DATA_DIR / "static").mkdir(exist_ok=True)
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = os.environ.get("TINYML_DEBUG") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("TINYML_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TINYML_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "tinymlkit.platform.accounts",
    "tinymlkit.platform.courses",
    "tinymlkit.platform.grading",
    "tinymlkit.platform.forum",
    "tinymlkit.platform.chat",
    "tinymlkit.platform.showcase",
    "tinymlkit.platform.competition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tinymlkit.platform.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
ASGI_APPLICATION = "tinymlkit.platform.asgi.application"

if CONFIG.database_url:
    # A connection pool per process (psycopg's): under ASGI, persistent per-thread connections would pile up.
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("TINYML_DB_POOL", "10")),
            "timeout": 20,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "platform.sqlite3",
            # WAL lets readers run while the worker writes; wait for locks rather than fail.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The task queue: Huey on SQLite by default, on Redis when REDIS_URL is set (workers on other machines).
HUEY_NAME = os.environ.get("TINYML_QUEUE_NAME", "tinyml-platform")
if CONFIG.redis_url:
    HUEY = {"huey_class": "huey.RedisHuey", "name": HUEY_NAME, "url": CONFIG.redis_url, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": HUEY_NAME,
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {"workers": int(os.environ.get("TINYML_WORKERS", "1")), "worker_type": "thread"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "catalogue"

# E-mail: files in the data folder by default (password reset links land there); SMTP by configuration.
if os.environ.get("TINYML_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["TINYML_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("TINYML_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("TINYML_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("TINYML_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("TINYML_SMTP_TLS", "1") == "1"
elif os.environ.get("TINYML_EMAIL") == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("TINYML_FROM_EMAIL", "tinyml-platform@localhost")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serves the package's assets even before collectstatic has run
WHITENOISE_MAX_AGE = 3600
# Uploads are kept in the database (text notebooks), never under the web root.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
SUBMISSION_MAX_BYTES = int(os.environ.get("TINYML_SUBMISSION_MAX_KB", "1024")) * 1024
# Competition models (.tflite) are kept in the database too; each challenge may set a lower limit.
COMPETITION_MAX_BYTES = int(os.environ.get("TINYML_COMPETE_MAX_KB", "2048")) * 1024

# Sessions are read from a per-process cache and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Community (forum, chat, showcase): posts allowed per user in a sliding window (most, seconds); staff are exempt.
COMMUNITY_RATE_LIMITS = {
    "forum": (int(os.environ.get("TINYML_FORUM_POSTS", "6")), int(os.environ.get("TINYML_FORUM_WINDOW_S", "300"))),
    "chat": (int(os.environ.get("TINYML_CHAT_MESSAGES", "10")), int(os.environ.get("TINYML_CHAT_WINDOW_S", "30"))),
    "showcase": (int(os.environ.get("TINYML_SHOWCASE_POSTS", "5")), 3600),
}

# The chat's channel layer: in this process by default (one web process), Redis when REDIS_URL is set.
if CONFIG.redis_url:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CONFIG.redis_url], "prefix": f"{HUEY_NAME}-chat"},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
