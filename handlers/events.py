"""Events handled once, and handled: the app's middleware claims an event when it arrives (a
redelivery of a claimed event is skipped, see storage.events); the listener that does the
event's work marks it finished when that work is done, or gives the claim up when the work
stops before it is done, so that Slack's redelivery does it after all.

    @event_work
    def publish_home(event, client, context, services, who): ...

Every event listener is decorated so; the claim travels in Bolt's context, also to a lazy
listener, so the decorator goes on the function that does the work.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.shared.effects import NO_EFFECTS, Effects
from handlers.answers import services_of, workspace
from storage.events import EventClaim, finish_event, give_up_event, kept

EVENT_CLAIM = "shopbot_event_claim"  # Bolt context key, set by the app's middleware


def effects_of(context: BoltContext) -> Effects:
    """Where the event's work makes each side effect once, keyed by its claim
    (bot.shared.effects)."""
    claim = context.get(EVENT_CLAIM)
    if not isinstance(claim, EventClaim):
        return NO_EFFECTS
    services = services_of(context)
    team_id, bot_user = workspace(context), services.bot_user()
    return Effects(services.engine, team_id, claim.event_id, services.clock, bot_user)


def event_work(listener: Callable[..., None]) -> Callable[..., None]:
    """Mark the event finished when `listener` returns; give its claim up when it raises
    (a crash of the work, not an answered failure: listeners answer those themselves)."""
    if "context" not in inspect.signature(listener).parameters:
        raise TypeError(f"{listener.__qualname__} must take `context`: the claim is in it")

    @functools.wraps(listener)
    def run(*args: Any, **kwargs: Any) -> None:
        context = kwargs["context"]
        assert isinstance(context, BoltContext)
        found = context.get(EVENT_CLAIM)
        claim = found if isinstance(found, EventClaim) else None
        engine = services_of(context).engine
        try:
            with kept(engine, claim):
                listener(*args, **kwargs)
        except BaseException:
            if claim is not None:
                give_up_event(engine, claim)
            raise
        if claim is not None:
            finish_event(engine, claim)

    return run
