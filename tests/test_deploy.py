"""The production server settings that the README's deployment command relies on (gunicorn.conf.py)."""
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_in_the_project_folder_reads_the_production_settings(tmp_path):
    env = {**os.environ, "QUIZAPP_INSTANCE_PATH": str(tmp_path), "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
           "QUIZAPP_SECRET_KEY": "deploy-test"}
    shown = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", "--print-config", "run:app"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    settings = {key.strip(): value.strip() for key, _, value in (row.partition("=") for row in shown.splitlines())
                if value}
    assert settings["worker_class"] == "gthread" and settings["threads"] == "1"
    assert settings["workers"] == str(2 * multiprocessing.cpu_count() + 1)
    assert settings["bind"] == "['127.0.0.1:8000']" and settings["timeout"] == "60"
