"""web sessions

Revision ID: 0002_web_sessions
Revises: 0001_web
Create Date: 2026-12-02 17:20:00
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0002_web_sessions'
down_revision = '0001_web'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_web_sessions_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_sessions_token_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_sessions_last_seen_at'), ['last_seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_last_seen_at'))
        batch_op.drop_index(batch_op.f('ix_web_sessions_account_id'))

    op.drop_table('web_sessions')
