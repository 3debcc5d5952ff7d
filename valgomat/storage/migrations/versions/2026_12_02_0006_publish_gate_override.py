"""publish gate: override reason and gate warnings per version

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quiz_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_despite', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('gate_warnings', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quiz_versions', schema=None) as batch_op:
        batch_op.drop_column('gate_warnings')
        batch_op.drop_column('published_despite')
