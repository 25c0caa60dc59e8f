"""A stream's LIVE metrics against a benchmark, the way TikTok's LIVE dashboard points a seller
at its three worst metrics after a stream.

Counts are compared as they are (views, peak viewers, viewing time); rates are per 1,000 views
(GPM and the engagement rates) or per click (click-to-order), so a small stream is not judged
on its size alone. A benchmark's rates are its mean figures' rates (the rate of the average
stream).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import parse_pattern

from bot.shared.language import N_, _
from bot.shared.numbers import NumberStyle, percent_pattern

Figures = Mapping[str, float | int | None]
PER_1000 = 1000.0


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    of: Callable[[Figures], float | None]
    money: bool = False
    rate: bool = False

    def text(self, value: float, style: NumberStyle) -> str:
        if self.key == "avg_view_seconds":
            seconds = round(value)
            return f"{seconds // 60}:{seconds % 60:02d}"
        if self.money:
            return style.decimal(value, 2)
        return style.decimal(value, 1) if self.rate else style.decimal(value, 0)


def _count(name: str) -> Callable[[Figures], float | None]:
    def read(figures: Figures) -> float | None:
        value = figures.get(name)
        return None if value is None else float(value)

    return read


def _ratio(top: str, bottom: str, scale: float) -> Callable[[Figures], float | None]:
    def read(figures: Figures) -> float | None:
        numerator, denominator = figures.get(top), figures.get(bottom)
        if numerator is None or not denominator:
            return None
        return float(numerator) * scale / float(denominator)

    return read


METRICS: tuple[Metric, ...] = (
    Metric("views", N_("Views"), _count("views")),
    Metric("peak_viewers", N_("Peak viewers"), _count("peak_viewers")),
    Metric("avg_view_seconds", N_("Avg. viewing time"), _count("avg_view_seconds")),
    # GMV is in cents: per 1,000 views in currency units is cents × 10 / views.
    Metric("gpm", "GPM", _ratio("gmv_cents", "views", 10.0), money=True),
    Metric(
        "comment_rate",
        N_("Comments per 1,000 views"),
        _ratio("comments", "views", PER_1000),
        rate=True,
    ),
    Metric(
        "follow_rate",
        N_("Follows per 1,000 views"),
        _ratio("new_followers", "views", PER_1000),
        rate=True,
    ),
    Metric(
        "click_rate",
        N_("Clicks per 1,000 views"),
        _ratio("product_clicks", "views", PER_1000),
        rate=True,
    ),
    Metric(
        "ctor", N_("Orders per 100 clicks"), _ratio("orders", "product_clicks", 100.0), rate=True
    ),
)


@dataclass(frozen=True)
class Comparison:
    metric: Metric
    value: float
    benchmark: float

    @property
    def change(self) -> float:
        """How far the stream is from the benchmark, as a fraction (−0.25 = 25% below)."""
        return self.value / self.benchmark - 1

    def text(self, style: NumberStyle) -> str:
        """`Views 6,782 vs 9,120 (-26%)` · `Aufrufe 6.782 vs. 9.120 (-26 %)`."""
        return _("{metric} {value} vs {benchmark} ({change})").format(
            metric=_(self.metric.label),
            value=self.metric.text(self.value, style),
            benchmark=self.metric.text(self.benchmark, style),
            change=signed_percent(self.change, style),
        )


def signed_percent(change: float, style: NumberStyle) -> str:
    """`+12%` · `-25 %`: a change in whole percent with its sign, as `:+.0%` writes it but in
    the locale's way of writing a percentage."""
    whole = f"{abs(change):.0%}".removesuffix("%")
    pattern = percent_pattern(style.locale_name).replace("#,##0.0", "0")
    shown = parse_pattern(pattern).apply(Decimal(whole) / 100, style.locale)
    return f"{'-' if change < 0 else '+'}{shown}"


def weakest(stream: Figures, benchmark: Figures, count: int = 3) -> list[Comparison]:
    """The stream's `count` metrics furthest below the benchmark, worst first; metrics either
    side lacks are left out."""
    found: list[Comparison] = []
    for metric in METRICS:
        value, bench = metric.of(stream), metric.of(benchmark)
        if value is not None and bench:
            found.append(Comparison(metric, value, bench))
    found.sort(key=lambda c: c.change)
    return found[:count]
