"""Alembic environment: runs migrations on the connection `storage.schema` hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.note_search import include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,  # the search index is the migrations' alone, not the models'
)
with context.begin_transaction():
    context.run_migrations()
