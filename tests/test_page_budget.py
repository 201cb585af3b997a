"""Every page a kader opens: at most 50 KB on first view and at most 5 requests."""

from __future__ import annotations

import gzip
import re

import pytest

BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 5
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')

ANONYMOUS_PAGES = ["/", "/masuk", "/daftar", "/lupa-kata-sandi", "/halaman-yang-tidak-ada"]
KADER_PAGES = ["/", "/akun/kata-sandi", "/kelola/pengguna"]


def first_view(client, path: str) -> tuple[int, int]:
    """Compressed bytes and request count to show `path` with an empty cache."""
    response = client.get(path)
    html = response.get_data()
    total, requests = len(gzip.compress(html)), 1
    for url in set(ASSET.findall(html.decode())):
        if url.startswith("data:"):
            continue
        assert url.startswith("/"), f"{path} loads {url} from another site"
        asset = client.get(url)
        assert asset.status_code == 200, url
        total += len(gzip.compress(asset.get_data()))
        requests += 1
    return total, requests


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages_within_budget(client, path):
    size, requests = first_view(client, path)
    assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (path, size, requests)


@pytest.mark.parametrize("path", KADER_PAGES)
def test_kader_pages_within_budget(client, auth, kader, path):
    auth.login(kader.phone)
    size, requests = first_view(client, path)
    assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (path, size, requests)


def test_no_external_resources_or_web_fonts(client):
    html = client.get("/daftar").get_data(as_text=True)
    css = client.get(re.search(r'href="(/static/style.css[^"]*)"', html).group(1)).get_data(
        as_text=True
    )
    assert "http://" not in html + css and "https://" not in html + css
    assert "@font-face" not in css and "@import" not in css


def test_static_assets_cached_with_versioned_urls(client):
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/style.css\?v=[0-9a-f]{10})"', html).group(1)
    response = client.get(url)
    assert "max-age=31536000" in response.headers["Cache-Control"]
