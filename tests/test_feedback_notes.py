"""`/feedback @handle note #tags` over signed HTTP: what is saved, what the user sees, and every
kind of bad input (issue 3, point 1 and the bad-input list)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.shared.replies import escape
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.feedback.models import FeedbackNote
from tests.feedback_support import NOW, note, rows, set_clock
from tests.slack_support import action_ids, markup

MARKUP = "*bold* _it_ `code` <!channel> <!here> <@U0TOM> <#C0KPI> &amp; > quote"


def test_a_quick_note_is_saved_and_shown_with_edit_and_delete(
    bot: OfflineBot, engine: Engine
) -> None:
    set_clock(bot, NOW)
    reply = note(bot, "@Maria.Makes loved the lamp, posted within a week #samples #Posting")

    [saved] = rows(engine, FeedbackNote)
    assert (saved.text, saved.tags) == (
        "loved the lamp, posted within a week",
        ["samples", "posting"],
    )
    assert (saved.topic, saved.sentiment) == ("samples", "positive")
    assert saved.author_user_id == "U0MARIA" and saved.team_id == bot.sandbox.team_id
    assert saved.created_at == NOW
    [creator] = rows(engine, Creator)
    assert (creator.handle, creator.stage) == ("maria.makes", "prospect")

    assert reply["response_type"] == "ephemeral"
    shown = markup(reply)
    assert "Saved a note about *@maria.makes*" in shown
    assert "loved the lamp, posted within a week" in shown
    assert "Samples · 🟢 Positive · #samples #posting · by <@U0MARIA>" in shown
    assert "@maria.makes was not in the registry, so I added it as a prospect" in shown
    assert action_ids(reply) == ["feedback_edit_note", "feedback_delete_note"]


def test_a_known_handle_is_not_added_again(bot: OfflineBot, engine: Engine) -> None:
    note(bot, "@maria.makes first")
    reply = note(bot, "@maria.makes second note, neutral")
    assert "not in the registry" not in markup(reply)
    assert len(rows(engine, Creator)) == 1
    assert [n.text for n in rows(engine, FeedbackNote)] == ["first", "second note, neutral"]


@pytest.mark.parametrize(
    ("text", "topic", "sentiment"),
    [
        ("@a.b the pan arrived damaged #logistics", "logistics", "negative"),
        ("@a.b asked about the payout calendar", "payments", "neutral"),
        ("@a.b great video, thanks!", "content", "positive"),
        ("@a.b happy but the parcel was late", "logistics", "neutral"),  # both: not obvious
        ("@a.b met at the fair", "general", "neutral"),
        ("@a.b all fine #negative #commission", "commission", "negative"),
    ],
)
def test_topic_and_sentiment_are_inferred_only_where_obvious(
    bot: OfflineBot, engine: Engine, text: str, topic: str, sentiment: str
) -> None:
    note(bot, text)
    [saved] = rows(engine, FeedbackNote)
    assert (saved.topic, saved.sentiment) == (topic, sentiment)


@pytest.mark.parametrize(
    "text",
    [
        MARKUP,
        "'; DROP TABLE feedbacknote; -- \" OR 1=1",
        "Loved it 🎉🔥👍🏽 — 很好 — très bien",
        "مرحبا، المنتج رائع جدا",  # Arabic, right to left
        "שלום, המוצר הגיע פגום",  # Hebrew, right to left
        "line one\nline two\n\n  indented",
    ],
)
def test_notes_are_stored_exactly_and_shown_without_pinging(
    bot: OfflineBot, engine: Engine, text: str
) -> None:
    reply = note(bot, f"@maria.makes {text}")
    [saved] = rows(engine, FeedbackNote)
    assert saved.text == text
    shown = markup(reply)
    for ping in ("<!channel>", "<!here>", "<@U0TOM>", "<#C0KPI>"):
        assert ping not in shown
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in shown


def test_a_note_of_3000_characters_fits_in_several_sections(
    bot: OfflineBot, engine: Engine
) -> None:
    text = ("<!channel> " * 300)[:3000]
    reply = note(bot, f"@maria.makes {text}")
    assert rows(engine, FeedbackNote)[0].text == text
    sections = [b["text"]["text"] for b in reply["blocks"] if b["type"] == "section"]
    assert all(len(s) <= 3000 for s in sections)
    assert "".join(sections[1:]) == text.replace("<", "&lt;").replace(">", "&gt;").rstrip()
    # Slack's own limits, as the sandbox checks them: the reply could be posted as it is.
    assert bot.sandbox.handle_api(
        "chat.postMessage",
        {"channel": "C0KPI", "text": reply["text"], "blocks": reply["blocks"]},
        bot.sandbox.bot_token,
    )[2]["ok"]


@pytest.mark.parametrize(
    ("text", "says", "usage"),
    [
        ("@maria.makes", "Write the note after `@maria.makes`", "/feedback @handle <note>"),
        ("@maria.makes    ", "Write the note after", "/feedback @handle <note>"),
        ("@maria.makes #samples #late", "only tags", "/feedback @handle <note>"),
        ("@maria.makes " + "x" * 3001, "limited to 3,000 characters; this one has 3,001", ""),
        ("@ maria.makes hi", "right after the @, with no space", "/feedback @handle"),
        ("@maria!makes hi", "`@maria!makes` is not a TikTok handle", "/feedback @handle"),
        ("@m hi", "`@m` is not a TikTok handle", "/feedback @handle"),
        ("@" + "a" * 25 + " hi", "is not a TikTok handle", "/feedback @handle"),
        ("@<!channel> hi", "`@&lt;!channel&gt;` is not a TikTok handle", "/feedback @handle"),
        ("frobnicate now", "`/feedback` has no `frobnicate`", "/feedback help"),
        ("<@U0TOM> hi", "`/feedback` has no `&lt;@U0TOM&gt;`", "/feedback @handle"),
        ("maria.makes hi", "`/feedback` has no `maria.makes`", "/feedback @handle <note>"),
        ("@maria.makes hi " + " ".join(f"#t{i}" for i in range(11)), "at most 10", ""),
        ("@maria.makes hi #" + "t" * 41, "too long for a tag", ""),
    ],
)
def test_bad_input_gets_a_short_answer_with_usage_and_saves_nothing(
    bot: OfflineBot, engine: Engine, text: str, says: str, usage: str
) -> None:
    reply = note(bot, text)
    shown = markup(reply)
    assert reply["response_type"] == "ephemeral"
    assert says in shown
    assert escape(usage) in shown
    assert len(shown) < 1000
    assert "<!channel>" not in shown and "<@U0TOM>" not in shown
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []


def test_text_longer_than_a_note_can_be_is_refused_before_parsing(
    bot: OfflineBot, engine: Engine
) -> None:
    reply = note(bot, "@maria.makes " + "y" * 6000)
    assert "That is too long for /feedback (6,013 characters)" in reply["text"]
    # Refused as a whole request, with what to type instead, not by the note's own length check.
    assert "Try: `/feedback @handle &lt;note&gt; [#tag …] [follow-up:YYYY-MM-DD]`" in reply["text"]
    assert "Notes are limited to" not in reply["text"]
    assert rows(engine, FeedbackNote) == []


def test_nothing_is_half_saved_when_the_note_fails(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The prospect creator is added in the note's transaction: a failure keeps neither."""
    import storage.feedback.notes

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(storage.feedback.notes, "_one", broken)
    reply = note(bot, "@new.creator hello")
    assert "Sorry, something went wrong on our side" in reply["text"]
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []


def test_help_lists_every_feedback_usage(bot: OfflineBot) -> None:
    seen = bot.say("/feedback help")
    for usage in (
        "/feedback @handle <note> [#tag …]",
        "/feedback`",
        "/feedback list @handle [n]",
        "/feedback search <words>",
        "/feedback recent [7d|30d]",
        "/feedback mine",
        "/feedback report [week|month]",
        "/feedback export [since]",
    ):
        assert usage in seen.text
        assert escape(usage) in markup(seen.reply)
