"""Charts drawn to be read on a phone: large type, one palette, one layout, in every chart the
app posts (KPI trends, the digest's charts, the feedback report). Matplotlib's Agg backend, in
memory.

Each chart is built as a `Figure` by one function (`line_figure`, `bar_figure`, or a caller's
own on `new_figure`) and turned into PNG bytes by `png`, so a test can look at the figure
itself. Figures are made with the object API (a `Figure` on its own Agg canvas), never pyplot:
pyplot keeps global state, and charts are drawn at the same time in listener threads and in the
scheduler's digest runs.

What a chart promises: a day without data is a gap, never a zero; a comparison without any data
is left out, legend and all; every number on it has the same unit and precision
(`bot.shared.chart_numbers`); constrained layout keeps every title, label and legend inside the
image.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import Bbox

from bot.shared.chart_numbers import ChartNumbers, Scale, nice_ticks
from bot.shared.days import month_abbreviation, short_day, weekday_abbreviation
from bot.shared.language import N_, _

# The one style of every chart: sizes, type, colours, grid, and where titles go.
SIZE_INCHES = (8, 4.5)
DPI = 120  # 960 × 540 pixels
PALETTE = ("#1f4e79", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
MUTED = "#9aa5b1"
GOOD, NEUTRAL, BAD = "#2e9e5b", MUTED, "#d64545"
TITLE: dict[str, Any] = {"fontsize": 18, "fontweight": "bold", "color": "#1f2933"}
SUBTITLE: dict[str, Any] = {"fontsize": 13, "color": "#52606d"}
VALUE_LABEL: dict[str, Any] = {"fontsize": 12, "color": "#1f2933"}
STYLE: dict[str, Any] = {
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.labelsize": 14,
    "axes.labelcolor": "#52606d",
    "axes.edgecolor": "#52606d",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "legend.fontsize": 13,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "figure.constrained_layout.h_pad": 0.06,
    "figure.constrained_layout.w_pad": 0.08,
}
# Set once, at import: charts are drawn in several threads, so no per-chart rc_context.
matplotlib.rcParams.update(STYLE)  # type: ignore[arg-type]
NO_DATA = N_("No data for these days")


@dataclass(frozen=True)
class Series:
    """A line of a line chart: one value per day, None (or NaN) where a day has no data."""

    label: str
    values: Sequence[float | None]

    @property
    def points(self) -> list[float]:
        return [math.nan if v is None else float(v) for v in self.values]

    @property
    def has_data(self) -> bool:
        return any(not math.isnan(v) for v in self.points)


def new_figure(height_inches: float = SIZE_INCHES[1]) -> tuple[Figure, Axes]:
    """A 960 × 540 figure (or taller) with one axes, on its own canvas, laid out by constrained
    layout so no text is cut off at the edges."""
    figure = Figure(figsize=(SIZE_INCHES[0], height_inches), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def titles(axes: Axes, title: str, subtitle: str = "", legend: Legend | None = None) -> None:
    """Title and subtitle above the plot (and above its legend), aligned with the left edge of
    the axis labels. They hang off the axes, so constrained layout keeps room for them."""

    def left_edge(renderer: RendererBase) -> Bbox:
        labels = axes.yaxis.get_tightbbox(renderer)
        x0 = min(axes.bbox.x0, labels.x0) if labels is not None else axes.bbox.x0
        return Bbox([[x0, 0], [x0 + 1, 1]])

    anchor: Artist | str = legend if legend is not None else "axes fraction"
    gap = 4 if legend is not None else 10
    if subtitle:
        anchor = axes.annotate(
            subtitle,
            xy=(0, 1),
            xycoords=(left_edge, anchor),
            xytext=(0, gap),
            textcoords="offset points",
            ha="left",
            va="bottom",
            **SUBTITLE,
        )
        gap = 3
    axes.annotate(
        title,
        xy=(0, 1),
        xycoords=(left_edge, anchor),
        xytext=(0, gap),
        textcoords="offset points",
        ha="left",
        va="bottom",
        **TITLE,
    )


def legend_above(axes: Axes) -> Legend:
    """The legend in one row above the plot, right-aligned: inside, it hides what it explains."""
    handles, _labels = axes.get_legend_handles_labels()
    return axes.legend(
        loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(handles), borderaxespad=0.3
    )


def number_axis(axis: Axis, scale: Scale, low: float, high: float) -> None:
    """Round ticks from `low` (or zero) to past `high`, written in the chart's one precision."""
    ticks = nice_ticks(low, high + (high - min(low, 0)) * 0.04, scale.step)
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda value, _position: scale(value)))
    axis.set_view_interval(ticks[0], ticks[-1], ignore=True)


def date_axis(axes: Axes, first: date, last: date) -> None:
    """Day ticks that stay apart at any range: every day for a week, Mondays for a month, the
    1st and 15th for a quarter, months for a year, quarters beyond."""
    days = (last - first).days + 1
    axis = axes.xaxis
    if days <= 10:
        axis.set_major_locator(mdates.DayLocator())
        axis.set_major_formatter(_day_ticks(_weekday_tick))
    elif days <= 50:
        axis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
        axis.set_major_formatter(_day_ticks(short_day))
    elif days <= 130:
        axis.set_major_locator(mdates.MonthLocator(bymonthday=(1, 15)))
        axis.set_major_formatter(_day_ticks(short_day))
    else:
        months = mdates.MonthLocator() if days <= 400 else mdates.MonthLocator((1, 4, 7, 10))
        axis.set_major_locator(months)
        axis.set_major_formatter(_day_ticks(_month_tick))
    pad = max(0.5, days * 0.01)
    start, end = mdates.date2num(first), mdates.date2num(last)
    axes.set_xlim(start - pad, end + pad)


def _day_ticks(written: Callable[[date], str]) -> FuncFormatter:
    """Tick labels of days, each written in the chart's language (bot.shared.days)."""
    return FuncFormatter(lambda value, _position: written(mdates.num2date(value).date()))


def _weekday_tick(day: date) -> str:
    """`Mon 07` · `Mo. 07.`: a day of a week."""
    return _("{weekday} {day}").format(weekday=weekday_abbreviation(day), day=f"{day:%d}")


def _month_tick(day: date) -> str:
    """`Dec` · `Dez.`, and the year where one begins (`2026`)."""
    return str(day.year) if day.month == 1 else month_abbreviation(day)


def line_figure(
    title: str,
    subtitle: str,
    days: Sequence[date],
    series: Sequence[Series],
    numbers: ChartNumbers,
    y_label: str,
) -> Figure:
    """One line per series over the days; the first is the highlighted one. A series without
    any data is not drawn nor in the legend; days without data are gaps in their line."""
    figure, axes = new_figure()
    x = mdates.date2num(list(days))
    drawn = [(index, s) for index, s in enumerate(series) if s.has_data]
    for index, line in drawn:
        points = line.points
        axes.plot(
            x,
            points,
            label=line.label,
            color=PALETTE[0] if index == 0 else MUTED,
            linewidth=3 if index == 0 else 2,
            linestyle="-" if index == 0 else "--",
            marker="o",
            markersize=6 if index == 0 else 4,
            markevery=_marked(points, every=len(points) <= 14),
        )
    values = [v for _, line in drawn for v in line.points if not math.isnan(v)]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    scale = numbers.scale(max(abs(low), abs(high)))
    number_axis(axes.yaxis, scale, low, high)
    if days:
        date_axis(axes, days[0], days[-1])
    axes.set_ylabel(y_label)
    if not values:  # an empty frame with the days, and no made-up scale beside it
        axes.set_yticks([])
        axes.text(0.5, 0.5, _(NO_DATA), transform=axes.transAxes, ha="center", **SUBTITLE)
    legend = legend_above(axes) if len(drawn) > 1 else None
    titles(axes, title, subtitle, legend)
    return figure


def _marked(points: Sequence[float], *, every: bool) -> list[int]:
    """The points that get a marker: all of them on a short chart, and any day with data
    between two gaps, which a line alone would not show at all."""

    def missing(i: int) -> bool:
        return i < 0 or i >= len(points) or math.isnan(points[i])

    return [
        i
        for i, v in enumerate(points)
        if not math.isnan(v) and (every or (missing(i - 1) and missing(i + 1)))
    ]


def bar_figure(
    title: str,
    subtitle: str,
    labels: Sequence[str],
    values: Sequence[float],
    numbers: ChartNumbers,
    x_label: str,
    *,
    notes: Sequence[str] | None = None,
) -> Figure:
    """Horizontal bars, first on top, each labelled with its value in the chart's one precision
    and its `notes` entry after it (such as "▲ 4%")."""
    figure, axes = new_figure()
    scale = numbers.scale(max((abs(v) for v in values), default=0.0))
    order = list(range(len(values)))[::-1]
    bars = axes.barh([labels[i] for i in order], [values[i] for i in order], color=PALETTE[0])
    shown = [
        scale(v) + (f" {notes[i]}" if notes and notes[i] else "") for i, v in enumerate(values)
    ]
    axes.bar_label(bars, labels=[shown[i] for i in order], padding=4, **VALUE_LABEL)
    number_axis(axes.xaxis, scale, min(values, default=0.0), max(values, default=0.0))
    axes.set_xlabel(x_label)
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    titles(axes, title, subtitle)
    return figure


def line_chart(
    title: str,
    subtitle: str,
    days: Sequence[date],
    series: Sequence[Series],
    numbers: ChartNumbers,
    y_label: str,
) -> bytes:
    """`line_figure` as PNG bytes."""
    return png(line_figure(title, subtitle, days, series, numbers, y_label))


def bar_chart(
    title: str,
    subtitle: str,
    labels: Sequence[str],
    values: Sequence[float],
    numbers: ChartNumbers,
    x_label: str,
    *,
    notes: Sequence[str] | None = None,
) -> bytes:
    """`bar_figure` as PNG bytes."""
    return png(bar_figure(title, subtitle, labels, values, numbers, x_label, notes=notes))


def day_span(first: date, last: date) -> str:
    """`23–29 Nov`, `28 Sep–4 Oct`, `29 Dec 2025–4 Jan 2026`, `30 Nov`: dates as a subtitle or
    legend names them (the year only where two years meet)."""
    first_month, last_month = month_abbreviation(first), month_abbreviation(last)
    if first == last:
        return _("{day} {month}").format(day=first.day, month=first_month)
    if first.year != last.year:
        across = _("{first_day} {first_month} {first_year}–{last_day} {last_month} {last_year}")
        return across.format(
            first_day=first.day,
            first_month=first_month,
            first_year=first.year,
            last_day=last.day,
            last_month=last_month,
            last_year=last.year,
        )
    if first.month != last.month:
        return _("{first_day} {first_month}–{last_day} {last_month}").format(
            first_day=first.day, first_month=first_month, last_day=last.day, last_month=last_month
        )
    return _("{first_day}–{last_day} {month}").format(
        first_day=first.day, last_day=last.day, month=last_month
    )


def slug(text: str, fallback: str = "all") -> str:
    """A file-name-safe form of a name: lower case, words joined by hyphens, `&` as "and",
    letters of every script kept as they are, no path separators or dots; never empty."""
    normal = unicodedata.normalize("NFKC", text).replace("&", " and ").lower()
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in normal)
    joined = "-".join(kept.split())[:60].strip("-")
    return joined or fallback


def chart_filename(*parts: str | date) -> str:
    """`gmv-home-and-living-2026-11-01-2026-11-30.png` from its parts, each made safe."""
    return "-".join(p.isoformat() if isinstance(p, date) else slug(p) for p in parts) + ".png"
