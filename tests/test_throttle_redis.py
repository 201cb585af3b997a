"""Failure counters shared through Redis, as several app servers would share them."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from lms.accounts.throttle import FailureThrottle
from tests.conftest import unavailable

REDIS_URL = os.environ.get("BINAKADER_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable(f"Redis not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


def test_two_servers_share_one_count(redis_url):
    namespace = f"binakader-test-{uuid.uuid4().hex}"
    server_a = FailureThrottle(redis_url, namespace=namespace)
    server_b = FailureThrottle(redis_url, namespace=namespace)
    scope = FailureThrottle.scope("login-account", "3 per 15 minutes")
    checks = [(scope, "+6281234567890")]
    server_a.record_failure(checks)
    server_b.record_failure(checks)
    assert server_a.seconds_blocked(checks) == 0
    server_a.record_failure(checks)
    assert 0 < server_b.seconds_blocked(checks) <= 15 * 60
    server_b.clear(scope, "+6281234567890")
    assert server_a.seconds_blocked(checks) == 0


@pytest.mark.app_config(LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes")
def test_app_uses_redis_when_configured(app_config, redis_url, kader):
    from lms import create_app

    app_config["RATELIMIT_STORAGE_URI"] = redis_url
    first, second = create_app(app_config), create_app(app_config)
    phone = f"+62812{uuid.uuid4().int % 10**7:07d}"
    for _ in range(2):
        first.test_client().post("/masuk", data={"phone": phone, "password": "salah-sandi1"})
    page = second.test_client().post("/masuk", data={"phone": phone, "password": "salah-sandi1"})
    assert "Terlalu banyak percobaan gagal" in page.get_data(as_text=True)
