"""Finding reviews: `/review list` (by seller or host, newest first, a page at a time) and
`/review show` (scores as bars, figures against the seller's and the category's averages, the
three weakest LIVE metrics), checked against numbers worked out by hand from the seed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.shared.pages import NEXT
from devkit.offline import OfflineBot
from storage.reviews.models import LivestreamReview
from tests.review_support import STREAM, review_now, seed
from tests.slack_support import action_ids, markup, press


def test_show_sets_the_stream_against_the_seller_and_the_category(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user="U0PRIYA", best="At 12:40 the voucher is pinned")
    seen = bot.say("/review show 1", user_id="U0TOM")
    text = seen.text
    assert "REVIEW 1 · CASA BONITA · 2 DEC 2026 19:00" in text
    assert "Opening hook          ████░ 4" in text
    assert "Production            ███░░ 3" in text
    assert "Total                 39/50 · average 3.9" in text
    assert "reviewed by @priya" in text and "figures from the LIVE sessions export" in text
    # Casa Bonita's two sessions and the category's three (Küchenwelt's one besides).
    assert "                   stream  seller category" in text
    assert "Views               1,000   2,000    2,000" in text
    assert "Avg. viewing time    1:05    1:20     1:20" in text
    assert "GMV               $200.00 $550.00  $700.00" in text
    assert "Comments               40      65       77" in text
    # Category GPM: $700 on 2,000 views = 350.00; this stream $200 on 1,000 views = 200.00.
    weakest = text.split("Weakest against the category's average stream")[1]
    assert weakest.splitlines()[1:4] == [
        "• Views 1,000 vs 2,000 (-50%)",
        "• Peak viewers 50 vs 100 (-50%)",
        "• GPM 200.00 vs 350.00 (-43%)",
    ]
    assert "⭐ Best practice" in text and "At 12:40 the voucher is pinned" in text
    assert action_ids(seen.reply) == ["review_edit", "review_delete"]


def test_each_column_of_figures_names_its_source_and_span(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user="U0PRIYA")
    text = " ".join(bot.say("/review show 1", user_id="U0TOM").text.split())
    # Casa Bonita streamed on 25 Nov and 2 Dec; Küchenwelt, of the same category, on 30 Nov.
    assert (
        "stream: LIVE sessions export, 2 Dec 2026 19:00 · "
        "seller avg per stream: LIVE sessions export, 2 streams 25 Nov–2 Dec · "
        "category avg per stream: LIVE sessions export, 3 streams 25 Nov–2 Dec"
    ) in text
    review_now(bot, ids["Glow Lab"], url="", figures={"views": "500"})
    typed = " ".join(bot.say("/review show 2", user_id="U0TOM").text.split())
    assert "stream: as the reviewer typed them" in typed
    assert "seller avg per stream: no sessions in the LIVE sessions export" in typed


def test_a_review_linked_to_another_hosts_stream_says_so(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], host="@lena.live")  # Ana hosted the stream at STREAM
    with engine.begin() as connection:  # linked as reviews were before hosts were compared
        connection.execute(
            update(LivestreamReview).values(live_session_id=1, views=1000, gmv_cents=200_00)
        )
    text = " ".join(bot.say("/review show 1").text.split())
    assert "figures from the LIVE sessions export: Ana (own host)'s stream, another host's" in text
    assert "stream: LIVE sessions export, 2 Dec 2026 19:00 (Ana (own host)'s stream" in text


def test_a_review_without_figures_says_how_to_get_them(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Glow Lab"], url="")
    text = bot.say("/review show 1").text
    assert "No figures for this stream: import its LIVE sessions export" in text
    assert "Weakest" not in text


def test_review_text_is_shown_never_acted_on(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], strengths="<!channel> & Кирилл 日本 😀 <@U0TOM>")
    shown = markup(bot.say("/review show 1").reply)
    assert "&lt;!channel&gt; &amp; Кирилл 日本 😀 &lt;@U0TOM&gt;" in shown
    assert "<!channel>" not in shown


def test_a_seller_named_with_an_ampersand_is_escaped_once_in_its_card_and_lists(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    empty = bot.say("/review list Küchenwelt & Co")  # the sandbox refuses a bare & in mrkdwn
    assert "No reviews of Küchenwelt & Co yet." in empty.text
    assert "Küchenwelt &amp; Co" in empty.reply["text"]
    review_now(bot, ids["Küchenwelt & Co"])
    card = bot.say("/review show 1").reply
    assert card["text"].startswith("Review 1 · Küchenwelt &amp; Co · ")
    assert "REVIEW 1 · KÜCHENWELT & CO" in bot.say("/review show 1").text


def test_list_newest_first_by_seller_and_host_and_paged(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    for n in range(12):
        start = STREAM - timedelta(days=n)
        host = "@lena.live" if n % 2 else ""
        review_now(bot, ids["Casa Bonita"], start=start, url="", host=host)
    review_now(bot, ids["Glow Lab"], url="")
    first = bot.say("/review list")
    lines = [line for line in first.text.splitlines() if " · " in line and "/5" in line]
    # Review 13 (Glow Lab) started at the same time as review 1: the later review first.
    assert [line.split(" · ")[0] for line in lines] == [
        "13",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
    ]
    assert "Reviews of the team (1–8)" in first.text
    page = press(bot, first.reply, NEXT)
    assert "(9–13)" in markup(page) and NEXT not in action_ids(page)
    listed = [line for line in markup(page).splitlines() if " · " in line and "/5" in line]
    assert [line.split(" · ")[0].strip("*") for line in listed] == [
        "8",
        "9",
        "10",
        "11",
        "12",
    ]

    glow = bot.say("/review list glow lab").text
    assert "Reviews of Glow Lab" in glow and "Casa Bonita ·" not in glow
    hosts = bot.say("/review list @Lena.Live 3").text
    assert "Reviews of @Lena.Live (1–3)" in hosts
    assert hosts.count("@lena.live ·") == 3 and NEXT not in action_ids(
        bot.say("/review list @lena.live 3").reply
    )


def test_wrong_names_and_numbers_are_answered(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    unknown = bot.say("/review list Casa Bonta").text
    assert "Did you mean" in unknown and "Casa Bonita" in unknown
    assert "There is no review 99" in bot.say("/review show 99").text
    assert "is not a number" in bot.say("/review show ninety").text
    assert "Say which review" in bot.say("/review show").text
    assert "is not a number from 1 to 200" in bot.say("/review list 500").text
    assert "No reviews of the team yet" in bot.say("/review list").text
    host = bot.say("/review list @lena.liv").text
    assert "I don't know the creator" in host and "Did you mean @lena.live?" in host
    assert "No reviews of @lena.live yet" in bot.say("/review list @lena.live").text


def test_another_workspaces_review_is_not_shown(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"])
    with engine.begin() as connection:
        connection.execute(update(LivestreamReview).values(team_id="TOTHER"))
    assert "There is no review 1" in bot.say("/review show 1").text
