"""drop competition.board_version: it keyed a per-process board cache, now gone (boards read the
summary rows on every request)

Revision ID: c7d2e9a41b06
Revises: f04d8b3ec054
Create Date: 2026-12-07 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c7d2e9a41b06'
down_revision = 'f04d8b3ec054'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_column('board_version')


def downgrade():
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_version', sa.Integer(), nullable=False, server_default='0'))
