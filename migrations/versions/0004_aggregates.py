"""aggregates: maintained sums of spend lines per accepted spend return, for the views and feeds.

``spend_aggregate`` holds one return's spend by supplier location (LAD code, ``outside`` or
``unknown``), SME and VCSE flags and amount band, in whole pence; ``spend_supplier_aggregate``
the distinct supplier keys per location and band, with what each was paid. Both are filled here
from the lines already stored, so views are right straight after the upgrade (``hub aggregates
rebuild`` does the same later).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:05:30.968727
"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LOCATION = ("CASE WHEN location_status = 'found' THEN COALESCE(lad_code, 'unknown') "
            "WHEN location_status = 'outside' THEN 'outside' ELSE 'unknown' END")


def upgrade() -> None:
    op.create_table('spend_aggregate',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=9), nullable=False),
    sa.Column('sme', sa.Boolean(), nullable=False),
    sa.Column('vcse', sa.Boolean(), nullable=False),
    sa.Column('band_pence', sa.BigInteger(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('credit_pence', sa.BigInteger(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['partner_return.id'], name=op.f('fk_spend_aggregate_return_id_partner_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('return_id', 'location', 'sme', 'vcse', 'band_pence', name=op.f('pk_spend_aggregate'))
    )
    op.create_table('spend_supplier_aggregate',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('supplier_key', sa.String(length=320), nullable=False),
    sa.Column('location', sa.String(length=9), nullable=False),
    sa.Column('band_pence', sa.BigInteger(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['partner_return.id'], name=op.f('fk_spend_supplier_aggregate_return_id_partner_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('return_id', 'supplier_key', 'location', 'band_pence', name=op.f('pk_spend_supplier_aggregate'))
    )
    _fill()


def _fill() -> None:
    """Aggregate the spend lines of every accepted spend return already stored."""
    bind = op.get_bind()
    found = bind.execute(sa.text("SELECT DISTINCT spend_threshold FROM partner")).scalars()
    thresholds = sorted({Decimal(t) for t in found if t is not None and Decimal(t) > 0},
                        reverse=True)
    band = ("CASE " + " ".join(f"WHEN ABS(amount) >= {t} THEN {int(t * 100)}"
                               for t in thresholds) + " ELSE 0 END") if thresholds else "CAST(0 AS BIGINT)"
    pence = "CAST(ROUND(amount * 100) AS BIGINT)"
    accepted = ("return_id IN (SELECT id FROM partner_return WHERE kind = 'spend' "
                "AND status = 'accepted' AND version IS NOT NULL)")
    sme = "CASE WHEN sme THEN 1 = 1 ELSE 1 = 0 END"
    vcse = "CASE WHEN vcse THEN 1 = 1 ELSE 1 = 0 END"
    op.execute(
        "INSERT INTO spend_aggregate (return_id, location, sme, vcse, band_pence, amount_pence, "
        f"credit_pence, lines) SELECT return_id, {LOCATION}, {sme}, {vcse}, {band}, SUM({pence}), "
        f"SUM(CASE WHEN amount < 0 THEN {pence} ELSE 0 END), COUNT(*) FROM spend_line "
        f"WHERE {accepted} GROUP BY return_id, {LOCATION}, {sme}, {vcse}, {band}")
    op.execute(
        "INSERT INTO spend_supplier_aggregate (return_id, supplier_key, location, band_pence, "
        f"amount_pence) SELECT return_id, supplier_key, {LOCATION}, {band}, SUM({pence}) "
        "FROM spend_line "
        f"WHERE {accepted} AND supplier_key IS NOT NULL "
        f"GROUP BY return_id, supplier_key, {LOCATION}, {band}")


def downgrade() -> None:
    op.drop_table('spend_supplier_aggregate')
    op.drop_table('spend_aggregate')
