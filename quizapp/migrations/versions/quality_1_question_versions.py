"""question versions: what a question said when it was asked; every existing question gets version 1
(its content now) and every existing attempt answer is pinned to it

Revision ID: c71a5e0b9d21
Revises: 7d41b9c2e8a1
Create Date: 2026-12-07 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import quizapp.models._types

# revision identifiers, used by Alembic.
revision = 'c71a5e0b9d21'
down_revision = '7d41b9c2e8a1'
branch_labels = None
depends_on = None

# Plain SQL that SQLite and PostgreSQL both run: version 1 is the question as it is now, written
# when it last changed; every answer points at its question's only version.
COPY_QUESTIONS = """
INSERT INTO question_version (question_id, number, type, stem, options, answer, explanation, quote,
                              created_by_id, created_at)
SELECT id, 1, type, stem, options, answer, explanation, quote, updated_by_id, updated_at FROM question
"""
PIN_ANSWERS = """
UPDATE attempt_answer SET question_version_id =
    (SELECT question_version.id FROM question_version WHERE question_version.question_id = attempt_answer.question_id)
"""


def upgrade():
    op.create_table('question_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', quizapp.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("type in ('single', 'multiple', 'judge', 'fill')", name=op.f('ck_question_version_type')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_question_version_created_by_id_user')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_version_question_id_question'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_version')),
    sa.UniqueConstraint('question_id', 'number', name=op.f('uq_question_version_question_id_number'))
    )
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_version_id', sa.Integer(), nullable=True))
    op.execute(COPY_QUESTIONS)
    op.execute(PIN_ANSWERS)
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.alter_column('question_version_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_attempt_answer_question_version_id'), ['question_version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attempt_answer_question_version_id_question_version'),
                                    'question_version', ['question_version_id'], ['id'])


def downgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_answer_question_version_id_question_version'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attempt_answer_question_version_id'))
        batch_op.drop_column('question_version_id')
    op.drop_table('question_version')
