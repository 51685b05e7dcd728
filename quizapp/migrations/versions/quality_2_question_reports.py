"""question reports: 答题纠错, one per member and question, resolved by an admin with a reply

Revision ID: d82b6f1cae32
Revises: c71a5e0b9d21
Create Date: 2026-12-07 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models._types

# revision identifiers, used by Alembic.
revision = 'd82b6f1cae32'
down_revision = 'c71a5e0b9d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('created_at', quizapp.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', quizapp.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason in ('wrong_key', 'ambiguous', 'wrong_options', 'typo', 'other')",
                       name=op.f('ck_question_report_reason')),
    sa.CheckConstraint("status in ('open', 'fixed', 'retired', 'dismissed')", name=op.f('ck_question_report_status')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_question_report_attempt_id_attempt'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_report_question_id_question')),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_version.id'],
                            name=op.f('fk_question_report_question_version_id_question_version')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_question_report_resolved_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_question_report_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_report')),
    sa.UniqueConstraint('user_id', 'question_id', name=op.f('uq_question_report_user_id_question_id'))
    )
    with op.batch_alter_table('question_report', schema=None) as batch_op:
        batch_op.create_index('ix_question_report_status_question', ['status', 'question_id'], unique=False)


def downgrade():
    with op.batch_alter_table('question_report', schema=None) as batch_op:
        batch_op.drop_index('ix_question_report_status_question')
    op.drop_table('question_report')
