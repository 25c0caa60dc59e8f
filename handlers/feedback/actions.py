"""The feedback buttons, menus, form and message shortcut: edit, delete, restore, follow-up done,
the type-ahead over the registry, and saving the form.

Buttons, menus and the shortcut are acknowledged at once and answer at the response URL (or
open a modal) afterwards; the type-ahead and the form answer in the acknowledgement.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.feedback import cards
from bot.feedback.listings import restored_note
from bot.feedback.note_form import (
    creator_options,
    open_note_form,
    read_note_form,
)
from bot.feedback.quick_note import SAVE_SUGGESTED, save_pending
from bot.services import Services
from bot.shared.carried import carried_choice, carried_number
from bot.shared.forms import FormState
from bot.shared.handles import handles_in
from bot.shared.language import N_, _
from bot.shared.replies import Reply, section
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
from storage.creators.registry import suggest_creators
from storage.feedback import intake as note_intake
from storage.feedback import notes
from storage.feedback.notes import NoteNotFound


def _note_id(value: str) -> int:
    return carried_number(value, N_("a note"), "/feedback mine")


def _open_editor(
    services: Services,
    client: WebClient,
    who: Viewer,
    note_id: int,
    trigger_id: str,
    respond: Respond,
    *,
    replace: bool,
) -> None:
    note = notes.get_note(services.engine, who.team_id, note_id)
    if note.deleted_at is not None:
        raise NoteNotFound(note_id)
    admins = services.settings.admins
    notes.require_author_or_admin(note.author_user_id, who.user_id, admins, "edit")
    state = FormState(id=note.id, response_url=answer_url(respond), replace=replace)
    open_note_form(client, services.engine, state, trigger_id, team_id=who.team_id, note=note)


def _delete(services: Services, who: Viewer, note_id: int, replace: bool) -> Answer:
    note = notes.delete_note(
        services.engine,
        who.team_id,
        note_id,
        **services.changed_by(who.user_id),
    )
    text = "🗑 " + _(
        "Deleted note {number} about *@{handle}*. An admin can restore it within 30 days: "
        "`/feedback restore {number}`."
    ).format(number=note.id, handle=note.handle)
    return Answer(Reply(text=text, blocks=[section(text)]), replace=replace)


def edit_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    def work() -> None:
        note_id = _note_id(carried(action))
        _open_editor(services, client, who, note_id, body["trigger_id"], respond, replace=True)

    answer_at(respond, "edit note", who, work)


def delete_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    answer_at(
        respond,
        "delete note",
        who,
        lambda: _delete(services, who, _note_id(carried(action)), True),
    )


def menu_chosen(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    choice, _colon, number = carried(action).partition(":")

    def work() -> Answer | None:
        if carried_choice(choice, ("edit", "delete"), N_("a note"), "/feedback mine") == "edit":
            note_id = _note_id(number)
            _open_editor(services, client, who, note_id, body["trigger_id"], respond, replace=False)
            return None
        return _delete(services, who, _note_id(number), False)

    answer_at(respond, f"note menu {choice}", who, work)


def restore_clicked(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    answer_at(
        respond,
        "restore note",
        who,
        lambda: Answer(restored_note(services, who, _note_id(carried(action)))),
    )


def follow_up_done(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    def work() -> Answer:
        note = notes.complete_follow_up(
            services.engine,
            who.team_id,
            _note_id(carried(action)),
            **services.changed_by(who.user_id),
        )
        # The reminder DM becomes "done"; a click in a list adds a line instead.
        in_reminder = action["action_id"] == cards.FOLLOW_UP_DONE
        tz, today = services.settings.tz, services.today()
        return Answer(cards.follow_up_done_message(note, tz, today), replace=in_reminder)

    answer_at(respond, "follow-up done", who, work)


def add_note_clicked(
    action: dict[str, Any],
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState(response_url=answer_url(respond))
    handles = [carried(action)]
    answer_at(
        respond,
        "add note",
        who,
        lambda: open_note_form(
            client, services.engine, state, body["trigger_id"], team_id=who.team_id, handles=handles
        ),
    )


def typo_answered(
    action: dict[str, Any], respond: Respond, services: Services, who: Viewer
) -> None:
    """ "Save for @sara.goodfinds" or "Add @sara.goodfind as new": the note is saved once, and
    the question gives way to what was saved."""
    suggested = action["action_id"] == SAVE_SUGGESTED

    def work() -> Answer:
        reply = save_pending(
            services.engine,
            who.team_id,
            who.user_id,
            carried(action),
            suggested,
            services.settings.tz,
            services.clock(),
        )
        return Answer(reply, replace=True)

    answer_at(respond, "quick note typo", who, work)


def save_message(
    shortcut: dict[str, Any],
    respond: Respond,
    client: WebClient,
    services: Services,
    who: Viewer,
    typed: SlackText,
) -> None:
    """The message shortcut: the form, prefilled with the message's text (as the person wrote
    it), its link, and the first creator it names."""
    state = from_message(shortcut, respond)
    # `@name` of a Slack user mention is a colleague, not a TikTok handle.
    handles = [h for h in handles_in(typed.text) if typed.user_id(f"@{h}") is None]
    answer_at(
        respond,
        "save message",
        who,
        lambda: open_note_form(
            client,
            services.engine,
            state,
            shortcut["trigger_id"],
            team_id=who.team_id,
            handles=handles,
            text=typed.text,
        ),
    )


def creator_choices(ack: Ack, options: dict[str, Any], services: Services, who: Viewer) -> None:
    typed = str(options.get("value", ""))
    suggested(ack, "creator type-ahead", who, lambda: _creator_options(services, who, typed))


def _creator_options(services: Services, who: Viewer, typed: str) -> list[dict[str, Any]]:
    found = suggest_creators(services.engine, who.team_id, typed)
    return creator_options([(c.handle, c.display_name) for c in found], typed)


def form_submitted(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    context: BoltContext,
    services: Services,
    who: Viewer,
) -> None:
    state = FormState.load(view.get("private_metadata", ""))
    tz, today = services.settings.tz, services.today()

    def save() -> Answer | None:
        values = view["state"]["values"]
        if state.id is None:
            fields = read_note_form(values, editing=False, today=today)
            draft = fields.draft(who.team_id, who.user_id, state, f"view:{view['id']}")
            kept = note_intake.save_notes(services.engine, [draft], services.clock())
            if kept is None:  # kept while an import writes, saved as soon as it is done
                return Answer(cards.kept_reply([draft.handle]))
            [saved] = kept
            if not saved.created:
                return None  # the same submission again (a double click, Slack's retry)
            return Answer(cards.saved_reply(saved, tz, today))
        before = notes.get_note(services.engine, who.team_id, state.id)
        fields = read_note_form(values, editing=True, today=today, keep_date=before.follow_up_on)
        note = notes.edit_note(
            services.engine,
            who.team_id,
            state.id,
            fields.changes(),
            **services.changed_by(who.user_id),
        )
        updated = _("Updated note {number} about {creator}.")
        title = "✏️ " + updated.format(number=note.id, creator=cards.creator_ref(note))
        reply = Reply(text=title, blocks=cards.note_card(title, note, tz, today))
        return Answer(reply, replace=state.replace)

    submitted(ack, body, context, state.response_url, "feedback form", save)
