"""claim index: pending deliveries only, leased ones apart

Revision ID: 0003_webhooks_claim_index
Revises: 0002_webhooks_slack_channel
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_webhooks_claim_index'
down_revision = '0002_webhooks_slack_channel'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
DELIVERING = sa.text("status = 'delivering'")
DUE = sa.text("status IN ('pending', 'delivering')")


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_due')
        batch_op.create_index('ix_deliveries_claim', ['next_attempt_at'], unique=False,
                              sqlite_where=PENDING, postgresql_where=PENDING)
        batch_op.create_index('ix_deliveries_leased', ['webhook_id', 'lease_until'], unique=False,
                              sqlite_where=DELIVERING, postgresql_where=DELIVERING)


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_leased')
        batch_op.drop_index('ix_deliveries_claim')
        batch_op.create_index('ix_deliveries_due', ['next_attempt_at'], unique=False,
                              sqlite_where=DUE, postgresql_where=DUE)
