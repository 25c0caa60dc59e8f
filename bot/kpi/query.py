"""The words after `/kpi`: a period, optional `category:` and `seller:` filters, and bare words
(a category, a seller or a metric named without a prefix).

    /kpi last week category:Home & Living
    /kpi category:"Personal Care" 2026-11-01..2026-11-15
    /kpi seller:7495012345678901234 yesterday
    /kpi sable living last week        (bare words: resolved against the data by bot.kpi.scope)
    /kpi gmv 30d
    /kpi today full                    (`full`: every figure, not only the headline)

A filter's value runs to the next filter; when the period comes last, it is peeled off the end.
Bare words stand before or after the period; which words are a period is only certain once the
names are known, so `readings` gives every way to split them, the likeliest first.

`full` is a switch, not a name: last of all, or anywhere before the first filter. A reading
without it comes first; the text as typed is read after, so a name with the word in it (`seller:
Cup Full`) is still found when it is not a name without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot.shared.language import _
from bot.shared.periods import (
    DEFAULT_LOCALE,
    DEFAULT_PERIOD,
    Period,
    PeriodError,
    UnknownPeriod,
    parse_period,
)
from bot.shared.replies import escape
from storage.errors import UserError

_FILTER = re.compile(r"\b(category|cat|seller|shop):", re.IGNORECASE)
FULL = "full"
_FULL_LAST = re.compile(rf"(?:^|\s){FULL}\s*$", re.IGNORECASE)
_FULL_WORD = re.compile(rf"(?:^|\s){FULL}(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class KpiQuery:
    period: Period
    category: str | None = None
    seller: str | None = None
    words: str = ""
    """What is neither the period nor a filter: bare names and metric words, as typed."""
    full: bool = False
    """`full` was typed: every figure with every comparison, rather than the headline."""


@dataclass(frozen=True)
class Readings:
    """The ways to read a `/kpi` text, the likeliest first; `problem` is a part that looked
    like a period but was a wrong one (`2026-02-30`), to say if no reading makes sense."""

    queries: list[KpiQuery]
    problem: PeriodError | None = None


def _unquote(value: str) -> str:
    return value.strip().strip("\"'“”‘’").strip()


def parse_query(text: str, today: date, locale: str = DEFAULT_LOCALE) -> KpiQuery:
    """The likeliest reading of the text; UserError with the reason."""
    found = readings(text, today, locale)
    if found.problem is not None and found.queries[0].words:
        raise found.problem
    return found.queries[0]


def readings(
    text: str, today: date, locale: str = DEFAULT_LOCALE, *, full_switch: bool = False
) -> Readings:
    """Split filters, period and bare words every way that makes sense; UserError for filters
    given twice or empty, and for a text that is a period but a wrong one. With `full_switch`,
    the readings without the word `full` come first, marked `full`."""
    rest = without_full(text) if full_switch else None
    if rest is None:
        return _readings(text, today, locale)
    switched = _readings(rest, today, locale)
    try:
        as_typed = _readings(text, today, locale)
    except UserError:  # `full` made a wrong period of what was typed: the switch is meant
        return Readings([replace(q, full=True) for q in switched.queries], switched.problem)
    return Readings(
        [*(replace(q, full=True) for q in switched.queries), *as_typed.queries],
        switched.problem or as_typed.problem,
    )


def without_full(text: str) -> str | None:
    """The text without the switch `full` (last of all, or a word before the first filter);
    None when it has none."""
    if last := _FULL_LAST.search(text):
        return text[: last.start()]
    marker = _FILTER.search(text)
    end = marker.start() if marker else len(text)
    if word := _FULL_WORD.search(text, 0, end):
        return text[: word.start()] + " " + text[word.end() :]
    return None


def _readings(text: str, today: date, locale: str) -> Readings:
    markers = list(_FILTER.finditer(text))
    free = text[: markers[0].start()] if markers else text
    filters: dict[str, str] = {}
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        name = "category" if marker.group(1).lower() in ("category", "cat") else "seller"
        if name in filters:
            raise UserError(_("Give one `{name}:` at most.").format(name=name))
        filters[name] = text[marker.end() : end]
    if markers and not free.strip():
        last = "seller" if markers[-1].group(1).lower() in ("seller", "shop") else "category"
        filters[last], free = _peel_period(filters[last], today, locale)
    for name, value in filters.items():
        filters[name] = _unquote(value)
        if not filters[name]:
            raise UserError(
                _("`{name}:` needs a name, such as `{example}`.").format(
                    name=name, example=f"{name}:{escape('Home & Living')}"
                )
            )
    splits, problem = _period_splits(free, today, locale)
    queries = [
        KpiQuery(period, filters.get("category"), filters.get("seller"), words)
        for period, words in splits
    ]
    return Readings(queries, problem)


def _period_splits(
    free: str, today: date, locale: str
) -> tuple[list[tuple[Period, str]], PeriodError | None]:
    """(period, other words) for the longest period at the end, then at the start, then the
    default period with all the words; a wrong period of the whole text is raised at once."""
    words = free.split()
    default = parse_period(DEFAULT_PERIOD, today, locale)
    if not words:
        return [(default, "")], None
    splits: list[tuple[Period, str]] = []
    problem: PeriodError | None = None
    ends = [(words[cut:], words[:cut]) for cut in range(len(words))]
    starts = [(words[:cut], words[cut:]) for cut in range(len(words) - 1, 0, -1)]
    for found in (ends, starts):
        for period_words, rest in found:
            try:
                period = parse_period(" ".join(period_words), today, locale)
            except UnknownPeriod:
                continue
            except PeriodError as error:
                if not rest:  # the whole text is a period, and a wrong one
                    raise
                problem = problem or error
                continue
            splits.append((period, " ".join(rest)))
            break
    splits.append((default, " ".join(words)))
    return splits, problem


def _peel_period(value: str, today: date, locale: str) -> tuple[str, str]:
    """("Home & Living", "last week") from "Home & Living last week" (quotes protect a name)."""
    stripped = value.strip()
    quoted = re.match(r'^\s*(["“][^"”]*["”])\s*(.*)$', stripped)
    if quoted:
        return quoted.group(1), quoted.group(2)
    words = stripped.split()
    for cut in range(len(words)):  # cut 0: the value is only a period, the name is missing
        tail = " ".join(words[cut:])
        try:
            parse_period(tail, today, locale)
        except PeriodError:
            continue
        return " ".join(words[:cut]), tail
    return stripped, ""
