"""api idempotency records: the stored responses of retried API requests

Revision ID: 8c3f1a7d52e4
Revises: 5e7d2b9c41a0
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from quizapp.models._types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '8c3f1a7d52e4'
down_revision = '5e7d2b9c41a0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'idempotency_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_idempotency_record_user_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
        sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_record_user_id_key')),
    )
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_record_created_at'))
    op.drop_table('idempotency_record')
