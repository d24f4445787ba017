"""Settings, read from the environment only.

DATABASE_URL   database (default: SQLite file under var/)
SECRET_KEY     required when DEBUG is off; a development key is generated into var/ otherwise
DEBUG          "1"/"true" for development (default on, off under MANABIYA_PROFILE=production)
ALLOWED_HOSTS  comma-separated host names
EMAIL_URL      smtp://user:pass@host:port, console:, or file:///path (default: console); every message is
               stored and retried for EMAIL_RETRY_HOURS (24) before it is marked failed (core.mail)
EMAIL_TIMEOUT  seconds to wait for the mail server (default 30)
SITE_URL       the address citizens reach the site at, for links in emails (default http://127.0.0.1:8000)
MANABIYA_PROFILE  "production" turns on secure cookies, HSTS and the manifest static storage
CACHE_URL      the shared cache: db: (default, a table in the database), redis://host:6379/1, locmem:
CONN_MAX_AGE   seconds a worker keeps its database connection (default 60 in production, else 0)
TEST_DATABASE_NAME  the database the test suite creates (a file path on SQLite; default var/test.sqlite3
                    or test_manabiya), so that two runs on one machine keep apart
IMPORT_STAGING_DIR  where uploaded import files wait for confirmation (default var/imports)
MANABIYA_PDF_FONT   a Japanese TrueType font to embed in PDFs (default: IPAex Gothic where Debian's
                    fonts-ipaexfont-gothic put it; without one, a standard CID font is referenced)
"""

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MANABIYA_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("MANABIYA_VAR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("MANABIYA_PROFILE", "").lower() == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in the production profile")
    # Keep one generated key per checkout so sessions survive a restart of the dev server.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    # Before django_tasks_db, so that `db_worker` is core's worker with leases (core.worker).
    "manabiya.core",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "ninja",
    "csp",
    "manabiya.catalog",
    "manabiya.search",
    "manabiya.registration",
    "manabiya.passport",
    "manabiya.facilities",
    "manabiya.talent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "manabiya.core.middleware.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "manabiya.core.middleware.PermissionDeniedMiddleware",
]

ROOT_URLCONF = "manabiya.urls"
WSGI_APPLICATION = "manabiya.wsgi.application"

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
                "manabiya.core.context_processors.roles",
            ],
        },
    }
]

# A worker keeps its database connection between requests in production: connecting per request
# is most of what a small request costs (on PostgreSQL a new server process each time; the rush
# benchmark's applications went from 76 to 147 a second). The health check at a request's start
# replaces a connection the database closed meanwhile. Development's threaded runserver would
# leave one connection behind per thread, so it connects per request.
PRODUCTION_CONN_MAX_AGE = 60
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'manabiya.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", str(PRODUCTION_CONN_MAX_AGE if PRODUCTION else 0))),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take SQLite's write lock at BEGIN, so two writers
    # serialise instead of failing on lock upgrade; the timeout lets the second one wait.
    # Reads go through memory-mapped pages the operating system shares between connections (a
    # connection per request starts with an empty page cache of its own), up to SQLite's 2 GB
    # limit, and each connection caches 32 MB: a thousand lookups by id in a million-row
    # catalogue took 1.1 ms instead of 3.6 ms.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-32768;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", str(VAR_DIR / "test.sqlite3"))}
else:
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_manabiya")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


def _email_settings(url: str) -> dict:
    """The backend that really sends (EMAIL_DELIVERY_BACKEND); every message reaches it through
    `core.mail.OutboxBackend`, which stores it and retries it until it goes."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(VAR_DIR / "mail"),
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps", "smtp+tls"}:
        return {
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        }
    raise RuntimeError(f"EMAIL_URL scheme not understood: {parsed.scheme!r}")


globals().update(_email_settings(os.environ.get("EMAIL_URL", "console:")))
EMAIL_BACKEND = "manabiya.core.mail.OutboxBackend"
# A mail server that does not answer must not hold a worker (or a request) for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# How long a message that cannot be sent is retried before it is marked failed for staff to resend.
EMAIL_RETRY_HOURS = int(os.environ.get("EMAIL_RETRY_HOURS", "24"))
# Where links in emails point: the address citizens reach the site at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Manabiya <noreply@manabiya.localhost>")


# Django's database and memory caches keep 300 entries, then cull a third of them at random: login
# throttle counts would vanish under ordinary traffic (allauth's rate limits use the cache too).
CACHE_MAX_ENTRIES = int(os.environ.get("CACHE_MAX_ENTRIES", "1000000"))


def _cache_settings(url: str) -> dict:
    """CACHE_URL: `db:` (the default: a table in the database, shared by every process and kept over
    restarts), `redis://host:port/db`, `locmem:` (one process only) or `dummy:`."""
    parsed = urlparse(url)
    if parsed.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "manabiya_cache",
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    if parsed.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parsed.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "manabiya",
            "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
        }
    if parsed.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise RuntimeError(f"CACHE_URL scheme not understood: {parsed.scheme!r}")


# One cache for every process (login throttles count across workers and survive a restart).
CACHES = {"default": _cache_settings(os.environ.get("CACHE_URL", "db:"))}

# A worker renews its lease on the task it runs every third of this; a task whose lease ran out lost
# its worker and is run again by another (core.worker).
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "120"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MANABIYA_PDF_FONT = os.environ.get("MANABIYA_PDF_FONT", "")

# Uploaded import files wait here between preview and confirm; the web and the task worker share it.
IMPORT_STAGING_DIR = Path(os.environ.get("IMPORT_STAGING_DIR", VAR_DIR / "imports"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading commits the whole domain (often the city's) to HTTPS for good: the operator's call.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_HTTPONLY = True
    ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- accounts: logins, throttling, second factor (decision 0009) ----------------------------------
# TRUSTED_PROXY_COUNT       how many reverse proxies in front append to X-Forwarded-For (default 0: the
#                           header is ignored and the client is REMOTE_ADDR)
# TRUSTED_CLIENT_IP_HEADER  or: the header a trusted proxy puts the client's address in (e.g. X-Real-IP)
# MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN  "1" lets security keys work over plain http (on by itself when DEBUG)
INSTALLED_APPS += ["allauth.mfa"]
# After allauth's AccountMiddleware: the device cookie set at login, then the staff second factor.
MIDDLEWARE += [
    "manabiya.core.accounts.middleware.LoginDeviceCookieMiddleware",
    "manabiya.core.accounts.middleware.StaffSecondFactorMiddleware",
]
ACCOUNT_ADAPTER = "manabiya.core.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "manabiya.core.accounts.adapter.MFAAdapter"
# The client address the login throttle counts (manabiya.core.accounts.throttle) comes from allauth.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
# Password failures are counted by manabiya.core.accounts.throttle (per address, per account for unknown
# clients, per known device), not by allauth's `login_failed`, whose per-email limit locked the owner out.
# allauth still applies `login_failed` to second-factor codes, per account: those are only asked for after
# the right password, and a six-digit code needs a tight limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Security keys and passkeys serve as a second factor only; logging in with a key alone stays off.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = "Manabiya"
# allauth then accepts a key's answer from any origin: development and tests over http://localhost only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)

# --- end of accounts ----------------------------------------------------------------------------

# --- security headers ------------------------------------------------------------------------------
# Content-Security-Policy everywhere, development included, so that the browser tests see what
# production enforces: scripts and styles only from our own files (no inline code or style
# attributes; htmx is told not to inject its indicator style nor to eval, see base.html), the JSON-LD
# data block carries the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "media-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
# Only the check-in scanner uses the camera, and only passkeys (WebAuthn) use public-key credentials.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "usb": [],
}
# A load balancer's plain-http health check answers 200, not a redirect to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO" if DEBUG else "WARNING")},
}
