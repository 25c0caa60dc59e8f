"""The creator notes' part of the Home: the person's follow-ups due (placed by the feedback
feature's declaration, handlers/feedback)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.feedback.cards import creator_ref
from bot.shared.follow_ups import follow_up_text
from bot.shared.home_section import HomeContext
from bot.shared.language import _
from bot.shared.numbers import style_of
from bot.shared.replies import divider, escape, section, truncate
from storage.feedback import notes

SHOWN = 8  # follow-ups listed; the rest are counted, with the command that lists them


def follow_ups_section(home: HomeContext) -> list[Block]:
    """The person's creator-note follow-ups due today and overdue."""
    due, total = notes.due_follow_ups(
        home.services.engine, home.team_id, home.user_id, home.today, SHOWN
    )
    if total == 0:
        return [divider(), section(_("*Follow-ups* · nothing due today."))]
    lines = [
        f"• {creator_ref(note)}: {escape(truncate(note.text, 90))} — "
        f"{follow_up_text(note, home.today)}"
        for note in due
    ]
    count = style_of(home.services).count
    more = ""
    if total > len(due):
        rest = _("…and {count} more: `/feedback mine`").format(count=count(total - len(due)))
        more = f"\n_{rest}_"
    due_title = _("*Follow-ups due* ({count})").format(count=count(total))
    return [divider(), section(due_title + "\n" + "\n".join(lines) + more)]
