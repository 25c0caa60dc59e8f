"""The report's chart: notes per topic, stacked by sentiment, in the style of every other chart
the app posts (bot.shared.charts: size, type, colours, grid, title placement)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.feedback.inference import SENTIMENTS, topic_label
from bot.shared.charts import BAD, GOOD, NEUTRAL, SIZE_INCHES, legend_above, new_figure, png, titles
from bot.shared.language import _

if TYPE_CHECKING:
    from bot.feedback.report import TopicCount

COLOURS = {"positive": GOOD, "neutral": NEUTRAL, "negative": BAD}
ROWS_IN_STANDARD_SIZE = 8


def topic_sentiment_figure(topics: Sequence[TopicCount], title: str, subtitle: str = "") -> Figure:
    """Horizontal bars, busiest topic on top, one colour per sentiment, counts on the bars."""
    rows = list(reversed(topics))
    extra_rows = max(len(rows) - ROWS_IN_STANDARD_SIZE, 0)
    figure, axes = new_figure(SIZE_INCHES[1] + 0.45 * extra_rows)
    labels = [topic_label(t.topic) for t in rows]
    left = [0] * len(rows)
    for sentiment, colour in COLOURS.items():
        counts = [t.by_sentiment.get(sentiment, 0) for t in rows]
        label = _(SENTIMENTS[sentiment][0])
        axes.barh(labels, counts, left=left, color=colour, label=label, height=0.7)
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
    axes.set_xlabel(_("notes"))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    titles(axes, title, subtitle, legend_above(axes))
    return figure


def topic_sentiment_chart(topics: Sequence[TopicCount], title: str, subtitle: str = "") -> bytes:
    """`topic_sentiment_figure` as PNG bytes."""
    return png(topic_sentiment_figure(topics, title, subtitle))
