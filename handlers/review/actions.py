"""The review form, its seller type-ahead, the message shortcut, and the card's and list's
buttons (Edit, Delete); the list pages with the shared pager (handlers.pages).

Buttons and the shortcut are acknowledged at once and answer at the response URL (or open a
modal) afterwards; the type-ahead and the form answer in the acknowledgement.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.review import service
from bot.review.form import (
    open_review_form,
    prefill_from_message,
    seller_options,
)
from bot.services import Services
from bot.shared.carried import carried_number
from bot.shared.forms import FormState
from bot.shared.slack_text import SlackText
from bot.shared.viewer import Viewer
from handlers.answers import (
    Answer,
    answer_at,
    answer_url,
    carried,
    from_message,
    submitted,
    suggested,
)
from storage.sellers.search import suggest_sellers


def _review_id(value: str) -> int:
    return carried_number(value, "a review", "/review list")


def seller_choices(ack: Ack, options: dict[str, Any], services: Services, who: Viewer) -> None:
    typed = str(options.get("value", ""))
    suggested(
        ack,
        "seller type-ahead",
        who,
        lambda: seller_options(suggest_sellers(services.engine, who.team_id, typed)),
    )


def form_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState.load(view.get("private_metadata", ""))

    def save() -> Answer | None:
        values = view["state"]["values"]
        reply = service.save_submission(services, who, state, values, str(view.get("id", "")))
        return Answer(reply, replace=state.replace) if reply is not None else None

    submitted(ack, body, context, state.response_url, "review form", save)


def save_message(
    shortcut: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
    typed: SlackText,
) -> None:
    """The message shortcut: the form, prefilled with the message's text (as the person wrote
    it), its link, and the stream link and seller it names."""
    state = from_message(shortcut, respond)
    answer_at(
        respond,
        "save message as review",
        who,
        lambda: open_review_form(
            client,
            state,
            shortcut["trigger_id"],
            prefill_from_message(services.engine, who.team_id, typed),
        ),
    )


def edit_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    answer_at(
        respond,
        "edit review",
        who,
        lambda: service.open_editor(
            services,
            client,
            body["trigger_id"],
            who,
            _review_id(carried(action)),
            response_url=answer_url(respond),
            replace=True,
        ),
    )


def delete_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    answer_at(
        respond,
        "delete review",
        who,
        lambda: Answer(service.delete(services, who, _review_id(carried(action))), replace=True),
    )
