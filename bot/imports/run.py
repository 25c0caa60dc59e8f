"""Importing a file, whichever way it arrives (command line, DM, modal): one path for all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.engine import Engine

from bot.imports.gate import ImportSettings
from bot.settings import Settings
from bot.shared.replies import plural
from storage.importers import (
    ImportOptions,
    ImportRejected,
    ImportSummary,
    Upload,
    detect_kind,
    importer_for,
)
from storage.importers.kinds import described_kinds, known_kinds, streams_rows
from storage.importers.memory import check_memory
from storage.importers.tables import is_xlsx, peek_header

ACCEPTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


@dataclass(frozen=True)
class Admitted:
    """A file that passed the checks made before it is read: its kind, and the memory its
    import is estimated to hold at its peak (storage.importers.memory)."""

    kind: str
    memory_mb: int


def admit(settings: Settings, upload: Upload, filename: str, kind: str | None = None) -> Admitted:
    """Check the file before reading it (size, kind, the memory its import needs) and detect
    its kind (unless given); raises ImportRejected, with what to send instead."""
    size, limits = upload.size, settings.section(ImportSettings)
    if size > limits.max_import_bytes:
        raise ImportRejected(
            f"{filename} is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{limits.max_import_mb} MB. Split it by date range and send the parts."
        )
    if upload.is_blank():
        raise ImportRejected(f"{filename} is empty.")
    if not is_xlsx(upload) and not filename.lower().endswith(ACCEPTED_SUFFIXES):
        raise ImportRejected(f"{filename} is not a CSV or XLSX file: export it as CSV or XLSX.")
    if kind is None:
        kind = detect_kind(peek_header(upload, filename, max_bytes=limits.max_import_bytes))
        if kind is None:
            raise ImportRejected(
                f"I don't recognise the columns of {filename}. Send {described_kinds()}, or "
                f"name the kind ({', '.join(known_kinds())})."
            )
    needed = check_memory(upload, filename, limits.import_memory_mb, streamed=streams_rows(kind))
    return Admitted(kind, needed)


def import_file(
    engine: Engine,
    settings: Settings,
    source: Upload | bytes,
    options: ImportOptions,
    kind: str | None = None,
) -> ImportSummary:
    """Check, detect the kind (unless given) and import (`admit`); raises ImportRejected,
    writes nothing then. The file is read from where it lies (`Upload`), as often as the
    import needs."""
    upload = Upload.of(source)
    filename = file_name(options.filename)
    admitted = admit(settings, upload, filename, kind)
    return importer_for(admitted.kind)(engine, upload, options)


def file_name(name: str) -> str:
    """The name a file is called by in answers: without any folders."""
    return PurePath(name).name or "the file"


def describe_summary(summary: ImportSummary) -> str:
    """One or two lines a person reads after an import."""
    verb = "Would import" if summary.dry_run else "Imported"
    span = ""
    if summary.first_day and summary.last_day:
        days = (summary.last_day - summary.first_day).days + 1
        span = (
            f" for {summary.first_day:%d %b %Y}"
            if days == 1
            else f" for {summary.first_day:%d %b %Y} – {summary.last_day:%d %b %Y} "
            f"({plural(days, 'day')})"
        )
    who = f" of {plural(summary.sellers, 'seller')}" if summary.sellers else ""
    # Each count says what it counts: the file's rows, and the records they made new or
    # changed (a KPI sheet's seller-days, a registry's sellers), never added together.
    text = (
        f"{verb} {plural(summary.rows, summary.row)} ({summary.kind}){span}{who}; "
        f"{summary.counted}s: {summary.new:,} new, {summary.updated:,} updated."
    )
    if summary.notes:
        text += " " + "; ".join(summary.notes).capitalize() + "."
    if summary.dry_run:
        text += " Nothing was saved (dry run)."
    return text
