"""What every button, menu and modal listener shares: who is asking, and answering them.

A listener's work returns an `Answer` (or None to stay quiet). Input the user can fix becomes a
short ephemeral answer; anything else is logged with a reference and answered with an apology,
as slash commands do.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_sdk.webhook import WebhookClient

from bot.commands import CommandRequest, Runner
from bot.feedback.forms import FormErrors
from bot.feedback.listings import Viewer
from bot.feedback.parsing import InputProblem
from bot.replies import Reply, problem
from bot.services import Services
from handlers.slash import apology
from storage.creators import CreatorNotFound
from storage.feedback import NotAllowed, NoteNotFound

log = logging.getLogger(__name__)
GONE = "That note is gone: it was deleted, or it belongs to another workspace."


@dataclass(frozen=True)
class Answer:
    reply: Reply
    replace: bool = False  # replace the message the click came from, rather than add one


def viewer(services: Services, body: dict[str, Any]) -> Viewer:
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or body.get("team_id", "")
    user_id = str(user.get("id") or body.get("user_id", ""))
    return Viewer(str(team), user_id, services.settings.is_admin(user_id))


def send(response_url: str, answer: Answer) -> None:
    """Post to a response URL (an interaction's, or one a modal carried since it opened)."""
    if not response_url:
        return
    payload = {**answer.reply.payload(), "replace_original": answer.replace}
    result = WebhookClient(response_url, timeout=10).send_dict(payload)
    if result.status_code != 200:
        log.warning("response URL refused the answer: %s %s", result.status_code, result.body)


def guarded(name: str, body: dict[str, Any], work: Callable[[], Answer | None]) -> Answer | None:
    """The work's answer, or the answer to what went wrong in it; FormErrors pass through, for
    the modal to show them on its fields."""
    try:
        return work()
    except FormErrors:
        raise
    except InputProblem as error:
        return Answer(problem(error.message, error.usage))
    except NotAllowed as error:
        return Answer(problem(str(error)))
    except (NoteNotFound, CreatorNotFound):
        return Answer(problem(GONE))
    except Exception as error:
        reference = uuid.uuid4().hex[:8]
        user = (body.get("user") or {}).get("id")
        log.error("%s failed (reference %s, user %s)", name, reference, user, exc_info=error)
        return Answer(apology(reference))


def answer_at(
    response_url: str, name: str, body: dict[str, Any], work: Callable[[], Answer | None]
) -> None:
    """Run the work and post its answer (if any) to `response_url`."""
    answer = guarded(name, body, work)
    if answer is not None:
        send(response_url, answer)


def submitted(
    ack: Ack, response_url: str, name: str, body: dict[str, Any], work: Callable[[], Answer | None]
) -> None:
    """A modal's submission: field problems stay in the modal; otherwise it closes and the
    answer goes to the conversation it was opened from."""
    try:
        answer = guarded(name, body, work)
    except FormErrors as errors:
        ack(response_action="errors", errors=errors.errors)
        return
    ack()
    if answer is not None:
        send(response_url, answer)


def answering(run: Runner) -> Runner:
    """Input the user can fix, and refusals, become a short answer saying what to do."""

    @functools.wraps(run)
    def wrapper(services: Services, request: CommandRequest) -> Reply:
        try:
            return run(services, request)
        except InputProblem as error:
            return problem(error.message, error.usage)
        except NotAllowed as error:
            return problem(str(error))
        except NoteNotFound:
            return problem(
                "There is no such note here (or it was deleted over 30 days ago).",
                ["/feedback deleted"],
            )

    return wrapper
