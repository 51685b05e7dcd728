"""index usernames case-insensitively: logging in finds the account by lower(username) with an index
seek instead of reading every account

Revision ID: a3c1f0d2e4b5
Revises: 68b0a2abebae
Create Date: 2026-12-02 08:25:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a3c1f0d2e4b5'
down_revision = '68b0a2abebae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_username_lower', 'user', [sa.text('lower(username)')], unique=False)


def downgrade():
    op.drop_index('ix_user_username_lower', table_name='user')
