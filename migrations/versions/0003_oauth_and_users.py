"""oauth and users: people who sign in, OAuth clients, tokens and authorization codes.

Secrets, tokens and codes are stored only as SHA-256 hex digests (64 characters); passwords as
argon2id hashes. The user table is ``hub_user`` because ``user`` is reserved in PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 07:20:06.668434
"""
from alembic import op
import sqlalchemy as sa
import exchange.models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hub_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_hub_user_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_user')),
    sa.UniqueConstraint('email', name=op.f('uq_hub_user_email'))
    )
    with op.batch_alter_table('hub_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_user_partner_id'), ['partner_id'], unique=False)

    op.create_table('oauth_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=48), nullable=False),
    sa.Column('client_secret_hash', sa.String(length=64), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.String(length=400), nullable=False),
    sa.Column('grant_types', sa.JSON(), nullable=False),
    sa.Column('redirect_uris', sa.JSON(), nullable=False),
    sa.Column('token_endpoint_auth_method', sa.String(length=30), nullable=False),
    sa.Column('created_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_oauth_client_partner_id_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_client')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth_client_client_id'))
    )
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_client_partner_id'), ['partner_id'], unique=False)

    op.create_table('oauth_authorization_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=48), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('redirect_uri', sa.String(length=500), nullable=True),
    sa.Column('scope', sa.String(length=400), nullable=False),
    sa.Column('code_challenge', sa.String(length=128), nullable=False),
    sa.Column('code_challenge_method', sa.String(length=10), nullable=False),
    sa.Column('nonce', sa.String(length=200), nullable=True),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('auth_time', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_client.client_id'], name=op.f('fk_oauth_authorization_code_client_id_oauth_client')),
    sa.ForeignKeyConstraint(['user_id'], ['hub_user.id'], name=op.f('fk_oauth_authorization_code_user_id_hub_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_authorization_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_oauth_authorization_code_code_hash'))
    )
    with op.batch_alter_table('oauth_authorization_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_authorization_code_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_authorization_code_user_id'), ['user_id'], unique=False)

    op.create_table('oauth_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=48), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('token_type', sa.String(length=20), nullable=False),
    sa.Column('access_token_hash', sa.String(length=64), nullable=False),
    sa.Column('refresh_token_hash', sa.String(length=64), nullable=True),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=400), nullable=False),
    sa.Column('issued_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', exchange.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('refresh_expires_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refresh_revoked_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rotated_at', exchange.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_client.client_id'], name=op.f('fk_oauth_token_client_id_oauth_client')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_oauth_token_partner_id_partner')),
    sa.ForeignKeyConstraint(['user_id'], ['hub_user.id'], name=op.f('fk_oauth_token_user_id_hub_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_token')),
    sa.UniqueConstraint('access_token_hash', name=op.f('uq_oauth_token_access_token_hash')),
    sa.UniqueConstraint('refresh_token_hash', name=op.f('uq_oauth_token_refresh_token_hash'))
    )
    with op.batch_alter_table('oauth_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_token_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_token_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_token_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_token_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('oauth_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_token_partner_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_token_family'))
        batch_op.drop_index(batch_op.f('ix_oauth_token_client_id'))

    op.drop_table('oauth_token')
    with op.batch_alter_table('oauth_authorization_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_authorization_code_user_id'))
        batch_op.drop_index(batch_op.f('ix_oauth_authorization_code_client_id'))

    op.drop_table('oauth_authorization_code')
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_client_partner_id'))

    op.drop_table('oauth_client')
    with op.batch_alter_table('hub_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_user_partner_id'))

    op.drop_table('hub_user')
