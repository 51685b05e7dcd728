"""regrades: who regraded which question version's past answers, when, why and how, and the
competitions whose results it changed

Revision ID: f04d8b3ec054
Revises: e93c7a2dbf43
Create Date: 2026-12-07 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models._types

# revision identifiers, used by Alembic.
revision = 'f04d8b3ec054'
down_revision = 'e93c7a2dbf43'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regrade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('old_version_id', sa.Integer(), nullable=False),
    sa.Column('new_version_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('attempts_changed', sa.Integer(), nullable=False),
    sa.Column('members_changed', sa.Integer(), nullable=False),
    sa.Column('points_changed', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', quizapp.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode in ('none', 'credit', 'rekey')", name=op.f('ck_regrade_mode')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_regrade_created_by_id_user')),
    sa.ForeignKeyConstraint(['new_version_id'], ['question_version.id'],
                            name=op.f('fk_regrade_new_version_id_question_version')),
    sa.ForeignKeyConstraint(['old_version_id'], ['question_version.id'],
                            name=op.f('fk_regrade_old_version_id_question_version')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_regrade_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regrade'))
    )
    with op.batch_alter_table('regrade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regrade_question_id'), ['question_id'], unique=False)
    op.create_table('regrade_competition',
    sa.Column('regrade_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'],
                            name=op.f('fk_regrade_competition_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['regrade_id'], ['regrade.id'], name=op.f('fk_regrade_competition_regrade_id_regrade'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('regrade_id', 'competition_id', name=op.f('pk_regrade_competition'))
    )
    with op.batch_alter_table('regrade_competition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regrade_competition_competition_id'), ['competition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('regrade_competition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regrade_competition_competition_id'))
    op.drop_table('regrade_competition')
    with op.batch_alter_table('regrade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regrade_question_id'))
    op.drop_table('regrade')
