"""Settings: one clear line per bad value; secrets never reach a repr, a log line or an error."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app import FEATURE_SETTINGS
from bot.logs import RedactSecrets
from bot.settings import SettingsError, load_settings
from devkit.offline import OfflineBot

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1234-5678-abcdefghijkl", "SLACK_SIGNING_SECRET": "a" * 32}


def _load(**overrides: str) -> object:
    return load_settings({**GOOD, **overrides}, env_file=None, sections=FEATURE_SETTINGS)


def test_defaults() -> None:
    settings = load_settings(GOOD, env_file=None)
    assert settings.database_url == "sqlite:///shopbot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert (settings.timezone, settings.currency, settings.locale) == ("UTC", "USD", "en_US")
    assert not settings.socket_mode
    assert settings.admins == frozenset()


@pytest.mark.parametrize(
    ("overrides", "variable", "expects"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET", "signing secret"),
        ({"SLACK_SIGNING_SECRET": "short"}, "SLACK_SIGNING_SECRET", "letters and digits"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN", "xapp-"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL", "sqlite:///"),
        ({"SLACK_API_URL": "not a url"}, "SLACK_API_URL", "http"),
        ({"SHOPBOT_TIMEZONE": "Mars/Olympus"}, "SHOPBOT_TIMEZONE", "Europe/Berlin"),
        ({"SHOPBOT_CURRENCY": "dollars"}, "SHOPBOT_CURRENCY", "3-letter"),
        ({"SHOPBOT_LOCALE": "english"}, "SHOPBOT_LOCALE", "en_US"),
        ({"SHOPBOT_IMPORTS_AT_ONCE": "0"}, "SHOPBOT_IMPORTS_AT_ONCE", "1 to 16"),
        ({"SHOPBOT_IMPORT_MEMORY_MB": "200"}, "SHOPBOT_IMPORT_MEMORY_MB", "400 to 65536"),
        ({"SHOPBOT_RESUME_TRIES": "many"}, "SHOPBOT_RESUME_TRIES", "1 to 10"),
        ({"SHOPBOT_ADMINS": "U012AB3CD,@maria"}, "SHOPBOT_ADMINS", "user IDs"),
        ({"SHOPBOT_LOG_LEVEL": "LOUD"}, "SHOPBOT_LOG_LEVEL", "DEBUG"),
    ],
)
def test_a_bad_setting_names_the_variable_and_what_it_expects(
    overrides: dict[str, str], variable: str, expects: str
) -> None:
    with pytest.raises(SettingsError) as error:
        _load(**overrides)
    message = str(error.value)
    assert message.startswith(variable)
    assert expects in message
    assert "\n" not in message
    assert GOOD["SLACK_BOT_TOKEN"] not in message and GOOD["SLACK_SIGNING_SECRET"] not in message


def test_values_are_normalised() -> None:
    settings = load_settings(
        {
            **GOOD,
            "DATABASE_URL": "postgresql://bot@db/shop",
            "SLACK_API_URL": "http://127.0.0.1:9",
            "SHOPBOT_CURRENCY": "eur",
            "SHOPBOT_ADMINS": " U012AB3CD , W0ABCDEF ",
            "SLACK_APP_TOKEN": "xapp-1-A1-2-abc",
        },
        env_file=None,
    )
    assert settings.database_url == "postgresql+psycopg://bot@db/shop"
    assert settings.slack_api_url == "http://127.0.0.1:9/"
    assert settings.currency == "EUR"
    assert settings.admins == {"U012AB3CD", "W0ABCDEF"}
    assert settings.is_admin("U012AB3CD") and not settings.is_admin("U0OTHER")
    assert settings.socket_mode


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_SIGNING_SECRET=" + "b" * 32 + "\n"
        "SHOPBOT_TIMEZONE=Asia/Jakarta\nSHOPBOT_CURRENCY=IDR\n"
    )
    settings = load_settings({"SHOPBOT_CURRENCY": "USD"}, env_file=env_file)
    assert settings.slack_bot_token.reveal() == "xoxb-from-file"
    assert settings.timezone == "Asia/Jakarta"
    assert settings.currency == "USD"


def test_secrets_never_show_in_repr() -> None:
    settings = load_settings({**GOOD, "SLACK_APP_TOKEN": "xapp-1-secret"}, env_file=None)
    shown = repr(settings) + str(settings) + f"{settings.slack_bot_token}"
    for secret in (GOOD["SLACK_BOT_TOKEN"], GOOD["SLACK_SIGNING_SECRET"], "xapp-1-secret"):
        assert secret not in shown


def test_the_filter_redacts_configured_secrets_and_any_token_shape() -> None:
    redact = RedactSecrets(["s3cr3tsigningvalue"])
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "auth %s then %s and xoxp-99-user and xapp-1-A-2",
        ("xoxb-111-222-abc", "s3cr3tsigningvalue"),
        None,
    )
    redact.filter(record)
    message = record.getMessage()
    assert "xoxb-" not in message and "s3cr3t" not in message
    assert "xoxp-" not in message and "xapp-" not in message
    assert message.count("[redacted]") == 4


def test_a_whole_request_at_debug_level_logs_no_secret(
    bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    redact = RedactSecrets(bot.settings.secrets())
    caplog.handler.addFilter(redact)
    with caplog.at_level(logging.DEBUG):
        bot.client.slash_command("/shopbot", "status")
        bot.client.event({"type": "app_home_opened", "user": "U0MARIA", "tab": "home"})
        bot.settle()
        assert bot.sandbox.calls("views.publish")
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "slack" in caplog.text.lower(), "expected the SDK's debug logs to be captured"
    assert bot.sandbox.bot_token not in text
    assert bot.settings.slack_signing_secret.reveal() not in text
