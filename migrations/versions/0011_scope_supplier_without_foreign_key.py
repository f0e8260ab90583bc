"""spend_scope_supplier without its foreign key to spend_scope.

Accepting a spend return inserts tens of thousands of mask rows (one per scope, threshold,
location class and supplier), and PostgreSQL checked the foreign key row by row: half the time
of the insert. `exchange.services.aggregates.supplier_scopes` is the only writer; it deletes a scope's rows
before the scope itself (what ON DELETE CASCADE did).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 14:45:00.000000
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spend_scope_supplier', schema=None) as batch_op:
        batch_op.drop_constraint('fk_spend_scope_supplier_scope_id_spend_scope',
                                 type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('spend_scope_supplier', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_spend_scope_supplier_scope_id_spend_scope', 'spend_scope',
                                    ['scope_id'], ['id'], ondelete='CASCADE')
