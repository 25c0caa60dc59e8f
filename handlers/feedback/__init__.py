"""Creator notes: `/feedback`, the note form and its cards' buttons, the save-a-message
shortcut, follow-up reminders; the follow-ups on the Home and the week's notes in the digest."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.features import Feature, MessageShortcut, Placed
from bot.feedback import cards
from bot.feedback.digest_sections import creator_feedback
from bot.feedback.home_sections import follow_ups_section
from bot.feedback.listings import RESTORE_NOTE
from bot.feedback.note_form import CREATOR_SELECT, NOTE_FORM
from bot.feedback.quick_note import SAVE_AS_TYPED, SAVE_SUGGESTED
from bot.feedback.reminders import CREATOR_NOTES
from bot.shared.add_note import ADD_NOTE
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.feedback.actions import (
    add_note_clicked,
    creator_choices,
    delete_clicked,
    edit_clicked,
    follow_up_done,
    form_submitted,
    menu_chosen,
    restore_clicked,
    save_message,
    typo_answered,
)
from handlers.feedback.commands import FEEDBACK

SAVE_AS_FEEDBACK = MessageShortcut(
    "save_creator_feedback",
    name="Save as creator feedback",
    description="Save this message as a note about a TikTok creator",
)


def register(app: App) -> None:
    follow_up = re.compile(rf"^{cards.FOLLOW_UP_DONE}(_\d+)?$")  # in a reminder DM or a list
    app.action(cards.EDIT_NOTE)(ack=acknowledge, lazy=[edit_clicked])
    app.action(cards.DELETE_NOTE)(ack=acknowledge, lazy=[delete_clicked])
    app.action(re.compile(rf"^{cards.NOTE_MENU}_\d+$"))(ack=acknowledge, lazy=[menu_chosen])
    app.action(re.compile(rf"^{RESTORE_NOTE}_\d+$"))(ack=acknowledge, lazy=[restore_clicked])
    app.action(follow_up)(ack=acknowledge, lazy=[follow_up_done])
    app.action(ADD_NOTE)(ack=acknowledge, lazy=[add_note_clicked])
    app.action(SAVE_SUGGESTED)(ack=acknowledge, lazy=[typo_answered])
    app.action(SAVE_AS_TYPED)(ack=acknowledge, lazy=[typo_answered])
    app.shortcut(SAVE_AS_FEEDBACK.callback_id)(ack=acknowledge, lazy=[save_message])
    app.options(CREATOR_SELECT)(creator_choices)
    app.view(NOTE_FORM)(form_submitted)


FEATURE = Feature(
    "feedback",
    commands=(FEEDBACK,),
    shortcuts=(SAVE_AS_FEEDBACK,),
    register=register,
    home=(Placed(30, follow_ups_section),),
    digest=(Placed(60, Section("feedback", creator_feedback)),),
    follow_ups=(CREATOR_NOTES,),
)
