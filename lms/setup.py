"""First run and every later start: bring the database and the first admin into place."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import Flask
from flask_migrate import upgrade

from lms.accounts import services
from lms.accounts.phone import format_phone, normalise_phone
from lms.database import utcnow
from lms.errors import FieldError
from lms.extensions import db

#: Shown for a generated first admin; a real install sets BINAKADER_ADMIN_PHONE.
DEFAULT_ADMIN_PHONE = "+6280000000000"
DEFAULT_ADMIN_NAME = "Admin DPPKB"


@dataclass
class SetupReport:
    lines: list[str] = field(default_factory=list)


def apply_migrations(_app: Flask, report: SetupReport) -> None:
    upgrade()
    report.lines.append("Database: migrations applied.")


def ensure_admin(_app: Flask, report: SetupReport) -> None:
    raw_phone = os.environ.get("BINAKADER_ADMIN_PHONE")
    password = os.environ.get("BINAKADER_ADMIN_PASSWORD") or None
    phone = normalise_phone(raw_phone) if raw_phone else DEFAULT_ADMIN_PHONE
    if phone is None:
        raise click.ClickException(f"BINAKADER_ADMIN_PHONE is not a mobile number: {raw_phone!r}")
    if raw_phone and not password:
        raise click.ClickException(
            "BINAKADER_ADMIN_PHONE is set; set BINAKADER_ADMIN_PASSWORD too."
        )
    try:
        result = services.ensure_first_admin(
            phone=phone, password=password, full_name=DEFAULT_ADMIN_NAME, now=utcnow()
        )
    except FieldError as error:
        db.session.rollback()
        raise click.ClickException(f"First admin: {error.message}") from error
    db.session.commit()
    if not result.created:
        report.lines.append("Admin: an admin account exists; nothing changed.")
        return
    report.lines.append(f"Admin created. Sign in with phone {format_phone(result.user.phone)}")
    if result.password:
        report.lines.append(f"  and the one-time password: {result.password}")
        report.lines.append("  (you will be asked to choose a new password at first sign-in)")


def sync_content(_app: Flask, report: SetupReport) -> None:
    from lms.content.cli import sync_from_files
    from lms.content.sync import SyncConflict

    try:
        summary = sync_from_files().summary()
    except SyncConflict as conflict:
        # Starting the site must not fail over it: keep the database's content and say so.
        db.session.rollback()
        report.lines.append(
            f"WARNING: content files not loaded, the database keeps its current content: {conflict}"
        )
        return
    report.lines.append(summary)


#: Steps run in order by `flask setup` and `flask serve`; each is safe to repeat.
SETUP_STEPS: list[Callable[[Flask, SetupReport], None]] = [
    apply_migrations,
    sync_content,
    ensure_admin,
]


def run_setup(app: Flask) -> SetupReport:
    """Run every setup step inside the app context; safe on every start, keeps all data."""
    report = SetupReport()
    with app.app_context():
        for step in SETUP_STEPS:
            step(app, report)
    return report
