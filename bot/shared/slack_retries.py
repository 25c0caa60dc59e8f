"""What shopbot retries when Slack answers at a bad moment, for Web API calls and response URLs
alike: a rate limit (after its `Retry-After`), a server error, a connection reset. Each try is
a call Slack did not act on, so retrying never does a thing twice."""

from __future__ import annotations

from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


def slack_retries() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
