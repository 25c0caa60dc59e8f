"""Sellers: `/seller` (cards, the list, notes, gaps), the card's buttons, the seller and note
forms, the save-a-message shortcut, note follow-ups; the follow-ups and gaps on the Home and
the gaps in the digest."""

from __future__ import annotations

from slack_bolt import App

from bot.features import Feature, MessageShortcut, Placed
from bot.sellers.card import ADD_SELLER_NOTE, EDIT_SELLER, SELLER_CHART
from bot.sellers.digest_sections import seller_gaps
from bot.sellers.form import SELLER_FORM
from bot.sellers.home_sections import seller_follow_ups_section, seller_gaps_section
from bot.sellers.note_form import SELLER_NOTE_FORM
from bot.sellers.reminders import SELLER_FOLLOW_UP_DONE, SELLER_NOTES
from bot.sellers.thresholds import GapThresholds
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.sellers.actions import (
    add_note_clicked,
    chart_clicked,
    edit_clicked,
    follow_up_done_clicked,
    note_form_submitted,
    save_message,
    seller_form_submitted,
)
from handlers.sellers.commands import SELLER

SAVE_AS_SELLER_NOTE = MessageShortcut(
    "save_seller_note",
    name="Save as seller note",
    description="Save this message as a record of a contact with a seller",
)


def register(app: App) -> None:
    app.action(ADD_SELLER_NOTE)(ack=acknowledge, lazy=[add_note_clicked])
    app.action(EDIT_SELLER)(ack=acknowledge, lazy=[edit_clicked])
    app.action(SELLER_CHART)(ack=acknowledge, lazy=[chart_clicked])
    app.view(SELLER_FORM)(seller_form_submitted)
    app.view(SELLER_NOTE_FORM)(note_form_submitted)
    app.shortcut(SAVE_AS_SELLER_NOTE.callback_id)(ack=acknowledge, lazy=[save_message])
    app.action(SELLER_FOLLOW_UP_DONE)(ack=acknowledge, lazy=[follow_up_done_clicked])


FEATURE = Feature(
    "sellers",
    commands=(SELLER,),
    shortcuts=(SAVE_AS_SELLER_NOTE,),
    register=register,
    home=(Placed(40, seller_follow_ups_section), Placed(50, seller_gaps_section)),
    digest=(Placed(70, Section("seller-gaps", seller_gaps)),),
    settings=(GapThresholds,),
    follow_ups=(SELLER_NOTES,),
)
