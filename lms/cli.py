"""The `flask --app wsgi ...` commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

from lms.accounts import services
from lms.accounts.phone import normalise_phone
from lms.assessment import services as assessment_services
from lms.content.cli import content_cli
from lms.database import utcnow
from lms.extensions import db
from lms.setup import run_setup

users_cli = AppGroup("users", help="Manage accounts from the server console.")


@users_cli.command("reset-code")
@click.argument("phone")
def reset_code_command(phone: str) -> None:
    """Print a one-time reset code for the account with PHONE (e.g. a locked-out admin)."""
    normalised = normalise_phone(phone)
    user = services.find_user_by_phone(normalised) if normalised else None
    if user is None:
        raise click.ClickException(f"No account with phone {phone}")
    code = services.issue_reset_code(None, user, now=utcnow())
    db.session.commit()
    hours = current_app.config["RESET_CODE_HOURS"]
    click.echo(f"Reset code for {user.full_name}: {code} (valid {hours} h, once)")
    click.echo("Use it on the page /lupa-kata-sandi.")


assessment_cli = AppGroup("assessment", help="Competency tests.")


@assessment_cli.command("finalise-expired")
def finalise_expired_command() -> None:
    """Grade every open attempt whose time is over (run from cron, e.g. every 5 minutes)."""
    count = assessment_services.finalise_expired_attempts(now=utcnow())
    db.session.commit()
    click.echo(f"Finalised {count} expired attempt(s).")


def register_commands(app: Flask) -> None:
    @app.cli.command("setup")
    def setup_command() -> None:
        """Create or upgrade the database, load bundled content, make the first admin."""
        for line in run_setup(current_app._get_current_object()).lines:
            click.echo(line)

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    def serve_command(host: str, port: int) -> None:
        """Run setup, then serve the site (development server; use gunicorn in production)."""
        flask_app = current_app._get_current_object()
        for line in run_setup(flask_app).lines:
            click.echo(line)
        click.echo(f"BinaKader is running on http://{host}:{port}/ (Ctrl+C to stop)")
        # flask's own app.run() refuses to start inside a CLI command; serve directly.
        run_simple(host, port, flask_app, threaded=True)

    app.cli.add_command(users_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(assessment_cli)
