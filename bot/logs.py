"""Logging set-up with a filter that keeps Slack tokens and secrets out of every log line."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
# Slack token shapes: bot, user, app-level, refresh and legacy workspace tokens.
_TOKEN = re.compile(r"\bx(?:ox[abprse]|app)-[0-9A-Za-z-]+")


class RedactSecrets(logging.Filter):
    """Rewrites a record's message so that tokens and the configured secrets never appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> RedactSecrets:
    """Send logs to stderr through the redaction filter; returns the filter for reuse."""
    redact = RedactSecrets(secrets)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_shopbot", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler._shopbot = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact)
    root.addHandler(handler)
    return redact
