"""web_session: signed-in sessions kept by the hub; hub_user.must_change_password.

A session cookie used to be the whole session (the signed-in person's id, signed, valid 31
days): a copy taken before signing out still worked. Now the cookie carries a random id whose
SHA-256 is a row here; signing out, a password change or reset and disabling the person delete
the rows, and the idle and absolute timeouts are checked against them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 17:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['hub_user.id'],
                            name=op.f('fk_web_session_user_id_hub_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_session')),
    sa.UniqueConstraint('id_hash', name=op.f('uq_web_session_id_hash'))
    )
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_session_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('hub_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('hub_user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_session_user_id'))
    op.drop_table('web_session')
