"""The feedback buttons, menus, form and message shortcut: edit, delete, restore, follow-up done,
More, the type-ahead over the registry, and saving the form."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.feedback import cards
from bot.feedback.creator_card import ADD_NOTE
from bot.feedback.forms import FormState
from bot.feedback.listings import RESTORE_NOTE, Listing, show
from bot.feedback.note_form import (
    CREATOR_SELECT,
    NOTE_FORM,
    NoteFields,
    creator_options,
    note_form,
    read_note_form,
)
from bot.feedback.parsing import MAX_NOTE, handles_in, message_link
from bot.manifest import SAVE_FEEDBACK_SHORTCUT
from bot.replies import Reply, section
from bot.services import Services
from handlers.interactions import Answer, answer_at, submitted, viewer
from storage import feedback as notes
from storage.creators import find_creator, suggest_creators


def register(app: App, services: Services) -> None:
    tz = services.settings.tz

    def today() -> date:
        return services.today()

    def open_editor(client: WebClient, body: dict[str, Any], note_id: int, replace: bool) -> None:
        who = viewer(services, body)
        note = notes.get_note(services.engine, who.team_id, note_id)
        if note.deleted_at is not None:
            raise notes.NoteNotFound(note_id)
        notes.require_author_or_admin(note.author_user_id, who.user_id, who.is_admin, "edit")
        state = FormState(id=note.id, response_url=body.get("response_url", ""), replace=replace)
        client.views_open(trigger_id=body["trigger_id"], view=note_form(state, NoteFields.of(note)))

    def delete(body: dict[str, Any], note_id: int, replace: bool) -> Answer:
        who = viewer(services, body)
        note = notes.delete_note(
            services.engine,
            who.team_id,
            note_id,
            user_id=who.user_id,
            is_admin=who.is_admin,
            now=services.clock(),
        )
        text = (
            f"🗑 Deleted note {note.id} about *@{note.handle}*. An admin can restore it within "
            f"30 days: `/feedback restore {note.id}`."
        )
        return Answer(Reply(text=text, blocks=[section(text)]), replace=replace)

    @app.action(cards.EDIT_NOTE)
    def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        note_id = int(body["actions"][0]["value"])
        answer_at(
            body["response_url"],
            "edit note",
            body,
            lambda: open_editor(client, body, note_id, replace=True),
        )

    @app.action(cards.DELETE_NOTE)
    def delete_clicked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        note_id = int(body["actions"][0]["value"])
        answer_at(body["response_url"], "delete note", body, lambda: delete(body, note_id, True))

    @app.action(re.compile(rf"^{cards.NOTE_MENU}_\d+$"))
    def menu_chosen(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        choice, _, number = body["actions"][0]["selected_option"]["value"].partition(":")
        note_id = int(number)

        def work() -> Answer | None:
            if choice == "edit":
                open_editor(client, body, note_id, replace=False)
                return None
            return delete(body, note_id, False)

        answer_at(body["response_url"], f"note menu {choice}", body, work)

    @app.action(re.compile(rf"^{RESTORE_NOTE}_\d+$"))
    def restore_clicked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        who = viewer(services, body)
        note_id = int(body["actions"][0]["value"])

        def work() -> Answer:
            note = notes.restore_note(
                services.engine, who.team_id, note_id, is_admin=who.is_admin, now=services.clock()
            )
            title = f"♻️ Restored note {note.id} about *@{note.handle}*."
            return Answer(Reply(text=title, blocks=cards.note_card(title, note, tz, today())))

        answer_at(body["response_url"], "restore note", body, work)

    @app.action(re.compile(rf"^{cards.FOLLOW_UP_DONE}(_\d+)?$"))
    def follow_up_done(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        who = viewer(services, body)
        action = body["actions"][0]

        def work() -> Answer:
            note = notes.complete_follow_up(
                services.engine,
                who.team_id,
                int(action["value"]),
                user_id=who.user_id,
                is_admin=who.is_admin,
                now=services.clock(),
            )
            # The reminder DM becomes "done"; a click in a list adds a line instead.
            in_reminder = action["action_id"] == cards.FOLLOW_UP_DONE
            return Answer(cards.follow_up_done_message(note, tz, today()), replace=in_reminder)

        answer_at(body["response_url"], "follow-up done", body, work)

    @app.action(cards.MORE)
    def more_clicked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value = body["actions"][0]["value"]
        answer_at(
            body["response_url"],
            "more notes",
            body,
            lambda: Answer(show(services, viewer(services, body), Listing.from_value(value))),
        )

    @app.action(ADD_NOTE)
    def add_note_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle = str(body["actions"][0]["value"])

        def work() -> None:
            creator = find_creator(services.engine, viewer(services, body).team_id, handle)
            state = FormState(response_url=body["response_url"])
            name = creator.display_name if creator else ""
            prefill = NoteFields(handle=handle, creator_name=name)
            client.views_open(trigger_id=body["trigger_id"], view=note_form(state, prefill))

        answer_at(body["response_url"], "add note", body, work)

    @app.shortcut(SAVE_FEEDBACK_SHORTCUT)
    def save_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        answer_at(body["response_url"], "save message", body, lambda: open_from(body, client))

    def open_from(body: dict[str, Any], client: WebClient) -> None:
        """The form, prefilled with a message's text, its link, and a creator it names."""
        message = body.get("message") or {}
        text = str(message.get("text", ""))
        team_id = viewer(services, body).team_id
        known = (find_creator(services.engine, team_id, h) for h in handles_in(text))
        creator = next((c for c in known if c is not None), None)
        link = message_link(
            str((body.get("team") or {}).get("domain", "")),
            str((body.get("channel") or {}).get("id", "")),
            str(message.get("ts", "")),
        )
        state = FormState(response_url=body.get("response_url", ""), source_url=link)
        prefill = NoteFields(
            handle=creator.handle if creator else None,
            creator_name=creator.display_name if creator else "",
            text=text[:MAX_NOTE],
        )
        client.views_open(trigger_id=body["trigger_id"], view=note_form(state, prefill))

    @app.options(CREATOR_SELECT)
    def creator_choices(ack: Ack, body: dict[str, Any]) -> None:
        query = str(body.get("value", ""))
        found = suggest_creators(services.engine, viewer(services, body).team_id, query)
        ack(options=creator_options([(c.handle, c.display_name) for c in found], query))

    @app.view(NOTE_FORM)
    def form_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        state = FormState.load(view.get("private_metadata", ""))
        who = viewer(services, body)

        def save() -> Answer | None:
            values = view["state"]["values"]
            if state.id is None:
                fields = read_note_form(values, editing=False, today=today())
                draft = fields.draft(who.team_id, who.user_id, state, f"view:{view['id']}")
                saved = notes.save_note(services.engine, draft, services.clock())
                if not saved.created:
                    return None  # the same submission again (a double click, Slack's retry)
                return Answer(cards.saved_reply(saved, tz, today()))
            before = notes.get_note(services.engine, who.team_id, state.id)
            fields = read_note_form(
                values, editing=True, today=today(), keep_date=before.follow_up_on
            )
            note = notes.edit_note(
                services.engine,
                who.team_id,
                state.id,
                fields.changes(),
                user_id=who.user_id,
                is_admin=who.is_admin,
                now=services.clock(),
            )
            title = f"✏️ Updated note {note.id} about {cards.creator_ref(note)}."
            reply = Reply(text=title, blocks=cards.note_card(title, note, tz, today()))
            return Answer(reply, replace=state.replace)

        submitted(ack, state.response_url, "feedback form", body, save)
