"""advisory details: the record's Markdown `details`, shown on the server page

Revision ID: 0003_core_advisory_details
Revises: 0002_core_advisory_sync
Create Date: 2026-12-02 17:40:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_core_advisory_details'
down_revision = '0002_core_advisory_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('advisories') as batch:
        batch.add_column(sa.Column('details', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('advisories') as batch:
        batch.drop_column('details')
