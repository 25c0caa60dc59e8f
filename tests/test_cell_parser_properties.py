"""The importers' cell parsers on any text: they never crash, they keep one value per row, they
report every cell they could not read, and what they read is exactly what was written.

The expected values are computed here from the numbers and dates the cells were written from,
independently of the parsers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.importers.tables import Table
from storage.importers.values import (
    Column,
    counts,
    dates,
    durations_minutes,
    money_cents,
    texts,
)

PARSERS: dict[str, Callable[[Table, str], Column]] = {
    "money": money_cents,
    "counts": counts,
    "dates": dates,
    "durations": durations_minutes,
    "texts": texts,
}
# Cells as the table reader leaves them: text, stripped.
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "0", "-0", "1,234.56", "1.234,56", "€ 12", "(5.00)", "=1+1", "+1", "@x", "-A1",
         "12/31/2026", "31/12/2026", "2026-02-30", "0000-01-01", "1:60:60", "99h", "1e400",
         "NaN", "inf", "١٢٣", "１２３", "\u00a0", "--5", "5-", "()", "9" * 40]
    ),
).map(str.strip)  # fmt: skip


def table_of(cells: list[str]) -> Table:
    return Table(
        frame=pd.DataFrame({"x": pd.Series(cells, dtype=object)}),
        original_names={"x": "X"},
        units={},
        row_numbers=list(range(2, len(cells) + 2)),
    )


@settings(max_examples=300, deadline=None)
@given(parser=st.sampled_from(sorted(PARSERS)), cells=st.lists(CELL, min_size=1, max_size=25))
def test_any_cells_give_one_value_per_row_and_errors_that_point_at_them(
    parser: str, cells: list[str]
) -> None:
    column = PARSERS[parser](table_of(cells), "x")
    assert len(column.values) == len(cells)
    for error in column.errors:
        assert 2 <= error.row <= len(cells) + 1
        assert error.value == cells[error.row - 2]
        assert error.column == "X"


@settings(max_examples=200, deadline=None)
@given(cents=st.lists(st.integers(-(10**15), 10**15), min_size=1, max_size=25))
def test_plain_amounts_are_read_to_the_exact_cent(cents: list[int]) -> None:
    column = money_cents(table_of([_plain(c) for c in cents]), "x")
    assert column.errors == []
    assert column.values.tolist() == cents


@settings(max_examples=200, deadline=None)
@given(
    cents=st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=25),
    style=st.sampled_from(["us", "eu", "rp"]),
)
def test_amounts_with_currency_and_separators_are_read_to_the_exact_cent(
    cents: list[int], style: str
) -> None:
    column = money_cents(table_of([_styled(c, style) for c in cents]), "x")
    assert column.errors == []
    assert column.values.tolist() == cents


@settings(max_examples=200, deadline=None)
@given(numbers=st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=25), grouped=st.booleans())
def test_counts_are_read_exactly(numbers: list[int], grouped: bool) -> None:
    cells = [f"{n:,}" if grouped else str(n) for n in numbers]
    column = counts(table_of(cells), "x")
    assert column.errors == []
    assert column.values.tolist() == numbers


@settings(max_examples=200, deadline=None)
@given(
    days=st.lists(st.dates(date(1900, 1, 1), date(2199, 12, 31)), min_size=1, max_size=25),
    style=st.sampled_from(["%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y"]),
)
def test_dates_are_read_as_written_in_any_one_format(days: list[date], style: str) -> None:
    cells = [day.strftime(style) for day in days]
    column = dates(table_of(cells), "x", prefer_us=style != "%d/%m/%Y")
    assert column.errors == []
    assert [d.date() for d in column.values] == days


@settings(max_examples=200, deadline=None)
@given(
    seconds=st.lists(st.integers(0, 48 * 3600), min_size=1, max_size=25),
    style=st.sampled_from(["clock", "words"]),
)
def test_durations_are_read_to_the_nearest_minute(seconds: list[int], style: str) -> None:
    cells = [_duration(s, style) for s in seconds]
    column = durations_minutes(table_of(cells), "x")
    assert column.errors == []
    assert column.values.tolist() == [round(s / 60) for s in seconds]


def _plain(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _styled(cents: int, style: str) -> str:
    whole, part = divmod(abs(cents), 100)
    if style == "us":
        number = f"${whole:,}.{part:02d}"
        return f"({number})" if cents < 0 else number
    if style == "eu":
        number = f"{whole:,}".replace(",", ".") + f",{part:02d}"
        return f"-€{number}" if cents < 0 else f"€{number}"
    number = f"{whole:,}".replace(",", ".") + f",{part:02d}"
    return f"Rp -{number}" if cents < 0 else f"Rp {number}"


def _duration(seconds: int, style: str) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if style == "clock":
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{hours}h {minutes}m {secs}s"


@settings(max_examples=100, deadline=None)
@given(number=st.integers(2**31, 10**18 - 1), parser=st.sampled_from(["counts", "durations"]))
def test_counts_and_durations_beyond_any_real_one_are_row_errors(number: int, parser: str) -> None:
    column = PARSERS[parser](table_of(["1", str(number)]), "x")
    assert [(e.row, e.value) for e in column.errors] == [(3, str(number))]
