"""Digests: `/digest` (subscribe, preview, send) and the weekly posts."""

from __future__ import annotations

from bot.digest.jobs import WEEKLY_DIGESTS
from bot.digest.runner import DigestSettings
from bot.features import Feature
from handlers.digest.commands import DIGEST

FEATURE = Feature(
    "digest", commands=(DIGEST,), scheduled_posts=(WEEKLY_DIGESTS,), settings=(DigestSettings,)
)
