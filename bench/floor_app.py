"""The floor of the training-hall benchmark: a bare Flask + SQLAlchemy insert endpoint.

`POST /insert` does one indexed insert and commits; that is the least work any save can do on
this server and database, so saveAnswer's throughput is reported as a fraction of this one's.
Run by bench/hall.py (bench/training_hall/floor.py) under the same gunicorn setup as the app:

    gunicorn --chdir bench -w 4 -b 127.0.0.1:PORT 'floor_app:create_app()'

with BENCH_FLOOR_DATABASE_URL naming the database. SQLite gets the app's own connection
settings (WAL, busy timeout, BEGIN IMMEDIATE) so that both sides pay the same per commit.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from lms.config import normalise_database_url
from lms.database import configure_sqlite


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class FloorRow(db.Model):
    __tablename__ = "bench_floor_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), index=True)
    value: Mapped[int]


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        url or os.environ["BENCH_FLOOR_DATABASE_URL"]
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    @app.post("/insert")
    def insert() -> tuple[object, int]:
        body = request.get_json(silent=True) or {}
        row = FloorRow(key=str(body.get("key", ""))[:40], value=int(body.get("value", 0)))
        db.session.add(row)
        db.session.flush()
        row_id = row.id  # read before commit: after it the row is expired and re-selected
        db.session.commit()
        return jsonify(id=row_id), 201

    @app.get("/ping")
    def ping() -> object:
        return jsonify(status="ok")

    return app


def create_table(url: str) -> None:
    """Create the floor's table once, before the workers start."""
    app = create_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
