"""A unit as a zip of content files (staff): download it, or upload one to import it."""

from __future__ import annotations

from pathlib import Path

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.accounts.permissions import staff_required
from lms.authoring.archive import (
    MAX_UPLOAD_BYTES,
    ArchiveForbidden,
    ImportOutcome,
    import_unit_archive,
)
from lms.authoring.archive_files import build_unit_archive, bundled_file_names
from lms.authoring.permissions import unit_or_404
from lms.config import REPO_ROOT
from lms.content.models import Unit
from lms.content.sync import ADOPTED
from lms.database import utcnow
from lms.extensions import csrf, db

bp = Blueprint("archive", __name__, url_prefix="/kelola/materi")
#: Room for the multipart envelope around the largest zip accepted.
FORM_OVERHEAD_BYTES = 64 * 1024
CHANGE_LABELS = {
    "units updated": _l("data unit diperbarui"),
    "lesson versions created": _l("%(n)d versi pelajaran baru"),
    "lessons retired": _l("%(n)d pelajaran ditarik"),
    "lessons restored": _l("%(n)d pelajaran dipulihkan"),
    "question versions created": _l("%(n)d versi soal baru"),
    "questions retired": _l("%(n)d soal ditarik"),
    "questions restored": _l("%(n)d soal dipulihkan"),
    ADOPTED: _l("%(n)d soal kini diatur oleh berkas"),
}


class ArchiveImportForm(FlaskForm):
    file = FileField(
        _l("Arsip zip unit"),
        validators=[FileRequired(_l("Pilih berkas .zip yang berisi satu unit."))],
        description=_l("Paling besar %(mb)d MB.", mb=MAX_UPLOAD_BYTES // 2**20),
        render_kw={"accept": ".zip,application/zip"},
    )


@bp.route("/<unit_code>/ekspor.zip")
@staff_required
def export(unit_code: str) -> Response:
    unit = unit_or_404(unit_code)
    # Reuse the repository's file names, so that the zip unpacked over it replaces files.
    root = Path(current_app.config.get("CONTENT_ROOT", REPO_ROOT))
    data = build_unit_archive(unit, names=bundled_file_names(root, unit.code))
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f"attachment; filename=binakader-{unit.code}.zip"
    return response


@bp.route("/impor-zip", methods=["GET", "POST"])
@csrf.exempt  # the form checks its token itself, once the larger upload limit below is set
@staff_required
def import_archive() -> WerkzeugResponse | str | tuple[str, int]:
    request.max_content_length = MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES
    form = ArchiveImportForm()
    if not form.validate_on_submit():
        return (_page(form), 400) if form.is_submitted() else _page(form)
    try:
        outcome = import_unit_archive(
            current_user, form.file.data.read(MAX_UPLOAD_BYTES + 1), now=utcnow()
        )
    except ArchiveForbidden:
        db.session.rollback()
        abort(403)
    if outcome.problems:
        db.session.rollback()
        return _page(form, outcome.problems), 400
    db.session.commit()
    flash(import_message(outcome), "success")
    return redirect(url_for("editor.unit", unit_code=outcome.unit.code))


def _page(form: ArchiveImportForm, problems: list[str] | None = None) -> str:
    units = db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all()
    return render_template(
        "authoring/archive_import.html", form=form, problems=problems or [], units=units
    )


def import_message(outcome: ImportOutcome) -> str:
    """What the import changed, in a sentence for the flash message."""
    assert outcome.unit is not None
    counts = outcome.report.counts
    changes = [
        str(label) % {"n": counts[what]} for what, label in CHANGE_LABELS.items() if what in counts
    ]
    if outcome.created:
        return _(
            "Unit %(unit)s dibuat dari arsip (%(changes)s). Unit belum terbit: periksa lalu "
            "terbitkan.",
            unit=outcome.unit.title,
            changes=", ".join(changes),
        )
    if not changes:
        return _("Unit %(unit)s diimpor: isinya sama, tidak ada yang berubah.",
                 unit=outcome.unit.title)  # fmt: skip
    return _("Unit %(unit)s diimpor: %(changes)s.", unit=outcome.unit.title,
             changes=", ".join(changes))  # fmt: skip
