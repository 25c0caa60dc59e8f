"""Text as Slack sends it, decoded once where a request enters.

Slack escapes `&`, `<` and `>` in everything a person types (slash command text, message text)
and sends references as markup: a user `<@U…>` or `<@U…|name>`, a channel `<#C…|name>`, a link
`<https://…|label>`, a special mention `<!here>`. `decode` turns that into what the person saw
and typed (`@name`, `#name`, the link, `@here`) and keeps the references it found, so a parser
can tell which channel `#kpi` was. Modal inputs arrive unescaped and are never decoded. The way
back out is `bot.shared.replies.escape`, applied once when text goes into mrkdwn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_USER = re.compile(r"@([UW][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
_CHANNEL = re.compile(r"#([CGD][A-Z0-9]+)(?:\|(.*))?", re.DOTALL)
# Control characters no keyboard types (tab and line breaks aside); a forged request may carry
# them, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPECIAL = re.compile(r"!([^|^]+)(?:\^[^|]*)?(?:\|(.*))?", re.DOTALL)


class RefKind(StrEnum):
    USER = "user"
    CHANNEL = "channel"
    SPECIAL = "special"  # @here, @channel, @everyone, user groups, dates
    LINK = "link"


@dataclass(frozen=True)
class SlackRef:
    """One piece of markup: what it points at (`target`: an ID, a URL or `here`) and how it
    reads in the decoded text (`shown`)."""

    kind: RefKind
    target: str
    shown: str


@dataclass(frozen=True)
class SlackText:
    """What the person typed, and the references Slack marked up in it."""

    text: str
    refs: tuple[SlackRef, ...] = field(default=())

    def channel_id(self, word: str) -> str | None:
        """The ID of the channel that reads as `word` (`#kpi`), when Slack marked it up."""
        return next(
            (r.target for r in self.refs if r.kind == RefKind.CHANNEL and r.shown == word), None
        )

    def user_id(self, word: str) -> str | None:
        """The ID of the user that reads as `word` (`@maria`), when Slack marked it up."""
        return next(
            (r.target for r in self.refs if r.kind == RefKind.USER and r.shown == word), None
        )


def unescape(text: str) -> str:
    """Slack's three entities back to the characters typed (and nothing else)."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


def without_controls(text: str) -> str:
    """`text` without the control characters no person types (tabs and line breaks stay)."""
    return _CONTROL.sub("", text)


def decode(escaped: str) -> SlackText:
    """Slack's wire text → what the person typed, with its references."""
    escaped = without_controls(escaped)
    refs: list[SlackRef] = []
    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(escaped):
        parts.append(unescape(escaped[position : match.start()]))
        ref = _ref(match.group(1))
        refs.append(ref)
        parts.append(ref.shown)
        position = match.end()
    parts.append(unescape(escaped[position:]))
    return SlackText("".join(parts), tuple(refs))


def _ref(inner: str) -> SlackRef:
    if user := _USER.fullmatch(inner):
        label = unescape(user.group(2) or "")
        return SlackRef(RefKind.USER, user.group(1), f"@{label or user.group(1)}")
    if channel := _CHANNEL.fullmatch(inner):
        label = unescape(channel.group(2) or "")
        return SlackRef(RefKind.CHANNEL, channel.group(1), f"#{label or channel.group(1)}")
    if special := _SPECIAL.fullmatch(inner):
        name, label = special.group(1), unescape(special.group(2) or "")
        if name.startswith("subteam"):
            return SlackRef(RefKind.SPECIAL, name, label or "@group")
        if name == "date":
            return SlackRef(RefKind.SPECIAL, name, label)
        return SlackRef(RefKind.SPECIAL, name, label or f"@{name}")
    url, _, label = (unescape(piece) for piece in inner.partition("|"))
    return SlackRef(RefKind.LINK, url, _link_text(url, label))


def _link_text(url: str, label: str) -> str:
    """`label (url)` for a named link; just the link when the label is the address itself."""
    bare = url.split(":", 1)[1].removeprefix("//") if ":" in url else url
    if not label or label in {url, bare, bare.rstrip("/")}:
        return label or url
    return f"{label} ({url})"


def typed_in(body: dict[str, Any]) -> SlackText:
    """The person's text in a request, decoded: a slash command's text, a message event's text,
    or the text of the message a shortcut acts on. Other requests carry none (modal inputs
    arrive unescaped and are read where they are)."""
    if "command" in body:
        return decode(str(body.get("text") or ""))
    event = body.get("event") or {}
    if body.get("type") == "event_callback" and event.get("type") == "message":
        return decode(str(event.get("text") or ""))
    if body.get("type") == "message_action":
        return decode(str((body.get("message") or {}).get("text") or ""))
    return SlackText("")


def message_link(domain: str, channel_id: str, ts: str) -> str:
    """The permalink Slack gives a message, built from its workspace, channel and ts."""
    return f"https://{domain or 'app'}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
