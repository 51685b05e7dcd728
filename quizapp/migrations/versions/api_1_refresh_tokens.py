"""api refresh tokens: the JSON API's revocable refresh tokens, stored hashed

Revision ID: 5e7d2b9c41a0
Revises: c7d2e9a41b06
Create Date: 2026-12-07 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

from quizapp.models._types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '5e7d2b9c41a0'
down_revision = 'c7d2e9a41b06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_refresh_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_refresh_token_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_refresh_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_refresh_token_token_hash')),
    )
    with op.batch_alter_table('api_refresh_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_refresh_token_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_refresh_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_refresh_token_user_id'))
    op.drop_table('api_refresh_token')
