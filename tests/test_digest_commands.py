"""/digest through Slack: signed slash commands in, what Slack shows out; who may change a
subscription, and bad input answered with what to type instead, with nothing saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.shared.replies import escape
from devkit.offline import OfflineBot
from devkit.sandbox.blocks import validate_blocks
from storage.delivery import subscriptions
from storage.delivery.models import DigestRun, Subscription, SubscriptionKind, SubscriptionStatus
from tests.digest_support import TEAM, import_kpis, posts, runner, travel
from tests.slack_support import markup

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = datetime(2026, 10, 20, 11, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def data(bot: OfflineBot, engine: Engine) -> None:
    import_kpis(engine)
    travel(bot, TUESDAY)


def digest(
    bot: OfflineBot, text: str, user: str = "U0TOM", channel: str = "C0KPI"
) -> dict[str, Any]:
    """Type `/digest text`; the answer, from the acknowledgement or the one response-URL post."""
    seen = bot.say(f"/digest {text}", user_id=user, channel_id=channel)
    [answer] = [c.params for c in seen.calls if c.method == "response_url"] or [
        seen.response.json()
    ]
    return answer


def count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def test_subscribe_with_the_defaults(bot: OfflineBot, engine: Engine) -> None:
    reply = digest(bot, "subscribe")
    assert reply["response_type"] == "ephemeral" and validate_blocks(reply["blocks"]) == []
    assert (
        "<#C0KPI> now gets the weekly digest: Mon at 09:00 (Europe/Berlin) · all categories · "
        "next Mon 26 Oct 09:00"
    ) in markup(reply)
    found = subscriptions.of_channel(engine, TEAM, SubscriptionKind.WEEKLY_DIGEST, "C0KPI")
    assert found is not None
    assert (found.weekdays, found.post_time, found.timezone, found.category) == (
        "mon",
        "09:00",
        "Europe/Berlin",
        None,
    )
    assert (found.created_by, found.channel_name) == ("U0TOM", "lifestyle-kpi")


def test_subscribe_another_channel_with_everything_named(bot: OfflineBot, engine: Engine) -> None:
    reply = digest(bot, "subscribe #general mon,thu 8:30 America/New_York category:kitchenware")
    assert (
        "<#C0GENERAL> now gets the weekly digest: Mon, Thu at 08:30 (America/New_York) · "
        "Kitchenware · next Thu 22 Oct 08:30"
    ) in markup(reply)
    found = subscriptions.of_channel(engine, TEAM, SubscriptionKind.WEEKLY_DIGEST, "C0GENERAL")
    assert found is not None and found.category == "Kitchenware"  # as the data spells it
    again = digest(bot, "subscribe #general 10:00 category:all")
    assert "Mon, Thu at 10:00 (America/New_York) · all categories" in markup(again)


@pytest.mark.parametrize(
    ("words", "weekdays", "post_time", "zone"),
    [
        ("thu 08:30 CET", "thu", "08:30", "Europe/Berlin"),
        ("mon,thu 9am sgt", "mon,thu", "09:00", "Asia/Singapore"),
        ("9:30pm PST", "mon", "21:30", "America/Los_Angeles"),
        ("12am EDT", "mon", "00:00", "America/New_York"),
        ("fri 12pm BST", "fri", "12:00", "Europe/London"),
        ("9 am IST", "mon", "09:00", "Asia/Kolkata"),
        ("21:30 AEDT", "mon", "21:30", "Australia/Sydney"),
        ("wed 10AM WIB", "wed", "10:00", "Asia/Jakarta"),
    ],
)
def test_times_and_zones_as_people_write_them(
    bot: OfflineBot, engine: Engine, words: str, weekdays: str, post_time: str, zone: str
) -> None:
    reply = digest(bot, f"subscribe {words}")
    assert "now gets the weekly digest" in reply["text"]
    found = subscriptions.of_channel(engine, TEAM, SubscriptionKind.WEEKLY_DIGEST, "C0KPI")
    assert found is not None
    assert (found.weekdays, found.post_time, found.timezone) == (weekdays, post_time, zone)


def test_an_unknown_zone_lists_the_abbreviations(bot: OfflineBot, engine: Engine) -> None:
    reply = digest(bot, "subscribe thu 08:30 Mars/Base")
    assert "I don't know the time zone `Mars/Base`" in reply["text"]
    assert "CET/CEST = Europe/Berlin" in reply["text"] and "SGT = Asia/Singapore" in reply["text"]
    assert count(engine, Subscription) == 0


def test_subscribing_again_says_what_changed_and_what_was_kept(
    bot: OfflineBot, engine: Engine
) -> None:
    digest(bot, "subscribe")
    again = digest(bot, "subscribe 08:30")
    assert (
        "Changed: time 09:00 → 08:30. Kept: Mon, Europe/Berlin, all categories." in (again["text"])
    )
    moved = digest(bot, "subscribe thu,fri SGT category:kitchenware")
    assert (
        "Changed: days Mon → Thu, Fri, time zone Europe/Berlin → Asia/Singapore, category "
        "all categories → Kitchenware. Kept: 08:30."
    ) in moved["text"]
    same = digest(bot, "subscribe thu,fri")
    assert "Nothing changed: it was already set up this way." in same["text"]
    assert count(engine, Subscription) == 1


def test_an_unknown_channel_lists_the_channels_shopbot_is_in(
    bot: OfflineBot, engine: Engine
) -> None:
    reply = digest(bot, "subscribe #kpi")
    assert reply["text"].startswith(
        ":warning: I can't find the channel #kpi. I'm in #general, #lifestyle-kpi. For another "
        "channel, invite me there first with `/invite @shopbot`."
    )
    # not #random (shopbot is not a member) nor #old-reports (archived)
    assert "#random" not in reply["text"] and "#old-reports" not in reply["text"]
    assert count(engine, Subscription) == 0


def test_the_channels_listed_are_capped(bot: OfflineBot, engine: Engine) -> None:
    for n in range(20):
        bot.sandbox.add_channel(
            f"C0TEAM{n:02d}", f"team-{n:02d}", members={bot.sandbox.bot_user_id}
        )
    reply = digest(bot, "subscribe #kpi")
    assert "#general, #lifestyle-kpi, #team-00" in reply["text"]
    assert "#team-12 and 7 more." in reply["text"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("subscribe 13pm", "`13pm` is not a time of day"),
        ("subscribe funday", "I don't know the weekday `funday`"),
        ("subscribe mon 25:00", "`25:00` is not a time of day: use HH:MM"),
        ("subscribe Mars/Base", "I don't know the time zone `Mars/Base`"),
        ("subscribe category:Kitchenwear", "Did you mean `category:Kitchenware`"),
        ("subscribe mon tue", "Give one list of weekdays"),
        ("subscribe <!channel> <@U0TOM>", "I don't understand `&lt;!channel&gt;`"),
        ("subscribe '; DROP TABLE digestsubscription; --", "I don't understand `';`"),
    ],
)
def test_bad_input_gets_a_short_answer_and_saves_nothing(
    bot: OfflineBot, engine: Engine, text: str, says: str
) -> None:
    reply = digest(bot, text)
    assert says in reply["text"]
    assert "Try: `/digest subscribe [#channel] [mon,thu] [09:00]" in reply["text"]
    assert reply["response_type"] == "ephemeral"
    assert "<!channel>" not in markup(reply) and "<@U0TOM>" not in markup(reply)
    assert count(engine, Subscription) == 0


@pytest.mark.parametrize(
    ("channel", "says"),
    [
        ("#no-such-channel", "I can't find the channel #no-such-channel"),
        ("#random", "I'm not in #random yet: type `/invite @shopbot` there"),
        ("#old-reports", "#old-reports is archived"),
    ],
)
def test_a_channel_the_bot_cannot_post_in_is_refused_before_saving(
    bot: OfflineBot, engine: Engine, channel: str, says: str
) -> None:
    reply = digest(bot, f"subscribe {channel}")
    assert says in reply["text"]
    assert count(engine, Subscription) == 0
    assert bot.sandbox.calls("chat.postMessage") == []


def test_only_the_creator_or_an_admin_changes_a_subscription(
    bot: OfflineBot, engine: Engine
) -> None:
    digest(bot, "subscribe", user="U0TOM")
    refused = digest(bot, "subscribe thu", user="U0PRIYA")
    assert "Only <@U0TOM>, who set up this digest, or an admin can change it." in refused["text"]
    assert "The admins are <@U0MARIA>" in refused["text"]
    assert "Only <@U0TOM>" in digest(bot, "unsubscribe", user="U0PRIYA")["text"]
    found = subscriptions.of_channel(engine, TEAM, SubscriptionKind.WEEKLY_DIGEST, "C0KPI")
    assert found is not None and found.weekdays == "mon"
    assert "Thu at 09:00" in markup(digest(bot, "subscribe thu", user="U0MARIA"))  # an admin
    assert "no longer gets the weekly digest" in digest(bot, "unsubscribe", user="U0TOM")["text"]
    found = subscriptions.of_channel(engine, TEAM, SubscriptionKind.WEEKLY_DIGEST, "C0KPI")
    assert found is not None and found.status == SubscriptionStatus.STOPPED
    assert "has no digest subscription" in digest(bot, "history")["text"]
    renewed = digest(bot, "subscribe", user="U0PRIYA")  # stopped: anyone may start it again
    assert "now gets the weekly digest" in renewed["text"]


def test_list_history_and_send(bot: OfflineBot, engine: Engine) -> None:
    digest(bot, "subscribe", user="U0TOM")
    digest(bot, "subscribe #general category:Personal Care", user="U0PRIYA")
    listed = markup(digest(bot, "list"))
    assert "<#C0KPI>: Mon at 09:00 (Europe/Berlin) · all categories · next Mon 26 Oct 09:00" in (
        listed
    )
    assert "set up by <@U0PRIYA>" in listed and "Personal Care" in listed
    refused = digest(bot, "send", user="U0TOM")["text"]
    assert "Only admins can post a digest outside its schedule. The admins are <@U0MARIA>" in (
        refused
    )
    assert "add your Slack user ID to `SHOPBOT_ADMINS`" in refused
    sent = digest(bot, "send #lifestyle-kpi", user="U0MARIA")
    assert "<#C0KPI>: posted" in sent["text"]
    [message] = posts(bot.sandbox, "C0KPI")
    assert message["text"].startswith("*Weekly digest · all categories · 12 – 18 Oct 2026*")
    assert len(message["files"]) == 2
    history = markup(digest(bot, "history #lifestyle-kpi"))
    assert "Digest runs · #lifestyle-kpi" in history
    assert "Tue 20 Oct 11:00 (sent by <@U0MARIA>) · week 12 – 18 Oct 2026 · ✅ posted 11:00" in (
        history
    )


def test_history_shows_failures_and_list_flags_the_channel(bot: OfflineBot, engine: Engine) -> None:
    digest(bot, "subscribe", user="U0TOM")
    bot.sandbox.channels["C0KPI"].members.discard(bot.sandbox.bot_user_id)
    bot.services.clock = lambda: datetime(2026, 10, 26, 9, tzinfo=BERLIN)
    runner(bot.services, bot.sandbox).tick()
    history = markup(digest(bot, "history #lifestyle-kpi", channel="C0GENERAL"))
    assert "Mon 26 Oct 09:00 (scheduled) · week 19 – 25 Oct 2026 · ❌ failed: `not_in_channel`" in (
        history
    )
    assert "failing: `not_in_channel`" in markup(digest(bot, "list"))


def test_preview_is_for_the_requester_alone(bot: OfflineBot, engine: Engine) -> None:
    reply = digest(bot, "preview", user="U0PRIYA")
    assert reply["response_type"] == "ephemeral" and validate_blocks(reply["blocks"]) == []
    text = markup(reply)
    assert "Preview · Weekly digest · all categories · 12 – 18 Oct 2026" in text
    assert "*GMV* $" in text and "Only you see this" in text
    [dm] = bot.sandbox.messages[bot.sandbox.dm_channel("U0PRIYA")]
    assert dm["text"].startswith("*Weekly digest") and len(dm["files"]) == 2
    assert posts(bot.sandbox, "C0KPI") == []
    assert count(engine, DigestRun) == 0


def test_help_lists_every_subcommand(bot: OfflineBot) -> None:
    text = markup(digest(bot, "help"))
    for usage in (
        "/digest subscribe [#channel] [mon,thu] [09:00] [zone] [category:<name>] [lang:de]",
        "/digest list",
        "/digest unsubscribe [#channel]",
        "/digest history [#channel]",
        "/digest preview [#channel]",
        "/digest send [#channel]",
    ):
        assert f"`{escape(usage)}`" in text
