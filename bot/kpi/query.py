"""The words after `/kpi`: a period and optional `category:` and `seller:` filters.

    /kpi last week category:Home & Living
    /kpi category:"Personal Care" 2026-11-01..2026-11-15
    /kpi seller:7495012345678901234 yesterday

A filter's value runs to the next filter; when the period comes last, it is peeled off the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.kpi.periods import Period, PeriodError, parse_period
from bot.replies import escape
from storage.errors import UserError

_FILTER = re.compile(r"\b(category|cat|seller|shop):", re.IGNORECASE)


@dataclass(frozen=True)
class KpiQuery:
    period: Period
    category: str | None = None
    seller: str | None = None


def _unquote(value: str) -> str:
    return value.strip().strip("\"'“”‘’").strip()


def parse_query(text: str, today: date) -> KpiQuery:
    """Split period words from filters; UserError with the reason."""
    markers = list(_FILTER.finditer(text))
    period_text = text[: markers[0].start()] if markers else text
    filters: dict[str, str] = {}
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        name = "category" if marker.group(1).lower() in ("category", "cat") else "seller"
        if name in filters:
            raise UserError(f"Give one `{name}:` at most.")
        filters[name] = text[marker.end() : end]
    if markers and not period_text.strip():
        last = "seller" if markers[-1].group(1).lower() in ("seller", "shop") else "category"
        filters[last], period_text = _peel_period(filters[last], today)
    for name, value in filters.items():
        filters[name] = _unquote(value)
        if not filters[name]:
            raise UserError(f"`{name}:` needs a name, such as `{name}:{escape('Home & Living')}`.")
    return KpiQuery(
        parse_period(period_text, today), filters.get("category"), filters.get("seller")
    )


def _peel_period(value: str, today: date) -> tuple[str, str]:
    """("Home & Living", "last week") from "Home & Living last week" (quotes protect a name)."""
    stripped = value.strip()
    quoted = re.match(r'^\s*(["“][^"”]*["”])\s*(.*)$', stripped)
    if quoted:
        return quoted.group(1), quoted.group(2)
    words = stripped.split()
    for cut in range(len(words)):  # cut 0: the value is only a period, the name is missing
        tail = " ".join(words[cut:])
        try:
            parse_period(tail, today)
        except PeriodError:
            continue
        return " ".join(words[:cut]), tail
    return stripped, ""
