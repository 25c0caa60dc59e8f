"""What every importer shares: options, results and row errors (kinds: importers/kinds.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine

from storage.errors import (
    N_,
    Gettext,
    Ngettext,
    Numbers,
    Plural,
    Sentence,
    english_form,
    english_number,
    same_text,
)
from storage.importers.uploads import Upload

MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True)
class RowError:
    """One problem in an input file, located as a person would look for it. `reason` is the
    English text; `said`, when given, the same marked for the catalogs with what fills it in
    (`RowError.saying`), for an answer in another language."""

    row: int  # the row number a spreadsheet shows (the header is row 1)
    column: str
    value: str
    reason: str
    said: Sentence | None = field(default=None, compare=False, repr=False)

    @classmethod
    def saying(
        cls, row: int, column: str, value: str, reason: str | Plural, /, **params: object
    ) -> RowError:
        """The problem with its reason marked `N_` and filled in with `params` by name."""
        said = Sentence(reason, params)
        return cls(row, column, value, said.english, said)

    def describe(self) -> str:
        return self.written()

    def written(
        self,
        gettext: Gettext = same_text,
        ngettext: Ngettext = english_form,
        number: Numbers = english_number,
    ) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        reason = self.said or Sentence(self.reason)
        return Sentence(
            N_("row {row}, {column} = {value}: {reason}"),
            {"row": self.row, "column": self.column, "value": repr(shown), "reason": reason},
        ).written(gettext, ngettext, number)


class ImportRejected(ValueError):
    """The file was not imported; nothing was written. `errors` lists the first problems.
    `message` is the English text (marked `N_` where raised, filled in with `params` by name,
    as a UserError's); `written` says it all in the answer's language."""

    def __init__(
        self, message: str | Plural, errors: Sequence[RowError] = (), **params: object
    ) -> None:
        self.sentence = Sentence(message, params)
        self.message = self.sentence.english
        super().__init__(self.message)
        self.errors = list(errors)

    def describe(self, limit: int = MAX_ERRORS_SHOWN) -> str:
        return self.written(limit=limit)

    def written(
        self,
        gettext: Gettext = same_text,
        ngettext: Ngettext = english_form,
        number: Numbers = english_number,
        *,
        limit: int = MAX_ERRORS_SHOWN,
    ) -> str:
        lines = [
            self.sentence.written(gettext, ngettext, number),
            *(f"• {e.written(gettext, ngettext, number)}" for e in self.errors[:limit]),
        ]
        if len(self.errors) > limit:
            more = Sentence(N_("… and {more} more"), {"more": len(self.errors) - limit})
            lines.append(more.written(gettext, ngettext, number))
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportOptions:
    team_id: str
    filename: str
    seller: str | None = None  # a seller's key or name, for files that hold one shop
    user_id: str | None = None  # who sent it (Slack user), for the import record
    dry_run: bool = False
    progress: Callable[[int, int], None] | None = None  # (rows done, rows total)
    locale: str = "en_US"  # breaks ties: 05/06/2025 and "1.234" read the locale's way
    max_bytes: int | None = None
    # Whether a Slack user ID is a person of the workspace: when given (imports through Slack),
    # the seller registry refuses owners who are not.
    is_member: Callable[[str], bool] | None = None

    @property
    def decimal_mark(self) -> str:
        from babel.numbers import get_decimal_symbol

        return "," if get_decimal_symbol(self.locale) == "," else "."

    @property
    def prefers_us_dates(self) -> bool:
        return self.locale.endswith(("_US", "_PH")) or self.locale == "en"


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    rows: int
    new: int
    updated: int
    first_day: date | None = None
    last_day: date | None = None
    sellers: int = 0  # the sellers the file is about
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    row: str = "row"  # what one of the file's `rows` is: "row", "order line", "session"
    counted: str = "row"  # what `new` and `updated` count: "seller-day", "creator", …


# An importer takes the file (CSV or XLSX, read from where it lies) and the options; it raises
# ImportRejected.
Importer = Callable[[Engine, Upload, ImportOptions], ImportSummary]
# What `importer_for` hands out: an importer that also takes a file's bytes held in memory.
AnyImporter = Callable[[Engine, Upload | bytes, ImportOptions], ImportSummary]
