"""Lists that fit a phone (issue 22, point 5): the gaps a seller at a time with the GMV at stake
once; every list pages with Previous and Next buttons that keep its filters, and `page:N`
typed does the same; a forged pager value is refused and changes nothing; and the phone
screens each common answer may take, rendered at a phone's 42 characters."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.sellers.gaps import seller_gaps
from bot.sellers.thresholds import GapThresholds
from bot.shared.pages import NEXT, OPEN, PREVIOUS
from bot.shared.replies import escape
from devkit.offline import OfflineBot
from devkit.terminal import phone_screens
from storage.matchmaking.outreach import pipeline_items, start_outreach
from tests.feedback_support import NOW, set_clock
from tests.match_support import add_creator, add_seller
from tests.review_support import STREAM, review_now, seed
from tests.seller_support import PLANS, TODAY, Plan, build_sellers
from tests.slack_support import action_ids, button_value, markup, press

REFUSED = "That button does not hold a page of a list: ask for the list again."
# Eight more Home & Living sellers, so that the category takes two pages of ten.
MORE_HOME = [Plan(f"M{n}", f"Möbel & Co {n:02d}") for n in range(8)]


def screens(message: dict[str, Any]) -> float:
    return phone_screens(message.get("blocks") or [], str(message.get("text", "")))


def names_listed(message: dict[str, Any]) -> list[str]:
    """The sellers of a `/seller list` page, in order."""
    return re.findall(r"• \*(.+?)\* · ", markup(message))


# --- the gaps, a seller at a time -------------------------------------------------------------


def test_gaps_show_each_seller_once_with_its_stake_once(bot: OfflineBot, engine: Engine) -> None:
    build_sellers(bot, engine)
    rows = seller_gaps(engine, bot.sandbox.team_id, TODAY, GapThresholds()).rows
    sellers = list(dict.fromkeys(escape(r.seller.name) for r in rows))  # biggest stake first
    stakes = {r.seller.name: r.gmv_at_stake_cents for r in rows}
    assert len(rows) == 9 and len(sellers) == 9  # Juliet Grow's LIVE: one row, not two

    pages = [bot.say("/seller gaps").reply]
    while NEXT in action_ids(pages[-1]):
        pages.append(press(bot, pages[-1], NEXT))
    assert len(pages) == 3
    shown: list[str] = []
    for page in pages:
        sections = [b["text"]["text"] for b in page["blocks"] if b["type"] == "section"]
        for text in sections:
            name = re.match(r"\*(.+?)\* · ", text)
            assert name is not None, text
            shown.append(name[1])
            assert text.count("at stake") == 1 and text.count("→") == 1
        assert screens(page) <= 1.5, markup(page)
    assert shown == sellers  # one item a seller, in the order of the GMV at stake

    [juliet] = [
        b["text"]["text"]
        for page in pages
        for b in page["blocks"]
        if b["type"] == "section" and "Juliet Grow" in b["text"]["text"]
    ]
    assert stakes["Juliet Grow 🌱"] == 14 * 200_000 + 14 * 100_000
    assert juliet.splitlines() == [
        "*Juliet Grow 🌱* · $42,000.00 at stake",
        "💡 Fast-growing, no LIVE: GMV +100% on the 14 days before; no LIVE in 30+ days",
        "→ <@U0ANA>: pitch LIVE while demand is rising",
    ]
    first = markup(pages[0])
    assert "9 sellers: 7 gaps, 2 opportunities" in first and "Page 1 of 3" in first


def test_gaps_page_two_keeps_the_category_and_the_owner(bot: OfflineBot, engine: Engine) -> None:
    build_sellers(bot, engine, PLANS + MORE_HOME)
    first = bot.say("/seller gaps category:Home & Living owner:me", user_id="U0ANA").reply
    second = press(bot, first, NEXT, user_id="U0ANA")
    assert second["replace_original"] is True
    both = markup(first) + markup(second)
    # Tom's Bravo Living, the kitchen's Café Küche and the care's Foxtrot Care are filtered out.
    for other in ("Bravo Living", "Café Küche", "Foxtrot Care"):
        assert other not in both
    for own in ("Kilo Big", "Juliet Grow", "Golf Beauty", "India &amp; Sons", "Hotel Бренд"):
        assert both.count(own) == 1
    assert "category Home &amp; Living" in markup(second) and "Page 2 of 2" in markup(second)


# --- the pager: Next and Previous keep the filters --------------------------------------------


def test_the_seller_list_pages_by_name_within_a_category(bot: OfflineBot, engine: Engine) -> None:
    build_sellers(bot, engine, PLANS + MORE_HOME)
    home = sorted(escape(p.name) for p in PLANS + MORE_HOME if p.category == "Home & Living")
    assert len(home) == 18
    # Typed with the & Slack escapes: `category:Home &amp; Living`.
    seen = bot.say("/seller list category:Home & Living sort:name")
    first = seen.reply
    assert names_listed(first) == home[:10]
    assert action_ids(first) == [NEXT] and "Page 1 of 2" in markup(first)
    assert seen.phone_screens <= 1.25

    second = press(bot, first, NEXT)
    assert second["replace_original"] is True  # the list is replaced, not added to
    assert names_listed(second) == home[10:]  # still only that category, still by name
    assert "category Home &amp; Living" in markup(second)
    assert action_ids(second) == [PREVIOUS]

    again = press(bot, second, PREVIOUS)
    assert names_listed(again) == home[:10] and action_ids(again) == [NEXT]

    # The same page typed: `page:2` keeps the filters typed with it.
    typed = bot.say("/seller list category:Home & Living sort:name page:2").reply
    assert names_listed(typed) == home[10:]
    assert "next: `/seller list category:Home &amp; Living sort:name page:2`" in markup(first)


def test_the_pager_keeps_a_mentioned_owner(bot: OfflineBot, engine: Engine) -> None:
    build_sellers(
        bot, engine, PLANS + [Plan(f"T{n}", f"Tómas {n:02d}", owner="U0TOM") for n in range(10)]
    )
    response = bot.client.slash_command("/seller", "list owner:<@U0TOM|tom> sort:name", wire=True)
    first = response.json()
    assert len(names_listed(first)) == 10
    second = press(bot, first, NEXT)
    # Tom owns Alpha Home, Bravo Living and the ten Tómas: twelve, two on page 2.
    assert names_listed(second) == ["Tómas 08", "Tómas 09"]


def test_a_forged_or_stale_pager_value_is_refused(bot: OfflineBot, engine: Engine) -> None:
    build_sellers(bot, engine, PLANS + MORE_HOME)
    first = bot.say("/seller list category:Home & Living").reply
    good = json.loads(button_value(first, NEXT))
    forged = [
        "not json",
        json.dumps({**good, "p": "2"}),
        json.dumps({**good, "p": 0}),
        json.dumps({**good, "c": "/seller", "w": "delete 3"}),  # a command that is no list
        json.dumps({**good, "c": "/nothing"}),
        json.dumps({**good, "w": good["w"] + " page:3"}),
        json.dumps({"c": "/seller"}),
    ]
    for value in forged:
        answer = press(bot, first, NEXT, value=value)
        assert REFUSED in markup(answer), value
        assert answer["replace_original"] is False  # the list stays as it was
    stale = press(bot, first, NEXT, value=json.dumps({**good, "p": 9}))
    assert "There are only 2 pages: `page:2` is the last." in markup(stale)
    assert "only 2 pages" in markup(bot.say("/seller list category:Home & Living page:9").reply)
    assert "`page:x`" not in markup(bot.say("/seller log Kilo Big page:x").reply)
    assert "Say the page as a number" in markup(bot.say("/seller log Kilo Big page:x").reply)


def test_the_outreach_pipeline_pages_overdue_first(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    team = bot.sandbox.team_id
    shop = add_seller(engine, team, "Ökoladen Küche & Co", "Kitchenware")
    other = add_seller(engine, team, "Café Ost", "Kitchenware")
    for n in range(8):  # started on different days: some are overdue, by different amounts
        creator = add_creator(engine, team, f"maria.{n}")
        start_outreach(engine, team, creator, shop, "U0TOM", NOW - timedelta(days=3 * n))
    for n in range(3):
        creator = add_creator(engine, team, f"nora.{n}")
        start_outreach(engine, team, creator, other, "U0TOM", NOW - timedelta(days=20))
    expected = [f"@{i.handle}" for i in pipeline_items(engine, team, seller_id=shop)]

    seen = bot.say("/match pipeline Ökoladen Küche & Co")
    first = seen.reply
    assert seen.phone_screens <= 1.5
    second = press(bot, first, NEXT)
    listed = re.findall(r"\*(@maria\.\d) × ", markup(first) + markup(second))
    assert listed == expected and len(listed) == 8  # five, then three; overdue first
    assert "nora" not in markup(first) + markup(second)
    assert "Page 2 of 2" in markup(second) and action_ids(second)[-1] == PREVIOUS
    assert "contacted 8" in markup(second)  # the summary counts the whole pipeline


def test_review_lists_page_with_their_seller(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    for n in range(10):
        review_now(bot, ids["Casa Bonita"], start=STREAM - timedelta(days=n), url="")
    review_now(bot, ids["Glow Lab"], url="")
    first = bot.say("/review list casa bonita").reply
    assert "Reviews of Casa Bonita* (1–8)" in markup(first)
    second = press(bot, first, NEXT)
    assert "Reviews of Casa Bonita* (9–10)" in markup(second)
    assert "Glow Lab" not in markup(first) + markup(second)
    assert NEXT not in action_ids(second)
    assert "(1–8)" in markup(press(bot, second, PREVIOUS))


def test_note_lists_page_and_the_card_opens_the_first(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    add_creator(engine, bot.sandbox.team_id, "lena.makes")
    for n in range(12):
        bot.say(f"/feedback @lena.makes Größe Nr. {n:02d} & Muster")
    bot.say("/feedback @lena.makes ohne das Wort")
    seen = bot.say("/feedback search Muster")
    first = seen.reply
    assert "Notes 1–5, best match first" in markup(first) and seen.phone_screens <= 2.0
    second = press(bot, first, NEXT)
    assert "Notes 6–10, best match first" in markup(second)
    third = press(bot, second, NEXT)
    assert "Notes 11–12, best match first" in markup(third) and NEXT not in action_ids(third)
    assert "ohne das Wort" not in markup(first) + markup(second) + markup(third)

    card = bot.say("/creator @lena.makes").reply
    opened = press(bot, card, OPEN)
    assert opened["replace_original"] is False  # the card stays; the list comes beside it
    assert "Notes about @lena.makes" in markup(opened) and "Notes 1–5" in markup(opened)
    assert "Notes 6–10" in markup(press(bot, opened, NEXT))


# --- answers that fit a phone -----------------------------------------------------------------


def test_a_review_card_fits_a_phone(bot: OfflineBot, engine: Engine) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    review_now(bot, ids["Casa Bonita"], best="At 12:40 the voucher is pinned")
    seen = bot.say("/review show 1")
    assert seen.phone_screens <= 2.0
    blocks = [b["text"]["text"] for b in seen.reply["blocks"] if b.get("text")]
    tables = [t.split("```")[1] for t in blocks if "```" in t]
    assert len(tables) == 2  # the scores and the figures
    for table in tables:
        assert all(len(line) <= 42 for line in table.splitlines()), table


@pytest.mark.parametrize("typed", ["/alert list", "/review deleted", "/feedback mine"])
def test_short_lists_have_no_pager(bot: OfflineBot, typed: str) -> None:
    reply = bot.say(typed).reply
    assert not {NEXT, PREVIOUS} & set(action_ids(reply)) and "Page 1" not in markup(reply)
