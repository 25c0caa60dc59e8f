"""The report's chart: notes per topic, stacked by sentiment, as PNG bytes.

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in threads), sized
and lettered to be read on a phone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.feedback.inference import topic_label

if TYPE_CHECKING:
    from bot.feedback.report import TopicCount

COLOURS = {"positive": "#2e9e5b", "neutral": "#a0a7b4", "negative": "#d64545"}


def topic_sentiment_chart(topics: Sequence[TopicCount], title: str) -> bytes:
    """Horizontal bars, busiest topic on top, one colour per sentiment, counts on the bars."""
    rows = list(reversed(topics))
    labels = [topic_label(t.topic) for t in rows]
    figure = Figure(figsize=(7.2, 1.9 + 0.6 * max(len(rows), 1)), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    left = [0] * len(rows)
    for sentiment, colour in COLOURS.items():
        counts = [t.by_sentiment.get(sentiment, 0) for t in rows]
        axes.barh(labels, counts, left=left, color=colour, label=sentiment.title(), height=0.7)
        for y, (start, count) in enumerate(zip(left, counts, strict=True)):
            if count:
                axes.text(
                    start + count / 2,
                    y,
                    str(count),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=12,
                    fontweight="bold",
                )
        left = [a + b for a, b in zip(left, counts, strict=True)]
    figure.suptitle(title, fontsize=14, x=0.02, ha="left")
    axes.legend(ncols=3, fontsize=12, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0))
    axes.tick_params(axis="y", labelsize=13, length=0)
    axes.tick_params(axis="x", labelsize=11)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
