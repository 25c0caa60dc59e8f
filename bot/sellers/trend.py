"""A trend line drawn in text, so that it reads in the message itself."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    """One bar per value, from the lowest (▁) to the highest (█) of the values; a flat series
    is all low bars, and an empty one is empty."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return BARS[0] * len(values)
    steps = len(BARS) - 1
    return "".join(BARS[round((v - low) * steps / (high - low))] for v in values)
