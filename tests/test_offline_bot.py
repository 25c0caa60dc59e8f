"""The offline bot's conversation driver: `say` waits for the app to settle and shows what the
shell shows; `click`, `choose`, `fill` and `submit` act on it as Slack would; `settle` waits
for listeners and Slack calls, and says what is stuck."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from devkit.sandbox.state import NotChosen
from devkit.shell import Shell
from storage.feedback.models import FeedbackNote
from storage.sellers.models import Seller
from tests.feedback_support import NOW, note_values, rows, set_clock
from tests.seller_support import PLANS, registry_csv
from tests.slack_support import answers_sent

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


def test_say_returns_what_the_shell_prints(bot: OfflineBot, tmp_path: Path) -> None:
    seen = bot.say("/shopbot help")
    assert "── only you can see this ──\nSHOPBOT COMMANDS" in seen
    assert seen.reply["response_type"] == "ephemeral"
    assert answers_sent(seen.calls) == []  # answered in the acknowledgement

    out = io.StringIO()
    Shell(bot, out, files_dir=tmp_path / "shopbot-files").handle("/shopbot help")
    assert out.getvalue() == seen.text + "\n"


def test_say_waits_for_replies_sent_after_the_acknowledgement(bot: OfflineBot) -> None:
    seen = bot.say("/feedback report")
    assert seen.response.body == ""  # slow: acknowledged first
    assert "No notes in" in seen
    assert answers_sent(seen.calls) == ["response_url"]


def test_settle_waits_for_a_slow_slack_call(bot: OfflineBot) -> None:
    bot.sandbox.delay("views.publish", 0.5)
    assert bot.client.event(HOME_OPENED).status == 200
    bot.settle()
    assert [c.ok for c in bot.sandbox.calls("views.publish")] == [True]


def test_settle_says_what_is_still_busy(bot: OfflineBot) -> None:
    bot.sandbox.delay("views.publish", 1.0)
    assert bot.client.event(HOME_OPENED).status == 200
    bot.sandbox.wait_in_flight("views.publish")  # the Home is built: its publish is slow
    with pytest.raises(TimeoutError, match=r"did not settle within 0\.2s: .*views\.publish"):
        bot.settle(timeout=0.2)
    bot.settle()


def test_choose_picks_an_overflow_item_of_a_listed_note(bot: OfflineBot, engine: Engine) -> None:
    bot.say("/feedback @zoe.kocht Lämpchen 💡 kaputt")
    listed = bot.say("/feedback list @zoe.kocht")
    assert "[1 ⋯ Edit · Delete]" in listed
    answer = bot.choose(listed, 1, "delete")  # by the option's text, case-blind
    assert "Deleted note 1 about @zoe.kocht" in answer
    [note] = rows(engine, FeedbackNote)
    assert note.deleted_at is not None
    with pytest.raises(NotChosen, match="No single option matches “Archive”"):
        bot.choose(listed, 1, "Archive")
    with pytest.raises(NotChosen, match=r"1 is no button \(overflow\)"):
        bot.click(listed, 1)
    with pytest.raises(NotChosen, match="1 is a button: click it"):
        bot.choose(bot.say("/feedback @zoe.kocht noch einmal"), 1, "Edit")


def test_the_apps_errors_are_shown_under_their_fields_and_the_form_stays(
    bot: OfflineBot, engine: Engine
) -> None:
    set_clock(bot, NOW)
    form = bot.say("/feedback").modal
    assert form is not None
    bot.fill(form, "Creator", "zoe.kocht")
    bot.fill(form, 4, "Probe & Muster <3")
    bot.fill(form, "Follow up on", "2026-11-01")  # before today
    refused = bot.submit(form)
    assert refused.modal is form and rows(engine, FeedbackNote) == []
    assert "6. Follow up on: 2026-11-01 (optional)\n   ⚠ Pick today or a later day" in refused
    bot.fill(form, 6, "2026-12-24")
    saved = bot.submit(form)
    assert saved.modal is None and "Saved a note about @zoe.kocht" in saved
    [note] = rows(engine, FeedbackNote)
    assert (note.text, note.follow_up_on) == ("Probe & Muster <3", date(2026, 12, 24))


def test_a_form_from_a_test_is_submitted_with_slacks_state(bot: OfflineBot, engine: Engine) -> None:
    view = bot.say("/feedback").views[0]
    bot.submit(view, note_values(handle="zoe.kocht", text="Grüße 🎉", topic="samples"))
    [note] = rows(engine, FeedbackNote)
    assert (note.text, note.topic) == ("Grüße 🎉", "samples")


def test_a_file_input_takes_a_path_and_the_import_runs(
    bot: OfflineBot, engine: Engine, tmp_path: Path
) -> None:
    bot.sandbox.add_user("U0ANA", "ana", "Ana Ibáñez")  # the sellers' owner
    export = tmp_path / "händler.csv"
    export.write_bytes(registry_csv(PLANS[:3]))
    form = bot.say("/kpi import").modal
    assert form is not None and form.title == "Import a file"
    assert bot.fill(form, 1, str(export)) == "händler.csv"
    done = bot.submit(form)
    assert done.modal is None and "── in your DM with shopbot ──" in done
    assert sorted(s.name for s in rows(engine, Seller)) == [
        "Alpha Home",
        "Bravo Living",
        "Café Küche",
    ]
    with pytest.raises(NotChosen, match="Cannot read"):
        bot.fill(bot.say("/kpi import").modal or form, 1, str(tmp_path / "missing.csv"))
