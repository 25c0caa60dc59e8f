"""The Slack calls of every scheduled post, and how their failures are told apart and retried.

Scheduled posts have a Web API client of their own kind, with none of slack_sdk's automatic
retries (`bot.services.slack_client(…, retries=False)`: the app's client retries 5xx and
connection errors by itself, which is right for an answer to a person but wrong for a post that
must not appear twice). Here every failure is classified first:

- HTTP 429: wait `Retry-After`, then call again (Slack did nothing with the request);
- 5xx, timeouts, dropped connections: transient. The post may still have landed (a timed-out
  request can complete after the client gave up), so before calling again the channel is
  searched for the post's marker, after a backoff that gives a late request time to land;
- `channel_not_found`, `not_in_channel`, `is_archived`, `invalid_auth` (and the token's other
  refusals): the subscription needs a person, so they are fatal for the post;
- anything else (say `invalid_blocks`): a bug of ours, not retried, logged.

The marker: each post is one message carrying a marker unique to it, in its message metadata
(`marked`) or in the names of its files, so a later look at the channel's history
(conversations.history) tells whether that post exists: a message of the bot's own user,
pinned at start with the workspace (bot.services.pin_workspace), not asked again.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

METADATA_EVENT = "shopbot_digest"  # the first scheduled post; kept for posts made since
FATAL_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
    }
)
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
HISTORY_PAGES = 2  # 400 messages since the post started; few pages keep a look short
T = TypeVar("T")


class DeliveryError(Exception):
    """A Slack call failed; `reason` is what the run history shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SlackRefused(DeliveryError):
    """Slack refused the channel or the token: a person has to act (`code` says what)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Rejected(DeliveryError):
    """Slack rejected the request itself; calling again would not help."""


class Transient(DeliveryError):
    """Worth another try later: Slack was unavailable, slow or pacing us."""


class LostClaim(DeliveryError):
    """The post was taken over by another worker: this one must not touch it again."""


class RateLimited(Transient):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited (Retry-After {retry_after:g} s)")
        self.retry_after = retry_after


def classify(error: Exception) -> DeliveryError:
    if isinstance(error, DeliveryError):
        return error
    if isinstance(error, SlackApiError):
        response = error.response
        code = str(response.get("error", "") or "")
        status = int(getattr(response, "status_code", 200) or 200)
        if status == 429:
            return RateLimited(_retry_after(getattr(response, "headers", {}) or {}))
        if code in FATAL_ERRORS:
            return SlackRefused(code)
        if status >= 500 or code in TRANSIENT_ERRORS:
            return Transient(f"Slack answered {status} {code}".strip())
        return Rejected(code or f"HTTP {status}")
    if isinstance(error, TimeoutError | socket.timeout):
        return Transient("Slack did not answer in time")
    if isinstance(error, URLError | ConnectionError | http.client.HTTPException):
        return Transient(f"connection failed: {error}")
    if isinstance(error, SlackRequestError):  # an upload URL refused the bytes
        return Transient(str(error)[:200])
    raise error


def _retry_after(headers: dict[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(0.0, float(raw))
            except ValueError:
                break
    return 1.0


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one attempt tries before the post is left for a later check."""

    attempts: int = 3
    backoff_seconds: float = 2.0  # doubled after each failed try
    rate_limit_waits: int = 5
    longest_wait_seconds: float = 120.0  # a Retry-After beyond this is left for a later tick

    def backoff(self, tries: int) -> float:
        return self.backoff_seconds * 2 ** (tries - 1)


@dataclass(frozen=True)
class Posted:
    message_ts: str | None
    file_ids: tuple[str, ...] = ()


Sleep = Callable[[float], None]


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    sleep: Sleep,
    *,
    before: Callable[[], None] | None = None,
    recover: Callable[[], T | None] | None = None,
) -> T:
    """`call()`, waiting out 429s and retrying transient failures with backoff.

    `before` runs before every call (a check that may raise); `recover`, when given, runs after
    each transient failure's backoff and may return the result another way (the post, found in
    the channel) instead of calling again.
    """
    waits = tries = 0
    while True:
        if before is not None:
            before()
        try:
            return call()
        except Exception as error:  # classified here; what is not Slack's is re-raised
            failure = classify(error)
        if isinstance(failure, RateLimited) and waits < policy.rate_limit_waits:
            if failure.retry_after > policy.longest_wait_seconds:
                raise failure
            waits += 1
            sleep(failure.retry_after)  # a 429 is never processed: nothing to look for
            continue
        tries += 1
        if not isinstance(failure, Transient) or (recover is None and tries >= policy.attempts):
            raise failure
        sleep(policy.backoff(tries))  # also gives a late request time to land before a look
        if recover is not None:
            if before is not None:
                before()
            found = recover()
            if found is not None:
                return found
            if tries >= policy.attempts:
                raise failure


class DeliverySlack:
    """The Web API calls scheduled posts make, with the retry policy around them. `client`
    has no automatic retries (`services.slack(retries=False)`); `bot_user_id` is the bot's
    own user (`services.bot_user()`), whose messages a look in a channel considers."""

    def __init__(
        self,
        client: WebClient,
        bot_user_id: str,
        policy: RetryPolicy | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.client = client
        self.bot_user_id = bot_user_id
        self.policy = policy or RetryPolicy()
        self.sleep = sleep or time.sleep

    # ---- the post ------------------------------------------------------------------------

    def deliver(
        self,
        channel: str,
        marker: str,
        since: datetime,
        send: Callable[[], Posted],
        still_ours: Callable[[], bool] | None = None,
    ) -> Posted:
        """`send()` the post once. A transient failure is retried only after the channel was
        searched for the marker (posts since `since`), so a post that landed despite the error
        is found rather than repeated. `still_ours` is asked before every call (it renews the
        post's claim): once another worker has the post, this one stops (LostClaim)."""

        def check() -> None:
            if still_ours is not None and not still_ours():
                raise LostClaim("another worker took the post over")

        return with_retries(
            send,
            self.policy,
            self.sleep,
            before=check,
            recover=lambda: self.find_posted(channel, marker, since),
        )

    def call(self, call: Callable[[], T]) -> T:
        """One Slack call with the retry policy (429s waited out, transient failures retried):
        for calls that change nothing visible, or that the caller makes once by itself."""
        return with_retries(call, self.policy, self.sleep)

    def find_posted(self, channel: str, marker: str, since: datetime) -> Posted | None:
        """The bot's message carrying `marker` posted since `since` (a minute's slack for
        clocks), or None. Refusals are classified like any call's."""
        oldest = f"{since.timestamp() - 60:.6f}"
        cursor: str | None = None

        def page_after(cursor: str | None) -> Any:
            return self.client.conversations_history(
                channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
            )

        for _page in range(HISTORY_PAGES):
            page = with_retries(partial(page_after, cursor), self.policy, self.sleep)
            for message in page.get("messages") or []:
                if _carries(message, marker, self.bot_user_id):
                    files = tuple(str(f.get("id")) for f in message.get("files") or [])
                    return Posted(str(message.get("ts")), files)
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None

    # ---- around the post -----------------------------------------------------------------

    def tell(self, user_id: str, text: str) -> None:
        """A DM from the bot to `user_id`."""
        channel = self.dm_channel(user_id)
        with_retries(
            lambda: self.client.chat_postMessage(channel=channel, text=text, unfurl_links=False),
            self.policy,
            self.sleep,
        )

    def dm_channel(self, user_id: str) -> str:
        opened = with_retries(
            lambda: self.client.conversations_open(users=user_id), self.policy, self.sleep
        )
        return str(opened["channel"]["id"])


def marked(marker: str) -> dict[str, Any]:
    """The message metadata that marks a post as `marker`'s (found again by `find_posted`)."""
    return {"event_type": METADATA_EVENT, "event_payload": {"run": marker}}


def _carries(message: dict[str, Any], marker: str, bot_user_id: str) -> bool:
    if message.get("user") != bot_user_id:
        return False
    payload = (message.get("metadata") or {}).get("event_payload") or {}
    if payload.get("run") == marker:
        return True
    return any(str(f.get("name", "")).startswith(f"{marker}-") for f in message.get("files") or [])
