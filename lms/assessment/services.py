"""State changes of competency tests: start, save an answer, submit, finalise expired.

Each function is one transaction's worth of work; the caller commits. Time always comes from
the server (`now`); nothing here trusts the client's clock.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.assessment import grading
from lms.assessment.blueprint import Blueprint
from lms.assessment.models import Attempt, AttemptQuestion, AttemptStatus, UnitPass
from lms.assessment.selection import Candidate, draw_questions, option_order
from lms.content.models import Lesson, Question, QuestionVersion, Unit
from lms.content.queries import current_questions
from lms.dates import local_date
from lms.extensions import db
from lms.study.models import LessonCompletion

#: Called as handler(user, now) in the transaction that records a unit pass (e.g. issuing a
#: certificate once every required unit is passed). Registered at start-up.
UNIT_PASSED_HANDLERS: list[Callable[[User, datetime], None]] = []


class AssessmentError(Exception):
    """A refused test action, with a code for the API and a message for people."""

    def __init__(self, code: str, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def blueprint_of(unit: Unit) -> Blueprint:
    return Blueprint.from_json(unit.test_blueprint or {})


def attempt_blueprint(attempt: Attempt) -> Blueprint:
    return Blueprint.from_json(attempt.blueprint)


@dataclass
class CompetencyStatus:
    """Where a user stands with a unit's test."""

    unit: Unit
    blueprint: Blueprint
    attempts: list[Attempt]
    open_attempt: Attempt | None
    unit_pass: UnitPass | None
    #: Why a new attempt cannot start now (None: it can).
    blocked_reason: str | None
    blocked_code: str | None
    next_start_at: datetime | None
    #: Attempts that count toward the limit (those of the current round).
    attempts_used: int

    @property
    def attempts_left(self) -> int | None:
        allowed = self.blueprint.attempts_allowed
        return None if allowed is None else max(0, allowed - self.attempts_used)


def competency_status(user: User, unit: Unit, *, now: datetime) -> CompetencyStatus:
    """The user's attempts at this unit and whether a new one may start (expired ones are
    finalised first)."""
    attempts = list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.unit_id == unit.id)
            .order_by(Attempt.number)
        )
    )
    for attempt in attempts:
        finalise_if_expired(attempt, now=now)
    blueprint = blueprint_of(unit)
    open_attempt = next((a for a in attempts if a.is_open), None)
    today = local_date(now)
    passes = unit_passes(user, unit)
    unit_pass = next((p for p in passes if p.is_current(today)), None)
    # After a pass has lapsed (its certificate expired), a fresh round of attempts begins.
    lapsed = max((p.valid_until for p in passes if not p.is_current(today)), default=None)
    counted = [a for a in attempts if lapsed is None or local_date(a.started_at) >= lapsed]
    code, reason, next_start = _start_blocker(user, unit, blueprint, counted, unit_pass, now)
    return CompetencyStatus(
        unit, blueprint, attempts, open_attempt, unit_pass, reason, code, next_start, len(counted)
    )


def unit_passes(user: User, unit: Unit) -> list[UnitPass]:
    """Every pass of the unit by the user, newest first."""
    return list(
        db.session.scalars(
            sa.select(UnitPass)
            .where(UnitPass.user_id == user.id, UnitPass.unit_id == unit.id)
            .order_by(UnitPass.passed_at.desc(), UnitPass.id.desc())
        )
    )


def _start_blocker(
    user: User,
    unit: Unit,
    blueprint: Blueprint,
    attempts: list[Attempt],
    unit_pass: UnitPass | None,
    now: datetime,
) -> tuple[str | None, str | None, datetime | None]:
    if any(a.is_open for a in attempts):
        return None, None, None
    if unit_pass is not None:
        return "already_passed", _("Anda sudah lulus uji kompetensi unit ini."), None
    if blueprint.unlock == "all-lessons-read" and not _all_lessons_read(user, unit):
        return "locked", _("Baca semua pelajaran unit ini dulu untuk membuka uji kompetensi."), None
    allowed = blueprint.attempts_allowed
    if allowed is not None and len(attempts) >= allowed:
        return "no_attempts_left", _("Kesempatan mengikuti uji ini sudah habis."), None
    if attempts and attempts[-1].finished_at is not None and blueprint.wait_hours:
        next_start = attempts[-1].finished_at + timedelta(hours=blueprint.wait_hours)
        if now < next_start:
            return "wait", _("Anda bisa mencoba lagi setelah masa tunggu selesai."), next_start
    return None, None, None


def _all_lessons_read(user: User, unit: Unit) -> bool:
    unread = db.session.scalar(
        sa.select(sa.func.count(Lesson.id)).where(
            Lesson.unit_id == unit.id,
            Lesson.is_retired.is_(False),
            ~sa.exists().where(
                LessonCompletion.user_id == user.id, LessonCompletion.lesson_id == Lesson.id
            ),
        )
    )
    return unread == 0


def start_attempt(
    user: User, unit: Unit, *, now: datetime, rng: secrets.SystemRandom | None = None
) -> Attempt:
    """Start a new attempt, or return the open one (starting again resumes it)."""
    status = competency_status(user, unit, now=now)
    if status.open_attempt is not None:
        return status.open_attempt
    if status.blocked_code is not None:
        raise AssessmentError(status.blocked_code, status.blocked_reason or "")
    blueprint = status.blueprint
    rng = rng or secrets.SystemRandom()
    seed = rng.randrange(2**62)
    versions = _drawable_versions(unit)
    previous = _keys_seen_last_time(status.attempts)
    candidates = [Candidate(key, v.topic, v.difficulty) for key, v in versions.items()]
    drawn = draw_questions(blueprint, candidates, previous, seed)
    if len(drawn) < blueprint.question_count:
        raise AssessmentError("bank_too_small", _("Bank soal unit ini belum cukup untuk diuji."))
    order_rng = random.Random(seed + 1)  # noqa: S311 - reproducible order, not a secret
    attempt = Attempt(
        user_id=user.id,
        unit_id=unit.id,
        number=len(status.attempts) + 1,
        seed=seed,
        status=AttemptStatus.OPEN.value,
        blueprint=blueprint.to_json(),
        started_at=now,
        deadline_at=now + timedelta(minutes=blueprint.time_limit_minutes),
    )
    for position, candidate in enumerate(drawn, start=1):
        version = versions[candidate.key]
        attempt.questions.append(
            AttemptQuestion(
                position=position,
                question_version_id=version.id,
                option_order=option_order(
                    version.type, version.data, blueprint.shuffle_options, order_rng
                ),
                response_seq=0,
            )
        )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _drawable_versions(unit: Unit) -> dict[str, QuestionVersion]:
    return dict(current_questions(unit))


def _keys_seen_last_time(attempts: list[Attempt]) -> set[str]:
    if not attempts:
        return set()
    return set(
        db.session.scalars(
            sa.select(Question.key)
            .join(QuestionVersion, QuestionVersion.question_id == Question.id)
            .join(AttemptQuestion, AttemptQuestion.question_version_id == QuestionVersion.id)
            .where(AttemptQuestion.attempt_id == attempts[-1].id)
        )
    )


def find_attempt(user: User, attempt_id: int) -> Attempt:
    """The user's own attempt; anyone else's is reported as not found."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise AssessmentError("not_found", _("Percobaan uji tidak ditemukan."), 404)
    return attempt


def _ensure_writable(attempt: Attempt, now: datetime) -> None:
    finalise_if_expired(attempt, now=now)
    if not attempt.is_open:
        if attempt.status == AttemptStatus.EXPIRED.value:
            raise AssessmentError(
                "time_over", _("Waktu uji sudah habis. Jawaban yang tersimpan sudah dinilai.")
            )
        raise AssessmentError("submitted", _("Uji ini sudah dikirim dan tidak bisa diubah."))


@dataclass
class SaveResult:
    position: int
    seq: int
    #: False when a newer save had already arrived (this one was older and is ignored).
    applied: bool
    response: Any


def save_answer(
    user: User, attempt: Attempt, position: int, response: Any, *, seq: int | None, now: datetime
) -> SaveResult:
    """Save one answer. Saves are idempotent and ordered by `seq`: an older save that arrives
    late never overwrites a newer answer. `seq=None` (a whole-page form post, which shows what
    the kader sees last) orders the save after everything saved so far."""
    _ensure_writable(attempt, now)
    grace = timedelta(seconds=attempt_blueprint(attempt).grace_seconds)
    if now > attempt.deadline_at + grace:
        raise AssessmentError("time_over", _("Waktu uji sudah habis."))
    # Only the one question is loaded (with its version): a hall of kader saves thousands of
    # answers, and the other 19 rows are not needed for that.
    question = db.session.scalar(
        sa.select(AttemptQuestion).where(
            AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == position
        )
    )
    if question is None:
        raise AssessmentError("unknown_question", _("Soal ini tidak ada dalam uji Anda."), 422)
    if seq is None:
        seq = max(question.response_seq + 1, int(now.timestamp() * 1000))
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < 2**62:
        raise AssessmentError("invalid_seq", _("Nomor urut penyimpanan tidak sah."), 422)
    if response is not None:
        try:
            response = grading.check_response(
                question.version.type, question.version.data, response
            )
        except grading.ResponseShapeError as error:
            message = _(error.message, **error.params)
            raise AssessmentError("invalid_answer", message, 422) from error
    result = db.session.execute(
        sa.update(AttemptQuestion)
        .where(AttemptQuestion.id == question.id, AttemptQuestion.response_seq < seq)
        .values(response=response, response_seq=seq, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        # Keep the loaded row in step with the database without another UPDATE or SELECT.
        for name, value in (("response", response), ("response_seq", seq), ("answered_at", now)):
            set_committed_value(question, name, value)
        return SaveResult(position, seq, True, response)
    db.session.refresh(question)
    return SaveResult(position, question.response_seq, result.rowcount == 1, question.response)


def submit_attempt(user: User, attempt: Attempt, *, now: datetime) -> Attempt:
    """Grade and close the attempt; a repeated submit returns the same graded attempt."""
    finalise_if_expired(attempt, now=now)
    if not attempt.is_open:
        return attempt
    _finalise(attempt, AttemptStatus.SUBMITTED, now)
    return attempt


def finalise_if_expired(attempt: Attempt, *, now: datetime) -> bool:
    """Grade an open attempt whose deadline (plus grace) has passed, on its saved answers."""
    grace = timedelta(seconds=attempt_blueprint(attempt).grace_seconds)
    if attempt.is_open and now > attempt.deadline_at + grace:
        _finalise(attempt, AttemptStatus.EXPIRED, attempt.deadline_at)
        return True
    return False


def finalise_expired_attempts(*, now: datetime) -> int:
    """For cron: grade every open attempt whose time is over. Returns how many."""
    count = 0
    for attempt in db.session.scalars(
        sa.select(Attempt).where(Attempt.status == AttemptStatus.OPEN.value)
    ):
        count += finalise_if_expired(attempt, now=now)
    return count


def _finalise(attempt: Attempt, status: AttemptStatus, finished_at: datetime) -> None:
    # Only the request that flips the row from open grades it: a double submit, or a submit
    # racing the expiry, grades once.
    claimed = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.OPEN.value)
        .values(status=status.value, finished_at=finished_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if claimed.rowcount != 1:
        return
    scores = []
    for question in attempt.questions:
        score = grading.grade(question.version.type, question.version.data, question.response)
        question.points, question.is_correct = score.points, score.is_correct
        scores.append(score)
    points, max_points = grading.total(scores)
    blueprint = attempt_blueprint(attempt)
    attempt.points, attempt.max_points = points, max_points
    attempt.percent = grading.percent(points, max_points)
    attempt.is_passed = grading.is_pass(attempt.percent, blueprint.pass_mark)
    if attempt.is_passed:
        _record_pass(attempt, finished_at)
    db.session.flush()


def _record_pass(attempt: Attempt, passed_at: datetime) -> None:
    # One kader's passes are recorded one at a time: a kader finishing two units at the same
    # moment must see both passes in the second transaction (certificates depend on it).
    # NO KEY UPDATE: foreign keys to the user (attempts, passes) take KEY SHARE locks, which
    # this must not wait for, or two such transactions deadlock.
    user = db.session.scalar(
        sa.select(User).where(User.id == attempt.user_id).with_for_update(key_share=True)
    )
    today = local_date(passed_at)
    if any(p.is_current(today) for p in unit_passes(user, attempt.unit)):
        return
    db.session.add(
        UnitPass(
            user_id=attempt.user_id,
            unit_id=attempt.unit_id,
            attempt_id=attempt.id,
            passed_at=passed_at,
            percent=attempt.percent,
        )
    )
    db.session.flush()
    for handler in UNIT_PASSED_HANDLERS:
        handler(user, passed_at)
