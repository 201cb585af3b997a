"""A kader reads a lesson on a phone-sized screen and sees the progress move."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from tests.browser_tests.test_account_journeys import sign_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]


def test_kader_reads_a_lesson_and_progress_moves(page, app, curriculum, database_backend):
    kader = make_user(app, full_name="Sri Wahyuni")
    sign_in(page, kader.phone, "kaderhebat24")
    assert page.get_by_text("0 dari 7 pelajaran dibaca").is_visible()
    screenshot(page, f"study-home-{database_backend}")

    page.get_by_role("link", name="Lanjutkan belajar: Apa itu Bina Keluarga Balita?").click()
    assert page.get_by_role("heading", name="Apa itu Bina Keluarga Balita?").is_visible()
    assert page.get_by_role("heading", name="Di lapangan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"lesson-{database_backend}")

    page.get_by_role("button", name="Tandai selesai dibaca").click()
    assert page.get_by_text("Pelajaran ditandai selesai dibaca.").is_visible()
    assert page.get_by_text("Pelajaran 2 dari 7").is_visible()
    page.get_by_role("link", name="Sebelumnya").click()
    assert page.get_by_text("Anda sudah menandai pelajaran ini selesai dibaca.").is_visible()

    page.get_by_role("link", name="Bina Keluarga Balita (BKB)").first.click()
    assert page.get_by_text("1 dari 7 pelajaran dibaca").is_visible()
    screenshot(page, f"unit-{database_backend}")
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, kader.phone, "kaderhebat24")
    assert page.get_by_text("1 dari 7 pelajaran dibaca").is_visible()
    assert page.get_by_role("link", name="Lanjutkan belajar: Asah, Asih, Asuh").is_visible()
