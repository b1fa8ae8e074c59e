"""workspace links remember the workspace's name and when Slack disconnected it

Revision ID: 0003_bot_workspace_state
Revises: 0002_bot_replays
Create Date: 2026-12-02 17:10:00
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0003_bot_workspace_state'
down_revision = '0002_bot_replays'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('slack_workspace_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('disconnected_at', patrol.models.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('slack_workspace_links', schema=None) as batch_op:
        batch_op.drop_column('disconnected_at')
        batch_op.drop_column('team_name')
