"""return_issue without its foreign key to partner_return.

A file warned on every line lists 50,000 issues of each code, written by one COPY in the
transaction that creates their return. PostgreSQL checked each row's key against
partner_return: 59,000 issues took 406 ms to copy with the key and 172 ms without. Issues are
written only by ``submit_return``, with the id of the return it has just created, and returns
are never deleted; spend lines (0006) and supplier aggregates (0028) carry no such key either.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 23:15:00.000000
"""
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

_KEY = 'fk_return_issue_return_id_partner_return'


def upgrade() -> None:
    with op.batch_alter_table('return_issue', schema=None) as batch_op:
        batch_op.drop_constraint(_KEY, type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('return_issue', schema=None) as batch_op:
        batch_op.create_foreign_key(_KEY, 'partner_return', ['return_id'], ['id'],
                                    ondelete='CASCADE')
