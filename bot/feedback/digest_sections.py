"""The creator notes' part of the digest: the feedback report's key line and chart (placed
by the feedback feature's declaration, handlers/feedback)."""

from __future__ import annotations

from datetime import timedelta

from bot.feedback.report import feedback_digest_section
from bot.shared.digest_section import Chart, SectionPart, WeekData
from bot.shared.language import _
from bot.shared.replies import escape


def creator_feedback(data: WeekData) -> SectionPart | None:
    """The feedback report's key line and chart (bot.feedback), when the week has notes.

    Notes are about creators, not categories, so a one-category digest leaves them out rather
    than show the whole team's notes under its category's name.
    """
    if data.spec.category is not None:
        return None
    monday_after = data.week.end + timedelta(days=1)  # follow-ups counted as the digest sees them
    report = feedback_digest_section(
        data.engine, data.spec.team_id, data.week.start, data.zone, monday_after
    )
    if report.chart_png is None:  # no notes this week
        return None
    key = "creator-feedback"
    chart = Chart(key, report.chart_title, report.chart_png, data.chart_filename(key))
    return SectionPart(_("*Creator feedback* · {line}").format(line=escape(report.line)), (chart,))
