"""Reading what people type: creator handles, quick notes with #tags, tag fields, periods
(in the grammar of `bot.kpi.periods`, shared with `/kpi`).

Everything here is pure. Input a user can fix raises `UserError`, whose message is ready for
Slack (user text in it is quoted with `shown`) and whose usages say what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.kpi.periods import (
    DEFAULT_LOCALE,
    Period,
    PeriodError,
    UnknownPeriod,
    parse_period,
    through,
)
from bot.replies import shown
from bot.slack_text import SlackText
from storage.authored import note_of_length
from storage.errors import UserError, usage_on_error
from storage.names import match_key

MAX_TAGS = 10
MAX_CREATORS = 10  # handles at the start of one quick note
MAX_TAG = 40
QUICK_USAGE = "/feedback @handle <note> [#tag …] [follow-up:YYYY-MM-DD]"
FORM_USAGE = "/feedback"
_HANDLE = re.compile(r"[a-z0-9._]{2,24}")
_TAG_WORD = re.compile(r"[\w-]+")
_TAG = re.compile(r"(?<![\w#&])#([\w-]+)")
_TRAILING_TAGS = re.compile(r"(?:(?:^|\s+)#[\w-]+)+\s*$")
_FOLLOW_UP = re.compile(r"(?:^|\s)follow-?up:(?P<day>.*)$", re.IGNORECASE | re.DOTALL)
RECENT_USAGE = "/feedback recent [7d|30d]"
EXPORT_USAGE = "/feedback export [since]"
REPORT_USAGE = "/feedback report [week|month]"


@dataclass(frozen=True)
class QuickNote:
    handles: list[str]  # one or more, in the order typed; case-folded, without the @
    text: str  # as typed, less the trailing #tags
    tags: list[str]
    follow_up_on: date | None = None

    @property
    def handle(self) -> str:
        return self.handles[0]


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


def parse_handle(word: str, usage: str = QUICK_USAGE, typed: SlackText | None = None) -> str:
    """`@Maria.Makes` (or `Maria.Makes`, `@@maria.makes`, `@maria.makes.`) → `maria.makes`;
    UserError for anything TikTok would not accept, and for a person of the workspace that
    Slack marked up as a mention (`<@U…>` in `typed`)."""
    raw = word.strip()
    if typed is not None and typed.user_id(raw):
        raise UserError(
            f"`{shown(raw)}` is a person in this workspace, not a TikTok creator: write the "
            "creator's handle, such as `@maria.makes`.",
            [usage],
        )
    handle = match_key(tidy_handle(raw).lstrip("@"))
    if not handle:
        raise UserError(
            "Put the creator's TikTok handle right after the @, with no space: `@maria.makes`.",
            [usage],
        )
    if not _HANDLE.fullmatch(handle) or handle.endswith("."):
        raise UserError(
            f"`{shown(raw)}` is not a TikTok handle: handles have 2–24 letters, digits, "
            "`_` or `.`, and do not end with a dot.",
            [usage],
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
            raise UserError(f"`#{shown(tag)}` is too long for a tag (at most {MAX_TAG}).")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise UserError(f"That is {len(tags)} tags; at most {MAX_TAGS}, please.")
    return tags


def parse_tag_field(text: str) -> list[str]:
    """The form's tags field: words separated by spaces or commas, with or without #."""
    words = [w.lstrip("#") for w in re.split(r"[\s,;]+", text.strip()) if w.lstrip("#")]
    bad = [w for w in words if not _TAG_WORD.fullmatch(w)]
    if bad:
        raise UserError(
            f"`{shown(bad[0])}` is not a tag: tags are single words such as "
            "`samples` or `late-delivery`."
        )
    return checked_tags(words)


def check_note_text(text: str, usage: str = QUICK_USAGE) -> str:
    if not text.strip():
        raise UserError("The note is empty: write what the creator said.", [usage])
    return note_of_length(text, usage)


def parse_follow_up(text: str, today: date, usage: str) -> tuple[str, date | None]:
    """The text without a trailing `follow-up:YYYY-MM-DD`, and that day (today or later);
    UserError, with `usage`, for what is not a date or is a past one."""
    match = _FOLLOW_UP.search(text)
    if match is None:
        return text, None
    try:
        day = date.fromisoformat(match["day"].strip())
    except ValueError:
        raise UserError(
            f"`{shown(match['day'].strip() or 'nothing')}` is not a date: write the follow-up as "
            "`follow-up:2026-12-15`.",
            [usage],
        ) from None
    if day < today:
        raise UserError(
            f"The follow-up date {day.isoformat()} is in the past: pick today or a later day.",
            [usage],
        )
    return text[: match.start()].rstrip(), day


def parse_quick_note(
    text: str,
    typed: SlackText | None = None,
    known: Callable[[str], bool] | None = None,
    *,
    today: date,
) -> QuickNote:
    """`@handle [@handle …] note text #tag #tag [follow-up:YYYY-MM-DD]` → QuickNote; the
    handles' words come first, the follow-up (read as `/seller note` reads it) last.

    A first word without @ is a handle only when `known(handle)` says the registry has it
    (otherwise it reads as a mistyped subcommand)."""
    words = text.strip().split(maxsplit=1)
    if not words:
        raise UserError("Say which creator the note is about.", [QUICK_USAGE, FORM_USAGE])
    first = words[0]
    if not first.startswith("@"):
        bare = handle_or_none(first)
        if bare is None or known is None or not known(bare):
            raise UserError(
                f"`/feedback` has no `{shown(first)}`.", [QUICK_USAGE, "/feedback help"]
            )
    handles: list[str] = []
    rest = text.strip()
    while rest:
        word = rest.split(maxsplit=1)[0]
        if handles and (not word.startswith("@") or handle_or_none(word) is None):
            break
        if handles and typed is not None and typed.user_id(word):
            break  # a colleague named in the note, not a creator it is about
        handle = parse_handle(word, QUICK_USAGE, typed)
        if len(handles) == MAX_CREATORS:
            raise UserError(f"One note is about at most {MAX_CREATORS} creators.", [QUICK_USAGE])
        if handle not in handles:
            handles.append(handle)
        rest = rest[len(word) :].strip()
    rest, follow_up = parse_follow_up(rest, today, QUICK_USAGE)
    if not rest:
        raise UserError(f"Write the note after `@{handles[-1]}`.", [QUICK_USAGE, FORM_USAGE])
    note = _TRAILING_TAGS.sub("", rest).strip()
    if not note:
        raise UserError("That is only tags: write the note itself before the #tags.", [QUICK_USAGE])
    check_note_text(note)
    return QuickNote(handles=handles, text=note, tags=tags_in(rest), follow_up_on=follow_up)


def _period(text: str, today: date, locale: str) -> Period:
    """The period the words name, in the grammar `/kpi` speaks, up to the latest complete day
    (yesterday: `week` is the calendar week that holds it, `month` its calendar month, as in
    `/kpi`); ValueError for words that are no period (for the caller to say what to type),
    PeriodError for a wrong one."""
    try:
        period = parse_period(text, today, locale)
    except UnknownPeriod:
        raise ValueError(text) from None
    if period.start > today:
        raise PeriodError(f"`{shown(text)}` has not begun yet: notes are in the past.")
    return through(period, today - timedelta(days=1))


def parse_window(
    text: str,
    today: date,
    default: int = 7,
    usage: str = RECENT_USAGE,
    locale: str = DEFAULT_LOCALE,
) -> int:
    """How many days back from now: any period (`7d`, `week`, `today`, `mtd`, `nov`,
    `2026-11-01`) reaches back to its start; `week` and `month` are calendar ones, as in
    `/kpi`."""
    word = match_key(text)
    if not word:
        return default
    with usage_on_error(usage):
        try:
            period = _period(word, today, locale)
        except ValueError:
            raise UserError(f"`{shown(text)}` is not a period: use `7d` or `30d`.") from None
    return max(1, (today - period.start).days + (1 if period.to_date else 0))


def parse_since(
    text: str, today: date, usage: str = EXPORT_USAGE, locale: str = DEFAULT_LOCALE
) -> date | None:
    """The export's start: nothing (everything), or the start of a period (`2026-11-01`,
    `30d`, `last month`, `nov`); `week` and `month` are calendar ones, as in `/kpi`."""
    word = match_key(text)
    if not word or word == "all":
        return None
    with usage_on_error(usage):
        try:
            return _period(word, today, locale).start
        except ValueError:
            raise UserError(
                f"`{shown(text)}` is not a start date: use a date such as `2026-11-01`, a "
                "period such as `last month`, or `30d`."
            ) from None


def parse_report_days(
    text: str, today: date, usage: str = REPORT_USAGE, locale: str = DEFAULT_LOCALE
) -> tuple[date, date]:
    """The report's first and last day: `week` (the default) is the calendar week and
    `month` the calendar month that hold yesterday, up to yesterday, as `/kpi` answers them
    when its data runs to yesterday; `7d`, `30d` the days that end yesterday; any other period
    (`last month`, `nov`, `2026-11-01..2026-11-15`) is itself, up to yesterday (`today` is
    today). Notes and reviews of today are still being written, so yesterday is the latest
    complete day."""
    word = match_key(text) or "week"
    with usage_on_error(usage):
        try:
            period = _period(word, today, locale)
        except ValueError:
            raise UserError(
                f"`{shown(text)}` is not a period: use `week`, `month` or a period such as "
                "`last month`."
            ) from None
    return period.start, period.end


def parse_count(text: str, default: int, maximum: int, usage: str) -> int:
    word = text.strip()
    if not word:
        return default
    if word.isdigit() and 1 <= int(word) <= maximum:
        return int(word)
    raise UserError(f"`{shown(word)}` is not a number from 1 to {maximum}.", [usage])


_MENTIONED = re.compile(r"(?<![<\w@])@([A-Za-z0-9._]{2,24})")


def handles_in(text: str) -> list[str]:
    """TikTok handles written as @handle in a message (not Slack's <@U…> mentions)."""
    found = [handle_or_none(m) for m in _MENTIONED.findall(text)]
    return list(dict.fromkeys(h for h in found if h))


def message_link(domain: str, channel_id: str, ts: str) -> str:
    """The permalink Slack gives a message, built from its workspace, channel and ts."""
    return f"https://{domain or 'app'}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
