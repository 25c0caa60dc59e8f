"""Finding notes (issue 3, point 4): a creator's list, full-text search, recent, mine; long
results page with More buttons; only this workspace's notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.shared.pages import NEXT, PREVIOUS
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from tests.feedback_support import NOW, answers, click, command, note, set_clock
from tests.slack_support import action_ids, markup, press


def _notes(
    engine: Engine,
    team_id: str,
    handle: str,
    texts_: list[str],
    *,
    author: str = "U0TOM",
    start: datetime = NOW,
) -> None:
    """Notes written an hour apart, oldest first."""
    with transaction(engine) as session:
        creator = session.exec(
            Creator.__table__.select().where(Creator.team_id == team_id, Creator.handle == handle)  # type: ignore[attr-defined]
        ).first()
        creator_id = creator.id if creator else None
        if creator_id is None:
            new = Creator(team_id=team_id, handle=handle)
            session.add(new)
            session.flush()
            creator_id = new.id
        for i, text in enumerate(texts_):
            moment = start - timedelta(hours=len(texts_) - i)
            session.add(
                FeedbackNote(
                    team_id=team_id,
                    creator_id=creator_id,
                    author_user_id=author,
                    text=text,
                    created_at=moment,
                    updated_at=moment,
                )
            )


def test_list_shows_a_creators_notes_newest_first(bot: OfflineBot, engine: Engine) -> None:
    _notes(engine, bot.sandbox.team_id, "maria.makes", ["oldest", "second", "third"])
    _notes(engine, bot.sandbox.team_id, "other.one", ["not hers"])
    reply = command(bot, "/feedback", "list @Maria.Makes 2")
    shown = markup(reply)
    assert "Notes about @maria.makes" in shown
    assert shown.index("third") < shown.index("second")
    assert "oldest" not in shown and "not hers" not in shown
    assert "Notes 1–2, newest first" in shown
    assert NEXT not in action_ids(reply)  # two were asked for: no next page


def test_long_lists_page_with_more_buttons_until_the_end(bot: OfflineBot, engine: Engine) -> None:
    _notes(engine, bot.sandbox.team_id, "maria.makes", [f"note number {i}" for i in range(1, 24)])
    reply = command(bot, "/feedback", "list @maria.makes 50")
    assert len(reply["blocks"]) <= 50
    assert "note number 23" in markup(reply) and "note number 13" not in markup(reply)
    pages = [reply]
    while NEXT in action_ids(pages[-1]):
        pages.append(press(bot, pages[-1], NEXT))
    assert len(pages) == 5  # five notes a page
    assert "Notes 6–10, newest first" in markup(pages[1])
    assert "Notes 21–23, newest first" in markup(pages[4])
    assert PREVIOUS in action_ids(pages[4])
    seen = [
        line for p in pages for line in markup(p).splitlines() if line.startswith("note number")
    ]
    assert seen == [f"note number {i}" for i in range(23, 0, -1)]


def test_search_is_full_text_ranked_and_stemmed(bot: OfflineBot, engine: Engine) -> None:
    _notes(
        engine,
        bot.sandbox.team_id,
        "maria.makes",
        [
            "The lamp sample arrived damaged; the box was damaged too, damaged twice",
            "Happy with the commission on the lamp",
            "Damaged parcel, courier blamed",
            "Posted the samples within a week",
        ],
    )
    _notes(engine, "TOTHER", "secret", ["damaged in another workspace"])
    reply = command(bot, "/feedback", "search DAMAGED")
    shown = markup(reply)
    assert "Notes 1–2, best match first" in shown
    assert shown.index("box was damaged too") < shown.index("Damaged parcel")
    assert "another workspace" not in shown
    assert "Posted the samples" in bot.say("/feedback search sample")  # stemmed
    both = bot.say("/feedback search lamp damaged").text
    assert "box was damaged" in both and "commission" not in both and "parcel" not in both


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ('"lamp', True),
        ("lamp*", True),
        ("^lamp", True),
        ("-lamp", True),
        ("(lamp)", True),
        ("lamp:", True),
        ("lamp!!!", True),
        ("NEAR(lamp", False),  # the words near and lamp: no note has both
        ("col:lamp table", False),
        ("'; DROP TABLE feedbacknote; --", False),
    ],
)
def test_search_syntax_in_the_words_is_just_text(
    bot: OfflineBot, engine: Engine, query: str, finds: bool
) -> None:
    _notes(engine, bot.sandbox.team_id, "maria.makes", ["lamp arrived", "table and lamp"])
    response = bot.client.slash_command("/feedback", f"search {query}")
    assert response.status == 200
    shown = markup(response.json())
    assert "Sorry" not in shown
    assert ("lamp arrived" in shown) is finds
    assert command(bot, "/feedback", "search lamp")  # the table is still there


@pytest.mark.parametrize("text", ["search", "search   ", "search !!! ???"])
def test_search_without_words_shows_usage(bot: OfflineBot, text: str) -> None:
    shown = bot.say(f"/feedback {text}").text
    assert "Say what to search for" in shown and "/feedback search <words>" in shown


def test_recent_shows_the_last_7_or_30_days(bot: OfflineBot, engine: Engine) -> None:
    team = bot.sandbox.team_id
    _notes(engine, team, "a.creator", ["three days old"], start=NOW - timedelta(days=3))
    _notes(engine, team, "a.creator", ["twenty days old"], start=NOW - timedelta(days=20))
    _notes(engine, team, "a.creator", ["forty days old"], start=NOW - timedelta(days=40))
    set_clock(bot, NOW)
    week = bot.say("/feedback recent").text
    assert "NOTES FROM THE LAST 7 DAYS" in week
    assert "three days old" in week and "twenty days old" not in week
    month = bot.say("/feedback recent 30d").text
    assert "twenty days old" in month and "forty days old" not in month
    bad = bot.say("/feedback recent fortnight").text
    assert "`fortnight` is not a period: use `7d` or `30d`" in bad


def test_mine_shows_overdue_follow_ups_first_then_my_notes(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    note(bot, "@maria.makes my own note")
    note(bot, "@maria.makes toms note", user="U0TOM")
    with transaction(engine) as session:
        mine = session.get(FeedbackNote, 1)
        assert mine is not None
        mine.follow_up_on = NOW.date() - timedelta(days=2)
        session.add(mine)
    reply = command(bot, "/feedback", "mine")
    shown = markup(reply)
    assert "Open follow-ups* (1 overdue)" in shown
    assert "follow-up 1 Dec 2026 *(overdue)*" in shown
    assert shown.index("Open follow-ups") < shown.index("Your latest notes")
    assert "toms note" not in shown
    assert "feedback_follow_up_done_1" in str(reply)


def test_list_of_an_unknown_creator_says_how_to_add_one(bot: OfflineBot) -> None:
    shown = bot.say("/feedback list @nobody.here").text
    assert "No creator `@nobody.here` in the registry yet" in shown
    assert "/creator add" in shown
    assert "Say whose notes" in bot.say("/feedback list")
    assert "is not a number from 1 to 200" in bot.say("/feedback list @a.b 500")


def test_a_forged_page_button_is_refused_politely(bot: OfflineBot) -> None:
    click(bot, NEXT, '{"kind": "drop tables"}')
    answer = markup(answers(bot, 1)[0])
    assert "That button does not hold a page of a list" in answer
    assert "Sorry, something went wrong" not in answer


def test_created_at_is_kept_in_utc(engine: Engine) -> None:
    with transaction(engine) as session:
        creator = Creator(team_id="T1", handle="x.y")
        session.add(creator)
        session.flush()
        assert creator.id is not None
        session.add(
            FeedbackNote(
                team_id="T1",
                creator_id=creator.id,
                author_user_id="U1",
                text="t",
                created_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC),
            )
        )
    from storage.feedback.notes import get_note

    assert get_note(engine, "T1", 1).created_at == datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
