"""The seller card's buttons (add a note, edit, chart), the seller and seller note forms, the
"Save as seller note" message shortcut, and the follow-up reminder's Done button.

Buttons and the shortcut are acknowledged at once and answer at the response URL; a form's
field problems stay in the form.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.sellers.card import build_card, seller_card
from bot.sellers.chart import seller_chart
from bot.sellers.form import open_seller_form, read_seller_form
from bot.sellers.note_form import read_seller_note_form, seller_note_form
from bot.sellers.notes import saved_reply
from bot.sellers.reminders import follow_up_done
from bot.sellers.thresholds import GapThresholds
from bot.services import Services
from bot.shared.carried import carried_number
from bot.shared.forms import FormErrors, FormState, plain
from bot.shared.language import _, translated
from bot.shared.numbers import style_of
from bot.shared.replies import Reply, escape
from bot.shared.slack_text import SlackText
from bot.shared.viewer import Viewer
from handlers.answers import (
    Answer,
    answer_at,
    answer_url,
    carried,
    from_message,
    submitted,
)
from storage.sellers import notes as seller_notes
from storage.sellers.notes import SellerNoteDraft
from storage.sellers.profiles import SellerNameTaken, ShopIdTaken, save_seller, seller_profile
from storage.sellers.registry import SellerRef


def _clicked_id(action: dict[str, Any], what: str = "a seller") -> int:
    return carried_number(carried(action), what, "/seller list")


def add_note_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> None:
        profile = seller_profile(services.engine, who.team_id, _clicked_id(action))
        state = FormState(id=profile.id, response_url=answer_url(respond))
        ref = SellerRef(profile.id, profile.key, profile.name, profile.category, profile.status)
        client.views_open(trigger_id=body["trigger_id"], view=seller_note_form(state, ref))

    answer_at(respond, "add seller note", who, work)


def edit_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> None:
        profile = seller_profile(services.engine, who.team_id, _clicked_id(action))
        url = answer_url(respond)
        open_seller_form(client, body["trigger_id"], url, profile, replace=True)

    answer_at(respond, "edit seller", who, work)


def chart_clicked(
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> Answer:
        png, filename, title = seller_chart(
            services.engine, who.team_id, _clicked_id(action), services.today(), style_of(services)
        )
        channel = str(context.channel_id or "")
        client.files_upload_v2(channel=channel, content=png, filename=filename, title=title)
        shown = escape(title.split(" · ")[0])
        return Answer(Reply(text=_("Posted the 90-day chart of {seller}.").format(seller=shown)))

    answer_at(respond, "seller chart", who, work)


def seller_form_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState.load(view.get("private_metadata", ""))

    def save() -> Answer:
        key = None
        if state.id is not None:
            key = seller_profile(services.engine, who.team_id, state.id).key
        draft = read_seller_form(view["state"]["values"], key=key)
        try:
            saved = save_seller(
                services.engine,
                who.team_id,
                draft,
                changed_by=who.user_id,
                now=services.clock(),
                seller_id=state.id,
            )
        except ShopIdTaken as taken:
            raise FormErrors({"key": plain(translated(taken))}) from None
        except SellerNameTaken as taken:
            raise FormErrors({"name": plain(translated(taken))}) from None
        today = services.today()
        built = build_card(
            services.engine, who.team_id, saved.id, today, services.settings.section(GapThresholds)
        )
        return Answer(seller_card(built, today, style_of(services)), replace=state.replace)

    submitted(ack, body, context, state.response_url, "seller form", save)


def note_form_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState.load(view.get("private_metadata", ""))

    def save() -> Answer:
        today = services.today()
        seller_id, text, tags, follow_up = read_seller_note_form(
            view["state"]["values"], services.engine, who.team_id, state.id, today
        )
        saved = seller_notes.save_seller_note(
            services.engine,
            SellerNoteDraft(
                team_id=who.team_id,
                seller_id=seller_id,
                author_user_id=who.user_id,
                text=text,
                tags=tags,
                follow_up_on=follow_up,
                source_url=state.source_url,
                client_key=f"form:{view.get('id', '')}" if view.get("id") else None,
            ),
            services.clock(),
        )
        return Answer(saved_reply(saved, services.settings.tz, today))

    submitted(ack, body, context, state.response_url, "seller note form", save)


def save_message(
    shortcut: dict[str, Any], respond: Respond, client: WebClient, who: Viewer, typed: SlackText
) -> None:
    """The message shortcut: the note form with the message's text (as the person wrote it)
    and its link."""
    state = from_message(shortcut, respond)
    answer_at(
        respond,
        "save seller note",
        who,
        lambda: _open(client, shortcut["trigger_id"], seller_note_form(state, None, typed.text)),
    )


def _open(client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
    client.views_open(trigger_id=trigger_id, view=view)


def follow_up_done_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    def work() -> Answer:
        note = seller_notes.complete_seller_follow_up(
            services.engine,
            who.team_id,
            _clicked_id(action, "a seller note"),
            **services.changed_by(who.user_id),
        )
        return Answer(follow_up_done(note, services.settings.tz), replace=True)

    answer_at(respond, "seller follow-up done", who, work)
