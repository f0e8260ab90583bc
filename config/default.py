"""Every setting, with a safe default for development on this machine."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

ENV = "development"
# Signs session cookies. Unset, the hub uses its instance's own random key in SECRET_KEY_FILE,
# which `hub init` (or the first start outside production) writes with mode 0600.
SECRET_KEY = None
SECRET_KEY_FILE = str(INSTANCE / "secret_key")
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'exchange.db'}"
BLOB_DIR = str(INSTANCE / "blobs")
# Where raw submitted bytes and stored reports are kept: "database" (chunks in the hub's own
# database, which every server shares) or "directory" (files under BLOB_DIR, one server).
# Empty: "database" on PostgreSQL, "directory" on SQLite. `hub blobs migrate` moves bytes over.
BLOB_STORE = ""
# `hub serve` (gunicorn): the address, worker processes, threads per worker, and the seconds a
# request may take before its worker is restarted (a large upload is read, checked and stored
# within one request).
SERVE_BIND = "127.0.0.1:8000"
SERVE_WORKERS = 2
SERVE_THREADS = 4
SERVE_TIMEOUT_SECONDS = 300
# Log lines on standard error: "json" (one object a line, with the request id) or "text".
LOG_FORMAT = "json"
LOG_LEVEL = "INFO"
# How long one SQL statement may run, and one lock be waited for, before the request is answered
# 503 with Retry-After (PostgreSQL; SQLite waits 30 s for its one writer). A submission waits
# up to 60 s for another version of the same return to be stored first; bulk writes (a return's
# lines, rebuilds) have no statement timeout.
DATABASE_STATEMENT_TIMEOUT_SECONDS = 30
DATABASE_LOCK_TIMEOUT_SECONDS = 5

# Uploads: a quarter of a large council's payments is ~20 MB of CSV; 1M lines ~200 MB.
MAX_CONTENT_LENGTH = 256 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
# Parts of a file, checked while it is read and before they are held in memory (partners/limits.py);
# a file past one is rejected with an issue naming the setting. Real returns have 10 to 60
# columns, lines under 2 KB and cells under 1 KB.
MAX_COLUMNS = 500  # cells in a heading row, in a workbook row, or keys in JSON rows
MAX_LINE_BYTES = 1_000_000  # a CSV line (or a record of several lines), a workbook row's XML
MAX_CELL_BYTES = 1_000_000  # a workbook cell's text
MAX_XLSX_ROWS = 1_048_576  # rows of a worksheet, Excel's own maximum
MAX_JSON_BYTES = 20_000_000  # a JSON file is parsed at once: about ten times this in memory

# OAuth 2.0
ACCESS_TOKEN_SECONDS = 3600
AUTHORIZATION_CODE_SECONDS = 300
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
# Failed authentications allowed per (client id, address) at the token, introspection and
# revocation endpoints, and per (email address, address) at sign-in; successes are not counted.
TOKEN_RATE_LIMIT = "30 per minute"  # noqa: S105 (a rate, not a secret)
LOGIN_RATE_LIMIT = "10 per minute"
# Counters per process by default; point at Redis (redis://host:6379) when several workers serve
# the hub, so they share them.
RATELIMIT_STORAGE_URI = "memory://"
# How many proxies in front of the hub add X-Forwarded-For / -Proto (werkzeug's ProxyFix). 0
# believes no forwarded header; 1 behind one TLS-terminating proxy. Too many lets clients choose
# the address their failures are counted against.
TRUSTED_PROXY_HOPS = 0
# The issuer URL in server metadata; set it when the hub sits behind a TLS-terminating proxy.
OAUTH2_ISSUER = None
# Host names the hub answers to (Flask refuses any other Host header with 400), so a forged Host
# never reaches the OAuth metadata or a link. Add the public name: EXCHANGE_TRUSTED_HOSTS=
# '["hub.example.org"]'; a leading dot allows subdomains.
TRUSTED_HOSTS = ["localhost", "127.0.0.1"]

# Sessions of the web pages, kept by the hub (table web_session; the cookie holds a random id).
# A session ends when unused for SESSION_IDLE_MINUTES, and SESSION_MAX_HOURS after sign-in.
SESSION_IDLE_MINUTES = 30
SESSION_MAX_HOURS = 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False

# flask-smorest / OpenAPI
API_TITLE = "Anchor Exchange"
API_VERSION = "v1"
OPENAPI_VERSION = "3.0.3"
OPENAPI_URL_PREFIX = "/api/v1"
OPENAPI_JSON_PATH = "openapi.json"
OPENAPI_SWAGGER_UI_PATH = "docs"
OPENAPI_SWAGGER_UI_URL = "/static/swagger-ui/"

# Geography shipped with the hub (S and DN postcode areas), see data/geography/ATTRIBUTION.md
GEOGRAPHY_DIR = str(ROOT / "data" / "geography")
CONFIG_DIR = str(ROOT / "config")

# The quarterly cycle (SPEC 6). A quarter's return window opens the day after the quarter ends;
# the deadline is the last day of the Nth month after the quarter (N per kind of return, 1 by
# default: Q1 ends 30 June, opens 1 July, deadline 31 July), and a return is on time when it is
# received by midnight at the end of that day, in RETURN_TIMEZONE.
RETURN_DEADLINE_MONTHS = {"spend": 1, "suppliers": 1, "commitments": 1, "measures": 1,
                          "contributions": 1}
RETURN_TIMEZONE = "Europe/London"
# The first quarter partners owe returns for: reminders never go back before it, and
# GET /api/v1/periods starts here (or at the earliest quarter with a return, if earlier).
RETURN_CYCLE_START = "2025-26-Q1"
# Kinds of return each kind of partner owes; a partner kind not listed owes all five. The
# combined authority ("other") receives the data rather than sending it.
RETURN_KINDS_BY_PARTNER_KIND = {"business": ["contributions"], "other": []}
# Overdue returns are reminded weekly for this many weeks after the deadline, then no more.
REMINDER_OVERDUE_WEEKS = 13

# E-mail: every message is written to the outbox first, then sent to this SMTP server.
# smtp://host:port, smtps://host:port, optional user:password@, ?starttls=true for port 587.
SMTP_URL = "smtp://localhost:8025"
MAIL_FROM = "Anchor Exchange <no-reply@anchor-exchange.invalid>"
# The hub's public address, for links in e-mails.
HUB_URL = "http://127.0.0.1:5000"

# The scheduler (`hub scheduler`, its own process). Crontab times in SCHEDULER_TIMEZONE; a job
# left out here keeps its default. Override one with e.g. EXCHANGE_SCHEDULE__outbox="*/10 * * * *".
SCHEDULER_TIMEZONE = "Europe/London"
SCHEDULE = {
    "reminders": "0 7 * * *",  # daily; queues what is due, then sends the outbox
    "outbox": "*/5 * * * *",  # sends what is due, retrying failed sends with backoff
    "refresh_aggregates": "30 2 * * *",  # nightly
    "publish_releases": "0 6 * * *",  # daily; a quarter once its deadline + grace has passed
    "mid_year_report": "0 6 1 10 *",  # 1 October
    "annual_report": "0 6 15 5 *",  # 15 May: Q4's deadline (30 April) + RELEASE_GRACE_DAYS
}
# An occurrence the scheduler missed (it was down) still runs when it is at most this late.
SCHEDULER_MISFIRE_GRACE_SECONDS = 6 * 3600
# A running occurrence's heartbeat is written every SCHEDULER_HEARTBEAT_SECONDS; any scheduler
# (on any host) takes over and reruns one whose heartbeat is older than SCHEDULER_STALE_SECONDS,
# looking every SCHEDULER_RECOVERY_SECONDS. SCHEDULER_HOST names this scheduler in job_run
# (default: the host name).
SCHEDULER_HEARTBEAT_SECONDS = 30
SCHEDULER_STALE_SECONDS = 180
SCHEDULER_RECOVERY_SECONDS = 60
SCHEDULER_HOST = ""
# Days after a quarter's last deadline before its MCA release is published (late returns).
RELEASE_GRACE_DAYS = 14

# Local and sub-regional shares are shown only where at least this share of the spend (by the
# glossary's method) is located; below it they read "not enough spend located".
LOCATED_SHARE_MINIMUM = 0.5

# JSON request bodies nested deeper than this many lists and objects are refused (400).
JSON_MAX_DEPTH = 32
# The issues of a "check only" upload are kept this long for the CSV.
CHECK_REPORT_HOURS = 12
# A checked file's bytes, for "Submit this file": kept with the web session that checked it (one
# file per session, not in the blob store) for this long, if it is no bigger than this.
CHECKED_UPLOAD_MINUTES = 60
CHECKED_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# Live renders of a report's PDF (when no stored copy is current) per person or client.
LIVE_PDF_RATE_LIMIT = "6 per hour"
