"""From the last passed test to the downloaded certificate, and a visitor verifying it."""

from __future__ import annotations

import concurrent.futures
import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment import services as test_services
from lms.certification.issuer import issuer_key
from lms.certification.signing import SignatureVerdict, check_signature
from lms.content.models import Unit
from lms.database import utcnow
from lms.extensions import db
from tests.assessment.helpers import right_answer
from tests.browser import PHONE_VIEWPORT, screenshot
from tests.browser_tests.test_account_journeys import sign_in
from tests.certification_fixtures import pass_unit
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]


def prepare_last_test(app, user_id: int) -> int:
    """BKB passed; the BKL test started with every answer already saved right."""
    pass_unit(app, user_id, "bkb")
    with app.app_context():
        user = db.session.get(User, user_id)
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == "bkl"))
        attempt = test_services.start_attempt(user, unit, now=utcnow())
        for question in attempt.questions:
            question.response = right_answer(question.version.type, question.version.data)
        db.session.commit()
        return attempt.id


def test_kader_to_download_and_visitor_to_valid(
    browser, live_server, page, app, program_content, database_backend, tmp_path
):
    kader = make_user(app, full_name="Ni Luh Putu Désirée")
    attempt_id = prepare_last_test(app, kader.id)
    sign_in(page, kader.phone, "kaderhebat24")
    page.goto(f"/uji/percobaan/{attempt_id}")
    page.get_by_role("button", name="Selesai, periksa lalu kirim").click()
    assert page.get_by_text("Semua soal sudah dijawab.").is_visible()
    page.get_by_role("button", name="Kirim jawaban sekarang").click()
    assert page.get_by_text("LULUS", exact=True).is_visible()

    page.get_by_role("link", name="Sertifikat", exact=True).click()
    assert page.get_by_text("Semua unit yang disyaratkan sudah lulus.").is_visible()
    screenshot(page, f"certificates-{database_backend}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    path = tmp_path / "sertifikat.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    code = re.search(
        r"sertifikat-(BK-[0-9A-Z-]+)\.pdf", download_info.value.suggested_filename
    ).group(1)
    with app.app_context():
        issuer = issuer_key().certificate_der
    # pyHanko's synchronous API cannot run in Playwright's event-loop thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        verdict = pool.submit(check_signature, data, issuer).result()
    assert verdict.verdict == SignatureVerdict.VALID

    visitor = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server).new_page()
    visitor.goto("/verify")
    visitor.get_by_label("Kode sertifikat").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Periksa", exact=True).click()
    assert visitor.get_by_test_id("status").inner_text() == "BERLAKU"
    assert visitor.get_by_text("Ni Luh Putu Désirée").is_visible()
    screenshot(visitor, f"verify-valid-{database_backend}")
    visitor.goto("/verify")
    visitor.get_by_label("Atau unggah berkas PDF sertifikat").set_input_files(str(path))
    visitor.get_by_role("button", name="Periksa berkas").click()
    assert visitor.get_by_test_id("verdict").inner_text() == "ASLI"
    visitor.context.close()
