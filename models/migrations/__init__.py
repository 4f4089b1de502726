"""Alembic migrations, shipped inside the package so any working directory can apply them."""
