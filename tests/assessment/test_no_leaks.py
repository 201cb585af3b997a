"""Nothing that gives an answer away reaches the browser before grading (HTML, JSON or JS)."""

from __future__ import annotations

import html
import json
import re

import sqlalchemy as sa

from lms.assessment.models import AttemptQuestion
from lms.extensions import db
from tests.assessment.helpers import right_answer

FORBIDDEN_JSON_KEYS = {
    "answer",
    "key",
    "feedback",
    "feedback_html",
    "feedback_markdown",
    "is_correct",
}


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def json_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(json_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(json_keys(v) for v in value)) if value else set()
    return set()


def test_every_response_before_grading_is_free_of_keys(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    bodies: list[str] = []

    def get(path):
        response = client.get(path)
        bodies.append(response.get_data(as_text=True))
        return response

    get("/uji/bkb")
    start = client.post("/uji/bkb/mulai")
    attempt_id = int(start.location.rsplit("/", 1)[1])
    for page in range(1, 5):
        get(f"/uji/percobaan/{attempt_id}?hal={page}")
    page = bodies[-1]
    get(re.search(r'src="(/static/attempt\.js[^"]*)"', page).group(1))
    api = get(f"/api/v1/attempts/{attempt_id}")
    with app.app_context():
        questions = db.session.scalars(
            sa.select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
        ).all()
        first = questions[0]
        saved = client.put(
            f"/api/v1/attempts/{attempt_id}/answers/1",
            json={"response": right_answer(first.version.type, first.version.data), "seq": 7},
        )
        # (The save's answer echoes only what the kader sent: checked for keys below.)
        get(f"/uji/percobaan/{attempt_id}/kirim")
        get("/api/v1/units")
        everything = "\n".join(bodies)
        # Text the kader is meant to see; an accepted answer that also appears there proves
        # nothing either way.
        shown = " ".join(
            plain(q.version.stem_html) + " " + json.dumps(q.version.data.get("options", []))
            + " " + json.dumps(q.version.data.get("pairs", []))
            for q in questions
        ).casefold()  # fmt: skip
        for question in questions:
            version = question.version
            feedback = plain(version.feedback_html)[:60]
            if feedback.casefold() not in shown:
                assert feedback not in everything, (version.question.key, "feedback leaked")
            if version.type == "short":
                for accepted in version.data["answer"]:
                    if accepted.casefold() not in shown:
                        where = [
                            b[max(0, b.find(accepted) - 200) : b.find(accepted) + 50]
                            for b in bodies
                            if accepted in b
                        ]
                        assert not where, (version.question.key, accepted, where)
    for body in (api.get_json(), json.loads(bodies[-1]), saved.get_json()):
        assert not json_keys(body) & FORBIDDEN_JSON_KEYS
