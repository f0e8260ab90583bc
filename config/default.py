"""Every setting, with a safe default for development on this machine."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

ENV = "development"
# Development only: production refuses to start with this value (see exchange.settings).
SECRET_KEY = "dev-only-insecure-secret"  # noqa: S105
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'exchange.db'}"
BLOB_DIR = str(INSTANCE / "blobs")

# Uploads: a quarter of a large council's payments is ~20 MB of CSV; 1M lines ~200 MB.
MAX_CONTENT_LENGTH = 256 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024

# OAuth 2.0
ACCESS_TOKEN_SECONDS = 3600
AUTHORIZATION_CODE_SECONDS = 300
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
TOKEN_RATE_LIMIT = "30 per minute"  # noqa: S105 (a rate, not a secret)
LOGIN_RATE_LIMIT = "10 per minute"
# Counters per process by default; point at Redis (redis://…) when several workers serve the hub.
RATELIMIT_STORAGE_URI = "memory://"
# The issuer URL in server metadata; set it when the hub sits behind a TLS-terminating proxy.
OAUTH2_ISSUER = None

# Sessions for the login page
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
