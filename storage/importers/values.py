"""Typed columns from text cells: money to exact cents, counts, dates, durations.

Formats are decided per column, never per cell: a column of `12/05/2025` values is US or
European as a whole (whichever reading every value fits; the team's locale breaks a tie), and a
money column's decimal mark is decided from all its values (`1.234,56` and `35,91` mean decimal
comma; `Rp 35.000` and `120.500` mean a dot for thousands). A cell that does not fit its column
becomes a RowError; the caller rejects the file if there are any. Text is kept as written and
never refused for what it starts with; only an active formula is made inert
(storage.formulas).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from storage.errors import N_, Number, Sentence
from storage.formulas import ACTIVE_FORMULA, INERT_MARK
from storage.importers.base import RowError
from storage.importers.tables import Table

# Everything that is not part of the number itself: currency codes and symbols, spaces.
_NOT_NUMBER = re.compile(r"[^0-9,.\-()]")
# The shape of a money cell: a currency code or symbol (no digit of any script, space,
# separator or sign) may stand before or after the number, never inside it.
_CURRENCY = r"[^\d\s.,'\-()]+"
_MONEY_SHAPE = re.compile(
    rf"\(?\s*-?\s*(?:{_CURRENCY}\s*)?-?\s*\(?[0-9](?:[0-9.,'\s]*[0-9])?\)?\s*(?:{_CURRENCY})?\s*\)?"
)
_GROUPED = {
    ".": re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+"),
    ",": re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+"),
}
# A number, date or duration cell starting so is a formula, not a value: refused (text cells
# keep such text, storage.formulas).
_FORMULA = ("=", "+", "@")

# Dates outside these years are typing mistakes (and beyond what a timestamp column holds).
FIRST_YEAR, LAST_YEAR = 1900, 2199
DATE_FORMATS = {
    "iso": [
        "ISO8601",
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y/%m/%d",
        "%Y/%m/%d %H:%M:%S",
    ],
    "us": [
        "%m/%d/%Y",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ],
    "eu": [
        "%d/%m/%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d.%m.%Y",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d-%m-%Y",
        "%d-%m-%Y %H:%M:%S",
    ],
}


@dataclass
class Column:
    """Parsed values (aligned with the table's rows) and the errors found."""

    values: pd.Series
    errors: list[RowError] = field(default_factory=list)


def _error_rows(
    table: Table, name: str, bad: pd.Series, reason: str | Sentence, limit: int = 50
) -> list[RowError]:
    said = reason if isinstance(reason, Sentence) else Sentence(reason)
    raw = table.frame[name]
    return [
        RowError(
            table.row_number(int(i)),
            table.original_names.get(name, name),
            str(raw.iat[i]),
            said.english,
            said,
        )
        for i in np.flatnonzero(bad.to_numpy())[:limit]
    ]


def _formula(cells: pd.Series) -> pd.Series:
    return cells.str.startswith(_FORMULA) | cells.str.match(r"^-[A-Za-z(]")


def decimal_style(cells: Sequence[str], locale_decimal: str = ".") -> str:
    """The column's decimal mark, "." or ",", from all its values."""
    both = [c for c in cells if "." in c and "," in c]
    if both:
        later_comma = sum(c.rfind(",") > c.rfind(".") for c in both)
        return "," if later_comma * 2 > len(both) else "."
    for mark in (",", "."):
        with_mark = [c for c in cells if mark in c]
        if not with_mark:
            continue
        grouped = all(_GROUPED[mark].fullmatch(c.lstrip("(").rstrip(")")) for c in with_mark)
        if not grouped:
            return mark  # e.g. "35,91" or "12.5": the mark is decimal
        # Every value is 1-3 digits then groups of three ("35.000", "1,234"): money has at
        # most two decimals, so the mark can only be the thousands separator.
        return "," if mark == "." else "."
    return locale_decimal


def money_cents(
    table: Table, name: str, *, locale_decimal: str = ".", required: bool = True
) -> Column:
    """Money in exact integer cents; negatives as `-5.00` or `(5.00)`."""
    cells = table.frame[name]
    empty = cells == ""
    plain = _plain_cents(cells, empty)
    if plain is not None:
        return Column(
            plain,
            _error_rows(table, name, empty, N_("is empty: expected an amount")) if required else [],
        )
    stripped = cells.str.replace(_NOT_NUMBER.pattern, "", regex=True)
    mark = decimal_style(list(stripped[~empty].unique()[:5000]), locale_decimal)
    thousands = "," if mark == "." else "."
    normal = stripped.str.replace(thousands, "", regex=False)
    if mark == ",":
        normal = normal.str.replace(",", ".", regex=False)
    negative = normal.str.startswith("(") & normal.str.endswith(")")
    normal = normal.str.strip("()")
    valid = normal.str.fullmatch(_BOUNDED_AMOUNT) & ~_formula(cells)
    valid &= _shaped_like_money(cells)
    errors: list[RowError] = []
    if required:
        errors += _error_rows(table, name, empty, N_("is empty: expected an amount"))
    bad = ~valid & ~empty
    errors += _error_rows(table, name, bad, N_("is not an amount of money with at most 2 decimals"))
    safe = normal.where(valid, "0")
    # "-12.5" is -125 units of 1/10: the digits without the point, scaled by the decimals.
    point = safe.str.find(".").to_numpy(dtype=np.int64)
    decimals = np.where(point >= 0, safe.str.len().to_numpy(dtype=np.int64) - point - 1, 0)
    units = _parsed_numbers(safe.str.replace(".", "", regex=False), "int64")
    cents = units * 10 ** (2 - decimals) * np.where(negative.to_numpy(dtype=bool), -1, 1)
    return Column(pd.Series(cents, index=cells.index).where(~empty, 0).astype("int64"), errors)


def _shaped_like_money(cells: pd.Series) -> pd.Series:
    """Whether each cell has the shape of a money cell, checked once per distinct value (an
    export repeats its amounts: a million cells hold some tens of thousands of values)."""
    distinct = pd.Series(pd.unique(cells), dtype=object)
    shaped = distinct.str.fullmatch(_MONEY_SHAPE).fillna(False).astype(bool)
    misshapen = distinct[~shaped]
    return ~cells.isin(misshapen) if len(misshapen) else pd.Series(True, index=cells.index)


# At most 16 digits before the point: any amount in cents fits in 64 bits.
_BOUNDED_AMOUNT = r"-?[0-9]{1,16}(\.[0-9]{1,2})?"
_PLAIN_AMOUNT = r"-?[0-9]{1,13}(\.[0-9]{1,2})?"


def _plain_cents(cells: pd.Series, empty: pd.Series) -> pd.Series | None:
    """The common case, a column of plain amounts like `1234.5`, read in one vectorised step;
    None when any cell needs the full treatment (symbols, separators, commas, errors).

    Exact: with at most 13 integer digits and 2 decimals, |amount × 100| < 2**52, so the nearest
    double of each amount times 100 rounds back to its exact number of cents.
    """
    if not (cells.str.fullmatch(_PLAIN_AMOUNT) | empty).all():
        return None
    amounts = _parsed_numbers(cells.where(~empty, "0"), "float64")
    return pd.Series(np.rint(amounts * 100).astype(np.int64), index=cells.index)


def _parsed_numbers(cells: pd.Series, dtype: str) -> np.ndarray:
    """Text cells already checked to be plain numbers, as a `dtype` array. Arrow parses them
    (correctly rounded for floats) without a Python object per cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.asarray(pc.cast(pa.array(cells, type=pa.string()), dtype).to_numpy(), dtype=dtype)


def counts(table: Table, name: str, *, required: bool = True) -> Column:
    """Non-negative whole numbers, with thousands separators allowed (`1,234`, `1.234`)."""
    cells = table.frame[name]
    empty = cells == ""
    plain = cells.str.fullmatch(r"[0-9]{1,18}")
    if plain.all():  # the common case: every cell a plain number, so none is a formula
        values = pd.Series(_parsed_numbers(cells, "int64"), index=cells.index)
        return Column(values, _too_large(table, name, values))
    # Otherwise the slower separator clean-up, then the checks.
    grouped = cells.where(plain | empty, cells.str.replace(r"[\s,.'\u00a0]", "", regex=True))
    separated = cells.str.fullmatch(r"[0-9]{1,3}([\s,.'\u00a0][0-9]{3})+")
    normal = grouped.where(plain | separated | empty, cells)
    valid = normal.str.fullmatch(r"[0-9]{1,18}") & ~_formula(cells)
    errors: list[RowError] = []
    if required:
        errors += _error_rows(table, name, empty, N_("is empty: expected a whole number"))
    errors += _error_rows(table, name, ~valid & ~empty, N_("is not a whole number of 0 or more"))
    parsed = pd.Series(_parsed_numbers(normal.where(valid, "0"), "int64"), index=cells.index)
    return Column(parsed, errors + _too_large(table, name, parsed))


# No count or duration a shop exports comes near this; larger is a typing or export error (and
# would not fit the database's integer columns).
MAX_COUNT = 2**31 - 1


def _too_large(table: Table, name: str, values: pd.Series) -> list[RowError]:
    return _error_rows(
        table,
        name,
        values > MAX_COUNT,
        Sentence(N_("is larger than {most}"), {"most": Number(MAX_COUNT)}),
    )


def dates(table: Table, name: str, *, prefer_us: bool = True) -> Column:
    """Calendar days from dates or date-times, one format for the whole column."""
    moments = date_times(table, name, prefer_us=prefer_us)
    return Column(moments.values.dt.normalize(), moments.errors)


def date_times(table: Table, name: str, *, prefer_us: bool = True) -> Column:
    """Dates with their time of day (midnight when a cell has none), one format for the whole
    column, as written: no time zone is assumed or applied."""
    cells = table.frame[name]
    empty = cells == ""
    present = cells[~empty]
    parsed = _parse_column(present, _date_formats(present, prefer_us))
    full = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    far = pd.Series(False, index=cells.index)
    if parsed is not None:
        years = parsed.dt.year
        beyond = (years < FIRST_YEAR) | (years > LAST_YEAR)
        far.loc[present.index] = beyond.to_numpy()
        full.loc[present.index] = parsed.where(~beyond).astype("datetime64[ns]")
    errors = _error_rows(table, name, empty, N_("is empty: expected a date"))
    errors += _error_rows(
        table,
        name,
        far,
        Sentence(
            N_("is not a year from {first} to {last}"), {"first": FIRST_YEAR, "last": LAST_YEAR}
        ),
    )
    errors += _error_rows(
        table,
        name,
        full.isna() & ~empty & ~far,
        N_("is not a date in the format the rest of this column uses"),
    )
    return Column(full, errors)


def _date_formats(present: pd.Series, prefer_us: bool) -> list[str]:
    """The formats to try on the whole column, best first: those that read a sample of it
    (trying every format on a million cells would take seconds)."""
    order = ["iso", "us", "eu"] if prefer_us else ["iso", "eu", "us"]
    formats = [fmt for family in order for fmt in DATE_FORMATS[family]]
    sample = present.drop_duplicates().head(500)
    fitting = [
        fmt for fmt in formats if pd.to_datetime(sample, format=fmt, errors="coerce").notna().all()
    ]
    return fitting or formats


def _parse_column(present: pd.Series, formats: list[str]) -> pd.Series | None:
    """The reading of the first format that fits every cell, else the one that fits most."""
    best: pd.Series | None = None
    best_bad = len(present) + 1
    for fmt in formats:
        parsed = pd.to_datetime(present, format=fmt, errors="coerce")
        bad = int(parsed.isna().sum())
        if bad < best_bad:
            best, best_bad = parsed, bad
        if bad == 0:
            break
    return best


# `1h 23m 45s`, `83 min`, and as a German export writes them, `1 Std. 23 Min. 45 Sek.`
_DURATION_WORDS = re.compile(
    r"^(?:([0-9]+)\s*(?:h|std\.?|stunden?))?\s*"
    r"(?:([0-9]+)\s*(?:m(?:in)?\.?|minuten?))?\s*"
    r"(?:([0-9]+)\s*(?:s|sek\.?|sekunden?))?$",
    re.IGNORECASE,
)


def durations_minutes(table: Table, name: str) -> Column:
    """LIVE durations as whole minutes: `1:23:45`, `83:12`, `1h 23m 45s`, `83m`,
    `1 Std. 23 Min.`, or minutes."""
    seconds = _duration_seconds(table, name, plain_unit=60)
    return Column((seconds.values / 60).round().astype("int64"), seconds.errors)


def durations_seconds(table: Table, name: str) -> Column:
    """Short durations (average viewing time) as whole seconds: `0:01:23`, `1:23`, `1m 23s`,
    `83s`, or seconds."""
    seconds = _duration_seconds(table, name, plain_unit=1)
    return Column(seconds.values.round().astype("int64"), seconds.errors)


def _duration_seconds(table: Table, name: str, *, plain_unit: int) -> Column:
    """Seconds (0 where empty or wrong, with an error for wrong ones); a plain number counts
    `plain_unit` seconds."""
    cells = table.frame[name]
    empty = cells == ""
    hms = cells.str.extract(r"^(?:([0-9]+):)?([0-9]+):([0-9]{1,2})$")
    words = cells.str.extract(_DURATION_WORDS)
    plain = pd.to_numeric(
        cells.where(cells.str.fullmatch(r"[0-9]+(\.[0-9]+)?"), None), errors="coerce"
    ).astype(float)  # as floats: a huge number times 60 must not wrap around
    seconds = pd.Series(np.nan, index=cells.index)
    is_hms = hms[1].notna()
    seconds[is_hms] = (
        hms[0][is_hms].fillna("0").astype(float) * 3600
        + hms[1][is_hms].astype(float) * 60
        + hms[2][is_hms].astype(float)
    )
    is_words = words.notna().any(axis=1) & ~is_hms & ~empty
    seconds[is_words] = (
        words[0][is_words].fillna("0").astype(float) * 3600
        + words[1][is_words].fillna("0").astype(float) * 60
        + words[2][is_words].fillna("0").astype(float)
    )
    is_plain = plain.notna() & ~is_hms & ~is_words
    seconds[is_plain] = plain[is_plain] * plain_unit
    errors = _error_rows(
        table, name, seconds.isna() & ~empty, N_("is not a duration such as 1:23:45 or 1h 23m")
    )
    too_long = seconds > MAX_COUNT
    errors += _error_rows(table, name, too_long, N_("is longer than any LIVE could be"))
    return Column(seconds.where(~too_long, 0).fillna(0), errors)


def texts(table: Table, name: str, *, required: bool = True, max_length: int = 200) -> Column:
    """Text as written, whatever it starts with (`@maria`, `+20%`, `- slow start`, `= same`):
    only an active formula (`=HYPERLINK(…)`, `@SUM(…)`, `=cmd|…`) is kept as inert text, with
    a leading apostrophe (storage.formulas states the rule). Errors: empty when required,
    longer than `max_length` as stored."""
    cells = table.frame[name]
    active = cells.str.match(ACTIVE_FORMULA.pattern).fillna(False).astype(bool)
    if active.any():
        cells = cells.where(~active, INERT_MARK + cells)
    errors: list[RowError] = []
    if required:
        errors += _error_rows(table, name, cells == "", N_("is empty"))
    errors += _error_rows(
        table,
        name,
        cells.str.len() > max_length,
        Sentence(N_("is longer than {most} characters"), {"most": max_length}),
    )
    return Column(cells, errors)


_RATE = re.compile(r"([0-9]{1,3}(?:[.,][0-9]+)?)\s*(%?)")


def rates(table: Table, name: str) -> Column:
    """Rates as fractions from `12%`, `12,5 %` or `0.12`; empty cells are NaN.

    Bare numbers are read the same way for the whole column: as fractions when every one is at
    most 1 (`0.12`), else as percentages (`12` next to `7.5`). Over 100% is an error.
    """
    cells = table.frame[name]
    empty = cells == ""
    parts = cells.str.extract(_RATE.pattern + "$")
    shaped = cells.str.fullmatch(_RATE.pattern).fillna(False).astype(bool)
    numbers = pd.to_numeric(parts[0].str.replace(",", ".", regex=False), errors="coerce")
    marked = parts[1] == "%"
    bare = shaped & ~marked
    as_percent = marked | (bare & bool((numbers[bare] > 1).any()))
    values = numbers.where(~as_percent, numbers / 100)
    valid = shaped & (values <= 1) & ~empty
    errors = _error_rows(
        table, name, ~valid & ~empty, N_("is not a rate such as 12% or 0.12 (at most 100%)")
    )
    return Column(values.where(valid), errors)
