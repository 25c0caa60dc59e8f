"""The run history of scheduled posts, as `shopbot deliveries` prints it: one line per attempt,
newest first, with the post's kind and number, the attempt, its worker and how it ended."""

from __future__ import annotations

from collections.abc import Sequence

from storage.delivery.posts import HistoryLine

# The word for each kind (`--kind`), and its table, which the history names.
KINDS = {
    "digest": "digestrun",
    "alert": "alertfiring",
    "review-report": "reviewreportpost",
    "reminder": "reminderpost",
}
KIND_NAMES = {table: word.replace("-", " ") for word, table in KINDS.items()}


def describe_history(lines: Sequence[HistoryLine]) -> str:
    """The lines as text, one per attempt; a sentence when there are none."""
    if not lines:
        return "No scheduled post has been attempted yet."
    return "\n".join(_line(line) for line in lines)


def _line(line: HistoryLine) -> str:
    what = f"{KIND_NAMES.get(line.kind, line.kind)} {line.delivery_id}"
    detail = f": {line.error}" if line.error else ""
    return (
        f"{line.at:%Y-%m-%d %H:%M} UTC  {what}, attempt {line.attempt} by {line.worker or '?'}"
        f"  {line.outcome}{detail}"
    )
