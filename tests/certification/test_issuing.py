"""Issuing: exactly once, frozen, signed; revocation, correction and renewal."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.certification import codes
from lms.certification.issuer import issuer_key
from lms.certification.models import Certificate
from lms.certification.signing import SignatureVerdict, check_signature
from lms.database import utcnow
from lms.extensions import db
from tests.certification_fixtures import certificates, pass_unit


def test_no_certificate_until_the_last_unit(app, kader, program_content):
    pass_unit(app, kader.id, "bkb")
    assert certificates(app) == []
    pass_unit(app, kader.id, "bkl")
    [certificate] = certificates(app)
    assert certificate.holder_name == "Siti Aminah" and certificate.kecamatan_name == "Kongbeng"
    assert [u["code"] for u in certificate.units] == ["bkb", "bkl"]
    assert certificate.expires_on.year == certificate.issued_on.year + 3
    assert codes.is_valid(certificate.code)
    assert certificate.pdf_sha256 == hashlib.sha256(certificate.pdf).hexdigest()


def test_issued_pdf_is_signed_and_names_the_holder(app, certified):
    with app.app_context():
        verdict = check_signature(certified.pdf, issuer_key().certificate_der)
    assert verdict.verdict == SignatureVerdict.VALID
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(certified.pdf)).pages)
    assert "Siti Aminah" in text and codes.format_code(certified.code) in text


def test_issue_is_audited(app, certified):
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "certificate.issued")
        )
        assert event.subject_id == certified.id and event.actor_id is None


def test_frozen_after_a_name_change(app, client, auth, kader, certified):
    with app.app_context():
        db.session.get(User, kader.id).full_name = "Siti Aminah Berubah"
        db.session.commit()
    page = client.get(f"/verify/{codes.format_code(certified.code)}").get_data(as_text=True)
    assert "Siti Aminah" in page and "Berubah" not in page
    assert certificates(app)[0].pdf == certified.pdf


def test_database_refuses_a_second_certificate_for_the_same_passes(app, certified):
    with app.app_context():
        skip = ("id", "code", "pdf_sha256")
        values = {c.key: getattr(certified, c.key) for c in Certificate.__table__.columns}
        values = {key: value for key, value in values.items() if key not in skip}
        copy = Certificate(**values, code="0000000000000", pdf_sha256="0" * 64)
        db.session.add(copy)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()


def test_two_units_finished_at_the_same_moment_issue_once(app, kader, program_content):
    barrier, errors = threading.Barrier(2), []

    def finish(unit_code: str) -> None:
        try:
            barrier.wait(timeout=10)
            pass_unit(app, kader.id, unit_code)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=finish, args=(code,)) for code in ("bkb", "bkl")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(certificates(app)) == 1


def test_revoke_and_reissue_after_correction(app, client, auth, kader, admin, certified):
    auth.login(admin.phone)
    client.post(f"/kelola/pengguna/{kader.id}/koreksi", data={
        "full_name": "Siti Aminah Rahman", "kecamatan_code": "64.08.08", "desa": "Makmur Jaya",
        "reason": "Nama belakang tertinggal"})  # fmt: skip
    response = client.post(f"/kelola/sertifikat/{certified.id}/terbitkan-ulang",
                           data={"ulang-reason": "Koreksi nama sesuai KTP"})  # fmt: skip
    assert response.status_code == 302
    old, new = certificates(app)
    assert old.revoked_at is not None and old.replaced_by_id == new.id
    assert new.holder_name == "Siti Aminah Rahman" and new.revision == 2
    assert new.expires_on == old.expires_on
    page = client.get(f"/verify/{codes.format_code(old.code)}").get_data(as_text=True)
    assert "DICABUT" in page and "Koreksi nama sesuai KTP" in page and "pengganti" in page
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["certificate.issued", "user.corrected", "certificate.issued",
                       "certificate.revoked"]  # fmt: skip


def test_revoke_needs_a_reason_and_an_admin(app, client, auth, pelatih, admin, certified):
    auth.login(pelatih.phone)
    assert (
        client.post(
            f"/kelola/sertifikat/{certified.id}/cabut", data={"cabut-reason": "x" * 10}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login(admin.phone)
    refused = client.post(f"/kelola/sertifikat/{certified.id}/cabut", data={"cabut-reason": ""})
    assert refused.status_code == 400 and "Wajib diisi." in refused.get_data(as_text=True)
    client.post(f"/kelola/sertifikat/{certified.id}/cabut", data={"cabut-reason": "Data palsu"})
    assert certificates(app)[0].revoked_reason == "Data palsu"
    assert "Data palsu" in client.get("/kelola/audit").get_data(as_text=True)


def test_audit_log_is_append_only(app, certified):
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.update(AuditEvent).values(reason="diubah diam-diam"))
            db.session.commit()
        db.session.rollback()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.delete(AuditEvent))
            db.session.commit()


def test_renewal_after_expiry_issues_a_new_certificate(app, client, auth, kader, certified):
    auth.login(kader.phone)
    page = client.get("/uji/bkb").get_data(as_text=True)
    assert "Lulus dengan nilai 100" in page and "Mulai uji" not in page
    later = utcnow() + timedelta(days=3 * 366)
    pass_unit(app, kader.id, "bkb", now=later)
    pass_unit(app, kader.id, "bkl", now=later)
    first, second = certificates(app)
    assert first.id == certified.id and first.revoked_at is None
    assert second.issued_on > first.expires_on - timedelta(days=2)


def test_kader_sees_progress_and_downloads_own_pdf(app, client, auth, kader, program_content):
    pass_unit(app, kader.id, "bkb")
    auth.login(kader.phone)
    page = client.get("/sertifikat/").get_data(as_text=True)
    assert "Masih 1 unit lagi" in page and "Bina Keluarga Lansia (BKL)" in page
    pass_unit(app, kader.id, "bkl")
    page = client.get("/sertifikat/").get_data(as_text=True)
    code = re.search(r"BK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]", page).group(0)
    download = client.get(f"/sertifikat/{code}.pdf")
    assert download.status_code == 200 and download.data == certificates(app)[0].pdf


def test_no_one_downloads_anothers_pdf(app, client, auth, certified):
    from tests.factories import make_user

    other = make_user(app, full_name="Kader Lain")
    auth.login(other.phone)
    code = codes.format_code(certified.code)
    assert client.get(f"/sertifikat/{code}.pdf").status_code == 404
    token = client.post(
        "/api/v1/tokens", json={"phone": other.phone, "password": "kaderhebat24"}
    ).json["token"]
    api = client.get(
        f"/api/v1/me/certificates/{code}/pdf", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 404
