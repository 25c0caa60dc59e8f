"""Charts as PNG bytes, drawn to be read on a phone: large type, labelled axes, the shop's
currency on money ticks, one palette everywhere. Matplotlib's Agg backend, in memory."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

PALETTE = ("#1f4e79", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
MUTED = "#9aa5b1"
SIZE_INCHES = (8, 4.5)
DPI = 120  # 960 × 540 pixels
plt.rcParams.update(
    {
        "font.size": 14,
        "axes.titlesize": 17,
        "axes.labelsize": 14,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.25,
        "legend.frameon": False,
    }
)


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    return buffer.getvalue()


def compact_formatter(show: Callable[[float], str]) -> FuncFormatter:
    return FuncFormatter(lambda value, _position: show(value))


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    figure.suptitle(title, x=0.02, ha="left", fontweight="bold", fontsize=18)
    if subtitle:
        figure.text(0.02, 0.9, subtitle, ha="left", fontsize=13, color="#52606d")


def line_chart(
    title: str,
    subtitle: str,
    days: Sequence[date],
    series: Sequence[tuple[str, Sequence[float]]],
    y_label: str,
    y_format: Callable[[float], str],
) -> bytes:
    """One line per series over the days; the first series is the highlighted one."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    figure.subplots_adjust(left=0.13, right=0.97, top=0.82, bottom=0.1)
    _titles(figure, title, subtitle)
    for index, (label, values) in enumerate(series):
        axes.plot(
            mdates.date2num(list(days)),
            values,
            label=label,
            color=PALETTE[index] if index == 0 else MUTED,
            linewidth=3 if index == 0 else 2,
            marker="o" if len(days) <= 14 else None,
            linestyle="-" if index == 0 else "--",
        )
    axes.set_ylabel(y_label)
    axes.yaxis.set_major_formatter(compact_formatter(y_format))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
    axes.set_ylim(bottom=0)
    if len(series) > 1:
        axes.legend(loc="upper left")
    return png(figure)


def bar_chart(
    title: str,
    subtitle: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    x_format: Callable[[float], str],
) -> bytes:
    """Horizontal bars, largest on top, each labelled with its value."""
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    figure.subplots_adjust(left=0.3, right=0.95, top=0.82, bottom=0.13)
    _titles(figure, title, subtitle)
    order = list(range(len(values)))[::-1]
    bars = axes.barh([labels[i] for i in order], [values[i] for i in order], color=PALETTE[0])
    axes.bar_label(bars, labels=[x_format(values[i]) for i in order], padding=4, fontsize=12)
    axes.set_xlabel(x_label)
    axes.xaxis.set_major_formatter(compact_formatter(x_format))
    axes.grid(axis="y", visible=False)
    axes.margins(x=0.18)
    return png(figure)
