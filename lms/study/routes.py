"""The kader's reading path: units, lessons, marking a lesson as read, lesson images."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.forms import ConfirmForm
from lms.content.models import ContentImage
from lms.database import utcnow
from lms.extensions import db
from lms.study import services
from lms.study.progress import resume_target, study_overview, unit_progress_or_404

bp = Blueprint("study", __name__, url_prefix="/belajar")


@bp.route("/")
@login_required
def units() -> str:
    overview = study_overview(current_user)
    return render_template(
        "study/units.html", units=overview, resume=resume_target(current_user, overview)
    )


@bp.route("/<unit_code>")
@login_required
def unit(unit_code: str) -> str:
    progress = unit_progress_or_404(current_user, unit_code)
    return render_template("study/unit.html", progress=progress)


@bp.route("/<unit_code>/<lesson_key>")
@login_required
def lesson(unit_code: str, lesson_key: str) -> str:
    progress = unit_progress_or_404(current_user, unit_code)
    index = progress.position_of(lesson_key)
    return render_template(
        "study/lesson.html",
        progress=progress,
        entry=progress.lessons[index],
        index=index,
        previous=progress.lessons[index - 1] if index > 0 else None,
        next=progress.lessons[index + 1] if index + 1 < progress.total else None,
        form=ConfirmForm(),
    )


@bp.route("/<unit_code>/<lesson_key>/selesai", methods=["POST"])
@login_required
def mark_read(unit_code: str, lesson_key: str) -> Response:
    progress = unit_progress_or_404(current_user, unit_code)
    index = progress.position_of(lesson_key)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_lesson_read(current_user, progress.lessons[index].version, now=utcnow())
    db.session.commit()
    flash(_("Pelajaran ditandai selesai dibaca."), "success")
    if index + 1 < progress.total:
        following = progress.lessons[index + 1].lesson.key
        return redirect(url_for("study.lesson", unit_code=unit_code, lesson_key=following))
    return redirect(url_for("study.unit", unit_code=unit_code))


@bp.route("/gambar/<sha256>")
@login_required
def image(sha256: str) -> Response:
    found = db.session.scalar(sa.select(ContentImage).where(ContentImage.sha256 == sha256))
    if found is None:
        abort(404)
    response = Response(found.data, mimetype=found.media_type)
    # The address is the content's hash: it can be cached for good.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
