"""The bot's own command, `/shopbot`: help for every command, and the bot's status."""

from __future__ import annotations

from bot.features import Feature
from handlers.shopbot.commands import SHOPBOT

FEATURE = Feature("shopbot", commands=(SHOPBOT,))
