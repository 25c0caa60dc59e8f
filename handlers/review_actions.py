"""The review form, its seller type-ahead, the message shortcut, and the card's and list's
buttons (Edit, Delete); the list pages with the shared pager (handlers.pages).

Buttons and the shortcut are acknowledged at once and answer at the response URL (or open a
modal) afterwards; the type-ahead and the form answer in the acknowledgement.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.manifest import SAVE_REVIEW_SHORTCUT
from bot.review import cards, service
from bot.review.form import (
    REVIEW_FORM,
    SELLER_SELECT,
    open_review_form,
    prefill_from_message,
    seller_options,
)
from bot.shared.carried import carried_number
from bot.shared.forms import FormState
from bot.shared.slack_text import message_link
from handlers.answers import (
    Answer,
    acknowledge,
    answer_at,
    carried,
    services_of,
    submitted,
    suggested,
    typed_text,
    viewer,
)
from storage.seller_search import suggest_sellers


def _review_id(value: str) -> int:
    return carried_number(value, "a review", "/review list")


def seller_choices(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    suggested(
        ack,
        body,
        context,
        "seller type-ahead",
        lambda services, who, typed: seller_options(
            suggest_sellers(services.engine, who.team_id, typed)
        ),
    )


def form_submitted(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    services, who = services_of(context), viewer(context)
    state = FormState.load(view.get("private_metadata", ""))

    def save() -> Answer | None:
        values = view["state"]["values"]
        reply = service.save_submission(services, who, state, values, str(view.get("id", "")))
        return Answer(reply, replace=state.replace) if reply is not None else None

    submitted(ack, body, context, state.response_url, "review form", save)


def save_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """The message shortcut: the form, prefilled with the message's text (as the person wrote
    it), its link, and the stream link and seller it names."""
    services, who = services_of(context), viewer(context)
    message = body.get("message") or {}
    link = message_link(
        str((body.get("team") or {}).get("domain", "")),
        str((body.get("channel") or {}).get("id", "")),
        str(message.get("ts", "")),
    )
    state = FormState(response_url=body.get("response_url", ""), source_url=link)
    text = typed_text(context)
    answer_at(
        body.get("response_url", ""),
        "save message as review",
        who,
        lambda: open_review_form(
            client,
            state,
            body["trigger_id"],
            prefill_from_message(services.engine, who.team_id, text),
        ),
    )


def edit_clicked(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    services, who = services_of(context), viewer(context)
    answer_at(
        body["response_url"],
        "edit review",
        who,
        lambda: service.open_editor(
            services,
            client,
            body["trigger_id"],
            who,
            _review_id(carried(body)),
            response_url=body["response_url"],
            replace=True,
        ),
    )


def delete_clicked(body: dict[str, Any], context: BoltContext) -> None:
    services, who = services_of(context), viewer(context)
    answer_at(
        body["response_url"],
        "delete review",
        who,
        lambda: Answer(service.delete(services, who, _review_id(carried(body))), replace=True),
    )


def register(app: App) -> None:
    app.options(SELLER_SELECT)(seller_choices)
    app.view(REVIEW_FORM)(form_submitted)
    app.shortcut(SAVE_REVIEW_SHORTCUT)(ack=acknowledge, lazy=[save_message])
    app.action(cards.EDIT_REVIEW)(ack=acknowledge, lazy=[edit_clicked])
    app.action(cards.DELETE_REVIEW)(ack=acknowledge, lazy=[delete_clicked])
