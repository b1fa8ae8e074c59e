"""slack_channel webhooks: a channel and team instead of a URL, a server filter,
and each scan's living message in a channel

Revision ID: 0002_webhooks_slack_channel
Revises: 0001_webhooks
Create Date: 2026-12-02 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0002_webhooks_slack_channel'
down_revision = '0001_webhooks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=10), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('slack_team_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('slack_channel_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('server_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_webhooks_slack_team_id'), ['slack_team_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_webhooks_server_id_servers'), 'servers', ['server_id'], ['id'],
                                    ondelete='CASCADE')

    op.create_table('slack_scan_messages',
    sa.Column('webhook_id', sa.String(length=40), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=True),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scans.id'], name=op.f('fk_slack_scan_messages_scan_id_scans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_slack_scan_messages_webhook_id_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('webhook_id', 'scan_id', name=op.f('pk_slack_scan_messages'))
    )


def downgrade() -> None:
    op.drop_table('slack_scan_messages')
    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_webhooks_server_id_servers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_webhooks_slack_team_id'))
        batch_op.drop_column('server_id')
        batch_op.drop_column('slack_channel_id')
        batch_op.drop_column('slack_team_id')
        batch_op.alter_column('kind', existing_type=sa.String(length=16), type_=sa.String(length=10),
                              existing_nullable=False)
