"""Training event pages: list, create, the live table with exports, CSV enrolment, joining."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook
from wtforms.fields.choices import SelectChoice

from lms.accounts.permissions import staff_required
from lms.cohorts import services
from lms.cohorts.forms import CsvForm, EventForm, JoinForm
from lms.cohorts.models import TrainingEvent
from lms.cohorts.table import SORT_KEYS, event_table, table_rows
from lms.content.models import Unit
from lms.database import utcnow
from lms.dates import local_date
from lms.errors import FieldError, attach_field_error, run_form_action
from lms.extensions import db

bp = Blueprint("cohorts", __name__)
CSV_MAX_BYTES = 1024 * 1024


def _event(event_id: int) -> TrainingEvent:
    event = db.get_or_404(TrainingEvent, event_id)
    if not services.can_manage(current_user, event):
        abort(403)
    return event


@bp.route("/acara")
@staff_required
def events() -> str:
    return render_template(
        "cohorts/list.html", events=db.session.scalars(services.visible_events(current_user)).all()
    )


@bp.route("/acara/baru", methods=["GET", "POST"])
@staff_required
def create() -> str | Response:
    form = EventForm()
    form.unit_codes.choices = [
        SelectChoice(unit.code, unit.title)
        for unit in db.session.scalars(
            sa.select(Unit).where(Unit.is_published.is_(True)).order_by(Unit.position, Unit.code)
        )
    ]
    if form.validate_on_submit():
        data = services.EventData(
            form.name.data, form.place.data, form.kecamatan_code.data,
            form.starts_on.data, form.ends_on.data, form.unit_codes.data,
        )  # fmt: skip
        outcome = run_form_action(
            form, lambda: services.create_event(current_user, data, now=utcnow())
        )
        if outcome.ok:
            return redirect(url_for("cohorts.event", event_id=outcome.value.id))
    return render_template("cohorts/create.html", form=form)


def _table(event: TrainingEvent):
    sort = request.args.get("urut", "nama")
    valid = set(SORT_KEYS) | {f"{c}-{k}" for c in event.unit_codes for k in ("baca", "nilai")}
    sort = sort if sort in valid else "nama"
    descending = request.args.get("arah") == "turun"
    return event_table(event, today=local_date(utcnow()), sort=sort, descending=descending), sort


@bp.route("/acara/<int:event_id>", methods=["GET", "POST"])
@staff_required
def event(event_id: int) -> str:
    event = _event(event_id)
    form, report = CsvForm(), None
    if request.method == "POST" and form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(CSV_MAX_BYTES + 1) if upload else b""
        if not data:
            form.file.errors = [_("Pilih berkas CSV terlebih dahulu.")]
        elif len(data) > CSV_MAX_BYTES:
            form.file.errors = [_("Berkas terlalu besar (paling besar 1 MB).")]
        else:
            try:
                report = services.enrol_from_csv(event, data, now=utcnow())
            except FieldError as error:
                db.session.rollback()
                attach_field_error(form, error)
            else:
                db.session.commit()
    table, sort = _table(event)
    return render_template(
        "cohorts/event.html", table=table, form=form, report=report, sort=sort,
        descending=request.args.get("arah") == "turun",
    )  # fmt: skip


@bp.route("/acara/<int:event_id>/unduh.<kind>")
@staff_required
def export(event_id: int, kind: str) -> Response:
    event = _event(event_id)
    headers, rows = table_rows(_table(event)[0])
    name = f"acara-{event.id}"
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    elif kind == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Peserta"
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = Response(
            buffer.getvalue(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        abort(404)
    response.headers["Content-Disposition"] = f"attachment; filename={name}.{kind}"
    return response


@bp.route("/gabung", methods=["GET", "POST"])
@login_required
def join() -> str | Response:
    form = JoinForm()
    if form.validate_on_submit():
        outcome = run_form_action(
            form, lambda: services.join_with_code(current_user, form.code.data, now=utcnow())
        )
        if outcome.ok:
            flash(_("Anda terdaftar di acara %(name)s.", name=outcome.value.name), "success")
            return redirect(url_for("main.home"))
    return render_template("cohorts/join.html", form=form)
