"""sign-in failures

Revision ID: 0001_web
Revises: 
Create Date: 2026-11-30 04:05:53.531066
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0001_web'
down_revision = None
branch_labels = ('web',)
depends_on = '0001_core'


def upgrade() -> None:
    op.create_table('signin_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('failed_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_failures'))
    )
    with op.batch_alter_table('signin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_signin_failures_address', ['address', 'failed_at'], unique=False)
        batch_op.create_index('ix_signin_failures_email', ['email', 'failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signin_failures_failed_at'), ['failed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signin_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_failures_failed_at'))
        batch_op.drop_index('ix_signin_failures_email')
        batch_op.drop_index('ix_signin_failures_address')

    op.drop_table('signin_failures')
