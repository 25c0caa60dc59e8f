"""Files people share with the bot (in a DM or in the import form): download, then import.

The bot token goes only to Slack's own file host (or the configured API host, which is the
sandbox offline), never to a URL an event merely names, and only to the host the file's URL
names: a redirect to another host is refused rather than followed (urllib would carry the
Authorization header along). Following it without the token instead would import whatever
that other host serves as if Slack had sent it; a file host that moves a file elsewhere is
not what Slack does, so the person is asked to share the file again.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

from slack_sdk.errors import SlackApiError

from bot.imports.gate import ImportSettings
from bot.imports.run import admit, describe_summary, file_name, import_file, too_large
from bot.services import Services
from bot.shared.language import N_, _, translated
from bot.shared.replies import Reply, escape, section
from storage.errors import UserError
from storage.importers import ImportOptions, ImportRejected, ImportSummary, Upload

log = logging.getLogger(__name__)
SLACK_FILE_HOSTS = ("files.slack.com", "slack-files.com")
IMPORT_HINT = N_(
    "Share a CSV or XLSX export with me in this DM (add `seller:&lt;name&gt;` for a one-shop "
    "export, `dry run` to check without saving)."
)  # mrkdwn, shown with _()


class DownloadRefused(UserError):
    """The file could not be fetched; the message says why."""


@dataclass(frozen=True)
class SharedFile:
    name: str
    url: str
    size: int | None = None

    @staticmethod
    def from_slack(file: dict[str, Any]) -> SharedFile:
        return SharedFile(
            name=str(file.get("name") or file.get("title") or "file"),
            url=str(file.get("url_private_download") or file.get("url_private") or ""),
            size=int(file["size"]) if str(file.get("size", "")).isdigit() else None,
        )


@dataclass(frozen=True)
class ImportRequest:
    seller: str | None
    dry_run: bool
    kind: str | None


def parse_import_words(text: str) -> ImportRequest:
    """`seller:<name>`, `kind:<kind>` and `dry run` in the message that came with the file."""
    seller = re.search(r"seller:\s*(\"[^\"]+\"|“[^”]+”|[^\s].*?)(?=\s+\w+:|\s+dry[ -]run|$)", text)
    kind = re.search(r"kind:\s*([\w-]+)", text)
    return ImportRequest(
        seller=seller.group(1).strip('"“”') if seller else None,
        dry_run=bool(re.search(r"\bdry[ -]?run\b", text, re.IGNORECASE)),
        kind=kind.group(1).lower() if kind else None,
    )


class _RedirectOffHost(Exception):
    """The file host answered with a redirect to another host."""


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the host (scheme, name and port) of the URL asked for, so the
    token never leaves it."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            fp.close()
            raise _RedirectOffHost(urlsplit(newurl).netloc)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


_OPENER = urllib.request.build_opener(_SameHostRedirects)


def _trusted(url: str, api_url: str) -> bool:
    target, api = urlsplit(url), urlsplit(api_url)
    if target.scheme == "https" and target.hostname in SLACK_FILE_HOSTS:
        return True
    return (target.scheme, target.netloc) == (api.scheme, api.netloc)


DOWNLOAD_BLOCK = 1024 * 1024  # bytes read from Slack and written to the spool file at a time


@contextmanager
def downloaded(services: Services, file: SharedFile) -> Iterator[Upload]:
    """The shared file, downloaded into a temporary file that is removed when the block ends:
    a 200 MB export goes to disk a block at a time and is never held in memory whole."""
    settings, limits = services.settings, services.settings.section(ImportSettings)
    limit = limits.max_import_bytes
    if file.size is not None and file.size > limit:
        raise DownloadRefused(too_large(escape(file.name), file.size, limits.max_import_mb))
    if not file.url or not _trusted(file.url, settings.slack_api_url):
        raise DownloadRefused(
            _("I can only read files uploaded to Slack; {file} is not.").format(
                file=escape(file.name)
            )
        )
    request = urllib.request.Request(  # noqa: S310 (the URL is checked above)
        file.url, headers={"Authorization": f"Bearer {settings.slack_bot_token.reveal()}"}
    )
    with tempfile.NamedTemporaryFile(prefix="shopbot-upload-") as spool:
        try:
            with _OPENER.open(request, timeout=60) as response:
                size = _spool(response, spool, limit + 1)
        except _RedirectOffHost as elsewhere:
            log.warning("download of %s refused: redirected to %s", file.name, elsewhere)
            raise DownloadRefused(
                _(
                    "Slack sent {file} on to another address, and I only fetch files from Slack "
                    "itself. Share the file with me again."
                ).format(file=escape(file.name))
            ) from None
        except (urllib.error.URLError, TimeoutError) as error:
            log.warning("download of %s failed: %s", file.name, error)
            raise DownloadRefused(
                _("I couldn't download {file} from Slack; try again.").format(
                    file=escape(file.name)
                )
            ) from None
        if size > limit:
            raise DownloadRefused(
                _("{file} is over the {limit} MB limit.").format(
                    file=escape(file.name), limit=limits.max_import_mb
                )
            )
        spool.flush()
        yield Upload.from_path(spool.name)


def _spool(response: IO[bytes], spool: IO[bytes], most: int) -> int:
    """Copy at most `most` bytes of the response into the spool file; how many were copied."""
    size = 0
    while size < most and (block := response.read(min(DOWNLOAD_BLOCK, most - size))):
        spool.write(block)
        size += len(block)
    return size


@dataclass(frozen=True)
class Imported:
    """The import's answer, and what it wrote (None when it was refused)."""

    reply: Reply
    summary: ImportSummary | None = None


def workspace_member(services: Services) -> Callable[[str], bool]:
    """Whether a Slack user ID is a person of the workspace (users.info; not deleted)."""
    client = services.slack()

    def is_member(user_id: str) -> bool:
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error.response.get("error") in ("user_not_found", "users_not_found"):
                return False
            raise
        return not user.get("deleted") and not user.get("is_bot")

    return is_member


def import_shared_file(
    services: Services,
    team_id: str,
    user_id: str,
    file: SharedFile,
    words: ImportRequest,
    queued: Callable[[], None] = lambda: None,
) -> Imported:
    """Download and import, in its turn among the process's imports and within the memory they
    share (`queued` is called when it has to wait; a file estimated over all of that memory is
    refused before); the reply says what changed or, for a refused file, why.
    A file that cannot be downloaded raises DownloadRefused."""
    try:
        with downloaded(services, file) as upload:
            admitted = admit(services.settings, upload, file_name(file.name), words.kind)
            with services.imports.turn(queued, admitted.memory_mb):
                words = dataclasses.replace(words, kind=admitted.kind)
                return _imported(services, team_id, user_id, file, words, upload)
    except ImportRejected as rejected:
        text = escape(translated(rejected))
        return Imported(Reply(text=text, blocks=[section(f":x: {text}")]))


def _imported(
    services: Services,
    team_id: str,
    user_id: str,
    file: SharedFile,
    words: ImportRequest,
    upload: Upload,
) -> Imported:
    """The import of a downloaded file, in its turn; raises ImportRejected."""
    options = ImportOptions(
        team_id=team_id,
        filename=file.name,
        seller=words.seller,
        user_id=user_id,
        dry_run=words.dry_run,
        locale=services.settings.locale,
        max_bytes=services.settings.section(ImportSettings).max_import_bytes,
        is_member=workspace_member(services),
    )
    summary = import_file(services.engine, services.settings, upload, options, words.kind)
    text = f":white_check_mark: {escape(describe_summary(summary))}"
    return Imported(Reply(text=text, blocks=[section(text)]), summary)
