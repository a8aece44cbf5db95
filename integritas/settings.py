"""Settings for Integritas, read from environment variables (see the table in README.md).

Defaults work on a laptop: SQLite and media under ``var/``, mail written to ``var/mail/``.
``PRODUCTION=true`` turns on every transport-security setting and refuses to start without a
secret key and allowed hosts.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from integritas.lib.env import ConfigError, env, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = env()

PRODUCTION = ENV.boolean("PRODUCTION", False)
DEBUG = ENV.boolean("DEBUG", False)
DEMO_MODE = ENV.boolean("DEMO_MODE", False)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG=true is not allowed with PRODUCTION=true")
if PRODUCTION and DEMO_MODE:
    raise ConfigError("DEMO_MODE=true is not allowed with PRODUCTION=true")
# `make bench` serves a minimal view at /bench/minimal/ to compare the portal's pages with.
BENCH_MINIMAL_VIEW = ENV.boolean("BENCH_MINIMAL_VIEW", False)
if PRODUCTION and BENCH_MINIMAL_VIEW:
    raise ConfigError("BENCH_MINIMAL_VIEW=true is not allowed with PRODUCTION=true")

VAR_DIR = ENV.path("VAR_DIR", BASE_DIR / "var")


def _kept_secret(name: str, filename: str) -> str:
    """A server secret: from the environment (or ``<name>_FILE``); required in production;
    locally, generated once and kept in var/ so it survives restarts."""
    value = ENV.raw(name)
    if value:
        if PRODUCTION and len(value) < 50:
            raise ConfigError(f"{name} must be at least 50 characters in production")
        return value
    if PRODUCTION:
        raise ConfigError(f"{name} (or {name}_FILE) is required when PRODUCTION=true")
    key_file = VAR_DIR / filename
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _kept_secret("SECRET_KEY", "secret_key")
ALLOWED_HOSTS = ENV.strings(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS is required when PRODUCTION=true")
CSRF_TRUSTED_ORIGINS = ENV.strings("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "integritas.audit",
    "integritas.core",
    "integritas.surveys",
    "integritas.indices",
    "integritas.followup",
    "integritas.complaints",
    "integritas.education",
    "integritas.prevention",
    "integritas.assessments",
    "integritas.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "integritas.core.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "integritas.audit.middleware.request_context",
    "integritas.core.middleware.SessionMiddleware",  # Django's, with no session on public pages
    "integritas.core.middleware.language",
    "integritas.lib.pagecache.middleware",  # kept public pages, served before the session is read
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "integritas.core.middleware.user_language",
    "integritas.core.middleware.two_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "integritas.urls"
WSGI_APPLICATION = "integritas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integritas.core.context_processors.integritas",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        ENV.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'integritas.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core-login"
LOGIN_REDIRECT_URL = "core-home"
LOGOUT_REDIRECT_URL = "core-login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: lockout, two-factor, sessions.
LOGIN_MAX_FAILURES = ENV.integer("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = ENV.integer("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Failed sign-ins one network may make (counted under a keyed hash of its address) within
# LOGIN_ADDRESS_WINDOW_MINUTES before its further attempts are refused unchecked.
LOGIN_ADDRESS_MAX_FAILURES = ENV.integer("LOGIN_ADDRESS_MAX_FAILURES", 20, minimum=1)
LOGIN_ADDRESS_WINDOW_MINUTES = ENV.integer("LOGIN_ADDRESS_WINDOW_MINUTES", 60, minimum=1)
# Days a browser remembers, in a signed cookie, the accounts that signed in on it: their owners
# get past a username lock there with the right password (tries from it are limited apart).
LOGIN_DEVICE_COOKIE_DAYS = ENV.integer("LOGIN_DEVICE_COOKIE_DAYS", 180, minimum=1)
REQUIRE_2FA = ENV.boolean("REQUIRE_2FA", True)
# Holders of these roles must use two-factor login when REQUIRE_2FA is on.
TWO_FACTOR_ROLES = ENV.strings(
    "TWO_FACTOR_ROLES",
    ["inspector_general", "inspector", "administrator", "complaint_handler", "identity_custodian"],
)
# One cache shared by every process on the machine (web workers and the background worker), so
# rate limits count across workers and a one-time form token is claimed once. It lives in a
# memory-backed folder, so the rate limits' daily key and counters never reach a disk.
_SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - the cache refuses a folder it does not own alone
CACHE_DIR = ENV.path(
    "CACHE_DIR",
    _SHARED_MEMORY / f"integritas-{hashlib.sha256(str(VAR_DIR).encode()).hexdigest()[:12]}"
    if _SHARED_MEMORY.is_dir()
    else VAR_DIR / "cache",
)
CACHES = {
    "default": {
        "BACKEND": "integritas.lib.cache.SharedMemoryCache",
        "LOCATION": str(CACHE_DIR),
    }
}

SESSION_IDLE_MINUTES = ENV.integer("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "integritas.core.public.csrf_failure"
# Pages for anonymous visitors (survey respondents, reporters): no session, no request logs,
# no referrer to other sites (integritas/core/public.py).
PUBLIC_PATH_PREFIXES = [
    "/s/",
    "/lapor/",
    "/acara/",
    "/gratifikasi/",
    "/sertifikat/",
    "/data/audit-anchors",
    "/publik/",
    "/tindak-lanjut/",
    "/bukti/",
    "/unit/",
    "/hasil-survei/",
    "/data/",
    "/statistik-pengaduan/",
    "/statistik-gratifikasi/",
    "/hasil-penilaian/",
    "/kepatuhan-lhkpn/",
    "/kegiatan/",
    "/robots.txt",
    "/sitemap.xml",
    "/api/v1/",
]
# The portal's pages are kept in the shared cache for anonymous visitors, for at most this many
# seconds (every change to what they show retires them at once; 0 turns the cache off).
PORTAL_CACHE_SECONDS = ENV.integer("PORTAL_CACHE_SECONDS", 600, minimum=0)
# A wave's index dashboard is kept in the shared cache for at most this many seconds (every
# recompute and every change to what it shows retires it at once; 0 keeps nothing).
INDICES_DASHBOARD_CACHE_SECONDS = ENV.integer("INDICES_DASHBOARD_CACHE_SECONDS", 600, minimum=0)
# On the portal's event pages, an audience group with fewer participants who checked in shows
# "< k" instead of its number.
EDUCATION_PUBLIC_MIN_GROUP = ENV.integer("EDUCATION_PUBLIC_MIN_GROUP", 5, minimum=2)
# The event report: how many photos it holds, and the largest photo accepted (MB).
EDUCATION_REPORT_MAX_PHOTOS = ENV.integer("EDUCATION_REPORT_MAX_PHOTOS", 6, minimum=1)
EDUCATION_REPORT_PHOTO_MAX_MB = ENV.integer("EDUCATION_REPORT_PHOTO_MAX_MB", 10, minimum=1)
# The largest file accepted as an event's material (MB).
EDUCATION_MATERIAL_MAX_MB = ENV.integer("EDUCATION_MATERIAL_MAX_MB", 20, minimum=1)
# Participants' and invitees' names and contacts are blanked this many months after an event
# ends (``manage.py education_retention``; UU 27/2022).
EDUCATION_RETENTION_MONTHS = ENV.integer("EDUCATION_RETENTION_MONTHS", 24, minimum=1)
# The participants' evaluation survey stays open this many days after the event ends.
EDUCATION_EVALUATION_DAYS = ENV.integer("EDUCATION_EVALUATION_DAYS", 14, minimum=1)
OTP_TOTP_ISSUER = ENV.string("OTP_ISSUER", "Integritas")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Transport security: on in production, off on a laptop serving plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and ENV.boolean("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if PRODUCTION and ENV.boolean("BEHIND_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Strict CSP: everything from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Language and formats: Indonesian first, English complete.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "integritas_language"
TIME_ZONE = ENV.string("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = ENV.path("STATIC_ROOT", VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = ENV.path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = ENV.integer("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Response exports: a wave with at most this many responses is exported inside the request; a
# larger one is prepared by the background worker and downloaded from its page when it is ready
# (at national scale the file takes close to a minute, longer than a proxy waits).
EXPORT_INLINE_MAX_RESPONSES = ENV.integer("EXPORT_INLINE_MAX_RESPONSES", 100_000, minimum=0)
# The files prepared in the background, kept in a private folder (never under MEDIA_ROOT or
# STATIC_ROOT: they are sent only through the permission-checked download view), and removed with
# their export after this many days.
EXPORT_DIR = ENV.path("EXPORT_DIR", VAR_DIR / "exports")
EXPORT_RETENTION_DAYS = ENV.integer("EXPORT_RETENTION_DAYS", 7, minimum=1)
for _public in (MEDIA_ROOT, STATIC_ROOT):
    if EXPORT_DIR.resolve().is_relative_to(_public.resolve()):
        raise ConfigError(f"EXPORT_DIR={EXPORT_DIR} must not be inside {_public}: it is served")
# Follow-up: an open action plan is "due soon" within this many working days of its due date.
FOLLOWUP_DUE_SOON_WORKING_DAYS = ENV.integer("FOLLOWUP_DUE_SOON_WORKING_DAYS", 5, minimum=1)
# Follow-up: reminders start this many working days before an activity's due date.
FOLLOWUP_REMINDER_WORKING_DAYS = ENV.integer("FOLLOWUP_REMINDER_WORKING_DAYS", 3, minimum=1)
# Follow-up: a unit submits its action plan within this many working days of the recommendation
# being issued, or the plan is late (reminded before, escalated after).
FOLLOWUP_PLAN_DRAFT_WORKING_DAYS = ENV.integer("FOLLOWUP_PLAN_DRAFT_WORKING_DAYS", 10, minimum=1)
# Follow-up: a BPK audit report is answered within this many calendar days of its receipt
# (UU 15/2004 art. 20(3); Peraturan BPK 2/2017 art. 3(3)).
FOLLOWUP_BPK_ANSWER_DAYS = ENV.integer("FOLLOWUP_BPK_ANSWER_DAYS", 60, minimum=1)
# Citizens' feedback on published actions: an action is flagged for the Inspectorate when its
# "no" answers reach this number and are more than half of its votes (hidden ones not counted).
FOLLOWUP_FEEDBACK_FLAG_NO_VOTES = ENV.integer("FOLLOWUP_FEEDBACK_FLAG_NO_VOTES", 5, minimum=1)
# Feedback sent per client address per hour (counted in memory under the daily-rotating keyed
# hash, as the whistleblowing form is), and the largest photo accepted with it.
FOLLOWUP_FEEDBACK_PER_HOUR = ENV.integer("FOLLOWUP_FEEDBACK_PER_HOUR", 10, minimum=1)
FOLLOWUP_FEEDBACK_PHOTO_MAX_MB = ENV.integer("FOLLOWUP_FEEDBACK_PHOTO_MAX_MB", 5, minimum=1)
# Whistleblowing: the secret that keys receipt lookups (docs/security.md). Separate from
# SECRET_KEY so that rotating that key does not make every receipt unfindable.
COMPLAINTS_RECEIPT_PEPPER = _kept_secret("COMPLAINTS_RECEIPT_PEPPER", "receipt_pepper")
COMPLAINTS_MAX_FILES = ENV.integer("COMPLAINTS_MAX_FILES", 5, minimum=1)
COMPLAINTS_MAX_FILE_MB = ENV.integer("COMPLAINTS_MAX_FILE_MB", 10, minimum=1)
# Per client address per hour, counted in memory under a daily-rotating keyed hash (no address
# is stored); high because many phones share one carrier address.
COMPLAINTS_SUBMISSIONS_PER_HOUR = ENV.integer("COMPLAINTS_SUBMISSIONS_PER_HOUR", 30, minimum=1)
# Education: registrations on an event's public page per client address per hour (counted like
# the whistleblowing submissions; high because a whole office may register from one address).
EDUCATION_REGISTRATIONS_PER_HOUR = ENV.integer("EDUCATION_REGISTRATIONS_PER_HOUR", 60, minimum=1)
COMPLAINTS_RECEIPT_FAILURES_PER_HOUR = ENV.integer(
    "COMPLAINTS_RECEIPT_FAILURES_PER_HOUR", 20, minimum=1
)
# Wrong receipts from everyone together per hour: once reached, receipt lookups are refused for
# the rest of the hour and the key holders are alerted (guessing spread over many networks).
COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL = ENV.integer(
    "COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL", 100, minimum=1
)
# Service levels in working days (DOMAIN.md §5; configurable): decide to accept or reject, then
# the tier chosen when accepting.
COMPLAINTS_SLA_WORKING_DAYS = {
    "verify": ENV.integer("COMPLAINTS_SLA_VERIFY_DAYS", 3, minimum=1),
    "simple": ENV.integer("COMPLAINTS_SLA_SIMPLE_DAYS", 5, minimum=1),
    "no_field_check": ENV.integer("COMPLAINTS_SLA_NO_FIELD_CHECK_DAYS", 14, minimum=1),
    "field_check": ENV.integer("COMPLAINTS_SLA_FIELD_CHECK_DAYS", 60, minimum=1),
}
COMPLAINTS_RETENTION_YEARS = ENV.integer("COMPLAINTS_RETENTION_YEARS", 5, minimum=1)
COMPLAINTS_KEY_IDLE_MINUTES = ENV.integer("COMPLAINTS_KEY_IDLE_MINUTES", 30, minimum=1)
# A report opened with its receipt stays open in the reporter's page at most this long, however
# often the page is used (each use renews its 30-minute pass only up to this end).
COMPLAINTS_REPORTER_PASS_MAX_MINUTES = ENV.integer(
    "COMPLAINTS_REPORTER_PASS_MAX_MINUTES", 120, minimum=1
)
COMPLAINTS_STATS_MIN_GROUP = ENV.integer("COMPLAINTS_STATS_MIN_GROUP", 5, minimum=2)
# Gratification statistics (staff pages and the portal): a group of fewer reports is withheld.
GRATIFICATION_STATS_MIN_GROUP = ENV.integer("GRATIFICATION_STATS_MIN_GROUP", 5, minimum=2)
# A unit with this many late gratification reports in twelve months is signalled to the
# Inspectorate as a possible recommendation (source: prevention register).
GRATIFICATION_LATE_REPORTS_SIGNAL = ENV.integer("GRATIFICATION_LATE_REPORTS_SIGNAL", 2, minimum=1)
# A unit whose LHKPN complete rate for the last closed year is below this percentage, with at
# least this many officials obliged, is signalled as a possible recommendation (prevention
# register); the portal withholds the compliance figures of units with fewer officials obliged
# than the minimum group.
LHKPN_LOW_COMPLIANCE_SIGNAL = {
    "complete_rate_below": ENV.integer("LHKPN_SIGNAL_COMPLETE_RATE_BELOW", 80, minimum=1),
    "min_obliged": ENV.integer("LHKPN_SIGNAL_MIN_OBLIGED", 5, minimum=1),
}
LHKPN_STATS_MIN_GROUP = ENV.integer("LHKPN_STATS_MIN_GROUP", 5, minimum=2)
# The test suite turns this on for a cheap Argon2id; it is ignored when PRODUCTION is on.
COMPLAINTS_FAST_KDF_FOR_TESTS = False
# The address printed on QR posters and in invitation emails, e.g. https://integritas.kota.go.id;
# empty means the address of the request that made them.
PUBLIC_BASE_URL = ENV.string("PUBLIC_BASE_URL", "")
# The portal's open data (docs/portal.md): the licence its datasets are published under (a URL;
# Creative Commons Attribution 4.0 by default) and the address of its contact point (empty: the
# government's email address in the government settings).
OPEN_DATA_LICENSE = ENV.string("OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_CONTACT_EMAIL = ENV.string("OPEN_DATA_CONTACT_EMAIL", "")
# Surveys: limits per client address, counted in memory under a daily-rotating keyed hash (the
# address itself is never stored), and the proxies whose X-Real-IP header is believed.
SURVEY_STARTS_PER_HOUR = ENV.integer("SURVEY_STARTS_PER_HOUR", 30, minimum=1)
SURVEY_RESUME_FAILURES_PER_HOUR = ENV.integer("SURVEY_RESUME_FAILURES_PER_HOUR", 20, minimum=1)
# Reverse proxies whose X-Real-IP / X-Forwarded-For is believed by the rate limits of public
# pages (SURVEY_TRUSTED_PROXIES is the name older installations used).
TRUSTED_PROXIES = ENV.strings(
    "TRUSTED_PROXIES", ENV.strings("SURVEY_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background tasks (response imports): a queue in the database, run by `manage.py db_worker`,
# which `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker's start-up heap is moved out of the garbage collector's sight at its first task
# (``integritas.lib.heap``); the test suite turns it off.
TASK_WORKER_FREEZE_HEAP = True
# Indices: stale waves are recomputed on this schedule (minutes, counted from midnight), never
# per response, so that no task row dates a response (docs/compute-indices.md).
INDICES_REFRESH_MINUTES = ENV.integer("INDICES_REFRESH_MINUTES", 60, minimum=1)
# Finished background-task rows (their times and results) are deleted after this many days.
TASK_RESULTS_RETENTION_DAYS = ENV.integer("TASK_RESULTS_RETENTION_DAYS", 1, minimum=1)
# Audit anchors: ``audit_verify --anchors URL`` gives up on a download after this many seconds
# or this many bytes (an anchor a day is about 150 bytes: 5 MB is ninety years).
AUDIT_ANCHORS_TIMEOUT_SECONDS = 10.0
AUDIT_ANCHORS_MAX_BYTES = 5_000_000

# Mail: SMTP when EMAIL_HOST is set, otherwise one file per message under var/mail/.
EMAIL_HOST = ENV.string("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = ENV.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = ENV.string("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = ENV.string("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = ENV.boolean("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = ENV.path("EMAIL_FILE_PATH", VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = ENV.string("DEFAULT_FROM_EMAIL", "integritas@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Requests to public pages are not logged: their paths can hold an invitation's token.
    "filters": {
        "quiet_public_pages": {"()": "integritas.core.public.QuietPublicPages"},
        "warnings_only": {"()": "integritas.lib.logfilters.WarningsOnly"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": ENV.string("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["quiet_public_pages"]},
        "django.security.csrf": {"filters": ["quiet_public_pages"]},
        "django.server": {"level": "WARNING", "filters": ["quiet_public_pages"]},
        # Off unless gunicorn runs with --access-logfile; then its lines go to the console too.
        "gunicorn.access": {
            "handlers": ["console"],
            "filters": ["quiet_public_pages"],
            "propagate": False,
        },
        # The libraries that read reporters' files say things about them (Pillow logs every EXIF
        # tag, GPS positions included; pypdf warns with key names taken from inside a PDF): none
        # of it may reach a log.
        "PIL": {"handlers": ["discard"], "propagate": False},
        "pypdf": {"handlers": ["discard"], "propagate": False},
        # WeasyPrint reports each layout step at INFO (and lays out its default style sheets when
        # imported); only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        # The task queue logs every task it queues, starts and finishes at INFO, with the task's
        # id to the microsecond of the log line; a task that follows a respondent's action would
        # date it. Only warnings and errors pass. A filter, not a level: `db_worker` sets these
        # loggers' levels itself from its --verbosity.
        "django_tasks": {"filters": ["warnings_only"]},
        "django_tasks_db": {"filters": ["warnings_only"]},
    },
}
