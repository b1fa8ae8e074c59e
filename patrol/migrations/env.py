"""Alembic environment: runs on the connection `patrol.migrate` hands over."""
from alembic import context

import patrol.models  # noqa: F401 - registers the core tables
from patrol.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
