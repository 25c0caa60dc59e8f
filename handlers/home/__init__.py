"""The App Home: published when opened, after an import that wrote days, and every minute for
the refreshes that waited; its own parts (the category picker, the buttons, the status) and
the buttons' forms."""

from __future__ import annotations

from slack_bolt import App

from bot.features import Feature, Placed
from bot.home.sections import (
    IMPORT_FILE,
    NEW_NOTE,
    NEW_REVIEW,
    PICK_CATEGORIES,
    SUBSCRIBE_CHANNEL,
    buttons_section,
    category_picker,
    status_section,
)
from bot.home.subscribe_form import CALLBACK_ID as SUBSCRIBE_FORM
from bot.home.tab import add_home_jobs, refresh_after_import
from handlers.answers import acknowledge
from handlers.home.listeners import (
    categories_chosen,
    import_clicked,
    new_note_clicked,
    new_review_clicked,
    publish_home,
    subscribe_clicked,
    subscribe_submitted,
)


def register(app: App) -> None:
    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
    app.action(PICK_CATEGORIES)(ack=acknowledge, lazy=[categories_chosen])
    app.action(NEW_NOTE)(ack=acknowledge, lazy=[new_note_clicked])
    app.action(NEW_REVIEW)(ack=acknowledge, lazy=[new_review_clicked])
    app.action(IMPORT_FILE)(ack=acknowledge, lazy=[import_clicked])
    app.action(SUBSCRIBE_CHANNEL)(ack=acknowledge, lazy=[subscribe_clicked])
    app.view(SUBSCRIBE_FORM)(ack=acknowledge, lazy=[subscribe_submitted])


FEATURE = Feature(
    "home",
    register=register,
    jobs=(add_home_jobs,),
    home=(
        Placed(10, category_picker),
        Placed(80, buttons_section),
        Placed(90, status_section),
    ),
    after_import=(refresh_after_import,),
)
