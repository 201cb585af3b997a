"""The item analysis page for pelatih and admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from lms.accounts.permissions import staff_required
from lms.content.models import Unit
from lms.extensions import db
from lms.reports.histogram import histogram_svg
from lms.reports.item_analysis import THRESHOLDS
from lms.reports.queries import unit_analysis

bp = Blueprint("reports", __name__, url_prefix="/kelola/analisis")


@bp.route("/")
@staff_required
def units() -> str:
    return render_template(
        "reports/units.html",
        units=db.session.scalars(sa.select(Unit).order_by(Unit.position, Unit.code)).all(),
    )


@bp.route("/<unit_code>")
@staff_required
def unit(unit_code: str) -> str:
    found = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
    if found is None:
        abort(404)
    analysis = unit_analysis(found, first_only=request.args.get("semua") != "1")
    svg = histogram_svg(
        analysis.test.histogram,
        title=_("Sebaran nilai uji %(unit)s", unit=found.title),
        x_label=_("Nilai"),
        y_label=_("Jumlah kader"),
    )
    return render_template(
        "reports/unit.html",
        analysis=analysis,
        # Every text in the SVG is escaped by histogram_svg.
        histogram=Markup(svg),  # noqa: S704
        thresholds=THRESHOLDS,
    )
