"""TikTok handles as people type them: `@Maria.Makes`, `maria.makes`, `@@maria.makes.`, in
commands, forms and messages; and the registry handle a new one is most likely a typo of.

Pure. Input a user can fix raises `UserError`, with the usage the caller names (the command that
knows what to type instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.shared.language import _, ngettext
from bot.shared.replies import shown
from bot.shared.slack_text import SlackText
from storage.errors import UsageLine, UserError
from storage.names import match_key

_HANDLE = re.compile(r"[a-z0-9._]{2,24}")


# How people write a handle in passing: `@@maria.makes` (an @ too many, or Slack's own @ before
# the one typed), `@maria.makes.` or `@maria.makes:` at the end of a clause.
_EXTRA_ATS = re.compile(r"^@+")
_CLAUSE_END = re.compile(r"[.,:;!?]+$")


def tidy_handle(word: str) -> str:
    """`@@Maria.Makes,` → `@Maria.Makes`: one leading @ (when there was one) and no trailing
    punctuation. Handles never end with a dot, so a trailing dot is the sentence's."""
    raw = word.strip()
    at = "@" if raw.startswith("@") else ""
    return at + _CLAUSE_END.sub("", _EXTRA_ATS.sub("", raw))


def parse_handle(word: str, usage: UsageLine | None = None, typed: SlackText | None = None) -> str:
    """`@Maria.Makes` (or `Maria.Makes`, `@@maria.makes`, `@maria.makes.`) → `maria.makes`;
    UserError for anything TikTok would not accept, and for a person of the workspace that
    Slack marked up as a mention (`<@U…>` in `typed`)."""
    raw = word.strip()
    if typed is not None and typed.user_id(raw):
        raise UserError(
            _(
                "`{typed}` is a person in this workspace, not a TikTok creator: write the "
                "creator's handle, such as `@maria.makes`."
            ).format(typed=shown(raw)),
            _usages(usage),
        )
    handle = match_key(tidy_handle(raw).lstrip("@"))
    if not handle:
        raise UserError(
            _("Put the creator's TikTok handle right after the @, with no space: `@maria.makes`."),
            _usages(usage),
        )
    if not _HANDLE.fullmatch(handle) or handle.endswith("."):
        raise UserError(
            _(
                "`{typed}` is not a TikTok handle: handles have 2–24 letters, digits, `_` or `.`, "
                "and do not end with a dot."
            ).format(typed=shown(raw)),
            _usages(usage),
        )
    return handle


def handle_or_none(word: str) -> str | None:
    """The handle in `word` if it is one (with or without @, tidied), else None."""
    candidate = match_key(tidy_handle(word).lstrip("@"))
    if _HANDLE.fullmatch(candidate) and not candidate.endswith("."):
        return candidate
    return None


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`."""
    previous: list[int] = []
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        before, previous, row = previous, row, [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def near_miss(handle: str, known: Iterable[str]) -> str | None:
    """The registry handle `handle` was most likely meant to be, if it is a typo of one: one
    edit away (two for handles of ten or more characters). Handles under six characters are
    too short to tell a typo from another creator."""
    if len(handle) < 6:
        return None
    limit = 1 if len(handle) < 10 else 2
    best: tuple[int, str] | None = None
    for other in known:
        if other == handle or abs(len(other) - len(handle)) > limit:
            continue
        distance = edit_distance(handle, other)
        if distance <= limit and (best is None or (distance, other) < best):
            best = (distance, other)
    return best[1] if best else None


_MENTIONED = re.compile(r"(?<![<\w@])@([A-Za-z0-9._]{2,24})")


def handles_in(text: str) -> list[str]:
    """TikTok handles written as @handle in a message (not Slack's <@U…> mentions)."""
    found = [handle_or_none(m) for m in _MENTIONED.findall(text)]
    return list(dict.fromkeys(h for h in found if h))


def handles_text(handles: list[str], bold: bool = False) -> str:
    """`@a`, `@a and @b`, `@a, @b and @c` (bold when asked)."""
    marked = [f"*@{h}*" if bold else f"@{h}" for h in handles]
    if len(marked) == 1:
        return marked[0]
    return _("{first} and {last}").format(first=", ".join(marked[:-1]), last=marked[-1])


def did_you_mean(suggestions: dict[str, str]) -> tuple[str, str]:
    """The question's title and sentence for typed handles → the registry handles they likely
    mean: ("Did you mean @sara.goodfinds?", "🤔 *Did you mean …?* @sara.goodfind is not in
    the registry, and looks like a typo of @sara.goodfinds.")."""
    meant = handles_text(list(dict.fromkeys(suggestions.values())))
    typed = handles_text(list(suggestions))
    title = _("Did you mean {handles}?").format(handles=meant)
    not_known = ngettext(
        "{typed} is not in the registry, and looks like a typo of {meant}.",
        "{typed} are not in the registry, and look like a typo of {meant}.",
        len(suggestions),
    ).format(typed=typed, meant=meant)
    return title, f"🤔 *{title}* {not_known}"


def _usages(usage: UsageLine | None) -> list[UsageLine]:
    return [usage] if usage else []
