"""audit_event append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

The audit log was append-only by convention; now the database refuses any change to an event,
from the app, a script or a shell. The statements live beside the model
(``exchange.models.audit.APPEND_ONLY``) so the test suite can lift them to empty the table.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 17:05:00.000000
"""
from alembic import op

from exchange.models.audit import APPEND_ONLY

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create, _ = APPEND_ONLY[op.get_bind().dialect.name]
    for statement in create:
        op.execute(statement)


def downgrade() -> None:
    _, drop = APPEND_ONLY[op.get_bind().dialect.name]
    for statement in drop:
        op.execute(statement)
