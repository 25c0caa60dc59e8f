"""Every form's submitted values are held to the limits the form itself declares, before any
form's listener reads them (`bot.shared.forms.beyond_declared_limits`)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.shared.forms import beyond_declared_limits

log = logging.getLogger(__name__)


def refuse_values_beyond_the_form(
    context: BoltContext, body: dict[str, Any], next: Any
) -> BoltResponse | None:
    """A view submission whose values the form does not allow gets its field errors back."""
    if body.get("type") == "view_submission":
        errors = beyond_declared_limits(body.get("view") or {})
        if errors:
            log.warning(
                "refused a %s submission by %s: %s",
                (body.get("view") or {}).get("callback_id"),
                context.user_id,
                sorted(errors),
            )
            return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
    next()
    return None
