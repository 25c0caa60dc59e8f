"""A trend line drawn in text, so that it reads in the message itself."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
MISSING_DAY = "·"  # a value that is missing, which is not a zero


def sparkline(values: Sequence[int | None]) -> str:
    """One bar per value, from the lowest (▁) to the highest (█) of the values; a missing
    value (None) is MISSING_DAY; a flat series is all low bars, and an empty one is empty."""
    known = [v for v in values if v is not None]
    if not known:
        return MISSING_DAY * len(values)
    low, high = min(known), max(known)
    steps = len(BARS) - 1
    return "".join(
        MISSING_DAY
        if v is None
        else BARS[0 if high == low else round((v - low) * steps / (high - low))]
        for v in values
    )
