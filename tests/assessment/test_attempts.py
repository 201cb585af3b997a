"""Taking a test through the pages (no JavaScript needed) and the services behind them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment import services
from lms.assessment.models import Attempt, AttemptQuestion, UnitPass
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from tests.assessment.helpers import attempt_questions, load_attempt, right_answer, wrong_answer
from tests.factories import make_user


def start(client, unit="bkb") -> int:
    response = client.post(f"/uji/{unit}/mulai")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/uji/percobaan/(\d+)", response.location).group(1))


def form_value(question_type, answer) -> dict:
    """The no-JS form fields for one answer of question at `position` (filled in by caller)."""
    if question_type == "truefalse":
        return {"": "true" if answer else "false"}
    if question_type == "matching":
        return {f"_{left}": right for left, right in answer.items()}
    if question_type == "multiple":
        return {"": list(answer)}
    return {"": str(answer)}


def answer_page(client, attempt_id, page, questions, chooser, action="lanjut"):
    data = {"aksi": action}
    for position, qtype, key in questions[(page - 1) * 5 : page * 5]:
        for suffix, value in form_value(qtype, chooser(qtype, key)).items():
            data[f"q{position}{suffix}"] = value
    return client.post(f"/uji/percobaan/{attempt_id}?hal={page}", data=data)


def take_whole_test(client, app, chooser=right_answer) -> int:
    attempt_id = start(client)
    questions = attempt_questions(app, attempt_id)
    for page in range(1, 5):
        answer_page(client, attempt_id, page, questions, chooser)
    client.post(f"/uji/percobaan/{attempt_id}/kirim")
    return attempt_id


def test_start_draws_twenty_stored_versions_and_resumes(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = start(client)
    assert start(client) == attempt_id  # starting again resumes
    attempt = load_attempt(app, attempt_id)
    assert len(attempt.questions) == 20 and attempt.is_open
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=30)
    assert len({q.question_version_id for q in attempt.questions}) == 20
    page = client.get(f"/uji/percobaan/{attempt_id}").get_data(as_text=True)
    assert "Soal 1" in page and "Soal 5" in page and "Soal 6" not in page
    assert "Sisa waktu" in page and "Halaman 1 dari 4" in page


def test_database_allows_one_open_attempt_per_unit(app, kader, curriculum):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        now = utcnow()
        for number in (1, 2):
            db.session.add(
                Attempt(user_id=kader.id, unit_id=unit.id, number=number, seed=number,
                        status="open", blueprint={}, started_at=now,
                        deadline_at=now + timedelta(minutes=30))
            )  # fmt: skip
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()


def test_second_attempt_avoids_the_questions_of_the_first(app, kader, curriculum):
    with app.app_context():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        user = db.session.get(User, kader.id)
        first = services.start_attempt(user, unit, now=utcnow())
        first_keys = {q.version.question.key for q in first.questions}
        services.submit_attempt(user, first, now=utcnow())
        db.session.commit()
        later = utcnow() + timedelta(hours=25)
        second = services.start_attempt(user, unit, now=later)
        second_keys = {q.version.question.key for q in second.questions}
        assert not first_keys & second_keys  # 70 questions in the bank: no repeats needed
        assert first.seed != second.seed


def test_no_js_pages_save_answers_and_resume_after_logout(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = start(client)
    questions = attempt_questions(app, attempt_id)
    response = answer_page(client, attempt_id, 1, questions, right_answer)
    assert response.location.endswith("hal=2")
    auth.logout()
    auth.login(kader.phone)
    assert start(client) == attempt_id
    attempt = load_attempt(app, attempt_id)
    answered = [q.position for q in attempt.questions if q.response is not None]
    assert answered == [1, 2, 3, 4, 5]
    page = client.get(f"/uji/percobaan/{attempt_id}").get_data(as_text=True)
    assert "Terjawab 5 dari 20" in page and page.count(">Tersimpan<") == 5
    assert " checked" in page or "selected" in page or 'value="' in page


def test_confirm_lists_unanswered_then_submit_grades(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = start(client)
    questions = attempt_questions(app, attempt_id)
    answer_page(client, attempt_id, 1, questions, right_answer, action="selesai")
    page = client.get(f"/uji/percobaan/{attempt_id}/kirim").get_data(as_text=True)
    assert "15 soal belum dijawab" in page and "Soal 6" in page and "Soal 20" in page
    assert client.post(f"/uji/percobaan/{attempt_id}/kirim").status_code == 302
    attempt = load_attempt(app, attempt_id)
    assert attempt.status == "submitted" and attempt.percent == 25.0 and not attempt.is_passed


def test_double_submit_grades_once(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = take_whole_test(client, app)
    first = load_attempt(app, attempt_id)
    client.post(f"/uji/percobaan/{attempt_id}/kirim")
    again = load_attempt(app, attempt_id)
    assert (first.finished_at, first.points) == (again.finished_at, again.points)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitPass)) == 1


def test_passing_records_the_unit_with_its_attempt(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = take_whole_test(client, app)
    attempt = load_attempt(app, attempt_id)
    assert attempt.percent == 100.0 and attempt.is_passed
    with app.app_context():
        unit_pass = db.session.scalar(sa.select(UnitPass))
        assert unit_pass.attempt_id == attempt_id and unit_pass.percent == 100.0
    result = client.get(f"/uji/percobaan/{attempt_id}/hasil").get_data(as_text=True)
    assert "LULUS" in result and "Jawaban yang benar" in result  # full review after a pass
    overview = client.get("/uji/bkb").get_data(as_text=True)
    assert "Lulus dengan nilai 100" in overview and "Percobaan 1" in overview
    assert "Uji: lulus (100)" in client.get("/").get_data(as_text=True)


def test_failed_review_shows_correctness_not_answers(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = take_whole_test(client, app, chooser=wrong_answer)
    page = client.get(f"/uji/percobaan/{attempt_id}/hasil").get_data(as_text=True)
    assert "BELUM LULUS" in page and "Tinjauan soal" in page and "salah" in page
    assert "Jawaban yang benar" not in page
    with app.app_context():
        feedback = db.session.scalars(
            sa.select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
        ).all()
        for question in feedback:
            assert question.version.feedback_html not in page
    assert "Baca lagi:" in page and "/belajar/bkb/" in page


def test_submitted_attempt_cannot_change(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = take_whole_test(client, app, chooser=wrong_answer)
    before = load_attempt(app, attempt_id)
    client.post(f"/uji/percobaan/{attempt_id}?hal=1", data={"q1": "a", "aksi": "lanjut"})
    after = load_attempt(app, attempt_id)
    assert [q.response for q in before.questions] == [q.response for q in after.questions]
    assert client.get(f"/uji/percobaan/{attempt_id}").location.endswith("/hasil")


def test_attempts_limit_and_waiting_time(app, kader, curriculum):
    with app.app_context():
        user = db.session.get(User, kader.id)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        now = utcnow()
        for round_ in range(3):
            attempt = services.start_attempt(user, unit, now=now)
            services.submit_attempt(user, attempt, now=now)
            db.session.commit()
            if round_ < 2:
                with pytest.raises(services.AssessmentError) as waiting:
                    services.start_attempt(user, unit, now=now + timedelta(hours=23))
                assert waiting.value.code == "wait"
            now += timedelta(hours=24, minutes=1)
        with pytest.raises(services.AssessmentError) as exhausted:
            services.start_attempt(user, unit, now=now)
        assert exhausted.value.code == "no_attempts_left"


def test_unlock_rule_all_lessons_read(app, client, auth, kader, curriculum, runner):
    unit_yaml = curriculum / "modules/bkb/unit.yaml"
    unit_yaml.write_text(unit_yaml.read_text().replace("unlock: none", "unlock: all-lessons-read"))
    assert runner.invoke(args=["content", "sync", str(curriculum)]).exit_code == 0
    auth.login(kader.phone)
    response = client.post("/uji/bkb/mulai", follow_redirects=True)
    assert "Baca semua pelajaran unit ini dulu" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 0


def test_deadline_is_the_servers(app, client, auth, kader, curriculum, runner):
    auth.login(kader.phone)
    attempt_id = start(client)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.started_at -= timedelta(minutes=40)
        attempt.deadline_at -= timedelta(minutes=40)
        first = attempt.questions[0]
        first.response = right_answer(first.version.type, first.version.data)
        first.response_seq = 1
        db.session.commit()
    response = client.put(
        f"/api/v1/attempts/{attempt_id}/answers/2", json={"response": None, "seq": 9}
    )
    assert response.status_code == 409 and response.json["error"]["code"] == "time_over"
    graded = load_attempt(app, attempt_id)
    assert graded.status == "expired" and graded.percent == 5.0
    assert client.get(f"/uji/percobaan/{attempt_id}").location.endswith("/hasil")


def test_cron_command_finalises_abandoned_attempts(app, client, auth, kader, curriculum, runner):
    auth.login(kader.phone)
    attempt_id = start(client)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.started_at -= timedelta(hours=2)
        attempt.deadline_at -= timedelta(hours=2)
        db.session.commit()
    result = runner.invoke(args=["assessment", "finalise-expired"])
    assert "Finalised 1 expired attempt(s)." in result.output
    assert load_attempt(app, attempt_id).status == "expired"


def test_other_kader_cannot_reach_an_attempt(app, client, auth, kader, curriculum):
    auth.login(kader.phone)
    attempt_id = start(client)
    auth.logout()
    other = make_user(app, full_name="Kader Lain")
    auth.login(other.phone)
    for path in (f"/uji/percobaan/{attempt_id}", f"/uji/percobaan/{attempt_id}/kirim",
                 f"/uji/percobaan/{attempt_id}/hasil"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/uji/percobaan/{attempt_id}?hal=1", data={"q1": "a"}).status_code == 404
    assert client.post(f"/uji/percobaan/{attempt_id}/kirim").status_code == 404
    assert load_attempt(app, attempt_id).is_open


def test_unknown_unit_404(client, auth, kader, curriculum):
    auth.login(kader.phone)
    assert client.get("/uji/tidak-ada").status_code == 404
    assert client.post("/uji/tidak-ada/mulai").status_code == 404


def test_simultaneous_submits_grade_once(app, kader, curriculum):
    """Two requests submitting the same attempt at the same moment grade it exactly once."""
    import threading

    with app.app_context():
        user = db.session.get(User, kader.id)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkb"))
        attempt_id = services.start_attempt(user, unit, now=utcnow()).id
        db.session.commit()
    barrier, errors, results = threading.Barrier(2), [], []

    def submit() -> None:
        try:
            barrier.wait(timeout=5)
            with app.app_context():
                user = db.session.get(User, kader.id)
                attempt = services.find_attempt(user, attempt_id)
                services.submit_attempt(user, attempt, now=utcnow())
                db.session.commit()
                results.append((attempt.finished_at, attempt.points))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 2 and results[0] == results[1]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.points == 0.0


def test_viewing_a_test_page_writes_nothing_and_loads_each_row_once(
    app, client, auth, kader, curriculum
):
    auth.login(kader.phone)
    attempt_id = start(client)
    client.get(f"/uji/percobaan/{attempt_id}")  # warm caches (templates, metadata)
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
        record = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(f"/uji/percobaan/{attempt_id}?hal=2").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)
    writes = [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    # The session user, the attempt, its questions (with their versions) and the unit: a
    # commit in the middle would expire them all and load them again row by row.
    assert len(statements) <= 6, statements
