"""Settings for the 民政简报 portal.

Everything comes from the environment (CONTRACT.md, "Settings"). The defaults give
the embedded mode: a SQLite file, local media, a local-memory cache and inline jobs.
``DJANGO_DEBUG=0`` is production mode: it refuses to start without a real secret
key and allowed hosts, and turns on every check that ``check --deploy`` makes.
"""

import os
from datetime import date, timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from portal.databases import databases
from portal.logging import log_format

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-5f3c1b2a"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or DEV_SECRET_KEY
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if host.strip()
]

if not DEBUG:
    # A production process must not run on the development key or answer any host.
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY: at least 50 random characters."
        )
    if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
        raise ImproperlyConfigured("DJANGO_DEBUG=0 needs DJANGO_ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    # django-axes, named in Chinese in the admin (portal/apps.py).
    "portal.apps.AxesConfig",
    # The portal's apps, each above the one before it (docs/architecture.md).
    "core",
    "stations",
    "activities",
    "beneficiaries",
    "stats",
    "newsletter",
    # The project package itself: its ready() connects the account signals
    # (portal/accounts.py); it has no models.
    "portal.apps.PortalConfig",
]

MIDDLEWARE = [
    # First: the request's id (the proxy's X-Request-ID or a new one) on every
    # log line written while it is answered, and in the response (portal/logging.py).
    "portal.logging.RequestIdMiddleware",
    # The client's address behind the site's own proxies (TRUSTED_PROXY_IPS).
    "portal.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A stored public page for a reader without a session, answered before the
    # middleware only signed-in pages need; it also stores the pages the views
    # marked, with every header the chain gave them (newsletter/public_cache.py).
    "newsletter.public_cache.EarlyHitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageCookieMiddleware",
    # The Chinese error pages (portal/errors.py), with DEBUG on too; inside the
    # language choice, around everything that can fail after it.
    "portal.middleware.ErrorPageMiddleware",
    # Before anything reads request.POST (the CSRF check first): a form posted
    # in GBK or Big5 is decoded, one that cannot be read gets a 400 page.
    "portal.middleware.FormCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: the job queue unreachable or the disk full, told on the
    # page the user came from (portal/failures.py).
    "portal.failures.UnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Audit rows written during a request keep its address (core/audit.py).
    "portal.middleware.AuditRequestMiddleware",
    # After auth and messages: ends a staff session left idle, and tells why.
    "portal.middleware.IdleSessionMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Errors are answered with the site's Chinese pages (portal/errors.py), with
# DEBUG on as well. DJANGO_TECHNICAL_ERRORS=1 brings back Django's technical
# pages (traceback, URL patterns) for a developer; never with DEBUG off.
TECHNICAL_ERROR_PAGES = DEBUG and env_bool("DJANGO_TECHNICAL_ERRORS", False)
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url reads)
# through DATABASE_URL; a read replica for the public pages through
# DATABASE_REPLICA_URL (portal/databases.py says why each choice).
DATABASES = databases(
    os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    replica_url=os.environ.get("DATABASE_REPLICA_URL", ""),
    conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
)
if "replica" in DATABASES:
    DATABASE_ROUTERS = ["portal.db_router.PublicReadRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "portal.db_router.ReplicaForPublicReadsMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # Redis stopped: every cache call answers "not cached" instead of
            # failing the request, and waits at most these timeouts (seconds)
            # for an unreachable server; a refused connection fails at once.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each ignored cache error is logged by "django_redis", turned into one WARNING
# a minute per process (portal/failures.py, QuietCacheErrors).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "django_redis"
# Each process's own memory, in front of Redis for the public pages
# (newsletter/public_cache.py): a page read once from Redis is then served from
# here until the publication version or its timeout moves on.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-local",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
PUBLIC_CACHE_TWO_TIERS = bool(REDIS_URL)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out username+address before Django's
# ModelBackend checks the password (portal/accounts.py has the lock-out page).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading a signed-in user with their unread
    # notifications counted in the same query (the header shows the count).
    "portal.accounts.PortalModelBackend",
    # Sessions begun before that backend still name this one.
    "django.contrib.auth.backends.ModelBackend",
]
# Locked out after this many failed logins of one username from one address, for
# this many minutes. Axes keeps its own log of failures, lock-outs and logins
# (admin: 登录保护 › 登录失败计数 / 登录记录); a superuser unlocks early by
# deleting the attempt there or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout_response"
# The reverse proxies in front of gunicorn (nginx, the load balancer), by address,
# comma-separated: from them, the client's address is taken from X-Forwarded-For
# (portal/middleware.py, TrustedProxyMiddleware). Empty: REMOTE_ADDR as it comes.
TRUSTED_PROXY_IPS = [
    ip.strip()
    for ip in os.environ.get("TRUSTED_PROXY_IPS", "").split(",")
    if ip.strip()
]
# The same address the audit log records (REMOTE_ADDR, see core/audit.py).
AXES_CLIENT_IP_CALLABLE = "portal.accounts.client_ip"
AXES_USERNAME_CALLABLE = "portal.accounts.axes_username"

# A signed-in user idle this long is signed out at their next request
# (portal/middleware.py IdleSessionMiddleware); readers without a login are not
# concerned. The session cookie itself lasts at most SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", 30))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 12 * 60 * 60))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "home"

# Interface language zh-hans, with an English catalogue; Asia/Shanghai time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "") or BASE_DIR / "media")
# Media files are served by portal/media.py, which checks who may see each one.
# Behind nginx, set this to an `internal` location aliasing MEDIA_ROOT (e.g.
# /protected-media/): the view then answers with X-Accel-Redirect and nginx
# sends the bytes.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

STORAGES = {
    # Django's, removing what a failed save wrote (a full disk): core/storage.py.
    "default": {"BACKEND": "core.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded spreadsheets are read in memory up to this size; the import screens
# refuse anything larger with a message rather than letting a worker wait.
IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
)
IMPORT_EXPORT_FORMATS = [base_formats.XLSX, base_formats.CSV]
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

# E-mail tells the next person in a report's review. The console backend prints
# it in the embedded mode; production sets an SMTP backend through the environment.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "jianbao@localhost")
# A mail server that does not answer must not hold a request for long: sending
# happens after the action's commit, and a failure is retried later.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", 10))
# Notifications (core/notifications/): a failed e-mail or robot post is tried
# again by `send_notifications` with a growing wait, this many tries in all.
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", 6))
# Seconds a group robot's webhook may take to answer.
NOTIFICATIONS_ROBOT_TIMEOUT = float(os.environ.get("NOTIFICATIONS_ROBOT_TIMEOUT", 5))
# Robots' webhook URLs must be the vendors' own HTTPS endpoints; on, any http(s)
# URL is taken (a local receiver for tests or a relay). Leave off in production.
NOTIFICATIONS_ALLOW_LOCAL_ROBOTS = env_bool("NOTIFICATIONS_ALLOW_LOCAL_ROBOTS", False)
# The portal's own address, for links in e-mails (no request to build them from).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The public site's absolute links (feeds, sitemap, canonical and share links)
# use PORTAL_BASE_URL when it is set, and each request's own address otherwise.
PUBLIC_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
# Public pages are cached for anonymous readers this long (newsletter/
# public_cache.py); publishing or correcting an issue drops them at once. 0 turns
# the page cache off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", 900))

# Report photos (activities/photos/): refused above these sizes, with a message.
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 40_000_000))

# Audit rows older than this are removed by `prune_audit`; never fewer than 180
# days (network logs are kept at least six months), whatever the value says.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 180))


def env_date(name: str, default: date) -> date:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an ISO date such as 2000-01-01, not {value!r}."
        ) from None


# The earliest date of anything recorded as happening (reports, visits, case
# notes, checks, projects, imported issues; core/dates.py): an earlier date
# is a mistyped year. 2000 comes well before the stations and the 双百 programme
# yet refuses 1900 and 0023; a bureau importing older past issues sets it earlier.
PORTAL_EARLIEST_DATE = env_date("PORTAL_EARLIEST_DATE", date(2000, 1, 1))
if PORTAL_EARLIEST_DATE > date.today():
    # Every date would be refused, and every form with one would be unusable.
    raise ImproperlyConfigured("PORTAL_EARLIEST_DATE must not be after today.")

# Statistics (stats/): each station is expected to file at least this many
# reports a month, each submitted by this day of the next month to be on time.
STATS_MIN_REPORTS_PER_MONTH = int(os.environ.get("STATS_MIN_REPORTS_PER_MONTH", 2))
STATS_REPORT_DUE_DAY = int(os.environ.get("STATS_REPORT_DUE_DAY", 5))
# The province's and a city's dashboards are kept this many seconds before they
# are counted again (stats/snapshots.py); `refresh_stats` by cron keeps the
# default period counted ahead of readers.
STATS_SNAPSHOT_MAX_AGE = int(os.environ.get("STATS_SNAPSHOT_MAX_AGE", 900))
# The staff home lists an open case among a worker's to-dos when no note has
# been written on it for this many days (counted from its opening when it has
# none).
CASE_QUIET_DAYS = int(os.environ.get("CASE_QUIET_DAYS", 30))

# Background jobs (core/jobs/): imports, exports, photo batches, archive
# imports. Where a job runs, by one rule:
# - "celery": on Celery workers through the Redis broker. The default when
#   REDIS_URL is set; start workers with `celery -A portal worker` (README).
# - "thread": in a daemon thread of the web process, so `make run` needs nothing
#   more and the job page still shows progress. The default without REDIS_URL.
# - "sync": at once, in the caller's thread. The tests use it (tests/conftest.py
#   sets it), and so does the `run_job` command.
JOBS_MODE = os.environ.get("JOBS_MODE", "") or ("celery" if REDIS_URL else "thread")
if JOBS_MODE not in {"celery", "thread", "sync"}:
    raise ImproperlyConfigured("JOBS_MODE must be celery, thread or sync.")
JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "portal-jobs")
# Uploaded job files (a station's sheet holds ID numbers) and job results live
# here, outside MEDIA_ROOT: they are never served by URL, only through the job's
# download view, which checks who asks. Web and workers must share this folder.
JOBS_ROOT = Path(os.environ.get("JOBS_ROOT", "") or BASE_DIR / "jobfiles")
# `prune_jobs` deletes job input files after this many days (sheets of
# beneficiary files after one day), results after the same time, and job rows
# after JOBS_KEEP_DAYS.
JOBS_FILE_RETENTION_DAYS = int(os.environ.get("JOBS_FILE_RETENTION_DAYS", 7))
JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", 90))
# A sheet up to this size is checked and imported within the request, as a
# preview on the same page; a larger one goes to a background job with progress.
JOBS_INLINE_MAX_BYTES = int(os.environ.get("JOBS_INLINE_MAX_BYTES", 64 * 1024))
# Likewise for a batch of report photos (about 0.4 s of work per camera photo).
JOBS_INLINE_PHOTO_BYTES = int(
    os.environ.get("JOBS_INLINE_PHOTO_BYTES", 8 * 1024 * 1024)
)
# Progress is written at most this often (seconds).
JOBS_PROGRESS_INTERVAL = float(os.environ.get("JOBS_PROGRESS_INTERVAL", 0.5))

# Celery (portal/celery.py) reads the CELERY_* settings. Job state lives in the
# Job rows, so no result backend. A task is acknowledged only when it is done:
# a worker killed mid-job leaves the message to be delivered again, and the
# job's import, idempotent on natural keys, runs again without duplicating.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_DEFAULT_QUEUE = JOBS_QUEUE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The broker stopped: a page that starts a job gives up within about two
# seconds (connecting, then three publish attempts 0.2 s apart) and says so in
# Chinese, with the job not recorded (core/jobs/starting.py); a notification
# waits in its Delivery row for the send_notifications sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# An unacknowledged job is handed to another worker after this time, so it
# must be longer than the longest job: in production keep the default of six
# hours, or more if an archive import with OCR is known to take longer. Shorter,
# a job still running would be handed out a second time and run beside itself.
# The production check (scripts/deploy-check) sets a short one to see a job
# killed mid-import picked up again within its run.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("JOBS_VISIBILITY_TIMEOUT", 6 * 3600)),
    # How soon a worker finds a message whose worker died: kombu sweeps every
    # unacked_restore_interval seconds but looks in Redis only on every
    # unacked_restore_throttle-th sweep (10 × 10 s by default, so a job waited
    # up to 100 s past its visibility timeout). One look every 10 s is one
    # small Redis query.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# A job is run at most this many times: claimed once more after that (its
# worker killed each time, by a file that crashes it perhaps) it is marked
# failed and not run again (core/jobs/running.py).
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", 3))
CELERY_TIMEZONE = TIME_ZONE
# With `celery -A portal beat` running (portal-beat.service), the periodic
# commands run as tasks here instead of from cron.
CELERY_BEAT_SCHEDULE = {
    "prune-jobs": {
        "task": "core.tasks.prune_jobs",
        "schedule": 24 * 3600,
        "options": {"queue": JOBS_QUEUE},
    },
    # Failed e-mails and robot posts, tried again once their wait is over.
    "send-notifications": {
        "task": "core.tasks.send_notifications",
        "schedule": 60,
        "options": {"queue": JOBS_QUEUE},
    },
    # Supervision follow-ups whose due date has come (each told once).
    "notify-due-followups": {
        "task": "stations.tasks.notify_due_followups",
        "schedule": 3600,
        "options": {"queue": JOBS_QUEUE},
    },
    # Audit rows past AUDIT_RETENTION_DAYS (`manage.py prune_audit`).
    "prune-audit": {
        "task": "core.tasks.prune_audit",
        "schedule": 24 * 3600,
        "options": {"queue": JOBS_QUEUE},
    },
    # The province's and cities' dashboards, counted again before their snapshot
    # is STATS_SNAPSHOT_MAX_AGE old (`manage.py refresh_stats`); a run that waited
    # past the next one is dropped rather than run twice.
    "refresh-stats": {
        "task": "stats.tasks.refresh_stats",
        "schedule": max(STATS_SNAPSHOT_MAX_AGE * 2 // 3, 60),
        "options": {
            "queue": JOBS_QUEUE,
            "expires": max(STATS_SNAPSHOT_MAX_AGE * 2 // 3, 60),
        },
    },
}

DATA_UPLOAD_MAX_NUMBER_FILES = 30

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere: every page's scripts and styles are files
# under /static/ (portal/middleware.py ContentSecurityPolicyMiddleware). Media
# files get a stricter policy of their own (portal/media.py).
CONTENT_SECURITY_POLICY = os.environ.get(
    "DJANGO_CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'",
)

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        origin.strip()
        for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
        if origin.strip()
    ]

# Logs go to stderr, one line per record: JSON in production, plain text in
# development (DJANGO_LOG_FORMAT), each with its request's or job's id
# (portal/logging.py). Nothing logs request bodies, query strings, cookies or
# headers, and ID and mobile numbers are masked in every line, so beneficiary
# data typed into a form never reaches a log line (DESIGN.md §6).
try:
    LOG_FORMAT = log_format(os.environ.get("DJANGO_LOG_FORMAT"), debug=DEBUG)
except ValueError:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or plain.") from None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logging.RequestIdFilter"},
        "dev_server_query": {"()": "portal.logging.DevServerQueryFilter"},
    },
    "formatters": {
        "json": {"()": "portal.logging.JsonFormatter"},
        "plain": {"()": "portal.logging.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Through the root's handler only: Django's own console and mail_admins
        # handlers (its DEFAULT_LOGGING) would write other formats, and the
        # e-mail would carry the request's GET and POST.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's access lines, without their query strings.
        "django.server": {
            "handlers": [],
            "filters": ["dev_server_query"],
            "level": "INFO",
            "propagate": True,
        },
        # Never lower: at DEBUG it writes each SQL statement with its parameters.
        "django.db.backends": {"level": "WARNING"},
        # Axes logs every login at INFO; failures and lock-outs are WARNING, and
        # all of them are in its own tables (admin: 登录保护) anyway.
        "axes": {"level": "WARNING"},
    },
}

# Errors reported to Sentry when SENTRY_DSN is set (portal/sentry.py): no user
# details, cookies, bodies, query strings or frame variables, and ID and mobile
# numbers masked in whatever is sent. SENTRY_TRACES_SAMPLE_RATE (0 to 1, default
# 0) also sends that share of requests' timings.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    try:
        _traces = float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "") or 0)
    except ValueError:
        _traces = -1.0
    if not 0 <= _traces <= 1:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1.")
    from portal import sentry

    sentry.init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces_sample_rate=_traces,
    )

# The portal's own settings.
PORTAL_NAME = _("民政简报与社工站平台")
