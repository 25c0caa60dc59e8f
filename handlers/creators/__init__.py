"""Creators: `/creator` (cards, levels, onboarding), the card's buttons and form; the week's
level changes in the digest."""

from __future__ import annotations

from slack_bolt import App

from bot.creators.card import ADD_AS_TYPED, EDIT_CREATOR, SHOW_MEANT
from bot.creators.digest_sections import creator_levels
from bot.creators.form import CREATOR_FORM
from bot.creators.levels import ONBOARD_STEP, LevelSettings
from bot.features import Feature, Placed
from bot.shared.digest_section import Section
from handlers.answers import acknowledge
from handlers.creators.commands import (
    CREATOR,
    add_typed_clicked,
    edit_clicked,
    form_submitted,
    meant_clicked,
    onboarding_step_done,
)


def register(app: App) -> None:
    app.action(EDIT_CREATOR)(ack=acknowledge, lazy=[edit_clicked])
    app.action(SHOW_MEANT)(ack=acknowledge, lazy=[meant_clicked])
    app.action(ADD_AS_TYPED)(ack=acknowledge, lazy=[add_typed_clicked])
    app.view(CREATOR_FORM)(form_submitted)
    app.action(ONBOARD_STEP)(ack=acknowledge, lazy=[onboarding_step_done])


FEATURE = Feature(
    "creators",
    commands=(CREATOR,),
    register=register,
    digest=(Placed(90, Section("levels", creator_levels)),),
    settings=(LevelSettings,),
)
