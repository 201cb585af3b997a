"""Fixtures for certificate tests: a two-unit program, and a kader who passes its units."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from lms.accounts.models import User
from lms.assessment import services as tests_services
from lms.certification.models import Certificate
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from tests.assessment.helpers import right_answer
from tests.factories import copy_curriculum

PROGRAM = """\
code: mini
title: Sertifikat Kompetensi Kader Calon PLKB
units: [bkb, bkl]
validity_years: 3
issuer:
  name: DPPKB Kabupaten Kutai Timur
  place: Sangatta
"""


@pytest.fixture
def program_content(app: Flask, tmp_path: Path) -> Path:
    """BKB and BKL synced, with a program that requires both."""
    root = copy_curriculum(tmp_path / "content", ("bkb", "bkl"))
    (root / "modules" / "programs").mkdir()
    (root / "modules" / "programs" / "mini.yaml").write_text(PROGRAM)
    result = app.test_cli_runner().invoke(args=["content", "sync", str(root)])
    assert result.exit_code == 0, result.output
    return root


def pass_unit(app: Flask, user_id: int, unit_code: str, now: datetime | None = None) -> None:
    """Start, answer every question right, and submit (one transaction each step)."""
    now = now or utcnow()
    with app.app_context():
        user = db.session.get(User, user_id)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
        attempt = tests_services.start_attempt(user, unit, now=now)
        for question in attempt.questions:
            question.response = right_answer(question.version.type, question.version.data)
        tests_services.submit_attempt(user, attempt, now=now)
        db.session.commit()


def certificates(app: Flask) -> list[Certificate]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Certificate).order_by(Certificate.id)))
        for certificate in found:
            _ = certificate.pdf, certificate.units
        db.session.expunge_all()
        return found


@pytest.fixture
def certified(app: Flask, kader: User, program_content: Path) -> Certificate:
    """A kader who has passed both units, and the certificate that was issued."""
    pass_unit(app, kader.id, "bkb")
    pass_unit(app, kader.id, "bkl")
    [certificate] = certificates(app)
    return certificate
