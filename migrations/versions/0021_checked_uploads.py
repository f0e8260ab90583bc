"""checked_upload: the bytes of a "check only" upload, kept for the web session that checked it
so that "Submit this file" submits exactly those bytes; deleted with the session.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 22:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checked_upload',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('web_session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['web_session_id'], ['web_session.id'],
                            name=op.f('fk_checked_upload_web_session_id_web_session'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['hub_user.id'],
                            name=op.f('fk_checked_upload_user_id_hub_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checked_upload'))
    )
    op.create_index(op.f('ix_checked_upload_web_session_id'), 'checked_upload',
                    ['web_session_id'], unique=False)
    op.create_index(op.f('ix_checked_upload_created_at'), 'checked_upload', ['created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_checked_upload_created_at'), table_name='checked_upload')
    op.drop_index(op.f('ix_checked_upload_web_session_id'), table_name='checked_upload')
    op.drop_table('checked_upload')
