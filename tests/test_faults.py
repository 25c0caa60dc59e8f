"""Slack and the database at their worst: while a suite of conversations runs, the sandbox
answers calls at random with 429s, 500s, late answers and dropped connections; an import holds
SQLite's write lock. Every person still gets an answer (or a clear apology) in time, nothing is
lost, and nothing is posted, uploaded or saved twice."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from devkit.transcript import Transcript
from handlers.answers import ACK_PATIENCE_SECONDS, KEPT_ANSWER
from storage.columns import utc_now
from storage.creators.models import Creator
from storage.feedback.intake import intake_for
from storage.feedback.models import FeedbackNote
from storage.feedback.notes import NoteNotFound, delete_note, get_note
from tests.digest_support import import_kpis, posts, travel
from tests.feedback_support import last_view
from tests.test_creator_command import _creator_values as creator_values
from tests.test_digest_commands import TUESDAY

# (who, what they type, a fragment of the answer they should see when nothing fails for good)
CONVERSATIONS = [
    ("U0TOM", "/kpi today", "GMV"),
    ("U0TOM", "/kpi chart gmv week", "Posted GMV"),
    ("U0TOM", "/feedback @ana.glow great unboxing, Küchen & Co loved it #samples", "Saved"),
    ("U0PRIYA", "/feedback list @ana.glow", "ana.glow"),
    ("U0TOM", "/feedback export", "Excel workbook by DM"),
    ("U0MARIA", "/digest subscribe #general", "#general"),
    ("U0MARIA", "/digest send #general", "posted"),
    # today: the note above is today's; a week ends yesterday, the latest complete day
    ("U0PRIYA", "/feedback report today", "Creator feedback"),
    ("U0TOM", "/shopbot status", "STATUS"),
    ("U0PRIYA", "/kpi chart orders month category:Home & Living", "Posted Orders"),
]
APOLOGY = "Sorry, something went wrong on our side"


@pytest.fixture(autouse=True)
def data(bot: OfflineBot, engine: Engine) -> None:
    import_kpis(engine)
    travel(bot, TUESDAY)


def converse(bot: OfflineBot) -> list[tuple[str, Transcript]]:
    return [(line, bot.say(line, user_id=user)) for user, line, _ in CONVERSATIONS]


def test_without_faults_every_conversation_gets_its_answer(bot: OfflineBot) -> None:
    for (_, line, expected), (_, seen) in zip(CONVERSATIONS, converse(bot), strict=True):
        assert expected.lower() in seen.text.lower(), f"{line}:\n{seen.text}"
        assert APOLOGY not in seen.text


def test_under_random_faults_everyone_is_answered_and_nothing_is_doubled(bot: OfflineBot) -> None:
    with bot.sandbox.chaos(0.3, seed=1):
        seen = converse(bot)
        bot.client.event({"type": "app_home_opened", "user": "U0TOM", "tab": "home"})
        bot.settle(timeout=60)
    faults = Counter(c.status for c in bot.sandbox.calls() if c.status != 200)
    assert sum(faults.values()) >= 3, f"the faults did not happen: {faults}"
    for (_, line, expected), (_, transcript) in zip(CONVERSATIONS, seen, strict=True):
        assert transcript.replies, f"{line} got no answer at all:\n{transcript.text}"
        answered = expected.lower() in transcript.text.lower() or APOLOGY in transcript.text
        assert answered, f"{line}:\n{transcript.text}"
    assert len(posts(bot.sandbox, "C0GENERAL")) <= 1
    for channel, messages in bot.sandbox.messages.items():
        texts = Counter(m.get("text", "") for m in messages if m.get("text"))
        assert [t for t, n in texts.items() if n > 1] == [], f"posted twice in {channel}"
    uploads = [c for c in bot.sandbox.calls("files.completeUploadExternal") if c.ok]
    titles = Counter(f["title"] for c in uploads for f in c.response["files"])
    assert [t for t, n in titles.items() if n > 1] == [], titles


def test_an_answer_the_response_url_refuses_twice_arrives_on_the_third_try(
    bot: OfflineBot,
) -> None:
    bot.sandbox.fail("response_url", "internal_error", status=500)
    bot.sandbox.rate_limit("response_url")
    seen = bot.say("/kpi chart gmv week", user_id="U0TOM")
    tries = bot.sandbox.calls("response_url")
    assert [c.status for c in tries] == [500, 429, 200]
    assert "Posted GMV" in seen.text


def test_an_answer_the_response_url_keeps_refusing_arrives_by_dm(bot: OfflineBot) -> None:
    bot.sandbox.fail("response_url", "internal_error", status=500, times=10)
    seen = bot.say("/kpi chart gmv week", user_id="U0TOM")
    [dm] = [c for c in seen.calls if c.method == "chat.postMessage" and c.ok]
    assert dm.params["channel"] == "D0TOM"
    assert "Posted GMV" in dm.params["text"]


@contextmanager
def import_holding_the_write_lock(bot: OfflineBot, engine: Engine) -> Iterator[None]:
    """Another process holds SQLite's write lock, as an import's transaction does, for the
    block; at its end nothing has been answered at the response URL yet."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers of different rows do not wait for each other")
    importer = sqlite3.connect(str(engine.url.database), isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")
    try:
        yield
        time.sleep(ACK_PATIENCE_SECONDS)
        assert bot.sandbox.calls("response_url") == []  # still waiting for the database
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    intake = intake_for(engine)
    assert intake is not None and intake.wait_until_drained(30)  # the kept request done
    bot.settle()


def saved_texts(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(FeedbackNote.text)).scalars())


def test_a_quick_write_while_an_import_holds_the_database_is_answered_at_once_and_kept(
    bot: OfflineBot, engine: Engine
) -> None:
    """SQLite has one writer: while an import in another process writes, a quick command that
    writes is kept in the intake, like a note (tests/test_note_burst.py), answered within a
    second that it is kept, not done yet, and is done (once) as soon as the import lets go."""
    bot.client.slash_command("/feedback", "@ana.glow asked for a LIVE slot")
    delete_note(engine, bot.sandbox.team_id, 1, user_id="U0MARIA", admins=(), now=utc_now())
    with import_holding_the_write_lock(bot, engine):
        started = time.monotonic()
        response = bot.client.slash_command("/feedback", "restore 1", user_id="U0MARIA")
        waited = time.monotonic() - started
        assert response.status == 200 and waited < 2.0
        assert response.json()["text"] == KEPT_ANSWER
        with pytest.raises(NoteNotFound):  # still deleted: no reader's yet
            get_note(engine, bot.sandbox.team_id, 1)
    [answer] = bot.sandbox.calls("response_url")
    assert "Restored" in answer.params["text"], answer.params["text"]
    assert saved_texts(engine) == ["asked for a LIVE slot"]
    assert get_note(engine, bot.sandbox.team_id, 1).text == "asked for a LIVE slot"


def test_a_form_submitted_while_an_import_holds_the_database_closes_at_once_and_is_kept(
    bot: OfflineBot, engine: Engine
) -> None:
    """Slack waits 3 seconds for a modal's acknowledgement: while an import holds SQLite's
    write lock, the modal turns at once into a note that the submission is kept, and the
    creator is saved (once) and confirmed as soon as the import lets go."""
    bot.client.slash_command("/creator", "add")
    form = last_view(bot)
    with import_holding_the_write_lock(bot, engine):
        started = time.monotonic()
        response = bot.client.view_submission(form, creator_values())
        waited = time.monotonic() - started
        assert response.status == 200 and waited < 2.0
        update = response.json()
        assert update["response_action"] == "update"
        assert update["view"]["blocks"][0]["text"]["text"] == KEPT_ANSWER
    [answer] = bot.sandbox.calls("response_url")
    assert "@ana.glow" in answer.params["text"], answer.params["text"]
    with engine.connect() as connection:
        assert list(connection.execute(select(Creator.handle)).scalars()) == ["ana.glow"]
