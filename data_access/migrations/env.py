"""Alembic environment: always run with a connection handed in by ``data_access.db.upgrade``."""

from alembic import context

from data_access.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the project never calls alembic without one
    raise RuntimeError("Run migrations through data_access.db.upgrade(engine).")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
