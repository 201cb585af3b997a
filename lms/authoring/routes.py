"""Question banks in the browser: export to GIFT / Moodle XML, and import with a preview."""

from __future__ import annotations

import base64
import binascii

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField

from lms.accounts.permissions import staff_required
from lms.authoring.bank import bank_for_export, import_questions, plan_import
from lms.authoring.exchange import export_gift, export_moodle_xml, parse_gift, parse_moodle_xml
from lms.authoring.permissions import can_edit_unit, editable_unit
from lms.content.models import Question, Unit
from lms.database import utcnow
from lms.extensions import db

bp = Blueprint("authoring", __name__, url_prefix="/kelola/bank")
MAX_IMPORT_BYTES = 2 * 1024 * 1024
PARSERS = {"gift": lambda data: parse_gift(data.decode("utf-8-sig")), "xml": parse_moodle_xml}


class ImportForm(FlaskForm):
    file = FileField()
    #: Step two carries the checked file back, so what is saved is exactly what was previewed.
    payload = HiddenField()
    kind = HiddenField()


def _unit(unit_code: str) -> Unit:
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
    if unit is None:
        abort(404)
    return unit


@bp.route("/")
@staff_required
def units() -> str:
    units = db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all()
    return render_template("authoring/units.html", units=units)


@bp.route("/<unit_code>")
@staff_required
def bank(unit_code: str) -> str:
    unit = _unit(unit_code)
    can_edit = can_edit_unit(current_user, unit)
    return render_template("authoring/bank.html", unit=unit, counts=_counts(unit),
                           form=ImportForm(), can_edit=can_edit)  # fmt: skip


def _counts(unit: Unit) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Question.origin, sa.func.count(Question.id))
        .where(Question.unit_id == unit.id, Question.is_retired.is_(False))
        .group_by(Question.origin)
    )
    return dict(rows.all())


@bp.route("/<unit_code>/ekspor.<kind>")
@staff_required
def export(unit_code: str, kind: str) -> Response:
    unit = _unit(unit_code)
    questions = bank_for_export(unit)
    if kind == "gift":
        response = Response(export_gift(questions), mimetype="text/plain; charset=utf-8")
    elif kind == "xml":
        response = Response(export_moodle_xml(questions), mimetype="application/xml")
    else:
        abort(404)
    response.headers["Content-Disposition"] = f"attachment; filename=bank-{unit.code}.{kind}"
    return response


def _read_upload(form: ImportForm) -> tuple[bytes, str] | str:
    """The file and its format, from the upload (step one) or the carried payload (step two)."""
    if form.payload.data:
        try:
            data = base64.b64decode(form.payload.data, validate=True)
        except (binascii.Error, ValueError):
            return _("Data pratinjau rusak. Unggah berkas lagi.")
        kind = form.kind.data
    else:
        upload = request.files.get("file")
        data = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        name = (upload.filename or "").lower() if upload else ""
        kind = "xml" if name.endswith(".xml") else "gift"
    if not data:
        return _("Pilih berkas GIFT (.gift/.txt) atau Moodle XML (.xml).")
    if len(data) > MAX_IMPORT_BYTES:
        return _("Berkas terlalu besar (paling besar 2 MB).")
    if kind not in PARSERS:
        return _("Format berkas tidak dikenal.")
    return data, kind


@bp.route("/<unit_code>/impor", methods=["POST"])
@staff_required
def import_bank(unit_code: str) -> str | Response:
    unit = editable_unit(unit_code)
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    read = _read_upload(form)
    if isinstance(read, str):
        return render_template("authoring/bank.html", unit=unit, counts=_counts(unit), form=form,
                               upload_error=read, can_edit=True), 400  # fmt: skip
    data, kind = read
    try:
        result = PARSERS[kind](data)
    except UnicodeDecodeError:
        result = None
    if result is None or result.errors:
        errors = (
            [_translated(problem) for problem in result.problems]
            if result
            else [_("Berkas harus disimpan dengan encoding UTF-8.")]
        )
        return render_template("authoring/import_result.html", unit=unit, errors=errors,
                               planned=[], skipped=[], form=form), 400  # fmt: skip
    planned = plan_import(unit, result.questions)
    if request.form.get("konfirmasi") == "1" and planned:
        import_questions(current_user, unit, planned, source=kind, now=utcnow())
        db.session.commit()
        flash(_("%(n)d soal diimpor ke bank %(unit)s.", n=len(planned), unit=unit.title), "success")
        return redirect(url_for("authoring.bank", unit_code=unit.code))
    form.payload.data, form.kind.data = base64.b64encode(data).decode(), kind
    current_app.logger.info("import preview %s: %d questions", unit.code, len(planned))
    return render_template("authoring/import_result.html", unit=unit, errors=[], planned=planned,
                           skipped=result.skipped, form=form)  # fmt: skip


def _translated(problem: object) -> str:
    message = _(problem.message, **problem.params)  # type: ignore[attr-defined]
    line = problem.line  # type: ignore[attr-defined]
    return message if line is None else _("baris %(line)d: %(message)s", line=line, message=message)
