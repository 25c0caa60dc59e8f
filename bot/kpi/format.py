"""Numbers as the team reads them: the locale's separators, the shop's currency, rounding only
here at display, and "—" where a figure cannot be computed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    parse_pattern,
)

from bot.kpi.definitions import Kpi, Unit

MISSING = "—"


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=16)
def _pattern(text: str) -> NumberPattern:
    """Parsed once per process, not once per number."""
    return parse_pattern(text)


PERCENT = "#,##0.0%"


@dataclass(frozen=True)
class NumberStyle:
    currency: str = "USD"
    locale_name: str = "en_US"

    @property
    def locale(self) -> Locale:
        """Parsed once per process: a reply formats a hundred numbers."""
        return _locale(self.locale_name)

    def money(self, cents: Decimal | int | None) -> str:
        if cents is None:
            return MISSING
        return format_currency(Decimal(cents) / 100, self.currency, locale=self.locale)

    def compact_money(self, cents: float) -> str:
        """`$600K`: for chart axes, where space is short."""
        return format_compact_currency(
            Decimal(str(cents)) / 100, self.currency, locale=self.locale, fraction_digits=1
        )

    def compact_count(self, value: float) -> str:
        return format_compact_decimal(value, locale=self.locale, fraction_digits=1)

    def count(self, value: Decimal | int | None) -> str:
        if value is None:
            return MISSING
        return format_decimal(round(Decimal(value)), locale=self.locale)

    def rate(self, value: Decimal | None) -> str:
        if value is None:
            return MISSING
        return _pattern(PERCENT).apply(value, self.locale)

    def value(self, kpi: Kpi, value: Decimal | int | None) -> str:
        if kpi.unit is Unit.MONEY:
            return self.money(value)
        if kpi.unit is Unit.RATE:
            return self.rate(Decimal(value) if value is not None else None)
        return self.count(value)

    def change(self, change: Decimal | None, higher_is_better: bool = True) -> str:
        """`🟢 ▲ 12.3%`: the arrow says the direction, the colour whether that is good."""
        if change is None:
            return MISSING
        shown = self.rate(abs(change))
        if shown == _zero_rate(self.locale_name):
            return f"⚪ ■ {shown}"
        up = change > 0
        good = up == higher_is_better
        return f"{'🟢' if good else '🔴'} {'▲' if up else '▼'} {shown}"


@lru_cache(maxsize=16)
def _zero_rate(locale_name: str) -> str:
    """How the locale shows a change too small to show (`0.0%`)."""
    return NumberStyle(locale_name=locale_name).rate(Decimal(0))
