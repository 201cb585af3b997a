"""Account journeys in Debian's Chromium at phone size (360 px), with CSRF on."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from tests.browser import screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]


def sign_in(page, phone: str, password: str) -> None:
    page.goto("/masuk")
    page.get_by_label("Nomor HP").fill(phone)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_register_logout_login_and_wrong_password(page, database_backend):
    page.goto("/")
    page.get_by_role("link", name="Daftar sebagai kader").click()
    page.get_by_label("Nama lengkap").fill("Nur Aisyah")
    page.get_by_label("Nomor HP").fill("0813-5000-7777")
    page.get_by_label("Kecamatan").select_option(label="Muara Wahau")
    page.get_by_label("Desa/Kelurahan").fill("Wahau Baru")
    page.get_by_label("BKB").check()
    page.get_by_label("BKR").check()
    page.get_by_label("Kata sandi baru", exact=True).fill("pelangi-senja5")
    page.get_by_label("Ulangi kata sandi baru").fill("pelangi-senja4")
    page.get_by_role("button", name="Daftar").click()
    assert page.get_by_text("Kedua kata sandi tidak sama.").is_visible()
    assert page.get_by_label("Nama lengkap").input_value() == "Nur Aisyah"
    screenshot(page, f"register-error-{database_backend}")

    page.get_by_label("Kata sandi baru", exact=True).fill("pelangi-senja5")
    page.get_by_label("Ulangi kata sandi baru").fill("pelangi-senja5")
    page.get_by_role("button", name="Daftar").click()
    assert page.get_by_role("heading", name="Halo, Nur Aisyah").is_visible()
    assert page.get_by_text("Muara Wahau").is_visible()
    screenshot(page, f"kader-home-{database_backend}")

    page.get_by_role("button", name="Keluar").click()
    assert page.get_by_text("Anda sudah keluar.").is_visible()

    sign_in(page, "+62 813 5000 7777", "salah-sandi9")
    assert page.get_by_text("Nomor HP atau kata sandi salah.").is_visible()
    assert page.get_by_label("Nomor HP").input_value() == "+62 813 5000 7777"
    screenshot(page, f"login-wrong-password-{database_backend}")
    page.get_by_label("Kata sandi", exact=True).fill("pelangi-senja5")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("heading", name="Halo, Nur Aisyah").is_visible()


def test_change_password(page, app):
    kader = make_user(app, full_name="Wulan Sari")
    sign_in(page, kader.phone, "kaderhebat24")
    page.get_by_role("link", name="Kata sandi").click()
    page.get_by_label("Kata sandi saat ini").fill("kaderhebat24")
    page.get_by_label("Kata sandi baru", exact=True).fill("anggrek-ungu3")
    page.get_by_label("Ulangi kata sandi baru").fill("anggrek-ungu3")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    assert page.get_by_text("Kata sandi berhasil diganti.").is_visible()
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, kader.phone, "anggrek-ungu3")
    assert page.get_by_role("heading", name="Halo, Wulan Sari").is_visible()


def test_reset_code_flow(page, app):
    kader = make_user(app, full_name="Rina Marlina")
    pelatih = make_user(app, role=Role.PELATIH, full_name="Pak Hendra")
    sign_in(page, pelatih.phone, "kaderhebat24")
    page.get_by_role("link", name="Pengguna").first.click()
    page.get_by_label("Cari nama, desa atau nomor HP").fill("rina")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Rina Marlina").click()
    page.get_by_role("button", name="Buat kode reset").click()
    code = page.get_by_test_id("reset-code").inner_text()
    screenshot(page, "reset-code-shown")
    page.get_by_role("button", name="Keluar").click()

    page.goto("/masuk")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Nomor HP").fill("0" + kader.phone[3:])
    page.get_by_label("Kode reset").fill(code.lower().replace("-", " "))
    page.get_by_label("Kata sandi baru", exact=True).fill("melati-putih6")
    page.get_by_label("Ulangi kata sandi baru").fill("melati-putih6")
    page.get_by_role("button", name="Atur kata sandi baru").click()
    assert page.get_by_text("Kata sandi baru sudah disimpan. Silakan masuk.").is_visible()
    sign_in(page, kader.phone, "melati-putih6")
    assert page.get_by_role("heading", name="Halo, Rina Marlina").is_visible()


def test_kader_refused_pelatih_page(page, app):
    kader = make_user(app)
    sign_in(page, kader.phone, "kaderhebat24")
    response = page.goto("/kelola/pengguna")
    assert response.status == 403
    assert page.get_by_role("heading", name="Akses ditolak").is_visible()
    screenshot(page, "forbidden")


def test_language_switch(page):
    page.goto("/masuk")
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.url.endswith("/masuk")
    assert page.get_by_label("Mobile number").is_visible()
    screenshot(page, "login-english")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    assert page.get_by_role("heading", name="Masuk").is_visible()


def test_page_weight_in_the_browser(page):
    """What Chromium really transfers for the registration page on first view."""
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body())))
    page.goto("/daftar")
    page.wait_for_load_state("networkidle")
    assert len(sizes) <= 5 and sum(sizes) <= 50 * 1024, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
