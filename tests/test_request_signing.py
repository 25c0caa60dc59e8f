"""Requests must carry Slack's signature: unsigned, forged or stale ones are refused unread."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from devkit.offline import OfflineBot
from devkit.sandbox import slack_signature
from storage.models import ProcessedSlackEvent

# Slack's published example (Verifying requests from Slack).
EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
EXAMPLE_TIMESTAMP = 1531420618
EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmi"
    "bIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_slacks_published_example_signs_the_same() -> None:
    assert slack_signature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY) == EXAMPLE_SIGNATURE


def test_bolts_verifier_accepts_slacks_published_example() -> None:
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(EXAMPLE_SECRET, clock=_FixedClock(EXAMPLE_TIMESTAMP + 10))
    assert verifier.is_valid(EXAMPLE_BODY, EXAMPLE_TIMESTAMP, EXAMPLE_SIGNATURE)
    assert not verifier.is_valid(EXAMPLE_BODY + "x", EXAMPLE_TIMESTAMP, EXAMPLE_SIGNATURE)


class _FixedClock:
    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_a_signed_command_gets_its_answer(bot: OfflineBot) -> None:
    response = bot.client.slash_command("/shopbot", "help")
    assert response.status == 200
    assert "/shopbot status" in response.json()["text"]


REFUSALS = {  # computed per test: a timestamp taken at import would age while the suite runs
    "unsigned": lambda: {"signed": False},
    "wrong secret": lambda: {"signing_secret": "0" * 32},
    "six minutes old": lambda: {"timestamp": int(time.time()) - 6 * 60},
    "from the future": lambda: {"timestamp": int(time.time()) + 6 * 60},
}


@pytest.mark.parametrize("how", REFUSALS)
def test_bad_signatures_get_401_and_change_nothing(
    bot: OfflineBot, engine: Engine, how: str
) -> None:
    event = {"type": "app_home_opened", "user": "U0MARIA", "tab": "home", "channel": "D0MARIA"}
    command = bot.client.slash_command("/shopbot", "status", **REFUSALS[how]())
    delivered = bot.client.event(event, event_id="Ev0FORGED1", **REFUSALS[how]())
    assert command.status == 401
    assert delivered.status == 401
    assert "Sellers" not in command.body
    bot.settle()  # a wrongly accepted request would have acted by now
    assert [c.method for c in bot.sandbox.calls() if c.method != "auth.test"] == []
    with Session(engine) as session:
        assert session.exec(select(ProcessedSlackEvent)).all() == []


def test_a_tampered_body_is_refused(bot: OfflineBot) -> None:
    body = bot.client.slash_command_body("/shopbot", "help")
    good = slack_signature(bot.client.signing_secret, int(time.time()), body)
    response = bot.client.post(
        body.replace("help", "status"),
        "application/x-www-form-urlencoded",
        signed=False,
        extra_headers={
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": good,
        },
    )
    assert response.status == 401
