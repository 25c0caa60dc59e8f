"""The review report: streams and reviewers, each criterion against the period before (with
its chart), best and weakest streams with links, improvement tags and their trend, best
practice quoted, and GPM by score, checked against numbers worked out from the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.review.report import MIN_GROUP
from devkit.offline import OfflineBot
from tests.feedback_support import NOW, set_clock
from tests.review_support import seed, stored_review
from tests.slack_support import markup

PNG = b"\x89PNG\r\n\x1a\n"


def _month_of_reviews(engine: Engine, team: str) -> dict[str, int]:
    """12 streams in the 30 days to 3 Dec: six with a strong hook (GPM 300), six with a weak
    one (GPM 100); and 2 streams in the 30 days before, every score 3 but the hook, 2."""
    ids = seed(engine, team)
    casa, kitchen = ids["Casa Bonita"], ids["Küchenwelt & Co"]
    for n in range(6):
        day = datetime(2026, 11, 10 + n, 19, 0)
        stored_review(
            engine,
            team,
            casa,
            day,
            hook=5,
            tags=["hook"] if n < 1 else [],
            gmv_cents=30000,
            best="Opens on the 2-for-1 offer in the first ten seconds" if n == 0 else None,
        )
        stored_review(
            engine,
            team,
            kitchen,
            day,
            hook=1,
            reviewer="U0TOM",
            tags=["hook", "audio"] if n < 2 else ["hook"],
            gmv_cents=10000,
        )
    for n in range(2):
        day = datetime(2026, 10, 20 + n, 19, 0)
        stored_review(engine, team, casa, day, hook=2, tags=["audio"] * 1, gmv_cents=5000)
    return ids


def test_the_monthly_report_is_posted_with_its_chart(bot: OfflineBot, engine: Engine) -> None:
    _month_of_reviews(engine, bot.sandbox.team_id)
    set_clock(bot, datetime(2026, 12, 1, 8, 30, tzinfo=UTC))  # on the 1st: the month just ended
    seen = bot.say("/review report month")
    [post] = seen.replies
    assert post["response_type"] == "in_channel"
    text = seen.text
    assert "LIVESTREAM REVIEWS · THE TEAM · 1 NOV – 30 NOV 2026" in text
    # Per review: 5 + 9×3 = 32 → 3.2, or 1 + 27 = 28 → 2.8; the mean is 3.0. Before: 2.9.
    assert "12 streams reviewed (▲ 10 vs the 30 days before), average score 3.0 / 5" in text
    assert "(before: 2.9)" in text
    assert "Reviewed by @priya 6, @tom 6" in text
    # Opening hook: (6×5 + 6×1) / 12 = 3.0 against 2.0; the rest 3.0 against 3.0.
    assert "Opening hook: 3.0 (▲ 1.0)" in text and "Compliance: 3.0 (■ 0.0)" in text
    best = text.split("Best streams")[1].split("Weakest streams")[0]
    assert best.count("32/50 Casa Bonita") == 3 and "https://www.tiktok.com/live/" in best
    weakest = text.split("Weakest streams")[1]
    assert weakest.split("Most frequent")[0].count("28/50 Küchenwelt & Co") == 3
    # Tags: hook 7 now (1 before it: 0) → new; audio 2 now, 2 before → =.
    assert "#hook 7 (new) · #audio 2 (=)" in text
    assert "“Opens on the 2-for-1 offer in the first ten seconds”_ — Casa Bonita" in text
    # GPM: $300 on 1,000 views = 300.00 for the strong hooks, $100 → 100.00 for the weak.
    assert (
        "Opening hook: GPM 300.00 when scored 4–5 (6 streams) vs 100.00 when scored 1–2 (6)" in text
    )
    assert "9 other criteria have fewer than 5 streams with figures" in text
    [chart] = [f for f in bot.sandbox.files.values() if f.filename.endswith(".png")]
    assert chart.content is not None and chart.content.startswith(PNG)
    assert chart.title == "Review scores by criterion, 1 Nov – 30 Nov 2026"
    assert chart.channels == ["C0KPI"]


def test_too_few_streams_to_relate_scores_to_results_is_said(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    for n in range(MIN_GROUP - 1):
        day = datetime(2026, 12, 1, 10 + n)
        stored_review(engine, bot.sandbox.team_id, ids["Casa Bonita"], day, hook=5, gmv_cents=100)
        stored_review(engine, bot.sandbox.team_id, ids["Glow Lab"], day, hook=1, gmv_cents=100)
    set_clock(bot, NOW)
    text = bot.say("/review report").text
    assert "8 streams reviewed" in text and "1 Dec" in text
    assert "Not enough streams to tell yet: each group" in text and "needs 5 streams" in text
    assert "Weakest streams" in text


def test_a_category_or_a_seller_report(bot: OfflineBot, engine: Engine) -> None:
    _month_of_reviews(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    care = bot.say("/review report category:personal care 30d").text
    assert "No reviews of Personal Care's streams in 3 Nov – 2 Dec 2026" in care
    casa = bot.say("/review report seller:casa bonita 30d").text
    assert "LIVESTREAM REVIEWS · CASA BONITA" in casa and "6 streams reviewed" in casa
    home = bot.say("/review report 30d category:Home & Living").text
    assert "12 streams reviewed" in home


def test_wrong_report_requests_say_what_to_type(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    assert "Did you mean" in bot.say("/review report category:home living").text
    assert "Did you mean" in bot.say("/review report seller:Casa Bonta").text
    assert "is not a period" in bot.say("/review report fortnight").text
    mixed = bot.say("/review report category:Personal Care seller:Casa Bonita").text
    assert "Casa Bonita is not in Personal Care" in mixed
    assert "Say which category" in bot.say("/review report category:").text
    assert bot.sandbox.files == {}


def test_the_report_text_is_escaped(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    start = NOW.replace(tzinfo=None) - timedelta(days=1)
    stored_review(
        engine,
        bot.sandbox.team_id,
        ids["Küchenwelt & Co"],
        start,
        hook=4,
        best="<!channel> look at 12:40",
        tags=["ümlaut"],
    )
    set_clock(bot, NOW)
    post = markup(bot.say("/review report").replies[0])
    assert "&lt;!channel&gt; look at 12:40" in post and "<!channel>" not in post
    assert "Küchenwelt &amp; Co" in post and "#ümlaut 1 (new)" in post
