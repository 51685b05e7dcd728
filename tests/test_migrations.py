"""The migrations produce exactly the schema the models declare."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from quizapp.extensions import db


# SQLite's expression indexes cannot be read back (ix_user_username_lower); test_auth checks that one.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index",
                            "ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_match_models(app):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_removes_every_table(app):
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.create_all()  # leave the schema as the fixture expects
