"""Whose language an answer is written in: a person's choice, else their Slack language, else
the workspace's; a channel's posts in the channel's language. Over signed HTTP, with the Slack
language as Slack's `users.info` tells it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from app import build_app
from bot.settings import Settings
from bot.shared.language import Speech, speech_in
from devkit.offline import OfflineBot
from storage.languages import CHANNEL, PERSON, chosen_language

ENGLISH_ANSWER = "What only you see is written in English"
GERMAN_ANSWER = "Was nur Sie sehen, erscheint auf Deutsch"


@pytest.fixture
def people(bot: OfflineBot) -> OfflineBot:
    bot.sandbox.add_user("U0MARIA", "maria", "Maria Müller", locale="en-US")
    bot.sandbox.add_user("U0JONAS", "jonas", "Jonas Weiß", locale="de-DE")
    bot.sandbox.add_user("U0ZOE", "zoe", "Zoë 李", locale="fr-FR")
    bot.sandbox.add_channel("C0STAKE", "stakeholder-dach", members={bot.sandbox.bot_user_id})
    return bot


def test_each_person_reads_their_slack_language_and_their_choice_wins(
    people: OfflineBot, engine: Engine
) -> None:
    assert ENGLISH_ANSWER in people.say("/shopbot language", user_id="U0MARIA").text
    assert GERMAN_ANSWER in people.say("/shopbot language", user_id="U0JONAS").text
    # French is no language shopbot writes: the workspace's (English) is.
    assert ENGLISH_ANSWER in people.say("/shopbot language", user_id="U0ZOE").text

    chosen = people.say("/shopbot language DE", user_id="U0MARIA").text
    assert "✅ Was nur Sie sehen, erscheint auf Deutsch (Ihre Wahl)." in chosen
    assert chosen_language(engine, people.sandbox.team_id, PERSON, "U0MARIA") == "de"
    assert GERMAN_ANSWER in people.say("/shopbot language", user_id="U0MARIA").text
    assert ENGLISH_ANSWER in people.say("/shopbot language", user_id="U0ZOE").text  # hers alone

    back = people.say("/shopbot language auto", user_id="U0MARIA").text
    assert "English (your Slack language or the workspace's)" in back
    assert chosen_language(engine, people.sandbox.team_id, PERSON, "U0MARIA") is None


def test_slack_is_asked_once_per_person_and_its_silence_costs_nothing(
    people: OfflineBot,
) -> None:
    before = len(people.sandbox.calls("users.info"))
    for _ in range(3):
        people.say("/shopbot language", user_id="U0JONAS")
    asked = people.sandbox.calls("users.info")[before:]
    assert len(asked) == 1
    assert str(asked[0].params.get("include_locale")).lower() in {"1", "true"}

    people.sandbox.fail("users.info", "internal_error", times=10)
    seen = people.say("/shopbot language", user_id="U0ZOE")
    assert ENGLISH_ANSWER in seen.text  # the workspace's language, not a failure


def test_a_channel_keeps_its_own_language(people: OfflineBot, engine: Engine) -> None:
    seen = people.say("/shopbot language #stakeholder-dach de", user_id="U0MARIA").text
    assert "✅ Beiträge in" in seen and "Deutsch (für diesen Kanal gewählt)" in seen
    assert chosen_language(engine, people.sandbox.team_id, CHANNEL, "C0STAKE") == "de"
    asked = people.say("/shopbot language #stakeholder-dach", user_id="U0MARIA").text
    assert "Deutsch (für diesen Kanal gewählt)" in asked
    people.say("/shopbot language #stakeholder-dach auto", user_id="U0MARIA")
    assert chosen_language(engine, people.sandbox.team_id, CHANNEL, "C0STAKE") is None


@pytest.mark.parametrize(
    "typed",
    ["fr", "de en", "deutsch!!", "<script>", "de" * 300, "日本語", "🇩🇪", "#no-such de x"],
)
def test_what_is_no_language_gets_a_short_answer_and_changes_nothing(
    people: OfflineBot, engine: Engine, typed: str
) -> None:
    seen = people.say(f"/shopbot language {typed}", user_id="U0MARIA")
    assert "no language shopbot writes" in seen.text or "Pick the channel" in seen.text
    assert "/shopbot language [#channel] [en|de|auto]" in seen.text
    assert len(seen.text) < 600
    for kind, target in ((PERSON, "U0MARIA"), (CHANNEL, "C0STAKE")):
        assert chosen_language(engine, people.sandbox.team_id, kind, target) is None


@pytest.fixture
def german_workspace(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    german = dataclasses.replace(settings, language="de", locale="de_DE")
    with OfflineBot(build_app, german, engine=engine) as bot:
        bot.sandbox.add_user("U0MARIA", "maria", "Maria Müller", locale="en-US")
        bot.sandbox.add_user("U0JONAS", "jonas", "Jonas Weiß", locale="de-AT")
        yield bot


def test_a_german_workspace_writes_german_unless_a_persons_slack_says_otherwise(
    german_workspace: OfflineBot,
) -> None:
    assert GERMAN_ANSWER in german_workspace.say("/shopbot language", user_id="U0JONAS").text
    assert ENGLISH_ANSWER in german_workspace.say("/shopbot language", user_id="U0MARIA").text


def test_the_formats_of_a_speech() -> None:
    german = Speech("de", "de_DE")
    english_in_germany = Speech("en", "de_DE")  # as set: English texts, German numbers
    assert speech_in("de", german) == german
    assert speech_in("en", german) == Speech("en", "en_US")
    assert speech_in("en", german, "en_GB") == Speech("en", "en_GB")
    assert speech_in("de", english_in_germany) == german
    assert speech_in("de", english_in_germany, "de_AT") == Speech("de", "de_AT")
    assert speech_in("en", english_in_germany) == english_in_germany
    assert speech_in("xx", Speech("en", "en_GB")) == Speech("en", "en_GB")


def test_a_digest_subscription_sets_its_channels_language(
    people: OfflineBot, engine: Engine
) -> None:
    seen = people.say("/digest subscribe #stakeholder-dach mon 09:00 lang:de", user_id="U0MARIA")
    assert "Posts in <#C0STAKE> are written in" not in seen.text  # said in German, there
    assert "Beiträge in" in seen.text and "Deutsch (für diesen Kanal gewählt)" in seen.text
    assert chosen_language(engine, people.sandbox.team_id, CHANNEL, "C0STAKE") == "de"
    refused = people.say("/digest subscribe #stakeholder-dach lang:fr", user_id="U0MARIA")
    assert "`fr` is no language shopbot writes" in refused.text
    assert chosen_language(engine, people.sandbox.team_id, CHANNEL, "C0STAKE") == "de"
