"""Reminder DMs (a note's follow-up, an overdue outreach pair) as scheduled posts: each is
claimed as a `ReminderPost` row keyed by (kind, subject, due day) with the message it sends,
then posted through the one delivery life cycle (bot.shared.delivery), so a DM that fails for a
reason that may pass is retried, and one whose worker died is taken over (after a look in the
DM for it) and sent once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient

from bot.services import Services
from bot.shared.delivery import Deliverer, Outbound, worker_name
from bot.shared.delivery.slack import (
    DeliverySlack,
    Posted,
    Rejected,
    SlackRefused,
    Transient,
    marked,
)
from bot.shared.language import Deferred, speaking
from bot.shared.replies import Reply
from bot.shared.speakers import person_speech
from storage.delivery.models import ReminderPost, RunStatus


@dataclass(frozen=True)
class Reminder:
    """One DM to send: what it reminds of (kind and id), for which day, to whom, and what it
    says (`compose`, written when it is claimed, in the language of the person it goes to)."""

    kind: str
    subject_id: int
    due_on: date
    user_id: str
    compose: Callable[[], Reply]


class ReminderDelivery:
    """Claims and sends reminder DMs, and takes over those of workers that vanished."""

    def __init__(
        self, services: Services, client: WebClient | None = None, worker: str | None = None
    ) -> None:
        self.services = services
        self.slack = DeliverySlack(client or services.slack(retries=False), services.bot_user())
        self.delivery = Deliverer(
            services.engine, ReminderPost, self.slack, worker or worker_name(), services.clock
        )

    def claim(self, reminder: Reminder) -> ReminderPost | None:
        """The reminder's post, claimed by this worker; None when it exists (sent, or being
        sent by another worker)."""
        services, client = self.services, self.slack.client
        to = Deferred(
            lambda: person_speech(services, client, services.workspace(), reminder.user_id)
        )
        with speaking(to):
            payload = reminder.compose().payload()
        values = {
            "team_id": self.services.workspace(),
            "kind": reminder.kind,
            "subject_id": reminder.subject_id,
            "due_on": reminder.due_on,
            "user_id": reminder.user_id,
            "text": str(payload["text"])[:3000],
            "blocks": payload["blocks"],
        }
        return self.delivery.claim(("kind", "subject_id", "due_on"), values)

    def send(self, post: ReminderPost) -> bool:
        """One attempt at the DM; True when it was sent (or found sent)."""
        try:
            channel = self.slack.dm_channel(post.user_id)
        except Transient as failure:
            self.delivery.retry_later(post, failure)
            return False
        except (SlackRefused, Rejected) as refusal:  # say, the person left the workspace
            self.delivery.drop(post, refusal.reason)
            return False
        marker = f"shopbot-reminder-{post.id}"

        def send() -> Posted:
            answer = self.slack.client.chat_postMessage(
                channel=channel, text=post.text, blocks=post.blocks, metadata=marked(marker)
            )
            return Posted(str(answer["ts"]))

        return self.delivery.deliver(post, Outbound(channel, marker, send)) == RunStatus.POSTED

    def take_over(self) -> int:
        """Send the reminders whose worker vanished and the retries that are due; how many
        were sent."""
        return sum(self.send(post) for post in self.delivery.take_over(self.services.workspace()))
