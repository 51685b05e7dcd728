"""user.session_version: part of every session and remember cookie, raised to end them all (logout,
password change, admin reset, deactivation)

Revision ID: 7d41b9c2e8a1
Revises: 5b7e2c9d1a40
Create Date: 2026-12-07 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7d41b9c2e8a1'
down_revision = '5b7e2c9d1a40'
branch_labels = None
depends_on = None


# Plain ALTER TABLE (SQLite >= 3.35 drops columns itself): a batch rebuild of "user" on SQLite would lose
# the expression index ix_user_username_lower, which it cannot reflect.
def upgrade():
    op.add_column('user', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.drop_column('user', 'session_version')
