"""audit log table; a points ledger row may revoke another (competition points revoked by an admin)

Revision ID: b7e2d9c41a60
Revises: a3c1f0d2e4b5
Create Date: 2026-12-07 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models._types

# revision identifiers, used by Alembic.
revision = 'b7e2d9c41a60'
down_revision = 'a3c1f0d2e4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', quizapp.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action_created', ['action', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_created', ['created_at', 'id'], unique=False)

    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revokes_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_points_entry_revokes_id'), ['revokes_id'])
        batch_op.create_foreign_key(batch_op.f('fk_points_entry_revokes_id_points_entry'), 'points_entry',
                                    ['revokes_id'], ['id'])


def downgrade():
    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_points_entry_revokes_id_points_entry'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_points_entry_revokes_id'), type_='unique')
        batch_op.drop_column('revokes_id')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_created')
        batch_op.drop_index('ix_audit_entry_actor_created')
        batch_op.drop_index('ix_audit_entry_action_created')

    op.drop_table('audit_entry')
