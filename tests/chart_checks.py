"""What every chart must satisfy, checked on the matplotlib Figure itself: the PNG's size, no
text cut off at the edges, tick labels that do not run together, days without data as gaps, and
one number precision per chart."""

from __future__ import annotations

import io
import itertools
import math
import re
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image


def png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every byte, not just the header
    assert image.format == "PNG"
    return image.size


def drawn_tick_labels(axis: Axis) -> list[Text]:
    """The labels of the ticks inside the view, the only ones drawn."""
    low, high = sorted(axis.get_view_interval())
    return [
        tick.label1
        for tick in axis.get_major_ticks()
        if low <= tick.get_loc() <= high and tick.label1.get_visible() and tick.label1.get_text()
    ]


def _undrawn(figure: Figure) -> set[int]:
    hidden = set()
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low <= tick.get_loc() <= high:
                    hidden |= {id(tick.label1), id(tick.label2)}
    return hidden


def texts(figure: Figure) -> list[Text]:
    """Every text drawn on the figure: titles, labels, legends, annotations, tick labels."""
    figure.draw_without_rendering()
    hidden = _undrawn(figure)
    return [
        t
        for t in figure.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


def assert_nothing_clipped(figure: Figure) -> None:
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    inside = Bbox.from_bounds(-0.5, -0.5, figure.bbox.width + 1, figure.bbox.height + 1)
    for text in texts(figure):
        box = text.get_window_extent(renderer)
        assert inside.containsx(box.x0) and inside.containsx(box.x1), text.get_text()
        assert inside.containsy(box.y0) and inside.containsy(box.y1), text.get_text()


def assert_ticks_apart(axis: Axis) -> list[str]:
    """No two drawn tick labels overlap; their texts."""
    figure = axis.get_figure(root=True)
    assert isinstance(figure, Figure)
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = drawn_tick_labels(axis)
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 < right.x0, [t.get_text() for t in labels]
    return [t.get_text() for t in labels]


MONEY = re.compile(r"[<>]?-?\$(\d[\d,]*)(?:\.(\d+))?([KMB]?)")


def precisions(labels: list[str]) -> set[tuple[int, str]]:
    """(decimals, unit suffix) of each money label; one element when the chart is consistent."""
    found = set()
    for label in labels:
        match = MONEY.fullmatch(label.split(" ")[0])
        assert match, label
        found.add((len(match.group(2) or ""), match.group(3)))
    return found


def line_of(figure: Figure, label: str) -> Line2D:
    [line] = [line for line in figure.axes[0].get_lines() if line.get_label() == label]
    return line


def value_on(line: Line2D, day: date) -> float:
    x = list(line.get_xdata())
    return float(line.get_ydata()[x.index(mdates.date2num(day))])  # type: ignore[index]


def is_gap(value: float) -> bool:
    return math.isnan(value)
