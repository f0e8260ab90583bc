"""spend_line keyed by (return_id, row_number), without a surrogate id or a foreign key.

A spend return can hold a million lines, written by one COPY. The surrogate ``id`` (a sequence
and its own index), the separate ``(return_id, row_number)`` index and the foreign key to
``partner_return`` (checked row by row when the COPY ends) tripled the time PostgreSQL took to
store them. Lines are only written by the service that creates their return, in the same
transaction, and returns are never deleted, so the key alone keeps the table consistent.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:05:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spend_line', schema=None) as batch_op:
        batch_op.drop_constraint('fk_spend_line_return_id_partner_return', type_='foreignkey')
        batch_op.drop_index('ix_spend_line_return_row')
        batch_op.drop_constraint('pk_spend_line', type_='primary')
        batch_op.drop_column('id')
        batch_op.create_primary_key('pk_spend_line', ['return_id', 'row_number'])


def downgrade() -> None:
    with op.batch_alter_table('spend_line', schema=None) as batch_op:
        batch_op.drop_constraint('pk_spend_line', type_='primary')
        batch_op.add_column(sa.Column('id', sa.Integer(), sa.Identity(), nullable=False))
        batch_op.create_primary_key('pk_spend_line', ['id'])
        batch_op.create_index('ix_spend_line_return_row', ['return_id', 'row_number'],
                              unique=False)
        batch_op.create_foreign_key('fk_spend_line_return_id_partner_return', 'partner_return',
                                    ['return_id'], ['id'], ondelete='CASCADE')
