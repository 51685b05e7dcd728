"""user.elder_mode: the member's choice of 长辈版 (larger text and controls), NULL until chosen

Revision ID: e1de7a0b5c21
Revises: b7e2d9c41a60
Create Date: 2026-12-07 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e1de7a0b5c21'
down_revision = 'b7e2d9c41a60'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE (no batch copy), so that SQLite keeps the expression index on lower(username).
    op.add_column('user', sa.Column('elder_mode', sa.Boolean(), nullable=True))


def downgrade():
    op.drop_column('user', 'elder_mode')
