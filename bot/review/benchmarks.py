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

Figures = Mapping[str, float | int | None]
PER_1000 = 1000.0


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    of: Callable[[Figures], float | None]
    money: bool = False
    rate: bool = False

    def text(self, value: float) -> str:
        if self.key == "avg_view_seconds":
            seconds = round(value)
            return f"{seconds // 60}:{seconds % 60:02d}"
        if self.money:
            return f"{value:,.2f}"
        return f"{value:,.1f}" if self.rate else f"{value:,.0f}"


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
    Metric("views", "Views", _count("views")),
    Metric("peak_viewers", "Peak viewers", _count("peak_viewers")),
    Metric("avg_view_seconds", "Avg. viewing time", _count("avg_view_seconds")),
    # GMV is in cents: per 1,000 views in currency units is cents × 10 / views.
    Metric("gpm", "GPM", _ratio("gmv_cents", "views", 10.0), money=True),
    Metric(
        "comment_rate", "Comments per 1,000 views", _ratio("comments", "views", PER_1000), rate=True
    ),
    Metric(
        "follow_rate",
        "Follows per 1,000 views",
        _ratio("new_followers", "views", PER_1000),
        rate=True,
    ),
    Metric(
        "click_rate",
        "Clicks per 1,000 views",
        _ratio("product_clicks", "views", PER_1000),
        rate=True,
    ),
    Metric("ctor", "Orders per 100 clicks", _ratio("orders", "product_clicks", 100.0), rate=True),
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

    def text(self) -> str:
        return (
            f"{self.metric.label} {self.metric.text(self.value)} vs "
            f"{self.metric.text(self.benchmark)} ({self.change:+.0%})"
        )


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
