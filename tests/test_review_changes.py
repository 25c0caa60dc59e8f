"""Changing reviews, with the rules of creator notes: the reviewer or an admin edits or
deletes; an edit keeps the earlier version; an admin restores a deleted review for 30 days."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.reviews.models import LivestreamReview, LivestreamReviewRevision
from storage.reviews.records import purge_deleted_reviews, review_history
from tests.feedback_support import NOW, answers, click, last_view, rows, set_clock, submit
from tests.review_support import review_now, review_values, seed
from tests.slack_support import button_value, markup

PRIYA, TOM, MARIA = "U0PRIYA", "U0TOM", "U0MARIA"  # Maria is the admin


def test_the_reviewer_edits_and_the_earlier_version_is_kept(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user=PRIYA, tags=["hook"])
    bot.say("/review edit 1", user_id=PRIYA)
    view = last_view(bot, opened=2)
    assert view["title"]["text"] == "Edit review 1"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["seller"]["element"]["initial_option"]["value"] == str(ids["Casa Bonita"])
    assert blocks["stream_time"]["element"]["initial_time"] == "19:00"
    assert blocks["score_production"]["element"]["initial_option"]["value"] == "3"
    assert blocks["fig_gmv_cents"]["element"]["initial_value"] == "200.00"
    assert [o["value"] for o in blocks["tags"]["element"]["initial_options"]] == ["hook"]

    changed = review_values(
        ids["Casa Bonita"], scores={"production": 5}, improvements="Better light", tags=["cta"]
    )
    assert submit(bot, view, changed, user=PRIYA).body == ""
    [saved] = rows(engine, LivestreamReview)
    assert saved.score_production == 5 and saved.improvements == "Better light"
    assert saved.improvement_tags == ["cta"] and saved.updated_at is not None
    _, [edit] = review_history(engine, bot.sandbox.team_id, 1)
    changed = {name: (before, after) for name, before, after in edit.changes}
    assert changed["score_production"] == (3, 5)
    assert changed["improvements"] == ("Too slow to open", "Better light")
    assert changed["tags"] == (["hook"], ["cta"]) and edit.edited_by == PRIYA
    assert "Updated review 1" in markup(answers(bot, 2)[-1])
    assert "edited" in bot.say("/review show 1").text


def test_others_cannot_edit_or_delete_but_an_admin_can(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user=PRIYA)
    refused = bot.say("/review edit 1", user_id=TOM).text
    assert "Only the reviewer (@priya) or an admin can edit it" in refused
    assert "Only the reviewer (@priya) or an admin can delete it" in bot.say(
        "/review delete 1", user_id=TOM
    )
    assert rows(engine, LivestreamReviewRevision) == []
    assert rows(engine, LivestreamReview)[0].deleted_at is None
    bot.say("/review edit 1", user_id=MARIA)
    view = last_view(bot, opened=2)
    submit(bot, view, review_values(ids["Casa Bonita"], scores={"compliance": 1}), user=MARIA)
    assert rows(engine, LivestreamReview)[0].score_compliance == 1
    assert rows(engine, LivestreamReview)[0].reviewer_user_id == PRIYA  # still Priya's review


def test_delete_from_the_card_and_restore_within_30_days(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user=PRIYA)
    card = bot.say("/review show 1", user_id=PRIYA).reply
    click(bot, "review_delete", button_value(card, "review_delete"), user=PRIYA)
    gone = markup(answers(bot, 2)[-1])
    assert "Deleted review 1" in gone and "/review restore 1" in gone
    shown = bot.say("/review show 1").text
    assert "Review 1 was deleted by @priya" in shown and "`/review restore 1`" in shown
    edited = bot.say("/review edit 1", user_id=PRIYA).text
    assert "Review 1 was deleted by @priya" in edited
    never = bot.say("/review show 999").text
    assert "There is no review 999 in this workspace" in never and "deleted" not in never
    assert "No reviews of the team yet" in bot.say("/review list").text
    assert "Only admins can see deleted reviews" in bot.say("/review deleted", user_id=PRIYA)
    assert "1 · 2 Dec 2026 19:00 · Casa Bonita" in bot.say("/review deleted", user_id=MARIA)
    assert "Only admins can restore" in bot.say("/review restore 1", user_id=PRIYA).text
    restored = bot.say("/review restore 1", user_id=MARIA).text
    assert "Restored review 1" in restored
    assert "REVIEW 1 · CASA BONITA" in bot.say("/review show 1").text


def test_after_30_days_a_deleted_review_is_gone(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user=PRIYA)
    bot.say("/review delete 1", user_id=PRIYA)
    set_clock(bot, NOW + timedelta(days=31))
    assert "There is no review 1" in bot.say("/review restore 1", user_id=MARIA).text
    assert "No reviews were deleted" in bot.say("/review deleted", user_id=MARIA).text
    team = bot.sandbox.team_id
    assert purge_deleted_reviews(engine, "T0ELSEWHERE", NOW + timedelta(days=31)) == 0
    assert purge_deleted_reviews(engine, team, NOW + timedelta(days=29)) == 0
    assert purge_deleted_reviews(engine, team, NOW + timedelta(days=31)) == 1
    assert rows(engine, LivestreamReview) == [] and rows(engine, LivestreamReviewRevision) == []


def test_a_forged_button_is_refused(bot: OfflineBot, engine: Engine) -> None:
    seed(engine, bot.sandbox.team_id)
    click(bot, "review_delete", "1; DROP TABLE")
    assert "does not name a review" in markup(answers(bot, 1)[-1])
    click(bot, "list_page_next", "{not json")
    assert "does not hold a page of a list" in markup(answers(bot, 2)[-1])


def test_the_cards_edit_button_opens_the_form_for_its_reviewer(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], user=PRIYA)
    card = bot.say("/review show 1", user_id=PRIYA).reply
    click(bot, "review_edit", button_value(card, "review_edit"), user=TOM)
    assert "Only the reviewer (<@U0PRIYA>) or an admin" in markup(answers(bot, 2)[-1])
    click(bot, "review_edit", button_value(card, "review_edit"), user=PRIYA)
    view = last_view(bot, opened=2)
    assert view["title"]["text"] == "Edit review 1"
    submit(bot, view, review_values(ids["Casa Bonita"], scores={"structure": 1}), user=PRIYA)
    assert rows(engine, LivestreamReview)[0].score_structure == 1
    assert len(rows(engine, LivestreamReviewRevision)) == 1
