"""The authoring pages: units, their editors, and the buttons every editor shares (save, preview,
publish, discard). Lesson and question editors are in item_routes.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.models import User
from lms.accounts.permissions import admin_required, staff_required
from lms.authoring import drafts, previews, publishing
from lms.authoring import units as unit_service
from lms.authoring.fields import TYPE_LABELS
from lms.authoring.permissions import can_edit_unit, editable_unit, unit_or_404
from lms.content.models import Unit
from lms.database import utcnow
from lms.errors import FieldError
from lms.extensions import db

bp = Blueprint("editor", __name__, url_prefix="/kelola/materi")
UNIT_FIELDS = (
    "title",
    "summary",
    "order",
    "estimated_minutes",
    "objectives",
    "draw",
    "time_limit_minutes",
    "pass_mark",
    "attempts",
    "wait_hours",
    "questions_per_page",
    "review_failed",
    "review_passed",
    "unlock",
)


# --- Reading the editors' forms ---------------------------------------------------------------


def _unit_payload() -> dict[str, Any]:
    payload: dict[str, Any] = {name: request.form.get(name, "") for name in UNIT_FIELDS}
    payload["shuffle_questions"] = bool(request.form.get("shuffle_questions"))
    payload["shuffle_options"] = bool(request.form.get("shuffle_options"))
    return payload


# --- Units ------------------------------------------------------------------------------------


@bp.route("/")
@staff_required
def units() -> str:
    units = db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all()
    editable = {unit.id for unit in units if can_edit_unit(current_user, unit)}
    return render_template(
        "editor/units.html", units=units, editable=editable, errors={}, values={}
    )


@bp.route("/baru", methods=["POST"])
@staff_required
def create_unit() -> str | Response:
    code, title = request.form.get("code", ""), request.form.get("title", "")
    try:
        unit = unit_service.create_unit(current_user, code, title, now=utcnow())
    except FieldError as error:
        db.session.rollback()
        units = db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all()
        editable = {unit.id for unit in units if can_edit_unit(current_user, unit)}
        return render_template(
            "editor/units.html",
            units=units,
            editable=editable,
            errors={error.field: [error.message]},
            values={"code": code, "title": title},
        ), 400
    db.session.commit()
    flash(_("Unit dibuat. Lengkapi datanya, tulis pelajaran dan soal, lalu terbitkan."), "success")
    return redirect(url_for("editor.edit_unit", unit_code=unit.code))


@bp.route("/<unit_code>")
@staff_required
def unit(unit_code: str) -> str:
    unit = unit_or_404(unit_code)
    lessons, questions = drafts.unit_contents(unit)
    pelatih = unit_service.assignable_pelatih()
    return render_template(
        "editor/unit.html",
        unit=unit,
        lessons=lessons,
        questions=questions,
        drafts=drafts.drafts_of(unit),
        can_edit=can_edit_unit(current_user, unit),
        editors=unit_service.editors_of(unit),
        pelatih=pelatih,
        types=TYPE_LABELS,
    )


@bp.route("/<unit_code>/data", methods=["GET", "POST"])
@staff_required
def edit_unit(unit_code: str) -> str | Response:
    unit = editable_unit(unit_code)
    if request.method == "GET":
        values, draft = drafts.editor_fields("unit", unit, unit.code)
        return render_template(
            "editor/unit_form.html", unit=unit, values=values, draft=draft, errors={}
        )
    payload = _unit_payload()
    if not unit.is_published and request.form.get("aksi", "simpan") == "simpan":
        try:
            publishing.save_unpublished_unit(unit, payload, now=utcnow())
        except publishing.PublishRefused as refused:
            db.session.rollback()
            errors = previews.messages(refused.problems)
            return render_template("editor/unit_form.html", unit=unit, values=payload, draft=None,
                                   errors=errors), 400  # fmt: skip
        db.session.commit()
        flash(_("Data unit disimpan. Kader belum melihat unit ini sampai diterbitkan."), "success")
        return redirect(url_for("editor.unit", unit_code=unit.code))
    return editor_post("unit", unit, unit.code, payload, "editor/unit_form.html")


def editor_post(
    kind: str, unit: Unit, key: str, payload: dict[str, Any], template: str, **context: Any
) -> str | Response | tuple[str, int]:
    """The save / preview / publish / discard buttons every editor shares."""
    action, now = request.form.get("aksi", "simpan"), utcnow()
    if action == "buang":
        return _discard(kind, unit, key)
    draft = drafts.save_draft(current_user, unit, kind, key, payload, now=now)
    page = _EditorPage(template, unit, key, payload, draft, context)
    if action == "terbitkan":
        return _publish(kind, page, now)
    db.session.commit()
    if action == "pratinjau":
        preview = previews.build(kind, unit, key, payload)
        return page.render(preview.pop("problems"), preview)
    flash(_("Draf disimpan. Kader belum melihatnya sampai Anda menerbitkannya."), "success")
    return redirect(request.path)


@dataclass
class _EditorPage:
    """An editor form shown again, with what was typed, the problems and a preview."""

    template: str
    unit: Unit
    key: str
    values: dict[str, Any]
    draft: Any
    context: dict[str, Any]

    def render(self, errors: dict[str, list[str]], preview: dict[str, Any]) -> str:
        return render_template(
            self.template, unit=self.unit, values=self.values, draft=self.draft, key=self.key,
            errors=errors, **preview, **self.context,
        )  # fmt: skip


def _discard(kind: str, unit: Unit, key: str) -> Response:
    draft = drafts.find_draft(kind, unit, key)
    if draft is not None:
        drafts.discard_draft(draft)
        db.session.commit()
    flash(_("Draf dibuang. Versi yang terbit tidak berubah."), "success")
    return redirect(url_for("editor.unit", unit_code=unit.code))


def _publish(kind: str, page: _EditorPage, now: Any) -> Response | tuple[str, int]:
    try:
        version = PUBLISHERS[kind](current_user, page.unit, page.key, page.values, now=now)
    except publishing.PublishRefused as refused:
        db.session.commit()  # the draft is kept, so nothing typed is lost
        preview = previews.build(kind, page.unit, page.key, page.values)
        preview.pop("problems")
        return page.render(previews.messages(refused.problems), preview), 400
    db.session.commit()
    flash(_published_message(kind, version), "success")
    return redirect(url_for("editor.unit", unit_code=page.unit.code))


def _publish_unit(user: User, unit: Unit, _key: str, payload: dict[str, Any], *, now: Any):
    publishing.publish_unit(user, unit, payload, now=now)
    return True


PUBLISHERS = {
    "unit": _publish_unit,
    "lesson": publishing.publish_lesson,
    "question": publishing.publish_question,
}


def _published_message(kind: str, version: int | bool | None) -> str:
    if version is None:
        return _("Tidak ada perubahan dibanding versi yang terbit; draf dibuang.")
    if kind == "unit":
        return _("Data unit diterbitkan.")
    return _("Versi %(n)d diterbitkan. Kader melihatnya mulai sekarang.", n=version)


# --- Editors of a unit (admins) -----------------------------------------------------------------


@bp.route("/<unit_code>/penyunting", methods=["POST"])
@admin_required
def editors(unit_code: str) -> Response:
    unit = unit_or_404(unit_code)
    user_id = request.form.get("user_id", "")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None:
        flash(_("Pilih pelatih."), "error")
        return redirect(url_for("editor.unit", unit_code=unit.code))
    try:
        if request.form.get("aksi") == "hapus":
            unit_service.remove_editor(current_user, unit, user, now=utcnow())
        else:
            unit_service.assign_editor(current_user, unit, user, now=utcnow())
    except FieldError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("editor.unit", unit_code=unit.code))
    db.session.commit()
    flash(_("Penyunting unit diperbarui."), "success")
    return redirect(url_for("editor.unit", unit_code=unit.code))
