"""The item analysis page on real attempts, including a question that got a new version."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment import services as test_services
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from tests.assessment.helpers import right_answer, wrong_answer
from tests.factories import make_user


def take(app, user_id: int, chooser) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        attempt = test_services.start_attempt(user, unit, now=utcnow())
        for question in attempt.questions:
            question.response = chooser(question.version.type, question.version.data)
        test_services.submit_attempt(user, attempt, now=utcnow())
        db.session.commit()


def test_analysis_of_three_attempts(app, client, auth, pelatih, curriculum):
    take(app, make_user(app, full_name="A").id, right_answer)
    take(app, make_user(app, full_name="B").id, wrong_answer)
    take(app, make_user(app, full_name="C").id, right_answer)
    auth.login(pelatih.phone)
    page = client.get("/kelola/analisis/bkb").get_data(as_text=True)
    stats = page.split('data-testid="test-stats"')[1].split("</dl>")[0]
    assert "<dd>3</dd>" in stats and "<dd>66.7</dd>" in stats and "<dd>57.7</dd>" in stats
    assert "<svg" in page and 'role="img"' in page
    assert "indeks kemudahan di atas 0.9" in page
    rows = page.split('data-testid="items"')[1]
    assert len(re.findall(r"\(v1\)", rows)) >= 20


def test_new_version_counted_on_its_own(app, client, auth, pelatih, curriculum, runner):
    bank = curriculum / "question_banks/bkb"
    for path in bank.glob("*.yaml"):
        path.write_text(
            path.read_text().replace(
                "feedback: |-",
                "feedback: |-\n      Revisi.",
            )
        )
    take(app, make_user(app, full_name="A").id, right_answer)
    assert runner.invoke(args=["content", "sync", str(curriculum)]).exit_code == 0
    take(app, make_user(app, full_name="B").id, right_answer)
    auth.login(pelatih.phone)
    rows = client.get("/kelola/analisis/bkb").get_data(as_text=True).split('data-testid="items"')[1]
    assert "(v1)" in rows and "(v2)" in rows


def test_kader_cannot_see_item_analysis(client, auth, kader, curriculum):
    auth.login(kader.phone)
    assert client.get("/kelola/analisis/bkb").status_code == 403
    assert client.get("/kelola/analisis/").status_code == 403
