"""One simulated phone: a keep-alive HTTP connection to 127.0.0.1, and a timed request."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .operations import Operation
from .settings import HOST, HTTP_TIMEOUT


@dataclass
class Reply:
    status: int
    body: bytes
    sent: float
    done: float
    set_cookies: list[str]

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One simulated phone: a keep-alive connection (reopened when the server closes it),
    its cookies and its bearer token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT)
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        form: dict[str, str] | None = None,
    ) -> Reply:
        headers = {"Accept-Encoding": "identity"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        done = time.perf_counter()
        cookies = response.headers.get_all("Set-Cookie") or []
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Reply(response.status, payload, sent, done, cookies)

    def close(self) -> None:
        self.conn.close()


def timed(
    op: Operation,
    client: Client,
    method: str,
    path: str,
    expect: tuple[int, ...],
    **kwargs: Any,
) -> Reply | None:
    """Send one request and record it; None (and an error) when it fails or answers wrong."""
    sent = time.perf_counter()
    try:
        reply = client.request(method, path, **kwargs)
    except (OSError, http.client.HTTPException) as error:
        kind = type(error).__name__
        op.record(sent, time.perf_counter(), f"{method} {path}: {kind} {error}", kind)
        return None
    if reply.status not in expect:
        snippet = reply.body[:160].decode(errors="replace")
        message = f"{method} {path}: {reply.status} {snippet}"
        op.record(reply.sent, reply.done, message, f"HTTP {reply.status}")
        return None
    op.record(reply.sent, reply.done)
    return reply
