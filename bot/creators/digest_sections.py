"""The creators' part of the digest: the week's level changes (placed by the creators
feature's declaration, handlers/creators)."""

from __future__ import annotations

from bot.shared.digest_section import SectionPart, WeekData
from bot.shared.language import _
from bot.shared.replies import escape
from storage.creators.levels import level_moves

SHOWN_MOVES = 8  # level changes named; the rest are counted


def creator_levels(data: WeekData) -> SectionPart | None:
    """Creators whose level changed in the week (TikTok Shop refreshes levels monthly, so
    most weeks have none and show nothing); left out of one-category digests like feedback."""
    if data.spec.category is not None:
        return None
    moves = level_moves(data.engine, data.spec.team_id, data.week.start, data.week.end)
    if not moves:
        return None
    ups = [m for m in moves if m.level > m.previous_level]
    downs = [m for m in moves if m.level < m.previous_level]
    shown = " · ".join(
        f"@{escape(m.handle)} L{m.previous_level} → L{m.level}" for m in moves[:SHOWN_MOVES]
    )
    more = ""
    if len(moves) > SHOWN_MOVES:
        more = " · " + _("+{count} more").format(count=len(moves) - SHOWN_MOVES)
    line = _("*Creator levels* · {up} up, {down} down: {moves}").format(
        up=len(ups), down=len(downs), moves=shown + more
    )
    return SectionPart(f"{line} · `/creator levels`")
