"""BinaKader: learning and certification for kader of DPPKB Kabupaten Kutai Timur."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms import config as settings
from lms.database import configure_sqlite
from lms.extensions import csrf, db, migrate

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then `config` (tests pass overrides)."""
    instance_path = Path(
        (config or {}).get("INSTANCE_PATH")
        or os.environ.get("BINAKADER_INSTANCE_PATH")
        or settings.REPO_ROOT / "instance"
    )
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(settings.REPO_ROOT / "templates"),
    )
    app.config.update(settings.default_config(instance_path))
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    _finish_config(app, instance_path)

    _init_extensions(app)
    _register_blueprints(app)
    from lms.cli import register_commands
    from lms.errors import register_error_pages
    from lms.templating import init_templating

    register_error_pages(app)
    init_templating(app)
    register_commands(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app


def _finish_config(app: Flask, instance_path: Path) -> None:
    production = app.config["BINAKADER_ENV"] == "production"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.load_secret_key(instance_path, production)
    url = settings.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite:///"):
        instance_path.mkdir(parents=True, exist_ok=True)


def _init_extensions(app: Flask) -> None:
    from lms.accounts.security import init_security
    from lms.accounts.session import init_login
    from lms.i18n import init_i18n

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    init_i18n(app)
    init_login(app)
    init_security(app)


def _register_blueprints(app: Flask) -> None:
    from lms.accounts import manage as manage_routes
    from lms.accounts import routes as account_routes
    from lms.api import models as _api_models  # noqa: F401 - tables for migrations
    from lms.api import routes as api_routes
    from lms.assessment import models as _assessment_models  # noqa: F401
    from lms.assessment import routes as assessment_routes
    from lms.audit import models as _audit_models  # noqa: F401
    from lms.authoring import archive_routes, editor_routes
    from lms.authoring import item_routes as _item_routes  # noqa: F401 - registers its views
    from lms.authoring import routes as authoring_routes
    from lms.certification import admin as certificate_admin
    from lms.certification import models as _certification_models  # noqa: F401
    from lms.certification import routes as certificate_routes
    from lms.cohorts import models as _cohort_models  # noqa: F401
    from lms.cohorts import routes as cohort_routes
    from lms.content import models as _content_models  # noqa: F401
    from lms.main import routes as main_routes
    from lms.reports import routes as report_routes
    from lms.study import routes as study_routes
    from lms.verification import routes as verification_routes

    app.register_blueprint(main_routes.bp)
    app.register_blueprint(account_routes.bp)
    app.register_blueprint(manage_routes.bp)
    app.register_blueprint(study_routes.bp)
    app.register_blueprint(assessment_routes.bp)
    app.register_blueprint(api_routes.bp)
    app.register_blueprint(certificate_routes.bp)
    app.register_blueprint(certificate_admin.bp)
    app.register_blueprint(verification_routes.bp)
    app.register_blueprint(cohort_routes.bp)
    app.register_blueprint(report_routes.bp)
    app.register_blueprint(authoring_routes.bp)
    app.register_blueprint(archive_routes.bp)
    app.register_blueprint(editor_routes.bp)  # with the views of item_routes
    from lms.assessment.services import UNIT_PASSED_HANDLERS
    from lms.certification.services import issue_when_complete

    if issue_when_complete not in UNIT_PASSED_HANDLERS:
        UNIT_PASSED_HANDLERS.append(issue_when_complete)
