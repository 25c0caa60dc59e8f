"""What every App Home section is given: who is looking, what they follow, and the services.

Each feature writes its sections against these (bot/<feature>/home_sections.py) and places
them in its declaration (bot.features: `Feature.home`); the Home (bot.home.tab) shows them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import Block

from bot.services import Services
from bot.shared.commands import SlashCommand
from bot.shared.numbers import NumberStyle, style_of


@dataclass(frozen=True)
class HomeContext:
    services: Services
    team_id: str
    user_id: str
    followed: tuple[str, ...]  # the categories the person follows; empty: all
    categories: tuple[str, ...]  # every category with figures in the workspace
    commands: Sequence[SlashCommand]
    today: date

    @property
    def style(self) -> NumberStyle:
        return style_of(self.services)


Section = Callable[[HomeContext], list[Block]]
"""A part of the Home: a few blocks (at most its share of the 100 a view may hold, whatever
the data's size: long lists are summarised with the command that shows them whole)."""
