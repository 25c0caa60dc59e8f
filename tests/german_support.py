"""Helpers for the tests of German answers: the workspace's settings in German (de_DE, EUR,
Berlin), and every text a person reads in a message or a modal."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from bot.settings import Settings, load_settings

GERMAN = {"SHOPBOT_LANGUAGE": "de", "SHOPBOT_LOCALE": "de_DE", "SHOPBOT_CURRENCY": "EUR"}


def german_settings(engine: Engine) -> Settings:
    """The test workspace's settings (tests/conftest.py) with German as its language."""
    return load_settings(
        {
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SHOPBOT_TIMEZONE": "Europe/Berlin",
            "SHOPBOT_ADMINS": "U0MARIA",
            **GERMAN,
        },
        env_file=None,
        require_slack=False,
    )


def every_text(node: Any) -> str:
    """Every text object's text in a message, a view or a block list, in order: the fallback
    text, headers, sections, fields, context, buttons and their confirmations, labels, hints,
    placeholders and options."""
    parts: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if item.get("type") in {"mrkdwn", "plain_text"} and isinstance(item.get("text"), str):
                parts.append(item["text"])
                return
            for key, value in item.items():
                if (key == "text" and isinstance(value, str)) or (
                    key in {"title", "submit", "close"} and isinstance(value, str)
                ):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(item, list):
            for each in item:
                walk(each)

    walk(node)
    return "\n".join(parts)
