"""The review form and the message shortcut: the scorecard with its anchors, the seller
type-ahead, figures filled in from the imported LIVE session, field errors that save nothing,
and one review per reviewer and stream."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from devkit.offline import OfflineBot
from storage.db import transaction
from storage.reviews.models import LiveSession, LivestreamReview
from storage.sellers.models import Seller
from tests.feedback_support import NOW, answers, last_view, rows, set_clock, submit
from tests.review_support import STREAM, open_form, review_now, review_values, seed
from tests.slack_support import markup


def _errors(response: Any) -> dict[str, str]:
    body = response.json()
    assert body["response_action"] == "errors", body
    return body["errors"]


def test_review_alone_opens_the_scorecard_form(bot: OfflineBot) -> None:
    view = open_form(bot)
    assert view["title"]["text"] == "Livestream review"
    ids = [b.get("block_id") for b in view["blocks"]]
    assert ids[:5] == ["seller", "host", "stream_url", "stream_day", "stream_time"]
    assert ids[5:15] == [
        "score_opening_hook",
        "score_host_presence",
        "score_product_explanation",
        "score_demonstration",
        "score_production",
        "score_interaction",
        "score_merchandising",
        "score_calls_to_action",
        "score_structure",
        "score_compliance",
    ]
    hook = view["blocks"][5]["element"]["options"]
    assert [o["value"] for o in hook] == ["5", "4", "3", "2", "1"]
    assert hook[0]["text"]["text"] == "5 · offer and product in the first 30 seconds"
    assert hook[1]["text"]["text"] == "4"
    assert hook[4]["text"]["text"].startswith("1 · slow start")
    tags = next(b for b in view["blocks"] if b.get("block_id") == "tags")["element"]["options"]
    assert [o["value"] for o in tags][:5] == ["hook", "lighting", "audio", "pricing", "cta"]
    assert "fig_views" in ids and "fig_gmv_cents" in ids and "best_moment" in ids


def test_the_type_ahead_finds_this_workspaces_sellers(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    view = open_form(bot)

    def suggest(query: str) -> list[str]:
        payload = {
            "type": "block_suggestion",
            "user": {"id": "U0MARIA", "team_id": bot.sandbox.team_id},
            "action_id": "review_seller",
            "block_id": "seller",
            "value": query,
            "view": view,
        }
        response = bot.client.interaction(payload)
        assert response.status == 200, response.body
        return [o["text"]["text"] for o in response.json()["options"]]

    assert suggest("casa") == ["Casa Bonita · Home & Living"]  # not the other team's
    assert suggest("KÜCHEN") == ["Küchenwelt & Co · Home & Living"]
    assert suggest("&") == ["Küchenwelt & Co · Home & Living"]
    assert suggest("zzz") == []


def _host_session(engine: Engine, seller_id: int, start: datetime, host: str) -> None:
    """The seller's session at `start` hosted by `host`, as the export names the host (a
    new one of 7,000 views and $700 where the seed has none)."""
    with transaction(engine) as session:
        found = session.exec(
            select(LiveSession).where(
                LiveSession.seller_id == seller_id, LiveSession.started_at == start
            )
        ).first()
        if found is None:
            found = LiveSession(
                team_id=session.get_one(Seller, seller_id).team_id,
                seller_id=seller_id,
                started_at=start,
                views=7000,
                gmv_cents=700_00,
            )
        found.host_name = host
        session.add(found)


def test_a_review_takes_its_figures_from_the_live_session(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    _host_session(engine, ids["Casa Bonita"], STREAM, "@maria.makes")  # the export's handle
    response = review_now(
        bot,
        ids["Casa Bonita"],
        host="@Maria.Makes",
        tags=["hook", "pricing"],
        free_tags="#Küche giveaway",
        best="At 12:40 the voucher is pinned during the close-up",
        figures={"views": "1,200"},  # typed figures win over the export's
    )
    assert response.body == ""  # the modal closes
    [saved] = rows(engine, LivestreamReview)
    assert saved.seller_id == ids["Casa Bonita"] and saved.stream_started_at == STREAM
    assert saved.stream_date == STREAM.date() and saved.live_session_id is not None
    assert (saved.views, saved.peak_viewers, saved.avg_view_seconds, saved.gmv_cents) == (
        1200,
        50,
        65,
        20000,
    )
    assert (saved.orders, saved.comments, saved.new_followers, saved.product_clicks) == (
        10,
        40,
        5,
        100,
    )
    assert saved.improvement_tags == ["hook", "pricing", "küche", "giveaway"]
    assert saved.best_practice == "At 12:40 the voucher is pinned during the close-up"
    assert saved.score_production == 3 and saved.score_opening_hook == 4
    assert saved.reviewer_user_id == "U0MARIA" and saved.creator_id is not None
    [answer] = answers(bot, 1)
    shown = markup(answer)
    assert "Saved review" in shown and "Casa Bonita" in shown and "39/50" in shown
    assert "@maria.makes" in shown


def test_the_sellers_own_host_comes_from_the_export(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"])
    [saved] = rows(engine, LivestreamReview)
    assert saved.host_name == "Ana (own host)" and saved.creator_id is None


def test_a_review_links_only_to_a_session_of_its_own_host(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    # At STREAM the export has Ana's stream; ten minutes later, Lena Brandt's.
    _host_session(engine, ids["Casa Bonita"], STREAM + timedelta(minutes=10), "Lena Brandt")
    review_now(bot, ids["Casa Bonita"], host="@lena.live")
    review_now(bot, ids["Casa Bonita"], host="@maria.makes", user="U0TOM")
    lena, maria = rows(engine, LivestreamReview)
    sessions = {s.id: s for s in rows(engine, LiveSession)}
    assert sessions[lena.live_session_id].host_name == "Lena Brandt"
    assert (lena.views, lena.gmv_cents) == (7000, 700_00)
    # Maria hosted none of the streams near STREAM: no link and none of Ana's figures.
    assert maria.live_session_id is None and (maria.views, maria.gmv_cents) == (None, None)


def test_without_an_export_the_typed_figures_are_kept(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(
        bot,
        ids["Glow Lab"],
        host="Mia",
        figures={"views": "12.300", "gmv_cents": "€ 1.234,50", "avg_view_seconds": "1m 5s"},
    )
    [saved] = rows(engine, LivestreamReview)
    assert saved.live_session_id is None and saved.host_name == "Mia"
    assert (saved.views, saved.gmv_cents, saved.avg_view_seconds, saved.orders) == (
        12300,
        123450,
        65,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "block", "says"),
    [
        ({"scores": {"demonstration": None}}, "score_demonstration", "from 1 to 5"),
        ({"scores": {"interaction": 7}}, "score_interaction", "from 1 to 5"),
        ({"url": "tiktok live yesterday"}, "stream_url", "is not a link"),
        ({"url": "javascript:alert(1)"}, "stream_url", "is not a link"),
        ({"start": None}, "stream_day", "Pick the day"),
        ({"host": "@maria.make"}, "host", "Did you mean @maria.makes?"),
        ({"host": "@Кирилл"}, "host", "I don't know the creator"),
        ({"figures": {"views": "lots"}}, "fig_views", "not a whole number"),
        ({"figures": {"gmv_cents": "=SUM(A1)"}}, "fig_gmv_cents", "not an amount"),
        ({"figures": {"avg_view_seconds": "🙂"}}, "fig_avg_view_seconds", "not a duration"),
        ({"best": ""}, "best_moment", "which moment"),
        ({"free_tags": "two words,ok 🙂!"}, "free_tags", "is not a tag"),
        ({"strengths": "x" * 3001}, "strengths", "At most 3,000"),
    ],
)
def test_bad_fields_are_answered_in_the_modal_and_nothing_is_saved(
    bot: OfflineBot, engine: Engine, changes: dict[str, Any], block: str, says: str
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    errors = _errors(review_now(bot, ids["Casa Bonita"], **changes))
    assert says in errors[block], errors
    assert rows(engine, LivestreamReview) == []


def test_a_start_in_the_future_is_refused(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    later = STREAM.replace(day=3, hour=10)  # NOW is 09:30 on the 3rd in Berlin
    errors = _errors(review_now(bot, ids["Casa Bonita"], start=later))
    assert "in the future" in errors["stream_time"]
    assert rows(engine, LivestreamReview) == []


def test_no_seller_or_another_workspaces_seller_is_refused(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    assert "Pick the seller" in _errors(review_now(bot, None))["seller"]  # type: ignore[arg-type]
    [other] = [
        s
        for s in rows(engine, __import__("storage.sellers.models").sellers.models.Seller)
        if s.team_id == "TOTHER"
    ]
    assert "Pick the seller" in _errors(review_now(bot, other.id))["seller"]
    assert rows(engine, LivestreamReview) == []


def test_one_review_per_reviewer_and_stream(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"])
    again = _errors(review_now(bot, ids["Casa Bonita"], url=""))
    assert "You reviewed this stream already (review 1)" in again["stream_time"]
    assert "/review edit 1" in again["stream_time"]
    # The same link at another time is the same stream too.
    later = STREAM.replace(hour=21)
    assert "already" in _errors(review_now(bot, ids["Casa Bonita"], start=later))["stream_time"]
    # Another reviewer may review it.
    assert review_now(bot, ids["Casa Bonita"], user="U0PRIYA").body == ""
    assert len(rows(engine, LivestreamReview)) == 2


def test_a_double_submission_saves_once(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    view = open_form(bot)
    values = review_values(ids["Casa Bonita"])
    submit(bot, view, values)
    submit(bot, view, values)
    assert len(rows(engine, LivestreamReview)) == 1


def test_review_with_a_seller_preselects_it(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    view = open_form(bot, "casa bonita")
    assert view["blocks"][0]["element"]["initial_option"]["text"]["text"] == (
        "Casa Bonita · Home & Living"
    )
    unknown = bot.say("/review casa bonta")
    assert "Did you mean" in unknown and "Casa Bonita" in unknown


def test_the_message_shortcut_prefills_the_form(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    message = {
        "type": "message",
        "ts": "1764751234.000200",
        "text": "Casa Bonita stream with @maria.makes: https://www.tiktok.com/@casabonita/live "
        "lovely close-ups, weak #hook and <no> #pricing shown",
    }
    set_clock(bot, NOW)
    response = bot.client.message_shortcut("save_livestream_review", message)
    assert response.status == 200
    view = last_view(bot)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["seller"]["element"]["initial_option"]["value"] == str(ids["Casa Bonita"])
    assert blocks["host"]["element"]["initial_value"] == "@maria.makes"
    assert blocks["stream_url"]["element"]["initial_value"] == (
        "https://www.tiktok.com/@casabonita/live"
    )
    assert "<no> #pricing" in blocks["strengths"]["element"]["initial_value"]
    chosen = [o["value"] for o in blocks["tags"]["element"]["initial_options"]]
    assert chosen == ["hook", "pricing"]
    link = "https://shopbot-sandbox.slack.com/archives/C0KPI/p1764751234000200"
    assert f"<{link}|this message>" in markup(view)

    submit(bot, view, review_values(ids["Casa Bonita"], host="@maria.makes"))
    [saved] = rows(engine, LivestreamReview)
    assert saved.source_url == link
