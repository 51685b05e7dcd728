"""Finding 1: the app must never run with a missing, published or short SECRET_KEY (a forged
remember cookie for user 1 answered /admin/users as admin), and a new machine gets a key of its own."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import config, create_app

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k" * 32


@pytest.fixture
def production_env(tmp_path, monkeypatch):
    """create_app() as production builds it: instance folder in tmp_path, no key anywhere."""
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    for name in ("QUIZAPP_SECRET_KEY", "FLASK_RUN_FROM_CLI"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.mark.parametrize("key, problem", [
    (None, "没有设置 SECRET_KEY"),
    ("dev-only-change-me", "公开过的默认值"),
    ("x" * 31, "太短"),
    ("密钥" * 5, "太短"),  # 30 bytes in UTF-8
])
def test_the_app_refuses_to_start_with_a_missing_published_or_short_key(production_env, monkeypatch, key, problem):
    if key:
        monkeypatch.setenv("QUIZAPP_SECRET_KEY", key)
    with pytest.raises(config.SecretKeyError) as refused:
        create_app()
    assert problem in str(refused.value)
    assert 'secrets.token_hex(32)' in str(refused.value) and "QUIZAPP_SECRET_KEY" in str(refused.value)


def test_a_published_key_in_instance_config_is_refused_too(production_env):
    (production_env / "config.py").write_text('SECRET_KEY = "dev-only-change-me"\n')
    with pytest.raises(config.SecretKeyError):
        create_app()


def test_a_long_random_key_from_the_environment_starts_the_app(production_env, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", GOOD_KEY)
    assert create_app().secret_key == GOOD_KEY


def test_the_key_file_in_the_instance_folder_is_used_and_the_environment_wins(production_env, monkeypatch):
    path = config.write_key_file(str(production_env))
    assert create_app().secret_key == path.read_text().strip()
    assert len(bytes.fromhex(path.read_text().strip())) == 32 and path.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", GOOD_KEY)
    assert create_app().secret_key == GOOD_KEY


def test_a_flask_command_may_run_without_a_key_but_serves_nothing(production_env, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    app = create_app()
    response = app.test_client().get("/login")
    assert response.status_code == 503 and "没有设置 SECRET_KEY" in response.get_data(as_text=True)


def test_init_db_writes_a_random_key_once_and_the_server_then_starts(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QUIZAPP_", "FLASK_"))}
    env.update(QUIZAPP_INSTANCE_PATH=str(tmp_path))
    flask = [sys.executable, "-m", "flask", "--app", "quizapp", "init-db"]
    first = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert "已生成随机会话密钥" in first.stdout
    again = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and (tmp_path / "secret_key").read_text() == key  # never replaced
    serve = subprocess.run([sys.executable, "-c", "from run import app; print(len(app.secret_key))"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=60)
    assert serve.stdout.strip() == "64", serve.stderr


def test_the_key_is_git_ignored():
    ignored = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=ROOT)
    assert ignored.returncode == 0


@pytest.mark.parametrize("value, secure", [("1", True), ("true", True), ("0", False), ("no", False)])
def test_the_production_settings_come_from_the_environment(production_env, monkeypatch, value, secure):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("QUIZAPP_SECURE_COOKIES", value)
    monkeypatch.setenv("QUIZAPP_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("QUIZAPP_REMEMBER_DAYS", "14")
    monkeypatch.setenv("QUIZAPP_SCREEN_FRAME_ANCESTORS", "https://a.example.org https://b.example.org")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is secure and app.config["REMEMBER_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 14
    assert app.config["SCREEN_FRAME_ANCESTORS"] == ["https://a.example.org", "https://b.example.org"]
    seen = {}
    app.wsgi_app.app = lambda environ, start_response: seen.update(environ) or []  # behind ProxyFix
    app.wsgi_app({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9", "wsgi.url_scheme": "http"}, None)
    assert seen["REMOTE_ADDR"] == "198.51.100.9"
