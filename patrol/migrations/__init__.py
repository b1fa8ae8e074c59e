"""Alembic migrations. Extensions add version folders of their own."""
