"""Matchmaking's part of the digest: the outreach pipeline's week (placed by the matchmaking
feature's declaration, handlers/matchmaking)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.matchmaking.pipeline import stage_name
from bot.shared.digest_section import SectionPart, WeekData
from bot.shared.language import _, ngettext
from storage.matchmaking.outreach import STAGES, overdue_count, stage_moves


def outreach_pipeline(data: WeekData) -> SectionPart | None:
    """The outreach pipeline's week: how many pairs reached each stage, and how many are
    overdue at its end; nothing in a week without moves. Pairs belong to the team, not to a
    category, so a one-category digest leaves them out (as it does feedback)."""
    if data.spec.category is not None:
        return None
    zone = data.zone
    start = datetime.combine(data.week.start, time(), tzinfo=zone)
    end = datetime.combine(data.week.end + timedelta(days=1), time(), tzinfo=zone)
    moves = stage_moves(data.engine, data.spec.team_id, start, end)
    if not moves:
        return None
    reached = " · ".join(f"{moves[stage]} {stage_name(stage)}" for stage in STAGES if moves[stage])
    overdue = overdue_count(data.engine, data.spec.team_id, data.week.end + timedelta(days=1))
    late = ngettext("{count} pair overdue", "{count} pairs overdue", overdue).format(count=overdue)
    return SectionPart(
        _("*Outreach pipeline* · this week: {reached} · {overdue} · `/match pipeline`").format(
            reached=reached, overdue=late
        )
    )
