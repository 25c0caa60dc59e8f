"""The reviews' part of the digest: the week's review report in a few lines, with its chart
(placed by the review feature's declaration, handlers/review)."""

from __future__ import annotations

from bot.review.report import build_review_report, criteria_post_chart, digest_text
from bot.shared.digest_section import Chart, SectionPart, WeekData
from bot.shared.language import _
from bot.shared.report_periods import ReportPeriod
from storage.reviews.records import ReviewFilter


def livestream_reviews(data: WeekData) -> SectionPart | None:
    """The review report of the week (bot.review.report) in a few lines, with its chart,
    when any stream of the week was reviewed."""
    period = ReportPeriod(data.week.start, data.week.end)
    scope = data.spec.category or _("the team")
    which = ReviewFilter(category=data.spec.category)
    report = build_review_report(data.engine, data.spec.team_id, period, which, scope)
    if not report.reviews:
        return None
    key = "review-scores"
    title, png = criteria_post_chart(report, data.style)
    return SectionPart(
        digest_text(report, data.style), (Chart(key, title, png, data.chart_filename(key)),)
    )
