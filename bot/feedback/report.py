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
from bot.shared.language import SOURCE_LANGUAGE, _, ngettext, pgettext, speech
from bot.shared.numbers import NumberStyle
from bot.shared.replies import context, escape, header, section, truncate
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


def _count(value: int) -> str:
    """A count as the answer's locale writes it (`1,204` · `1.204`)."""
    return NumberStyle(locale_name=speech().locale).count(value)


def _change(now: int, before: int) -> str:
    if before == 0:
        return pgettext("nothing the period before", "new") if now else "="
    delta = now - before
    return "=" if delta == 0 else f"{'▲' if delta > 0 else '▼'} {_count(abs(delta))}"


def report_line(report: FeedbackReport) -> str:
    """The key numbers after the period: `Nov 2026: 12 notes (▲ 3 vs the 30 days before) …`."""
    marks = " ".join(f"{SENTIMENTS[s][1]} {_count(report.sentiments[s])}" for s in SENTIMENT_ORDER)
    notes_text = ngettext("{count} note", "{count} notes", report.total)
    follow_ups = ngettext(
        "{count} open follow-ups", "{count} open follow-ups", report.open_follow_ups
    )
    numbers = _("{notes} ({change} vs the {days} days before) {marks}; {follow_ups}").format(
        notes=notes_text.format(count=_count(report.total)),
        change=_change(report.total, report.previous_total),
        days=_count(report.period.days),
        marks=marks,
        follow_ups=follow_ups.format(count=_count(report.open_follow_ups)),
    )
    return f"{report.period.label()}: {numbers}"


def report_text(report: FeedbackReport) -> str:
    """The key numbers in one line, for notifications and search."""
    return _("Creator feedback {numbers}").format(numbers=report_line(report))


def _in_sentence(label: str) -> str:
    """A topic's label inside a sentence: lower case in English; German nouns keep their
    capital."""
    return label.lower() if speech().language == SOURCE_LANGUAGE else label


def render_report(report: FeedbackReport) -> list[Block]:
    """The report's blocks; nothing in them mentions a person (it is posted in a channel)."""
    title = _("Creator feedback · {period}").format(period=report.period.label())
    blocks: list[Block] = [header(title)]
    blocks.append(section(report_text(report)))
    lines = [
        f"*{topic_label(t.topic)}* — {_count(t.total)}: "
        + " · ".join(f"{SENTIMENTS[s][1]} {_count(t.by_sentiment[s])}" for s in SENTIMENT_ORDER)
        for t in report.topics
    ]
    blocks.append(section(_("*Notes by topic*") + "\n" + "\n".join(lines)))
    if report.tags:
        tags = [
            f"#{escape(t.tag)} {_count(t.count)} ({_change(t.count, t.previous)})"
            for t in report.tags
        ]
        frequent = _("*Most frequent tags* (vs the period before)")
        blocks.append(section(frequent + "\n" + " · ".join(tags)))
    if report.negative_creators:
        creators = [
            f"• @{c.handle}{' (' + escape(c.name) + ')' if c.name else ''}: "
            + _("{negative} negative of {total}").format(
                negative=_count(c.negative), total=_count(c.total)
            )
            for c in report.negative_creators
        ]
        blocks.append(section(_("*Most negative notes*") + "\n" + "\n".join(creators)))
    open_line = _("*Open follow-ups:* {open} ({overdue} overdue)").format(
        open=_count(report.open_follow_ups), overdue=_count(report.overdue_follow_ups)
    )
    blocks.append(section(open_line))
    if report.quotes:
        blocks.append(section(_("*What creators said*")))
    link = _("(link)")
    for note in report.quotes:
        words = _LINK.sub(link, note.text)  # a quote is read, not clicked
        quote = escape(truncate(words, 280)).replace("\n", " ")
        blocks.append(
            context(
                f"{SENTIMENTS[note.sentiment][1]} _“{quote}”_ — @{note.handle}, "
                f"{_in_sentence(topic_label(note.topic))}"
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
    line: str = ""  # the key numbers after the period, as the digest shows them


def report_section(report: FeedbackReport) -> ReportSection:
    period = report.period.label()
    title = _("Feedback by topic and sentiment, {period}").format(period=period)
    chart = (
        topic_sentiment_chart(
            report.topics,
            _("Feedback by topic and sentiment"),
            _("{period} · notes per topic").format(period=period),
        )
        if report.total
        else None
    )
    blocks = render_report(report)
    return ReportSection(report_text(report), blocks, chart, title, report_line(report))


def feedback_digest_section(
    engine: Engine, team_id: str, week_start: date, tz: ZoneInfo, today: date
) -> ReportSection:
    """The Monday digest's feedback section: the week starting `week_start`, against the
    week before."""
    period = ReportPeriod(week_start, week_start + timedelta(days=6))
    return report_section(build_report(engine, team_id, period, tz, today))
