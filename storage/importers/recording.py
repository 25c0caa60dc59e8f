"""One import = one transaction and one ImportBatch row saying what it changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.columns import utc_now
from storage.db import exclusive_transaction
from storage.importers.base import ImportOptions, ImportSummary
from storage.importers.uploads import Upload
from storage.models import ImportBatch


@dataclass
class ImportRecord:
    """What an importer fills in while it writes; saved on the batch when the import ends."""

    session: Session
    batch_id: int
    rows: int = 0
    new: int = 0
    updated: int = 0
    first_day: date | None = None
    last_day: date | None = None


@contextmanager
def record_import(
    engine: Engine, kind: str, upload: Upload, options: ImportOptions, seller_id: int | None = None
) -> Iterator[ImportRecord]:
    """Everything written inside is one transaction with its batch row; a dry run keeps none.
    A workspace's imports run one at a time (two replicas importing the same new days would
    both insert them, and the second would fail). The file is hashed before the lock is
    taken: a 400 MB file read once more should not hold up the workspace's other imports."""
    sha256 = upload.sha256()
    with exclusive_transaction(engine, f"import:{options.team_id}") as session:
        batch = ImportBatch(
            team_id=options.team_id,
            kind=kind,
            filename=options.filename[:300],
            sha256=sha256,
            seller_id=seller_id,
            user_id=options.user_id,
            status="running",
        )
        session.add(batch)
        session.flush()
        assert batch.id is not None
        record = ImportRecord(session, batch.id)
        yield record
        batch.status, batch.finished_at = "done", utc_now()
        batch.rows_total, batch.rows_new, batch.rows_updated = (
            record.rows,
            record.new,
            record.updated,
        )
        batch.first_day, batch.last_day = record.first_day, record.last_day
        session.add(batch)
        if options.dry_run:
            session.rollback()


def summary_of(
    record: ImportRecord,
    kind: str,
    options: ImportOptions,
    *,
    sellers: int,
    new_sellers: int = 0,
    row: str = "row",
    counted: str = "row",
) -> ImportSummary:
    """The import's summary: `row` says what one of the file's rows is, `counted` what the
    new and updated counts count (each count says what it counts; unlike ones never add)."""
    notes = []
    if new_sellers:
        notes.append(f"{new_sellers} new seller{'s' if new_sellers != 1 else ''} added")
    return ImportSummary(
        kind=kind,
        rows=record.rows,
        new=record.new,
        updated=record.updated,
        first_day=record.first_day,
        last_day=record.last_day,
        sellers=sellers,
        dry_run=options.dry_run,
        notes=notes,
        row=row,
        counted=counted,
    )
