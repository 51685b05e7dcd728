"""`python run.py` serves the app on SQLite (instance/) for local use; gunicorn serves `run:app`."""
import os

from quizapp import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host=os.environ.get("QUIZAPP_HOST", "127.0.0.1"), port=int(os.environ.get("QUIZAPP_PORT", "5000")))
