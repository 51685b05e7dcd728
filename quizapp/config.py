"""Configuration defaults. instance/config.py overrides them; QUIZAPP_* environment variables win."""
import os

DEFAULTS = {
    "SECRET_KEY": "dev-only-change-me",
    "SQLALCHEMY_DATABASE_URI": None,  # None -> SQLite file in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},  # a connection lost while idle is replaced
    "SESSION_PROTECTION": "strong",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,  # a long exam must still submit
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "BOOTSTRAP_SERVE_LOCAL": True,
    "TIMEZONE": "Asia/Shanghai",
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20000,
    "ROSTER_MAX_ROWS": 5000,
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
}

# Environment variable -> config key (and the type to parse it as).
ENVIRONMENT = {
    "QUIZAPP_SECRET_KEY": ("SECRET_KEY", str),
    "QUIZAPP_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "QUIZAPP_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "QUIZAPP_TIMEZONE": ("TIMEZONE", str),
    "QUIZAPP_IMPORT_MAX_BYTES": ("IMPORT_MAX_BYTES", int),
    "QUIZAPP_IMPORT_MAX_ROWS": ("IMPORT_MAX_ROWS", int),
}


def from_environment(environ=os.environ) -> dict:
    return {key: cast(environ[name]) for name, (key, cast) in ENVIRONMENT.items() if environ.get(name)}


def database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
