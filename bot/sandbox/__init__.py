"""The built-in Slack sandbox: a loopback Web API stand-in and a signed-request client.

Product code, not test code: the offline shell, the demo and the test suite all run the real
app against it.
"""

from bot.sandbox.client import AppResponse, SlackRequestClient
from bot.sandbox.payloads import SlackPayloads
from bot.sandbox.signing import slack_signature
from bot.sandbox.webapi import SlackCall, SlackSandbox

__all__ = [
    "AppResponse",
    "SlackCall",
    "SlackPayloads",
    "SlackRequestClient",
    "SlackSandbox",
    "slack_signature",
]
