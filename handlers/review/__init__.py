"""Livestream reviews: `/review`, the scorecard form, the save-a-message shortcut and the
cards' buttons, the monthly report posts; the week's reviews in the digest."""

from __future__ import annotations

from slack_bolt import App

from bot.features import Feature, MessageShortcut, Placed
from bot.review import cards
from bot.review.digest_sections import livestream_reviews
from bot.review.form import REVIEW_FORM, SELLER_SELECT
from bot.review.monthly import MONTHLY_REVIEW_REPORTS, add_review_purge_job
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.review.actions import (
    delete_clicked,
    edit_clicked,
    form_submitted,
    save_message,
    seller_choices,
)
from handlers.review.commands import REVIEW

SAVE_AS_REVIEW = MessageShortcut(
    "save_livestream_review",
    name="Save as livestream review",
    description="Open the livestream review form with this message and a link to it",
)


def register(app: App) -> None:
    app.options(SELLER_SELECT)(seller_choices)
    app.view(REVIEW_FORM)(form_submitted)
    app.shortcut(SAVE_AS_REVIEW.callback_id)(ack=acknowledge, lazy=[save_message])
    app.action(cards.EDIT_REVIEW)(ack=acknowledge, lazy=[edit_clicked])
    app.action(cards.DELETE_REVIEW)(ack=acknowledge, lazy=[delete_clicked])


FEATURE = Feature(
    "review",
    commands=(REVIEW,),
    shortcuts=(SAVE_AS_REVIEW,),
    register=register,
    jobs=(add_review_purge_job,),
    scheduled_posts=(MONTHLY_REVIEW_REPORTS,),
    digest=(Placed(50, Section("reviews", livestream_reviews)),),
)
