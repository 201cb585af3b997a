"""`flask content check` and `flask content sync`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.content.spec import Curriculum
from lms.content.sync import SyncReport, sync_curriculum
from lms.database import utcnow
from lms.extensions import db

content_cli = AppGroup("content", help="Check and load the curriculum files.")


def content_folders(path: str | None) -> tuple[Path, Path, Path]:
    """modules/ and question_banks/ under PATH (default: the configured content root)."""
    root = Path(path) if path else Path(current_app.config.get("CONTENT_ROOT", REPO_ROOT))
    return root, root / "modules", root / "question_banks"


def check_or_exit(path: str | None) -> Curriculum:
    root, modules, banks = content_folders(path)
    curriculum, problems = load_curriculum(modules, banks, root=root)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        noun = "problem" if len(problems) == 1 else "problems"
        raise click.ClickException(f"{len(problems)} {noun} found; nothing was changed.")
    return curriculum


@content_cli.command("check")
@click.argument("path", required=False)
def check_command(path: str | None) -> None:
    """Validate every content file under PATH; print each problem as path:line: message."""
    click.echo(check_or_exit(path).summary())


@content_cli.command("sync")
@click.argument("path", required=False)
def sync_command(path: str | None) -> None:
    """Load the content files into the database in one transaction (all or nothing)."""
    click.echo(sync_from_files(path).summary())


def sync_from_files(path: str | None = None) -> SyncReport:
    """Check, then sync in one transaction; a problem anywhere changes nothing."""
    curriculum = check_or_exit(path)
    try:
        report = sync_curriculum(curriculum, now=utcnow())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
