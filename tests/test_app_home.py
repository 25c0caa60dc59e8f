"""The App Home dashboard through the sandbox: the person's KPIs of the latest complete day,
their follow-ups, the week's alerts, the category setting, the once-a-minute limit, the
refresh after imports, and Slack's 100-block limit at any data size."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.home.sections import IMPORT_FILE, NEW_NOTE, NEW_REVIEW, PICK_CATEGORIES, SUBSCRIBE_CHANNEL
from bot.home.tab import MAX_BLOCKS, publish_due_homes
from bot.services import slack_client
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.feedback.notes import NoteDraft, save_notes
from storage.reviews.models import LivestreamReview
from tests import review_support
from tests.alert_data import BIG, LAST, build, check, cut, load, morning_after, only
from tests.feedback_support import NOW, rows, set_clock, submit
from tests.kpi_data import COLUMNS, cents, to_csv
from tests.slack_support import markup

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}
STYLE = NumberStyle()


def open_home(bot: OfflineBot, user: str = "U0TOM") -> dict[str, Any] | None:
    """The person opens their Home tab: the view published, or None when none was."""
    before = len(bot.sandbox.calls("views.publish"))
    assert bot.client.event({**HOME_OPENED, "user": user}).status == 200
    bot.settle()
    calls = bot.sandbox.calls("views.publish")
    if len(calls) == before:
        return None
    assert calls[-1].ok, calls[-1].response
    view: dict[str, Any] = calls[-1].response["view"]
    return view


def later(bot: OfflineBot, seconds: float) -> None:
    now = bot.services.clock() + timedelta(seconds=seconds)
    bot.services.clock = lambda: now


@pytest.fixture
def data(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    frame = build()
    load(engine, bot.sandbox.team_id, frame)
    morning_after(bot, LAST)
    return frame


def test_the_home_shows_the_latest_complete_days_kpis_follow_ups_alerts_and_buttons(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, cut(build(day, day), day, BIG, keep=0.15))
    today = day + timedelta(days=2)  # the day after `day` has no data: `day` is the latest
    bot.say("/alert add gmv")
    morning_after(bot, day)
    check(bot)
    bot.services.clock = lambda: datetime(today.year, today.month, today.day, 9, tzinfo=UTC)
    save_notes(
        engine,
        [
            NoteDraft(
                bot.sandbox.team_id,
                "U0TOM",
                "maria.makes",
                "send the samples",
                "general",
                "neutral",
                follow_up_on=today - timedelta(days=3),
            ),
            NoteDraft(
                bot.sandbox.team_id,
                "U0TOM",
                "lea.lives",
                "check the live plan",
                "general",
                "neutral",
                follow_up_on=today,
            ),
            NoteDraft(
                bot.sandbox.team_id,
                "U0TOM",
                "later.one",
                "not yet",
                "general",
                "neutral",
                follow_up_on=today + timedelta(days=1),
            ),
            NoteDraft(
                bot.sandbox.team_id,
                "U0MARIA",
                "someone.else",
                "not Tom's",
                "general",
                "neutral",
                follow_up_on=today,
            ),
        ],
        bot.services.clock(),
    )
    view = open_home(bot)
    assert view is not None
    shown = markup(view)
    frame = pd.concat([data, cut(build(day, day), day, BIG, keep=0.15)])
    gmv = cents(only(frame, day)["gmv"])
    week_before = cents(only(frame, day - timedelta(days=7))["gmv"])
    assert f"{day:%a %d %b} (the latest complete day)" in shown
    assert f"*GMV*  {STYLE.money(gmv)}" in shown
    change = (Decimal(gmv) - week_before) / week_before
    assert f"{STYLE.change(change)} vs last {day:%a}" in shown
    assert "*Follow-ups due* (2)" in shown
    assert "send the samples" in shown and "*(overdue)*" in shown
    assert "check the live plan" in shown
    assert "not yet" not in shown and "not Tom's" not in shown
    assert "*Alerts this week* (1)" in shown and "GMV · all categories" in shown
    for action in (NEW_NOTE, IMPORT_FILE, SUBSCRIBE_CHANNEL, PICK_CATEGORIES):
        assert action in str(view["blocks"])
    assert "/alert add" in shown  # the commands, from their declarations


def test_a_day_still_coming_in_is_not_shown_as_the_latest(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    day = LAST + timedelta(days=1)
    load(engine, bot.sandbox.team_id, build(day, day)[lambda f: f["seller_name"] != BIG])
    morning_after(bot, day)
    view = open_home(bot)
    assert view is not None
    assert f"{LAST:%a %d %b} (the latest complete day)" in markup(view)
    coming = f"{day:%a %d %b} is still coming in: 1 of the sellers that report on {day:%A}s has"
    assert coming in markup(view)


def test_choosing_categories_keeps_them_and_shows_only_theirs(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    open_home(bot)
    payload = bot.client.payloads.block_action(PICK_CATEGORIES, user_id="U0TOM")
    payload["actions"][0] = {
        "type": "multi_static_select",
        "action_id": PICK_CATEGORIES,
        "block_id": "home_picker",
        "selected_options": [
            {"value": "Personal Care", "text": {"type": "plain_text", "text": "Personal Care"}}
        ],
    }
    bot.client.interaction(payload)
    bot.settle()
    view = bot.sandbox.home_views["U0TOM"]
    shown = markup(view)
    assert "*Personal Care* ·" in shown and "*All categories* ·" not in shown
    gmv = cents(only(data, LAST)[lambda f: f["category"] == "Personal Care"]["gmv"])
    assert f"*GMV*  {STYLE.money(gmv)}" in shown
    later(bot, 120)
    assert "*Personal Care* ·" in markup(open_home(bot) or {})  # kept


def test_the_home_is_published_at_most_once_a_minute(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    assert open_home(bot) is not None
    later(bot, 30)
    assert open_home(bot) is None
    later(bot, 31)
    assert open_home(bot) is not None


def test_an_import_that_completes_a_day_refreshes_the_homes_of_those_who_opened_them(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    open_home(bot, "U0TOM")
    later(bot, 120)
    day = LAST + timedelta(days=1)
    morning_after(bot, day)
    mark = len(bot.sandbox.calls("views.publish"))
    bot.client.file_share("U0MARIA", "kpi.csv", to_csv(build(day, day)))
    bot.settle()
    published = bot.sandbox.calls("views.publish")[mark:]
    assert [c.params["user_id"] for c in published] == ["U0TOM"]
    assert f"{day:%a %d %b} (the latest complete day)" in markup(published[0].response["view"])
    # Another import within the minute: no second publish now, one once the minute is up.
    bot.client.file_share("U0MARIA", "kpi.csv", to_csv(build(day, day)))
    bot.settle()
    assert len(bot.sandbox.calls("views.publish")) == mark + 1
    client = slack_client(bot.settings, retries=False)
    assert publish_due_homes(bot.services, client) == 0
    later(bot, 61)
    assert publish_due_homes(bot.services, client) == 1
    assert publish_due_homes(bot.services, client) == 0  # once
    assert len(bot.sandbox.calls("views.publish")) == mark + 2


def test_the_home_stays_under_100_blocks_with_5000_sellers_and_200_follow_ups(
    bot: OfflineBot, engine: Engine
) -> None:
    rng = random.Random(3)
    first, last = date(2026, 11, 1), date(2026, 11, 15)
    categories = [f"Category {n:03d}" for n in range(120)]
    rows = []
    for n in range(5_000):
        category = categories[n % len(categories)]
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            gmv = rng.randint(1_000, 90_000)
            rows.append(
                [
                    day.isoformat(),
                    f"S{n:05d}",
                    f"Seller {n:05d}",
                    category,
                    f"{gmv // 100}.{gmv % 100:02d}",
                    3,
                    3,
                    3,
                    *[0] * 6,
                    "0.00",
                    "0.00",
                    "0.00",
                    0,
                ]
            )
    load(engine, bot.sandbox.team_id, pd.DataFrame(rows, columns=COLUMNS))
    morning_after(bot, last)
    today = bot.services.today()
    save_notes(
        engine,
        [
            NoteDraft(
                bot.sandbox.team_id,
                "U0TOM",
                f"creator{n:03d}",
                f"note {n} " + "x" * 300,
                "general",
                "neutral",
                follow_up_on=today - timedelta(days=n % 30),
            )
            for n in range(200)
        ],
        bot.services.clock(),
    )
    view = open_home(bot)
    assert view is not None and len(view["blocks"]) < MAX_BLOCKS
    shown = markup(view)
    assert "*Follow-ups due* (200)" in shown and "…and 192 more: `/feedback mine`" in shown
    assert f"{last:%a %d %b} (the latest complete day)" in shown


def test_the_home_buttons_open_the_forms_and_subscribing_works_from_there(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    home = open_home(bot)
    assert home is not None
    for action in (NEW_NOTE, IMPORT_FILE, SUBSCRIBE_CHANNEL):
        bot.client.block_action(action, user_id="U0TOM", view=home)
        bot.settle()
    opened = bot.sandbox.calls("views.open")
    assert [c.ok for c in opened] == [True, True, True]
    titles = [c.response["view"]["title"]["text"] for c in opened]
    assert titles[1:] == ["Import a file", "Subscribe a channel"]
    form = opened[-1].response["view"]
    values = {
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": "C0KPI"}}
    }
    assert bot.client.view_submission(form, values, user_id="U0TOM").status == 200
    bot.settle()
    [told] = bot.sandbox.messages["D0TOM"][-1:]
    assert "<#C0KPI> now gets the weekly digest: Mon at 09:00" in markup(told)
    assert "lifestyle-kpi" in bot.say("/digest list").text


def test_a_review_started_on_the_home_is_saved_and_answered_by_dm(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    """The Home has no conversation to answer in: the saved review's answer comes by DM."""
    ids = review_support.seed(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    home = open_home(bot)
    assert home is not None
    bot.client.block_action(NEW_REVIEW, user_id="U0MARIA", view=home)
    bot.settle()
    [opened] = bot.sandbox.calls("views.open")
    form = opened.response["view"]
    values = review_support.review_values(ids["Casa Bonita"])
    assert submit(bot, form, values, user="U0MARIA").status == 200
    bot.settle()
    [saved] = rows(engine, LivestreamReview)
    assert saved.seller_id == ids["Casa Bonita"]
    told = markup(bot.sandbox.messages["D0MARIA"][-1])
    assert "Casa Bonita" in told


def test_the_home_in_the_shell_numbers_its_menu_and_choosing_in_it_shows_the_home_again(
    bot: OfflineBot, engine: Engine, data: pd.DataFrame
) -> None:
    home = bot.open_home("U0TOM")
    assert home.text.startswith("── Home ──\nYOUR SHOPBOT")
    assert "[1 All categories ▾]" in home
    chosen = bot.choose(home, 1, "Personal Care", user_id="U0TOM")
    [action] = bot.sandbox.calls("views.publish")[-1:]
    assert action.params["user_id"] == "U0TOM"
    assert chosen.text.startswith("── Home ──") and "Personal Care ·" in chosen
    assert "All categories ·" not in chosen
    later(bot, 30)  # not republished within the minute: the Home shown is the one published
    again = bot.open_home("U0TOM")
    assert "Personal Care ·" in again and "[1 Personal Care ▾]" in again
