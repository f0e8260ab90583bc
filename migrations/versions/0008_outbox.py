"""outbox: every e-mail the hub sends, written before it is sent and kept after.

``outbox_message`` holds the recipients, subject and plain-text body, a unique dedupe key (so a
reminder is queued once), and the delivery state: attempts, when to try next, when the SMTP server
accepted it, and the last error. Rows are never deleted.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 11:20:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.models.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', exchange.models.base.UTCDateTime(timezone=True),
              nullable=False),
    sa.Column('last_attempt_at', exchange.models.base.UTCDateTime(timezone=True),
              nullable=True),
    sa.Column('sent_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_message_dedupe_key'))
    )
    op.create_index('ix_outbox_message_due', 'outbox_message', ['sent_at', 'next_attempt_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_message_due', table_name='outbox_message')
    op.drop_table('outbox_message')
