"""The API's one error shape: {"error": {"code": ..., "message": ...}} with the right status."""

from __future__ import annotations

from flask import Response, jsonify


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self) -> tuple[Response, int]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.details:
            body.update(self.details)
        return jsonify(error=body), self.status
