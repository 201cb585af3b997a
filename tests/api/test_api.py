"""JSON API v1: registration, tokens, the attempt operations, errors and the OpenAPI document."""

from __future__ import annotations

import re

import pytest

from lms.accounts.models import Role
from tests.assessment.helpers import attempt_questions, right_answer, wrong_answer
from tests.factories import DEFAULT_PASSWORD, make_user

OPERATIONS = {
    "registerKader", "createToken", "listUnits", "startAttempt", "getAttempt", "saveAnswer",
    "submitAttempt", "getAttemptResult", "listBankQuestions", "verifyCertificate",
    "verifyCertificatePdf", "getIssuerCertificate", "listMyCertificates", "downloadCertificatePdf",
}  # fmt: skip


def token_for(client, user) -> dict[str, str]:
    response = client.post(
        "/api/v1/tokens", json={"phone": user.phone, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_openapi_document_names_every_operation(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    found = {op["operationId"] for path in document["paths"].values()
             for op in path.values() if isinstance(op, dict) and "operationId" in op}  # fmt: skip
    assert found == OPERATIONS


def test_register_kader_same_checks_as_the_form(client, app):
    good = {"full_name": "Nurhayati", "phone": "0813-4000-1000", "kecamatan_code": "64.08.02",
            "desa": "Wahau Baru", "poktan": ["BKL"], "password": "bunga-melati5"}  # fmt: skip
    response = client.post("/api/v1/kader", json=good)
    assert response.status_code == 201 and response.json["phone"] == "0813-4000-1000"
    again = client.post("/api/v1/kader", json=good)
    assert (
        again.status_code == 422 and "sudah terdaftar" in again.json["error"]["fields"]["phone"][0]
    )
    bad = client.post("/api/v1/kader", json={**good, "phone": "12", "kecamatan_code": "99",
                                             "poktan": [], "password": "abc"})  # fmt: skip
    fields = bad.json["error"]["fields"]
    assert bad.status_code == 422 and set(fields) >= {
        "phone",
        "kecamatan_code",
        "poktan",
        "password",
    }


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"phone": 5}', b"", b'{"full_name": ["x"], "poktan": "BKB"}']
)
def test_malformed_bodies_are_4xx(client, body):
    for path in ("/api/v1/kader", "/api/v1/tokens"):
        response = client.post(path, data=body, content_type="application/json")
        assert 400 <= response.status_code < 500 and "error" in response.json


def test_huge_body_refused(client):
    response = client.post(
        "/api/v1/kader", data=b"x" * (9 * 1024 * 1024), content_type="application/json"
    )
    assert (
        response.status_code == 413 and response.json["error"]["code"] == "request_entity_too_large"
    )


def test_token_flow_and_revocation_by_password_change(client, app, kader):
    headers = token_for(client, kader)
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    wrong = client.post("/api/v1/tokens", json={"phone": kader.phone, "password": "salah-sandi1"})
    assert wrong.status_code == 401 and wrong.json["error"]["code"] == "login_failed"
    assert client.get("/api/v1/units").status_code == 401
    client.post("/masuk", data={"phone": kader.phone, "password": DEFAULT_PASSWORD})
    new = {"new_password": "sandi-baru-77", "new_password_confirm": "sandi-baru-77"}
    client.post("/akun/kata-sandi", data={"current_password": DEFAULT_PASSWORD, **new})
    revoked = app.test_client().get("/api/v1/units", headers=headers)
    assert revoked.status_code == 401 and revoked.json["error"]["code"] == "invalid_token"


def test_full_attempt_over_the_api(client, app, kader, curriculum):
    headers = token_for(client, kader)
    units = client.get("/api/v1/units", headers=headers).json["units"]
    assert {u["code"] for u in units} == {"bkb", "bkl"} and units[0]["test"]["questions"] == 20
    started = client.post("/api/v1/units/bkb/attempts", headers=headers)
    assert started.status_code == 201
    attempt_id = started.json["id"]
    resumed = client.post("/api/v1/units/bkb/attempts", headers=headers)
    assert resumed.status_code == 200 and resumed.json["id"] == attempt_id
    for position, qtype, data in attempt_questions(app, attempt_id):
        url = f"/api/v1/attempts/{attempt_id}/answers/{position}"
        saved = client.put(
            url, headers=headers, json={"response": right_answer(qtype, data), "seq": 10}
        )
        assert saved.status_code == 200 and saved.json["applied"], saved.json
    view = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json
    assert all(q["response"] is not None for q in view["questions"]) and view["seconds_left"] > 0
    assert client.get(f"/api/v1/attempts/{attempt_id}/result", headers=headers).status_code == 409
    result = client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers).json
    assert result["percent"] == 100.0 and result["is_passed"] and result["review_level"] == "full"
    again = client.post(f"/api/v1/attempts/{attempt_id}/submit", headers=headers).json
    assert again["finished_at"] == result["finished_at"]
    assert client.get(f"/api/v1/attempts/{attempt_id}/result", headers=headers).json == result
    late = client.put(f"/api/v1/attempts/{attempt_id}/answers/1", headers=headers,
                      json={"response": None, "seq": 99})  # fmt: skip
    assert late.status_code == 409 and late.json["error"]["code"] == "submitted"


def test_saves_are_idempotent_and_ordered(client, app, kader, curriculum):
    headers = token_for(client, kader)
    attempt_id = client.post("/api/v1/units/bkb/attempts", headers=headers).json["id"]
    position, qtype, data = attempt_questions(app, attempt_id)[0]
    url = f"/api/v1/attempts/{attempt_id}/answers/{position}"
    new, old = right_answer(qtype, data), wrong_answer(qtype, data)
    assert client.put(url, headers=headers, json={"response": new, "seq": 20}).json["applied"]
    repeat = client.put(url, headers=headers, json={"response": new, "seq": 20}).json
    assert repeat["applied"] is False and repeat["seq"] == 20
    stale = client.put(url, headers=headers, json={"response": old, "seq": 19}).json
    assert stale["applied"] is False
    stored = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json["questions"][0]
    assert stored["seq"] == 20 and stored["response"] is not None
    assert stored["response"] == repeat["response"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"response": "a"}, "validation_failed"),
        ({"response": "a", "seq": "satu"}, "invalid_seq"),
        ({"response": "a", "seq": 0}, "invalid_seq"),
        ({"response": {"x": 1}, "seq": 5}, "invalid_answer"),
        ({"response": ["zzz"], "seq": 5}, "invalid_answer"),
    ],
)
def test_bad_saves_refused_and_answer_untouched(client, app, kader, curriculum, body, code):
    headers = token_for(client, kader)
    attempt_id = client.post("/api/v1/units/bkb/attempts", headers=headers).json["id"]
    position, qtype, data = attempt_questions(app, attempt_id)[0]
    url = f"/api/v1/attempts/{attempt_id}/answers/{position}"
    client.put(url, headers=headers, json={"response": right_answer(qtype, data), "seq": 3})
    response = client.put(url, headers=headers, json=body)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    stored = client.get(f"/api/v1/attempts/{attempt_id}", headers=headers).json["questions"][0]
    assert stored["seq"] == 3


def test_unknown_question_and_attempt(client, app, kader, curriculum):
    headers = token_for(client, kader)
    attempt_id = client.post("/api/v1/units/bkb/attempts", headers=headers).json["id"]
    response = client.put(f"/api/v1/attempts/{attempt_id}/answers/21", headers=headers,
                          json={"response": "a", "seq": 1})  # fmt: skip
    assert response.status_code == 422 and response.json["error"]["code"] == "unknown_question"
    assert client.get("/api/v1/attempts/99999", headers=headers).status_code == 404
    assert client.post("/api/v1/units/tidak-ada/attempts", headers=headers).status_code == 404


def test_another_kader_gets_404_on_every_attempt_route(client, app, kader, curriculum):
    attempt_id = client.post("/api/v1/units/bkb/attempts", headers=token_for(client, kader)).json[
        "id"
    ]
    other = token_for(client, make_user(app, full_name="Kader Lain"))
    calls = [
        ("get", f"/api/v1/attempts/{attempt_id}", None),
        ("put", f"/api/v1/attempts/{attempt_id}/answers/1", {"response": None, "seq": 5}),
        ("post", f"/api/v1/attempts/{attempt_id}/submit", None),
        ("get", f"/api/v1/attempts/{attempt_id}/result", None),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, headers=other, json=body)
        assert response.status_code == 404, url
        assert response.json["error"]["code"] == "not_found"


def test_bank_questions_only_for_staff(client, app, kader, curriculum):
    assert (
        client.get("/api/v1/units/bkb/questions", headers=token_for(client, kader)).status_code
        == 403
    )
    pelatih = make_user(app, role=Role.PELATIH)
    questions = client.get("/api/v1/units/bkb/questions", headers=token_for(client, pelatih)).json
    assert len(questions["questions"]) == 70 and "data" in questions["questions"][0]


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_session_auth_needs_the_csrf_header(client, app, kader, curriculum):
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/masuk", data={"csrf_token": token, "phone": kader.phone, "password": DEFAULT_PASSWORD}
    )
    refused = client.post("/api/v1/units/bkb/attempts")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True))
    accepted = client.post("/api/v1/units/bkb/attempts", headers={"X-CSRFToken": fresh.group(1)})
    assert accepted.status_code == 201
