"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
JSON = "application/json"


def _op(
    operation_id: str,
    summary: str,
    *,
    ok: str = "200",
    schema: str | None = None,
    body: str | None = None,
    errors: tuple[str, ...] = ("401", "404"),
    public: bool = False,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": {
            ok: {
                "description": "OK",
                "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
                if schema
                else {JSON: {"schema": {"type": "object"}}},
            },
            **{code: ERROR for code in errors},
        },
    }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    if public:
        operation["security"] = []
    return operation


UNIT_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
ATTEMPT_ID = {"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}
POSITION = {"name": "position", "in": "path", "required": True, "schema": {"type": "integer"}}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "BinaKader API",
            "version": "1",
            "description": "Competency tests of DPPKB Kabupaten Kutai Timur. Authenticate with a "
            "bearer token (POST /tokens) or with the session cookie plus an X-CSRFToken header "
            "on every POST/PUT. Errors are {\"error\": {\"code\", \"message\"}}; messages are in "
            "Bahasa Indonesia.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"cookieAuth": [], "csrfHeader": []}],
        "paths": {
            "/kader": {"post": _op("registerKader", "Register a kader account", ok="201",
                                   schema="User", body="Registration", errors=("400", "422"),
                                   public=True)},
            "/tokens": {"post": _op("createToken", "Get a bearer token with phone and password",
                                    ok="201", schema="Token", body="Credentials",
                                    errors=("400", "401", "422", "429"), public=True)},
            "/units": {"get": _op("listUnits", "Units with reading progress and test status",
                                  schema="UnitList", errors=("401",))},
            "/units/{code}/attempts": {
                "parameters": [UNIT_CODE],
                "post": _op("startAttempt", "Start the unit's test, or resume the open attempt",
                            ok="201", schema="Attempt", errors=("401", "404", "409")),
            },
            "/attempts/{attempt_id}": {
                "parameters": [ATTEMPT_ID],
                "get": _op("getAttempt", "An attempt with its questions (no keys) and answers",
                           schema="Attempt"),
            },
            "/attempts/{attempt_id}/answers/{position}": {
                "parameters": [ATTEMPT_ID, POSITION],
                "put": _op("saveAnswer", "Save one answer; older saves never overwrite newer ones",
                           schema="SavedAnswer", body="Answer",
                           errors=("400", "401", "404", "409", "422")),
            },
            "/attempts/{attempt_id}/submit": {
                "parameters": [ATTEMPT_ID],
                "post": _op("submitAttempt", "Submit and grade (idempotent)", schema="Result",
                            errors=("400", "401", "404")),
            },
            "/attempts/{attempt_id}/result": {
                "parameters": [ATTEMPT_ID],
                "get": _op("getAttemptResult", "The graded result as the review policy allows",
                           schema="Result", errors=("401", "404", "409")),
            },
            "/certificates/{code}": {
                "parameters": [UNIT_CODE],
                "get": _op("verifyCertificate", "Status of a certificate by its code (public)",
                           schema="Certificate", errors=("404", "422", "429"), public=True),
            },
            "/certificates/verify-pdf": {
                "post": {
                    **_op("verifyCertificatePdf", "Check an uploaded certificate PDF (public)",
                          schema="FileCheck", errors=("413", "422", "429"), public=True),
                    "requestBody": {"required": True, "content": {"multipart/form-data": {
                        "schema": {"type": "object", "required": ["file"], "properties": {
                            "file": {"type": "string", "format": "binary"}}}}}},
                },
            },
            "/issuer-certificate": {
                "get": {
                    "operationId": "getIssuerCertificate",
                    "summary": "The issuer's public certificate (PEM), to check signatures",
                    "security": [],
                    "responses": {"200": {"description": "PEM", "content": {
                        "application/x-pem-file": {"schema": {"type": "string"}}}}},
                },
            },
            "/me/certificates": {
                "get": _op("listMyCertificates", "The signed-in kader's certificates",
                           schema="CertificateList", errors=("401",)),
            },
            "/me/certificates/{code}/pdf": {
                "parameters": [UNIT_CODE],
                "get": {
                    "operationId": "downloadCertificatePdf",
                    "summary": "The stored, signed PDF of one of the kader's own certificates",
                    "responses": {"200": {"description": "PDF", "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                        "401": ERROR, "404": ERROR},
                },
            },
            "/units/{code}/questions": {
                "parameters": [UNIT_CODE],
                "get": _op("listBankQuestions", "Current questions with keys (pelatih/admin only)",
                           schema="BankQuestions", errors=("401", "403", "404")),
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "binakader_session"},
                "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            },
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "schemas": SCHEMAS,
        },
    }  # fmt: skip


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


STRING, INTEGER, NUMBER, BOOLEAN = (
    {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
)  # fmt: skip
NULLABLE_NUMBER = {"type": ["number", "null"]}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        ["error"],
        error=_object(["code", "message"], code=STRING, message=STRING,
                      fields={"type": "object",
                              "additionalProperties": {"type": "array", "items": STRING}}),
    ),
    "Registration": _object(
        ["full_name", "phone", "kecamatan_code", "desa", "poktan", "password"],
        full_name=STRING, phone=STRING,
        kecamatan_code={"type": "string", "description": "Kemendagri code, e.g. 64.08.08"},
        desa=STRING,
        poktan={"type": "array", "items": {"enum": ["BKB", "BKL", "BKR", "UPPKA"]}, "minItems": 1},
        password=STRING,
    ),
    "User": _object(["id", "full_name", "phone", "role"], id=INTEGER, full_name=STRING,
                    phone=STRING, role=STRING, kecamatan_code={"type": ["string", "null"]},
                    desa={"type": ["string", "null"]}, poktan={"type": "array", "items": STRING}),
    "Credentials": _object(["phone", "password"], phone=STRING, password=STRING),
    "Token": _object(["token", "expires_at"], token=STRING,
                     expires_at={"type": "string", "format": "date-time"}),
    "UnitList": _object(["units"], units={"type": "array", "items": _object(
        ["code", "title", "lessons", "lessons_read", "test"], code=STRING, title=STRING,
        lessons=INTEGER, lessons_read=INTEGER, download_bytes=INTEGER,
        test={"type": "object"})}),
    "Question": _object(
        ["position", "type", "stem_html"], position=INTEGER,
        type={"enum": ["single", "multiple", "truefalse", "short", "numeric", "matching"]},
        stem_html=STRING, response={}, seq=INTEGER,
        options={"type": "array", "items": _object(["id", "text"], id=STRING, text=STRING)},
        left={"type": "array", "items": _object(["index", "text"], index=STRING, text=STRING)},
        right={"type": "array", "items": _object(["index", "text"], index=STRING, text=STRING)},
        unit=STRING,
    ),
    "Attempt": _object(
        ["id", "unit", "status", "deadline_at", "seconds_left", "questions"], id=INTEGER,
        unit=STRING, number=INTEGER, status={"enum": ["open", "submitted", "expired"]},
        started_at={"type": "string", "format": "date-time"},
        deadline_at={"type": "string", "format": "date-time"}, seconds_left=INTEGER,
        questions={"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
    ),
    "Answer": _object(
        ["response", "seq"],
        response={"description": "single: option id; multiple: [ids]; truefalse: boolean; "
                  "short: text; numeric: number or text like \"19,5\"; matching: "
                  "{left index: right index}; null clears the answer"},
        seq={"type": "integer", "minimum": 1,
             "description": "Increases with every change on the client; a lower seq is ignored"},
    ),
    "SavedAnswer": _object(["position", "seq", "applied"], position=INTEGER, seq=INTEGER,
                           applied=BOOLEAN, response={}),
    "Result": _object(
        ["id", "status", "percent", "is_passed", "review_level"], id=INTEGER, unit=STRING,
        status=STRING, finished_at={"type": ["string", "null"]}, points=NULLABLE_NUMBER,
        max_points=NULLABLE_NUMBER, percent=NULLABLE_NUMBER, pass_mark=INTEGER,
        is_passed={"type": ["boolean", "null"]},
        review_level={"enum": ["score", "correctness", "full"]},
        objectives={"type": "array", "items": {"type": "object"}},
        questions={"type": "array", "items": {"type": "object"}},
    ),
    "Certificate": _object(
        ["code", "status", "holder_name", "program", "issued_on", "expires_on"], code=STRING,
        status={"enum": ["valid", "expired", "revoked"]}, holder_name=STRING, program=STRING,
        units={"type": "array", "items": _object(["title", "passed_on"], title=STRING,
                                                  passed_on={"type": "string", "format": "date"})},
        issued_on={"type": "string", "format": "date"},
        expires_on={"type": "string", "format": "date"}, issuer=STRING,
        revoked_at={"type": ["string", "null"]}, revoked_reason={"type": ["string", "null"]},
        replaced_by={"type": ["string", "null"]}, download_url=STRING,
    ),
    "CertificateList": _object(["certificates"], certificates={
        "type": "array", "items": {"$ref": "#/components/schemas/Certificate"}}),
    "FileCheck": _object(["verdict", "reason"],
                         verdict={"enum": ["asli", "diubah", "tidak_dikenal"]},
                         reason=STRING, status={"type": ["string", "null"]},
                         certificate={"oneOf": [{"$ref": "#/components/schemas/Certificate"},
                                                {"type": "null"}]}),
    "BankQuestions": _object(["questions"],
                             questions={"type": "array", "items": {"type": "object"}}),
}  # fmt: skip
