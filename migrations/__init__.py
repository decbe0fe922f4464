"""Alembic migrations. pyproject.toml ships this folder inside the program as the package
app.migrations (app/resources.py finds it there); nothing imports its modules by name."""
