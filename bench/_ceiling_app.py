"""The app as production runs it (environment configuration), plus one bench-only endpoint that inserts
a row through the app's own engine and session: the cheapest write a page can do on that database.

    gunicorn 'bench._ceiling_app:create()'

Importing this module has no side effect, so the bench runner can create the table first.
"""
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert

from quizapp.config import database_url as normalise_url

# Outside the app's metadata, so that it never reaches a migration.
bench_metadata = MetaData()
bench_row = Table("bench_row", bench_metadata,
                  Column("id", Integer, primary_key=True),
                  Column("created_at", DateTime(timezone=True), nullable=False),
                  Column("note", String(40), nullable=False))


def create():
    from quizapp import create_app
    from quizapp.extensions import csrf, db

    app = create_app()

    @app.post("/bench/insert")
    @csrf.exempt
    def bench_insert():
        db.session.execute(insert(bench_row).values(created_at=datetime.now(timezone.utc), note="ceiling"))
        db.session.commit()
        return {"status": "ok"}

    return app


def create_bench_table(database_url: str) -> None:
    engine = create_engine(normalise_url(database_url))
    bench_metadata.create_all(engine)
    engine.dispose()


def count_rows(database_url: str) -> int:
    from sqlalchemy import func, select

    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(bench_row))
    engine.dispose()
    return count
