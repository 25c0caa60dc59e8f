"""The feedback report: notes per topic and sentiment, frequent tags and their trend, the
creators with the most negative notes, open follow-ups and representative quotes.

`compose_report` is pure (notes in, report out); `build_report` fetches the notes; the same
report is `/feedback report` and the Monday digest's feedback section (`feedback_digest_section`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from sqlalchemy.engine import Engine

from bot.feedback.chart import topic_sentiment_chart
from bot.feedback.inference import SENTIMENTS, topic_label
from bot.shared.replies import context, escape, header, plural, section, truncate
from bot.shared.report_periods import ReportPeriod
from storage.feedback import notes
from storage.feedback.notes import NoteView

TOP_TAGS = 8
TOP_CREATORS = 5
QUOTES = 3
SENTIMENT_ORDER = tuple(str(s) for s in SENTIMENTS)


@dataclass(frozen=True)
class TopicCount:
    topic: str
    by_sentiment: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_sentiment.values())


@dataclass(frozen=True)
class TagTrend:
    tag: str
    count: int
    previous: int


@dataclass(frozen=True)
class CreatorCount:
    handle: str
    name: str
    negative: int
    total: int


@dataclass(frozen=True)
class FeedbackReport:
    period: ReportPeriod
    total: int
    previous_total: int
    sentiments: dict[str, int]
    topics: list[TopicCount]  # most notes first
    tags: list[TagTrend]
    negative_creators: list[CreatorCount]
    open_follow_ups: int
    overdue_follow_ups: int
    quotes: list[NoteView]


def compose_report(
    period: ReportPeriod,
    current: list[NoteView],
    previous: list[NoteView],
    follow_ups: tuple[int, int],
) -> FeedbackReport:
    """The report for `current` notes, against `previous` (the period before)."""
    by_topic: dict[str, Counter[str]] = {}
    for note in current:
        by_topic.setdefault(note.topic, Counter())[note.sentiment] += 1
    topics = sorted(
        (TopicCount(t, {s: c[s] for s in SENTIMENT_ORDER}) for t, c in by_topic.items()),
        key=lambda t: (-t.total, t.topic),
    )
    tags_now = Counter(tag for note in current for tag in note.tags)
    tags_before = Counter(tag for note in previous for tag in note.tags)
    tags = [
        TagTrend(tag, count, tags_before[tag])
        for tag, count in sorted(tags_now.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TAGS]
    ]
    return FeedbackReport(
        period=period,
        total=len(current),
        previous_total=len(previous),
        sentiments={s: sum(t.by_sentiment[s] for t in topics) for s in SENTIMENT_ORDER},
        topics=topics,
        tags=tags,
        negative_creators=_most_negative(current),
        open_follow_ups=follow_ups[0],
        overdue_follow_ups=follow_ups[1],
        quotes=_quotes(current, topics),
    )


def _most_negative(current: list[NoteView]) -> list[CreatorCount]:
    totals = Counter(n.handle for n in current)
    negative = Counter(n.handle for n in current if n.sentiment == "negative")
    names = {n.handle: n.creator_name for n in current}
    ranked = sorted(negative.items(), key=lambda kv: (-kv[1], -totals[kv[0]], kv[0]))
    return [CreatorCount(h, names[h], c, totals[h]) for h, c in ranked[:TOP_CREATORS]]


_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def quotable(text: str) -> bool:
    """Whether a note says something in words: a note that is only a link (or links) says
    nothing a reader can take in at a glance, and a bare URL in a quote is noise."""
    return bool(_LINK.sub("", text).strip(" \n\t.,;:-–—()[]"))


def _quotes(current: list[NoteView], topics: list[TopicCount]) -> list[NoteView]:
    """For each of the busiest topics, a recent note of moderate length with the topic's most
    common sentiment: what the period sounded like. Notes that are only links are skipped."""
    quotes = []
    for topic in topics[:QUOTES]:
        mood = max(SENTIMENT_ORDER, key=lambda s: (topic.by_sentiment[s], s == "negative"))
        candidates = [
            n
            for n in current
            if n.topic == topic.topic and n.sentiment == mood and quotable(n.text)
        ]
        candidates.sort(key=lambda n: (not 40 <= len(n.text) <= 280, -n.created_at.timestamp()))
        quotes.extend(candidates[:1])
    return quotes


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "="
    delta = now - before
    return "=" if delta == 0 else f"{'▲' if delta > 0 else '▼'} {abs(delta)}"


def report_text(report: FeedbackReport) -> str:
    """The key numbers in one line, for notifications and search."""
    marks = " ".join(f"{SENTIMENTS[s][1]} {report.sentiments[s]}" for s in SENTIMENT_ORDER)
    return (
        f"Creator feedback {report.period.label()}: {plural(report.total, 'note')} "
        f"({_change(report.total, report.previous_total)} vs the {report.period.days} days "
        f"before) {marks}; {report.open_follow_ups} open follow-ups"
    )


def render_report(report: FeedbackReport) -> list[Block]:
    """The report's blocks; nothing in them mentions a person (it is posted in a channel)."""
    blocks: list[Block] = [header(f"Creator feedback · {report.period.label()}")]
    blocks.append(section(report_text(report)))
    lines = [
        f"*{topic_label(t.topic)}* — {t.total}: "
        + " · ".join(f"{SENTIMENTS[s][1]} {t.by_sentiment[s]}" for s in SENTIMENT_ORDER)
        for t in report.topics
    ]
    blocks.append(section("*Notes by topic*\n" + "\n".join(lines)))
    if report.tags:
        tags = [f"#{escape(t.tag)} {t.count} ({_change(t.count, t.previous)})" for t in report.tags]
        blocks.append(section("*Most frequent tags* (vs the period before)\n" + " · ".join(tags)))
    if report.negative_creators:
        creators = [
            f"• @{c.handle}{' (' + escape(c.name) + ')' if c.name else ''}: "
            f"{c.negative} negative of {c.total}"
            for c in report.negative_creators
        ]
        blocks.append(section("*Most negative notes*\n" + "\n".join(creators)))
    blocks.append(
        section(
            f"*Open follow-ups:* {report.open_follow_ups} ({report.overdue_follow_ups} overdue)"
        )
    )
    if report.quotes:
        blocks.append(section("*What creators said*"))
    for note in report.quotes:
        words = _LINK.sub("(link)", note.text)  # a quote is read, not clicked
        quote = escape(truncate(words, 280)).replace("\n", " ")
        blocks.append(
            context(
                f"{SENTIMENTS[note.sentiment][1]} _“{quote}”_ — @{note.handle}, "
                f"{topic_label(note.topic).lower()}"
            )
        )
    return blocks


def build_report(
    engine: Engine, team_id: str, period: ReportPeriod, tz: ZoneInfo, today: date
) -> FeedbackReport:
    current = notes.notes_between(engine, team_id, *period.bounds(tz))
    previous = notes.notes_between(engine, team_id, *period.before().bounds(tz))
    counts = notes.follow_up_counts(engine, team_id, today)
    return compose_report(period, current, previous, counts)


@dataclass(frozen=True)
class ReportSection:
    """A report ready to post: fallback text, blocks, and the chart (None without notes)."""

    text: str
    blocks: list[Block]
    chart_png: bytes | None
    chart_title: str


def report_section(report: FeedbackReport) -> ReportSection:
    title = f"Feedback by topic and sentiment, {report.period.label()}"
    chart = (
        topic_sentiment_chart(
            report.topics,
            "Feedback by topic and sentiment",
            f"{report.period.label()} · notes per topic",
        )
        if report.total
        else None
    )
    return ReportSection(report_text(report), render_report(report), chart, title)


def feedback_digest_section(
    engine: Engine, team_id: str, week_start: date, tz: ZoneInfo, today: date
) -> ReportSection:
    """The Monday digest's feedback section: the week starting `week_start`, against the
    week before."""
    period = ReportPeriod(week_start, week_start + timedelta(days=6))
    return report_section(build_report(engine, team_id, period, tz, today))
