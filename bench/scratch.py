"""Scratch databases for one test run or one benchmark run, removed with everything in them.

Here rather than in `storage/`: only the tests and the benchmarks make them, and the product
never does. The benchmarks run as scripts from this folder, and pytest puts this folder on the
path (`pythonpath` in pyproject.toml): both import it as `scratch`.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_postgres(admin_url: str, prefix: str = "shopbot_scratch") -> Iterator[str]:
    """A new, empty PostgreSQL database on `admin_url`'s server, dropped with everything in it
    afterwards; yields its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def scratch_database(postgres: str | None, prefix: str = "shopbot_bench") -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in a temporary directory, or a database
    on the PostgreSQL server that `postgres` (an admin URL) names."""
    if postgres:
        with scratch_postgres(postgres, prefix) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="shopbot-bench-") as directory:
        yield f"sqlite:///{directory}/bench.db"
