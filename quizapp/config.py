"""Configuration defaults. instance/config.py overrides them; QUIZAPP_* environment variables win."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

MIN_SECRET_KEY_BYTES = 32
# Keys that were ever published with the code: a cookie signed with one of them is a forged login.
PUBLISHED_SECRET_KEYS = {"dev-only-change-me"}
SECRET_KEY_FILE = "secret_key"  # in the instance folder, written once by `flask init-db`
GENERATE_KEY_HINT = 'python -c "import secrets; print(secrets.token_hex(32))"'

DEFAULTS = {
    "SECRET_KEY": None,  # from QUIZAPP_SECRET_KEY, instance/config.py or instance/secret_key
    "SQLALCHEMY_DATABASE_URI": None,  # None -> SQLite file in the instance folder
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},  # a connection lost while idle is replaced
    "SESSION_PROTECTION": "strong",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_NAME": "remember_token",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_DAYS": 30,  # how long 记住我 keeps a device logged in
    "SECURE_COOKIES": False,  # True behind HTTPS: Secure cookies and HSTS
    "TRUSTED_PROXIES": 0,  # reverse proxies in front of the app that set X-Forwarded-For
    "SCREEN_FRAME_ANCESTORS": [],  # origins that may show the 大屏 in a frame, e.g. ["https://screen.example.org"]
    "WTF_CSRF_TIME_LIMIT": None,  # a long exam must still submit
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "KNOWN_DEVICE_DAYS": 180,  # a device where an account logged in keeps its own login limit this long
    "BOOTSTRAP_SERVE_LOCAL": True,
    "TIMEZONE": "Asia/Shanghai",
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 20000,
    "ROSTER_MAX_ROWS": 5000,
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # Optional drafting by a language model (OpenAI-compatible chat completions); off when unset.
    "LLM_URL": "",
    "LLM_MODEL": "",
    "LLM_API_KEY": "",
    # 知识竞赛 points (services/competitions/awards.py): what an organiser below admin may award, and
    # the entrants a competition needs before any place points are given.
    "COMPETITION_ORGANISER_MAX_PARTICIPATION_POINTS": 5,
    "COMPETITION_ORGANISER_MAX_PLACE_POINTS": 20,
    "COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS": 5,
}

# Environment variable -> config key (and the type to parse it as).
ENVIRONMENT = {
    "QUIZAPP_SECRET_KEY": ("SECRET_KEY", str),
    "QUIZAPP_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "QUIZAPP_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "QUIZAPP_REMEMBER_DAYS": ("REMEMBER_DAYS", int),
    "QUIZAPP_SECURE_COOKIES": ("SECURE_COOKIES", lambda value: value.strip().lower() in ("1", "true", "yes", "on")),
    "QUIZAPP_TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "QUIZAPP_SCREEN_FRAME_ANCESTORS": ("SCREEN_FRAME_ANCESTORS", str.split),
    "QUIZAPP_TIMEZONE": ("TIMEZONE", str),
    "QUIZAPP_IMPORT_MAX_BYTES": ("IMPORT_MAX_BYTES", int),
    "QUIZAPP_IMPORT_MAX_ROWS": ("IMPORT_MAX_ROWS", int),
    "QUIZAPP_LLM_URL": ("LLM_URL", str),
    "QUIZAPP_LLM_MODEL": ("LLM_MODEL", str),
    "QUIZAPP_LLM_API_KEY": ("LLM_API_KEY", str),
    "QUIZAPP_COMPETITION_ORGANISER_MAX_PARTICIPATION_POINTS": ("COMPETITION_ORGANISER_MAX_PARTICIPATION_POINTS", int),
    "QUIZAPP_COMPETITION_ORGANISER_MAX_PLACE_POINTS": ("COMPETITION_ORGANISER_MAX_PLACE_POINTS", int),
    "QUIZAPP_COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS": ("COMPETITION_MIN_ENTRANTS_FOR_PLACE_POINTS", int),
}


def from_environment(environ=os.environ) -> dict:
    return {key: cast(environ[name]) for name, (key, cast) in ENVIRONMENT.items() if environ.get(name)}


def database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def cookie_settings(config) -> dict:
    """Flask's and Flask-Login's cookie settings that follow from REMEMBER_DAYS and SECURE_COOKIES (a
    SESSION_COOKIE_SECURE = True set directly in instance/config.py counts as SECURE_COOKIES too)."""
    secure = bool(config["SECURE_COOKIES"] or config.get("SESSION_COOKIE_SECURE"))
    return {"REMEMBER_COOKIE_DURATION": timedelta(days=config["REMEMBER_DAYS"]), "SECURE_COOKIES": secure,
            "SESSION_COOKIE_SECURE": secure, "REMEMBER_COOKIE_SECURE": secure}


class SecretKeyError(RuntimeError):
    """The app must not run: its SECRET_KEY is missing, published or too short."""


def secret_key_problem(key) -> str:
    """Why `key` cannot sign sessions ("" if it can)."""
    if not key:
        return "没有设置 SECRET_KEY（会话密钥）"
    if key in PUBLISHED_SECRET_KEYS:
        return "SECRET_KEY 是代码中公开过的默认值，任何人都能用它伪造登录"
    if len(key.encode() if isinstance(key, str) else key) < MIN_SECRET_KEY_BYTES:
        return f"SECRET_KEY 太短（至少需要 {MIN_SECRET_KEY_BYTES} 字节）"
    return ""


def secret_key_message(problem: str) -> str:
    return (f"拒绝启动：{problem}。请生成一个随机密钥：{GENERATE_KEY_HINT}，"
            f"再设置环境变量 QUIZAPP_SECRET_KEY，或写入 instance/config.py 的 SECRET_KEY；"
            f"本机开发可运行 flask --app quizapp init-db，它会在 instance/{SECRET_KEY_FILE} 中生成一个。")


def read_key_file(instance_path: str) -> str | None:
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def write_key_file(instance_path: str) -> Path:
    """Write a new random key readable by its owner only; never overwrites one."""
    path = Path(instance_path) / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secrets.token_hex(MIN_SECRET_KEY_BYTES) + "\n")
    return path
