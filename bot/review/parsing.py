"""The words after `/review report`: a period and optional `category:` and `seller:` filters.

    /review report month category:Home & Living
    /review report last month seller:Casa Bonita
    /review report category:Personal Care week

A filter's value runs to the next filter; a period word (`week`, `month`, `7d`, `30d`) at the
very end is the period, not part of the name. `week` and `month` are the calendar week and
month to yesterday, as in `/kpi` (`bot.shared.report_periods.parse_report_days`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from bot.shared.language import _
from bot.shared.names import resolve_seller, suggestions, unknown
from bot.shared.replies import shown
from bot.shared.report_periods import ReportPeriod, parse_report_days
from storage.errors import Usage, UserError, usage_on_error
from storage.names import same_name
from storage.reviews.records import ReviewFilter
from storage.sellers.search import seller_categories

REPORT_USAGE = Usage("/review", "report")
_FILTER = re.compile(r"\b(category|cat|seller|shop):", re.IGNORECASE)
# The one-word periods a name is unlikely to end with (`week`, `month`, `7d`, `30d`).
_TRAILING_PERIOD = re.compile(r"\s+(week|month|mtd|ytd|\d{1,3}d)$", re.IGNORECASE)


@dataclass(frozen=True)
class ReportRequest:
    period: ReportPeriod
    which: ReviewFilter
    scope: str  # how the report names what it covers


def _split(text: str) -> tuple[str, dict[str, str]]:
    """(the period's words, filter → value as typed)."""
    pieces = _FILTER.split(text)
    period = pieces[0].strip()
    filters: dict[str, str] = {}
    for name, value in zip(pieces[1::2], pieces[2::2], strict=True):
        key = "seller" if name.lower() in ("seller", "shop") else "category"
        if key in filters:
            one = (
                _("Name one seller at most.")
                if key == "seller"
                else _("Name one category at most.")
            )
            raise UserError(one, [REPORT_USAGE])
        filters[key] = value.strip().strip("\"'“”")
    if filters and not period:
        last = next(reversed(filters))
        trailing = _TRAILING_PERIOD.search(filters[last])
        if trailing:
            period = trailing.group(1)
            filters[last] = filters[last][: trailing.start()].strip()
    for key, value in filters.items():
        if not value:
            which = (
                _("Say which seller after `{key}:`.")
                if key == "seller"
                else _("Say which category after `{key}:`.")
            )
            raise UserError(which.format(key=key), [REPORT_USAGE])
    return period, filters


def resolve_category(engine: Engine, team_id: str, typed: str) -> str:
    """The category as the sellers' registry spells it; close matches when unknown."""
    known = seller_categories(engine, team_id)
    exact = [name for name in known if same_name(name, typed)]
    if not exact:
        raise UserError(unknown("category", typed, suggestions(known, typed)))
    return exact[0]


def parse_report_request(
    engine: Engine, team_id: str, text: str, today: date, locale: str
) -> ReportRequest:
    """What `/review report …` asks for; UserError saying what to type instead."""
    with usage_on_error(REPORT_USAGE):
        words, filters = _split(text)
        first, last = parse_report_days(words, today, REPORT_USAGE, locale)
        category = (
            resolve_category(engine, team_id, filters["category"])
            if "category" in filters
            else None
        )
        seller = resolve_seller(engine, team_id, filters["seller"]) if "seller" in filters else None
    if seller is not None and category is not None and not same_name(seller.category, category):
        where = (
            " " + _("(its category is {category})").format(category=shown(seller.category, 100))
            if seller.category
            else ""
        )
        text = _("{seller} is not in {category}{where}.").format(
            seller=shown(seller.name, 100), category=shown(category, 100), where=where
        )
        raise UserError(text, [REPORT_USAGE])
    scope = seller.name if seller else category or _("the team")
    which = ReviewFilter(seller_id=seller.id if seller else None, category=category)
    return ReportRequest(ReportPeriod(first, last), which, scope)
