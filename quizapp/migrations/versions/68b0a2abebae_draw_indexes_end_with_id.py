"""draw indexes end with id: a draw's walk in (draw_key, id) order reads the index in order, with no
sort step, whatever statistics PostgreSQL has

Revision ID: 68b0a2abebae
Revises: 37667dd6daac
Create Date: 2026-12-02 06:48:17.611367

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '68b0a2abebae'
down_revision = '37667dd6daac'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_draw')
        batch_op.create_index('ix_question_draw', ['status', 'type', 'draw_key', 'id'], unique=False)
        batch_op.drop_index('ix_question_draw_category')
        batch_op.create_index('ix_question_draw_category', ['status', 'type', 'category_id', 'draw_key', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_draw_category')
        batch_op.create_index('ix_question_draw_category', ['status', 'type', 'category_id', 'draw_key'], unique=False)
        batch_op.drop_index('ix_question_draw')
        batch_op.create_index('ix_question_draw', ['status', 'type', 'draw_key'], unique=False)
