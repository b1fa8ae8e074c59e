"""advisory sync: feed states, and software indexed by (ecosystem, name) advisories use

Revision ID: 0002_core_advisory_sync
Revises: 0001_core
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa

import patrol.models.types
from patrol.inventory import ecosystems

revision = '0002_core_advisory_sync'
down_revision = '0001_core'
branch_labels = None
depends_on = None

BATCH = 5000
software = sa.table(
    'software', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('ecosystem', sa.String),
    sa.column('source_name', sa.String), sa.column('osv_ecosystem', sa.String), sa.column('osv_name', sa.String),
)


def upgrade() -> None:
    op.create_table('feed_states',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('next_sync_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('lease_until', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('last_attempt_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('last_success_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('watermark', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('validators', sa.JSON(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_feed_states'))
    )
    with op.batch_alter_table('software', schema=None) as batch_op:
        batch_op.add_column(sa.Column('osv_ecosystem', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('osv_name', sa.String(length=255), nullable=True))
    _backfill()
    with op.batch_alter_table('software', schema=None) as batch_op:
        batch_op.create_index('ix_software_osv', ['osv_ecosystem', 'osv_name'], unique=False)


def _backfill() -> None:
    """Existing rows get their advisory key, computed as new pushes compute it."""
    connection, last = op.get_bind(), 0
    while True:
        rows = connection.execute(
            sa.select(software.c.id, software.c.name, software.c.ecosystem, software.c.source_name)
            .where(software.c.id > last, software.c.ecosystem.is_not(None))
            .order_by(software.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        keys = [(row.id, ecosystems.advisory_key(row.name, row.ecosystem, row.source_name)) for row in rows]
        values = [{'row_id': row_id, 'e': key[0], 'n': key[1]} for row_id, key in keys if key]
        if values:
            connection.execute(
                software.update().where(software.c.id == sa.bindparam('row_id'))
                .values(osv_ecosystem=sa.bindparam('e'), osv_name=sa.bindparam('n')),
                values,
            )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('software', schema=None) as batch_op:
        batch_op.drop_index('ix_software_osv')
        batch_op.drop_column('osv_name')
        batch_op.drop_column('osv_ecosystem')
    op.drop_table('feed_states')
