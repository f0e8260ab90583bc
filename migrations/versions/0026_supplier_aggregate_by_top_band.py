"""spend_supplier_aggregate: one row per return, supplier and location, with its top band.

The rows were one per band as well (supplier × location × band): 500,000 for a return paying
200,000 suppliers, when every reader asks only whether a supplier's lines reached a threshold
in a location — the views' distinct counts, the supplier masks (their top band) and which
suppliers a corrected version changed. The rows of a supplier and location are merged into
one: the highest band and the summed net amount.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 21:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

_KEY = ["return_id", "supplier_key", "location"]


def upgrade() -> None:
    op.execute("CREATE TABLE supplier_aggregate_top AS SELECT return_id, supplier_key, location, "
               "max(band_pence) AS band_pence, sum(amount_pence) AS amount_pence "
               "FROM spend_supplier_aggregate GROUP BY return_id, supplier_key, location")
    op.execute(sa.table("spend_supplier_aggregate").delete())
    with op.batch_alter_table("spend_supplier_aggregate", schema=None) as batch_op:
        batch_op.drop_constraint("pk_spend_supplier_aggregate", type_="primary")
        batch_op.create_primary_key("pk_spend_supplier_aggregate", _KEY)
    op.execute("INSERT INTO spend_supplier_aggregate (return_id, supplier_key, location, "
               "band_pence, amount_pence) SELECT return_id, supplier_key, location, band_pence, "
               "amount_pence FROM supplier_aggregate_top")
    op.drop_table("supplier_aggregate_top")


def downgrade() -> None:
    # Each row stays as it is: one per supplier and location, at its top band.
    with op.batch_alter_table("spend_supplier_aggregate", schema=None) as batch_op:
        batch_op.drop_constraint("pk_spend_supplier_aggregate", type_="primary")
        batch_op.create_primary_key("pk_spend_supplier_aggregate", [*_KEY, "band_pence"])
