"""spend_scope_supplier: a row per supplier, destination and the highest threshold it reached.

The rows were one per threshold and location class (any, local, each destination): three to
twelve per supplier, 1.2 million a scope for a return paying 200,000 suppliers. They are now
one per destination and top threshold (``exchange.models.aggregates.SpendScopeSupplier``), and
the counts the views read are derived from them. The table keeps its columns; its rows mean
something else, so the scopes are dropped here: until a spend return is next accepted (which
builds every missing scope) or ``hub aggregates rebuild`` runs, the views count distinct
suppliers from ``spend_supplier_aggregate`` instead — the same figures, more slowly.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 08:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _drop_scopes()


def downgrade() -> None:
    _drop_scopes()


def _drop_scopes() -> None:
    for table in ("spend_scope_mask_count", "spend_scope_supplier", "spend_scope"):
        op.execute(sa.table(table).delete())
