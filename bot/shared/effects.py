"""Each side effect of a request made once, also when the request is resumed or repeated.

Work cut off after its acknowledgement is resumed (bot.resume): the request is done again from
the start. What it made before it was cut off (a rule, a post, an upload, a DM) is kept under
the request's key and the effect's name (storage.effects), so the request done again finds it
and goes on without making it twice:

    file_id = effects.once("workbook", make=upload, look=find_upload)

- made before (a result kept): not made again, the kept result is returned;
- started before and cut off mid-way (no result kept: the process died during the call, or
  between the call and the record): `look` is asked whether it landed (the channel's history
  since the start), and it is made again only when it did not;
- otherwise it is started, made, and its result kept.

A record that lives in the database is kept in the transaction that writes it instead
(storage.effects.record_made, as `/alert add` keeps its rule).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from storage.columns import utc_now
from storage.effects import EffectKey, effect_made, effect_of, start_effect

log = logging.getLogger(__name__)
HISTORY_LIMIT = 200  # messages looked through for an effect cut off mid-way
CLOCK_SLACK_SECONDS = 60  # Slack's clock and ours may differ a little


@dataclass(frozen=True)
class Effects:
    """The effects of one request. Without a key (a request that cannot be told from a repeat
    of it), every effect is simply made."""

    engine: Engine | None = None
    team_id: str = ""
    request_key: str | None = None
    clock: Callable[[], datetime] = utc_now
    """The app's clock: when an effect was started, for the look at what it made."""
    bot_user_id: str = ""
    """The bot's own user (pinned at start, `Services.bot_user`): a look considers its
    messages only."""

    def key(self, name: str) -> EffectKey | None:
        if self.engine is None or not self.request_key:
            return None
        return EffectKey(self.team_id, self.request_key, name)

    def once(
        self,
        name: str,
        make: Callable[[], str],
        look: Callable[[datetime], str | None] | None = None,
    ) -> str:
        """The result of the effect `name`: made now by `make`, or found made before (kept, or
        found by `look(started_at)` after a try cut off mid-way)."""
        key = self.key(name)
        if key is None or self.engine is None:
            return make()
        kept = effect_of(self.engine, key)
        if kept is not None and kept.result is not None:
            log.info("%s of %s was made before: not made again", name, self.request_key)
            return kept.result
        if kept is not None and look is not None:
            found = look(kept.started_at)
            if found is not None:
                log.info("%s of %s landed before it was cut off: kept", name, self.request_key)
                effect_made(self.engine, key, found)
                return found
        start_effect(self.engine, key, self.clock())
        result = make()
        effect_made(self.engine, key, result)
        return result


NO_EFFECTS = Effects()


def request_mark(effects: Effects, name: str) -> str:
    """Six hex digits that tell this request's effect `name` from another request's (the
    same person's report a minute earlier, say), short enough for a file name; a fresh one
    for a request without a key."""
    seed = f"{effects.request_key}:{name}" if effects.request_key else uuid.uuid4().hex
    return hashlib.sha256(seed.encode()).hexdigest()[:6]


def marked_filename(filename: str, mark: str) -> str:
    """`feedback-2026-12-06.png` marked `3f9a1c`: `feedback-2026-12-06-3f9a1c.png`."""
    stem, dot, extension = filename.rpartition(".")
    return f"{stem}-{mark}.{extension}" if dot and stem else f"{filename}-{mark}"


def upload_once(
    effects: Effects, client: WebClient, name: str, *, channel: str, **upload: Any
) -> str:
    """`files_upload_v2` of one file to `channel`, once for the request; the file's ID. A
    request that can be resumed marks the file's name with its `request_mark`, for the look:
    an earlier request's file of the same name is not taken for this one's."""
    if effects.key(name) is not None and upload.get("filename"):
        upload["filename"] = marked_filename(str(upload["filename"]), request_mark(effects, name))

    def make() -> str:
        answer = client.files_upload_v2(channel=channel, **upload)
        files = answer.get("files") or [answer.get("file") or {}]
        return str(files[0].get("id", "")) or "uploaded"

    def look(since: datetime) -> str | None:
        thread_ts = upload.get("thread_ts")
        for message in _bot_messages(client, effects.bot_user_id, channel, since, thread_ts):
            for file in message.get("files") or []:
                if file.get("name") == upload.get("filename"):
                    return str(file.get("id") or "uploaded")
        return None

    return effects.once(name, make, look)


def post_once(effects: Effects, client: WebClient, name: str, *, channel: str, **post: Any) -> str:
    """`chat_postMessage` to `channel`, once for the request; the message's ts. The message
    carries the request's key and the effect's name in its metadata, for the look."""
    marker = f"{effects.request_key}:{name}"

    def make() -> str:
        metadata = {"event_type": "shopbot_effect", "event_payload": {"effect": marker}}
        answer = client.chat_postMessage(channel=channel, metadata=metadata, **post)
        return str(answer["ts"])

    def look(since: datetime) -> str | None:
        thread_ts = post.get("thread_ts")
        found = _bot_messages(
            client, effects.bot_user_id, channel, since, thread_ts, with_metadata=True
        )
        for message in found:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("effect") == marker:
                return str(message.get("ts"))
        return None

    return effects.once(name, make, look)


def _bot_messages(
    client: WebClient,
    bot_user: str,
    channel: str,
    since: datetime,
    thread_ts: str | None = None,
    *,
    with_metadata: bool = False,
) -> list[dict[str, Any]]:
    """`bot_user`'s messages in `channel` (in the thread `thread_ts`, when given) since `since`;
    none when Slack will not show them (then the effect is made again: a repeat is better
    than nothing at all). A thread's replies are only in conversations.replies: Slack's
    history leaves them out."""
    found: dict[str, Any] = {
        "channel": channel,
        "oldest": f"{since.timestamp() - CLOCK_SLACK_SECONDS:.6f}",
        "limit": HISTORY_LIMIT,
        "include_all_metadata": with_metadata,
    }
    try:
        if thread_ts:
            history = client.conversations_replies(ts=thread_ts, **found)
        else:
            history = client.conversations_history(**found)
    except SlackApiError as error:
        log.warning("could not look in %s: %s", channel, error.response.get("error"))
        return []
    return [m for m in history.get("messages") or [] if m.get("user") == bot_user]
