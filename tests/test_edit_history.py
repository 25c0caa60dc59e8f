"""Edit history, readable where it is written: `/feedback history <n>`, `/seller history <n>`
and `/review history <n>` show who changed what and when (the team's time, Berlin here), the
values before and after, newest first and page by page, to whoever may read the record."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.shared.pages import NEXT
from devkit.offline import OfflineBot
from storage.columns import utc_now
from storage.feedback import notes
from tests.feedback_support import NOW, click, last_view, note, note_values, set_clock, submit
from tests.review_support import review_now, review_values, seed
from tests.seller_support import build_sellers
from tests.slack_support import markup, press

ZOE, TOM = "U0ZOE", "U0TOM"


def _zoe(bot: OfflineBot) -> None:
    bot.sandbox.add_user(ZOE, "zoë.çelik", "Zoë Çelik")


def _zoe_writes_and_edits_a_note(bot: OfflineBot) -> None:
    _zoe(bot)
    set_clock(bot, NOW)  # 09:30 in Berlin
    note(bot, "@maria.makes Café Küche sample arrived 東京 #samples", user=ZOE)
    click(bot, "feedback_edit_note", "1", user=ZOE)
    set_clock(bot, NOW + timedelta(hours=2))
    values = note_values(
        handle=None,
        text="Café Küche sample arrived; replacement sent 🎉",
        topic="samples",
        sentiment="positive",
        tags="samples replacement",
    )
    assert submit(bot, last_view(bot), values, user=ZOE).body == ""


def test_a_note_history_shows_who_changed_what_and_when(bot: OfflineBot, engine: Engine) -> None:
    _zoe_writes_and_edits_a_note(bot)
    seen = bot.say("/feedback history 1", user_id=TOM).text
    assert "HISTORY OF NOTE 1 ABOUT @MARIA.MAKES" in seen
    assert "Written by @zoë.çelik on 3 Dec 2026 09:30" in seen
    assert "Edit 1 of 1 · 3 Dec 2026 11:30 · @zoë.çelik" in seen
    assert (
        "Text: Café Küche sample arrived 東京 → Café Küche sample arrived; replacement sent 🎉"
        in seen
    )
    assert "Sentiment:" in seen and "Positive" in seen
    assert "Tags: #samples → #samples #replacement" in seen
    assert "Topic" not in seen.partition("Edit 1 of 1")[2]  # unchanged fields are left out


def test_a_record_never_edited_says_so(bot: OfflineBot, engine: Engine) -> None:
    _zoe(bot)
    set_clock(bot, NOW)
    note(bot, "@maria.makes first contact, all good", user=ZOE)
    seen = bot.say("/feedback history 1").text
    assert "HISTORY OF NOTE 1 ABOUT @MARIA.MAKES" in seen
    assert "Written by @zoë.çelik on 3 Dec 2026 09:30" in seen
    assert "Not edited since it was written." in seen and "Edit 1" not in seen


def test_a_deleted_or_unknown_record_has_no_history_to_read(
    bot: OfflineBot, engine: Engine
) -> None:
    _zoe_writes_and_edits_a_note(bot)
    notes.delete_note(engine, bot.sandbox.team_id, 1, user_id=ZOE, admins=(), now=utc_now())
    for asked in ("/feedback history 1", "/feedback history 99"):
        seen = bot.say(asked).text
        assert "There is no note" in seen and "HISTORY" not in seen
    assert "Say which note" in bot.say("/feedback history").text


def test_another_workspace_does_not_see_a_note_history(bot: OfflineBot, engine: Engine) -> None:
    draft = notes.NoteDraft("TOTHER", "U0OTHER", "maria.makes", "theirs", "general", "neutral")
    notes.save_note(engine, draft, NOW)
    assert "There is no note 1 here" in bot.say("/feedback history 1").text


def test_a_seller_note_history_pages_its_edits_newest_first(
    bot: OfflineBot, engine: Engine
) -> None:
    build_sellers(bot, engine)
    _zoe(bot)
    saved = bot.say("/seller note Café Küche Grüße an Jürgen #live", user_id=ZOE).text
    number = saved.split("Saved seller note ")[1].split(" ")[0]
    for edit in range(1, 8):
        bot.say(f"/seller edit {number} Grüße an Jürgen, Versuch {edit} #live", user_id=ZOE)
    first = bot.say(f"/seller history {number}").text
    assert f"HISTORY OF SELLER NOTE {number} ABOUT CAFÉ KÜCHE" in first
    assert "Edit 7 of 7" in first and "Edit 3 of 7" in first and "Edit 2 of 7" not in first
    assert first.index("Edit 7 of 7") < first.index("Edit 3 of 7")
    assert "Text: Grüße an Jürgen, Versuch 6 → Grüße an Jürgen, Versuch 7" in first
    assert "30 Nov 2026 12:00 · @zoë.çelik" in first  # noon UTC, in Berlin
    assert "Edits 1–5 of 7, newest first" in first
    assert f"/seller history {number} page:2" in first
    second = bot.say(f"/seller history {number} page:2").text
    assert "Edit 2 of 7" in second and "Edit 1 of 7" in second and "Edit 3 of 7" not in second
    assert "Text: Grüße an Jürgen → Grüße an Jürgen, Versuch 1" in second
    assert "only 2 pages" in bot.say(f"/seller history {number} page:3").text
    pressed = markup(press(bot, bot.say(f"/seller history {number}").reply, NEXT))
    assert "Edit 1 of 7" in pressed and "Edit 3 of 7" not in pressed


def test_a_review_history_names_each_changed_score_note_and_tag(
    bot: OfflineBot, engine: Engine
) -> None:
    ids = seed(engine, bot.sandbox.team_id)
    _zoe(bot)
    set_clock(bot, NOW)
    review_now(bot, ids["Küchenwelt & Co"], user=ZOE, tags=["hook"])
    bot.say("/review edit 1", user_id=ZOE)
    set_clock(bot, NOW + timedelta(minutes=45))
    changed = review_values(
        ids["Küchenwelt & Co"], scores={"production": 5}, improvements="Mehr Licht", tags=["cta"]
    )
    assert submit(bot, last_view(bot, opened=2), changed, user=ZOE).body == ""
    seen = bot.say("/review history 1", user_id=TOM).text
    assert "HISTORY OF REVIEW 1: KÜCHENWELT & CO" in seen
    assert "Edit 1 of 1 · 3 Dec 2026 10:15 · @zoë.çelik" in seen
    assert "Production (score): 3 → 5" in seen
    assert "Improvements: Too slow to open → Mehr Licht" in seen
    assert "Improvement tags: #hook → #cta" in seen
    assert "Strengths" not in seen
    never = bot.say("/review history 2").text
    assert "There is no review 2 in this workspace." in never
