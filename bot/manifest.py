"""The Slack app manifest, generated from the features' declarations (their slash commands
and message shortcuts).

`manifest.yml` (HTTP mode) and `manifest.socket-mode.yml` in the repository are this module's
output (`shopbot manifest`); a test keeps them equal, so a new command or scope cannot be
forgotten there. The sandbox grants exactly `BOT_SCOPES`, so a Web API call that needs a scope
the manifest lacks fails in tests with `missing_scope`, as it would in Slack.
"""

from __future__ import annotations

import json
from typing import Any

from bot.features import Features, MessageShortcut
from bot.shared.commands import SlashCommand

# The manifest's texts (command descriptions and usage hints, shortcut names) stay in English:
# Slack shows them in its menus in one language for the whole workspace, whatever language
# shopbot's answers are written in (bot.shared.language), so they are not wrapped in `_()`.
REQUEST_URL_PLACEHOLDER = "https://shopbot.example.com/slack/events"

BOT_SCOPES = (
    "channels:history",  # the digest looks for its own post before posting again
    "channels:read",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
)
BOT_EVENTS = ("app_home_opened", "message.im")


def _usage_hint(command: SlashCommand) -> str:
    words = [w for w in command.subcommands if w != command.default]
    return "[" + "|".join([command.default, *words]) + "]"


def _shortcut(shortcut: MessageShortcut) -> dict[str, str]:
    return {
        "name": shortcut.name,
        "type": "message",
        "callback_id": shortcut.callback_id,
        "description": shortcut.description,
    }


def app_manifest(
    features: Features,
    *,
    request_url: str = REQUEST_URL_PLACEHOLDER,
    socket_mode: bool = False,
) -> dict[str, Any]:
    """The manifest Slack's "Create New App → From an app manifest" takes."""
    url = {} if socket_mode else {"url": request_url}
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        events = {"request_url": request_url, **events}
        interactivity["request_url"] = request_url
        # The creator type-ahead in the feedback form loads its options from the app.
        interactivity["message_menu_options_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "shopbot",
            "description": "KPI snapshots, creator feedback, livestream reviews and weekly "
            "digests for TikTok Shop teams.",
            "background_color": "#1f2a44",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "shopbot", "always_online": True},
            "slash_commands": [
                {
                    "command": c.name,
                    **url,
                    "description": c.summary[:100],
                    "usage_hint": _usage_hint(c),
                    # Mentions, channels and links arrive as <@U…|name>, <#C…|name>, <url>, as the
                    # app decodes them (bot/shared/slack_text.py); unescaped, @lena would be plain
                    # text.
                    "should_escape": True,
                }
                for c in features.commands
            ],
            "shortcuts": [_shortcut(shortcut) for shortcut in features.shortcuts],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small YAML writer for the manifest's plain dicts, lists, strings, numbers and bools."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                nested = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {nested}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML string


def manifest_yaml(
    features: Features,
    *,
    socket_mode: bool = False,
    request_url: str = REQUEST_URL_PLACEHOLDER,
) -> str:
    mode = "Socket Mode" if socket_mode else "HTTP mode (replace the request URLs)"
    header = f"# shopbot's Slack app manifest for {mode}. Generated by `shopbot manifest`.\n"
    body = to_yaml(app_manifest(features, request_url=request_url, socket_mode=socket_mode))
    return header + body + "\n"
