"""triage: dismissals and their audit trail, KEV and EPSS data, issues silenced by a dismissal,
advisories' published time

Revision ID: 0004_core_triage
Revises: 0003_core_advisory_details
Create Date: 2026-12-02 17:40:00
"""
from alembic import op
import sqlalchemy as sa

import patrol.models.types

revision = '0004_core_triage'
down_revision = '0003_core_advisory_details'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('epss_scores',
    sa.Column('cve_id', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('percentile', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('cve_id', name=op.f('pk_epss_scores'))
    )
    op.create_table('known_exploited',
    sa.Column('cve_id', sa.String(length=40), nullable=False),
    sa.Column('date_added', sa.Date(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('cve_id', name=op.f('pk_known_exploited'))
    )
    op.create_table('dismissal_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('advisory', sa.String(length=100), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=True),
    sa.Column('server_name', sa.String(length=253), nullable=True),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('expires_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_dismissal_audit_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissal_audit'))
    )
    with op.batch_alter_table('dismissal_audit', schema=None) as batch_op:
        batch_op.create_index('ix_dismissal_audit_account', ['account_id', 'id'], unique=False)

    op.create_table('dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('advisory_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=True),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('ranges_digest', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_dismissals_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['advisory_id'], ['advisories.id'], name=op.f('fk_dismissals_advisory_id_advisories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_dismissals_issue_id_issues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['server_id'], ['servers.id'], name=op.f('fk_dismissals_server_id_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissals'))
    )
    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.create_index('ix_dismissals_advisory', ['account_id', 'advisory_id'], unique=False)

    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('silenced', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Filled as records are imported again (each sync brings changed ones).
    with op.batch_alter_table('advisories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', patrol.models.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('advisories', schema=None) as batch_op:
        batch_op.drop_column('published')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_column('silenced')

    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.drop_index('ix_dismissals_advisory')

    op.drop_table('dismissals')
    with op.batch_alter_table('dismissal_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_dismissal_audit_account')

    op.drop_table('dismissal_audit')
    op.drop_table('known_exploited')
    op.drop_table('epss_scores')
