"""core tables

Revision ID: 0001_core
Revises: 
Create Date: 2026-11-30 03:51:00.558485
"""
from alembic import op
import sqlalchemy as sa
import patrol.models.types


revision = '0001_core'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
    )
    op.create_table('advisories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('osv_id', sa.String(length=100), nullable=False),
    sa.Column('modified', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('url', sa.String(length=1024), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisories')),
    sa.UniqueConstraint('osv_id', name=op.f('uq_advisories_osv_id'))
    )
    op.create_table('advisory_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('advisory_id', sa.Integer(), nullable=False),
    sa.Column('ecosystem', sa.String(length=50), nullable=False),
    sa.Column('ecosystem_full', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('affected', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['advisory_id'], ['advisories.id'], name=op.f('fk_advisory_packages_advisory_id_advisories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_packages'))
    )
    with op.batch_alter_table('advisory_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_packages_advisory_id'), ['advisory_id'], unique=False)
        batch_op.create_index('ix_advisory_packages_lookup', ['ecosystem', 'name'], unique=False)

    op.create_table('credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_credentials_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')),
    sa.UniqueConstraint('key', name=op.f('uq_credentials_key'))
    )
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credentials_account_id'), ['account_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=60), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sa.String(length=40), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('dispatched_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_events_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_events_created', ['created_at'], unique=False)
        batch_op.create_index('ix_events_undispatched', ['created_at'], unique=False, sqlite_where=sa.text('dispatched_at IS NULL'), postgresql_where=sa.text('dispatched_at IS NULL'))

    op.create_table('servers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=253), nullable=False),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('next_scan_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_servers_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_servers')),
    sa.UniqueConstraint('account_id', 'name', name=op.f('uq_servers_account_id'))
    )
    with op.batch_alter_table('servers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_servers_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_servers_next_scan_at'), ['next_scan_at'], unique=False)

    op.create_table('buckets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('expire', sa.Integer(), nullable=True),
    sa.Column('expires_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['server_id'], ['servers.id'], name=op.f('fk_buckets_server_id_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buckets')),
    sa.UniqueConstraint('server_id', 'key', name=op.f('uq_buckets_server_id'))
    )
    op.create_table('scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('finished_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('issue_count', sa.Integer(), nullable=False),
    sa.Column('new_issue_count', sa.Integer(), nullable=False),
    sa.Column('resolved_issue_count', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('lease_until', patrol.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['server_id'], ['servers.id'], name=op.f('fk_scans_server_id_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scans'))
    )
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.create_index('ix_scans_server_started', ['server_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scans_status'), ['status'], unique=False)
        batch_op.create_index('uq_scans_one_running', ['server_id'], unique=True, sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))

    op.create_table('issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=False),
    sa.Column('advisory_id', sa.Integer(), nullable=False),
    sa.Column('software_name', sa.String(length=255), nullable=False),
    sa.Column('software_version', sa.String(length=100), nullable=True),
    sa.Column('software_location', sa.String(length=1024), nullable=False),
    sa.Column('ecosystem', sa.String(length=50), nullable=True),
    sa.Column('fixed_in', sa.String(length=100), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('first_seen_at', patrol.models.types.UTCDateTime(), nullable=False),
    sa.Column('first_scan_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', patrol.models.types.UTCDateTime(), nullable=True),
    sa.Column('resolved_scan_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['advisory_id'], ['advisories.id'], name=op.f('fk_issues_advisory_id_advisories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_scan_id'], ['scans.id'], name=op.f('fk_issues_first_scan_id_scans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_scan_id'], ['scans.id'], name=op.f('fk_issues_resolved_scan_id_scans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['server_id'], ['servers.id'], name=op.f('fk_issues_server_id_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issues'))
    )
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.create_index('ix_issues_open', ['server_id', 'resolved_at'], unique=False)

    op.create_table('software',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket_id', sa.Integer(), nullable=False),
    sa.Column('server_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=100), nullable=True),
    sa.Column('location', sa.String(length=1024), nullable=True),
    sa.Column('parent', sa.String(length=255), nullable=True),
    sa.Column('ecosystem', sa.String(length=50), nullable=True),
    sa.Column('source_name', sa.String(length=255), nullable=True),
    sa.Column('source_version', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['bucket_id'], ['buckets.id'], name=op.f('fk_software_bucket_id_buckets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['server_id'], ['servers.id'], name=op.f('fk_software_server_id_servers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_software'))
    )
    with op.batch_alter_table('software', schema=None) as batch_op:
        batch_op.create_index('ix_software_server', ['server_id', 'bucket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('software', schema=None) as batch_op:
        batch_op.drop_index('ix_software_server')

    op.drop_table('software')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_index('ix_issues_open')

    op.drop_table('issues')
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_index('uq_scans_one_running', sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))
        batch_op.drop_index(batch_op.f('ix_scans_status'))
        batch_op.drop_index('ix_scans_server_started')

    op.drop_table('scans')
    op.drop_table('buckets')
    with op.batch_alter_table('servers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_servers_next_scan_at'))
        batch_op.drop_index(batch_op.f('ix_servers_account_id'))

    op.drop_table('servers')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_undispatched', sqlite_where=sa.text('dispatched_at IS NULL'), postgresql_where=sa.text('dispatched_at IS NULL'))
        batch_op.drop_index('ix_events_created')
        batch_op.drop_index(batch_op.f('ix_events_account_id'))

    op.drop_table('events')
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credentials_account_id'))

    op.drop_table('credentials')
    with op.batch_alter_table('advisory_packages', schema=None) as batch_op:
        batch_op.drop_index('ix_advisory_packages_lookup')
        batch_op.drop_index(batch_op.f('ix_advisory_packages_advisory_id'))

    op.drop_table('advisory_packages')
    op.drop_table('advisories')
    op.drop_table('accounts')
