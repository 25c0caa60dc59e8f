"""Charts as PNG bytes, drawn to be read on a phone: large type, labelled axes, the shop's
currency on money ticks, one palette everywhere. Matplotlib's Agg backend, in memory.

Figures are made with the object API (a `Figure` on its own Agg canvas), never pyplot: pyplot
keeps global state, and charts are drawn at the same time in listener threads and in the
scheduler's digest runs.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

PALETTE = ("#1f4e79", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
MUTED = "#9aa5b1"
SIZE_INCHES = (8, 4.5)
DPI = 120  # 960 × 540 pixels
matplotlib.rcParams.update(
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


def new_figure() -> tuple[Figure, Axes]:
    """A 960 × 540 figure with one axes, on its own canvas (no pyplot state)."""
    figure = Figure(figsize=SIZE_INCHES)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
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
    *,
    date_format: str = "%d %b",
) -> bytes:
    """One line per series over the days; the first series is the highlighted one.

    `date_format` labels the day ticks (`%a %d` for a week: "Mon 10").
    """
    figure, axes = new_figure()
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
    axes.xaxis.set_major_formatter(mdates.DateFormatter(date_format))
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
    axes.set_ylim(bottom=0)
    if len(series) > 1:
        # Above the plot, right-aligned: a legend inside it hides the lines it explains.
        axes.legend(
            loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(series), borderaxespad=0.2
        )
    return png(figure)


def bar_chart(
    title: str,
    subtitle: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    x_format: Callable[[float], str],
    *,
    annotations: Sequence[str] | None = None,
) -> bytes:
    """Horizontal bars, first on top, each labelled with its value (or its `annotations`
    entry, such as "$12.3K ▲ 4%")."""
    figure, axes = new_figure()
    figure.subplots_adjust(left=0.3, right=0.95, top=0.82, bottom=0.13)
    _titles(figure, title, subtitle)
    order = list(range(len(values)))[::-1]
    bars = axes.barh([labels[i] for i in order], [values[i] for i in order], color=PALETTE[0])
    shown = annotations if annotations is not None else [x_format(v) for v in values]
    axes.bar_label(bars, labels=[shown[i] for i in order], padding=4, fontsize=12)
    axes.set_xlabel(x_label)
    axes.xaxis.set_major_formatter(compact_formatter(x_format))
    axes.grid(axis="y", visible=False)
    axes.margins(x=0.18 if annotations is None else 0.34)  # room for the labels past the bars
    return png(figure)
