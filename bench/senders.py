"""Sends signed requests at the same moment, from a process of its own (bench/burst.py).

    python bench/senders.py APP_URL < requests.json

Reads a JSON list of {"body", "headers"} and prints, as JSON, each request's (ms until the
answer, HTTP status, answer), in the same order. Standard library only, so that it starts in
a few milliseconds and takes none of the app's CPU or interpreter lock while it sends.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any


def send_at_once(url: str, requests: list[dict[str, Any]]) -> list[tuple[float, int, str]]:
    """The sender process: every request on a thread of its own, released together; each
    one's (ms until the answer, HTTP status, answer)."""
    answers: list[tuple[float, int, str]] = [(0.0, 0, "")] * len(requests)
    start = threading.Barrier(len(requests))

    def send(n: int, body: str, headers: dict[str, str]) -> None:
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
        start.wait()
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, answer = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read().decode()
        except OSError as error:
            status, answer = 0, repr(error)
        answers[n] = ((time.perf_counter() - began) * 1000, status, answer)

    senders = [
        threading.Thread(target=send, args=(n, r["body"], r["headers"]))
        for n, r in enumerate(requests)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return answers


if __name__ == "__main__":
    print(json.dumps(send_at_once(sys.argv[1], json.loads(sys.stdin.read()))))
