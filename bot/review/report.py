"""The weekly and monthly review report: streams reviewed and by whom, each criterion's average
against the period before (with a chart), the best and weakest streams, the most frequent
improvement tags and their trend, best-practice moments, and how scores relate to results.

`compose_review_report` is pure (reviews in, report out); `build_review_report` fetches them.
The same report is `/review report`, the digest's reviews section and the monthly review post.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from slack_sdk.models.blocks import Block
from sqlalchemy.engine import Engine

from bot.review.cards import host_of, stream_link, stream_when
from bot.review.chart import criteria_chart
from bot.review.scorecard_texts import criterion_label
from bot.shared.language import _, ngettext
from bot.shared.numbers import NumberStyle
from bot.shared.replies import context, escape, header, section, truncate
from bot.shared.report_periods import ReportPeriod
from storage.reviews import records as store
from storage.reviews.records import ReviewFilter, ReviewView
from storage.reviews.scorecard import CRITERIA, HIGHEST

STREAMS_SHOWN = 3
TOP_TAGS = 8
MOMENTS = 5
# A group of streams (those scoring 4–5 on a criterion, or 1–2) needs this many with views and
# GMV before its average GPM says anything.
MIN_GROUP = 5


@dataclass(frozen=True)
class CriterionTrend:
    key: str
    label: str
    average: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous is None:
            return None
        return self.average - self.previous


@dataclass(frozen=True)
class TagTrend:
    tag: str
    count: int
    previous: int


@dataclass(frozen=True)
class ScoresAndResults:
    """The average GPM of streams scoring high (4–5) and low (1–2) on a criterion."""

    label: str
    high_gpm: float | None
    high_streams: int
    low_gpm: float | None
    low_streams: int

    @property
    def enough(self) -> bool:
        return self.high_streams >= MIN_GROUP and self.low_streams >= MIN_GROUP


@dataclass(frozen=True)
class ReviewReport:
    period: ReportPeriod
    previous: ReportPeriod  # what the changes are against
    scope: str  # "the team" (in the answer's language), a category or a seller
    reviews: list[ReviewView]
    previous_count: int
    reviewers: list[tuple[str, int]]  # user id, streams reviewed; most first
    criteria: list[CriterionTrend]
    average: float | None
    previous_average: float | None
    best: list[ReviewView]
    weakest: list[ReviewView]
    tags: list[TagTrend]
    moments: list[ReviewView]
    results: list[ScoresAndResults]


def gpm(review: ReviewView) -> float | None:
    """GMV per 1,000 views in currency units; None without both figures."""
    views, gmv_cents = review.figures.get("views"), review.figures.get("gmv_cents")
    if not views or gmv_cents is None:
        return None
    return gmv_cents / 100 / views * 1000


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _criteria(current: list[ReviewView], previous: list[ReviewView]) -> list[CriterionTrend]:
    return [
        CriterionTrend(
            c.key,
            c.label,
            _mean([r.scores[c.key] for r in current]),
            _mean([r.scores[c.key] for r in previous]),
        )
        for c in CRITERIA
    ]


def _tags(current: list[ReviewView], previous: list[ReviewView]) -> list[TagTrend]:
    now = Counter(tag for review in current for tag in review.tags)
    before = Counter(tag for review in previous for tag in review.tags)
    ranked = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
    return [TagTrend(tag, count, before[tag]) for tag, count in ranked]


def _results(current: list[ReviewView]) -> list[ScoresAndResults]:
    with_gpm = [(r, g) for r in current if (g := gpm(r)) is not None]
    found = []
    for c in CRITERIA:
        high = [g for r, g in with_gpm if r.scores[c.key] >= 4]
        low = [g for r, g in with_gpm if r.scores[c.key] <= 2]
        found.append(ScoresAndResults(c.label, _mean(high), len(high), _mean(low), len(low)))
    return found


def compose_review_report(
    period: ReportPeriod,
    scope: str,
    current: list[ReviewView],
    previous: list[ReviewView],
    before: ReportPeriod | None = None,
) -> ReviewReport:
    """The report on `current` reviews against `previous`, those of `before` (by default the
    as many days before)."""
    ranked = sorted(current, key=lambda r: (-r.total, r.stream_date, r.id))
    weakest = sorted(current, key=lambda r: (r.total, r.stream_date, r.id))
    shown = min(STREAMS_SHOWN, len(current) // 2) if len(current) > 1 else len(current)
    reviewers = Counter(r.reviewer_user_id for r in current)
    return ReviewReport(
        period=period,
        previous=before or period.before(),
        scope=scope,
        reviews=current,
        previous_count=len(previous),
        reviewers=sorted(reviewers.items(), key=lambda kv: (-kv[1], kv[0])),
        criteria=_criteria(current, previous),
        average=_mean([r.average for r in current]),
        previous_average=_mean([r.average for r in previous]),
        best=ranked[:shown],
        weakest=weakest[:shown] if len(current) > 1 else [],
        tags=_tags(current, previous),
        moments=[r for r in ranked if r.best_practice][:MOMENTS],
        results=_results(current),
    )


def build_review_report(
    engine: Engine,
    team_id: str,
    period: ReportPeriod,
    which: ReviewFilter,
    scope: str,
    *,
    previous: ReportPeriod | None = None,
) -> ReviewReport:
    """The report on the reviews of streams held in `period`, against those of `previous` (by
    default as many days before; the monthly report sets a month against the month before)."""
    before = previous or period.before()
    current = store.reviews_in(engine, team_id, replace(which, first=period.start, last=period.end))
    earlier = store.reviews_in(engine, team_id, replace(which, first=before.start, last=before.end))
    return compose_review_report(period, scope, current, earlier, before)


# ---- rendering ------------------------------------------------------------------------------


def _count_change(now: int, before: int) -> str:
    if before == 0:
        return _("new") if now else "="
    delta = now - before
    return "=" if delta == 0 else f"{'▲' if delta > 0 else '▼'} {abs(delta)}"


def _score_change(change: float | None, style: NumberStyle) -> str:
    if change is None:
        return "—"
    if round(change, 1) == 0:
        return f"■ {style.decimal(0.0)}"
    return f"{'▲' if change > 0 else '▼'} {style.decimal(round(abs(change), 1))}"


def _score(value: float | None, style: NumberStyle) -> str:
    """A score average with one decimal (`3.3` · `3,3`), rounded as `:.1f` rounds it."""
    return style.decimal(round(value, 1)) if value is not None else "—"


def report_text(report: ReviewReport, style: NumberStyle) -> str:
    """The key numbers in one line, for notifications, search and the digest."""
    count = len(report.reviews)
    before = (
        _score(report.previous_average, style) if report.previous_average is not None else _("none")
    )
    against = (
        ngettext("the {count} day before", "the {count} days before", report.period.days).format(
            count=report.period.days
        )
        if report.previous == report.period.before()
        else report.previous.label()
    )
    reviewed = ngettext(
        "{count} stream reviewed ({change} vs {against})",
        "{count} streams reviewed ({change} vs {against})",
        count,
    ).format(count=count, change=_count_change(count, report.previous_count), against=against)
    return _("{reviewed}, average score {average} / {highest} (before: {before})").format(
        reviewed=reviewed, average=_score(report.average, style), highest=HIGHEST, before=before
    )


def _stream_line(review: ReviewView) -> str:
    link = f" · {stream_link(review)}" if review.stream_url else ""
    return _("• *{total}/{most}* {seller}, {when}, {host} (review {review}){link}").format(
        total=review.total,
        most=HIGHEST * len(CRITERIA),
        seller=escape(review.seller_name),
        when=stream_when(review),
        host=escape(host_of(review)),
        review=review.id,
        link=link,
    )


def _results_text(report: ReviewReport, style: NumberStyle) -> str:
    shown = [r for r in report.results if r.enough]
    lines = [
        _(
            "• {criterion}: GPM {high} when scored 4–5 ({streams}) vs {low} when scored 1–2 "
            "({low_streams})"
        ).format(
            criterion=criterion_label(r.label),
            high=style.decimal(r.high_gpm, 2),
            streams=ngettext("{count} stream", "{count} streams", r.high_streams).format(
                count=r.high_streams
            ),
            low=style.decimal(r.low_gpm, 2),
            low_streams=r.low_streams,
        )
        for r in shown
        if r.high_gpm is not None and r.low_gpm is not None
    ]
    short = len(report.results) - len(shown)
    if not shown:
        lines.append(
            _(
                "Not enough streams to tell yet: each group (scored 4–5, and scored 1–2 on a "
                "criterion) needs {least} streams with views and GMV."
            ).format(least=MIN_GROUP)
        )
    elif short:
        lines.append(
            ngettext(
                "_{count} other criterion has fewer than {least} streams with figures in a "
                "group, so it is left out._",
                "_{count} other criteria have fewer than {least} streams with figures in a "
                "group, so they are left out._",
                short,
            ).format(count=short, least=MIN_GROUP)
        )
    return _("*Scores and results* (GMV per 1,000 views)") + "\n" + "\n".join(lines)


def report_heading(scope: str, period: ReportPeriod) -> str:
    """`Livestream reviews · the team · 1 Nov – 30 Nov 2026`."""
    return _("Livestream reviews · {scope} · {period}").format(scope=scope, period=period.label())


def _tags_line(tags: list[TagTrend]) -> str:
    return " · ".join(
        f"#{escape(t.tag)} {t.count} ({_count_change(t.count, t.previous)})" for t in tags
    )


def render_report(report: ReviewReport, style: NumberStyle) -> list[Block]:
    """The report's blocks; reviewers are named as mentions (the channel sees who reviewed)."""
    blocks: list[Block] = [
        header(report_heading(report.scope, report.period)),
        section(report_text(report, style)),
    ]
    by = ", ".join(f"<@{user}> {count}" for user, count in report.reviewers)
    blocks.append(context(_("Reviewed by {reviewers}").format(reviewers=by)))
    lines = [
        f"{criterion_label(c.label)}: *{_score(c.average, style)}* "
        f"({_score_change(c.change, style)})"
        for c in report.criteria
        if c.average is not None
    ]
    heading = _("*Average per criterion* (vs the period before)")
    blocks.append(section(heading + "\n" + "\n".join(lines)))
    if report.best:
        best = "\n".join(map(_stream_line, report.best))
        blocks.append(section(_("*Best streams*") + "\n" + best))
    if report.weakest:
        weakest = "\n".join(map(_stream_line, report.weakest))
        blocks.append(section(_("*Weakest streams*") + "\n" + weakest))
    if report.tags:
        heading = _("*Most frequent improvement tags* (vs the period before)")
        blocks.append(section(heading + "\n" + _tags_line(report.tags)))
    if report.moments:
        blocks.append(section(_("*Best practice worth copying*")))
        for review in report.moments:
            moment = escape(truncate(review.best_practice or "", 280)).replace("\n", " ")
            blocks.append(
                context(
                    f"⭐ _{_quoted(moment)}_ — {escape(review.seller_name)}, "
                    f"{stream_when(review)}, {escape(host_of(review))}"
                )
            )
    blocks.append(section(_results_text(report, style)))
    return blocks


def _quoted(text: str) -> str:
    """`“text”` · `„text“`: a quote as the answer's language writes it."""
    return _("“{text}”").format(text=text)


@dataclass(frozen=True)
class ReportPost:
    """A report ready to post: fallback text, blocks, and the chart (None without reviews)."""

    text: str
    blocks: list[Block]
    chart_png: bytes | None
    chart_title: str


def criteria_post_chart(report: ReviewReport, style: NumberStyle) -> tuple[str, bytes]:
    """(title, PNG) of the report's chart: each criterion, this period against the last."""
    before = report.previous
    subtitle = _("{scope} · {period} against {before} · average 1–5").format(
        scope=f"{report.scope[:1].upper()}{report.scope[1:]}",
        period=report.period.label(),
        before=before.label(),
    )
    png = criteria_chart(
        report.criteria,
        _("Review scores by criterion"),
        subtitle,
        (report.period.label(), before.label()),
        style,
    )
    title = _("Review scores by criterion, {period}").format(period=report.period.label())
    return title, png


def report_post(report: ReviewReport, style: NumberStyle) -> ReportPost:
    title, chart = criteria_post_chart(report, style) if report.reviews else ("", None)
    text = _("Livestream reviews {period}: {numbers}").format(
        period=report.period.label(), numbers=report_text(report, style)
    )
    return ReportPost(text, render_report(report, style), chart, title)


def digest_text(report: ReviewReport, style: NumberStyle) -> str:
    """The report in a few mrkdwn lines, for the digest's reviews section: the key numbers,
    the strongest and weakest criterion, the frequent tags and one moment worth copying."""
    scored = [c for c in report.criteria if c.average is not None]
    best = max(scored, key=lambda c: c.average or 0.0)
    worst = min(reversed(scored), key=lambda c: c.average or 0.0)
    lines = [
        _(
            "*Livestream reviews* · {numbers} · best: {best} {best_average} · weakest: {worst} "
            "{worst_average}"
        ).format(
            numbers=report_text(report, style),
            best=criterion_label(best.label),
            best_average=_score(best.average, style),
            worst=criterion_label(worst.label),
            worst_average=_score(worst.average, style),
        )
    ]
    if report.tags:
        lines.append(_("Improve: {tags}").format(tags=_tags_line(report.tags[:5])))
    if report.moments:
        review = report.moments[0]
        moment = escape(truncate(review.best_practice or "", 200)).replace("\n", " ")
        lines.append(
            f"⭐ _{_quoted(moment)}_ — {escape(review.seller_name)}, {stream_when(review)}"
        )
    return "\n".join(lines)
