"""The Slack sandbox, end to end: the real `slack_sdk` clients against it over real HTTP.

Each test asserts on both sides: what the SDK sees (answers, `SlackApiError`, statuses, headers)
and what the sandbox recorded (calls, messages, files, ephemeral messages, views). The last part
unit-tests the pure Block Kit validation. No database needed.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from devkit.sandbox import webapi
from devkit.sandbox.blocks import (
    LIMITS,
    mrkdwn_problems,
    validate_blocks,
    validate_message,
    validate_view,
)
from devkit.sandbox.webapi import SlackSandbox

TS = re.compile(r"^\d{10}\.\d{6}$")


@pytest.fixture
def client(sandbox: SlackSandbox) -> WebClient:
    return WebClient(token=sandbox.bot_token, base_url=sandbox.api_url)


def refused(call: Callable[..., Any], *args: Any, **kwargs: Any) -> SlackApiError:
    """The SlackApiError the SDK raises for `call(*args, **kwargs)`."""
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return info.value


def error_of(call: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    return str(refused(call, *args, **kwargs).response["error"])


def slack_errors(messages: list[str]) -> dict[str, list[str]]:
    """`response_metadata` as Slack words it for these complaints."""
    return {"messages": [f"[ERROR] {m}" for m in messages]}


def dividers(count: int) -> list[dict[str, Any]]:
    return [{"type": "divider"} for _ in range(count)]


def modal(blocks: list[Any], title: str = "KPI snapshot", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "kpi_modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks,
        **extra,
    }


def download(url: str, token: str | None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# ---- auth ---------------------------------------------------------------------------------


def test_auth_test_answers_the_team_the_bot_user_and_the_bot(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    answer = client.auth_test()

    assert answer.status_code == 200
    assert answer["ok"] is True
    assert (answer["team_id"], answer["team"]) == ("T0SANDBOX", "Shopbot Sandbox")
    assert (answer["user_id"], answer["user"], answer["bot_id"]) == (
        "U0SHOPBOT",
        "shopbot",
        "B0SHOPBOT",
    )
    [call] = sandbox.calls("auth.test")
    assert (call.token, call.status, call.ok) == (sandbox.bot_token, 200, True)


def test_a_wrong_token_is_invalid_auth(sandbox: SlackSandbox) -> None:
    client = WebClient(token="xoxb-1-not-the-bot-token", base_url=sandbox.api_url)

    error = refused(client.chat_postMessage, channel="C0KPI", text="hi")

    assert error.response.status_code == 200
    assert error.response.data == {"ok": False, "error": "invalid_auth"}
    assert sandbox.messages["C0KPI"] == []
    [call] = sandbox.calls("chat.postMessage")
    assert (call.token, call.error) == ("xoxb-1-not-the-bot-token", "invalid_auth")


def test_no_token_is_not_authed(sandbox: SlackSandbox) -> None:
    error = refused(WebClient(base_url=sandbox.api_url).auth_test)

    assert error.response.status_code == 200
    assert error.response.data == {"ok": False, "error": "not_authed"}
    assert sandbox.calls("auth.test")[0].token is None


def test_the_token_may_come_as_a_form_field_instead_of_the_header(sandbox: SlackSandbox) -> None:
    client = WebClient(base_url=sandbox.api_url)

    answer = client.api_call("auth.test", params={"token": sandbox.bot_token})

    assert answer["user_id"] == "U0SHOPBOT"
    [call] = sandbox.calls("auth.test")
    assert call.token == sandbox.bot_token
    assert "token" not in call.params


def test_an_unknown_method_is_unknown_method(sandbox: SlackSandbox, client: WebClient) -> None:
    error = refused(client.api_call, "chat.postMessag", json={"channel": "C0KPI", "text": "x"})

    assert error.response.data == {"ok": False, "error": "unknown_method"}
    assert [c.method for c in sandbox.calls()] == ["chat.postMessag"]


# ---- chat.postMessage ---------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["C0GENERAL", "C0KPI"])
def test_post_message_into_a_channel_the_bot_is_in(
    sandbox: SlackSandbox, client: WebClient, channel: str
) -> None:
    answer = client.chat_postMessage(channel=channel, text="GMV is up 12%")

    assert answer["channel"] == channel
    assert TS.match(answer["ts"])
    assert sandbox.messages[channel] == [
        {
            "type": "message",
            "user": "U0SHOPBOT",
            "bot_id": "B0SHOPBOT",
            "text": "GMV is up 12%",
            "blocks": [],
            "ts": answer["ts"],
        }
    ]
    assert answer["message"] == sandbox.messages[channel][0]


def test_post_message_stores_sdk_blocks_as_slack_receives_them(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    blocks: list[Block] = [
        HeaderBlock(text="Weekly KPIs"),
        SectionBlock(text=MarkdownTextObject(text="*GMV* 12,400 EUR"), block_id="gmv"),
        DividerBlock(),
    ]

    answer = client.chat_postMessage(channel="C0KPI", text="Weekly KPIs", blocks=blocks)

    [stored] = sandbox.messages["C0KPI"]
    assert stored["blocks"] == [b.to_dict() for b in blocks]
    assert stored["ts"] == answer["ts"]


def test_post_message_in_a_thread_keeps_thread_ts(sandbox: SlackSandbox, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0KPI", text="Daily report")

    reply = client.chat_postMessage(channel="C0KPI", text="details", thread_ts=parent["ts"])

    assert [m.get("thread_ts") for m in sandbox.messages["C0KPI"]] == [None, parent["ts"]]
    assert reply["ts"] != parent["ts"]


def test_history_leaves_thread_replies_out_and_replies_gives_the_thread(
    client: WebClient,
) -> None:
    """As Slack does: conversations.history shows a thread's parent and the replies also sent
    to the channel; conversations.replies shows the parent then its replies, oldest first."""
    parent = client.chat_postMessage(channel="C0KPI", text="Daily report")["ts"]
    metadata = {"event_type": "shopbot_effect", "event_payload": {"effect": "k:answer"}}
    client.chat_postMessage(channel="C0KPI", text="details", thread_ts=parent, metadata=metadata)
    client.chat_postMessage(channel="C0KPI", text="also", thread_ts=parent, reply_broadcast=True)

    history = client.conversations_history(channel="C0KPI")
    assert [m["text"] for m in history["messages"]] == ["also", "Daily report"]
    thread = client.conversations_replies(channel="C0KPI", ts=parent, include_all_metadata=True)
    assert [m["text"] for m in thread["messages"]] == ["Daily report", "details", "also"]
    assert thread["messages"][1]["metadata"] == metadata
    assert thread["has_more"] is False
    bare = client.conversations_replies(channel="C0KPI", ts=parent)
    assert "metadata" not in bare["messages"][1]
    assert error_of(client.conversations_replies, channel="C0KPI", ts="1.000001") == (
        "thread_not_found"
    )


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("C0NOSUCH", "channel_not_found"),
        ("U0NOBODY", "channel_not_found"),
        ("C0RANDOM", "not_in_channel"),
        ("C0OLD", "is_archived"),
    ],
)
def test_post_message_refusals(
    sandbox: SlackSandbox, client: WebClient, channel: str, error: str
) -> None:
    refusal = refused(client.chat_postMessage, channel=channel, text="hello")

    assert refusal.response.status_code == 200
    assert refusal.response.data == {"ok": False, "error": error}
    assert sum(len(messages) for messages in sandbox.messages.values()) == 0
    [call] = sandbox.calls("chat.postMessage")
    assert (call.params["channel"], call.error) == (channel, error)


def test_post_message_to_a_user_id_opens_the_dm(sandbox: SlackSandbox, client: WebClient) -> None:
    assert "D0MARIA" not in sandbox.channels

    answer = client.chat_postMessage(channel="U0MARIA", text="Your report is ready")

    assert answer["channel"] == "D0MARIA"
    dm = sandbox.channels["D0MARIA"]
    assert dm.is_im and dm.members == {"U0MARIA", "U0SHOPBOT"}
    assert [m["text"] for m in sandbox.messages["D0MARIA"]] == ["Your report is ready"]
    assert client.conversations_open(users="U0MARIA")["channel"]["id"] == "D0MARIA"


def test_post_message_accepts_the_extra_parameters_callers_send(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    metadata = {"event_type": "kpi_snapshot", "event_payload": {"shop": "lifestyle"}}

    client.chat_postMessage(
        channel="C0KPI",
        text="KPIs",
        team_id="T0SANDBOX",
        unfurl_links=False,
        unfurl_media=False,
        mrkdwn=True,
        metadata=metadata,
        username="ignored",
    )

    [call] = sandbox.calls("chat.postMessage")
    assert call.ok
    assert call.params["metadata"] == metadata
    assert (call.params["unfurl_links"], call.params["team_id"]) == (False, "T0SANDBOX")
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["KPIs"]


@pytest.mark.parametrize("body", ["data", "params"])
def test_post_message_as_a_form_body_with_blocks_as_a_json_string(
    sandbox: SlackSandbox, client: WebClient, body: str
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*GMV* up"}}]
    fields = {
        "channel": "C0KPI",
        "text": "GMV up",
        "blocks": json.dumps(blocks),
        "metadata": json.dumps({"event_type": "kpi", "event_payload": {}}),
        "unfurl_links": "false",
    }

    if body == "data":
        answer = client.api_call("chat.postMessage", data=fields)
    else:
        answer = client.api_call("chat.postMessage", params=fields)

    assert answer["ok"] is True
    [stored] = sandbox.messages["C0KPI"]
    assert (stored["text"], stored["blocks"]) == ("GMV up", blocks)
    [call] = sandbox.calls("chat.postMessage")
    assert call.params["metadata"] == {"event_type": "kpi", "event_payload": {}}
    assert call.params["unfurl_links"] == "false"


def test_blocks_that_are_not_json_are_invalid_blocks_format(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    fields = {"channel": "C0KPI", "text": "x", "blocks": "[{not json"}

    error = refused(client.api_call, "chat.postMessage", data=fields)

    assert error.response.data == {"ok": False, "error": "invalid_blocks_format"}
    assert sandbox.messages["C0KPI"] == []


@pytest.mark.parametrize(
    "body",
    [{"channel": "C0KPI"}, {"channel": "C0KPI", "text": "", "blocks": []}],
    ids=["nothing", "empty"],
)
def test_a_message_without_text_or_blocks_is_no_text(
    sandbox: SlackSandbox, client: WebClient, body: dict[str, Any]
) -> None:
    error = refused(client.api_call, "chat.postMessage", json=body)

    assert error.response.data == {"ok": False, "error": "no_text"}
    assert sandbox.messages["C0KPI"] == []


def test_text_over_40000_characters_is_msg_too_long(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    client.chat_postMessage(channel="C0KPI", text="x" * 40_000)

    assert error_of(client.chat_postMessage, channel="C0KPI", text="x" * 40_001) == "msg_too_long"
    assert len(sandbox.messages["C0KPI"]) == 1


# ---- Block Kit limits over the wire -------------------------------------------------------

# Each limit at its edge, built with the SDK's own classes: Slack takes all of them.
ACCEPTED_MESSAGE_BLOCKS: dict[str, list[Block]] = {
    "50 blocks": [DividerBlock() for _ in range(50)],
    "section text of 3000": [SectionBlock(text=MarkdownTextObject(text="s" * 3000))],
    "fields item of 2000": [
        SectionBlock(fields=[MarkdownTextObject(text="*GMV*"), MarkdownTextObject(text="f" * 2000)])
    ],
    "header of 150": [HeaderBlock(text="h" * 150)],
    "image with alt_text": [ImageBlock(image_url="https://example.com/gmv.png", alt_text="GMV")],
    "button text of 75": [
        ActionsBlock(elements=[ButtonElement(text="b" * 75, action_id="refresh", value="1")])
    ],
    "distinct block_ids": [
        SectionBlock(text=MarkdownTextObject(text="GMV"), block_id="gmv"),
        SectionBlock(text=MarkdownTextObject(text="Orders"), block_id="orders"),
    ],
}

# One past each limit, as dicts (the SDK itself refuses to build several of them); with the
# complaint Slack sends back, json-pointer and all.
REFUSED_MESSAGE_BLOCKS: dict[str, tuple[list[Any], str]] = {
    "51 blocks": (dividers(51), "no more than 50 items allowed [json-pointer:/blocks]"),
    "section text of 3001": (
        [{"type": "divider"}, {"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}],
        "must be less than 3001 characters [json-pointer:/blocks/1/text/text]",
    ),
    "fields item of 2001": (
        [
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": "*GMV*"},
                    {"type": "mrkdwn", "text": "f" * 2001},
                ],
            }
        ],
        "must be less than 2001 characters [json-pointer:/blocks/0/fields/1/text]",
    ),
    "header of 151": (
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
    ),
    "image without alt_text": (
        [{"type": "divider"}, {"type": "image", "image_url": "https://example.com/gmv.png"}],
        "missing required field: alt_text [json-pointer:/blocks/1]",
    ),
    "button text of 76": (
        [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "refresh",
                        "text": {"type": "plain_text", "text": "b" * 76},
                    }
                ],
            }
        ],
        "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ),
    "duplicate block_ids": (
        [
            {"type": "section", "block_id": "gmv", "text": {"type": "mrkdwn", "text": "GMV"}},
            {"type": "divider", "block_id": "gmv"},
        ],
        "block_id 'gmv' already exists [json-pointer:/blocks/1/block_id]",
    ),
}


@pytest.mark.parametrize("case", ACCEPTED_MESSAGE_BLOCKS)
def test_blocks_at_the_limit_are_posted(
    sandbox: SlackSandbox, client: WebClient, case: str
) -> None:
    blocks = ACCEPTED_MESSAGE_BLOCKS[case]

    client.chat_postMessage(channel="C0KPI", text=case, blocks=blocks)

    [stored] = sandbox.messages["C0KPI"]
    assert stored["blocks"] == [b.to_dict() for b in blocks]


@pytest.mark.parametrize("case", REFUSED_MESSAGE_BLOCKS)
def test_blocks_past_the_limit_are_invalid_blocks(
    sandbox: SlackSandbox, client: WebClient, case: str
) -> None:
    blocks, complaint = REFUSED_MESSAGE_BLOCKS[case]

    error = refused(client.chat_postMessage, channel="C0KPI", text=case, blocks=blocks)

    assert error.response.status_code == 200
    assert error.response.data == {
        "ok": False,
        "error": "invalid_blocks",
        "errors": [complaint],
        "response_metadata": slack_errors([complaint]),
    }
    assert sandbox.messages["C0KPI"] == []


def test_invalid_blocks_lists_every_complaint(sandbox: SlackSandbox, client: WebClient) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        {"type": "image", "image_url": "https://example.com/a.png"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}},
    ]

    error = refused(client.chat_postMessage, channel="C0KPI", text="x", blocks=blocks)

    assert error.response["errors"] == [
        "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        "missing required field: alt_text [json-pointer:/blocks/1]",
        "must be less than 3001 characters [json-pointer:/blocks/2/text/text]",
    ]


# ---- chat.update, chat.delete, chat.postEphemeral -----------------------------------------


def test_chat_update_changes_the_stored_message(sandbox: SlackSandbox, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0KPI", text="Computing KPIs…")
    blocks = [SectionBlock(text=MarkdownTextObject(text="*GMV* 12,400 EUR"))]

    answer = client.chat_update(channel="C0KPI", ts=posted["ts"], text="KPIs", blocks=blocks)

    assert (answer["channel"], answer["ts"], answer["text"]) == ("C0KPI", posted["ts"], "KPIs")
    [stored] = sandbox.messages["C0KPI"]
    assert stored["ts"] == posted["ts"]
    assert (stored["text"], stored["blocks"], stored["edited"]) == (
        "KPIs",
        [blocks[0].to_dict()],
        True,
    )


def test_chat_update_with_invalid_blocks_leaves_the_message_alone(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="C0KPI", text="before")

    error = refused(
        client.chat_update, channel="C0KPI", ts=posted["ts"], text="after", blocks=dividers(51)
    )

    assert error.response["error"] == "invalid_blocks"
    [stored] = sandbox.messages["C0KPI"]
    assert (stored["text"], stored["blocks"], "edited" in stored) == ("before", [], False)


def test_chat_delete_removes_the_stored_message(sandbox: SlackSandbox, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0KPI", text="first")
    second = client.chat_postMessage(channel="C0KPI", text="second")

    answer = client.chat_delete(channel="C0KPI", ts=first["ts"])

    assert (answer["channel"], answer["ts"]) == ("C0KPI", first["ts"])
    assert [m["ts"] for m in sandbox.messages["C0KPI"]] == [second["ts"]]
    assert error_of(client.chat_delete, channel="C0KPI", ts=first["ts"]) == "message_not_found"


def test_a_wrong_ts_is_message_not_found(sandbox: SlackSandbox, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0KPI", text="hello")

    assert error_of(client.chat_update, channel="C0KPI", ts="1.000001", text="x") == (
        "message_not_found"
    )
    assert error_of(client.chat_delete, channel="C0GENERAL", ts=posted["ts"]) == (
        "message_not_found"
    )
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["hello"]


def test_post_ephemeral_reaches_only_that_user(sandbox: SlackSandbox, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C0KPI", user="U0TOM", text="Only you see this")

    assert TS.match(answer["message_ts"])
    assert sandbox.ephemeral == [
        {
            "channel": "C0KPI",
            "to": "U0TOM",
            "ts": answer["message_ts"],
            "text": "Only you see this",
            "blocks": [],
        }
    ]
    assert sandbox.messages["C0KPI"] == []


def test_post_ephemeral_to_a_user_outside_the_channel_is_user_not_in_channel(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    sandbox.add_user("U0NEWBIE", "newbie", "Nina Newbie")

    error = refused(client.chat_postEphemeral, channel="C0KPI", user="U0NEWBIE", text="hi")

    assert error.response.data == {"ok": False, "error": "user_not_in_channel"}
    assert sandbox.ephemeral == []


# ---- views --------------------------------------------------------------------------------


def test_views_open_stores_the_modal(sandbox: SlackSandbox, client: WebClient) -> None:
    view = View(
        type="modal",
        callback_id="kpi_modal",
        title=PlainTextObject(text="t" * 24),
        close=PlainTextObject(text="Close"),
        blocks=[SectionBlock(text=MarkdownTextObject(text="Pick a shop"))],
        private_metadata='{"channel": "C0KPI"}',
    )

    answer = client.views_open(trigger_id=sandbox.new_trigger_id(), view=view)

    opened = answer["view"]
    assert re.match(r"^V\d{8}$", opened["id"])
    assert sandbox.views[opened["id"]] == opened
    assert (opened["team_id"], opened["callback_id"], opened["title"]["text"]) == (
        "T0SANDBOX",
        "kpi_modal",
        "t" * 24,
    )
    assert opened["blocks"] == [view.blocks[0].to_dict()]
    assert opened["private_metadata"] == '{"channel": "C0KPI"}'
    assert opened["state"] == {"values": {}}
    assert opened["hash"]


def test_views_open_with_an_unknown_trigger_is_invalid_trigger_id(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    error = refused(client.views_open, trigger_id="12345.98765.abcd2358fdea", view=modal([]))

    assert error.response.data == {"ok": False, "error": "invalid_trigger_id"}
    assert sandbox.views == {}


def test_a_trigger_opens_one_modal_only(sandbox: SlackSandbox, client: WebClient) -> None:
    trigger_id = sandbox.new_trigger_id()
    client.views_open(trigger_id=trigger_id, view=modal(dividers(1)))

    error = refused(client.views_open, trigger_id=trigger_id, view=modal(dividers(1)))

    # Slack's documented answer for a trigger that was already used.
    assert error.response.data == {"ok": False, "error": "exchanged_trigger_id"}
    assert len(sandbox.views) == 1


def test_an_expired_trigger_is_expired_trigger_id(
    sandbox: SlackSandbox, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webapi, "TRIGGER_TTL_SECONDS", 0.0)
    trigger_id = sandbox.new_trigger_id()
    time.sleep(0.01)

    error = refused(client.views_open, trigger_id=trigger_id, view=modal(dividers(1)))

    assert error.response.data == {"ok": False, "error": "expired_trigger_id"}
    assert sandbox.views == {}


def test_a_modal_title_over_24_characters_is_invalid_arguments(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    error = refused(
        client.views_open,
        trigger_id=sandbox.new_trigger_id(),
        view=modal(dividers(1), title="t" * 25),
    )

    complaint = "must be less than 25 characters [json-pointer:/view/title/text]"
    assert error.response.data == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": slack_errors([complaint]),
    }
    assert sandbox.views == {}


def test_views_open_takes_100_blocks_and_refuses_101(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    full = View(
        type="modal",
        title=PlainTextObject(text="Shops"),
        blocks=[DividerBlock() for _ in range(100)],
    )
    opened = client.views_open(trigger_id=sandbox.new_trigger_id(), view=full)["view"]
    assert len(sandbox.views[opened["id"]]["blocks"]) == 100

    error = refused(
        client.views_open, trigger_id=sandbox.new_trigger_id(), view=modal(dividers(101))
    )

    # views.* answer invalid_arguments (not invalid_blocks) with pointers under /view.
    complaint = "no more than 100 items allowed [json-pointer:/view/blocks]"
    assert error.response.data == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": slack_errors([complaint]),
    }
    assert list(sandbox.views) == [opened["id"]]


def test_block_complaints_in_a_view_point_under_view(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    blocks = [
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}},
        {"type": "image", "image_url": "https://example.com/a.png"},
    ]

    error = refused(client.views_open, trigger_id=sandbox.new_trigger_id(), view=modal(blocks))

    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"] == slack_errors(
        [
            "must be less than 3001 characters [json-pointer:/view/blocks/1/text/text]",
            "missing required field: alt_text [json-pointer:/view/blocks/2]",
        ]
    )


def test_views_update_by_view_id_replaces_the_view(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    opened = client.views_open(trigger_id=sandbox.new_trigger_id(), view=modal(dividers(1)))
    view_id = opened["view"]["id"]
    new_blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Done: *GMV* 12,400"}}]

    answer = client.views_update(view_id=view_id, view=modal(new_blocks, title="Done"))

    assert answer["view"]["id"] == view_id
    assert answer["view"]["hash"] != opened["view"]["hash"]
    assert list(sandbox.views) == [view_id]
    assert sandbox.views[view_id]["title"]["text"] == "Done"
    assert sandbox.views[view_id]["blocks"] == new_blocks


def test_views_update_refusals(sandbox: SlackSandbox, client: WebClient) -> None:
    opened = client.views_open(trigger_id=sandbox.new_trigger_id(), view=modal(dividers(1)))
    view_id = opened["view"]["id"]

    unknown = error_of(client.views_update, view_id="V99999999", view=modal(dividers(1)))
    stale = error_of(client.views_update, view_id=view_id, hash="stale", view=modal(dividers(2)))
    too_big = error_of(client.views_update, view_id=view_id, view=modal(dividers(101)))

    assert (unknown, stale, too_big) == ("not_found", "hash_conflict", "invalid_arguments")
    assert sandbox.views[view_id]["blocks"] == dividers(1)


def test_views_update_by_external_id(sandbox: SlackSandbox, client: WebClient) -> None:
    view = modal(dividers(1), external_id="kpi-U0MARIA")
    view_id = client.views_open(trigger_id=sandbox.new_trigger_id(), view=view)["view"]["id"]

    answer = client.views_update(external_id="kpi-U0MARIA", view=modal(dividers(3)))

    assert answer["view"]["id"] == view_id
    assert len(sandbox.views[view_id]["blocks"]) == 3


def test_views_publish_stores_the_users_home_view(sandbox: SlackSandbox, client: WebClient) -> None:
    home = View(type="home", blocks=[HeaderBlock(text="Shopbot"), DividerBlock()])

    answer = client.views_publish(user_id="U0MARIA", view=home)

    assert sandbox.home_views["U0MARIA"] == answer["view"]
    assert sandbox.home_views["U0MARIA"]["type"] == "home"
    assert sandbox.home_views["U0MARIA"]["blocks"] == [b.to_dict() for b in home.blocks]
    assert "U0TOM" not in sandbox.home_views

    client.views_publish(user_id="U0MARIA", view={"type": "home", "blocks": dividers(3)})

    assert sandbox.home_views["U0MARIA"]["blocks"] == dividers(3)


def test_views_publish_takes_100_blocks_and_refuses_101(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    client.views_publish(user_id="U0TOM", view=View(type="home", blocks=[DividerBlock()] * 100))

    error = refused(
        client.views_publish, user_id="U0TOM", view={"type": "home", "blocks": dividers(101)}
    )

    assert error.response.data == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": slack_errors(
            ["no more than 100 items allowed [json-pointer:/view/blocks]"]
        ),
    }
    assert len(sandbox.home_views["U0TOM"]["blocks"]) == 100


def test_views_publish_for_an_unknown_user_is_user_not_found(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    error = refused(
        client.views_publish, user_id="U0NOBODY", view={"type": "home", "blocks": dividers(1)}
    )

    assert error.response["error"] == "user_not_found"
    assert sandbox.home_views == {}


# ---- faults: rate limits, errors, slowness ------------------------------------------------


def test_a_rate_limit_is_http_429_with_retry_after(sandbox: SlackSandbox) -> None:
    client = WebClient(token=sandbox.bot_token, base_url=sandbox.api_url, retry_handlers=[])
    sandbox.rate_limit("chat.postMessage", retry_after=1)

    error = refused(client.chat_postMessage, channel="C0KPI", text="hi")

    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "1"
    assert error.response.data == {"ok": False, "error": "ratelimited"}
    assert sandbox.messages["C0KPI"] == []

    client.chat_postMessage(channel="C0KPI", text="hi")  # the limit was for one call

    assert [(c.status, c.error) for c in sandbox.calls("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]
    assert len(sandbox.messages["C0KPI"]) == 1


def test_the_sdk_retry_handler_waits_retry_after_and_succeeds(sandbox: SlackSandbox) -> None:
    client = WebClient(
        token=sandbox.bot_token,
        base_url=sandbox.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    sandbox.rate_limit("chat.postMessage", retry_after=1)

    started = time.monotonic()
    answer = client.chat_postMessage(channel="C0KPI", text="after the wait")
    elapsed = time.monotonic() - started

    assert answer["ok"] is True
    assert elapsed >= 1.0
    first, second = sandbox.calls("chat.postMessage")
    assert (first.status, first.error, second.status, second.ok) == (429, "ratelimited", 200, True)
    assert second.at - first.at >= 1.0
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["after the wait"]


def test_a_rate_limit_can_last_several_calls(sandbox: SlackSandbox) -> None:
    client = WebClient(token=sandbox.bot_token, base_url=sandbox.api_url, retry_handlers=[])
    sandbox.rate_limit("users.info", times=2, retry_after=30)

    for _ in range(2):
        error = refused(client.users_info, user="U0MARIA")
        assert (error.response.status_code, error.response.headers["Retry-After"]) == (429, "30")

    assert client.users_info(user="U0MARIA")["user"]["id"] == "U0MARIA"
    assert client.auth_test()["ok"] is True  # the limit was on users.info only


def test_an_injected_server_error_is_http_500(sandbox: SlackSandbox, client: WebClient) -> None:
    sandbox.fail("chat.postMessage", "internal_error", status=500)

    error = refused(client.chat_postMessage, channel="C0KPI", text="hi")

    assert error.response.status_code == 500
    assert error.response["error"] == "internal_error"
    assert sandbox.messages["C0KPI"] == []
    client.chat_postMessage(channel="C0KPI", text="hi")
    assert [(c.status, c.error) for c in sandbox.calls("chat.postMessage")] == [
        (500, "internal_error"),
        (200, None),
    ]


def test_an_injected_error_code_with_http_200(sandbox: SlackSandbox, client: WebClient) -> None:
    sandbox.fail("users.info", "fatal_error", times=2)

    for _ in range(2):
        error = refused(client.users_info, user="U0MARIA")
        assert (error.response.status_code, error.response["error"]) == (200, "fatal_error")

    assert client.users_info(user="U0MARIA")["ok"] is True


def test_a_slow_method_times_the_client_out_and_the_next_call_succeeds(
    sandbox: SlackSandbox,
) -> None:
    client = WebClient(
        token=sandbox.bot_token, base_url=sandbox.api_url, timeout=1, retry_handlers=[]
    )
    sandbox.delay("auth.test", 2)

    started = time.monotonic()
    with pytest.raises(TimeoutError):
        client.auth_test()
    assert 1.0 <= time.monotonic() - started < 2.0

    assert client.auth_test()["user_id"] == "U0SHOPBOT"
    # The slow call still completes on the sandbox's side, after the fast one.
    first, second = sandbox.wait_for("auth.test", 2, timeout=3)
    assert first.ok and second.ok
    assert second.at - first.at >= 0.5


# ---- files --------------------------------------------------------------------------------


def png_like_bytes(size: int) -> bytes:
    """A PNG signature (with NUL, 0xFF and CR/LF) followed by deterministic random bytes."""
    body = random.Random(20240607).randbytes(size)
    return b"\x89PNG\r\n\x1a\n\x00\xff\x00\xfe" + body + b"\xff\x00"


def test_files_upload_v2_stores_the_exact_bytes_and_shares_them(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    content = png_like_bytes(400_000)

    answer = client.files_upload_v2(
        channel="C0KPI",
        content=content,
        filename="chart.png",
        title="GMV",
        initial_comment="Weekly GMV",
    )

    file_id = answer["file"]["id"]
    stored = sandbox.files[file_id]
    assert stored.content == content
    assert (stored.filename, stored.title, stored.length) == ("chart.png", "GMV", len(content))
    assert (stored.completed, stored.channels) == (True, ["C0KPI"])
    assert [(c.method, c.status, c.ok) for c in sandbox.calls()] == [
        ("files.getUploadURLExternal", 200, True),
        ("files.upload_url", 200, True),
        ("files.completeUploadExternal", 200, True),
    ]
    get_url, upload, complete = sandbox.calls()
    assert (get_url.params["filename"], get_url.params["length"]) == (
        "chart.png",
        str(len(content)),
    )
    assert upload.params == {"file_id": file_id, "bytes": len(content)}
    assert complete.params["channel_id"] == "C0KPI"
    assert complete.params["files"] == [{"id": file_id, "title": "GMV"}]

    [message] = sandbox.messages["C0KPI"]
    assert (message["user"], message["text"]) == ("U0SHOPBOT", "Weekly GMV")
    assert [f["id"] for f in message["files"]] == [file_id]
    assert answer["file"]["size"] == len(content)
    assert answer["file"]["channels"] == ["C0KPI"]


def test_url_private_serves_the_bytes_to_the_bot_token_only(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    content = png_like_bytes(300_000)
    uploaded = client.files_upload_v2(channel="C0KPI", content=content, filename="chart.png")
    url = uploaded["file"]["url_private"]

    assert download(url, sandbox.bot_token) == (200, content)
    assert download(url, None)[0] == 403
    assert download(url, "xoxb-someone-else")[0] == 403


def test_files_upload_v2_to_several_channels(sandbox: SlackSandbox, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channels=["C0KPI", "C0GENERAL"], content=b"shop,gmv\nA,1\n", filename="kpi.csv"
    )

    file_id = answer["file"]["id"]
    assert sandbox.files[file_id].channels == ["C0KPI", "C0GENERAL"]
    for channel in ("C0KPI", "C0GENERAL"):
        assert [f["id"] for m in sandbox.messages[channel] for f in m["files"]] == [file_id]


def test_files_upload_v2_into_a_channel_without_the_bot_is_not_in_channel(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    error = refused(client.files_upload_v2, channel="C0RANDOM", content=b"x", filename="a.txt")

    assert error.response["error"] == "not_in_channel"
    assert sandbox.messages["C0RANDOM"] == []
    assert [f.completed for f in sandbox.files.values()] == [False]


def test_completing_an_upload_whose_bytes_never_came_is_file_not_found(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    started = client.files_getUploadURLExternal(filename="report.csv", length=10)
    assert started["upload_url"].startswith(sandbox.base_url)

    error = refused(
        client.files_completeUploadExternal,
        files=[{"id": started["file_id"], "title": "Report"}],
        channel_id="C0KPI",
    )

    assert error.response.data == {"ok": False, "error": "file_not_found"}
    assert sandbox.messages["C0KPI"] == []
    assert sandbox.files[started["file_id"]].completed is False


def test_get_upload_url_needs_a_filename_and_a_length(client: WebClient) -> None:
    assert error_of(client.files_getUploadURLExternal, filename="a.csv", length=0) == (
        "invalid_arguments"
    )
    assert error_of(client.api_call, "files.getUploadURLExternal", params={"filename": "a"}) == (
        "invalid_arguments"
    )


# ---- response URLs ------------------------------------------------------------------------


def test_an_in_channel_response_lands_in_the_channel(sandbox: SlackSandbox) -> None:
    url = sandbox.new_response_url("C0KPI", "U0MARIA")

    answer = WebhookClient(url).send(text="KPIs for today", response_type="in_channel")

    assert (answer.status_code, answer.body) == (200, "ok")
    assert [(m["text"], m["user"]) for m in sandbox.messages["C0KPI"]] == [
        ("KPIs for today", "U0SHOPBOT")
    ]
    assert sandbox.ephemeral == []
    [call] = sandbox.calls("response_url")
    assert (call.status, call.params["response_type"]) == (200, "in_channel")


def test_an_ephemeral_response_reaches_only_the_user(sandbox: SlackSandbox) -> None:
    url = sandbox.new_response_url("C0KPI", "U0MARIA")
    blocks = [SectionBlock(text=MarkdownTextObject(text="Only *you* see this"))]

    answer = WebhookClient(url).send(text="Only you see this", blocks=blocks)

    assert (answer.status_code, answer.body) == (200, "ok")
    [ephemeral] = sandbox.ephemeral
    assert (ephemeral["channel"], ephemeral["to"], ephemeral["text"]) == (
        "C0KPI",
        "U0MARIA",
        "Only you see this",
    )
    assert ephemeral["blocks"] == [blocks[0].to_dict()]
    assert sandbox.messages["C0KPI"] == []


def test_a_response_with_invalid_blocks_is_http_400(sandbox: SlackSandbox) -> None:
    url = sandbox.new_response_url("C0KPI", "U0MARIA")

    answer = WebhookClient(url).send(text="x", blocks=dividers(51), response_type="in_channel")

    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert sandbox.messages["C0KPI"] == []
    assert sandbox.ephemeral == []


def test_a_response_url_takes_five_posts(sandbox: SlackSandbox) -> None:
    webhook = WebhookClient(sandbox.new_response_url("C0KPI", "U0MARIA"))

    statuses = [webhook.send(text=f"update {i}").status_code for i in range(5)]
    sixth = webhook.send(text="one too many")

    assert statuses == [200] * 5
    assert (sixth.status_code, sixth.body) == (404, "expired_url")
    assert [e["text"] for e in sandbox.ephemeral] == [f"update {i}" for i in range(5)]


def test_an_old_response_url_is_expired(
    sandbox: SlackSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webapi, "RESPONSE_URL_TTL_SECONDS", 0.0)
    url = sandbox.new_response_url("C0KPI", "U0MARIA")
    time.sleep(0.01)

    answer = WebhookClient(url).send(text="too late")

    assert (answer.status_code, answer.body) == (404, "expired_url")
    assert sandbox.ephemeral == []


def test_an_unknown_response_url_is_404(sandbox: SlackSandbox) -> None:
    sandbox.new_response_url("C0KPI", "U0MARIA")
    url = f"{sandbox.base_url}/commands/{sandbox.team_id}/not-a-token"

    answer = WebhookClient(url).send(text="hello", response_type="in_channel")

    assert answer.status_code == 404
    assert sandbox.messages["C0KPI"] == []
    [call] = sandbox.calls("response_url")
    assert (call.status, call.ok) == (404, False)


# ---- users and conversations --------------------------------------------------------------


def test_users_info(sandbox: SlackSandbox, client: WebClient) -> None:
    user = client.users_info(user="U0MARIA")["user"]

    assert (user["id"], user["name"], user["real_name"]) == ("U0MARIA", "maria", "Maria Lopez")
    assert (user["team_id"], user["tz"], user["is_admin"], user["is_bot"]) == (
        "T0SANDBOX",
        "Europe/Berlin",
        True,
        False,
    )
    assert user["profile"] == {"real_name": "Maria Lopez", "display_name": "maria"}
    assert client.users_info(user="U0SHOPBOT")["user"]["is_bot"] is True
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"


def test_conversations_info(sandbox: SlackSandbox, client: WebClient) -> None:
    kpi = client.conversations_info(channel="C0KPI")["channel"]
    assert kpi == {
        "id": "C0KPI",
        "name": "lifestyle-kpi",
        "is_channel": True,
        "is_im": False,
        "is_private": False,
        "is_archived": False,
        "is_member": True,
    }
    assert client.conversations_info(channel="C0RANDOM")["channel"]["is_member"] is False
    assert client.conversations_info(channel="C0OLD")["channel"]["is_archived"] is True
    assert error_of(client.conversations_info, channel="C0NOSUCH") == "channel_not_found"


def test_conversations_open(sandbox: SlackSandbox, client: WebClient) -> None:
    answer = client.conversations_open(users=["U0TOM"])

    assert answer["channel"]["id"] == "D0TOM"
    dm = client.conversations_info(channel="D0TOM")["channel"]
    assert (dm["is_im"], dm["is_channel"], dm["is_member"]) == (True, False, True)
    assert error_of(client.conversations_open, users="U0NOBODY") == "user_not_found"


# ---- waiting on calls ---------------------------------------------------------------------


def test_wait_for_raises_timeout_error_when_the_call_does_not_come(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    client.auth_test()

    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"chat\.postMessage called 0/1 times within 0\.2s"):
        sandbox.wait_for("chat.postMessage", 1, timeout=0.2)
    assert 0.2 <= time.monotonic() - started < 1.0

    client.chat_postMessage(channel="C0KPI", text="one")
    with pytest.raises(TimeoutError, match=r"called 1/2 times"):
        sandbox.wait_for("chat.postMessage", 2, timeout=0.1)


def test_wait_for_returns_when_a_call_arrives_from_another_thread(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    poster = threading.Timer(
        0.1, client.chat_postMessage, kwargs={"channel": "C0KPI", "text": "hi"}
    )
    poster.start()
    try:
        [call] = sandbox.wait_for("chat.postMessage", 1, timeout=5)
    finally:
        poster.join()

    assert (call.params["text"], call.ok) == ("hi", True)


def test_call_bookkeeping(sandbox: SlackSandbox, client: WebClient) -> None:
    client.auth_test()
    mark = sandbox.call_count()
    client.users_info(user="U0TOM")

    assert [c.method for c in sandbox.calls_since(mark)] == ["users.info"]
    sandbox.reset_calls()
    assert (sandbox.call_count(), sandbox.calls()) == (0, [])


# ---- Block Kit validation, as a pure function ---------------------------------------------


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str, action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}}


@pytest.mark.parametrize(("surface", "limit"), [("message", 50), ("modal", 100), ("home", 100)])
def test_validate_blocks_counts_blocks_per_surface(surface: str, limit: int) -> None:
    assert validate_blocks(dividers(limit), surface) == []
    assert validate_blocks(dividers(limit + 1), surface) == [
        f"no more than {limit} items allowed [json-pointer:/blocks]"
    ]


@pytest.mark.parametrize(
    ("ok", "too_long", "complaint"),
    [
        (
            [section("s" * 3000)],
            [section("s" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}]}],
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}],
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button("b" * 75)]}],
            [{"type": "actions", "elements": [button("b" * 76)]}],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [section("x", accessory=button("b" * 75))],
            [section("x", accessory=button("b" * 76))],
            "must be less than 76 characters [json-pointer:/blocks/0/accessory/text/text]",
        ),
        (
            [{"type": "image", "image_url": "https://example.com/a.png", "alt_text": "GMV"}],
            [{"type": "image", "image_url": "https://example.com/a.png"}],
            "missing required field: alt_text [json-pointer:/blocks/0]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 10}],
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
    ],
    ids=["section text", "fields item", "header", "button", "accessory", "alt_text", "fields"],
)
def test_validate_blocks_limits(ok: list[Any], too_long: list[Any], complaint: str) -> None:
    assert validate_blocks(ok) == []
    assert validate_blocks(too_long) == [complaint]


def test_validate_blocks_finds_duplicate_ids() -> None:
    blocks = [
        section("a", block_id="kpi"),
        {"type": "actions", "block_id": "kpi", "elements": [button("A"), button("B")]},
    ]

    assert validate_blocks(blocks) == [
        "block_id 'kpi' already exists [json-pointer:/blocks/1/block_id]",
        "action_id 'go' already exists [json-pointer:/blocks/1/elements/1/action_id]",
    ]


def test_validate_blocks_rejects_what_is_not_blocks() -> None:
    assert validate_blocks("[]") == ["must provide an array [json-pointer:/blocks]"]
    assert validate_blocks([{"type": "carousel"}]) == [
        "unsupported type [json-pointer:/blocks/0/type]"
    ]
    text_input = {"type": "plain_text_input", "action_id": "a"}
    input_block = {"type": "input", "label": {"type": "plain_text", "text": "x"}}
    input_block["element"] = text_input
    assert validate_blocks([input_block]) == [
        "input blocks are only allowed in modals and Home tabs [json-pointer:/blocks/0]"
    ]
    assert validate_blocks([input_block], "modal") == []


def test_validate_view() -> None:
    assert validate_view(modal(dividers(100), title="t" * 24)) == ("", [])
    assert validate_view({"type": "home", "blocks": dividers(100)}) == ("", [])
    assert validate_view(modal(dividers(1), title="t" * 25)) == (
        "invalid_arguments",
        ["must be less than 25 characters [json-pointer:/view/title/text]"],
    )
    assert validate_view(modal(dividers(101))) == (
        "invalid_arguments",
        ["no more than 100 items allowed [json-pointer:/view/blocks]"],
    )
    assert validate_view({"type": "home", "blocks": [section("s" * 3001)]}) == (
        "invalid_arguments",
        ["must be less than 3001 characters [json-pointer:/view/blocks/0/text/text]"],
    )
    assert validate_view({"type": "message", "blocks": []})[0] == "invalid_arguments"


def test_validate_view_wants_submit_with_input_blocks() -> None:
    field = {
        "type": "input",
        "label": {"type": "plain_text", "text": "Shop"},
        "element": {"type": "plain_text_input", "action_id": "shop"},
    }
    submit = {"type": "plain_text", "text": "Save"}

    assert validate_view(modal([{"type": "divider"}, field])) == (
        "invalid_arguments",
        [
            "must define `submit` to use an `input` block in modals"
            " [json-pointer:/view/blocks/1/input]"
        ],
    )
    assert validate_view(modal([field], submit=submit)) == ("", [])


def test_an_interactions_response_url_replaces_or_deletes_its_message(
    sandbox: SlackSandbox,
) -> None:
    client = WebClient(token=sandbox.bot_token, base_url=sandbox.api_url)
    posted = client.chat_postMessage(channel="C0KPI", text="Saved your note")
    url = sandbox.new_response_url("C0KPI", "U0MARIA", message_ts=posted["ts"])
    assert WebhookClient(url).send(text="Note deleted", replace_original=True).status_code == 200
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["Note deleted"]
    assert WebhookClient(url).send(delete_original=True).status_code == 200
    assert sandbox.messages["C0KPI"] == []
    again = WebhookClient(url).send(delete_original=True)
    assert (again.status_code, again.body) == (404, "message_not_found")


# ---- Slack's documented limits on elements, options and views ------------------------------


def text_input(**extra: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "note",
        "label": {"type": "plain_text", "text": "Note"},
        "element": {"type": "plain_text_input", "action_id": "note", **extra},
    }


def option(text: str = "Küche", value: str = "k") -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def select(kind: str = "static_select", **extra: Any) -> dict[str, Any]:
    return {"type": "actions", "elements": [{"type": kind, "action_id": "pick", **extra}]}


def confirm(**texts: str) -> dict[str, Any]:
    parts = {"title": "Sure?", "text": "It goes.", "confirm": "Yes", "deny": "No"} | texts
    kinds = {"text": "mrkdwn"}
    return {k: {"type": kinds.get(k, "plain_text"), "text": v} for k, v in parts.items()}


def with_confirm(dialog: dict[str, Any]) -> list[dict[str, Any]]:
    go = button("Delete") | {"confirm": dialog}
    return [{"type": "actions", "elements": [go]}]


E = "/blocks/0/element"  # an input block's element
A = "/blocks/0/elements/0"  # an actions block's first element

# Each case: blocks Slack takes, the same at one past its limit, and Slack's complaint. Text is
# non-ASCII where it matters: Slack counts characters, not bytes.
ELEMENT_LIMITS: dict[str, tuple[list[Any], list[Any], str]] = {
    "max_length": (
        [text_input(max_length=3000)],
        [text_input(max_length=4000)],
        f"must be between 1 and 3000 [json-pointer:{E}/max_length]",
    ),
    "min_length": (
        [text_input(min_length=3000)],
        [text_input(min_length=3001)],
        f"must be between 0 and 3000 [json-pointer:{E}/min_length]",
    ),
    "min over max": (
        [text_input(min_length=10, max_length=10)],
        [text_input(min_length=11, max_length=10)],
        f"must be less than or equal to max_length [json-pointer:{E}/min_length]",
    ),
    "initial_value": (
        [text_input(max_length=5, initial_value="Grüße")],
        [text_input(max_length=4, initial_value="Grüße")],
        f"must be no longer than max_length [json-pointer:{E}/initial_value]",
    ),
    "input placeholder": (
        [text_input(placeholder={"type": "plain_text", "text": "ä" * 150})],
        [text_input(placeholder={"type": "plain_text", "text": "ä" * 151})],
        f"must be less than 151 characters [json-pointer:{E}/placeholder/text]",
    ),
    "option text": (
        [select(options=[option("ü" * 75)])],
        [select(options=[option("ü" * 76)])],
        f"must be less than 76 characters [json-pointer:{A}/options/0/text/text]",
    ),
    "option value": (
        [select(options=[option(value="v" * 150)])],
        [select(options=[option(value="v" * 151)])],
        f"must be less than 151 characters [json-pointer:{A}/options/0/value]",
    ),
    "select placeholder": (
        [select(options=[option()], placeholder={"type": "plain_text", "text": "é" * 150})],
        [select(options=[option()], placeholder={"type": "plain_text", "text": "é" * 151})],
        f"must be less than 151 characters [json-pointer:{A}/placeholder/text]",
    ),
    "select options": (
        [select(options=[option(value=str(i)) for i in range(100)])],
        [select(options=[option(value=str(i)) for i in range(101)])],
        f"no more than 100 items allowed [json-pointer:{A}/options]",
    ),
    "option group label": (
        [
            select(
                option_groups=[
                    {"label": {"type": "plain_text", "text": "g" * 75}, "options": [option()]}
                ]
            )
        ],
        [
            select(
                option_groups=[
                    {"label": {"type": "plain_text", "text": "g" * 76}, "options": [option()]}
                ]
            )
        ],
        f"must be less than 76 characters [json-pointer:{A}/option_groups/0/label/text]",
    ),
    "initial_option": (
        [select(options=[option()], initial_option=option())],
        [select(options=[option()], initial_option=option("Garten", "g"))],
        f"must match one of the options [json-pointer:{A}/initial_option]",
    ),
    "overflow options": (
        [select("overflow", options=[option(value=str(i)) for i in range(5)])],
        [select("overflow", options=[option(value=str(i)) for i in range(6)])],
        f"no more than 5 items allowed [json-pointer:{A}/options]",
    ),
    "checkboxes options": (
        [select("checkboxes", options=[option(value=str(i)) for i in range(10)])],
        [select("checkboxes", options=[option(value=str(i)) for i in range(11)])],
        f"no more than 10 items allowed [json-pointer:{A}/options]",
    ),
    "radio options": (
        [select("radio_buttons", options=[option(value=str(i)) for i in range(10)])],
        [select("radio_buttons", options=[option(value=str(i)) for i in range(11)])],
        f"no more than 10 items allowed [json-pointer:{A}/options]",
    ),
    "checkboxes initial_options": (
        [select("checkboxes", options=[option()], initial_options=[option()])],
        [select("checkboxes", options=[option()], initial_options=[option("x", "x")])],
        f"must match one of the options [json-pointer:{A}/initial_options]",
    ),
    "initial_date": (
        [select("datepicker", initial_date="2028-02-29")],
        [select("datepicker", initial_date="2026-02-29")],
        f"must be a valid date in the format YYYY-MM-DD [json-pointer:{A}/initial_date]",
    ),
    "confirm title": (
        with_confirm(confirm(title="t" * 100)),
        with_confirm(confirm(title="t" * 101)),
        f"must be less than 101 characters [json-pointer:{A}/confirm/title/text]",
    ),
    "confirm text": (
        with_confirm(confirm(text="t" * 300)),
        with_confirm(confirm(text="t" * 301)),
        f"must be less than 301 characters [json-pointer:{A}/confirm/text/text]",
    ),
    "confirm button": (
        with_confirm(confirm(confirm="ja" * 15)),
        with_confirm(confirm(confirm="ja" * 15 + "!")),
        f"must be less than 31 characters [json-pointer:{A}/confirm/confirm/text]",
    ),
    "confirm deny": (
        with_confirm(confirm(deny="n" * 30)),
        with_confirm(confirm(deny="n" * 31)),
        f"must be less than 31 characters [json-pointer:{A}/confirm/deny/text]",
    ),
    "button value": (
        [{"type": "actions", "elements": [button("Go") | {"value": "v" * 2000}]}],
        [{"type": "actions", "elements": [button("Go") | {"value": "v" * 2001}]}],
        f"must be less than 2001 characters [json-pointer:{A}/value]",
    ),
    "button url": (
        [{"type": "actions", "elements": [button("Go") | {"url": "https://x.io/" + "p" * 2987}]}],
        [{"type": "actions", "elements": [button("Go") | {"url": "https://x.io/" + "p" * 2988}]}],
        f"must be less than 3001 characters [json-pointer:{A}/url]",
    ),
    "action_id": (
        [{"type": "actions", "elements": [button("Go", "a" * 255)]}],
        [{"type": "actions", "elements": [button("Go", "a" * 256)]}],
        f"must be less than 256 characters [json-pointer:{A}/action_id]",
    ),
    "block_id": (
        [section("x", block_id="b" * 255)],
        [section("x", block_id="b" * 256)],
        "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
    ),
    "context elements": (
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10}],
        [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
        "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
    ),
    "a text input in an actions block": (
        [text_input()],
        [{"type": "actions", "elements": [text_input()["element"]]}],
        f"unsupported type [json-pointer:{A}/type]",
    ),
    "what only slack_sdk's models check": (
        [select("datetimepicker", initial_date_time=1_764_751_234)],
        [select("datetimepicker", initial_date_time=-5)],
        f"initial_date_time attribute must be between 0 and 99999999 seconds [json-pointer:{A}]",
    ),
}


@pytest.mark.parametrize("case", ELEMENT_LIMITS)
def test_validate_blocks_holds_elements_and_options_to_slacks_limits(case: str) -> None:
    ok, past, complaint = ELEMENT_LIMITS[case]
    assert validate_blocks(ok, "modal") == []
    assert validate_blocks(past, "modal") == [complaint]


def test_every_limit_cites_slacks_reference_page() -> None:
    assert all(
        limit.page.startswith("https://api.slack.com/") and limit.most > 0
        for limit in LIMITS.values()
    )
    assert LIMITS["plain_text_input.max_length"].page.endswith("/block-elements#input")


def test_an_action_id_is_unique_in_its_block_and_may_repeat_in_the_next() -> None:
    row = {"type": "actions", "elements": [button("Edit", "edit")]}
    assert validate_blocks([row | {"block_id": "n1"}, row | {"block_id": "n2"}]) == []


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        (
            "title",
            {"type": "plain_text", "text": "ö" * 25},
            "25 characters [json-pointer:/view/title/text]",
        ),
        (
            "submit",
            {"type": "plain_text", "text": "ö" * 25},
            "25 characters [json-pointer:/view/submit/text]",
        ),
        (
            "close",
            {"type": "plain_text", "text": "ö" * 25},
            "25 characters [json-pointer:/view/close/text]",
        ),
        ("private_metadata", "m" * 3001, "3001 characters [json-pointer:/view/private_metadata]"),
        ("callback_id", "c" * 256, "256 characters [json-pointer:/view/callback_id]"),
    ],
)
def test_validate_view_holds_the_modals_own_fields_to_their_limits(
    field: str, value: Any, complaint: str
) -> None:
    view = modal(dividers(1)) | {field: value}
    assert validate_view(view) == ("invalid_arguments", [f"must be less than {complaint}"])


# ---- well-formed mrkdwn ---------------------------------------------------------------------

ALLOWED_MRKDWN = [
    "Mention <@U0MARIA> or <@U0TOM|tom>, in <#C0KPI> or <#C0KPI|lifestyle-kpi>",
    "<!here> <!channel> <!everyone> <!subteam^S0LIFE|@lifestyle>",
    "<!date^1764751234^{date_short} at {time}|3 Dec 2026>",
    "<https://shop.example/köln?a=1&amp;b=2> and <https://shop.example|Küche &amp; Tisch>",
    "<mailto:maria@example.com|Maria>",
    "`/review show &lt;n&gt;` &amp; more",
    "> a quoted line\n> and another",
    "日本語のメモ 🚀 ohne Sonderzeichen",
]
REFUSED_MRKDWN = {
    "`/review show <n>` opens one.": ["<", ">"],
    "Notes about <seller>": ["<", ">"],
    "Home & Living": ["&"],
    "Küche &quot;Tisch&quot;": ["&", "&"],
    "GMV > 100": [">"],
    "<https://shop.example|Küche & Tisch>": ["&"],
}


@pytest.mark.parametrize("text", ALLOWED_MRKDWN)
def test_slacks_control_sequences_entities_and_quotes_are_well_formed_mrkdwn(text: str) -> None:
    assert mrkdwn_problems(text) == []
    assert validate_blocks([section(text)]) == []


@pytest.mark.parametrize("text", REFUSED_MRKDWN)
def test_an_unescaped_lt_gt_or_amp_in_mrkdwn_is_refused(text: str) -> None:
    problems = mrkdwn_problems(text)
    assert [p.split("`")[1] for p in problems] == REFUSED_MRKDWN[text]
    errors = validate_blocks([section(text)])
    assert errors and all(e.endswith("[json-pointer:/blocks/0/text/text]") for e in errors)


def test_plain_text_and_a_message_marked_not_mrkdwn_need_no_escaping() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "Küche & <Tisch>"}}
    assert validate_blocks([header]) == []
    assert validate_message({"text": "use <n> & more", "mrkdwn": False}) == []
    assert validate_message({"text": "use <n>"}) == [
        "unescaped `<` in mrkdwn at character 4 (…use <n>…): write &lt; [json-pointer:/text]",
        "unescaped `>` in mrkdwn at character 6 (…use <n>…): write &gt; [json-pointer:/text]",
    ]


# ---- the same limits over HTTP, as slack_sdk meets them ------------------------------------

BAD_MRKDWN = [section("`/kpi chart <metric>`")]


def test_chat_methods_refuse_broken_mrkdwn_with_invalid_blocks(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="C0KPI", text="KPIs")
    calls = [
        lambda: client.chat_postMessage(channel="C0KPI", text="Home & Living"),
        lambda: client.chat_postEphemeral(
            channel="C0KPI", user="U0MARIA", text="help", blocks=BAD_MRKDWN
        ),
        lambda: client.chat_update(channel="C0KPI", ts=posted["ts"], text="x", blocks=BAD_MRKDWN),
    ]
    for call in calls:
        error = refused(call)
        assert error.response["error"] == "invalid_blocks"
        assert error.response["errors"][0].startswith("unescaped `")
        assert error.response["response_metadata"] == slack_errors(error.response["errors"])
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["KPIs"]
    assert sandbox.ephemeral == []
    assert len(sandbox.refusals) == 3


def test_views_methods_refuse_a_text_input_over_3000_with_invalid_arguments(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    form = modal([text_input(max_length=4000)], submit={"type": "plain_text", "text": "Save"})
    opened = client.views_open(trigger_id=sandbox.new_trigger_id(), view=modal(dividers(1)))
    calls = [
        lambda: client.views_open(trigger_id=sandbox.new_trigger_id(), view=form),
        lambda: client.views_push(trigger_id=sandbox.new_trigger_id(), view=form),
        lambda: client.views_update(view_id=opened["view"]["id"], view=form),
        lambda: client.views_publish(
            user_id="U0MARIA", view={"type": "home", "blocks": BAD_MRKDWN}
        ),
    ]
    complaints = [refused(call).response.data for call in calls]
    assert [c["error"] for c in complaints] == ["invalid_arguments"] * 4
    assert complaints[0]["response_metadata"] == slack_errors(
        ["must be between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]"]
    )
    assert complaints[3]["response_metadata"]["messages"][0].endswith(
        "[json-pointer:/view/blocks/0/text/text]"
    )
    assert list(sandbox.views) == [opened["view"]["id"]] and sandbox.home_views == {}


def test_a_response_url_refuses_broken_mrkdwn_with_http_400(sandbox: SlackSandbox) -> None:
    url = sandbox.new_response_url("C0KPI", "U0MARIA")

    answer = WebhookClient(url).send(text="`/alert remove <n>`", response_type="in_channel")

    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert sandbox.messages["C0KPI"] == []


def test_an_uploads_comment_is_mrkdwn_held_to_the_same_rule(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    error = refused(
        client.files_upload_v2,
        channel="C0KPI",
        content=b"png",
        filename="gmv.png",
        initial_comment="GMV · Home & Living",
    )
    assert error.response["error"] == "invalid_blocks"
    assert sandbox.messages["C0KPI"] == []
    client.files_upload_v2(
        channel="C0KPI", content=b"png", filename="gmv.png", initial_comment="Home &amp; Living"
    )
    assert [m["text"] for m in sandbox.messages["C0KPI"]] == ["Home &amp; Living"]


def test_an_acknowledgement_is_held_to_the_limits_of_what_it_answers(
    sandbox: SlackSandbox,
) -> None:
    too_long = {"response_action": "update", "view": modal(dividers(1), title="t" * 25)}
    assert sandbox.check_acknowledgement("slash_command", {"text": "ok &amp; fine"}) == []
    assert sandbox.check_acknowledgement("slash_command", {"text": "use <n>"}) != []
    assert sandbox.check_acknowledgement("view_submission", too_long) == [
        "must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert sandbox.check_acknowledgement("block_suggestion", {"options": [option("ü" * 76)]}) == [
        "must be less than 76 characters [json-pointer:/options/0/text/text]"
    ]
    assert [where for where, _ in sandbox.refusals] == [
        "slash_command acknowledgement",
        "view_submission acknowledgement",
        "block_suggestion acknowledgement",
    ]
