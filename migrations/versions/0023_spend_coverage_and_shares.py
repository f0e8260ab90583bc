"""spend coverage and shares: the aggregates carry how each location was known, and the nets
per supplier the shares are computed from.

``spend_aggregate`` gains ``location_source`` in its key (``line``, ``register``, ``identifier``,
``companies_register`` or ``unknown``), so every figure can say how much of its spend was located
and by which source. ``spend_share_aggregate`` holds, per return and spend threshold, each
supplier's net summed by whether it is positive: shares leave out suppliers whose net is not (the
glossary's method), so no share passes 100%. Both are refilled here from the lines already
stored, so views are right straight after the upgrade (``hub aggregates rebuild`` does the same).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 21:50:00.000000
"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

LOCATION = ("CASE WHEN location_status = 'found' THEN COALESCE(lad_code, 'unknown') "
            "WHEN location_status = 'outside' THEN 'outside' ELSE 'unknown' END")
SOURCE = "COALESCE(location_source, 'unknown')"
SME = "CASE WHEN sme THEN 1 = 1 ELSE 1 = 0 END"
VCSE = "CASE WHEN vcse THEN 1 = 1 ELSE 1 = 0 END"
PENCE = "CAST(ROUND(amount * 100) AS BIGINT)"
ACCEPTED = ("return_id IN (SELECT id FROM partner_return WHERE kind = 'spend' "
            "AND status = 'accepted' AND version IS NOT NULL)")


def _spend_aggregate(with_source: bool) -> None:
    op.create_table('spend_aggregate',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=9), nullable=False),
    *([sa.Column('location_source', sa.String(length=20), nullable=False)] if with_source else []),
    sa.Column('sme', sa.Boolean(), nullable=False),
    sa.Column('vcse', sa.Boolean(), nullable=False),
    sa.Column('band_pence', sa.BigInteger(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('credit_pence', sa.BigInteger(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['partner_return.id'], name=op.f('fk_spend_aggregate_return_id_partner_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('return_id', 'location', *(['location_source'] if with_source else []), 'sme', 'vcse', 'band_pence', name=op.f('pk_spend_aggregate'))
    )


def _thresholds() -> list[Decimal]:
    found = op.get_bind().execute(sa.text("SELECT DISTINCT spend_threshold FROM partner")).scalars()
    return sorted({Decimal(t) for t in found if t is not None and Decimal(t) > 0}, reverse=True)


def _fill_spend(with_source: bool) -> None:
    thresholds = _thresholds()
    band = ("CASE " + " ".join(f"WHEN ABS(amount) >= {t} THEN {int(t * 100)}"
                               for t in thresholds) + " ELSE 0 END") if thresholds else "CAST(0 AS BIGINT)"
    keys = [LOCATION, *([SOURCE] if with_source else []), SME, VCSE, band]
    names = "location, " + ("location_source, " if with_source else "") + "sme, vcse, band_pence"
    op.execute(
        f"INSERT INTO spend_aggregate (return_id, {names}, amount_pence, credit_pence, lines) "
        f"SELECT return_id, {', '.join(keys)}, SUM({PENCE}), "
        f"SUM(CASE WHEN amount < 0 THEN {PENCE} ELSE 0 END), COUNT(*) FROM spend_line "
        f"WHERE {ACCEPTED} GROUP BY return_id, {', '.join(keys)}")


def _fill_shares() -> None:
    for threshold in [*_thresholds(), Decimal(0)]:
        op.execute(
            "INSERT INTO spend_share_aggregate (return_id, threshold_pence, location, "
            "location_source, sme, vcse, counted, amount_pence, suppliers) "
            f"SELECT return_id, {int(threshold * 100)}, location, location_source, sme, vcse, "
            "CASE WHEN net > 0 THEN 1 = 1 ELSE 1 = 0 END, SUM(net), COUNT(*) FROM ("
            f"SELECT return_id, supplier_key, {LOCATION} AS location, {SOURCE} AS location_source, "
            f"{SME} AS sme, {VCSE} AS vcse, SUM({PENCE}) AS net FROM spend_line "
            f"WHERE {ACCEPTED} AND ABS(amount) >= {threshold} "
            f"GROUP BY return_id, supplier_key, {LOCATION}, {SOURCE}, {SME}, {VCSE}) AS nets "
            "GROUP BY return_id, location, location_source, sme, vcse, "
            "CASE WHEN net > 0 THEN 1 = 1 ELSE 1 = 0 END")


def upgrade() -> None:
    op.drop_table('spend_aggregate')
    _spend_aggregate(with_source=True)
    op.create_table('spend_share_aggregate',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('threshold_pence', sa.BigInteger(), nullable=False),
    sa.Column('location', sa.String(length=9), nullable=False),
    sa.Column('location_source', sa.String(length=20), nullable=False),
    sa.Column('sme', sa.Boolean(), nullable=False),
    sa.Column('vcse', sa.Boolean(), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('suppliers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['partner_return.id'], name=op.f('fk_spend_share_aggregate_return_id_partner_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('return_id', 'threshold_pence', 'location', 'location_source', 'sme', 'vcse', 'counted', name=op.f('pk_spend_share_aggregate'))
    )
    _fill_spend(with_source=True)
    _fill_shares()


def downgrade() -> None:
    op.drop_table('spend_share_aggregate')
    op.drop_table('spend_aggregate')
    _spend_aggregate(with_source=False)
    _fill_spend(with_source=False)
