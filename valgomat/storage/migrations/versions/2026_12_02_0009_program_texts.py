"""program texts, kept once per SHA-256 of their content

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('program_texts',
                    sa.Column('sha256', sa.String(length=64), nullable=False),
                    sa.Column('text', sa.Text(), nullable=False),
                    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('sha256'))


def downgrade() -> None:
    op.drop_table('program_texts')
