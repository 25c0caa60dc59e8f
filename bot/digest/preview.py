"""A digest written to a folder a person can open: its text as Markdown and its charts."""

from __future__ import annotations

import html
import re
from pathlib import Path

from bot.digest.content import Digest

TEXT_FILE = "digest.md"


def readable(mrkdwn: str) -> str:
    """Slack's mrkdwn as Markdown: entities decoded, *bold* as **bold**, mentions as names."""
    text = re.sub(r"<#([A-Z0-9]+)(?:\|([^>]*))?>", lambda m: f"#{m.group(2) or m.group(1)}", mrkdwn)
    text = re.sub(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", r"**\1**", text)
    return html.unescape(text)


def write_preview(digest: Digest, folder: Path) -> list[Path]:
    """Write `digest.md` and one PNG per chart into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = [folder / chart.file_name for chart in digest.charts]
    for path, chart in zip(charts, digest.charts, strict=True):
        path.write_bytes(chart.png)
    images = "\n".join(
        f"![{c.title}]({p.name})" for c, p in zip(digest.charts, charts, strict=True)
    )
    text = readable(digest.text) + ("\n\n" + images if images else "") + "\n"
    (folder / TEXT_FILE).write_text(text, encoding="utf-8")
    return [folder / TEXT_FILE, *charts]
