"""The lesson and question editors (views on the authoring blueprint)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.permissions import staff_required
from lms.authoring import drafts, previews, publishing
from lms.authoring.editor_routes import bp, editor_post
from lms.authoring.fields import N_, OPTION_ROWS, PAIR_ROWS, TYPE_LABELS
from lms.authoring.permissions import editable_unit
from lms.authoring.question_fields import blank_question
from lms.content.models import Unit
from lms.database import utcnow
from lms.errors import FieldError
from lms.extensions import db

QUESTION_FIELDS = (
    "type",
    "difficulty",
    "topic",
    "objective",
    "stem",
    "feedback",
    "scoring",
    "truefalse",
    "short",
    "numeric_answer",
    "numeric_tolerance",
    "numeric_unit",
)


def _editable_item(kind: str, unit_code: str, key: str) -> tuple[Unit, dict[str, Any], Any]:
    """The unit (403 unless the user may edit it), and the item's draft or published fields."""
    unit = editable_unit(unit_code)
    values, draft = drafts.editor_fields(kind, unit, key)
    if values is None:
        abort(404)
    return unit, values, draft


def _lesson_payload(images: dict[str, str]) -> dict[str, Any]:
    return {
        "title": request.form.get("title", ""),
        "order": request.form.get("order", ""),
        "objectives": request.form.getlist("objectives"),
        "body": request.form.get("body", ""),
        "images": images,
    }


def _question_payload() -> dict[str, Any]:
    payload: dict[str, Any] = {name: request.form.get(name, "") for name in QUESTION_FIELDS}
    payload["options"] = [request.form.get(f"option-{n}", "") for n in range(OPTION_ROWS)]
    payload["correct"] = request.form.getlist("correct")
    payload["pairs"] = [
        [request.form.get(f"left-{n}", ""), request.form.get(f"right-{n}", "")]
        for n in range(PAIR_ROWS)
    ]
    return payload


# --- Lessons ------------------------------------------------------------------------------------


@bp.route("/<unit_code>/pelajaran/baru", methods=["GET", "POST"])
@staff_required
def new_lesson(unit_code: str) -> str | Response:
    unit = editable_unit(unit_code)
    if request.method == "GET":
        values = {"title": "", "order": str(len(unit.lessons) + 1), "objectives": [], "body": ""}
        return render_template(
            "editor/lesson_form.html", unit=unit, values=values, draft=None, key=None, errors={}
        )
    key = drafts.new_key("lesson", unit, request.form.get("title", "") or "pelajaran")
    return _lesson_post(unit, key, {})


@bp.route("/<unit_code>/pelajaran/<key>", methods=["GET", "POST"])
@staff_required
def edit_lesson(unit_code: str, key: str) -> str | Response:
    unit, values, draft = _editable_item("lesson", unit_code, key)
    if request.method == "GET":
        return render_template(
            "editor/lesson_form.html",
            unit=unit,
            values=values,
            draft=draft,
            key=key,
            errors={},
            **previews.build("lesson", unit, key, values),
        )
    return _lesson_post(unit, key, dict(values.get("images") or {}))


def _lesson_post(unit: Unit, key: str, images: dict[str, str]) -> str | Response:
    upload = request.files.get("image")
    if upload and upload.filename:
        try:
            name, digest = drafts.store_upload(
                upload.read(drafts.MAX_IMAGE_BYTES + 1), upload.filename, now=utcnow()
            )
        except FieldError as error:
            db.session.rollback()
            payload = _lesson_payload(images)
            return render_template(
                "editor/lesson_form.html",
                unit=unit,
                values=payload,
                draft=drafts.find_draft("lesson", unit, key),
                key=key,
                errors={"image": [error.message]},
            ), 400
        images = {**images, name: digest}
        flash(
            _("Gambar diunggah. Tulis ![keterangan](%(name)s) di isi pelajaran.", name=name),
            "success",
        )
    result = editor_post("lesson", unit, key, _lesson_payload(images), "editor/lesson_form.html")
    saved = request.form.get("aksi") in ("simpan", None)
    if request.endpoint == "editor.new_lesson" and isinstance(result, Response) and saved:
        return redirect(url_for("editor.edit_lesson", unit_code=unit.code, key=key))
    return result


@bp.route("/pratinjau", methods=["POST"])
@staff_required
def preview_markdown() -> Response:
    """The live preview of a lesson as a kader will see it (the editor's script calls this)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("markdown"), str):
        return jsonify(error={"message": _("Isi permintaan harus berupa objek JSON.")}), 400
    images = body.get("images") if isinstance(body.get("images"), dict) else {}
    return jsonify(html=previews.lesson_html(body["markdown"][:200_000], images))


# --- Questions ----------------------------------------------------------------------------------


@bp.route("/<unit_code>/soal/baru", methods=["GET", "POST"])
@staff_required
def new_question(unit_code: str) -> str | Response:
    unit = editable_unit(unit_code)
    objectives = drafts.unit_objective_ids(unit)
    if not objectives:
        flash(_("Tulis dan terbitkan tujuan pembelajaran unit dulu."), "error")
        return redirect(url_for("editor.unit", unit_code=unit.code))
    if request.method == "GET":
        return render_template(
            "editor/question_form.html",
            unit=unit,
            draft=None,
            key=None,
            values=blank_question(objectives[0]),
            errors={},
            types=TYPE_LABELS,
        )
    key = drafts.new_key("question", unit, request.form.get("topic", "") or "soal")
    result = editor_post(
        "question",
        unit,
        key,
        _question_payload(),
        "editor/question_form.html",
        types=TYPE_LABELS,
    )
    if isinstance(result, Response) and request.form.get("aksi", "simpan") == "simpan":
        return redirect(url_for("editor.edit_question", unit_code=unit.code, key=key))
    return result


@bp.route("/<unit_code>/soal/<key>", methods=["GET", "POST"])
@staff_required
def edit_question(unit_code: str, key: str) -> str | Response:
    unit, values, draft = _editable_item("question", unit_code, key)
    if request.method == "GET":
        preview = previews.build("question", unit, key, values)
        preview.pop("problems")
        return render_template(
            "editor/question_form.html",
            unit=unit,
            values=values,
            key=key,
            draft=draft,
            errors={},
            types=TYPE_LABELS,
            question=drafts.find_item("question", unit, key),
            **preview,
        )
    return editor_post(
        "question",
        unit,
        key,
        _question_payload(),
        "editor/question_form.html",
        types=TYPE_LABELS,
        question=drafts.find_item("question", unit, key),
    )


#: The words in the address for each kind of item, and what the flash message says.
RETIRE_PATHS = {"pelajaran": "lesson", "soal": "question"}
RETIRED_MESSAGES = {
    ("lesson", True): N_("Pelajaran dipensiunkan: kader tidak melihatnya lagi."),
    ("lesson", False): N_("Pelajaran aktif lagi dan tampil untuk kader."),
    ("question", True): N_("Soal dipensiunkan: tidak akan diambil lagi untuk uji baru."),
    ("question", False): N_("Soal aktif lagi dan dapat diambil untuk uji."),
}


@bp.route("/<unit_code>/<any(pelajaran, soal):path>/<key>/<any(pensiun, aktif):state>",
          methods=["POST"])  # fmt: skip
@staff_required
def retire(unit_code: str, path: str, key: str, state: str) -> Response:
    unit, kind = editable_unit(unit_code), RETIRE_PATHS[path]
    item = drafts.find_item(kind, unit, key)
    if item is None:
        abort(404)
    retired = state == "pensiun"
    try:
        publishing.set_retired(current_user, unit, kind, item, retired, now=utcnow())
    except FieldError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("editor.unit", unit_code=unit.code))
    db.session.commit()
    flash(_(RETIRED_MESSAGES[kind, retired]), "success")
    return redirect(url_for("editor.unit", unit_code=unit.code))
