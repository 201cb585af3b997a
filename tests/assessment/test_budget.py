"""The test pages a kader opens stay within 50 KB and 5 requests on first view."""

from __future__ import annotations

from tests.test_page_budget import BUDGET_BYTES, BUDGET_REQUESTS, first_view


def test_test_pages_within_budget(client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = int(client.post("/uji/bkb/mulai").location.rsplit("/", 1)[1])
    paths = ["/uji/bkb"] + [f"/uji/percobaan/{attempt_id}?hal={n}" for n in range(1, 5)]
    paths.append(f"/uji/percobaan/{attempt_id}/kirim")
    for path in paths:
        size, requests = first_view(client, path)
        assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, (path, size, requests)
    client.post(f"/uji/percobaan/{attempt_id}/kirim")
    size, requests = first_view(client, f"/uji/percobaan/{attempt_id}/hasil")
    assert size <= BUDGET_BYTES and requests <= BUDGET_REQUESTS, ("result", size, requests)
