"""The digest's one message: its text with its charts (one `files_upload_v2`, whose file names
carry the run's marker), or, for a week without data, the note alone (`chat.postMessage` with
the marker in its message metadata). Either way `find_posted` finds it again."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.digest.content import Digest
from bot.shared.delivery.slack import Posted, marked


def post_digest(client: WebClient, channel: str, digest: Digest, marker: str) -> Posted:
    """One call that posts the digest in the channel (no retries: the delivery decides)."""
    if not digest.charts:
        answer = client.chat_postMessage(
            channel=channel, text=digest.text, metadata=marked(marker), unfurl_links=False
        )
        return Posted(str(answer["ts"]))
    answer = client.files_upload_v2(
        channel=channel,
        initial_comment=digest.text,
        file_uploads=[
            {
                "content": chart.png,
                "filename": f"{marker}-{chart.file_name}",
                "title": chart.title,
                "alt_txt": chart.title,
            }
            for chart in digest.charts
        ],
    )
    files = answer.get("files") or []
    return Posted(_share_ts(files, channel), tuple(str(f["id"]) for f in files))


def _share_ts(files: list[dict[str, Any]], channel: str) -> str | None:
    """The message's ts when Slack already lists the share (it often does so only later)."""
    for file in files:
        for shares in (file.get("shares") or {}).values():
            for entry in shares.get(channel) or []:
                if entry.get("ts"):
                    return str(entry["ts"])
    return None
