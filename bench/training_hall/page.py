"""The test page: 10 more kader sign in through the HTML form and load their attempt page back
to back; one of them first weighs the first view (the page and its same-site assets, gzipped)."""

from __future__ import annotations

import gzip
import http.client
import re
import threading
import time
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from lms.accounts.phone import format_phone

from .client import Client, timed
from .cpu import CpuMeter
from .operations import Operation
from .settings import KADER_PASSWORD, MAX_PAGE_REQUESTS_PER_CLIENT
from .together import run_together


class AssetFinder(HTMLParser):
    """Same-site URLs a browser fetches on first view: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = None
        if tag == "link" and values.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            url = values.get("href")
        elif tag in ("script", "img", "iframe"):
            url = values.get("src")
        if url and not url.startswith("data:") and not urlsplit(url).netloc:
            self.urls.append(url)


CSRF_FIELD = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def form_login(client: Client, phone: str) -> None:
    page = client.request("GET", "/masuk")
    match = CSRF_FIELD.search(page.body.decode())
    if page.status != 200 or match is None:
        raise RuntimeError(f"login page: {page.status}")
    form = {
        "csrf_token": match.group(1) or match.group(2),
        "phone": format_phone(phone),
        "password": KADER_PASSWORD,
    }
    reply = client.request("POST", "/masuk", form=form)
    if reply.status != 302:
        raise RuntimeError(f"form login answered {reply.status}")


def first_view(client: Client, path: str) -> dict[str, Any]:
    """The page and every same-site asset it references: raw and gzip bytes, request count."""
    page = client.request("GET", path)
    finder = AssetFinder()
    finder.feed(page.body.decode())
    items = [(path, page.status, page.body)]
    for url in dict.fromkeys(finder.urls):
        asset = client.request("GET", url)
        items.append((url, asset.status, asset.body))
    raw = sum(len(body) for _, _, body in items)
    compressed = sum(len(gzip.compress(body, compresslevel=6)) for _, _, body in items)
    return {
        "requests": len(items),
        "raw_kb": round(raw / 1024, 1),
        "gzip_kb": round(compressed / 1024, 1),
        "items": [
            {"url": url, "status": status, "bytes": len(body), "gzip": len(gzip.compress(body))}
            for url, status, body in items
        ],
    }


def phase_page(
    port: int,
    page_kader: list[tuple[int, str, int]],
    seconds: float,
    op: Operation,
    meter: Callable[[], CpuMeter],
) -> tuple[dict[str, Any], dict[str, float]]:
    """Each client signs in through the HTML form; client 0 weighs the first view; then all
    load their attempt page for `seconds` (CPU metered from the start line on)."""
    views: dict[str, Any] = {}
    meters: list[CpuMeter] = []

    def work(i: int, start_line: threading.Barrier) -> None:
        _user_id, phone, attempt_id = page_kader[i]
        client = Client(port)
        path = f"/uji/percobaan/{attempt_id}"
        try:
            form_login(client, phone)
            if i == 0:
                views.update(first_view(client, path))
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            op.record_error(f"page client {i}: {error}", "page login failed")
            start_line.wait()
            return
        start_line.wait()
        deadline = time.perf_counter() + seconds
        for _ in range(MAX_PAGE_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                break
            timed(op, client, "GET", path, (200,))
        client.close()

    run_together(len(page_kader), work, on_start=lambda: meters.append(meter()))
    return views, meters[0].stop()
