"""The review report's chart: each criterion's average score, this period beside the one
before, in the style of every other chart the app posts (bot.shared.charts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from bot.review.scorecard_texts import criterion_label
from bot.shared.charts import MUTED, PALETTE, VALUE_LABEL, legend_above, new_figure, png, titles
from bot.shared.language import _
from bot.shared.numbers import NumberStyle
from storage.reviews.scorecard import HIGHEST

if TYPE_CHECKING:
    from bot.review.report import CriterionTrend

BAR = 0.38
HEIGHT_INCHES = 6.0  # ten criteria, two bars each


def criteria_figure(
    criteria: Sequence[CriterionTrend],
    title: str,
    subtitle: str,
    periods: tuple[str, str],
    style: NumberStyle,
) -> Figure:
    """Horizontal bars, the first criterion on top: this period's average, and under it the
    period before's (left out where it had no reviews), each labelled with its value."""
    figure, axes = new_figure(HEIGHT_INCHES)
    rows = list(reversed(criteria))
    y = np.arange(len(rows))
    now = [c.average or 0.0 for c in rows]
    before = [c.previous for c in rows]
    shown = axes.barh(y + BAR / 2, now, height=BAR, color=PALETTE[0], label=periods[0])
    axes.bar_label(
        shown, labels=[style.decimal(round(v, 1)) for v in now], padding=3, **VALUE_LABEL
    )
    if any(v is not None for v in before):
        values = [v if v is not None else 0.0 for v in before]
        earlier = axes.barh(y - BAR / 2, values, height=BAR, color=MUTED, label=periods[1])
        labels = [style.decimal(round(v, 1)) if v is not None else "" for v in before]
        axes.bar_label(earlier, labels=labels, padding=3, **VALUE_LABEL)
    axes.set_yticks(y, [criterion_label(c.label) for c in rows])
    axes.set_xlim(0, HIGHEST + 0.4)
    axes.set_xticks(range(HIGHEST + 1))
    axes.set_xlabel(_("average score (1–5)"))
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    titles(axes, title, subtitle, legend_above(axes))
    return figure


def criteria_chart(
    criteria: Sequence[CriterionTrend],
    title: str,
    subtitle: str,
    periods: tuple[str, str],
    style: NumberStyle,
) -> bytes:
    """`criteria_figure` as PNG bytes."""
    return png(criteria_figure(criteria, title, subtitle, periods, style))
