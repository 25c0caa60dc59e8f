"""Tags as people write them: `#tags` in a message or a note, and a form's tags field."""

from __future__ import annotations

import re

from bot.shared.language import _
from bot.shared.replies import shown
from storage.errors import UserError
from storage.names import match_key

MAX_TAGS = 10


MAX_TAG = 40


_TAG_WORD = re.compile(r"[\w-]+")


_TAG = re.compile(r"(?<![\w#&])#([\w-]+)")


def tags_in(text: str) -> list[str]:
    """Every `#tag` in the text, case-folded, each once, in order."""
    return checked_tags(_TAG.findall(text))


def checked_tags(words: list[str]) -> list[str]:
    """Case-folded (match keys), each once, in order; UserError for overlong tags or too
    many."""
    tags: list[str] = []
    for word in words:
        tag = match_key(word)
        if len(tag) > MAX_TAG:
            raise UserError(
                _("`#{tag}` is too long for a tag (at most {most}).").format(
                    tag=shown(tag), most=MAX_TAG
                )
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(
            _("That is {count} tags; at most {most}, please.").format(
                count=len(tags), most=MAX_TAGS
            )
        )
    return tags


def parse_tag_field(text: str) -> list[str]:
    """The form's tags field: words separated by spaces or commas, with or without #."""
    words = [w.lstrip("#") for w in re.split(r"[\s,;]+", text.strip()) if w.lstrip("#")]
    bad = [w for w in words if not _TAG_WORD.fullmatch(w)]
    if bad:
        raise UserError(
            _(
                "`{word}` is not a tag: tags are single words such as `samples` or `late-delivery`."
            ).format(word=shown(bad[0]))
        )
    return checked_tags(words)
