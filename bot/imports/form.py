"""The import form (`/kpi import`): a modal with a file input, the seller and a dry-run box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.imports.shared_files import ImportRequest, SharedFile
from bot.shared.language import _
from storage.importers.kinds import described_kinds

CALLBACK_ID = "kpi_import"
FILE_BLOCK, SELLER_BLOCK, DRY_RUN_BLOCK = "import_file", "import_seller", "import_dry_run"


def form_hint() -> str:
    """What the form says about the files it takes."""
    return _("Recognised from its columns: {kinds}. I'll DM you the result.").format(
        kinds=described_kinds()
    )


def import_form(channel_id: str) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        private_metadata=channel_id,
        title=_("Import a file"),
        submit=_("Import"),
        close=_("Cancel"),
        blocks=[
            InputBlock(
                block_id=SELLER_BLOCK,
                label=_("Seller (for a one-shop export)"),
                optional=True,
                element=PlainTextInputElement(
                    action_id="seller", max_length=200, placeholder=_("name or seller ID")
                ),
            ),
            InputBlock(
                block_id=DRY_RUN_BLOCK,
                label=_("Check only"),
                optional=True,
                element=CheckboxesElement(
                    action_id="dry_run",
                    options=[Option(value="dry_run", label=_("Check the file, save nothing"))],
                ),
            ),
            ContextBlock(elements=[MarkdownTextObject(text=form_hint())]),
        ],
    ).to_dict()
    # slack_sdk has no class for file_input yet: the block is written as Slack documents it.
    file_input = {
        "type": "input",
        "block_id": FILE_BLOCK,
        "label": {"type": "plain_text", "text": _("CSV or XLSX export")},
        "element": {
            "type": "file_input",
            "action_id": "file",
            "filetypes": ["csv", "xlsx"],
            "max_files": 1,
        },
    }
    view["blocks"].insert(0, file_input)
    return view


@dataclass(frozen=True)
class ImportSubmission:
    file: SharedFile | None
    request: ImportRequest


def read_submission(state: dict[str, Any]) -> ImportSubmission:
    values = state.get("values", {})
    files = values.get(FILE_BLOCK, {}).get("file", {}).get("files") or []
    seller = (values.get(SELLER_BLOCK, {}).get("seller", {}).get("value") or "").strip()
    checked = values.get(DRY_RUN_BLOCK, {}).get("dry_run", {}).get("selected_options") or []
    return ImportSubmission(
        file=SharedFile.from_slack(files[0]) if files else None,
        request=ImportRequest(seller=seller or None, dry_run=bool(checked), kind=None),
    )
