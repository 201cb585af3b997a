"""`flask content check` and `flask content sync`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.content.spec import Curriculum
from lms.content.sync import SyncConflict, SyncReport, sync_curriculum
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
@click.option(
    "--overwrite-browser-edits",
    is_flag=True,
    help="Let the files win over units edited in the browser since their last sync.",
)
def sync_command(path: str | None, overwrite_browser_edits: bool) -> None:
    """Load the content files into the database in one transaction (all or nothing).

    A unit edited in the browser is not overwritten unless --overwrite-browser-edits."""
    try:
        report = sync_from_files(path, overwrite_browser_edits=overwrite_browser_edits)
    except SyncConflict as conflict:
        raise click.ClickException(f"{conflict} Nothing was changed.") from conflict
    click.echo(report.summary())


def sync_from_files(
    path: str | None = None, *, overwrite_browser_edits: bool = False
) -> SyncReport:
    """Check, then sync in one transaction; a problem anywhere changes nothing. A
    `SyncConflict` (units edited in the browser) is rolled back and raised to the caller."""
    curriculum = check_or_exit(path)
    try:
        report = sync_curriculum(
            curriculum, now=utcnow(), overwrite_browser_edits=overwrite_browser_edits
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
