"""bot: signatures of answered Slack requests, to refuse replays

Revision ID: 0002_bot_replays
Revises: 0001_bot
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0002_bot_replays'
down_revision = '0001_bot'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('slack_seen_requests',
    sa.Column('signature', sa.String(length=80), nullable=False),
    sa.Column('expires_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('signature', name=op.f('pk_slack_seen_requests'))
    )
    with op.batch_alter_table('slack_seen_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_seen_requests_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('slack_seen_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_seen_requests_expires_at'))

    op.drop_table('slack_seen_requests')
