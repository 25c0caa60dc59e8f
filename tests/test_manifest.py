"""The checked-in manifests are what the declarations generate, and valid YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app import FEATURES
from bot.features import Features
from bot.manifest import BOT_SCOPES, app_manifest, manifest_yaml
from devkit.sandbox.webapi import REQUIRED_SCOPES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("name", "socket_mode"), [("manifest.yml", False), ("manifest.socket-mode.yml", True)]
)
def test_checked_in_manifest_is_current(name: str, socket_mode: bool) -> None:
    checked_in = (ROOT / name).read_text()
    assert checked_in == manifest_yaml(Features(FEATURES), socket_mode=socket_mode), (
        f"{name} is stale: run `shopbot manifest{' --socket-mode' if socket_mode else ''} > {name}`"
    )
    assert yaml.safe_load(checked_in) == app_manifest(Features(FEATURES), socket_mode=socket_mode)


def test_every_command_and_the_home_tab_are_declared() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    declared = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(declared) == {c.name for c in list(Features(FEATURES).commands)}
    for command in list(Features(FEATURES).commands):
        assert all(word in declared[command.name]["usage_hint"] for word in command.subcommands)
        assert declared[command.name]["url"].endswith("/slack/events")
        # Slack sends a typed @person as <@U…|name> only when escaping is on, which is what
        # the sandbox sends and the commands read (owner:@…, a person named in /feedback).
        assert declared[command.name]["should_escape"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_every_message_shortcut_comes_from_one_feature() -> None:
    listed = yaml.safe_load((ROOT / "manifest.yml").read_text())["features"]["shortcuts"]
    declared = [(f.name, s) for f in FEATURES for s in f.shortcuts]
    assert [s["callback_id"] for s in listed] == [s.callback_id for _, s in declared]
    assert len({s.callback_id for _, s in declared}) == len(declared), "a shortcut declared twice"
    assert [(name, s["name"]) for (name, _), s in zip(declared, listed, strict=True)] == [
        ("feedback", "Save as creator feedback"),
        ("review", "Save as livestream review"),
        ("sellers", "Save as seller note"),
    ]
    assert all(s["type"] == "message" and s["description"] for s in listed)


def test_socket_mode_manifest_has_no_request_urls() -> None:
    text = (ROOT / "manifest.socket-mode.yml").read_text()
    assert "request_url" not in text and "url:" not in text
    assert yaml.safe_load(text)["settings"]["socket_mode_enabled"] is True


def test_the_scopes_cover_every_method_the_sandbox_knows_needs_one() -> None:
    for method, needed in REQUIRED_SCOPES.items():
        assert set(needed) & set(BOT_SCOPES), f"{method} needs one of {needed}"
