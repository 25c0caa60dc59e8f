"""The numbers written on a chart: one unit and one precision for every label of a chart, chosen
from its largest value, so "$95.0K" stands beside "$306.4K" and never "$95K" beside "$306.4K".

The values stay exact; only the labels are rounded. A value too small to show at the chart's
precision is written as less than the smallest step ("<$0.1M"), never as a zero it is not.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from bot.shared.numbers import NumberStyle


class Kind(Enum):
    MONEY = "money"  # minor units (cents) in, the currency out
    COUNT = "count"
    RATE = "rate"  # a fraction in, a percentage out


@dataclass(frozen=True)
class Scale:
    """How every number of one chart is written."""

    pattern: NumberPattern
    divisor: int  # in the pattern's units (whole currency units for money)
    decimals: int
    locale: Locale
    currency: str | None = None
    per_unit: int = 1  # value units per pattern unit: 100 cents make a dollar

    @property
    def step(self) -> float:
        """The smallest difference the labels show, in the values' own units."""
        shown = Decimal(self.divisor * self.per_unit).scaleb(-self.decimals - self.pattern.scale)
        return float(shown)

    def __call__(self, value: float) -> str:
        amount = Decimal(str(value)) / self.per_unit
        scaled = amount.scaleb(self.pattern.scale) / self.divisor
        rounded = round(scaled, self.decimals)
        less = rounded == 0 and scaled != 0
        if less:  # not zero, only too small for this chart's precision
            rounded = Decimal(1).scaleb(-self.decimals).copy_sign(scaled)
        text = self.pattern.apply(
            rounded.scaleb(-self.pattern.scale),
            self.locale,
            currency=self.currency,
            currency_digits=False,
        )
        if less:
            return f"<{text}" if scaled > 0 else f">{text}"
        return text


@dataclass(frozen=True)
class ChartNumbers:
    """What a chart's values are (money, counts or rates, in a currency and locale); `scale`
    gives the one way all of them are written on that chart."""

    kind: Kind
    style: NumberStyle

    def scale(self, largest: float) -> Scale:
        """The unit and precision for a chart whose largest absolute value is `largest`."""
        locale = self.style.locale
        largest = abs(largest) if math.isfinite(largest) else 0.0
        if self.kind is Kind.RATE:
            pattern = _with_decimals(locale.percent_formats[None], 1 if largest < 0.1 else 0)
            return Scale(pattern, 1, pattern.frac_prec[0], locale)
        if self.kind is Kind.MONEY:
            amount = largest / 100
            compact = _compact(locale.compact_currency_formats["short"]["other"], amount, "¤")
            plain = (locale.currency_formats["standard"], 2 if amount < 100 else 0)
            return self._scaled(locale, amount, compact, plain, per_unit=100)
        compact = _compact(locale.compact_decimal_formats["short"]["other"], largest, "")
        return self._scaled(locale, largest, compact, (locale.decimal_formats[None], 0))

    def _scaled(
        self,
        locale: Locale,
        largest: float,
        compact: tuple[NumberPattern, int] | None,
        plain: tuple[NumberPattern, int],
        per_unit: int = 1,
    ) -> Scale:
        currency = self.style.currency if self.kind is Kind.MONEY else None
        if compact is None:
            pattern, decimals = plain
            return Scale(_with_decimals(pattern, decimals), 1, decimals, locale, currency, per_unit)
        pattern, divisor = compact
        decimals = 1 if largest / divisor < 100 else 0
        return Scale(
            _with_decimals(pattern, decimals), divisor, decimals, locale, currency, per_unit
        )


def _compact(
    formats: dict[str, NumberPattern], largest: float, needs: str
) -> tuple[NumberPattern, int] | None:
    """The locale's short pattern for `largest` ("¤0K") and what it divides by (1000), or None
    when the locale writes such numbers in full (as CLDR's "0" pattern says)."""
    for magnitude in sorted((int(m) for m in formats), reverse=True):
        if largest < magnitude:
            continue
        pattern = formats[str(magnitude)]
        text = pattern.pattern
        if text == "0" or needs not in text:
            return None
        return parse_pattern(text), magnitude // 10 ** (text.count("0") - 1)
    return None


def _with_decimals(pattern: NumberPattern | str, decimals: int) -> NumberPattern:
    parsed = copy.copy(parse_pattern(pattern))
    parsed.frac_prec = (decimals, decimals)
    parsed.int_prec = (1, parsed.int_prec[1])  # compact patterns ask for "000K": 95K, not 095K
    return parsed


def nice_ticks(low: float, high: float, least_step: float, most: int = 5) -> list[float]:
    """At most `most` + 1 round ticks covering `low`–`high` (1, 2 or 5 times a power of ten),
    never closer than `least_step`, so every tick label is exact at the chart's precision."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or least_step
    wanted = max(span / most, least_step)
    power = 10 ** math.floor(math.log10(wanted))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= wanted * (1 - 1e-9))
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    last = max(last, first + 1)
    return [i * step for i in range(first, last + 1)]
