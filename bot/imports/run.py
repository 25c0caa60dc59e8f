"""Importing a file, whichever way it arrives (command line, DM, modal): one path for all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy.engine import Engine

from bot.imports.gate import ImportSettings
from bot.settings import Settings
from bot.shared.days import padded_day
from bot.shared.language import N_, _, ngettext, speech
from bot.shared.numbers import NumberStyle
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


def numbers() -> NumberStyle:
    """The number style of the answer being written (its speech's locale), for counts and
    sizes."""
    return NumberStyle(locale_name=speech().locale)


def too_large(filename: str, size: int, limit_mb: int) -> str:
    """Why a file over the size limit is refused, and what to send instead."""
    style = numbers()
    return _(
        "{file} is {size} MB; the limit is {limit} MB. Split it by date range and send the parts."
    ).format(file=filename, size=style.decimal(size / 1024 / 1024, 1), limit=limit_mb)


def admit(settings: Settings, upload: Upload, filename: str, kind: str | None = None) -> Admitted:
    """Check the file before reading it (size, kind, the memory its import needs) and detect
    its kind (unless given); raises ImportRejected, with what to send instead."""
    size, limits = upload.size, settings.section(ImportSettings)
    if size > limits.max_import_bytes:
        raise ImportRejected(too_large(filename, size, limits.max_import_mb))
    if upload.is_blank():
        raise ImportRejected(_("{file} is empty.").format(file=filename))
    if not is_xlsx(upload) and not filename.lower().endswith(ACCEPTED_SUFFIXES):
        raise ImportRejected(
            _("{file} is not a CSV or XLSX file: export it as CSV or XLSX.").format(file=filename)
        )
    if kind is None:
        kind = detect_kind(peek_header(upload, filename, max_bytes=limits.max_import_bytes))
        if kind is None:
            raise ImportRejected(
                _(
                    "I don't recognise the columns of {file}. Send {kinds}, or name the kind "
                    "({names})."
                ).format(file=filename, kinds=described_kinds(), names=", ".join(known_kinds()))
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
    return PurePath(name).name or _("the file")


ROWS = {
    "row": lambda n: ngettext("{count} row", "{count} rows", n),
    "order line": lambda n: ngettext("{count} order line", "{count} order lines", n),
    "session": lambda n: ngettext("{count} session", "{count} sessions", n),
}
"""What a file's rows are (`ImportSummary.row`), counted in words."""
COUNTED = {
    "row": N_("rows"),
    "seller-day": N_("seller-days"),
    "seller": N_("sellers"),
    "creator": N_("creators"),
    "collaboration": N_("collaborations"),
    "review": N_("reviews"),
}
"""What an import's new and updated records are (`ImportSummary.counted`), as a heading."""


def _rows(summary: ImportSummary) -> str:
    counted = ROWS.get(summary.row)
    if counted is None:
        return plural(summary.rows, summary.row)
    return counted(summary.rows).format(count=numbers().count(summary.rows))


def _span(summary: ImportSummary) -> str:
    """` for 01 Dec 2026`, ` for 01 Dec 2026 – 07 Dec 2026 (7 days)`, or ''."""
    if not (summary.first_day and summary.last_day):
        return ""
    days = (summary.last_day - summary.first_day).days + 1
    if days == 1:
        return " " + _("for {day}").format(day=padded_day(summary.first_day))
    count = ngettext("{count} day", "{count} days", days).format(count=numbers().count(days))
    return " " + _("for {first} – {last} ({days})").format(
        first=padded_day(summary.first_day), last=padded_day(summary.last_day), days=count
    )


def describe_summary(summary: ImportSummary) -> str:
    """One or two lines a person reads after an import."""
    style = numbers()
    who = ""
    if summary.sellers:
        sellers = ngettext("of {count} seller", "of {count} sellers", summary.sellers)
        who = " " + sellers.format(count=style.count(summary.sellers))
    done = (
        _("Would import {rows} ({kind}){span}{sellers};")
        if summary.dry_run
        else _("Imported {rows} ({kind}){span}{sellers};")
    ).format(rows=_rows(summary), kind=summary.kind, span=_span(summary), sellers=who)
    counted = COUNTED.get(summary.counted)
    # Each count says what it counts: the file's rows, and the records they made new or
    # changed (a KPI sheet's seller-days, a registry's sellers), never added together.
    changed = _("{counted}: {new} new, {updated} updated.").format(
        counted=_(counted) if counted else f"{summary.counted}s",
        new=style.count(summary.new),
        updated=style.count(summary.updated),
    )
    text = f"{done} {changed}"
    if summary.notes:
        text += " " + "; ".join(summary.notes).capitalize() + "."
    if summary.dry_run:
        text += " " + _("Nothing was saved (dry run).")
    return text
