"""The monthly review report a channel subscribes to: posted on the 1st at its time, on the
calendar month before against the month before that, once, and stopped by its subscriber."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.review.monthly import post_due_reports
from devkit.offline import OfflineBot
from storage.reviews.models import ReviewReportPost
from tests.feedback_support import rows, set_clock
from tests.review_support import seed, stored_review
from tests.slack_support import markup

PNG = b"\x89PNG\r\n\x1a\n"


def _posts(bot: OfflineBot) -> list[dict]:
    return [
        c.params for c in bot.sandbox.calls("chat.postMessage") if c.params["channel"] == "C0KPI"
    ]


def _tick(bot: OfflineBot, moment: datetime) -> int:
    set_clock(bot, moment)
    return post_due_reports(bot.services)


def test_the_month_before_is_posted_once_on_the_first(bot: OfflineBot, engine: Engine) -> None:
    team = bot.sandbox.team_id
    ids = seed(engine, team)
    for day in (5, 12, 19):
        stored_review(engine, team, ids["Casa Bonita"], datetime(2026, 10, day, 19), hook=5)
    stored_review(engine, team, ids["Glow Lab"], datetime(2026, 10, 7, 19), hook=1)  # not Home
    stored_review(engine, team, ids["Casa Bonita"], datetime(2026, 9, 30, 19), hook=3)
    set_clock(bot, datetime(2026, 10, 20, 10, tzinfo=UTC))
    answer = " ".join(bot.say("/review subscribe 08:30 category:home & living").text.split())
    assert "#lifestyle-kpi gets the livestream review report for Home & Living" in answer
    assert "on the 1st of each month at 08:30 (Europe/Berlin)" in answer

    assert _tick(bot, datetime(2026, 10, 31, 23, tzinfo=UTC)) == 0  # 00:00 in Berlin: too early
    assert _tick(bot, datetime(2026, 11, 1, 7, 29, tzinfo=UTC)) == 0  # 08:29
    assert _tick(bot, datetime(2026, 11, 1, 7, 30, tzinfo=UTC)) == 1  # 08:30
    assert _tick(bot, datetime(2026, 11, 1, 7, 35, tzinfo=UTC)) == 0  # once
    assert _tick(bot, datetime(2026, 11, 20, 7, 35, tzinfo=UTC)) == 0
    [post] = _posts(bot)
    text = markup(post)
    assert "Livestream reviews · Home & Living · 1 Oct – 31 Oct 2026" in text
    assert "3 streams reviewed (▲ 2 vs 1 Sep – 30 Sep 2026), average score 3.2 / 5" in text
    [chart] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".png")]
    assert chart.content is not None and chart.content.startswith(PNG)
    assert chart.channels == ["C0KPI"] and chart.filename == "review-scores-2026-10.png"
    [claimed] = rows(engine, ReviewReportPost)
    assert claimed.status == "posted" and str(claimed.month) == "2026-10-01"


def test_a_month_without_reviews_says_so(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    set_clock(bot, datetime(2026, 10, 20, 10, tzinfo=UTC))
    bot.say("/review subscribe")
    assert _tick(bot, datetime(2026, 11, 1, 9, tzinfo=UTC)) == 1
    [post] = _posts(bot)
    assert "1 Oct – 31 Oct 2026: no streams were reviewed" in post["text"]
    assert bot.sandbox.files == {}


def test_only_its_subscriber_or_an_admin_stops_it(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    set_clock(bot, datetime(2026, 10, 20, 10, tzinfo=UTC))
    bot.say("/review subscribe", user_id="U0PRIYA")
    assert "who subscribed this channel, or an admin can stop it" in bot.say(
        "/review unsubscribe", user_id="U0TOM"
    )
    assert "Stopped the monthly review report" in bot.say("/review unsubscribe", user_id="U0PRIYA")
    assert _tick(bot, datetime(2026, 11, 1, 9, tzinfo=UTC)) == 0
    assert "no monthly review report to stop" in bot.say("/review unsubscribe").text


def test_wrong_subscriptions_say_what_to_type(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    assert "posts on the 1st of each month" in bot.say("/review subscribe mon")
    assert "Did you mean" in bot.say("/review subscribe category:home living").text
    assert "/review subscribe [#channel]" in bot.say("/review subscribe 25:99").text
    assert rows(engine, ReviewReportPost) == []


def test_a_channel_in_german_gets_its_report_in_german(bot: OfflineBot, engine: Engine) -> None:
    """The workspace writes English; the channel subscribed with `lang:de` reads German, and
    the person who subscribed it is answered in their own language."""
    team = bot.sandbox.team_id
    ids = seed(engine, team)
    stored_review(engine, team, ids["Casa Bonita"], datetime(2026, 10, 5, 19), hook=5)
    set_clock(bot, datetime(2026, 10, 20, 10, tzinfo=UTC))
    answer = " ".join(bot.say("/review subscribe 08:30 lang:de").text.split())
    assert "#lifestyle-kpi gets the livestream review report on the 1st" in answer
    assert "Beiträge in #lifestyle-kpi erscheinen auf Deutsch (für diesen Kanal gewählt)." in answer
    assert _tick(bot, datetime(2026, 11, 1, 7, 30, tzinfo=UTC)) == 1
    [post] = _posts(bot)
    text = markup(post)
    assert "Livestream-Reviews · das Team" in text and "31.10.2026" in text
    assert "Livestream reviews" not in text and "Oct" not in text
