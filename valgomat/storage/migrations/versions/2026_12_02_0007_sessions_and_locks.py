"""revocable sessions, optimistic locks on topics, partner origins and embed profiles

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 08:00:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), server_default='',
                                      nullable=False))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32)))

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('embed_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origins_lock_version', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('origins_lock_version')
    with op.batch_alter_table('embed_profiles', schema=None) as batch_op:
        batch_op.drop_column('lock_version')
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('lock_version')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
