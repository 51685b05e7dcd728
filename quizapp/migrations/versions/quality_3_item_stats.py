"""item statistics: running sums per question version (proportion correct, point-biserial, time) and
choice counts, kept at finalise; `flask rebuild-stats` fills them for existing attempts

Revision ID: e93c7a2dbf43
Revises: d82b6f1cae32
Create Date: 2026-12-07 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e93c7a2dbf43'
down_revision = 'd82b6f1cae32'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_stat',
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('share_sum', sa.Float(), nullable=False),
    sa.Column('share_square_sum', sa.Float(), nullable=False),
    sa.Column('correct_share_sum', sa.Float(), nullable=False),
    sa.Column('strong_attempts', sa.Integer(), nullable=False),
    sa.Column('strong_correct', sa.Integer(), nullable=False),
    sa.Column('seconds_sum', sa.Float(), nullable=False),
    sa.Column('suspicious', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_item_stat_question_id_question'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_version.id'],
                            name=op.f('fk_item_stat_question_version_id_question_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_version_id', name=op.f('pk_item_stat'))
    )
    with op.batch_alter_table('item_stat', schema=None) as batch_op:
        batch_op.create_index('ix_item_stat_question', ['question_id', 'question_version_id'], unique=False)
        batch_op.create_index('ix_item_stat_suspicious', ['suspicious', 'question_version_id'], unique=False)
    op.create_table('item_choice_stat',
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=5), nullable=False),
    sa.Column('chosen', sa.Integer(), nullable=False),
    sa.Column('strong_chosen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_version.id'],
                            name=op.f('fk_item_choice_stat_question_version_id_question_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_version_id', 'choice', name=op.f('pk_item_choice_stat'))
    )


def downgrade():
    op.drop_table('item_choice_stat')
    with op.batch_alter_table('item_stat', schema=None) as batch_op:
        batch_op.drop_index('ix_item_stat_suspicious')
        batch_op.drop_index('ix_item_stat_question')
    op.drop_table('item_stat')
