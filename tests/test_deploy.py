"""The production server settings that the README's deployment command relies on (gunicorn.conf.py)."""
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORES = multiprocessing.cpu_count()


@pytest.mark.parametrize("database_url, workers, threads", [
    (None, 2 * CORES + 1, 1),  # the SQLite file under instance/
    ("sqlite:///{tmp}/x.db", 2 * CORES + 1, 1),
    ("postgresql://postgres@127.0.0.1:5432/quizapp", 2 * CORES, 4),
])
def test_gunicorn_in_the_project_folder_reads_the_production_settings(tmp_path, database_url, workers, threads):
    env = {**os.environ, "QUIZAPP_INSTANCE_PATH": str(tmp_path), "QUIZAPP_SECRET_KEY": "deploy-test-" + "k" * 32}
    env.pop("QUIZAPP_DATABASE_URL", None)
    if database_url:
        env["QUIZAPP_DATABASE_URL"] = database_url.format(tmp=tmp_path)
    shown = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", "--print-config", "run:app"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    settings = {key.strip(): value.strip() for key, _, value in (row.partition("=") for row in shown.splitlines())
                if value}
    assert settings["worker_class"] == "gthread" and settings["bind"] == "['127.0.0.1:8000']"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (str(workers), str(threads), "60")
