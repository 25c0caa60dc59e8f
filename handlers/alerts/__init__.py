"""KPI alerts: `/alert`, the alert post's buttons, the checks (scheduled, and after an import
that wrote days); the week's alerts on the Home."""

from __future__ import annotations

from slack_bolt import App

from bot.alerts.home_sections import alerts_section
from bot.alerts.jobs import ALERTS, add_alert_purge_job, check_after_import
from bot.alerts.render import ACKNOWLEDGE, MUTE
from bot.features import Feature, Placed
from handlers.alerts.commands import ALERT, acknowledge_clicked, mute_clicked
from handlers.answers import acknowledge


def register(app: App) -> None:
    app.action(ACKNOWLEDGE)(ack=acknowledge, lazy=[acknowledge_clicked])
    app.action(MUTE)(ack=acknowledge, lazy=[mute_clicked])


FEATURE = Feature(
    "alerts",
    commands=(ALERT,),
    register=register,
    jobs=(add_alert_purge_job,),
    scheduled_posts=(ALERTS,),
    home=(Placed(70, alerts_section),),
    after_import=(check_after_import,),
)
