"""The built-in Slack sandbox: a loopback Web API stand-in and a signed-request client.

Product code, not test code: the offline shell, the demo and the test suite all run the real
app against it.
"""

from devkit.sandbox.client import AppResponse, SlackRequestClient
from devkit.sandbox.payloads import SlackPayloads
from devkit.sandbox.signing import slack_signature
from devkit.sandbox.webapi import SlackCall, SlackSandbox

__all__ = [
    "AppResponse",
    "SlackCall",
    "SlackPayloads",
    "SlackRequestClient",
    "SlackSandbox",
    "slack_signature",
]
